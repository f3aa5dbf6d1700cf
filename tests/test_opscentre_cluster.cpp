// The operations centre deployed as it is in a real operations centre (docs/opscentre.md, "A
// cluster" and "TLS"), with real nats-server children on loopback:
// - a three-server JetStream cluster: colossus-sim --publish nats://A,B,C/TWIN --replicas 3 and
//   three followers; the stream's leader, which a follower is connected to, is killed (SIGKILL)
//   mid-run; the run goes on, and every follower's replica ends holding exactly the writer's
//   frames, samples, events and jobs: no frame lost, none twice. More replicas than servers: one line.
// - TLS: a server with a certificate made at test time by a CA made at test time (openssl); a
//   writer and followers given the CA (--bus-ca, COLOSSUS_BUS_CA) follow it exactly; without the
//   CA, with another CA, or tls:// to a server without TLS: one line naming the address and the
//   problem (colossus-twin exits 1); a server that verifies clients takes only a client certificate
//   signed by its CA.
#include "support/app_process.h"
#include "support/data_files.h"
#include "support/nats_cluster.h"
#include "support/replica_match.h"
#include "support/store_compare.h"

#include "nats_follower.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace twin;

using testsupport::waitForMatch;

namespace {

const QString kSim = QString(TEST_BIN_DIR) + "/colossus-sim";

opscentre::BusAddress parse(const QString& text) {
    std::string why;
    const auto a = opscentre::parseBusAddress(text.toStdString(), &why);
    if (!a) qFatal("%s", why.c_str());
    return *a;
}

// colossus-sim on the small campus, live at `speed`, publishing to `url` with `more` options.
void startSim(QProcess& sim, const QString& out, const QString& url, int durationS, double speed,
              const QStringList& more = {}) {
    sim.setProcessChannelMode(QProcess::MergedChannels);
    sim.start(kSim, QStringList{"--site", QString::fromStdString(testsupport::siteFile("small.json")), "--scenario",
                                "turbine-trip", "--duration", QString::number(durationS), "--live", "--speed",
                                QString::number(speed), "--out", out, "--publish", url} +
                        more);
    sim.waitForStarted();
}

bool finish(QProcess& sim, QString* output, int timeoutMs = 60000) {
    // waitForFinished() is false for a process that has already finished, which it may have
    // done while a QTRY_ loop ran the event loop: then it is not waited for.
    const bool finished = sim.state() == QProcess::NotRunning || sim.waitForFinished(timeoutMs);
    const bool ok = finished && sim.exitStatus() == QProcess::NormalExit && sim.exitCode() == 0;
    // How it ended first: QtTest cuts long messages, and a failure must say whether the program
    // crashed, exited non-zero or did not end.
    *output = (finished ? QString("[%1, exit code %2] ").arg(sim.exitStatus() == QProcess::NormalExit ? "ended" : "crashed").arg(sim.exitCode())
                        : QString("[still running after %1 s] ").arg(timeoutMs / 1000)) +
              QString::fromUtf8(sim.readAll().right(3000));
    return ok;
}


// Until the cluster can place a stream on all its servers (JetStream has a meta leader and knows
// every peer): a probe stream with that many replicas is made, then removed. "" or the last error.
std::string waitForJetStreamCluster(const opscentre::BusAddress& a, int replicas, int timeoutMs = 15000) {
    app_nats::Bus bus(a, "cluster probe");
    // Asked often with a short wait: before the meta leader is elected, requests go unanswered.
    jsCtx* js = nullptr;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 300;
    if (natsConnection_JetStream(&js, bus.connection(), &jo) != NATS_OK) return "no JetStream context";
    std::string last = "no answer";
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const char* subjects[] = {"probe.cluster"};
        jsStreamConfig cfg;
        jsStreamConfig_Init(&cfg);
        cfg.Name = "PROBE";
        cfg.Subjects = subjects;
        cfg.SubjectsLen = 1;
        cfg.Replicas = replicas;
        jsStreamInfo* si = nullptr;
        jsErrCode err = static_cast<jsErrCode>(0);
        const natsStatus s = js_AddStream(&si, js, &cfg, nullptr, &err);
        jsStreamInfo_Destroy(si);
        if (s == NATS_OK) {
            js_DeleteStream(bus.js(), "PROBE", nullptr, nullptr);
            jsCtx_Destroy(js);
            return {};
        }
        last = app_nats::describe("probe stream", s);
        QThread::msleep(100);
    }
    jsCtx_Destroy(js);
    return last;
}

