#include "nats_bus.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace app_nats {

namespace {

std::atomic<bool> gLibraryOpen{false};   // a Bus was made: libnats has threads to end

// A TLS file: the address's (a program's --bus-ca ...), else the environment's, else "".
std::string tlsFile(const std::string& given, const char* variable) {
    if (!given.empty()) return given;
    const char* env = std::getenv(variable);
    return env ? env : "";
}

// Why a connection failed, with what a person can do about it where libnats' words are terse.
std::string connectFailure(const twin::opscentre::BusAddress& a, const std::string& ca, bool clientCertificate,
                           natsStatus s) {
    std::string line = describe("cannot connect to " + a.display(), s);
    if (s == NATS_SSL_ERROR)
        line += ca.empty() ? " (TLS: no CA to check the server's certificate with: --bus-ca FILE or COLOSSUS_BUS_CA)"
                           : " (TLS: the server's certificate checked against the CA in " + ca + ")";
    else if (s == NATS_SECURE_CONNECTION_WANTED)
        line += " (tls:// but the server does not offer TLS)";
    else if (s == NATS_PROTOCOL_ERROR && (a.tls || !ca.empty()) && !clientCertificate)
        // TLS 1.3: the server checks the client's certificate after the handshake, then hangs up.
        line += " (the server closed the connection after TLS: does it require a client certificate? --bus-cert, --bus-key)";
    return line;
}

// A user name usable in a subject (the per-user inbox _INBOX_<user>).
bool subjectToken(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

} // namespace

std::string describe(const std::string& what, natsStatus s) {
    natsStatus last = NATS_OK;
    const char* text = nats_GetLastError(&last);
    std::string why = (text && *text) ? text : natsStatus_GetText(s);
    // libnats prefixes where in its sources it noticed: "(conn.c:1905): Authorization Violation".
    if (const auto end = why.find("): "); !why.empty() && why.front() == '(' && end != std::string::npos)
        why = why.substr(end + 3);
    return what + ": " + why;
}

void closeLibrary(int timeoutMs) {
    if (!gLibraryOpen.exchange(false)) return;
    if (nats_CloseAndWait(timeoutMs) != NATS_OK) return;
    // libnats (3.4) frees OpenSSL's list of compression methods when it closes, and OpenSSL's own
    // clean-up at exit would free it again (a crash at exit after a TLS connection): OpenSSL is
    // told the list is gone. It is empty in OpenSSL 3 (no compression), so nothing is lost.
    SSL_COMP_set0_compression_methods(nullptr);
}

Bus::Bus(const twin::opscentre::BusAddress& address, const std::string& clientName) : address_(address) {
    gLibraryOpen = true;
    natsOptions* opts = nullptr;
    natsStatus s = natsOptions_Create(&opts);
    // Every server of the list: libnats picks one (in random order, spreading the viewers) and
    // fails over to the others, and to those the cluster announces, when it goes away.
    const std::vector<std::string> urls = address.serverUrls();
    std::vector<const char*> urlList;
    for (const auto& u : urls) urlList.push_back(u.c_str());
    if (s == NATS_OK) s = natsOptions_SetServers(opts, urlList.data(), static_cast<int>(urlList.size()));
    if (s == NATS_OK) s = natsOptions_SetName(opts, clientName.c_str());
    if (s == NATS_OK && !address.user.empty()) {
        s = natsOptions_SetUserInfo(opts, address.user.c_str(), address.password.c_str());
        // Replies (JetStream's answers, a consumer's messages) to this user's own inbox, so the
        // server configuration can keep users from reading each other's (docs/opscentre-server.conf).
        if (s == NATS_OK && subjectToken(address.user))
            s = natsOptions_SetCustomInboxPrefix(opts, ("_INBOX_" + address.user).c_str());
    }
    // TLS: tls:// insists on it; a nats:// server that requires it gets it too (libnats switches),
    // with the same trusted CA and client certificate.
    const std::string ca = tlsFile(address.caFile, "COLOSSUS_BUS_CA");
    const std::string cert = tlsFile(address.certFile, "COLOSSUS_BUS_CERT");
    const std::string key = tlsFile(address.keyFile, "COLOSSUS_BUS_KEY");
    std::string tlsProblem;
    if (s == NATS_OK && address.tls) s = natsOptions_SetSecure(opts, true);
    if (s == NATS_OK && !ca.empty() && (s = natsOptions_LoadCATrustedCertificates(opts, ca.c_str())) != NATS_OK)
        tlsProblem = "cannot load the CA certificates in " + ca + " (PEM)";
    if (s == NATS_OK && (!cert.empty() || !key.empty())) {
        if (cert.empty() || key.empty()) {
            tlsProblem = "a client certificate needs both a certificate and its key (--bus-cert and --bus-key)";
            s = NATS_INVALID_ARG;
        } else if ((s = natsOptions_LoadCertificatesChain(opts, cert.c_str(), key.c_str())) != NATS_OK) {
            tlsProblem = "cannot load the client certificate " + cert + " with the key " + key + " (PEM)";
        }
    }
    if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 2000);
    // After the first connection: try again for ever, every 250 ms (a server restart, a network cut).
    if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, true);
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
    if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
    if (s == NATS_OK) s = natsOptions_SetPingInterval(opts, 2000);
    if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(opts, 2);
    if (s == NATS_OK) s = natsOptions_SetErrorHandler(opts, &Bus::onAsyncError, this);
    if (s == NATS_OK) s = natsConnection_Connect(&nc_, opts);
    natsOptions_Destroy(opts);
    if (!tlsProblem.empty()) throw BusError(address.display() + ": TLS: " + tlsProblem);
    if (s != NATS_OK) throw BusError(connectFailure(address, ca, !cert.empty(), s));
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    s = natsConnection_JetStream(&js_, nc_, &jo);
    if (s != NATS_OK) {
        natsConnection_Destroy(nc_);
        nc_ = nullptr;
        throw BusError(describe("no JetStream at " + address.display(), s));
    }
}

