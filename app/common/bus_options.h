// The bus options that colossus-sim and colossus-ingest (with --publish) and colossus-twin (with a
// nats:// or tls:// store) share: TLS files and, for a publisher, the stream's replicas on a
// cluster (docs/opscentre.md, "A cluster" and "TLS"). Header-only: the programs parse with Qt,
// app_nats does not use it.
#pragma once

#include "nats_bus.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QList>

namespace app_nats {

struct BusOptions {
    std::string caFile, certFile, keyFile;   // "": the environment's (COLOSSUS_BUS_CA, ...) or none
    int replicas = 1;                        // a publisher's --replicas

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
        list.prepend({"replicas", "With --publish: the servers of a JetStream cluster that keep a copy of the twin's "
                                  "stream, 1 to 5 (default 1; applies when the publisher creates the stream).", "N"});
    return list;
}

// Reads the options into `out`; "" or a one-line error. `busGiven`: the command line has a bus
// address (else these options are refused, `needs` saying what they need); `publisher`: --replicas
// was declared.
inline std::string readBusOptions(const QCommandLineParser& p, bool busGiven, bool publisher, const std::string& needs,
                                  BusOptions& out) {
    for (const char* name : {"bus-ca", "bus-cert", "bus-key", "replicas"}) {
        if ((!publisher && std::string(name) == "replicas") || !p.isSet(name)) continue;
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
    return {};
}

} // namespace app_nats
