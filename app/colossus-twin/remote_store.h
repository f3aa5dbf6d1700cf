// colossus-twin nats://HOST:PORT/TWIN: the twin followed from its JetStream stream into a local
// replica (app_nats NatsFollower), which the window then opens as a live store. The replica is
// kept in the user's cache folder, one per server and twin, and resumed at the next start.
#pragma once

#include "nats_follower.h"

#include <QString>

#include <memory>

namespace colossus_twin {

class RemoteStore {
public:
    explicit RemoteStore(twin::opscentre::BusAddress address);
    // Connects and follows; waits (processing events) until the replica exists, at most
    // `timeoutMs`. "" when it is ready, else one line saying why not (unreachable, refused
    // credentials, no such twin on the server).
    QString start(int timeoutMs = 15000);
    QString replicaPath() const;
    QString headerText() const;   // the source and how far behind it is
    QString displayName() const;  // nats://HOST:PORT/TWIN (no password)
    bool connected() const;

    static QString replicaPathFor(const twin::opscentre::BusAddress& a);

private:
    twin::opscentre::BusAddress address_;
    std::unique_ptr<app_nats::NatsFollower> follower_;
};

} // namespace colossus_twin
