// A JetStream cluster of real nats-server children (Debian's 2.9) for the opscentre tests: each on
// 127.0.0.1 with a free client port and a free route port, its name (n1, n2, ...), its store_dir and
// log in its own folder of the test's temporary folder; all routes to all (docs/opscentre-cluster.conf
// is the same configuration for real machines). Stopped when the test ends.
#pragma once

#include "support/nats_server.h"

#include <memory>
#include <vector>

namespace testsupport {

class NatsCluster {
public:
    // Starts `size` servers in `dir`/n1, `dir`/n2, ... and waits until each takes connections
    // (not until JetStream has a meta leader: ask the cluster for that). Empty, or why not.
    QString start(const QString& dir, int size = 3);
    int size() const { return static_cast<int>(servers_.size()); }
    NatsServer& server(int i) { return *servers_.at(static_cast<std::size_t>(i)); }
    static QString name(int i) { return "n" + QString::number(i + 1); }   // its server_name
    int indexOf(const QString& serverName) const;                           // -1: none
    int indexOfUrl(const QString& url) const;                               // nats://127.0.0.1:PORT, -1: none
    // nats://127.0.0.1:P1,127.0.0.1:P2,...  (an address: add /TWIN)
    QString urls() const;

private:
    std::vector<std::unique_ptr<NatsServer>> servers_;
};

} // namespace testsupport
