#include "socket_bytes.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace opsbench {

std::map<int, SocketBytes> connectionsTo(int serverPort) {
    std::map<int, SocketBytes> out;
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return out;
    while (const dirent* e = readdir(dir)) {
        if (e->d_name[0] == '.') continue;
        const int fd = std::atoi(e->d_name);
        char link[64] = {};
        const std::string path = std::string("/proc/self/fd/") + e->d_name;
        if (readlink(path.c_str(), link, sizeof link - 1) <= 0 || std::strncmp(link, "socket:", 7) != 0) continue;
        sockaddr_in peer{}, local{};
        socklen_t n = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &n) != 0 || peer.sin_family != AF_INET ||
            ntohs(peer.sin_port) != serverPort || ntohl(peer.sin_addr.s_addr) != INADDR_LOOPBACK)
            continue;
        n = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &n) != 0) continue;
        tcp_info info{};
        socklen_t size = sizeof info;
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) continue;
        out[ntohs(local.sin_port)] = {info.tcpi_bytes_received, info.tcpi_bytes_acked};
    }
    closedir(dir);
    return out;
}

} // namespace opsbench
