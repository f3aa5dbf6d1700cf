// The rack x time heat map query (twin/query/rack_heat_map.h): its raster against per-rack
// reductions made here from the store's raw frames (frameTimes, frameQuantised), on a synthetic
// store whose rack series spans several small segments (ranges that start inside a key frame's
// group, cut frames, more buckets than frames) and on a simulator recording; empty and
// out-of-span ranges; bad requests; damaged frames and key frames leave NaN.
#include "twin/campus_file.h"
#include "twin/query/rack_heat_map.h"
#include "twin/sim/series.h"
#include "twin/store.h"

#include "support/data_files.h"
#include "support/recordings.h"
#include "support/sql_file.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using namespace twin;
using testsupport::siteFile, testsupport::sqliteExec;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;
constexpr int kFrames = 200, kKeyInterval = 7, kSegment = 2;

// Frame f's time: about a second apart, unevenly.
TimeMs frameTime(int f) { return kT0 + f * 1000 + (f * 37) % 400; }

// A rack series in segments of 2 racks (the small campus's 7 racks: 4 segments), key frames
// every 7 frames, values varying with rack and frame.
void writeStore(const std::string& path) {
    const Campus campus = loadCampusFile(siteFile("small.json"));
    auto w = StoreWriter::create(path, campus, {.overwrite = true});
    SeriesSpec spec{"rack", AssetSet::Racks, {}, {{"power", "kW", 0.1}, {"inlet_temperature", "degC", 0.1}},
                    1000, kKeyInterval, kSegment, false};
    const int id = w->addSeries(spec);
    const std::size_t n = campus.racks().size();
    std::vector<float> power(n), inlet(n);
    for (int f = 0; f < kFrames; ++f) {
        for (std::size_t i = 0; i < n; ++i) {
            power[i] = static_cast<float>(20 + 3 * static_cast<int>(i) + 0.1 * ((f * 13 + static_cast<int>(i) * 7) % 90));
            inlet[i] = static_cast<float>(25 + 0.1 * ((f * 3 + static_cast<int>(i)) % 50));
        }
        const std::span<const float> q[] = {power, inlet};
        w->writeFrame(id, frameTime(f), q);
    }
    w->close();
}

// The reduction done the plain way: every frame in [t0, t1] read whole, each rack's values
// averaged per bucket (bucket = floor((t - t0) * N / (t1 - t0 + 1))).
std::vector<double> expectedRaster(StoreReader& r, const std::vector<std::int64_t>& racks, int quantity, TimeMs t0,
                                   TimeMs t1, int buckets) {
    const int id = r.findSeries("rack");
    double precision = 0;
    for (const auto& s : r.series())
        if (s.id == id) precision = s.spec.quantities[static_cast<std::size_t>(quantity)].precision;
    std::vector<double> sum(racks.size() * buckets, 0), count(racks.size() * buckets, 0);
    std::vector<std::vector<std::int32_t>> frame;
    for (const TimeMs t : r.frameTimes(id, t0, t1)) {
        try {
            r.frameQuantised(id, t, frame);
        } catch (const DamagedData&) {
            continue;
        }
        const auto b = static_cast<std::size_t>((t - t0) * buckets / (t1 - t0 + 1));
        for (std::size_t row = 0; row < racks.size(); ++row) {
            sum[row * buckets + b] += frame[static_cast<std::size_t>(quantity)][static_cast<std::size_t>(racks[row])] * precision;
            count[row * buckets + b] += 1;
        }
    }
    std::vector<double> out(sum.size(), std::nan(""));
    for (std::size_t i = 0; i < sum.size(); ++i)
        if (count[i] > 0) out[i] = sum[i] / count[i];
    return out;
}

// Every cell equal (NaN where NaN), and the per-bucket extremes those of the cells.
void compare(const query::RackHeatMap& m, const std::vector<double>& want) {
    QCOMPARE(m.values.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (std::isnan(want[i])) {
            QVERIFY2(std::isnan(m.values[i]), qPrintable(QString("cell %1: %2, want none").arg(i).arg(m.values[i])));
            continue;
        }
        QVERIFY2(std::abs(m.values[i] - want[i]) <= 1e-4 * std::max(1.0, std::abs(want[i])),
                 qPrintable(QString("cell %1 (row %2, bucket %3): %4, want %5")
                                .arg(i).arg(i / m.buckets).arg(i % m.buckets).arg(m.values[i]).arg(want[i])));
    }
    for (int b = 0; b < m.buckets; ++b) {
        double lo = INFINITY, hi = -INFINITY;
        for (int r = 0; r < m.rows; ++r)
            if (!std::isnan(m.at(r, b))) {
                lo = std::min<double>(lo, m.at(r, b));
                hi = std::max<double>(hi, m.at(r, b));
            }
        if (std::isinf(lo)) {
            QVERIFY(std::isnan(m.bucketMin[b]) && std::isnan(m.bucketMax[b]));
        } else {
            QCOMPARE(m.bucketMin[b], static_cast<float>(lo));
            QCOMPARE(m.bucketMax[b], static_cast<float>(hi));
        }
    }
}

