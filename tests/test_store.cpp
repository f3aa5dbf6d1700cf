// The twin store: round trip of every kind of data, state at t, decimation, live tailing,
// crash safety, read-only access and every kind of bad input.
#include "support/child_writer.h"
#include "support/data_files.h"
#include "support/expect_error.h"
#include "support/file_hash.h"
#include "support/sql_file.h"

#include "twin/campus_file.h"
#include "twin/store.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <thread>

using namespace twin;
using namespace testsupport;

namespace {

const std::string kSmall = siteFile("small.json");
constexpr TimeMs kT0 = 1'780'000'000'000;   // 2026-05-28T20:26:40Z

// Deterministic test values, exactly representable at the stated precisions.
float gpuPower(std::int64_t i, int k) { return static_cast<float>(100 + (i * 7 + k * 13) % 600); }
float gpuUtil(std::int64_t i, int k) { return static_cast<float>((i + 3 * k) % 101); }
float gpuTemp(std::int64_t i, int k) { return static_cast<float>(30 + (i % 40) + 0.5 * (k % 5)); }
float rackKw(std::int64_t r, int k) { return static_cast<float>(40 + 0.1 * ((r * 31 + k * 17) % 900)); }

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    Campus campus_;
    std::string full_;   // a store written by writeFullStore()
    static constexpr int kFrames = 25;

    std::string tmp(const char* name) { return dir_.filePath(name).toStdString(); }

