// Where a twin lives on the bus: nats://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]/TWIN (several
// servers: a cluster, any of them will do), or tls://... (TLS required), and the names derived
// from it — the JetStream stream TWIN_<twin> and its subjects twin.<twin>.campus and
// twin.<twin>.commit (docs/opscentre.md, "Stream and subjects", "A cluster", "TLS").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace twin::opscentre {

struct BusServer {
    std::string host;
    int port = 4222;
    bool operator==(const BusServer&) const = default;
};

struct BusAddress {
    std::string host;                  // the first server
    int port = 4222;
    std::vector<BusServer> moreServers;   // the other servers of a cluster, in the order given
    bool tls = false;                  // tls://: the connection must be TLS (nats:// takes TLS when the server requires it)
    std::string twin;                  // letters, digits, '-' and '_'
    std::string user, password;        // empty: none
    // TLS files, not part of the text (--bus-ca, --bus-cert, --bus-key; empty: the environment's
    // COLOSSUS_BUS_CA, COLOSSUS_BUS_CERT, COLOSSUS_BUS_KEY, read by app_nats::Bus).
    std::string caFile, certFile, keyFile;

    std::vector<BusServer> servers() const;   // the first, then moreServers
    std::vector<std::string> serverUrls() const;   // nats://HOST:PORT each (no credentials: those go separately)
    std::string serverUrl() const;     // the first one's
    // nats://HOST:PORT[,HOST:PORT...]/TWIN (tls:// for TLS; no password), for headers and logs.
    std::string display() const;
    std::string stream() const { return "TWIN_" + twin; }
    std::string campusSubject() const { return "twin." + twin + ".campus"; }
    std::string commitSubject() const { return "twin." + twin + ".commit"; }
    std::string allSubjects() const { return "twin." + twin + ".>"; }
};

// True for text that starts with nats:// or tls:// (then parseBusAddress says whether it is well formed).
bool looksLikeBusAddress(const std::string& text);
// The address, or nullopt with `why` set to a one-line reason.
std::optional<BusAddress> parseBusAddress(const std::string& text, std::string* why = nullptr);

} // namespace twin::opscentre
