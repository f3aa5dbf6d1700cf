// The bus options that colossus-sim and colossus-ingest (with --publish) and colossus-twin (with a
// nats:// or tls:// store) share: TLS files and, for a publisher, the stream's replicas on a
// cluster and when it takes snapshots (docs/opscentre.md, "A cluster", "TLS" and "Snapshots"). Header-only: the programs parse with Qt,
// app_nats does not use it.
#pragma once

#include "nats_bus.h"
#include "nats_publisher.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QList>

namespace app_nats {

struct BusOptions {
    std::string caFile, certFile, keyFile;   // "": the environment's (COLOSSUS_BUS_CA, ...) or none
    int replicas = 1;                        // a publisher's --replicas
    SnapshotPolicy snapshots;                // a publisher's --snapshot-every

    void applyTo(twin::opscentre::BusAddress& a) const {
        a.caFile = caFile;
        a.certFile = certFile;
        a.keyFile = keyFile;
    }
};

inline QList<QCommandLineOption> busCommandLineOptions(bool publisher) {
    QList<QCommandLineOption> list{
        {"bus-ca", "TLS to the NATS servers: the CA certificates (PEM) their certificates are checked against "
                   "(default: $COLOSSUS_BUS_CA).", "FILE"},
        {"bus-cert", "TLS: this program's certificate (PEM), for servers that verify clients; with --bus-key "
                     "(default: $COLOSSUS_BUS_CERT).", "FILE"},
        {"bus-key", "TLS: the private key (PEM) of --bus-cert (default: $COLOSSUS_BUS_KEY).", "FILE"},
    };
    if (publisher)
        list.prepend({"snapshot-every", "With --publish: when to put a snapshot of the store in the twin's object store for "
                                        "newcomers: auto (default: when the stream since the last one adds up to half the "
                                        "store's size, at most every 60 s), off, or every SECONDS.",
                      "auto|off|SECONDS"});
    if (publisher)
        list.prepend({"replicas", "With --publish: the servers of a JetStream cluster that keep a copy of the twin's "
                                  "stream, 1 to 5 (default 1; applies when the publisher creates the stream).", "N"});
    return list;
}

// Reads the options into `out`; "" or a one-line error. `busGiven`: the command line has a bus
// address (else these options are refused, `needs` saying what they need); `publisher`: --replicas
// and --snapshot-every were declared.
inline std::string readBusOptions(const QCommandLineParser& p, bool busGiven, bool publisher, const std::string& needs,
                                  BusOptions& out) {
    for (const char* name : {"bus-ca", "bus-cert", "bus-key", "replicas", "snapshot-every"}) {
        const bool publisherOnly = std::string(name) == "replicas" || std::string(name) == "snapshot-every";
        if ((!publisher && publisherOnly) || !p.isSet(name)) continue;
        if (!busGiven) return std::string("--") + name + " only applies " + needs;
    }
    for (auto [name, file] : {std::pair{"bus-ca", &out.caFile}, {"bus-cert", &out.certFile}, {"bus-key", &out.keyFile}}) {
        if (!p.isSet(name)) continue;
        const QString path = p.value(name);
        if (!QFileInfo(path).isFile() || !QFileInfo(path).isReadable())
            return std::string("--") + name + ": '" + path.toStdString() + "' cannot be read";
        *file = path.toStdString();
    }
    if (p.isSet("bus-cert") != p.isSet("bus-key")) return "--bus-cert and --bus-key go together";
    if (publisher && p.isSet("replicas")) {
        bool ok = false;
        const QString text = p.value("replicas").trimmed();
        out.replicas = text.toInt(&ok);
        if (!ok || text.startsWith('+') || out.replicas < 1 || out.replicas > 5)
            return "--replicas: '" + p.value("replicas").toStdString() + "' is not a whole number from 1 to 5";
    }
    if (publisher && p.isSet("snapshot-every")) {
        std::string why;
        const auto policy = parseSnapshotEvery(p.value("snapshot-every").toStdString(), &why);
        if (!policy) return "--snapshot-every: " + why;
        out.snapshots = *policy;
    }
    return {};
}

} // namespace app_nats
