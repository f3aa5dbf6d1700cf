// End to end with a real MQTT broker (Debian's mosquitto 2.0): colossus-sim --live --sparkplug
// publishes the small campus's plant as Sparkplug B edge nodes, colossus-ingest --mqtt records it,
// and the ingest's plant series must equal the simulator's within their precision at matching
// times. Then a seq gap injected by this test makes the ingest ask for a rebirth (its NCMD is seen
// on the broker, and the simulator is born again), and the simulator killed with SIGKILL (the
// broker publishes its Will, the NDEATH) turns every plant asset stale. Also: a broker with TLS and
// users (a certificate made by openssl, users by mosquitto_passwd), and the options and plant map
// errors on the command line. All on 127.0.0.1 in temporary folders, each part bounded to a
// minute; the child processes are killed on every path.
#include "mqtt_client.h"

#include "twin/campus_file.h"
#include "twin/ingest/sparkplug_payload.h"
#include "twin/store.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

using namespace twin;
namespace sp = twin::ingest::sparkplug;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
const QString kIngest = QString(TEST_BIN_DIR) + "/colossus-ingest";
const QString kSim = QString(TEST_BIN_DIR) + "/colossus-sim";
const QString kBroker = "/usr/sbin/mosquitto";
const char* const kPlantSeries[] = {"source", "turbine", "megapack", "bus", "flow"};
constexpr int kTimeLimitS = 60;

int freePort()
{
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    const bool ok = bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    close(s);
    return ok ? ntohs(a.sin_port) : 0;
}

bool waitFor(const std::function<bool()>& done, Clock::time_point deadline)
{
    while (Clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return done();
}

// What this test sees on the broker.
struct Observer {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> messages;   // topic, payload
    int count(const std::function<bool(const std::string&, const std::string&)>& match) {
        std::lock_guard lock(mutex);
        int n = 0;
        for (const auto& [t, p] : messages) n += match(t, p);
        return n;
    }
};

bool isRebirthRequest(const std::string& payload)
{
    sp::Payload p;
    if (!sp::decode(payload, p)) return false;
    for (const sp::Metric& m : p.metrics)
        if (m.name == "Node Control/Rebirth" && m.kind == sp::ValueKind::Boolean && m.bits) return true;
    return false;
}

} // namespace

class TestIngestMqtt : public QObject {
    Q_OBJECT

private slots:
    void commandLine();
    void securedBroker();
    void sparkplugSimToStore();
};

