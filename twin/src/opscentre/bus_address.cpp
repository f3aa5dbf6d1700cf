#include "twin/opscentre/bus_address.h"

#include <algorithm>
#include <cctype>

namespace twin::opscentre {

namespace {

std::string hostPort(const BusServer& s) { return s.host + ":" + std::to_string(s.port); }

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// One server of the list, HOST[:PORT]; "" or why it is not one.
std::string parseServer(const std::string& text, BusServer& s) {
    if (text.empty()) return "an empty server in the list";
    const auto colon = text.rfind(':');
    s.host = text.substr(0, colon);
    if (s.host.empty()) return "no host";
    // Names and IPv4 addresses; a stray scheme ("nats://a,nats://b") or space is caught here.
    if (!std::all_of(s.host.begin(), s.host.end(), [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; }))
        return "the host '" + s.host + "' is not a name or an IPv4 address";
    if (colon != std::string::npos) {
        const std::string port = text.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }))
            return "the port of " + s.host + " is not a number";
        s.port = std::stoi(port);
        if (s.port < 1 || s.port > 65535) return "the port of " + s.host + " is out of range";
    }
    return {};
}

} // namespace

std::vector<BusServer> BusAddress::servers() const {
    std::vector<BusServer> all{{host, port}};
    all.insert(all.end(), moreServers.begin(), moreServers.end());
    return all;
}

std::vector<std::string> BusAddress::serverUrls() const {
    std::vector<std::string> urls;
    // libnats takes TLS from natsOptions_SetSecure, not from the scheme: nats:// for every one.
    for (const BusServer& s : servers()) urls.push_back("nats://" + hostPort(s));
    return urls;
}

std::string BusAddress::serverUrl() const { return serverUrls().front(); }

std::string BusAddress::display() const {
    std::string list;
    for (const BusServer& s : servers()) list += (list.empty() ? "" : ",") + hostPort(s);
    return (tls ? "tls://" : "nats://") + list + "/" + twin;
}

bool looksLikeBusAddress(const std::string& text) { return startsWith(text, "nats://") || startsWith(text, "tls://"); }

std::optional<BusAddress> parseBusAddress(const std::string& text, std::string* why) {
    auto bad = [&](const std::string& reason) -> std::optional<BusAddress> {
        if (why) *why = "'" + text + "' is not nats://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]/TWIN (or tls://...): " + reason;
        return std::nullopt;
    };
    if (!looksLikeBusAddress(text)) return bad("it does not start with nats:// or tls://");
    BusAddress a;
    a.tls = startsWith(text, "tls://");
    std::string rest = text.substr(a.tls ? 6 : 7);
    const auto slash = rest.rfind('/');   // the last: a password may hold a /
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
    std::vector<BusServer> list;
    for (std::size_t from = 0;;) {
        const auto comma = rest.find(',', from);
        BusServer s;
        if (const std::string problem = parseServer(rest.substr(from, comma - from), s); !problem.empty()) return bad(problem);
        if (std::find(list.begin(), list.end(), s) != list.end()) return bad(hostPort(s) + " is listed twice");
        list.push_back(s);
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    a.host = list.front().host;
    a.port = list.front().port;
    a.moreServers.assign(list.begin() + 1, list.end());
    return a;
}

} // namespace twin::opscentre
