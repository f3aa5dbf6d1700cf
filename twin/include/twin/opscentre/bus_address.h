// Where a twin lives on the bus: nats://[USER[:PASSWORD]@]HOST:PORT/TWIN, and the names derived
// from it — the JetStream stream TWIN_<twin> and its subjects twin.<twin>.campus and
// twin.<twin>.commit (docs/opscentre.md, "Stream and subjects").
#pragma once

#include <optional>
#include <string>

namespace twin::opscentre {

struct BusAddress {
    std::string host;
    int port = 4222;
    std::string twin;                  // letters, digits, '-' and '_'
    std::string user, password;        // empty: none

    std::string serverUrl() const;     // nats://HOST:PORT (no credentials: those go separately)
    std::string display() const;       // nats://HOST:PORT/TWIN (no password), for headers and logs
    std::string stream() const { return "TWIN_" + twin; }
    std::string campusSubject() const { return "twin." + twin + ".campus"; }
    std::string commitSubject() const { return "twin." + twin + ".commit"; }
    std::string allSubjects() const { return "twin." + twin + ".>"; }
};

// True for text that starts with nats:// (then parseBusAddress says whether it is well formed).
bool looksLikeBusAddress(const std::string& text);
// The address, or nullopt with `why` set to a one-line reason.
std::optional<BusAddress> parseBusAddress(const std::string& text, std::string* why = nullptr);

} // namespace twin::opscentre
