// The thin NATS layer of the operations centre (docs/opscentre.md): a connection to a NATS server
// with its JetStream context (libnats), the twin's stream made with bounded retention, and libnats
// errors as one line. The protocol itself is twin/opscentre (no network there).
#pragma once

#include "twin/opscentre/bus_address.h"

#include <nats/nats.h>

#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>

namespace app_nats {

// A failure talking to the server, in one line: what was tried, libnats' reason.
struct BusError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The stream's retention (docs/opscentre.md, "Stream and subjects") and its copies on a cluster.
struct Retention {
    std::int64_t maxAgeS = 24 * 3600;           // a day
    std::int64_t maxBytes = 8ll << 30;          // 8 GiB
    int replicas = 1;                           // servers holding the stream, 1 to 5 (--replicas)
};

// "what: libnats' text (its last error)".
std::string describe(const std::string& what, natsStatus s);

// Ends libnats, for a program that used the bus: call it after destroying every NATS object,
// before main returns. It waits (at most `timeoutMs`) until libnats' own threads (timers,
// callbacks, reconnects) have finished; left to the clean-up at exit, they race it when a
// connection was closed mid-reconnect (a failover). Does nothing when no Bus was ever made.
void closeLibrary(int timeoutMs = 5000);

class Bus {
public:
    // Connects (a bounded wait) to one of the address's servers and opens the JetStream context;
    // reconnects by itself afterwards, to any server of the list (or that the cluster announced).
    // TLS: for tls:// or when the server requires it, checked against the address's CA file (or
    // COLOSSUS_BUS_CA's). With credentials, replies come to _INBOX_<user>.> (docs/opscentre.md).
    // Throws BusError: unreachable, refused credentials ("authorization violation"), TLS failures.
    explicit Bus(const twin::opscentre::BusAddress& address, const std::string& clientName);
    ~Bus();
    Bus(const Bus&) = delete;
    Bus& operator=(const Bus&) = delete;

    natsConnection* connection() const { return nc_; }
    jsCtx* js() const { return js_; }
    bool connected() const;
    std::string connectedServer() const;   // nats://HOST:PORT of the server it is connected to, or ""
    std::uint64_t reconnects() const;
    const twin::opscentre::BusAddress& address() const { return address_; }

    // The last "not permitted" the server sent (its credentials do not allow what was tried), or "".
    std::string refusal() const;

    // Creates the twin's stream (file storage, bounded by `retention`, on `retention.replicas`
    // servers) unless it exists.
    void ensureStream(const Retention& retention);
    bool streamExists();
    // The stream's limits as the server has them (an operator may have sized it differently);
    // `fallback` for what it does not limit or when it cannot be read.
    Retention streamLimits(const Retention& fallback);

private:
    static void onAsyncError(natsConnection* nc, natsSubscription* sub, natsStatus err, void* self);

    twin::opscentre::BusAddress address_;
    mutable std::mutex mutex_;
    std::string refusal_;
    natsConnection* nc_ = nullptr;
    jsCtx* js_ = nullptr;
};

} // namespace app_nats
