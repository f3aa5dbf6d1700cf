// End to end with a real Prometheus (Debian's 2.42, agent mode): this test serves
// dcgm-exporter text for a few hosts of the small campus, Prometheus scrapes it every second and
// remote-writes to colossus-ingest, which records the store; the store must then hold exactly
// the values served. Then a GPU reports an XID (an event) and a host disappears (Prometheus'
// stale markers: quality 1). Everything runs on 127.0.0.1 in a temporary folder, bounded in
// time; the child processes are killed on every path (QProcess's destructor).
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
#include <QtTest>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

using namespace twin;
using twin::ingest::Inventory;
using twin::ingest::InventoryHost;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
const QString kIngest = QString(TEST_BIN_DIR) + "/colossus-ingest";
constexpr int kTimeLimitS = 60;

// What GPU g reports: distinct per GPU, power with a fraction as NVML gives it.
double power(std::int64_t g) { return 150 + 3 * g + 0.25; }
double util(std::int64_t g) { return static_cast<double>((g * 7) % 101); }
double temp(std::int64_t g) { return static_cast<double>(35 + g % 40); }

// The hosts served, and what they report: dcgm-exporter's text format with its full label set.
struct Exporter {
    std::mutex mutex;
    std::vector<InventoryHost> hosts;      // served
    std::set<std::int64_t> xid79;          // GPUs reporting XID 79 (others 0)

    std::string text() {
        std::lock_guard lock(mutex);
        struct Family { const char* name; const char* help; std::function<double(std::int64_t)> value; };
        const Family families[] = {
            {"DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", [](std::int64_t) { return 1980.0; }},
            {"DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", temp},
            {"DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", power},
            {"DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", util},
            {"DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.",
             [this](std::int64_t g) { return xid79.count(g) ? 79.0 : 0.0; }},
        };
        std::string out;
        for (const Family& f : families) {
            out += std::string("# HELP ") + f.name + " " + f.help + "\n# TYPE " + f.name + " gauge\n";
            for (std::size_t k = 0; k < hosts.size(); ++k) {
                const InventoryHost& h = hosts[k];
                const char* hostLabel = k % 2 ? "hostname" : "Hostname";   // before and after 4.8.3
                for (int d = 0; d < h.gpus; ++d) {
                    char line[512];
                    std::snprintf(line, sizeof line,
                                  "%s{gpu=\"%d\",UUID=\"GPU-%08lld\",pci_bus_id=\"00000000:%02X:00.0\","
                                  "device=\"nvidia%d\",modelName=\"NVIDIA H100 80GB HBM3\",%s=\"%s\","
                                  "DCGM_FI_DRIVER_VERSION=\"550.54.15\"} %.2f\n",
                                  f.name, d, static_cast<long long>(h.gpuFirst + d), 0x18 + d, d, hostLabel,
                                  h.host.c_str(), f.value(h.gpuFirst + d));
                    out += line;
                }
            }
            // A host the inventory does not know: counted by the receiver, never recorded.
            out += std::string(f.name) + "{gpu=\"0\",Hostname=\"node-stranger\"} 1\n";
        }
        return out;
    }
};

bool waitFor(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline)
{
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return done();
}

} // namespace

class TestIngestPrometheus : public QObject {
    Q_OBJECT

private slots:
    void prometheusAgentToStore();
};

