// colossus-ingest as a program: its command line and files (exit status 2 for bad arguments,
// 1 naming the file for a bad inventory), and every HTTP answer of POST /api/v1/write: 204, 400
// keeping the valid part, 401, 413 (two ways), 415, 503 while the store writer is held up, and
// HTTPS with --tls-cert / --tls-key; a store resumed after the receiver was killed. All on
// 127.0.0.1, in a temporary folder.
#include "twin/campus_file.h"
#include "twin/ingest/inventory.h"
#include "twin/store.h"

#include "ingest_bodies.h"

#include <httplib.h>
#include <sqlite3.h>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <csignal>
#include <functional>
#include <limits>
#include <thread>

using namespace twin;
using namespace ingest_test;
using twin::ingest::Inventory;

namespace {

const QString kSmall = QString(TEST_DATA_DIR) + "/sites/small.json";
const QString kIngest = QString(TEST_BIN_DIR) + "/colossus-ingest";
constexpr TimeMs kT0 = 1'780'000'000'000;

struct Run {
    int exitCode = -1;
    QString output;
};

Run runIngest(const QStringList& args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(kIngest, args);
    if (!p.waitForFinished(20000)) return {};
    return {p.exitCode(), QString::fromUtf8(p.readAll())};
}

bool waitFor(const std::function<bool()>& done, int seconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
}

// colossus-ingest running on a free port of 127.0.0.1; killed by the destructor when a test fails.
struct Receiver {
    QProcess process;
    QString output;
    int port = 0;

    bool start(const QStringList& args) {
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(kIngest, args + QStringList{"--listen", "127.0.0.1:0"});
        const QRegularExpression listening("listening on https?://127\\.0\\.0\\.1:(\\d+)/");
        waitFor([&] {
            read();
            const auto m = listening.match(output);
            if (m.hasMatch()) port = m.captured(1).toInt();
            return port > 0 || process.state() == QProcess::NotRunning;
        }, 20);
        return port > 0;
    }
    void read() {
        process.waitForReadyRead(10);
        output += QString::fromUtf8(process.readAll());
    }
    int stop() {
        ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
        process.waitForFinished(10000);
        read();
        return process.exitCode();
    }
};

httplib::Headers remoteWriteHeaders(const std::string& token)
{
    httplib::Headers h = {{"Content-Encoding", "snappy"}, {"X-Prometheus-Remote-Write-Version", "0.1.0"}};
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return h;
}

} // namespace

class TestIngestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void badInventory();
    void writeInventory();
    void httpAnswers();
    void writerBehindAnswers503();
    void overTheRequestRateAnswers503();
    void resumesTheStoreAfterSigkill();
    void tls();

private:
    QTemporaryDir tmp_;
    QString inventory_;
    Campus campus_;
    Inventory inv_;
};

void TestIngestCli::initTestCase()
{
    QVERIFY(tmp_.isValid());
    campus_ = loadCampusFile(kSmall.toStdString());
    inv_ = Inventory::defaultFor(campus_);
    inventory_ = tmp_.filePath("inventory.csv");
    inv_.write(inventory_.toStdString());
}

void TestIngestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList run = {"--site", kSmall, "--inventory", "inv.csv", "--out", "x.twin"};
    QTest::newRow("no site") << QStringList{"--inventory", "i", "--out", "o"} << "missing --site";
    QTest::newRow("unknown site") << QStringList{"--site", "nowhere", "--out", "o"} << "--site:";
    QTest::newRow("no out") << QStringList{"--site", kSmall, "--inventory", "i"} << "missing --out";
    QTest::newRow("listen") << run + QStringList{"--listen", "9201"} << "--listen: '9201' is not HOST:PORT";
    QTest::newRow("period") << run + QStringList{"--period", "0"} << "--period: '0' is not";
    QTest::newRow("stale") << run + QStringList{"--stale-after", "soon"} << "--stale-after: 'soon'";
    QTest::newRow("body") << run + QStringList{"--max-body-bytes", "12.5"} << "--max-body-bytes: '12.5'";
    QTest::newRow("tls") << run + QStringList{"--tls-cert", "c.pem"} << "--tls-cert and --tls-key go together";
    QTest::newRow("gpus per host") << run + QStringList{"--gpus-per-host", "4"} << "only applies with --write-inventory";
    QTest::newRow("positional") << run + QStringList{"extra"} << "unexpected argument 'extra'";
}

void TestIngestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runIngest(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.output.startsWith("colossus-ingest: ") && r.output.contains(message), qPrintable(r.output));
}

void TestIngestCli::badInventory()
{
    const QString bad = tmp_.filePath("bad.csv");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("host,rack,first_slot,gpus\nnode-1,testsite/hall1/row01/rack01,0,8\nnode-2,nowhere,0,8\n");
    f.close();
    const Run r = runIngest({"--site", kSmall, "--inventory", bad, "--out", tmp_.filePath("never.twin")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.output.contains(bad + ":3: field 'rack': 'nowhere' is not a rack"), qPrintable(r.output));
    QVERIFY(!QFile::exists(tmp_.filePath("never.twin")));
}

void TestIngestCli::writeInventory()
{
    const QString out = tmp_.filePath("four.csv");
    const Run r = runIngest({"--write-inventory", out, "--site", kSmall, "--gpus-per-host", "4"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.output.contains("118 hosts, 472 GPUs"), qPrintable(r.output));
    const Inventory back = Inventory::load(out.toStdString(), campus_);
    QCOMPARE(back.gpuCount(), std::int64_t{472});
    QCOMPARE(back.hosts()[1].host, std::string("testsite/hall1/row01/rack01-n2"));
    QCOMPARE(back.hosts()[1].firstSlot, 4);
}

void TestIngestCli::httpAnswers()
{
    QFile tokenFile(tmp_.filePath("token"));
    QVERIFY(tokenFile.open(QIODevice::WriteOnly));
    tokenFile.write("  s3cret  \nsecond line ignored\n");
    tokenFile.close();
    const QString store = tmp_.filePath("answers.twin");
    Receiver rx;
    // Counts reported once, when stopped (--report-every longer than the test).
    QVERIFY2(rx.start({"--site", kSmall, "--inventory", inventory_, "--out", store, "--report-every", "600",
                       "--bearer-token-file", tokenFile.fileName(), "--max-body-bytes", "4096"}),
             qPrintable(rx.output));
    httplib::Client http("127.0.0.1", rx.port);
    const std::string type = "application/x-protobuf";
    const auto& h = inv_.hosts()[12];
    const TimeMs now = QDateTime::currentMSecsSinceEpoch();
    const std::string good = body({series("DCGM_FI_DEV_POWER_USAGE", h.host, 2, {{now, 612.3}}),
                                   series("DCGM_FI_DEV_GPU_UTIL", h.host, 2, {{now, 88}}),
                                   series("DCGM_FI_DEV_GPU_TEMP", h.host, 2, {{now, 71}})});

    auto r = http.Post("/api/v1/write", remoteWriteHeaders(""), good, type);
    QVERIFY(r);
    QCOMPARE(r->status, 401);
    QCOMPARE(r->get_header_value("WWW-Authenticate"), std::string("Bearer"));
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cre"), good, type);
    QCOMPARE(r->status, 401);
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), good, "text/plain");
    QCOMPARE(r->status, 415);
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), good,
                  "application/x-protobuf;proto=io.prometheus.write.v2.Request");
    QCOMPARE(r->status, 415);
    httplib::Headers gzip = remoteWriteHeaders("s3cret");
    gzip.find("Content-Encoding")->second = "identity";
    r = http.Post("/api/v1/write", gzip, good, type);
    QCOMPARE(r->status, 415);
    QVERIFY(r->body.find("Content-Encoding snappy") != std::string::npos);

    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), "definitely not snappy", type);
    QCOMPARE(r->status, 400);
    QVERIFY2(r->body.find("127.0.0.1:") == 0 && r->body.find("snappy") != std::string::npos, r->body.c_str());
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), std::string(5000, 'x'), type);
    QCOMPARE(r->status, 413);   // over --max-body-bytes: refused before reading
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), snappyOf(std::string(40000, '\0')), type);
    QCOMPARE(r->status, 413);   // decodes to more than 8 x --max-body-bytes
    QVERIFY2(r->body.find("decodes to 40000 bytes") != std::string::npos, r->body.c_str());
    r = http.Get("/api/v1/write");
    QVERIFY(r && r->status >= 400);

    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), good, type);
    QCOMPARE(r->status, 204);
    // A NaN beside a good value: 400 naming the series, the good value kept.
    const std::string mixed = body({series("DCGM_FI_DEV_POWER_USAGE", h.host, 3, {{now, std::nan("")}}),
                                    series("DCGM_FI_DEV_POWER_USAGE", h.host, 4, {{now, 432}})});
    r = http.Post("/api/v1/write", remoteWriteHeaders("s3cret"), mixed, type);
    QCOMPARE(r->status, 400);
    QVERIFY2(r->body.find("gpu=\"3\"}: value nan") != std::string::npos, r->body.c_str());

    // The values are in the next frame.
    std::unique_ptr<StoreReader> reader;
    QVERIFY2(waitFor([&] {
        try {
            if (!reader) reader = StoreReader::open(store.toStdString());
            reader->refresh();
            const SeriesState s = reader->seriesAt(reader->findSeries("gpu"), reader->span().last);
            return s.valid && s.values[0][h.gpuFirst + 2] == 612.0f && s.values[0][h.gpuFirst + 4] == 432.0f &&
                   s.values[1][h.gpuFirst + 2] == 88.0f && s.values[2][h.gpuFirst + 2] == 71.0f;
        } catch (const std::exception&) {
            return false;
        }
    }, 20), qPrintable(rx.output));
    reader.reset();
    QCOMPARE(rx.stop(), 0);
    QVERIFY2(rx.output.contains("answers.twin closed"), qPrintable(rx.output));
    // Requests that reached the decoder: bad snappy, the decoded 413, the good one, the NaN one.
    QVERIFY2(rx.output.contains("| 4 requests (3 bad), 5 samples: 4 recorded, 1 invalid |"), qPrintable(rx.output));
    QVERIFY2(rx.output.contains("| answered 401 x2, 413 x2, 415 x3, 503 x0 |"), qPrintable(rx.output));
}