    // Writes GPU and rack series, a plant series, a scalar signal, events and bookmarks.
    void writeFullStore(const std::string& path) {
        auto w = StoreWriter::create(path, campus_);
        const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {},
                                      {{"power", "W", 1}, {"utilisation", "%", 1}, {"temperature", "degC", 0.5}},
                                      1000, 10, 100, false});
        const int rack = w->addSeries({"rack", AssetSet::Racks, {}, {{"power", "kW", 0.1}}, 1000, 10, 4, true});
        std::vector<std::string> turbines;
        for (AssetIndex a : campus_.assetsOfKind(AssetKind::Turbine)) turbines.push_back(campus_.assets[a].id);
        const int plant = w->addSeries({"plant", AssetSet::List, turbines, {{"power", "MW", 0.001}}, 100, 50, 64, true});
        const int freq = w->addSignal(campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id, "frequency", "Hz");
        w->addJob({0, "pretrain", {campus_.assets[campus_.racks()[0]].id, campus_.assets[campus_.racks()[1]].id}, 128, 4.0});
        w->addJob({0, "finetune", {campus_.assets[campus_.racks()[2]].id}, 64, 2.5});
        const int jobs = w->addSeries({"job", AssetSet::Jobs, {}, {{"power", "MW", 0.001}}, 1000, 10, 16, true});
        const auto n = campus_.gpuCount();
        const auto nr = static_cast<std::int64_t>(campus_.racks().size());
        std::vector<float> p(n), u(n), tc(n), rk(nr), tp(turbines.size());
        for (int k = 0; k < kFrames; ++k) {
            for (std::int64_t i = 0; i < n; ++i) {
                p[i] = gpuPower(i, k);
                u[i] = gpuUtil(i, k);
                tc[i] = gpuTemp(i, k);
            }
            for (std::int64_t r = 0; r < nr; ++r) rk[r] = rackKw(r, k);
            const std::span<const float> g[] = {p, u, tc};
            w->writeFrame(gpu, kT0 + k * 1000, g);
            const std::span<const float> rs[] = {rk};
            w->writeFrame(rack, kT0 + k * 1000, rs);
            const float jp[] = {0.1f * k, 0.05f};
            const std::span<const float> js[] = {jp};
            w->writeFrame(jobs, kT0 + k * 1000, js);
            for (int j = 0; j < 10; ++j) {
                for (std::size_t x = 0; x < tp.size(); ++x) tp[x] = static_cast<float>(10 + x + 0.001 * (k * 10 + j));
                const std::span<const float> ps[] = {tp};
                w->writeFrame(plant, kT0 + k * 1000 + j * 100, ps);
                w->writeSample(freq, kT0 + k * 1000 + j * 100, 60.0 + 0.001 * ((k * 10 + j) % 7));
            }
        }
        Event e;
        e.start = kT0 + 5000;
        e.end = kT0 + 9000;
        e.severity = Severity::Alarm;
        e.asset = turbines.front();
        e.kind = "turbine_trip";
        e.text = "Turbine tripped: loss of flame";
        w->addEvent(e);
        Event open{0, kT0 + 20000, std::nullopt, Severity::Warning, "", "soc_low", "Megapack SoC below 20 %"};
        w->addEvent(open);
        w->addBookmark({0, kT0 + 7000, "battery at limit", "Megapacks at full discharge"});
        w->close();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        campus_ = loadCampusFile(kSmall);
        QVERIFY(campus_.gpuCount() > 0);
        full_ = tmp("full.twin");
        writeFullStore(full_);
    }

    void roundTripCampus() {
        auto r = StoreReader::open(full_);
        const Campus& c = r->campus();
        QCOMPARE(c.name, campus_.name);
        QCOMPARE(c.timezone, campus_.timezone);
        QCOMPARE(c.assets.size(), campus_.assets.size());
        QCOMPARE(c.feeds.size(), campus_.feeds.size());
        QCOMPARE(c.gpuCount(), campus_.gpuCount());
        QCOMPARE(c.racks().size(), campus_.racks().size());
        QCOMPARE(c.rackTypes.size(), campus_.rackTypes.size());
        QCOMPARE(c.unitModels.size(), campus_.unitModels.size());
        for (std::size_t i = 0; i < c.assets.size(); ++i) {
            QCOMPARE(c.assets[i].id, campus_.assets[i].id);
            QCOMPARE(c.assets[i].name, campus_.assets[i].name);
            QCOMPARE(c.assets[i].kind, campus_.assets[i].kind);
            QCOMPARE(c.assets[i].parent, campus_.assets[i].parent);
            QCOMPARE(c.assets[i].gpuFirst, campus_.assets[i].gpuFirst);
            QCOMPARE(c.assets[i].box.cx, campus_.assets[i].box.cx);
            QCOMPARE(c.assets[i].ratingMw, campus_.assets[i].ratingMw);
        }
        for (std::size_t i = 0; i < c.feeds.size(); ++i) {
            QCOMPARE(c.feeds[i].from, campus_.feeds[i].from);
            QCOMPARE(c.feeds[i].to, campus_.feeds[i].to);
        }
    }

    void roundTripTelemetry() {
        auto r = StoreReader::open(full_);
        QCOMPARE(r->series().size(), std::size_t(4));
        const int gpu = r->findSeries("gpu"), rack = r->findSeries("rack"), plant = r->findSeries("plant");
        QVERIFY(gpu && rack && plant);
        const auto span = r->span();
        QVERIFY(!span.empty);
        QCOMPARE(span.first, kT0);
        QCOMPARE(span.last, kT0 + 24'900);   // the last plant frame; events end earlier
        CampusState st;
        for (int k = 0; k < kFrames; ++k) {
            r->stateAt(kT0 + k * 1000, st);
            const SeriesState& g = st.series[0];
            QVERIFY(g.valid);
            QCOMPARE(g.t, kT0 + k * 1000);
            for (std::int64_t i = 0; i < campus_.gpuCount(); ++i) {
                QCOMPARE(g.values[0][i], gpuPower(i, k));
                QCOMPARE(g.values[1][i], gpuUtil(i, k));
                QCOMPARE(g.values[2][i], gpuTemp(i, k));
            }
            const SeriesState& rk = st.series[1];
            for (std::size_t x = 0; x < campus_.racks().size(); ++x)
                QVERIFY(std::abs(rk.values[0][x] - rackKw(static_cast<std::int64_t>(x), k)) <= 0.05f + 1e-4f);
        }
        // Scalar signal: exact values.
        const int freq = r->findSignal(campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id, "frequency");
        QVERIFY(freq > 0);
        const auto s = r->signalAt(freq, kT0 + 12'300);
        QVERIFY(s.valid);
        QCOMPARE(s.t, kT0 + 12'300);
        QCOMPARE(s.value, 60.0 + 0.001 * (123 % 7));
        // Columnar channels are signals too.
        const auto& rack0 = campus_.assets[campus_.racks()[2]].id;
        const int rs = r->findSignal(rack0, "power");
        QVERIFY(rs > 0);
        QVERIFY(std::abs(r->signalAt(rs, kT0 + 3'000).value - rackKw(2, 3)) < 0.051);
    }

    void roundTripJobs() {
        auto r = StoreReader::open(full_);
        QCOMPARE(r->jobs().size(), std::size_t(2));
        QCOMPARE(r->jobs()[0].name, std::string("pretrain"));
        QCOMPARE(r->jobs()[0].racks.size(), std::size_t(2));
        QCOMPARE(r->jobs()[1].gpus, std::int64_t(64));
        QCOMPARE(r->jobs()[1].stepPeriodS, 2.5);
        const int s = r->findSignal("pretrain", "power");
        QVERIFY(s > 0);
        QCOMPARE(r->signalAt(s, kT0 + 7'500).value, 0.7);
        auto st = r->seriesAt(r->findSeries("job"), kT0 + 7'500);
        QCOMPARE(st.values[0][1], 0.05f);
    }

    void roundTripEventsAndBookmarks() {
        auto r = StoreReader::open(full_);
        auto all = r->events(kT0, kT0 + 60'000);
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].kind, std::string("turbine_trip"));
        QCOMPARE(all[0].severity, Severity::Alarm);
        QCOMPARE(all[0].start, kT0 + 5000);
        QCOMPARE(*all[0].end, kT0 + 9000);
        QCOMPARE(all[0].text, std::string("Turbine tripped: loss of flame"));
        QVERIFY(!all[1].end.has_value());
        QCOMPARE(r->events(kT0 + 8000, kT0 + 8500).size(), std::size_t(1));  // overlaps the trip's span
        QCOMPARE(r->events(kT0 + 9500, kT0 + 19'000).size(), std::size_t(0));
        const auto b = r->bookmarks();
        QCOMPARE(b.size(), std::size_t(1));
        QCOMPARE(b[0].name, std::string("battery at limit"));
        QCOMPARE(b[0].t, kT0 + 7000);
    }

    void stateAtOnBetweenBeforeAfter() {
        auto r = StoreReader::open(full_);
        const int gpu = r->findSeries("gpu");
        // Exactly on a key frame (k = 10) and a delta frame (k = 13).
        for (int k : {10, 13}) {
            auto s = r->seriesAt(gpu, kT0 + k * 1000);
            QCOMPARE(s.t, kT0 + k * 1000);
            QCOMPARE(s.values[0][5], gpuPower(5, k));
        }
        // Between samples: the latest at or before.
        auto between = r->seriesAt(gpu, kT0 + 13'999);
        QCOMPARE(between.t, kT0 + 13'000);
        QCOMPARE(between.values[0][7], gpuPower(7, 13));
        // Before the first: no state.
        QVERIFY(!r->seriesAt(gpu, kT0 - 1).valid);
        // After the last: the last.
        auto after = r->seriesAt(gpu, kT0 + 3'600'000);
        QCOMPARE(after.t, kT0 + (kFrames - 1) * 1000);
        QCOMPARE(after.values[1][9], gpuUtil(9, kFrames - 1));
        // Scalar signal, same four cases.
        const int freq = r->signalCatalogue().front().series == 0 ? r->signalCatalogue().front().id
                                                          : r->findSignal(campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id, "frequency");
        QCOMPARE(r->signalAt(freq, kT0 + 400).t, kT0 + 400);
        QCOMPARE(r->signalAt(freq, kT0 + 450).t, kT0 + 400);
        QVERIFY(!r->signalAt(freq, kT0 - 10).valid);
        QCOMPARE(r->signalAt(freq, kT0 + 10'000'000).t, kT0 + 24'900);
        // Random access in any order gives the same answers as in order (key-frame cache).
        for (int k : {24, 3, 17, 0, 9, 10, 11}) {
            auto s = r->seriesAt(gpu, kT0 + k * 1000 + 500);
            QCOMPARE(s.values[2][11], gpuTemp(11, k));
        }
    }

    void decimationKeepsExtremes() {
        const std::string path = tmp("spiky.twin");
        constexpr int n = 20'000;
        constexpr int spikeAt = 12'345;
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        std::vector<std::string> plantAssets = {bus};
        {
            auto w = StoreWriter::create(path, campus_);
            const int sig = w->addSignal(bus, "load", "MW");
            const int ser = w->addSeries({"plant", AssetSet::List, plantAssets, {{"power", "MW", 0.001}}, 10, 100, 16, true});
            const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 8, 64, false});
            std::vector<float> g(campus_.gpuCount());
            for (int i = 0; i < n; ++i) {
                double v = 100 + 5 * std::sin(i * 0.01) + (i % 3);
                if (i == spikeAt) v = 900;        // one-sample spike
                if (i == spikeAt + 1000) v = -50; // one-sample dip
                w->writeSample(sig, kT0 + i * 10, v);
                float f = static_cast<float>(v);
                const std::span<const float> q[] = {std::span<const float>(&f, 1)};
                w->writeFrame(ser, kT0 + i * 10, q);
                if (i % 100 == 0) {
                    for (auto& x : g) x = static_cast<float>(v);
                    const std::span<const float> gq[] = {g};
                    w->writeFrame(gpu, kT0 + i * 10, gq);
                }
            }
            w->close();
        }
        auto r = StoreReader::open(path);
        const int sig = r->findSignal(bus, "load");
        const int ser = r->findSeries("plant");
        const TimeMs t1 = kT0 + (n - 1) * 10;
        for (int points : {50, 333, 2000}) {
            for (const auto& b : {r->signalRange(sig, kT0, t1, points), r->seriesRange(ser, 0, 0, kT0, t1, points)}) {
                QVERIFY(b.size() <= static_cast<std::size_t>(points));
                double mx = -1e9, mn = 1e9;
                std::uint64_t count = 0;
                for (const auto& x : b) {
                    mx = std::max(mx, x.max);
                    mn = std::min(mn, x.min);
                    count += x.count;
                    QVERIFY(x.first <= x.last);
                }
                QCOMPARE(count, std::uint64_t(n));
                double sum = 0, want = 0;
                for (const auto& x : b) sum += x.sum;
                for (int i = 0; i < n; ++i)
                    want += i == spikeAt ? 900 : i == spikeAt + 1000 ? -50 : 100 + 5 * std::sin(i * 0.01) + (i % 3);
                QVERIFY2(std::abs(sum - want) < 1e-6 * std::abs(want) + 0.001 * n, qPrintable(QString("%1 vs %2").arg(sum).arg(want)));
                QVERIFY(std::abs(mx - 900) < 1e-3);
                QVERIFY(std::abs(mn + 50) < 1e-3);
                // The spike lies in the bucket whose time span holds it.
                bool found = false;
                for (const auto& x : b)
                    if (x.first <= kT0 + spikeAt * 10 && x.last >= kT0 + spikeAt * 10) found = std::abs(x.max - 900) < 1e-3;
                QVERIFY(found);
            }
        }
        // A sub-range: exactly the samples inside.
        auto part = r->signalRange(sig, kT0 + 1000, kT0 + 1990, 1000);
        QCOMPARE(part.size(), std::size_t(100));
        QCOMPARE(part.front().first, kT0 + 1000);
        QCOMPARE(part.front().min, 100 + 5 * std::sin(100 * 0.01) + (100 % 3));
        // A GPU channel from frames.
        auto gpuRange = r->seriesRange(r->findSeries("gpu"), 0, 3, kT0, t1, 2000);
        QCOMPARE(gpuRange.size(), std::size_t(n / 100));
        QCOMPARE(gpuRange[spikeAt / 100].firstValue, std::round(100 + 5 * std::sin(12300 * 0.01)));
    }

    void otherClientsCanAddSamplesAndEvents() {
        const std::string path = tmp("external.twin");
        QVERIFY(QFile::copy(QString::fromStdString(full_), QString::fromStdString(path)));
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        // What docs/store.md tells a sqlite3-shell or Python user to do.
        sqliteExec(path, "INSERT INTO signal(asset, quantity, unit) VALUES('" + bus + "', 'voltage', 'kV');"
                         "INSERT INTO sample(signal, t, value) SELECT id, " + std::to_string(kT0 + 1500) +
                         ", 13.81 FROM signal WHERE asset='" + bus + "' AND quantity='voltage';"
                         "INSERT INTO event(t_start, severity, asset, text) VALUES(" + std::to_string(kT0 + 1600) +
                         ", 'warning', '" + bus + "', 'Voltage high');");
        auto r = StoreReader::open(path);
        const int v = r->findSignal(bus, "voltage");
        QVERIFY(v > 0);
        const auto s = r->signalAt(v, kT0 + 2000);
        QVERIFY(s.valid);
        QCOMPARE(s.value, 13.81);
        const auto ev = r->events(kT0 + 1600, kT0 + 1600);
        QCOMPARE(ev.size(), std::size_t(1));
        QCOMPARE(ev[0].text, std::string("Voltage high"));
        QCOMPARE(r->stateAt(kT0 + 2000).signalValues.size(), std::size_t(2));
    }

    void readOnlyOpenRefusesWrites() {
        const auto before = fileHash(full_);
        {
            auto r = StoreReader::open(full_);
            expectError([&] { r->query("INSERT INTO bookmark(t, name) VALUES(1, 'x')"); }, full_, "read-only");
            expectError([&] { r->query("DELETE FROM frame"); }, full_, "read-only");
            QCOMPARE(r->query("SELECT count(*) FROM bookmark")[0][0], std::string("1"));
            r->stateAt(kT0 + 3000);
            r->signalRange(1, kT0, kT0 + 30'000, 100);
        }
        QCOMPARE(fileHash(full_), before);
    }

    void writerRefusesBadSamples() {
        const std::string path = tmp("bad-samples.twin");
        auto w = StoreWriter::create(path, campus_);
        const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 100, false});
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        const int sig = w->addSignal(bus, "frequency", "Hz");
        std::vector<float> p(campus_.gpuCount(), 500.f);
        const std::span<const float> q[] = {p};
        w->writeFrame(gpu, kT0, q);
        w->writeSample(sig, kT0, 60.0);
        p[17] = std::numeric_limits<float>::quiet_NaN();
        expectError([&] { w->writeFrame(gpu, kT0 + 1000, q); }, path, "NaN");
        expectError([&] { w->writeFrame(gpu, kT0 + 1000, q); }, path, campus_.gpuId(17));
        p[17] = 500.f;
        expectError([&] { w->writeFrame(gpu, kT0, q); }, path, "not after");
        expectError([&] { w->writeSample(sig, kT0 + 10, std::nan("")); }, path, "NaN");
        expectError([&] { w->writeSample(sig, kT0 - 10, 60.0); }, path, "not after");
        expectError([&] { w->addSignal("no/such/asset", "power", "MW"); }, path, "unknown asset");
        w->writeFrame(gpu, kT0 + 1000, q);   // the writer goes on after a refusal
        w->close();
        auto r = StoreReader::open(path);
        auto s = r->seriesAt(r->findSeries("gpu"), kT0 + 5000);
        QCOMPARE(s.t, kT0 + 1000);
        QCOMPARE(s.values[0][17], 500.f);
        QCOMPARE(r->signalAt(r->findSignal(bus, "frequency"), kT0 + 5000).value, 60.0);
    }

    void badStoresGiveClearErrors() {
        expectError([&] { StoreReader::open(tmp("missing.twin")); }, tmp("missing.twin"), "no such file");

        const std::string text = tmp("notes.twin");
        QFile f(QString::fromStdString(text));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        expectError([&] { StoreReader::open(text); }, text, "not an SQLite database");

        const std::string empty = tmp("empty.twin");
        QFile e(QString::fromStdString(empty));
        QVERIFY(e.open(QIODevice::WriteOnly));
        e.close();
        expectError([&] { StoreReader::open(empty); }, empty, "empty");

        const std::string other = tmp("other.sqlite");
        sqliteExec(other, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
        expectError([&] { StoreReader::open(other); }, other, "without the twin schema");

        const std::string newer = tmp("newer.twin");
        QVERIFY(QFile::copy(QString::fromStdString(full_), QString::fromStdString(newer)));
        sqliteExec(newer, "PRAGMA user_version = " + std::to_string(twin::kStoreSchemaVersion + 1) + ";");
        expectError([&] { StoreReader::open(newer); }, newer, "newer than this program");

        const std::string truncated = tmp("truncated.twin");
        QVERIFY(QFile::copy(QString::fromStdString(full_), QString::fromStdString(truncated)));
        std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
        expectError([&] { StoreReader::open(truncated); }, truncated, "truncated");

        // Garbage over the second half: the error comes at open or when the data is read.
        const std::string corrupt = tmp("corrupt.twin");
        QVERIFY(QFile::copy(QString::fromStdString(full_), QString::fromStdString(corrupt)));
        {
            QFile c(QString::fromStdString(corrupt));
            QVERIFY(c.open(QIODevice::ReadWrite));
            const qint64 size = c.size();
            QByteArray junk(static_cast<int>(size / 2), '\0');
            for (int i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 2654435761u) >> 13);
            c.seek(size / 2 - 1000);
            c.write(junk);
        }
        expectError([&] {
            auto r = StoreReader::open(corrupt);
            CampusState st;
            for (int k = 0; k < kFrames; ++k) r->stateAt(kT0 + k * 1000, st);
            for (const auto& s : r->signalCatalogue()) r->signalRange(s.id, kT0, kT0 + 30'000, 10);
        }, corrupt, "corrupt");
    }

    void tailingSeesCommitsFromAnotherProcess() {
        const std::string path = tmp("live.twin");
        QProcess child;
        QVERIFY(startWriter(child, QString::fromStdString(path), 40, 1, 60));
        auto r = StoreReader::open(path);
        const int gpu = r->findSeries("gpu");
        QVERIFY(gpu > 0);
        std::vector<double> latencies;
        int seen = 0;
        while (seen < 60) {
            if (!child.waitForReadyRead(5000)) break;
            while (child.canReadLine()) {
                const auto commit = parseCommit(child.readLine());
                if (!commit) continue;
                const TimeMs t = commit->t;
                const auto start = std::chrono::steady_clock::now();
                // Poll as a viewer would, until the committed frame is visible.
                while (true) {
                    r->refresh();
                    if (!r->span().empty && r->span().last >= t) break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
                }
                latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                const auto s = r->seriesAt(gpu, t);
                QCOMPARE(s.t, t);
                seen = static_cast<int>(commit->frames);
            }
        }
        QVERIFY(child.waitForFinished(20000));
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(seen, 60);
        std::sort(latencies.begin(), latencies.end());
        const double p50 = latencies[latencies.size() / 2], worst = latencies.back();
        qInfo("tail latency after the child's commit: median %.2f ms, max %.2f ms", p50, worst);
        QVERIFY2(worst < 100, qPrintable(QString("a commit took %1 ms to be seen").arg(worst)));
    }

    void walStaysBoundedWhileAReaderTails() {
        // 1,000 commits of at least one 64 KiB page each: 64 MiB of WAL without checkpoints.
        const std::string path = tmp("wal.twin");
        QProcess child;
        QVERIFY(startWriter(child, QString::fromStdString(path), 0, 1, 1000));
        auto r = StoreReader::open(path);
        const int gpu = r->findSeries("gpu");
        std::uintmax_t maxWal = 0;
        int reads = 0;
        while (child.state() != QProcess::NotRunning) {
            r->refresh();
            if (!r->span().empty) {
                r->seriesAt(gpu, r->span().last);
                ++reads;
            }
            std::error_code ec;
            const auto wal = std::filesystem::file_size(path + "-wal", ec);
            if (!ec) maxWal = std::max(maxWal, wal);
            child.waitForFinished(1);
        }
        QCOMPARE(child.exitCode(), 0);
        auto frames = std::stol(r->query("SELECT count(*) FROM frame WHERE seg = 0")[0][0]);
        QCOMPARE(frames, 1000L);
        qInfo("largest WAL while tailing: %.1f MiB over %d reads", maxWal / 1048576.0, reads);
        QVERIFY(reads > 10);
        QVERIFY2(maxWal < 32u * 1024 * 1024, qPrintable(QString("WAL grew to %1 bytes").arg(maxWal)));
    }

    void sigkillLosesAtMostTheBatchInFlight() {
        const std::string path = tmp("killed.twin");
        QProcess child;
        QVERIFY(startWriter(child, QString::fromStdString(path), 0, 7, -1, false));
        long committed = 0;
        TimeMs lastT = 0;
        while (committed < 70 && child.waitForReadyRead(10000)) {
            while (child.canReadLine()) {
                if (const auto commit = parseCommit(child.readLine())) {
                    committed = commit->frames;
                    lastT = commit->t;
                }
            }
        }
        QVERIFY(committed >= 70);
        QVERIFY(killWriter(child));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        auto r = StoreReader::open(path);
        const int gpu = r->findSeries("gpu");
        const auto frames = std::stol(r->query("SELECT count(*) FROM frame WHERE series = 1 AND seg = 0")[0][0]);
        QVERIFY2(frames >= committed, qPrintable(QString("%1 frames, %2 committed").arg(frames).arg(committed)));
        QVERIFY(frames % 7 == 0);   // whole batches only
        const auto s = r->seriesAt(gpu, lastT);
        QVERIFY(s.valid);
        QCOMPARE(s.t, lastT);
        const long f = (lastT - 1'780'000'000'000) / 1000;
        QCOMPARE(s.values[0][3], static_cast<float>((3 * 7 + f * 13) % 700));
        QCOMPARE(r->query("PRAGMA integrity_check")[0][0], std::string("ok"));
    }

    // --- Resuming a store (docs/store.md, "Resuming a store") ---

    void resumeContinuesSeriesSignalsAndEvents() {
        const std::string path = tmp("resumed.twin");
        const SeriesSpec gpuSpec{"gpu", AssetSet::Gpus, {},
                                 {{"power", "W", 1}, {"utilisation", "%", 1}, {"temperature", "degC", 0.5}},
                                 1000, 10, 100, false};
        const SeriesSpec rackSpec{"rack", AssetSet::Racks, {}, {{"power", "kW", 0.1}}, 1000, 10, 4, true};
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        const Job job{0, "pretrain", {campus_.assets[campus_.racks()[1]].id, campus_.assets[campus_.racks()[0]].id}, 128, 4};
        const auto n = campus_.gpuCount();
        const auto nr = static_cast<std::int64_t>(campus_.racks().size());
        // Frames k in [from, to) of both series and a sample of the signal at each.
        auto writeFrames = [&](StoreWriter& w, int gpu, int rack, int freq, int from, int to) {
            std::vector<float> p(n), u(n), tc(n), rk(nr);
            for (int k = from; k < to; ++k) {
                for (std::int64_t i = 0; i < n; ++i) {
                    p[i] = gpuPower(i, k);
                    u[i] = gpuUtil(i, k);
                    tc[i] = gpuTemp(i, k);
                }
                for (std::int64_t r = 0; r < nr; ++r) rk[r] = rackKw(r, k);
                const std::span<const float> g[] = {p, u, tc};
                w.writeFrame(gpu, kT0 + k * 1000, g);
                const std::span<const float> rs[] = {rk};
                w.writeFrame(rack, kT0 + k * 1000, rs);
                w.writeSample(freq, kT0 + k * 1000, 60.0 + 0.001 * k);
            }
        };
        std::int64_t alarm = 0;
        {
            auto w = StoreWriter::create(path, campus_);
            const int gpu = w->addSeries(gpuSpec), rack = w->addSeries(rackSpec);
            const int freq = w->addSignal(bus, "frequency", "Hz");
            QCOMPARE(w->addJob(job), 1);
            writeFrames(*w, gpu, rack, freq, 0, 15);
            alarm = w->addEvent({0, kT0 + 5000, std::nullopt, Severity::Alarm, bus, "bus_fault", "Bus fault"});
            w->close();
        }
        auto tail = StoreReader::open(path);   // tails the store across the resume, never reopened
        const int gpu = tail->findSeries("gpu"), rack = tail->findSeries("rack");
        const int freq = tail->findSignal(bus, "frequency");
        QCOMPARE(tail->span().last, kT0 + 14'000);
        {
            auto w = StoreWriter::resume(path, campus_);
            // The alarm the first writer left open ends where that writer's data ended.
            tail->refresh();
            QCOMPARE(tail->events(kT0, kT0 + 30'000).at(0).end.value_or(0), kT0 + 14'000);
            QCOMPARE(w->addSeries(gpuSpec), gpu);
            QCOMPARE(w->addSeries(rackSpec), rack);
            QCOMPARE(w->addSignal(bus, "frequency", "Hz"), freq);
            QCOMPARE(w->addJob(job), 1);
            QCOMPARE(w->lastFrameTime(gpu).value_or(0), kT0 + 14'000);
            // At or before the last recorded time: refused like any out-of-order write.
            expectError([&] { writeFrames(*w, gpu, rack, freq, 14, 15); }, path, "is not after the previous one");
            expectError([&] { w->writeSample(freq, kT0 + 14'000, 60); }, path, "is not after the previous one");
            writeFrames(*w, gpu, rack, freq, 15, 30);
            w->endEvent(alarm, kT0 + 20'000);   // a writer that knows better may still end it later
            QCOMPARE(w->addEvent({0, kT0 + 25'000, std::nullopt, Severity::Info, "", "note", "after the resume"}), alarm + 1);
            w->commit();
            QVERIFY(tail->refresh());
            QCOMPARE(tail->span().last, kT0 + 29'000);
            w->close();
        }
        tail->refresh();
        // The first frame after the resume is a key frame.
        const std::string keyT = "SELECT key_t FROM frame WHERE series = " + std::to_string(gpu) +
                                 " AND seg = 0 AND t = " + std::to_string(kT0 + 15'000);
        QCOMPARE(tail->query(keyT)[0][0], std::to_string(kT0 + 15'000));
        for (int k : {0, 9, 14, 15, 16, 24, 29}) {
            const auto s = tail->seriesAt(gpu, kT0 + k * 1000 + 500);
            QCOMPARE(s.t, kT0 + k * 1000);
            for (std::int64_t i : {std::int64_t(0), std::int64_t(7), n - 1}) {
                QCOMPARE(s.values[0][i], gpuPower(i, k));
                QCOMPARE(s.values[2][i], gpuTemp(i, k));
            }
        }
        // One continuous series: a range across the boundary has every frame, in one bucket each.
        const auto g = tail->seriesRange(gpu, 0, 7, kT0, kT0 + 29'000, 30);
        QCOMPARE(g.size(), std::size_t(30));
        for (int k = 0; k < 30; ++k) {
            QCOMPARE(g[k].count, 1u);
            QCOMPARE(g[k].first, kT0 + k * 1000);
            QCOMPARE(g[k].firstValue, double(gpuPower(7, k)));
        }
        const auto r = tail->seriesRange(rack, 0, 2, kT0, kT0 + 29'000, 30);   // chunks of both sessions
        QCOMPARE(r.size(), std::size_t(30));
        for (int k = 0; k < 30; ++k) QVERIFY(std::abs(r[k].firstValue - rackKw(2, k)) < 0.051);
        std::vector<TimeMs> t;
        std::vector<double> v;
        tail->signalSamples(freq, kT0, kT0 + 29'000, t, v);
        QCOMPARE(t.size(), std::size_t(30));
        for (int k = 0; k < 30; ++k) {
            QCOMPARE(t[k], kT0 + k * 1000);
            QCOMPARE(v[k], 60.0 + 0.001 * k);
        }
        const auto events = tail->events(kT0, kT0 + 30'000);
        QCOMPARE(events.size(), std::size_t(2));
        QCOMPARE(events[0].end.value_or(0), kT0 + 20'000);
        QCOMPARE(events[1].text, std::string("after the resume"));
        QCOMPARE(tail->jobs().size(), std::size_t(1));
        QCOMPARE(tail->query("PRAGMA integrity_check")[0][0], std::string("ok"));
    }

    void resumeRebuildsOpenChunksOfAnUnclosedWriter() {
        // The store as a writer that died after a commit leaves it: a copy of the file and its
        // WAL taken right after the commit, with 77 samples of every channel in no chunk yet.
        const std::string live = tmp("unclosed-live.twin"), path = tmp("unclosed.twin");
        std::vector<std::string> turbines;
        for (AssetIndex a : campus_.assetsOfKind(AssetKind::Turbine)) turbines.push_back(campus_.assets[a].id);
        const SeriesSpec spec{"plant", AssetSet::List, turbines, {{"power", "MW", 0.001}}, 100, 50, 64, true};
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        auto value = [](std::size_t x, int k) { return static_cast<float>(10 + x + 0.001 * (k % 977)); };
        auto write = [&](StoreWriter& w, int plant, int freq, int from, int to) {
            std::vector<float> tp(turbines.size());
            for (int k = from; k < to; ++k) {
                for (std::size_t x = 0; x < tp.size(); ++x) tp[x] = value(x, k);
                const std::span<const float> ps[] = {tp};
                w.writeFrame(plant, kT0 + k * 100, ps);
                w.writeSample(freq, kT0 + k * 100, 60.0 + 0.001 * (k % 7));
            }
        };
        {
            auto w = StoreWriter::create(live, campus_);
            write(*w, w->addSeries(spec), w->addSignal(bus, "frequency", "Hz"), 0, 1101);
            w->commit();
            for (const char* suffix : {"", "-wal"})
                QVERIFY(QFile::copy(QString::fromStdString(live + suffix), QString::fromStdString(path + suffix)));
        }
        {
            auto w = StoreWriter::resume(path, campus_);
            const int plant = w->addSeries(spec), freq = w->addSignal(bus, "frequency", "Hz");
            QCOMPARE(w->lastFrameTime(plant).value_or(0), kT0 + 110'000);
            write(*w, plant, freq, 1101, 2201);
            w->close();
        }
        auto r = StoreReader::open(path);
        const int channel = r->findSignal(turbines[1], "power"), freq = r->findSignal(bus, "frequency");
        for (int sig : {channel, freq}) {
            // Full chunks as if never interrupted: the 77 open samples went into the next chunk.
            const auto chunks = r->query("SELECT n FROM chunk WHERE signal = " + std::to_string(sig) + " ORDER BY t0");
            QCOMPARE(chunks.size(), std::size_t(3));
            QCOMPARE(chunks[0][0], std::string("1024"));
            QCOMPARE(chunks[1][0], std::string("1024"));
            QCOMPARE(chunks[2][0], std::string("153"));
            std::vector<TimeMs> t;
            std::vector<double> v;
            r->signalSamples(sig, kT0, kT0 + 220'000, t, v);
            QCOMPARE(t.size(), std::size_t(2201));
            for (int k = 0; k < 2201; ++k) {
                QCOMPARE(t[k], kT0 + k * 100);
                if (sig == freq) QCOMPARE(v[k], 60.0 + 0.001 * (k % 7));
                else QVERIFY(std::abs(v[k] - value(1, k)) < 0.0006);
            }
        }
        QCOMPARE(r->query("SELECT count(*) FROM sample")[0][0], std::string("0"));
    }

    void resumeRefusesAnotherCampusOrDefinition() {
        const std::string path = tmp("refusing.twin");
        const SeriesSpec spec{"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 100, false};
        const std::string bus = campus_.assets[campus_.assetsOfKind(AssetKind::Bus).front()].id;
        {
            auto w = StoreWriter::create(path, campus_);
            std::vector<float> p(campus_.gpuCount(), 300.f);
            const std::span<const float> q[] = {p};
            w->writeFrame(w->addSeries(spec), kT0, q);
            w->addSignal(bus, "frequency", "Hz");
        }
        const QByteArray before = fileHash(path);
        Campus renamed = campus_;
        renamed.name = "Another campus";
        expectError([&] { StoreWriter::resume(path, renamed); }, path, "cannot be resumed with this campus: it holds campus '" + campus_.name + "'");
        Campus moved = campus_;
        moved.assets[5].box.cx += 1;
        expectError([&] { StoreWriter::resume(path, moved); }, path, "differs at asset '" + campus_.assets[5].id + "'");
        QCOMPARE(fileHash(path), before);
        {
            auto w = StoreWriter::resume(path, campus_);
            SeriesSpec other = spec;
            other.segmentSize = 200;
            expectError([&] { w->addSeries(other); }, path,
                        "series 'gpu' already exists with another definition (segment size 200, the store's 100)");
            other = spec;
            other.quantities[0].unit = "kW";
            expectError([&] { w->addSeries(other); }, path, "series 'gpu' already exists with another definition (quantity 0");
            expectError([&] { w->addSignal(bus, "frequency", "kHz"); }, path, "already exists in unit 'Hz'");
            QCOMPARE(w->addSeries(spec), 1);
        }
        expectError([&] { StoreWriter::resume(tmp("missing.twin"), campus_); }, tmp("missing.twin"), "no such store");
        const std::string folder = dir_.path().toStdString();
        expectError([&] { StoreWriter::resume(folder, campus_); }, folder, "cannot be resumed: it is a folder");
        const std::string text = tmp("notes.twin");
        {
            QFile f(QString::fromStdString(text));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a store, just some notes that happen to end in .twin\n");
        }
        expectError([&] { StoreWriter::resume(text, campus_); }, text, "cannot be resumed: not a twin store");
    }

    void resumeAfterSigkillContinuesTheCommittedFrames() {
        const std::string path = tmp("killed-resumed.twin");
        QProcess child;
        QVERIFY(startWriter(child, QString::fromStdString(path), 0, 7, -1, false));
        long committed = 0;
        while (committed < 35 && child.waitForReadyRead(10000))
            while (child.canReadLine())
                if (const auto commit = parseCommit(child.readLine())) committed = commit->frames;
        QVERIFY(committed >= 35);
        QVERIFY(killWriter(child));   // in the middle of a batch: the WAL holds uncommitted pages
        auto tail = StoreReader::open(path);
        const int gpu = tail->findSeries("gpu");
        const long before = std::stol(tail->query("SELECT count(*) FROM frame WHERE seg = 0")[0][0]);
        QVERIFY(before >= committed && before % 7 == 0);

        QProcess again;
        QVERIFY(startWriter(again, QString::fromStdString(path), 0, 5, 20, true, true));
        QVERIFY(again.waitForFinished(20000));
        QCOMPARE(again.exitCode(), 0);
        QVERIFY(tail->refresh());
        const auto frames = tail->frameTimes(gpu, 0, std::numeric_limits<TimeMs>::max());
        QCOMPARE(static_cast<long>(frames.size()), before + 20);
        for (std::size_t f = 0; f < frames.size(); ++f) QCOMPARE(frames[f], kT0 + static_cast<TimeMs>(f) * 1000);
        const auto g = tail->seriesRange(gpu, 0, 3, kT0, frames.back(), static_cast<int>(frames.size()));
        QCOMPARE(g.size(), frames.size());
        for (std::size_t f = 0; f < g.size(); ++f)
            QCOMPARE(g[f].firstValue, double((3 * 7 + f * 13) % 700));
        const auto first = tail->query("SELECT key_t FROM frame WHERE seg = 0 AND t = " + std::to_string(frames[before]));
        QCOMPARE(first[0][0], std::to_string(frames[before]));
        QCOMPARE(tail->query("PRAGMA integrity_check")[0][0], std::string("ok"));
    }
};

QTEST_APPLESS_MAIN(TestStore)
#include "test_store.moc"
