#include "support/nats_cluster.h"

#include "support/free_port.h"

#include <QDir>
#include <QSet>

namespace testsupport {

QString NatsCluster::start(const QString& dir, int size) {
    // Route ports first: every server's configuration names all of them.
    QList<int> routePorts;
    while (routePorts.size() < size) {
        const int p = freePort();
        if (p <= 0) return "no free port";
        if (!routePorts.contains(p)) routePorts << p;
    }
    QStringList routes;
    for (int p : routePorts) routes << "nats-route://127.0.0.1:" + QString::number(p);
    for (int i = 0; i < size; ++i) {
        const QString own = dir + "/" + name(i);
        if (!QDir().mkpath(own)) return own + ": cannot make the folder";
        const QString config = "server_name: " + name(i) + "\n" +
                               "cluster {\n  name: opscentre\n  listen: 127.0.0.1:" + QString::number(routePorts[i]) +
                               "\n  routes: [" + routes.join(", ") + "]\n}\n";
        servers_.push_back(std::make_unique<NatsServer>());
        if (const QString error = servers_.back()->start(own, config); !error.isEmpty())
            return name(i) + ": " + error;
    }
    return {};
}

int NatsCluster::indexOf(const QString& serverName) const {
    for (int i = 0; i < size(); ++i)
        if (name(i) == serverName) return i;
    return -1;
}

int NatsCluster::indexOfUrl(const QString& url) const {
    for (int i = 0; i < size(); ++i)
        if (servers_[static_cast<std::size_t>(i)]->url() == url) return i;
    return -1;
}

QString NatsCluster::urls() const {
    QStringList list;
    for (const auto& s : servers_) list << s->url().mid(QString("nats://").size());
    return "nats://" + list.join(",");
}

} // namespace testsupport