bool allNaN(const query::RackHeatMap& m) {
    return std::all_of(m.values.begin(), m.values.end(), [](float v) { return std::isnan(v); });
}

} // namespace

class TestHeatmapQuery : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string store_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        store_ = dir_.filePath("racks.twin").toStdString();
        writeStore(store_);
    }

    void rasterEqualsPerRackReductions_data() {
        QTest::addColumn<QString>("racks");     // "all", "hall", or positions "3,9,17"
        QTest::addColumn<int>("quantity");
        QTest::addColumn<qint64>("from");       // ms after kT0
        QTest::addColumn<qint64>("to");
        QTest::addColumn<int>("buckets");
        const qint64 end = qint64(frameTime(kFrames - 1) - kT0);
        QTest::newRow("all racks, whole span, 1 bucket") << "all" << 0 << qint64(0) << end << 1;
        QTest::newRow("all racks, whole span, 60 buckets") << "all" << 0 << qint64(0) << end << 60;
        QTest::newRow("all racks, inlet, 17 buckets") << "all" << 1 << qint64(0) << end << 17;
        QTest::newRow("a hall, cut frames, 23 buckets") << "hall" << 0 << qint64(10'500) << qint64(150'200) << 23;
        QTest::newRow("scattered racks across segments") << "6,0,3,2,5" << 0 << qint64(33'333) << qint64(99'999) << 10;
        QTest::newRow("a rack twice") << "5,5,6" << 1 << qint64(2'100) << qint64(60'000) << 7;
        QTest::newRow("more buckets than frames") << "0,2,3,6" << 0 << qint64(44'000) << qint64(54'000) << 97;
        QTest::newRow("one delta frame, its key before t0") << "all" << 0 << qint64(frameTime(10) - kT0) << qint64(frameTime(10) - kT0) << 3;
        QTest::newRow("range wider than the recording") << "all" << 0 << qint64(-50000) << qint64(end + 80000) << 40;
    }
    void rasterEqualsPerRackReductions() {
        QFETCH(QString, racks);
        QFETCH(int, quantity);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(int, buckets);
        auto r = StoreReader::open(store_);
        const Campus& c = r->campus();
        std::vector<std::int64_t> rows;
        if (racks == "all") {
            rows = query::racksUnder(c, kNoAsset);
            QCOMPARE(rows.size(), c.racks().size());
        } else if (racks == "hall") {
            const auto halls = c.assetsOfKind(AssetKind::Hall);
            QVERIFY(halls.size() >= 2);
            rows = query::racksUnder(c, halls[1]);
            QVERIFY(!rows.empty() && rows.size() < c.racks().size());
            for (const auto p : rows) {
                AssetIndex a = c.racks()[static_cast<std::size_t>(p)];
                while (a != kNoAsset && a != halls[1]) a = c.assets[static_cast<std::size_t>(a)].parent;
                QCOMPARE(a, halls[1]);
            }
        } else {
            for (const QString& p : racks.split(',')) rows.push_back(p.toLongLong());
        }
        query::HeatMapRequest q{rows, sim::series::Rack::quantities[static_cast<std::size_t>(quantity)], kT0 + from, kT0 + to, buckets};
        const auto m = query::rackHeatMap(*r, q);
        QCOMPARE(m.rows, static_cast<int>(rows.size()));
        QCOMPARE(m.buckets, buckets);
        QCOMPARE(m.unit, std::string(quantity == 0 ? "kW" : "degC"));
        compare(m, expectedRaster(*r, rows, quantity, q.t0, q.t1, buckets));
        QVERIFY(!allNaN(m));
        QVERIFY(r->damage().empty());
        // The bucket arithmetic: every bucket's first time falls in it, the one before it not
        // (with fewer milliseconds than buckets, some buckets hold no time at all).
        for (int b = 0; b < buckets; ++b) {
            if (m.bucketStart(b) == m.bucketStart(b + 1)) continue;
            QCOMPARE(m.bucketOf(m.bucketStart(b)), b);
            QCOMPARE(m.bucketOf(m.bucketMiddle(b)), b);
            if (b > 0) QCOMPARE(m.bucketOf(m.bucketStart(b) - 1), b - 1);
        }
        QCOMPARE(m.bucketStart(buckets), q.t1 + 1);
    }

    // A simulator's recording (segments of 4,096: one) read the same two ways.
    void simulatorRecording() {
        auto r = StoreReader::open(testsupport::sharedRecording(testsupport::recordings::kCompute60));
        const TimeSpan sp = r->span();
        const auto rows = query::racksUnder(r->campus(), kNoAsset);
        for (int buckets : {1, 13, 120}) {
            const auto m = query::rackHeatMap(*r, {rows, "power", sp.first, sp.last, buckets});
            compare(m, expectedRaster(*r, rows, 0, sp.first, sp.last, buckets));
            QVERIFY(!allNaN(m));
        }
    }

    void emptyAndOutOfSpanRanges() {
        auto r = StoreReader::open(store_);
        const auto rows = query::racksUnder(r->campus(), kNoAsset);
        // t1 before t0: a raster of the asked size, all NaN.
        auto m = query::rackHeatMap(*r, {rows, "power", kT0 + 5000, kT0 + 4000, 8});
        QCOMPARE(m.values.size(), rows.size() * 8);
        QVERIFY(allNaN(m));
        QVERIFY(std::isnan(m.bucketMin[0]) && std::isnan(m.bucketMax[7]));
        // Wholly after the recording, wholly before it, and between two frames.
        for (const auto& [a, b] : {std::pair{frameTime(kFrames - 1) + 1, frameTime(kFrames - 1) + 3'600'000},
                                   std::pair{kT0 - 3'600'000, kT0 - 1}, std::pair{frameTime(5) + 1, frameTime(6) - 1}}) {
            m = query::rackHeatMap(*r, {rows, "power", a, b, 50});
            QCOMPARE(m.values.size(), rows.size() * 50);
            QVERIFY(allNaN(m));
            QCOMPARE(m.bucketOf(a - 1), -1);
            QCOMPARE(m.bucketOf(b + 1), -1);
        }
        // No racks: no rows.
        m = query::rackHeatMap(*r, {{}, "power", kT0, kT0 + 60'000, 10});
        QCOMPARE(m.rows, 0);
        QVERIFY(m.values.empty());
    }

    void badRequests() {
        auto r = StoreReader::open(store_);
        QVERIFY_THROWS_EXCEPTION(Error, query::rackHeatMap(*r, {{0}, "humidity", kT0, kT0 + 1000, 4}));
        QVERIFY_THROWS_EXCEPTION(Error, query::rackHeatMap(*r, {{0}, "power", kT0, kT0 + 1000, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, query::rackHeatMap(*r, {{0, 7}, "power", kT0, kT0 + 1000, 4}));
        QVERIFY_THROWS_EXCEPTION(Error, query::rackHeatMap(*r, {{-1}, "power", kT0, kT0 + 1000, 4}));
        try {
            query::rackHeatMap(*r, {{0}, "humidity", kT0, kT0 + 1000, 4});
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("racks.twin") && QString(e.what()).contains("humidity"), e.what());
        }
        // A store without a rack series (a plant-only recording) says so.
        auto plantOnly = StoreReader::open(testsupport::sharedRecording(testsupport::recordings::kIslanded120));
        QVERIFY_THROWS_EXCEPTION(Error, query::rackHeatMap(*plantOnly, {{0}, "power", 0, 1, 1}));
    }

    // A damaged delta frame leaves its segment's racks without that frame, a damaged key frame
    // every frame that needs it; the rest is as before, and nothing throws.
    void damagedFramesLeaveNaN() {
        const std::string path = dir_.filePath("damaged.twin").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(store_), QString::fromStdString(path)));
        const TimeMs delta = frameTime(16), key = frameTime(21);   // frame 21 is a key frame (3 x 7)
        auto clean = StoreReader::open(store_);
        const int id = clean->findSeries("rack");
        sqliteExec(path, "UPDATE frame SET data = randomblob(length(data)) WHERE series = " + std::to_string(id) +
                             " AND seg = 1 AND t = " + std::to_string(delta));
        sqliteExec(path, "UPDATE frame SET data = substr(data, 1, 9) WHERE series = " + std::to_string(id) +
                             " AND seg = 2 AND t = " + std::to_string(key));
        auto r = StoreReader::open(path);
        const auto rows = query::racksUnder(r->campus(), kNoAsset);
        // One bucket per frame: frame f in bucket f.
        const TimeMs t0 = kT0, t1 = kT0 + 40'000 - 1;
        const int buckets = 40;
        const auto m = query::rackHeatMap(*r, {rows, "power", t0, t1, buckets});
        const auto want = expectedRaster(*clean, rows, 0, t0, t1, buckets);
        for (int row = 0; row < m.rows; ++row)
            for (int f = 0; f < buckets; ++f) {
                const int b = m.bucketOf(frameTime(f));
                QCOMPARE(b, f);
                const int seg = static_cast<int>(rows[static_cast<std::size_t>(row)]) / kSegment;
                const bool lost = (seg == 1 && f == 16) || (seg == 2 && f >= 21 && f < 28);
                const float got = m.at(row, b);
                if (lost) {
                    QVERIFY2(std::isnan(got), qPrintable(QString("row %1 frame %2: %3").arg(row).arg(f).arg(got)));
                } else {
                    QVERIFY2(std::abs(got - want[static_cast<std::size_t>(row) * buckets + b]) < 1e-3,
                             qPrintable(QString("row %1 frame %2: %3").arg(row).arg(f).arg(got)));
                }
            }
        bool frame = false, keyFrame = false;
        for (const auto& d : r->damage()) {
            frame = frame || (d.what == DamagedRange::What::Frame && d.first == delta);
            keyFrame = keyFrame || (d.what == DamagedRange::What::KeyFrame && d.first == key && d.last == frameTime(27));
        }
        QVERIFY(frame);
        QVERIFY(keyFrame);
    }
};

QTEST_GUILESS_MAIN(TestHeatmapQuery)
#include "test_heatmap_query.moc"