struct StreamPlace {
    std::string leader;   // server name, "" while it has none
    int replicas = 0;     // configured
    int peers = 0;        // servers holding it (the leader and its replicas)
    std::uint64_t lastSeq = 0;
};

// Where the stream is, asked with a short wait (during an election nobody answers).
StreamPlace streamPlace(app_nats::Bus& bus, const std::string& stream) {
    StreamPlace p;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 500;
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, bus.js(), stream.c_str(), &jo, nullptr) == NATS_OK && si) {
        p.replicas = static_cast<int>(si->Config->Replicas);
        p.lastSeq = si->State.LastSeq;
        if (si->Cluster && si->Cluster->Leader) {
            p.leader = si->Cluster->Leader;
            p.peers = 1 + si->Cluster->ReplicasLen;
        }
    }
    jsStreamInfo_Destroy(si);
    return p;
}

// openssl at test time, in `dir`: a CA and a certificate it signs. "" or what failed.
QString openssl(const QString& dir, const QStringList& args) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("openssl", args);
    if (!p.waitForFinished(20000) || p.exitCode() != 0) return "openssl " + args.join(' ') + ": " + p.readAll();
    return {};
}

QString makeCa(const QString& dir, const QString& name) {
    return openssl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", name + ".key", "-out", name + ".pem", "-days", "1", "-subj", "/CN=" + name});
}

