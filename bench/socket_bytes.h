// Bytes on the wire, as the kernel counts them: this process's TCP connections to a server on
// loopback (the NATS connections of opscentre-bench's publisher and followers), each with what it
// has received and sent (TCP payload: the NATS protocol and the messages, not the IP/TCP headers).
#pragma once

#include <cstdint>
#include <map>

namespace opsbench {

struct SocketBytes {
    std::uint64_t received = 0;   // tcpi_bytes_received
    std::uint64_t sent = 0;       // tcpi_bytes_acked (sent and acknowledged)
};

// This process's TCP sockets connected to 127.0.0.1:serverPort, by their local port.
std::map<int, SocketBytes> connectionsTo(int serverPort);

} // namespace opsbench