Bus::~Bus() {
    jsCtx_Destroy(js_);
    if (nc_) {
        natsConnection_Close(nc_);
        natsConnection_Destroy(nc_);
    }
}

void Bus::onAsyncError(natsConnection* nc, natsSubscription*, natsStatus err, void* self) {
    if (err != NATS_NOT_PERMITTED) return;
    const char* text = nullptr;
    natsConnection_GetLastError(nc, &text);
    auto* bus = static_cast<Bus*>(self);
    std::lock_guard lock(bus->mutex_);
    bus->refusal_ = text && *text ? text : "not permitted";
}

std::string Bus::refusal() const {
    std::lock_guard lock(mutex_);
    return refusal_;
}

bool Bus::connected() const { return natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED; }

std::string Bus::connectedServer() const {
    char url[512] = {};
    return natsConnection_GetConnectedUrl(nc_, url, sizeof url) == NATS_OK ? url : "";
}

std::uint64_t Bus::reconnects() const {
    natsStatistics* st = nullptr;
    std::uint64_t r = 0;
    if (natsStatistics_Create(&st) == NATS_OK && natsConnection_GetStats(nc_, st) == NATS_OK)
        natsStatistics_GetCounts(st, nullptr, nullptr, nullptr, nullptr, &r);
    natsStatistics_Destroy(st);
    return r;
}

bool Bus::streamExists() {
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetStreamInfo(&si, js_, address_.stream().c_str(), nullptr, &err);
    jsStreamInfo_Destroy(si);
    if (s == NATS_OK) return true;
    if (s == NATS_NOT_FOUND || err == JSStreamNotFoundErr) return false;
    if (const std::string r = refusal(); !r.empty())
        throw BusError(address_.display() + ": refused by the server: " + r + " (credentials without rights on this twin)");
    throw BusError(describe("cannot look up stream " + address_.stream() + " at " + address_.display(), s));
}

Retention Bus::streamLimits(const Retention& fallback) {
    Retention r = fallback;
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    if (js_GetStreamInfo(&si, js_, address_.stream().c_str(), nullptr, &err) == NATS_OK && si->Config) {
        if (si->Config->MaxBytes > 0) r.maxBytes = si->Config->MaxBytes;
        if (si->Config->MaxAge > 0) r.maxAgeS = std::max<std::int64_t>(1, si->Config->MaxAge / 1'000'000'000ll);
    }
    jsStreamInfo_Destroy(si);
    return r;
}

void Bus::ensureStream(const Retention& r) {
    const std::string name = address_.stream();
    const std::string subjects = address_.allSubjects();
    const char* list[] = {subjects.c_str()};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = name.c_str();
    cfg.Subjects = list;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.Retention = js_LimitsPolicy;
    cfg.Discard = js_DiscardOld;
    cfg.MaxAge = r.maxAgeS * 1'000'000'000ll;   // nanoseconds
    cfg.MaxBytes = r.maxBytes;
    cfg.Duplicates = 120ll * 1'000'000'000ll;   // a part published again within 2 min is dropped
    cfg.Replicas = r.replicas;
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_AddStream(&si, js_, &cfg, nullptr, &err);
    jsStreamInfo_Destroy(si);
    if (s == NATS_OK || err == JSStreamNameExistErr) return;
    // More replicas than servers: a lone server says "replicas > 1 not supported in non-clustered
    // mode", a cluster "no suitable peers for placement"; nothing is created.
    if (r.replicas > 1 && (err == JSStreamReplicasNotSupportedErr || err == JSClusterNoPeersErr))
        throw BusError(describe("cannot create stream " + name + " with " + std::to_string(r.replicas) +
                                    " replicas at " + address_.display(), s) +
                       " (--replicas: at most the number of JetStream servers in the cluster)");
    // The server cannot reserve the stream's bytes (libnats says only "Error"): say what to change.
    if (err == JSStorageResourcesExceededErr || err == JSInsufficientResourcesErr || err == JSAccountResourcesExceededErr)
        throw BusError("cannot create stream " + name + " at " + address_.display() + ": the server's JetStream storage cannot reserve another " +
                       std::to_string(r.maxBytes >> 20) + " MiB (JetStream error " + std::to_string(err) +
                       ": insufficient storage resources; raise max_file_store or the account's limits in the server's "
                       "configuration, free disk, delete unused streams, or make the stream beforehand with a smaller "
                       "max_bytes: docs/opscentre.md)");
    // The stream exists with another configuration (another retention): keep it as it is.
    if (const std::string r = refusal(); !r.empty())
        throw BusError(address_.display() + ": refused by the server: " + r + " (credentials without rights on this twin)");
    if (streamExists()) return;
    throw BusError(describe("cannot create stream " + name + " at " + address_.display(), s));
}

} // namespace app_nats
