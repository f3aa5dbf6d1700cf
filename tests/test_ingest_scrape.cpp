// End to end, scraping: `colossus-sim --live --dcgm-exporter` serves the small campus's GPUs for
// the hosts of its first two racks as dcgm-exporter does, and
//   - `colossus-ingest --scrape-file` scrapes them every second: the ingest's store must hold
//     exactly the simulator's GPU values (at a sim frame within a scrape of the ingest frame), the
//     racks the sum of their GPUs, the halls the sum of their racks, with qualities; then the
//     simulator is killed and its GPUs go stale at once, its targets named down;
//   - a real Prometheus 2.42 in agent mode scrapes the same endpoints and remote-writes to
//     colossus-ingest: the same values arrive.
// Everything on 127.0.0.1 in a temporary folder, bounded in time; children are killed on every
// path (QProcess's destructor).
#include "twin/campus_file.h"
#include "twin/ingest/inventory.h"
#include "twin/store.h"

#include "support/free_port.h"
#include "support/prometheus_agent.h"

#include <httplib.h>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <csignal>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

using namespace twin;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
const QString kSim = QString(TEST_BIN_DIR) + "/colossus-sim";
const QString kIngest = QString(TEST_BIN_DIR) + "/colossus-ingest";
constexpr int kTimeLimitS = 60;

bool waitFor(const std::function<bool()>& done, Clock::time_point deadline)
{
    while (Clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return done();
}

// A child process whose merged output is collected as it comes.
struct Child {
    QProcess process;
    QString out;
    void start(const QString& program, const QStringList& args) {
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(program, args);
    }
    const QString& read() {
        process.waitForReadyRead(10);
        out += QString::fromUtf8(process.readAll());
        return out;
    }
};

struct Target {
    QString host, url;
    std::int64_t gpuFirst = 0, gpuLast = 0;
};

// The simulator with its dcgm-exporter endpoints for the hosts of the campus's first `racks`
// racks, its clock starting now (so that its frames' times are the wall clock's).
struct Simulator {
    Child child;
    std::vector<Target> targets;
    int hosts = 0;

    bool start(const Campus& campus, int racks, const QString& store, Clock::time_point deadline) {
        const auto inventory = ingest::Inventory::defaultFor(campus);
        for (const auto& h : inventory.hosts())
            for (int r = 0; r < racks; ++r)
                if (h.rack == campus.assets[static_cast<std::size_t>(campus.racks()[static_cast<std::size_t>(r)])].id)
                    ++hosts;
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
        child.start(kSim, {"--site", QString::fromStdString(kSmall), "--scenario", "steady-training",
                           "--duration", "600", "--out", store, "--live", "--set",
                           "start=" + QString::number(now / 1000 * 1000), "--dcgm-exporter", "127.0.0.1:0",
                           "--exporter-hosts", QString::number(hosts)});
        const QRegularExpression line("dcgm-exporter for (\\S+) \\(GPUs (\\d+)-(\\d+)\\) on (http://127\\.0\\.0\\.1:\\d+/metrics)");
        const bool ok = waitFor([&] {
            return line.globalMatch(child.read()).hasNext() && child.out.count("dcgm-exporter for") == hosts;
        }, deadline);
        for (auto it = line.globalMatch(child.out); it.hasNext();) {
            const auto m = it.next();
            targets.push_back({m.captured(1), m.captured(4), m.captured(2).toLongLong(), m.captured(3).toLongLong()});
        }
        return ok && static_cast<int>(targets.size()) == hosts;
    }
};

// For each served host: the time of the simulator's GPU frame, near the ingest frame's, whose
// values of the host's GPUs are exactly those of the ingest frame (both stored to the same
// precision; each target is scraped at its own time, so hosts may hold different frames). Empty
// when a host matches no frame; `why` then tells the first difference of each frame looked at.
std::vector<TimeMs> matchingSimFrames(StoreReader& sim, const SeriesState& ingested, const std::vector<Target>& targets,
                                      QString& why)
{
    const int gpu = sim.findSeries("gpu");
    std::vector<SeriesState> frames;
    for (TimeMs t : sim.frameTimes(gpu, ingested.t - 5000, ingested.t + 3000)) frames.push_back(sim.seriesAt(gpu, t));
    std::vector<TimeMs> out;
    for (const Target& target : targets) {
        QString diffs;
        bool found = false;
        for (const SeriesState& s : frames) {
            QString diff;
            for (std::int64_t g = target.gpuFirst; diff.isEmpty() && g <= target.gpuLast; ++g)
                for (int q = 0; q < 3 && diff.isEmpty(); ++q) {
                    const float a = s.values[q][static_cast<std::size_t>(g)], b = ingested.values[q][static_cast<std::size_t>(g)];
                    if (a != b) diff = QString("GPU %1 quantity %2: %3 / %4").arg(g).arg(q).arg(a).arg(b);
                }
            if (diff.isEmpty()) {
                out.push_back(s.t);
                found = true;
                break;
            }
            diffs += QString::fromStdString("\n  simulator at " + formatUtc(s.t) + ": ") + diff;
        }
        if (!found) {
            why = target.host + diffs;
            return {};
        }
    }
    return out;
}

// Whether the newest frame of `store` has every served GPU with quality `code`.
bool servedHaveQuality(StoreReader& store, const std::vector<Target>& targets, float code)
{
    store.refresh();
    const int quality = store.findSeries("gpu_quality");
    const TimeSpan span = store.span();
    if (!quality || span.empty) return false;
    const SeriesState q = store.seriesAt(quality, span.last);
    if (!q.valid) return false;
    for (const Target& t : targets)
        for (std::int64_t g = t.gpuFirst; g <= t.gpuLast; ++g)
            if (q.values[0][static_cast<std::size_t>(g)] != code) return false;
    return true;
}

} // namespace