void TestIngestPrometheus::prometheusAgentToStore()
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeLimitS);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString inventory = tmp.filePath("inventory.csv"), store = tmp.filePath("live.twin");
    const Campus campus = loadCampusFile(kSmall);

    // The default inventory, written by the program itself.
    QCOMPARE(QProcess::execute(kIngest, {"--write-inventory", inventory, "--site", QString::fromStdString(kSmall)}), 0);
    const Inventory inv = Inventory::load(inventory.toStdString(), campus);
    Exporter exporter;
    for (std::size_t k : {std::size_t{0}, std::size_t{9}, std::size_t{58}})   // racks of 64 and of 72 GPUs
        exporter.hosts.push_back(inv.hosts()[k]);
    const std::vector<InventoryHost> served = exporter.hosts;

    httplib::Server metrics;
    metrics.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(exporter.text(), "text/plain; version=0.0.4");
    });
    const int metricsPort = metrics.bind_to_any_port("127.0.0.1");
    QVERIFY(metricsPort > 0);
    std::thread metricsThread([&] { metrics.listen_after_bind(); });
    const auto stopMetrics = qScopeGuard([&] {
        metrics.stop();
        metricsThread.join();
    });

    // The receiver, on a port of its choosing, with a bearer token.
    QFile token(tmp.filePath("token"));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("e2e-secret\n");
    token.close();
    QProcess ingest;
    ingest.setProcessChannelMode(QProcess::MergedChannels);
    ingest.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out", store,
                           "--listen", "127.0.0.1:0", "--period", "1", "--report-every", "1",
                           "--bearer-token-file", token.fileName()});
    QVERIFY(ingest.waitForStarted());
    QString ingestOut;
    int ingestPort = 0;
    const QRegularExpression listening("listening on http://127\\.0\\.0\\.1:(\\d+)/api/v1/write");
    QVERIFY(waitFor([&] {
        ingest.waitForReadyRead(100);
        ingestOut += ingest.readAll();
        const auto m = listening.match(ingestOut);
        if (m.hasMatch()) ingestPort = m.captured(1).toInt();
        return ingestPort > 0 || ingest.state() != QProcess::Running;
    }, deadline));
    QVERIFY2(ingestPort > 0, qPrintable(ingestOut));

    // Prometheus in agent mode: scrape every second, remote-write within a second.
    const QString config = QString(R"(global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: dcgm
    static_configs:
      - targets: ['127.0.0.1:%1']
remote_write:
  - url: http://127.0.0.1:%2/api/v1/write
    authorization:
      credentials_file: %3
    metadata_config:
      send: false
    queue_config:
      batch_send_deadline: 500ms
      max_samples_per_send: 200
      min_backoff: 100ms
      max_backoff: 1s
)").arg(metricsPort).arg(ingestPort).arg(token.fileName());
    testsupport::PrometheusAgent prometheus;
    const QString started = prometheus.start(tmp, config);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    const auto prometheusLog = [&] { return prometheus.log(); };

    // Wait until the newest frame holds every served GPU's values with quality good.
    std::unique_ptr<StoreReader> reader;
    std::string mismatch = "no frame yet";
    const auto servedValuesStored = [&] {
        ingest.waitForReadyRead(10);
        ingestOut += ingest.readAll();
        try {
            if (!reader) reader = StoreReader::open(store.toStdString());
            reader->refresh();
            const int gpu = reader->findSeries("gpu"), quality = reader->findSeries("gpu_quality");
            const TimeSpan span = reader->span();
            if (span.empty) return false;
            const SeriesState s = reader->seriesAt(gpu, span.last), q = reader->seriesAt(quality, span.last);
            if (!s.valid || !q.valid) return false;
            for (const InventoryHost& h : served)
                for (std::int64_t g = h.gpuFirst; g < h.gpuFirst + h.gpus; ++g) {
                    const bool same = q.values[0][g] == 0 && std::fabs(s.values[0][g] - power(g)) <= 0.5 &&
                                      s.values[1][g] == util(g) && s.values[2][g] == temp(g);
                    if (!same) {
                        mismatch = "GPU " + campus.gpuId(g) + " at " + formatUtc(s.t) + ": quality " +
                                   std::to_string(q.values[0][g]) + ", power " + std::to_string(s.values[0][g]) +
                                   " (sent " + std::to_string(power(g)) + "), utilisation " +
                                   std::to_string(s.values[1][g]) + ", temperature " + std::to_string(s.values[2][g]);
                        return false;
                    }
                }
            return true;
        } catch (const std::exception& e) {
            mismatch = e.what();
            return false;
        }
    };
    QVERIFY2(waitFor(servedValuesStored, deadline),
             qPrintable(QString::fromStdString(mismatch) + "\n--- colossus-ingest:\n" + ingestOut.right(3000) +
                        "\n--- prometheus:\n" + prometheusLog()));

    // Only the served GPUs: every other one is missing (quality 2, value 0).
    {
        const TimeSpan span = reader->span();
        const SeriesState q = reader->seriesAt(reader->findSeries("gpu_quality"), span.last);
        const SeriesState s = reader->seriesAt(reader->findSeries("gpu"), span.last);
        std::int64_t good = 0;
        for (std::int64_t g = 0; g < campus.gpuCount(); ++g) {
            if (q.values[0][g] == 0) ++good;
            else QCOMPARE(s.values[0][g], 0.0f);
        }
        QCOMPARE(good, std::int64_t{8 + 8 + 8});
    }
    // The unknown host is told in the next line of counts (one a second): wait for it.
    QVERIFY2(waitFor([&] {
                 ingest.waitForReadyRead(10);
                 ingestOut += ingest.readAll();
                 return ingestOut.contains("unknown host") && ingestOut.contains("node-stranger");
             }, deadline),
             qPrintable(ingestOut.right(2000)));

    // A GPU reports XID 79: one event on that GPU.
    const std::int64_t failing = served[1].gpuFirst + 3;
    {
        std::lock_guard lock(exporter.mutex);
        exporter.xid79.insert(failing);
    }
    std::vector<Event> events;
    QVERIFY2(waitFor([&] {
        reader->refresh();
        events = reader->events(0, std::numeric_limits<TimeMs>::max());
        return !events.empty();
    }, deadline), qPrintable(ingestOut.right(2000)));
    QCOMPARE(events.front().asset, campus.gpuId(failing));
    QCOMPARE(events.front().kind, std::string("gpu_xid"));

    // A host disappears from the scrape: Prometheus sends stale markers, its GPUs turn stale at once
    // (long before --stale-after's 90 s) and keep their last values.
    {
        std::lock_guard lock(exporter.mutex);
        exporter.hosts.erase(exporter.hosts.begin() + 2);
    }
    const InventoryHost& gone = served[2];
    QVERIFY2(waitFor([&] {
        reader->refresh();
        const TimeSpan span = reader->span();
        const SeriesState q = reader->seriesAt(reader->findSeries("gpu_quality"), span.last);
        return q.valid && q.values[0][gone.gpuFirst] == 1 && q.values[0][gone.gpuFirst + gone.gpus - 1] == 1;
    }, deadline), qPrintable(ingestOut.right(2000) + "\n--- prometheus:\n" + prometheusLog()));
    {
        const SeriesState s = reader->seriesAt(reader->findSeries("gpu"), reader->span().last);
        QVERIFY(std::fabs(s.values[0][gone.gpuFirst] - power(gone.gpuFirst)) <= 0.5);
    }

    // SIGTERM: the receiver closes the store cleanly and says so.
    QVERIFY(prometheus.stop());
    ::kill(static_cast<pid_t>(ingest.processId()), SIGTERM);
    QVERIFY(ingest.waitForFinished(10000));
    ingestOut += ingest.readAll();
    QCOMPARE(ingest.exitStatus(), QProcess::NormalExit);
    QCOMPARE(ingest.exitCode(), 0);
    QVERIFY2(ingestOut.contains("live.twin closed"), qPrintable(ingestOut.right(1000)));
    QVERIFY(!ingestOut.contains("first error"));
    reader.reset();
    QVERIFY(StoreReader::open(store.toStdString())->span().last > 0);

    // Started again on the same store with another period: refused with one line (the same
    // period resumes it: test_ingest_cli), the store untouched.
    QProcess again;
    again.setProcessChannelMode(QProcess::MergedChannels);
    again.start(kIngest, {"--site", QString::fromStdString(kSmall), "--inventory", inventory, "--out", store,
                          "--listen", "127.0.0.1:0", "--period", "5"});
    QVERIFY(again.waitForFinished(10000));
    QCOMPARE(again.exitCode(), 1);
    const QString refusal = QString::fromUtf8(again.readAll()).trimmed();
    QVERIFY2(refusal.contains("series 'gpu' already exists with another definition (period 5000 ms") &&
                 !refusal.contains('\n'),
             qPrintable(refusal));
}

QTEST_GUILESS_MAIN(TestIngestPrometheus)
#include "test_ingest_prometheus.moc"
