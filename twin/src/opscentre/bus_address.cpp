#include "twin/opscentre/bus_address.h"

#include <algorithm>
#include <cctype>

namespace twin::opscentre {

std::string BusAddress::serverUrl() const { return "nats://" + host + ":" + std::to_string(port); }
std::string BusAddress::display() const { return serverUrl() + "/" + twin; }

bool looksLikeBusAddress(const std::string& text) { return text.rfind("nats://", 0) == 0; }

std::optional<BusAddress> parseBusAddress(const std::string& text, std::string* why) {
    auto bad = [&](const std::string& reason) -> std::optional<BusAddress> {
        if (why) *why = "'" + text + "' is not nats://[USER[:PASSWORD]@]HOST:PORT/TWIN: " + reason;
        return std::nullopt;
    };
    if (!looksLikeBusAddress(text)) return bad("it does not start with nats://");
    std::string rest = text.substr(7);
    BusAddress a;
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return bad("no /TWIN");
    a.twin = rest.substr(slash + 1);
    rest.resize(slash);
    if (a.twin.empty() || a.twin.size() > 64 ||
        !std::all_of(a.twin.begin(), a.twin.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; }))
        return bad("the twin's name must be 1 to 64 letters, digits, '-' or '_'");
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        const std::string cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = cred.find(':');
        a.user = cred.substr(0, colon);
        if (colon != std::string::npos) a.password = cred.substr(colon + 1);
        if (a.user.empty()) return bad("an empty user name");
    }
    const auto colon = rest.rfind(':');
    a.host = rest.substr(0, colon);
    if (a.host.empty()) return bad("no host");
    if (colon != std::string::npos) {
        const std::string port = rest.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }))
            return bad("the port is not a number");
        a.port = std::stoi(port);
        if (a.port < 1 || a.port > 65535) return bad("the port is out of range");
    }
    return a;
}

} // namespace twin::opscentre