class TestIngestScrape : public QObject {
    Q_OBJECT

private slots:
    void scrapeTheSimulator();
    void prometheusAgentScrapesTheSimulator();
    void failingTargetsTlsAndToken();
    void commandLineErrors();
};

void TestIngestScrape::scrapeTheSimulator()
{
    const auto deadline = Clock::now() + std::chrono::seconds(kTimeLimitS);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Campus campus = loadCampusFile(kSmall);
    const QString inventory = tmp.filePath("inventory.csv"), simStore = tmp.filePath("sim.twin"),
                  store = tmp.filePath("live.twin"), targetsFile = tmp.filePath("targets.txt");
    QCOMPARE(QProcess::execute(kIngest, {"--write-inventory", inventory, "--site", QString::fromStdString(kSmall)}), 0);

    Simulator sim;
    QVERIFY2(sim.start(campus, 2, simStore, deadline), qPrintable(sim.child.out));
    QFile file(targetsFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# the simulator's dcgm-exporter endpoints\n");
    for (const Target& t : sim.targets) file.write((t.url + "\n").toUtf8());
    file.close();

    Child ingest;
    ingest.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out", store,
                           "--scrape-file", targetsFile, "--scrape-interval", "1", "--period", "1",
                           "--report-every", "1"});
    QVERIFY(waitFor([&] { return ingest.read().contains("scraping " + QString::number(sim.hosts) + " targets"); },
                    deadline));
    QVERIFY2(ingest.out.contains("not listening"), qPrintable(ingest.out));   // scraping only: no port open

    // Three frames in a row with every served GPU good.
    std::unique_ptr<StoreReader> reader;
    QVERIFY2(waitFor([&] {
        ingest.read();
        if (!reader && QFile::exists(store)) reader = StoreReader::open(store.toStdString());
        if (!reader || !servedHaveQuality(*reader, sim.targets, 0)) return false;
        const int q = reader->findSeries("gpu_quality");
        const auto times = reader->frameTimes(q, 0, reader->span().last);
        if (times.size() < 3) return false;
        for (std::size_t k = times.size() - 3; k < times.size(); ++k) {
            const SeriesState s = reader->seriesAt(q, times[k]);
            for (const Target& t : sim.targets)
                if (s.values[0][static_cast<std::size_t>(t.gpuFirst)] != 0) return false;
        }
        return true;
    }, deadline), qPrintable(ingest.out.right(2000)));

    // Each of those frames holds a frame of the simulator exactly, from within a scrape of it.
    auto simReader = StoreReader::open(simStore.toStdString());
    simReader->refresh();
    const int gpu = reader->findSeries("gpu");
    const auto times = reader->frameTimes(gpu, 0, reader->span().last);
    for (std::size_t k = times.size() - 3; k < times.size(); ++k) {
        const SeriesState ingested = reader->seriesAt(gpu, times[k]);
        QString why;
        const auto matched = matchingSimFrames(*simReader, ingested, sim.targets, why);
        QVERIFY2(!matched.empty(), qPrintable("no simulator frame matches the ingest's at " +
                                              QString::fromStdString(formatUtc(times[k])) + " for " + why));
        for (TimeMs t : matched)   // the newest scrape before the frame, of a frame at most a second ahead
            QVERIFY2(t >= times[k] - 3000 && t <= times[k] + 2000,
                     qPrintable(QString::fromStdString(formatUtc(t) + " for " + formatUtc(times[k]))));
    }

    // Racks: the sum of their GPUs (kW to 0.1, each GPU to 1 W); served racks good, others missing.
    const TimeMs last = times.back();
    const SeriesState g = reader->seriesAt(gpu, last);
    const SeriesState rack = reader->seriesAt(reader->findSeries("rack"), last);
    const SeriesState rackQuality = reader->seriesAt(reader->findSeries("rack_quality"), last);
    const SeriesState hall = reader->seriesAt(reader->findSeries("hall"), last);
    const SeriesState hallQuality = reader->seriesAt(reader->findSeries("hall_quality"), last);
    QVERIFY(rack.valid && rackQuality.valid && hall.valid && hallQuality.valid);
    std::map<AssetIndex, double> hallKw;
    const auto& racks = campus.racks();
    for (std::size_t r = 0; r < racks.size(); ++r) {
        const Asset& a = campus.assets[static_cast<std::size_t>(racks[r])];
        double sumW = 0;
        for (std::int64_t i = a.gpuFirst; i < a.gpuFirst + a.gpuCount; ++i) sumW += g.values[0][static_cast<std::size_t>(i)];
        const double tolerance = 0.05 + 0.0005 * static_cast<double>(a.gpuCount) + 1e-6;
        QVERIFY2(std::fabs(rack.values[0][r] - sumW / 1000) <= tolerance,
                 qPrintable(QString("rack %1: %2 kW, GPUs %3 W").arg(r).arg(rack.values[0][r]).arg(sumW)));
        QCOMPARE(rackQuality.values[0][r], r < 2 ? 0.0f : 2.0f);
        AssetIndex h = racks[r];
        while (h != kNoAsset && campus.assets[static_cast<std::size_t>(h)].kind != AssetKind::Hall)
            h = campus.assets[static_cast<std::size_t>(h)].parent;
        hallKw[h] += rack.values[0][r];
    }
    const SeriesInfo* hallInfo = nullptr;
    for (const SeriesInfo& s : reader->series())
        if (s.spec.name == "hall") hallInfo = &s;
    QVERIFY(hallInfo);
    for (std::size_t k = 0; k < hallInfo->assets.size(); ++k)
        QVERIFY(std::fabs(hall.values[0][k] - hallKw[hallInfo->assets[k]] / 1000) <= 0.0006 + 0.00005 * racks.size());
    QCOMPARE(hallQuality.values[0][0], 2.0f);   // its racks past the second have no data

    // The simulator dies: every target fails, its GPUs go stale at once (not after 90 s), named down.
    const auto killed = Clock::now();
    ::kill(static_cast<pid_t>(sim.child.process.processId()), SIGKILL);
    QVERIFY(sim.child.process.waitForFinished(5000));
    QVERIFY2(waitFor([&] { ingest.read(); return servedHaveQuality(*reader, sim.targets, 1); }, deadline),
             qPrintable(ingest.out.right(2000)));
    QVERIFY(Clock::now() - killed < std::chrono::seconds(10));
    QCOMPARE(reader->seriesAt(reader->findSeries("rack_quality"), reader->span().last).values[0][0], 1.0f);
    QVERIFY2(waitFor([&] { return ingest.read().contains("down: " + sim.targets.front().url + " ("); }, deadline),
             qPrintable(ingest.out.right(2000)));

    ::kill(static_cast<pid_t>(ingest.process.processId()), SIGTERM);
    QVERIFY(ingest.process.waitForFinished(10000));
    ingest.read();
    QCOMPARE(ingest.process.exitCode(), 0);
    QVERIFY2(ingest.out.contains("live.twin closed"), qPrintable(ingest.out.right(1000)));
}