// `name`.pem and `name`.key signed by `ca`, for `subjectAltName` (IP:127.0.0.1 for a server).
QString makeCertificate(const QString& dir, const QString& ca, const QString& name, const QString& altName) {
    if (QString e = openssl(dir, {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                                  name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name});
        !e.isEmpty())
        return e;
    QFile ext(dir + "/" + name + ".ext");
    if (!ext.open(QIODevice::WriteOnly) || ext.write(("subjectAltName=" + altName + "\n").toUtf8()) < 0) return "cannot write " + ext.fileName();
    ext.close();
    return openssl(dir, {"x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                         "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext"});
}

} // namespace

class TestOpscentreCluster : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // The sample configuration of docs/opscentre.md for a cluster's server is one nats-server takes.
    void sampleClusterConfiguration() {
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(testsupport::NatsServer::program(), {"-t", "-c", QString(TEST_SOURCE_DIR) + "/../docs/opscentre-cluster.conf"});
        QVERIFY(check.waitForFinished(10000));
        const QString out = QString::fromUtf8(check.readAll());
        QVERIFY2(check.exitCode() == 0 && out.contains("is valid"), qPrintable(out));
    }

    // Three servers, a stream with three replicas, three followers; the stream's leader killed
    // mid-run: the writer and every follower go on, and every replica equals the writer's store.
    void clusterSurvivesOneServerDying() {
        QElapsedTimer clock;
        clock.start();
        testsupport::NatsCluster cluster;
        QString error = cluster.start(dir_.filePath("cluster"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto a = parse(cluster.urls() + "/trio");
        QCOMPARE(int(a.servers().size()), 3);
        const std::string ready = waitForJetStreamCluster(a, 3);
        QVERIFY2(ready.empty(), ready.c_str());
        qInfo("cluster of 3 ready for 3 replicas in %.1f s", clock.elapsed() / 1000.0);

        // More replicas than servers: nothing made, one line.
        {
            QProcess sim;
            startSim(sim, dir_.filePath("five.twin"), cluster.urls() + "/five", 4, 4, {"--replicas", "5"});
            QVERIFY(sim.waitForFinished(20000));
            const QString out = QString::fromUtf8(sim.readAll()).trimmed();
            QCOMPARE(sim.exitCode(), 1);
            qInfo("%s", qPrintable(out));
            QVERIFY2(out.contains("colossus-sim: --publish: cannot create stream TWIN_five with 5 replicas at " +
                                  cluster.urls() + "/five: no suitable peers for placement"),
                     qPrintable(out));
            QCOMPARE(out.count('\n'), 0);
        }

        std::vector<std::unique_ptr<app_nats::NatsFollower>> followers;
        for (int i = 0; i < 3; ++i) {
            followers.push_back(std::make_unique<app_nats::NatsFollower>(
                a, dir_.filePath(QString("trio-follower%1.twin").arg(i)).toStdString()));
            followers.back()->start();
        }
        const std::string writer = dir_.filePath("trio-writer.twin").toStdString();
        QProcess sim;
        // 16 s: nats-server 2.9 elects a stream's new leader 4 to 9 s after the old one died (its
        // Raft election timeout), and the run must outlast that (a writer that stops meanwhile
        // leaves its last commits for the next publisher on its store: docs/opscentre.md).
        const int durationS = 32;
        startSim(sim, QString::fromStdString(writer), QString::fromStdString(a.display()), durationS, 2,
                 {"--replicas", "3", "--snapshot-every", "4"});

        // Following: the stream made with three replicas, a leader, the followers under way.
        app_nats::Bus bus(a, "test observer");
        StreamPlace place;
        const QDeadlineTimer made(15000);
        auto writerSpanS = [&writer] {
            try {
                const TimeSpan sp = StoreReader::open(writer)->span();
                return sp.empty ? 0.0 : (sp.last - sp.first) / 1000.0;
            } catch (const std::exception&) {
                return 0.0;
            }
        };
        // A sixth of the run written and followed: early enough that the run outlasts the election.
        while (!made.hasExpired() && (place.leader.empty() || writerSpanS() < durationS / 6.0 ||
                                      followers[0]->status().streamSeq < 5)) {
            QThread::msleep(100);
            place = streamPlace(bus, a.stream());
        }
        QCOMPARE(place.replicas, 3);
        QCOMPARE(place.peers, 3);
        QVERIFY(followers[0]->status().streamSeq >= 5);
        // The victim: the stream's leader, and the server a follower is connected to. When no
        // follower is on the leader, the leader steps down until it is on one (a new election).
        auto onLeader = [&] {
            for (std::size_t i = 0; i < followers.size(); ++i)
                if (cluster.indexOfUrl(QString::fromStdString(followers[i]->status().server)) ==
                    cluster.indexOf(QString::fromStdString(place.leader)))
                    return int(i);
            return -1;
        };
        for (int tries = 0; onLeader() < 0 && tries < 8; ++tries) {
            natsMsg* reply = nullptr;
            natsConnection_RequestString(&reply, bus.connection(), ("$JS.API.STREAM.LEADER.STEPDOWN." + a.stream()).c_str(), "",
                                         3000);
            natsMsg_Destroy(reply);
            const std::string old = place.leader;
            const QDeadlineTimer elected(5000);
            do {
                QThread::msleep(100);
                place = streamPlace(bus, a.stream());
            } while (!elected.hasExpired() && (place.leader.empty() || place.leader == old));
        }
        const int watcher = onLeader();
        QVERIFY2(watcher >= 0, "no follower connected to the stream's leader");
        const int victim = cluster.indexOf(QString::fromStdString(place.leader));
        QVERIFY(victim >= 0);
        const std::uint64_t before = followers[std::size_t(watcher)]->status().streamSeq;
        const std::uint64_t streamBefore = streamPlace(bus, a.stream()).lastSeq;
        qInfo("killing %s (the stream's leader, at message %llu; follower %d on it, at %llu) at %.1f s", place.leader.c_str(),
              static_cast<unsigned long long>(streamBefore), watcher, static_cast<unsigned long long>(before),
              clock.elapsed() / 1000.0);
        QVERIFY(cluster.server(victim).kill());
        QVERIFY(sim.state() == QProcess::Running);   // mid-run

        // The run goes on: a new leader, the stream and the followers past where they were.
        QTRY_VERIFY_WITH_TIMEOUT(!streamPlace(bus, a.stream()).leader.empty() &&
                                     streamPlace(bus, a.stream()).leader != cluster.name(victim).toStdString(),
                                 15000);
        qInfo("a new leader, %s, at %.1f s", streamPlace(bus, a.stream()).leader.c_str(), clock.elapsed() / 1000.0);
        QTRY_VERIFY_WITH_TIMEOUT(streamPlace(bus, a.stream()).lastSeq > streamBefore + 2, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(followers[std::size_t(watcher)]->status().streamSeq > streamBefore + 2, 15000);
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        QVERIFY2(output.contains("published"), qPrintable(output));
        qInfo("the run ended at %.1f s", clock.elapsed() / 1000.0);
        for (const QString& line : output.split('\n'))   // what the election cost the writer
            if (line.startsWith("publisher:") || line.startsWith("published")) qInfo("  %s", qPrintable(line));
        for (std::size_t i = 0; i < followers.size(); ++i) {
            const auto& f = *followers[i];
            const std::string diff = waitForMatch(writer, f);
            const auto st = f.status();
            QVERIFY2(diff.empty(), (diff + " (follower " + std::to_string(i) + " at " + std::to_string(st.streamSeq) +
                                    ", " + st.server + ", " + st.problem + ")\n" + output.toStdString())
                                       .c_str());
            QCOMPARE(st.counts.rejected, std::uint64_t(0));
            QVERIFY(st.connected);
            QVERIFY2(cluster.indexOfUrl(QString::fromStdString(st.server)) != victim, st.server.c_str());
        }
        auto w = StoreReader::open(writer);
        QVERIFY(testsupport::frameCount(*w) >= std::size_t(durationS));   // there was something to compare
        QVERIFY(!w->events(0, std::numeric_limits<TimeMs>::max() / 2).empty());
        QVERIFY(!w->jobs().empty());
        const StreamPlace after = streamPlace(bus, a.stream());
        QCOMPARE(after.replicas, 3);
        QVERIFY(after.leader != cluster.name(victim).toStdString());
        QCOMPARE(streamPlace(bus, "OBJ_twin_trio").replicas, 3);   // the snapshots' bucket too
        qInfo("followers equal to the writer at %.1f s", clock.elapsed() / 1000.0);
    }

    // TLS with certificates made here: a CA, a server certificate for 127.0.0.1 it signs, another CA.
    void tls() {
        const QString pki = dir_.filePath("pki");
        for (const char* folder : {"pki", "tls", "plain", "mtls"}) QVERIFY(QDir().mkpath(dir_.filePath(folder)));
        for (const QString& e : {makeCa(pki, "ca"), makeCa(pki, "other-ca"),
                                 makeCertificate(pki, "ca", "server", "IP:127.0.0.1"),
                                 makeCertificate(pki, "ca", "client", "DNS:viewer.example")})
            QVERIFY2(e.isEmpty(), qPrintable(e));
        const QString ca = pki + "/ca.pem", otherCa = pki + "/other-ca.pem";
        testsupport::NatsServer server;
        const QString error = server.start(dir_.filePath("tls"), "tls {\n  cert_file: \"" + pki + "/server.pem\"\n  key_file: \"" +
                                                                      pki + "/server.key\"\n}\n");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString host = "127.0.0.1:" + QString::number(server.port());

        // A writer and two followers given the CA: one by tls:// and the option's field, one by
        // nats:// (the server requires TLS) and COLOSSUS_BUS_CA.
        auto secure = parse("tls://" + host + "/secure");
        secure.caFile = ca.toStdString();
        app_nats::NatsFollower byOption(secure, dir_.filePath("tls-follower.twin").toStdString());
        byOption.start();
        qputenv("COLOSSUS_BUS_CA", ca.toUtf8());
        app_nats::NatsFollower byEnvironment(parse("nats://" + host + "/secure"), dir_.filePath("env-follower.twin").toStdString());
        byEnvironment.start();
        qunsetenv("COLOSSUS_BUS_CA");
        const std::string writer = dir_.filePath("tls-writer.twin").toStdString();
        QProcess sim;
        startSim(sim, QString::fromStdString(writer), "tls://" + host + "/secure", 8, 4, {"--bus-ca", ca});
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        for (const auto* f : {&byOption, &byEnvironment}) {
            const std::string diff = waitForMatch(writer, *f);
            QVERIFY2(diff.empty(), (diff + " / " + f->status().problem).c_str());
        }
        QVERIFY(testsupport::frameCount(*StoreReader::open(writer)) >= 8);

        // Without the CA, with another CA: one line, exit 1, naming the address and the problem.
        QString err;
        QCOMPARE(testsupport::runApp({"tls://" + host + "/secure"}, &err, 30000), 1);
        qInfo("%s", qPrintable(err));
        QVERIFY2(err.startsWith("colossus-twin: cannot connect to tls://" + host + "/secure: SSL handshake error: ") &&
                     err.contains("unable to get local issuer certificate") &&
                     err.endsWith("(TLS: no CA to check the server's certificate with: --bus-ca FILE or COLOSSUS_BUS_CA)"),
                 qPrintable(err));
        QCOMPARE(err.count('\n'), 0);
        QCOMPARE(testsupport::runApp({"nats://" + host + "/secure", "--bus-ca", otherCa}, &err, 30000), 1);
        qInfo("%s", qPrintable(err));
        QVERIFY2(err.startsWith("colossus-twin: cannot connect to nats://" + host + "/secure: SSL handshake error: ") &&
                     err.endsWith("(TLS: the server's certificate checked against the CA in " + otherCa + ")"),
                 qPrintable(err));
        QCOMPARE(err.count('\n'), 0);
        QCOMPARE(testsupport::runApp({"--bus-ca", ca}, &err, 30000), 1);
        QCOMPARE(err, "colossus-twin: --bus-ca only applies to a nats:// or tls:// STORE");
        QCOMPARE(testsupport::runApp({"tls://" + host + "/secure", "--bus-ca", pki + "/missing.pem"}, &err, 30000), 1);
        QCOMPARE(err, "colossus-twin: --bus-ca: '" + pki + "/missing.pem' cannot be read");

        // tls:// to a server without TLS; replicas on a lone server.
        testsupport::NatsServer plain;
        QVERIFY(plain.start(dir_.filePath("plain")).isEmpty());
        const QString plainHost = "127.0.0.1:" + QString::number(plain.port());
        try {
            app_nats::Bus bus(parse("tls://" + plainHost + "/x"), "test");
            QFAIL("connected without TLS");
        } catch (const app_nats::BusError& e) {
            QCOMPARE(QString(e.what()), "cannot connect to tls://" + plainHost +
                                            "/x: Secure Connection not available (tls:// but the server does not offer TLS)");
        }
        QProcess lone;
        startSim(lone, dir_.filePath("lone.twin"), "nats://" + plainHost + "/lone", 4, 4, {"--replicas", "3"});
        QVERIFY(lone.waitForFinished(20000));
        QCOMPARE(lone.exitCode(), 1);
        const QString loneOut = QString::fromUtf8(lone.readAll()).trimmed();
        qInfo("%s", qPrintable(loneOut));
        QCOMPARE(loneOut, "colossus-sim: --publish: cannot create stream TWIN_lone with 3 replicas at nats://" + plainHost +
                              "/lone: replicas > 1 not supported in non-clustered mode (--replicas: at most the number "
                              "of JetStream servers in the cluster)");
    }

    // A server that verifies its clients (mutual TLS): a client certificate signed by its CA gets
    // in, none gets one line.
    void mutualTls() {
        const QString pki = dir_.filePath("pki");   // made by tls()
        QVERIFY(QFile::exists(pki + "/client.pem"));
        testsupport::NatsServer server;
        const QString error = server.start(dir_.filePath("mtls"), "tls {\n  cert_file: \"" + pki + "/server.pem\"\n  key_file: \"" +
                                                                       pki + "/server.key\"\n  ca_file: \"" + pki +
                                                                       "/ca.pem\"\n  verify: true\n}\n");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto a = parse("tls://127.0.0.1:" + QString::number(server.port()) + "/demo");
        a.caFile = (pki + "/ca.pem").toStdString();
        try {
            app_nats::Bus bus(a, "no client certificate");
            QFAIL("connected without a client certificate");
        } catch (const app_nats::BusError& e) {
            qInfo("%s", e.what());
            QVERIFY2(QString(e.what()).startsWith("cannot connect to " + QString::fromStdString(a.display()) + ": ") &&
                         QString(e.what()).endsWith("does it require a client certificate? --bus-cert, --bus-key)"),
                     e.what());
            QVERIFY(!QString(e.what()).contains('\n'));
        }
        a.certFile = (pki + "/client.pem").toStdString();
        a.keyFile = (pki + "/client.key").toStdString();
        app_nats::Bus bus(a, "with a client certificate");
        QVERIFY(bus.connected());
        a.keyFile.clear();
        try {
            app_nats::Bus half(a, "a certificate without its key");
            QFAIL("a certificate without its key was taken");
        } catch (const app_nats::BusError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(a.display()) +
                                            ": TLS: a client certificate needs both a certificate and its key (--bus-cert and --bus-key)");
        }
    }

    // The options on the writers' command lines: each misuse one line, exit status 2.
    void programOptions() {
        const QString site = QString::fromStdString(testsupport::siteFile("small.json"));
        const QString out = dir_.filePath("unused.twin");
        const QStringList run{"--site", site, "--scenario", "turbine-trip", "--duration", "4", "--out", out};
        const std::pair<QStringList, QString> cases[] = {
            {run + QStringList{"--replicas", "3"}, "colossus-sim: --replicas only applies with --publish"},
            {run + QStringList{"--bus-ca", "/etc/hostname"}, "colossus-sim: --bus-ca only applies with --publish"},
            {run + QStringList{"--publish", "nats://a/t", "--replicas", "0"}, "colossus-sim: --replicas: '0' is not a whole number from 1 to 5"},
            {run + QStringList{"--publish", "nats://a/t", "--replicas", "6"}, "colossus-sim: --replicas: '6' is not a whole number from 1 to 5"},
            {run + QStringList{"--publish", "nats://a/t", "--bus-ca", out}, "colossus-sim: --bus-ca: '" + out + "' cannot be read"},
            {run + QStringList{"--publish", "nats://a/t", "--bus-cert", "/etc/hostname"}, "colossus-sim: --bus-cert and --bus-key go together"},
            {run + QStringList{"--publish", "nats://a:1,a:1/t"},
             "colossus-sim: --publish: 'nats://a:1,a:1/t' is not nats://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]/TWIN "
             "(or tls://...): a:1 is listed twice"},
        };
        for (const auto& [args, line] : cases) {
            QProcess sim;
            sim.start(kSim, args);
            QVERIFY(sim.waitForFinished(10000));
            QCOMPARE(sim.exitCode(), 2);
            QCOMPARE(QString::fromUtf8(sim.readAllStandardError()).trimmed(), line);
            QVERIFY(!QFile::exists(out));
        }
        QProcess ingest;
        ingest.start(QString(TEST_BIN_DIR) + "/colossus-ingest",
                     {"--site", "small", "--inventory", "/dev/null", "--out", out, "--publish", "tls://a/t", "--bus-key", "/etc/hostname"});
        QVERIFY(ingest.waitForFinished(10000));
        QCOMPARE(ingest.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(ingest.readAllStandardError()).trimmed(), "colossus-ingest: --bus-cert and --bus-key go together");
    }

    // With credentials our programs take their replies on _INBOX_<user>.>, so the sample
    // configuration keeps a viewer from reading the writer's replies (and still lets it follow:
    // test_opscentre_nats' credentials test runs the same file).
    void perUserInboxes() {
        QTemporaryDir dir;
        testsupport::NatsServer server;
        QFile conf(QString(TEST_SOURCE_DIR) + "/../docs/opscentre-server.conf");
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(server.start(dir.path(), QString::fromUtf8(conf.readAll())).isEmpty());
        const QString host = "127.0.0.1:" + QString::number(server.port());
        app_nats::Bus viewer(parse("nats://viewer:viewer-secret@" + host + "/demo"), "viewer");
        natsSubscription* own = nullptr;
        QCOMPARE(int(natsConnection_SubscribeSync(&own, viewer.connection(), "_INBOX_viewer.test")), int(NATS_OK));
        natsConnection_Flush(viewer.connection());
        QThread::msleep(200);
        QCOMPARE(viewer.refusal(), std::string());   // its own inbox: allowed
        natsSubscription* other = nullptr;
        natsConnection_SubscribeSync(&other, viewer.connection(), "_INBOX_writer.>");
        natsConnection_Flush(viewer.connection());
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromStdString(viewer.refusal()).contains("_INBOX_writer.>"), 5000);
        natsSubscription_Destroy(own);
        natsSubscription_Destroy(other);
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestOpscentreCluster)
#include "test_opscentre_cluster.moc"