// Another program holds the store's write lock (as a stalled disk would hold the writer): after
// three periods without a frame the receiver answers 503, so that Prometheus keeps the batch and
// retries; once the lock is gone the frames and the 204s come back.
void TestIngestCli::writerBehindAnswers503()
{
    const QString store = tmp_.filePath("behind.twin");
    Receiver rx;
    QVERIFY2(rx.start({"--site", kSmall, "--inventory", inventory_, "--out", store, "--report-every", "1"}),
             qPrintable(rx.output));
    httplib::Client http("127.0.0.1", rx.port);
    const auto& h = inv_.hosts()[20];
    const auto post = [&](TimeMs t) {
        const auto r = http.Post("/api/v1/write", remoteWriteHeaders(""),
                                 body({series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{t, 50}})}), "application/x-protobuf");
        return r ? r->status : -1;
    };
    QCOMPARE(post(kT0), 204);
    QVERIFY(waitFor([&] { rx.read(); return rx.output.contains("frames"); }, 10));

    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(store.toUtf8().constData(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    QCOMPARE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto locked = std::chrono::steady_clock::now();
    // The writer's own wait for the lock gives up after 5 s: release well before.
    int status = 0;
    while (std::chrono::steady_clock::now() - locked < std::chrono::milliseconds(4300)) {
        status = post(kT0 + 1000);
        if (status == 503) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - locked).count();
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    QCOMPARE(status, 503);
    QVERIFY2(waited >= 2.0, qPrintable(QString::number(waited)));   // not before the writer is behind
    QVERIFY(waitFor([&] { return post(kT0 + 2000) == 204; }, 10));
    QVERIFY(waitFor([&] { rx.read(); return rx.output.contains("503 x"); }, 10));
    QCOMPARE(rx.stop(), 0);
    QVERIFY2(!rx.output.contains("first error"), qPrintable(rx.output));
}

// --max-requests-per-second: a burst of a second's requests taken, the rest answered 503 with
// Retry-After (the sender keeps the batch), taken again once the bucket refills; counted apart.
void TestIngestCli::overTheRequestRateAnswers503()
{
    const QString store = tmp_.filePath("rate.twin");
    Receiver rx;
    QVERIFY2(rx.start({"--site", kSmall, "--inventory", inventory_, "--out", store, "--report-every", "1",
                       "--max-requests-per-second", "4"}),
             qPrintable(rx.output));
    httplib::Client http("127.0.0.1", rx.port);
    const auto& h = inv_.hosts()[21];
    int taken = 0, refused = 0;
    std::string retryAfter;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 12; ++i) {
        const auto r = http.Post("/api/v1/write", remoteWriteHeaders(""),
                                 body({series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{kT0 + i * 10, 50}})}), "application/x-protobuf");
        QVERIFY(r);
        if (r->status == 204) ++taken;
        if (r->status == 503) ++refused, retryAfter = r->get_header_value("Retry-After");
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("12 requests in %.2f s at most 4 a second: %d taken, %d answered 503", elapsed, taken, refused);
    QCOMPARE(taken + refused, 12);
    // The burst (4) and what refilled while posting (4 a second).
    QVERIFY(taken >= 4);
    QVERIFY(taken <= 4 + static_cast<int>(std::ceil(elapsed * 4)) + 1);
    QVERIFY(refused > 0);
    QCOMPARE(retryAfter, std::string("1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(600));   // 2.4 tokens back
    const auto again = http.Post("/api/v1/write", remoteWriteHeaders(""),
                                 body({series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{kT0 + 500, 51}})}), "application/x-protobuf");
    QVERIFY(again && again->status == 204);
    QVERIFY(waitFor([&] { rx.read(); return rx.output.contains(QString("(%1 over the request rate)").arg(refused)); }, 10));
    QCOMPARE(rx.stop(), 0);
}