void TestIngestScrape::prometheusAgentScrapesTheSimulator()
{
    const auto deadline = Clock::now() + std::chrono::seconds(kTimeLimitS);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Campus campus = loadCampusFile(kSmall);
    const QString inventory = tmp.filePath("inventory.csv"), simStore = tmp.filePath("sim.twin"),
                  store = tmp.filePath("live.twin");
    QCOMPARE(QProcess::execute(kIngest, {"--write-inventory", inventory, "--site", QString::fromStdString(kSmall)}), 0);

    Simulator sim;
    QVERIFY2(sim.start(campus, 1, simStore, deadline), qPrintable(sim.child.out));

    Child ingest;
    ingest.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out", store,
                           "--listen", "127.0.0.1:0", "--period", "1", "--report-every", "1"});
    int ingestPort = 0;
    const QRegularExpression listening("listening on http://127\\.0\\.0\\.1:(\\d+)/api/v1/write");
    QVERIFY(waitFor([&] {
        const auto m = listening.match(ingest.read());
        if (m.hasMatch()) ingestPort = m.captured(1).toInt();
        return ingestPort > 0 || ingest.process.state() != QProcess::Running;
    }, deadline));
    QVERIFY2(ingestPort > 0, qPrintable(ingest.out));

    QStringList targets;
    for (const Target& t : sim.targets) targets << "'" + QUrl(t.url).authority() + "'";
    const QString config = QString(R"(global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: dcgm
    static_configs:
      - targets: [%1]
remote_write:
  - url: http://127.0.0.1:%2/api/v1/write
    metadata_config:
      send: false
    queue_config:
      batch_send_deadline: 500ms
      max_samples_per_send: 500
      min_backoff: 100ms
      max_backoff: 1s
)").arg(targets.join(", ")).arg(ingestPort);
    testsupport::PrometheusAgent prometheus;
    const QString started = prometheus.start(tmp, config);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const auto prometheusLog = [&] { return prometheus.log(); };

    std::unique_ptr<StoreReader> reader;
    QVERIFY2(waitFor([&] {
        ingest.read();
        if (!reader && QFile::exists(store)) reader = StoreReader::open(store.toStdString());
        return reader && servedHaveQuality(*reader, sim.targets, 0);
    }, deadline), qPrintable(ingest.out.right(2000) + "\n--- prometheus:\n" + prometheusLog()));

    // The values Prometheus forwarded are a frame of the simulator's, exactly.
    auto simReader = StoreReader::open(simStore.toStdString());
    simReader->refresh();
    const int gpu = reader->findSeries("gpu");
    const SeriesState ingested = reader->seriesAt(gpu, reader->span().last);
    QString why;
    const auto matched = matchingSimFrames(*simReader, ingested, sim.targets, why);
    QVERIFY2(!matched.empty(), qPrintable("no simulator frame matches the ingest's at " +
                                          QString::fromStdString(formatUtc(ingested.t)) + " for " + why));
    // The first rack, served whole: the sum of its GPUs, good.
    const Asset& rack0 = campus.assets[static_cast<std::size_t>(campus.racks()[0])];
    double sumW = 0;
    for (std::int64_t i = rack0.gpuFirst; i < rack0.gpuFirst + rack0.gpuCount; ++i) sumW += ingested.values[0][static_cast<std::size_t>(i)];
    const SeriesState rack = reader->seriesAt(reader->findSeries("rack"), ingested.t);
    QVERIFY(std::fabs(rack.values[0][0] - sumW / 1000) <= 0.05 + 0.0005 * static_cast<double>(rack0.gpuCount) + 1e-6);
    QCOMPARE(reader->seriesAt(reader->findSeries("rack_quality"), ingested.t).values[0][0], 0.0f);

    QVERIFY(prometheus.stop());
    ::kill(static_cast<pid_t>(ingest.process.processId()), SIGTERM);
    QVERIFY(ingest.process.waitForFinished(10000));
    QCOMPARE(ingest.process.exitCode(), 0);
    sim.child.process.terminate();
    QVERIFY(sim.child.process.waitForFinished(10000));
    QCOMPARE(sim.child.process.exitCode(), 0);
}