// Runs a program to its end: its exit code, stdout + stderr in *out.
static int runProgram(const QString& program, const QStringList& args, QString* out)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(20'000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    *out = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

// The options of the plant over MQTT, and the plant map's errors as the programs report them.
void TestIngestMqtt::commandLine()
{
    QTemporaryDir tmp;
    const QString site = QString::fromStdString(kSmall), out = tmp.filePath("x.twin");
    QString text;
    QCOMPARE(runProgram(kIngest, {"--write-plant-map", tmp.filePath("plant.csv"), "--site", site}, &text), 0);
    QVERIFY2(text.contains("24 rows"), qPrintable(text));
    QFile map(tmp.filePath("plant.csv"));
    QVERIFY(map.open(QIODevice::ReadOnly));
    const QByteArray header = map.readLine();
    QCOMPARE(header, QByteArray("kind,group,node,device,metric,topic,field,asset,quantity,scale,offset,stale_after\n"));
    map.close();

    QFile bad(tmp.filePath("bad.csv"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(header + "sparkplug,colossus,testsite,gts01,power_mw,,,testsite/gts01,power,1,0,\n"
                       "sparkplug,colossus,testsite,x,y,,,testsite/nope,power,1,0,\n");
    bad.close();
    QCOMPARE(runProgram(kIngest, {"--site", site, "--mqtt", "mqtt://127.0.0.1:1", "--plant-map", bad.fileName(),
                                  "--out", out}, &text), 1);
    QVERIFY2(text.contains(bad.fileName() + ":3: field 'asset': 'testsite/nope' is not a plant asset"), qPrintable(text));
    QVERIFY(!QFile::exists(out));   // nothing written on a bad map

    const struct { QStringList args; const char* message; } usage[] = {
        {{"--mqtt", "http://127.0.0.1:1883"}, "--mqtt: 'http://127.0.0.1:1883' is not mqtt://"},
        {{"--mqtt", "mqtt://127.0.0.1:1883", "--mqtt-ca", "ca.pem"}, "--mqtt-ca needs an mqtts:// broker"},
        {{"--mqtt", "mqtt://127.0.0.1:1883", "--mqtt-password-file", "pw"}, "--mqtt-password-file needs --mqtt-user"},
        {{"--mqtt", "mqtt://127.0.0.1:1883", "--listen", "127.0.0.1:0"}, "--listen is for the GPUs: it needs --inventory"},
        {{"--plant-map", "plant.csv"}, "--plant-map only applies with --mqtt"},
        {{"--mqtt", "mqtt://127.0.0.1:1883", "--sparkplug-host-id", "a/b"}, "may not hold '/'"},
        {{}, "missing --inventory"},
    };
    for (const auto& u : usage) {
        QCOMPARE(runProgram(kIngest, QStringList{"--site", site, "--out", out} + u.args, &text), 2);
        QVERIFY2(text.contains(u.message), qPrintable(text));
    }
    QCOMPARE(runProgram(kSim, {"--site", site, "--scenario", "steady-training", "--duration", "1", "--out", out,
                               "--sparkplug", "mqtt://127.0.0.1:1883"}, &text), 2);
    QVERIFY2(text.contains("--sparkplug only applies with --live"), qPrintable(text));
    QCOMPARE(runProgram(kSim, {"--site", site, "--scenario", "steady-training", "--duration", "1", "--out", out,
                               "--live", "--sparkplug", "mqtt://127.0.0.1:1883/a+b"}, &text), 2);
    QVERIFY2(text.contains("may not hold"), qPrintable(text));
    QVERIFY(!QFile::exists(out));
}

// A broker with TLS and users: the ingest connects with --mqtt-ca, --mqtt-user and
// --mqtt-password-file (its STATE reaches the broker), and is refused with a wrong password.
void TestIngestMqtt::securedBroker()
{
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString cert = tmp.filePath("cert.pem"), key = tmp.filePath("key.pem"), users = tmp.filePath("users");
    QString text;
    QCOMPARE(runProgram("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                                    "subjectAltName=IP:127.0.0.1"}, &text), 0);
    QFile(users).open(QIODevice::WriteOnly);
    QCOMPARE(runProgram("/usr/bin/mosquitto_passwd", {"-b", users, "plant", "s3cret"}, &text), 0);
    const auto writeLine = [&](const QString& name, const QString& line) {
        QFile f(tmp.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write((line + "\n").toUtf8());
    };
    writeLine("password", "s3cret");
    writeLine("wrong", "guess");
    const int port = freePort();
    QVERIFY(port > 0);
    // Run as root, mosquitto drops to its own user, which cannot read this private folder: keep ours.
    const passwd* me = getpwuid(getuid());
    writeLine("mosquitto.conf", QString("listener %1 127.0.0.1\ncafile %2\ncertfile %2\nkeyfile %3\n"
                                        "allow_anonymous false\npassword_file %4\npersistence false\nuser %5")
                                    .arg(port).arg(cert, key, users, me ? me->pw_name : "mosquitto"));
    QProcess broker;
    broker.setProcessChannelMode(QProcess::MergedChannels);
    broker.setStandardOutputFile(tmp.filePath("mosquitto.log"));
    broker.start(kBroker, {"-c", tmp.filePath("mosquitto.conf")});
    QVERIFY(broker.waitForStarted());
    const auto stopBroker = qScopeGuard([&] {
        broker.kill();
        broker.waitForFinished(2000);
    });
    const QString url = QString("mqtts://127.0.0.1:%1").arg(port);

    Observer seen;
    app_common::MqttConfig c;
    c.url = app_common::parseMqttUrl(url.toStdString());
    c.clientId = "test-observer-tls";
    c.user = "plant";
    c.password = "s3cret";
    c.caFile = cert.toStdString();
    c.onConnect = [] {};
    c.onMessage = [&seen](const std::string& topic, std::string_view payload) {
        std::lock_guard lock(seen.mutex);
        seen.messages.emplace_back(topic, std::string(payload));
    };
    app_common::MqttClient observer(c);
    observer.start();
    QVERIFY2(waitFor([&] { return observer.connected(); }, deadline), "the test's client did not connect with TLS");
    QVERIFY(observer.subscribe("spBv1.0/STATE/#", 1));

    const auto runIngest = [&](const QString& passwordFile, const QString& hostId, QProcess& p) {
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(kIngest, {"--site", QString::fromStdString(kSmall), "--mqtt", url, "--mqtt-ca", cert, "--mqtt-user",
                          "plant", "--mqtt-password-file", tmp.filePath(passwordFile), "--sparkplug-host-id", hostId,
                          "--out", tmp.filePath(hostId + ".twin"), "--report-every", "1"});
        return p.waitForStarted();
    };
    QProcess good, refused;
    QVERIFY(runIngest("password", "host-good", good));
    QVERIFY(runIngest("wrong", "host-refused", refused));
    const auto killIngest = qScopeGuard([&] {
        good.kill();
        refused.kill();
        good.waitForFinished(2000);
        refused.waitForFinished(2000);
    });
    QVERIFY2(waitFor([&] {
        return seen.count([](const std::string& t, const std::string& p) {
                   return t == "spBv1.0/STATE/host-good" && p.find("\"online\":true") != std::string::npos;
               }) > 0;
    }, deadline), qPrintable(good.readAll()));
    QString refusedOut;
    QVERIFY2(waitFor([&] {
        refused.waitForReadyRead(10);
        refusedOut += refused.readAll();
        return refusedOut.contains("connection refused") && refusedOut.contains("not authorised") &&
               refusedOut.contains("MQTT not connected");
    }, deadline), qPrintable(refusedOut));
    QCOMPARE(seen.count([](const std::string& t, const std::string&) { return t == "spBv1.0/STATE/host-refused"; }), 0);
    // Told once, not at every retry.
    QCOMPARE(refusedOut.count("connection refused"), 1);
    observer.stop();
}

void TestIngestMqtt::sparkplugSimToStore()
{
    QVERIFY2(QFile::exists(kBroker), "no /usr/sbin/mosquitto (Debian package mosquitto: scripts/setup)");
    const auto deadline = Clock::now() + std::chrono::seconds(kTimeLimitS);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString ingestStore = tmp.filePath("ingest.twin"), simStore = tmp.filePath("sim.twin");

    // The broker: loopback, anonymous, nothing kept on disk.
    const int port = freePort();
    QVERIFY(port > 0);
    QFile conf(tmp.filePath("mosquitto.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write(QString("listener %1 127.0.0.1\nallow_anonymous true\npersistence false\n").arg(port).toUtf8());
    conf.close();
    QProcess broker;
    broker.setProcessChannelMode(QProcess::MergedChannels);
    broker.setStandardOutputFile(tmp.filePath("mosquitto.log"));
    broker.start(kBroker, {"-c", conf.fileName()});
    QVERIFY(broker.waitForStarted());
    const QString url = QString("mqtt://127.0.0.1:%1").arg(port);

    // This test's own client: sees everything published.
    Observer seen;
    app_common::MqttConfig c;
    c.url = app_common::parseMqttUrl(url.toStdString());
    c.clientId = "test-observer";
    c.onConnect = [] {};
    c.onMessage = [&seen](const std::string& topic, std::string_view payload) {
        std::lock_guard lock(seen.mutex);
        seen.messages.emplace_back(topic, std::string(payload));
    };
    app_common::MqttClient observer(c);
    observer.start();
    QVERIFY(waitFor([&] { return observer.connected(); }, deadline));
    QVERIFY(observer.subscribe("spBv1.0/#", 1));

    // The ingest: the default plant map, a frame every 500 ms; with an inventory, so the GPU receiver
    // runs beside (no GPU is sent: all missing).
    const QString inventory = tmp.filePath("inventory.csv");
    QString text;
    QCOMPARE(runProgram(kIngest, {"--write-inventory", inventory, "--site", QString::fromStdString(kSmall)}, &text), 0);
    QProcess ingest;
    ingest.setProcessChannelMode(QProcess::MergedChannels);
    ingest.start(kIngest, {"--site", QString::fromStdString(kSmall), "--mqtt", url, "--out", ingestStore,
                           "--inventory", inventory, "--listen", "127.0.0.1:0", "--period", "0.5",
                           "--report-every", "1"});
    QVERIFY(ingest.waitForStarted());
    QString ingestOut;
    const auto readIngest = [&] {
        ingest.waitForReadyRead(10);
        ingestOut += ingest.readAll();
    };
    // Its STATE: retained, online.
    QVERIFY2(waitFor([&] {
        readIngest();
        return seen.count([](const std::string& t, const std::string& p) {
                   return t == "spBv1.0/STATE/colossus-twin" && p.find("\"online\":true") != std::string::npos;
               }) > 0;
    }, deadline), qPrintable(ingestOut));

    // The simulator, publishing the plant live.
    QProcess sim;
    sim.setProcessChannelMode(QProcess::MergedChannels);
    sim.start(kSim, {"--site", QString::fromStdString(kSmall), "--scenario", "steady-training", "--duration", "120",
                     "--live", "--sparkplug", url, "--out", simStore, "--set", "recordGpus=false"});
    QVERIFY(sim.waitForStarted());
    const auto killAll = qScopeGuard([&] {
        sim.kill();
        ingest.kill();
        broker.kill();
        sim.waitForFinished(2000);
        ingest.waitForFinished(2000);
        broker.waitForFinished(2000);
    });

    // Wait for a few seconds of frames in which every plant asset is good.
    std::string problem = "no frame yet";
    TimeMs firstGood = -1, lastGood = -1;
    const auto allGood = [&](StoreReader& r, TimeMs t) {
        for (const char* name : kPlantSeries) {
            const int q = r.findSeries(std::string(name) + "_quality");
            if (!q) return problem = std::string("no series ") + name + "_quality", false;
            const SeriesState s = r.seriesAt(q, t);
            if (!s.valid || s.t != t) return problem = "no frame at " + formatUtc(t), false;
            for (std::size_t i = 0; i < s.values[0].size(); ++i)
                if (s.values[0][i] != 0)
                    return problem = std::string(name) + "_quality of " + r.series()[q - 1].spec.assets[i] + " is " +
                                     std::to_string(s.values[0][i]) + " at " + formatUtc(t),
                           false;
        }
        return true;
    };
    QVERIFY2(waitFor([&] {
        readIngest();
        try {
            auto r = StoreReader::open(ingestStore.toStdString());
            const TimeSpan span = r->span();
            if (span.empty) return false;
            if (!allGood(*r, span.last)) return firstGood = -1, false;
            if (firstGood < 0) firstGood = span.last;
            lastGood = span.last;
            return lastGood - firstGood >= 3000;
        } catch (const std::exception& e) {
            problem = e.what();
            return false;
        }
    }, deadline), qPrintable(QString::fromStdString(problem) + "\n--- colossus-ingest:\n" + ingestOut.right(3000) +
                             "\n--- colossus-sim:\n" + sim.readAll().right(2000)));

    // The values: at each ingest frame in [firstGood, lastGood], each asset quantity equals (within
    // its precision) the simulator's at one of its frames of the 3 s before (the time the value
    // took to arrive) up to 1 s after (the simulator runs up to a frame ahead of the wall clock).
    {
        auto in = StoreReader::open(ingestStore.toStdString());
        auto ref = StoreReader::open(simStore.toStdString());
        int compared = 0;
        for (const char* name : kPlantSeries) {
            const int a = in->findSeries(name), b = ref->findSeries(name);
            QVERIFY2(a && b, name);
            const SeriesSpec& spec = in->series()[a - 1].spec;
            QCOMPARE(spec.assets, ref->series()[b - 1].spec.assets);
            for (TimeMs t : in->frameTimes(a, firstGood, lastGood)) {
                const SeriesState got = in->seriesAt(a, t);
                std::vector<SeriesState> candidates;
                for (TimeMs u : ref->frameTimes(b, t - 3000, t + 1000)) candidates.push_back(ref->seriesAt(b, u));
                QVERIFY2(!candidates.empty(), qPrintable(QString("no simulator frame near ") + formatUtc(t).c_str()));
                for (std::size_t q = 0; q < spec.quantities.size(); ++q)
                    for (std::size_t i = 0; i < spec.assets.size(); ++i) {
                        const double v = got.values[q][i], precision = spec.quantities[q].precision;
                        bool found = false;
                        for (const SeriesState& s : candidates)
                            found = found || std::fabs(s.values[q][i] - v) <= precision * 0.5 + 1e-6 * std::fabs(v);
                        QVERIFY2(found, qPrintable(QString("%1.%2 of %3 at %4: %5 is no simulator value near then")
                                                       .arg(name, spec.quantities[q].name.c_str(),
                                                            spec.assets[i].c_str(), formatUtc(t).c_str())
                                                       .arg(v)));
                        ++compared;
                    }
            }
        }
        QVERIFY(compared > 100);
        // The GPU series beside, at the same times; the line of counts has both parts.
        const int gpuQuality = in->findSeries("gpu_quality");
        QVERIFY(gpuQuality);
        QCOMPARE(in->frameTimes(gpuQuality, firstGood, lastGood), in->frameTimes(in->findSeries("source"), firstGood, lastGood));
        QVERIFY2(ingestOut.contains(QRegularExpression("GPUs 0 good, 0 stale, 472 missing \\| .* \\| plant 13 good, "
                                                       "0 stale, 0 missing \\| MQTT connected, 1 edge nodes online")),
                 qPrintable(ingestOut.right(2000)));
        // Something else than zeros was compared: the sources make power (the load ramps up).
        const int src = in->findSeries("source");
        const SeriesState s = in->seriesAt(src, lastGood);
        double total = 0;
        QString listed;
        for (float v : s.values[0]) total += std::fabs(v), listed += QString::number(v) + " ";
        QVERIFY2(total > 0.1, qPrintable("source power: " + listed));
    }

    // A seq gap: an empty DDATA (no values to disturb the comparison) with a seq out of turn. The
    // ingest asks for a rebirth (an NCMD on the broker) and the simulator answers with a new NBIRTH.
    const auto nbirths = [&] {
        return seen.count([](const std::string& t, const std::string&) { return t == "spBv1.0/colossus/NBIRTH/testsite"; });
    };
    const int birthsBefore = nbirths();
    QVERIFY(birthsBefore >= 1);
    sp::Payload gap;
    gap.timestamp = static_cast<std::uint64_t>(lastGood);
    gap.seq = 44;   // sent twice: whatever seq the node is at, the second one (at least) is a gap
    QVERIFY(observer.publish("spBv1.0/colossus/DDATA/testsite/gts01", sp::encode(gap), 0, false));
    QVERIFY(observer.publish("spBv1.0/colossus/DDATA/testsite/gts01", sp::encode(gap), 0, false));
    QVERIFY2(waitFor([&] {
        readIngest();
        return seen.count([](const std::string& t, const std::string& p) {
                   return t == "spBv1.0/colossus/NCMD/testsite" && isRebirthRequest(p);
               }) > 0 && nbirths() > birthsBefore;
    }, deadline), qPrintable("no rebirth request and rebirth after a seq gap\n--- colossus-ingest:\n" + ingestOut.right(3000)));
    QVERIFY2(waitFor([&] {
        readIngest();
        return ingestOut.contains("seq gaps") && ingestOut.contains("rebirth requests");
    }, deadline), qPrintable(ingestOut.right(3000)));

    // SIGKILL: the broker publishes the simulator's Will, its NDEATH with the bdSeq of its birth.
    ::kill(static_cast<pid_t>(sim.processId()), SIGKILL);
    QVERIFY(sim.waitForFinished(5000));
    const TimeMs killedAt = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
    QVERIFY(waitFor([&] {
        return seen.count([](const std::string& t, const std::string&) { return t == "spBv1.0/colossus/NDEATH/testsite"; }) > 0;
    }, deadline));
    problem = "no frame after the kill";
    QVERIFY2(waitFor([&] {
        readIngest();
        try {
            auto r = StoreReader::open(ingestStore.toStdString());
            const TimeSpan span = r->span();
            if (span.last < killedAt) return false;
            for (const char* name : kPlantSeries) {
                const int q = r->findSeries(std::string(name) + "_quality");
                const SeriesState s = r->seriesAt(q, span.last);
                for (std::size_t i = 0; i < s.values[0].size(); ++i)
                    if (s.values[0][i] != 1)
                        return problem = std::string(name) + "_quality of " + r->series()[q - 1].spec.assets[i] +
                                         " is " + std::to_string(s.values[0][i]) + " after the kill",
                               false;
            }
            // The values stay the last received, not zeros.
            const SeriesState v = r->seriesAt(r->findSeries("bus"), span.last);
            return v.values[0][0] > 59 && v.values[0][0] < 61;
        } catch (const std::exception& e) {
            problem = e.what();
            return false;
        }
    }, deadline), qPrintable(QString::fromStdString(problem) + "\n--- colossus-ingest:\n" + ingestOut.right(3000)));

    // A clean stop: its STATE goes offline, the store closes.
    ingest.terminate();
    QVERIFY(ingest.waitForFinished(10'000));
    QCOMPARE(ingest.exitStatus(), QProcess::NormalExit);
    QCOMPARE(ingest.exitCode(), 0);
    readIngest();
    ingestOut += ingest.readAll();
    QVERIFY2(ingestOut.contains("ingest.twin closed"), qPrintable(ingestOut.right(2000)));
    QVERIFY(waitFor([&] {
        return seen.count([](const std::string& t, const std::string& p) {
                   return t == "spBv1.0/STATE/colossus-twin" && p.find("\"online\":false") != std::string::npos;
               }) > 0;
    }, deadline));
    observer.stop();
}

QTEST_GUILESS_MAIN(TestIngestMqtt)
#include "test_ingest_mqtt.moc"