// Killed with SIGKILL and started again on the same --out: the store is resumed, its frames go on
// after the last one the killed receiver committed, and a reader tailing it all along sees both.
void TestIngestCli::resumesTheStoreAfterSigkill()
{
    const QString store = tmp_.filePath("resumed.twin");
    const QStringList args = {"--site", kSmall, "--inventory", inventory_, "--out", store};
    const auto& h = inv_.hosts()[7];
    const std::int64_t gpu = h.gpuFirst + 1;
    const auto post = [&](int port, double watts) {
        httplib::Client http("127.0.0.1", port);
        const auto r = http.Post("/api/v1/write", remoteWriteHeaders(""),
                                 body({series("DCGM_FI_DEV_POWER_USAGE", h.host, 1,
                                              {{QDateTime::currentMSecsSinceEpoch(), watts}})}),
                                 "application/x-protobuf");
        return r ? r->status : -1;
    };
    std::unique_ptr<StoreReader> reader;
    // The time of the newest frame once it holds `watts` for the GPU; 0 until then.
    const auto frameWith = [&](float watts) -> TimeMs {
        try {
            if (!reader) reader = StoreReader::open(store.toStdString());
            reader->refresh();
            const SeriesState s = reader->seriesAt(reader->findSeries("gpu"), reader->span().last);
            return s.valid && s.values[0][gpu] == watts ? s.t : 0;
        } catch (const std::exception&) {
            return 0;
        }
    };

    Receiver first;
    QVERIFY2(first.start(args), qPrintable(first.output));
    QCOMPARE(post(first.port, 500), 204);
    TimeMs before = 0;
    QVERIFY2(waitFor([&] { return (before = frameWith(500)) > 0; }, 20), qPrintable(first.output));
    ::kill(static_cast<pid_t>(first.process.processId()), SIGKILL);
    QVERIFY(first.process.waitForFinished(5000));
    QCOMPARE(first.process.exitStatus(), QProcess::CrashExit);
    reader->refresh();
    const TimeMs lastOfKilled = reader->span().last;   // its last committed frame

    // Another period is refused in one line, naming the store and the series; nothing is written.
    const Run refused = runIngest(args + QStringList{"--period", "2", "--listen", "127.0.0.1:0"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.output.trimmed().count('\n') == 0 &&
                 refused.output.contains(store + ": series 'gpu' already exists with another definition (period "
                                                 "2000 ms, the store's 1000 ms)"),
             qPrintable(refused.output));

    Receiver second;
    QVERIFY2(second.start(args), qPrintable(second.output));
    QVERIFY2(second.output.contains("resuming " + store + " after its last frame (20"), qPrintable(second.output));
    QCOMPARE(post(second.port, 600), 204);
    TimeMs after = 0;
    QVERIFY2(waitFor([&] { return (after = frameWith(600)) > 0; }, 20), qPrintable(second.output));
    QCOMPARE(second.stop(), 0);

    // One series: frames a period apart or more, strictly increasing, both values in place; the
    // first frame of the resumed receiver is a key frame.
    reader->refresh();
    const int series = reader->findSeries("gpu");
    const auto times = reader->frameTimes(series, 0, std::numeric_limits<TimeMs>::max());
    QVERIFY(times.size() >= 2 && times.front() <= before && before < after && after <= times.back());
    for (std::size_t i = 1; i < times.size(); ++i) QVERIFY(times[i] >= times[i - 1] + 1000 && times[i] % 1000 == 0);
    QCOMPARE(reader->seriesAt(series, before).values[0][gpu], 500.0f);
    QCOMPARE(reader->seriesAt(series, after).values[0][gpu], 600.0f);
    const auto buckets = reader->seriesRange(series, 0, gpu, times.front(), times.back(),
                                             static_cast<int>((times.back() - times.front()) / 1000 + 1));
    QCOMPARE(buckets.size(), times.size());
    for (const Bucket& b : buckets) QCOMPARE(b.count, 1u);
    const auto resumed = std::upper_bound(times.begin(), times.end(), lastOfKilled);
    QVERIFY(resumed != times.end() && *resumed <= after);
    const auto key = reader->query("SELECT key_t FROM frame WHERE series = " + std::to_string(series) +
                                   " AND seg = 0 AND t = " + std::to_string(*resumed));
    QCOMPARE(key.at(0).at(0), std::to_string(*resumed));
}

void TestIngestCli::tls()
{
    const QString cert = tmp_.filePath("cert.pem"), key = tmp_.filePath("key.pem");
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                              "subjectAltName=IP:127.0.0.1"});
    const int made = openssl.waitForFinished(20000) && openssl.exitStatus() == QProcess::NormalExit ? openssl.exitCode() : -1;
    if (made != 0) QSKIP("no openssl command to make a test certificate");

    // A key that is not one: refused in one line.
    const Run bad = runIngest({"--site", kSmall, "--inventory", inventory_, "--out", tmp_.filePath("tls0.twin"),
                               "--tls-cert", cert, "--tls-key", inventory_});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.output.contains("cannot load the TLS certificate and key"), qPrintable(bad.output));

    Receiver rx;
    QVERIFY2(rx.start({"--site", kSmall, "--inventory", inventory_, "--out", tmp_.filePath("tls.twin"), "--tls-cert",
                       cert, "--tls-key", key}),
             qPrintable(rx.output));
    QVERIFY(rx.output.contains("listening on https://"));
    httplib::SSLClient https("127.0.0.1", rx.port);
    https.set_ca_cert_path(cert.toStdString());
    https.enable_server_certificate_verification(true);
    const auto& h = inv_.hosts()[30];
    auto r = https.Post("/api/v1/write", remoteWriteHeaders(""),
                        body({series("DCGM_FI_DEV_GPU_UTIL", h.host, 1, {{kT0, 64}})}), "application/x-protobuf");
    QVERIFY2(r, httplib::to_string(r.error()).c_str());
    QCOMPARE(r->status, 204);
    // Plain HTTP to the TLS port gets nothing.
    httplib::Client http("127.0.0.1", rx.port);
    http.set_connection_timeout(2);
    http.set_read_timeout(2);
    const auto plain = http.Post("/api/v1/write", remoteWriteHeaders(""), "x", "application/x-protobuf");
    QVERIFY(!plain || plain->status != 204);
    QCOMPARE(rx.stop(), 0);
}

QTEST_GUILESS_MAIN(TestIngestCli)
#include "test_ingest_cli.moc"