// Targets of an https server made here (a certificate from the openssl command): one good with a
// bearer token (and a malformed line, an unknown host), and one for each way to fail.
void TestIngestScrape::failingTargetsTlsAndToken()
{
    const auto deadline = Clock::now() + std::chrono::seconds(kTimeLimitS);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString cert = tmp.filePath("cert.pem"), key = tmp.filePath("key.pem"), token = tmp.filePath("token"),
                  inventory = tmp.filePath("inventory.csv"), store = tmp.filePath("live.twin");
    QCOMPARE(QProcess::execute("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                           "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                                           "-addext", "subjectAltName=IP:127.0.0.1"}),
             0);
    QFile tokenFile(token);
    QVERIFY(tokenFile.open(QIODevice::WriteOnly));
    tokenFile.write("scrape-secret\n");
    tokenFile.close();
    QCOMPARE(QProcess::execute(kIngest, {"--write-inventory", inventory, "--site", QString::fromStdString(kSmall)}), 0);
    const Campus campus = loadCampusFile(kSmall);
    const auto host = ingest::Inventory::defaultFor(campus).hosts()[5];

    httplib::SSLServer server(cert.toUtf8().constData(), key.toUtf8().constData());
    QVERIFY(server.is_valid());
    std::string lastAuthorization;
    std::mutex mutex;
    server.Get("/metrics", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(mutex);
            lastAuthorization = req.get_header_value("Authorization");
        }
        if (req.get_header_value("Authorization") != "Bearer scrape-secret") {
            res.status = 401;
            return;
        }
        std::string body;
        for (const char* metric : {"DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP"})
            for (int d = 0; d < host.gpus; ++d)
                body += std::string(metric) + "{gpu=\"" + std::to_string(d) + "\",Hostname=\"" + host.host + "\"} " +
                        std::to_string(40 + d) + "\n";
        body += "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",Hostname=\"node-stranger\"} 1\n";
        body += "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\" oops\n";
        res.set_content(body, "text/plain; version=0.0.4");
    });
    server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        res.set_content("late 1\n", "text/plain");
    });
    server.Get("/error", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    server.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(100'000, '#'), "text/plain");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    QVERIFY(port > 0);
    std::thread serverThread([&] { server.listen_after_bind(); });
    const auto stopServer = qScopeGuard([&] {
        server.stop();
        serverThread.join();
    });
    const QString base = "https://127.0.0.1:" + QString::number(port);
    const QString refused = "http://127.0.0.1:" + QString::number(testsupport::freePort()) + "/metrics";

    Child ingest;
    ingest.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out", store,
                           "--scrape", base + "/metrics", "--scrape", base + "/slow", "--scrape", base + "/error",
                           "--scrape", base + "/huge", "--scrape", refused, "--scrape-ca", cert,
                           "--scrape-bearer-token-file", token, "--scrape-interval", "1", "--scrape-timeout", "0.5",
                           "--max-body-bytes", "65536", "--report-every", "1", "--listen", "127.0.0.1:0"});
    // Asked to, it also listens for remote-write, and says both.
    QVERIFY2(waitFor([&] { return ingest.read().contains("scraping 5 targets every 1000 ms"); }, deadline),
             qPrintable(ingest.out));
    QVERIFY2(QRegularExpression("listening on http://127\\.0\\.0\\.1:\\d+/api/v1/write; scraping").match(ingest.out).hasMatch(),
             qPrintable(ingest.out));
    const QStringList expected = {
        "(1 up, 4 down",
        base + "/slow (timed out after 500 ms)",
        base + "/error (HTTP 500)",
        base + "/huge (body over 65536 bytes)",
        refused + " (connection refused or host unreachable)",
        "unknown host",
        "bad series",
    };
    QVERIFY2(waitFor([&] {
        const QString& out = ingest.read();
        const QString last = out.section('\n', -2, -2);   // the newest full line
        for (const QString& e : expected)
            if (!last.contains(e)) return false;
        return true;
    }, deadline), qPrintable(ingest.out.right(3000)));
    std::unique_ptr<StoreReader> reader = StoreReader::open(store.toStdString());
    QVERIFY(servedHaveQuality(*reader, {{QString::fromStdString(host.host), {}, host.gpuFirst, host.gpuFirst + host.gpus - 1}}, 0));
    const SeriesState g = reader->seriesAt(reader->findSeries("gpu"), reader->span().last);
    for (int d = 0; d < host.gpus; ++d) QCOMPARE(g.values[0][static_cast<std::size_t>(host.gpuFirst + d)], 40.0f + d);
    {
        std::lock_guard lock(mutex);
        QCOMPARE(lastAuthorization, std::string("Bearer scrape-secret"));
    }
    ::kill(static_cast<pid_t>(ingest.process.processId()), SIGTERM);
    QVERIFY(ingest.process.waitForFinished(10000));
    QCOMPARE(ingest.process.exitCode(), 0);

    // Without the CA, the certificate is not trusted: down, named.
    Child untrusting;
    untrusting.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out",
                               tmp.filePath("untrusting.twin"), "--scrape", base + "/metrics",
                               "--scrape-bearer-token-file", token, "--scrape-interval", "0.5", "--report-every", "0.5"});
    QVERIFY2(waitFor([&] {
        return untrusting.read().contains(base + "/metrics (TLS certificate not verified (--scrape-ca))");
    }, deadline), qPrintable(untrusting.out.right(2000)));
    ::kill(static_cast<pid_t>(untrusting.process.processId()), SIGTERM);
    QVERIFY(untrusting.process.waitForFinished(10000));
    QCOMPARE(untrusting.process.exitCode(), 0);
}

// Bad scrape and exporter options: exit status 2 and one line naming the option.
void TestIngestScrape::commandLineErrors()
{
    const QStringList common = {"--site", QString::fromStdString(kSmall), "--inventory", "x.csv", "--out", "x.twin"};
    const QList<std::pair<QStringList, QString>> ingestCases = {
        {{"--scrape", "ftp://host/metrics"}, "--scrape: 'ftp://host/metrics' is not an http:// or https:// URL"},
        {{"--scrape-interval", "5"}, "--scrape-interval only applies with --scrape or --scrape-file"},
        {{"--scrape", "http://h:9400/metrics", "--scrape-interval", "1", "--scrape-timeout", "2"},
         "--scrape-timeout: '2' is not a number of seconds from 0.01 to 1"},
        {{"--scrape-file", "/nonexistent/targets.txt"}, "--scrape-file: /nonexistent/targets.txt: cannot read it"},
    };
    for (const auto& [args, message] : ingestCases) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(kIngest, common + args);
        QVERIFY(p.waitForFinished(10000));
        const QString out = QString::fromUtf8(p.readAll()).trimmed();
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(out.startsWith("colossus-ingest: " + message) && !out.contains('\n'), qPrintable(out));
    }
    const QStringList sim = {"--site", QString::fromStdString(kSmall), "--scenario", "steady-training",
                             "--duration", "5", "--out", QDir::temp().filePath("never-written.twin")};
    const QList<std::tuple<QStringList, int, QString>> simCases = {
        {{"--dcgm-exporter", "127.0.0.1:0"}, 2, "--dcgm-exporter needs --live"},
        {{"--live", "--dcgm-exporter", "nonsense"}, 2, "--dcgm-exporter: 'nonsense' is not HOST:PORT"},
        {{"--live", "--dcgm-exporter", "127.0.0.1:0", "--exporter-hosts", "300"}, 2,
         "--exporter-hosts: '300' is not a whole number from 1 to 256"},
        {{"--exporter-hosts", "3"}, 2, "--exporter-hosts only applies with --dcgm-exporter"},
        {{"--live", "--dcgm-exporter", "127.0.0.1:0", "--exporter-hosts", "60"}, 1,
         "--exporter-hosts 60: campus 'Test Campus' has 59 hosts of 8 GPUs"},
    };
    for (const auto& [args, status, message] : simCases) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(kSim, sim + args);
        QVERIFY(p.waitForFinished(10000));
        const QString out = QString::fromUtf8(p.readAll()).trimmed();
        QCOMPARE(p.exitCode(), status);
        QVERIFY2(out.startsWith("colossus-sim: " + message), qPrintable(out));
    }
    QVERIFY(!QFile::exists(QDir::temp().filePath("never-written.twin")));
}

QTEST_GUILESS_MAIN(TestIngestScrape)
#include "test_ingest_scrape.moc"
