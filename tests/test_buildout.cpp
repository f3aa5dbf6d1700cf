// The build-out (docs/campus.md, "Build-out"; docs/physics.md, "Build-out"): a campus at a date
// before a building's commissioning has none of its load; a building that comes in mid-run; the
// commissioning dates through the store (round trip, slice, salvage, an operations-centre
// replica) and stores of schema 1 (open as "always commissioned", upgraded when resumed).
#include "twin/campus_file.h"
#include "twin/error.h"
#include "twin/opscentre/changes.h"
#include "twin/opscentre/follower.h"
#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"
#include "twin/sim/series.h"
#include "twin/sim/simulator.h"
#include "twin/slice_export.h"
#include "twin/store.h"
#include "twin/store_check.h"
#include "twin/utc_time.h"

#include "support/data_files.h"
#include "support/sql_file.h"
#include "support/store_compare.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace twin;
namespace series = twin::sim::series;

namespace {

const TimeMs kStart = sim::Params{}.start;   // 2026-07-15T16:00:00Z

std::string smallText() {
    std::ifstream in(testsupport::siteFile("small.json"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) qFatal("test bug: '%s' not in small.json", from.c_str());
    return text.replace(at, from.size(), to);
}

// The test campus with a second building, "annex": one hall of 3 test-b72 racks (0.36 MW rated),
// fed from the same bus, commissioned at `annexDate` ("" none); `gtsDate` likewise for the small
// turbine. The plant (1.2 MW of turbines, 1 MW of battery, 0.5 MW of grid) carries both buildings.
Campus annexCampus(const std::string& annexDate, const std::string& gtsDate = "") {
    const std::string annexCommissioned = annexDate.empty() ? "" : R"("commissioned": ")" + annexDate + R"(", )";
    std::string text = replaced(smallText(), R"(          "cooling": {"mw": 1, "size_m": [30, 8, 4], "feeders": {"count": 1, "mw": 0.5, "buses": "mv"}}
        })",
                                R"(          "cooling": {"mw": 1, "size_m": [30, 8, 4], "feeders": {"count": 1, "mw": 0.5, "buses": "mv"}}
        },
        {
          "id": "annex", "name": "Annex", "at": [0, 60], "footprint": {"size_m": [30, 20]}, "height_m": 8, )" +
                                    annexCommissioned + R"(
          "halls": [{"rows": {"count": 1, "racks": 3, "rack_type": "test-b72"}, "feeders": {"count": 2, "mw": 1, "buses": "mv"}}],
          "cooling": {"mw": 0.5, "size_m": [30, 6, 4], "feeders": {"count": 1, "mw": 0.3, "buses": "mv"}}
        })");
    text = replaced(text, R"("version": 1)", R"("version": 2)");   // dates are version 2 of the format
    if (!gtsDate.empty())
        text = replaced(text, R"({"id": "gts", "model": "GT-S", "count": 1,)",
                        R"({"id": "gts", "model": "GT-S", "count": 1, "commissioned": ")" + gtsDate + R"(",)");
    return parseCampus(text, "annex.json");
}

// Simulates `seconds` of the steady-training day from `start` into `out`; the store, read back.
std::unique_ptr<StoreReader> simulate(const Campus& campus, double seconds, const std::string& out,
                                      TimeMs start = kStart) {
    sim::Params p = sim::scenario("steady-training", seconds);
    p.start = start;
    p.gpuFailuresPerHour = 0;   // no random GPU failures: the runs differ only by the build-out
    {
        auto w = StoreWriter::create(out, campus, {.overwrite = true});
        sim::Simulator s(campus, p);
        s.attach(*w);
        s.run(seconds);
        w->close();
    }
    return StoreReader::open(out);
}

std::int64_t position(StoreReader& r, const std::string& seriesName, const std::string& asset) {
    if (seriesName == series::Rack::name) {   // every rack, in GPU order
        const auto& racks = r.campus().racks();
        const auto it = std::find(racks.begin(), racks.end(), r.campus().find(asset));
        return it == racks.end() ? -1 : static_cast<std::int64_t>(it - racks.begin());
    }
    for (const auto& s : r.series())
        if (s.spec.name == seriesName)
            for (std::size_t i = 0; i < s.spec.assets.size(); ++i)
                if (s.spec.assets[i] == asset) return static_cast<std::int64_t>(i);
    return -1;
}

// Every sample of one channel, by time.
std::vector<Bucket> samples(StoreReader& r, const std::string& seriesName, int quantity, const std::string& asset) {
    const auto sp = r.span();
    const auto pos = position(r, seriesName, asset);
    if (pos < 0) qFatal("no '%s' in series '%s'", asset.c_str(), seriesName.c_str());
    return r.seriesRange(r.findSeries(seriesName), quantity, pos, sp.first, sp.last, 1'000'000);
}

double meanOf(const Bucket& b) { return b.count ? b.sum / b.count : std::nan(""); }

double mean(const std::vector<Bucket>& v, TimeMs from = std::numeric_limits<TimeMs>::min()) {
    double sum = 0;
    int n = 0;
    for (const auto& b : v)
        if (b.first >= from) sum += meanOf(b), ++n;
    return n ? sum / n : std::nan("");
}

// Feeds one published message (its parts) to a follower, parts numbered on from `streamSeq`.
void feed(twin::opscentre::Follower& f, twin::opscentre::Kind kind, const twin::opscentre::Changes& c,
          std::uint64_t& messageSeq, std::uint64_t& streamSeq) {
    for (auto& part : twin::opscentre::splitIntoParts(kind, ++messageSeq, twin::opscentre::encodeChanges(c), 4096))
        f.feed(part, ++streamSeq);
}

// The island's load (the small campus has one island, recorded on its first bus, "hv").
std::vector<Bucket> islandLoad(StoreReader& r) { return samples(r, series::Island::name, series::Island::Load, "testsite/sub/hv"); }

} // namespace

class TestBuildOut : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

private slots:
    // Test 1. The annex commissioned after the run's start: its hall draws nothing (IT and
    // cooling exactly 0 in every frame, its racks 0 kW), the small turbine dated after the start
    // stays offline at 0 MW, the lab's halls draw what they draw with the annex built (same job,
    // same activity), and the island carries less by the annex's load. Tolerance of that balance:
    // 1 % of the annex's load; what remains is load damping (2 %/Hz, docs/physics.md) on
    // frequencies within 0.1 Hz of 60 Hz, i.e. < 0.2 %, and the feeders' I^2R losses, counted
    // apart (Island::Losses). Source: the simulator's own equations, docs/physics.md "Control".
    void beforeCommissioningNoLoad() {
        const auto without = simulate(annexCampus("2026-09-01", "2026-09-01"), 60, path("without.twin"));
        const auto with = simulate(annexCampus(""), 60, path("with.twin"));
        using series::Hall, series::Rack, series::Source;
        for (const auto& b : samples(*without, Hall::name, Hall::ItPower, "testsite/hall3")) QCOMPARE(b.max, 0.0);
        for (const auto& b : samples(*without, Hall::name, Hall::CoolingPower, "testsite/hall3")) QCOMPARE(b.max, 0.0);
        for (const char* rack : {"testsite/hall3/row01/rack01", "testsite/hall3/row01/rack03"})
            for (const auto& b : samples(*without, Rack::name, Rack::Power, rack)) QCOMPARE(b.max, 0.0);
        for (const auto& b : samples(*without, Source::name, Source::Power, "testsite/gts01")) QCOMPARE(b.max, 0.0);
        for (const auto& b : samples(*without, Source::name, Source::State, "testsite/gts01"))
            QCOMPARE(b.max, static_cast<double>(sim::SourceState::Offline));
        // The lab is the same in both runs (to the series' precision, 0.001 MW).
        for (const char* hall : {"testsite/hall1", "testsite/hall2"}) {
            const auto a = samples(*without, Hall::name, Hall::ItPower, hall), b = samples(*with, Hall::name, Hall::ItPower, hall);
            QCOMPARE(a.size(), b.size());
            for (std::size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(meanOf(a[i]) - meanOf(b[i])) <= 0.0011);
        }
        const double annexMw = mean(samples(*with, Hall::name, Hall::ItPower, "testsite/hall3")) +
                               mean(samples(*with, Hall::name, Hall::CoolingPower, "testsite/hall3"));
        QVERIFY2(annexMw > 0.1, qPrintable(QString::number(annexMw)));   // 3 racks: 36 kW idle each at least
        const double drop = mean(islandLoad(*with)) - mean(islandLoad(*without));
        qInfo("annex IT + cooling %.4f MW; island load %.4f MW with it built, %.4f MW before its date: drop %.4f MW",
              annexMw, mean(islandLoad(*with)), mean(islandLoad(*without)), drop);
        QVERIFY2(std::abs(drop - annexMw) <= 0.01 * annexMw,
                 qPrintable(QString("island load drop %1 MW, annex load %2 MW").arg(drop).arg(annexMw)));
    }

    // Test 2. The annex commissioned 30 s into the run: nothing before, then its hall draws what
    // the always-built annex draws at the same times (same job and activity; series precision
    // 0.001 MW); a "commissioning" event at its date; the island rides it through (no load shed,
    // no blackout, frequency within 60 ± 0.5 Hz).
    void comesInMidRun() {
        const TimeMs at = kStart + 30'000;
        const auto mid = simulate(annexCampus(formatUtc(at)), 90, path("mid.twin"));
        const auto always = simulate(annexCampus(""), 90, path("always.twin"));
        using series::Hall;
        const auto a = samples(*mid, Hall::name, Hall::ItPower, "testsite/hall3");
        const auto b = samples(*always, Hall::name, Hall::ItPower, "testsite/hall3");
        QCOMPARE(a.size(), b.size());
        int before = 0, after = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].first < at) {
                QCOMPARE(a[i].max, 0.0);
                ++before;
            } else {
                QVERIFY2(std::abs(meanOf(a[i]) - meanOf(b[i])) <= 0.0011,
                         qPrintable(QString("%1: %2 vs %3 MW").arg(QString::fromStdString(formatUtc(a[i].first))).arg(meanOf(a[i])).arg(meanOf(b[i]))));
                QVERIFY(meanOf(a[i]) > 0.1);
                ++after;
            }
        }
        QVERIFY(before >= 29 && after >= 60);
        const auto events = mid->events(kStart, kStart + 100'000);
        const auto it = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == "commissioning"; });
        QVERIFY(it != events.end());
        QCOMPARE(it->start, at);
        QVERIFY2(it->text.find("1 halls, 3 racks (0.4 MW rated IT)") != std::string::npos, it->text.c_str());
        for (const Event& e : events) QVERIFY2(e.kind != "load_shed" && e.kind != "island_blackout", e.text.c_str());
        for (const auto& f : samples(*mid, series::Bus::name, series::Bus::Frequency, "testsite/sub/hv"))
            QVERIFY2(f.min > 59.5 && f.max < 60.5, qPrintable(QString::number(f.min)));
        // After the walk-in (the last 30 s) the island carries what it carries with the annex always
        // built but for the annex's cooling, whose new chillers are still staging and catching up
        // (chillerLagS 90 s, docs/physics.md "Heat"): the difference of the island's load is the
        // difference of that cooling, within 1 % of the island's load.
        const TimeMs late = at + 60'000;
        const double islandMid = mean(islandLoad(*mid), late), islandAlways = mean(islandLoad(*always), late);
        const double coolingMid = mean(samples(*mid, Hall::name, Hall::CoolingPower, "testsite/hall3"), late);
        const double coolingAlways = mean(samples(*always, Hall::name, Hall::CoolingPower, "testsite/hall3"), late);
        qInfo("last 30 s: island %.4f MW (annex in at 30 s) vs %.4f MW (always built); annex cooling %.4f vs %.4f MW",
              islandMid, islandAlways, coolingMid, coolingAlways);
        QVERIFY(std::abs((islandMid - islandAlways) - (coolingMid - coolingAlways)) <= 0.01 * islandAlways);
    }

    // Commissioning through the store: written, read back, sliced, salvaged, replicated.
    void storeRoundTrip() {
        const Campus campus = annexCampus("2026-09-01T06:00:00Z", "2026-08-01");
        const auto r = simulate(campus, 5, path("dated.twin"));
        const TimeMs annex = *parseUtcTime("2026-09-01T06:00:00Z");
        auto dates = [](const Campus& c) {
            std::vector<TimeMs> v;
            for (const Asset& a : c.assets) v.push_back(a.commissionedMs);
            return v;
        };
        QCOMPARE(dates(r->campus()), dates(campus));
        QCOMPARE(r->campus().assets[r->campus().find("testsite/annex")].commissionedMs, annex);
        QCOMPARE(r->campus().assets[r->campus().find("testsite/lab")].commissionedMs, kAlwaysCommissioned);
        QCOMPARE(r->campus().commissioningDates(), campus.commissioningDates());

        const auto sp = r->span();
        exportSlice(*r, path("slice.twin"), sp.first, sp.last, {});
        QCOMPARE(dates(StoreReader::open(path("slice.twin"))->campus()), dates(campus));
        (void)salvageStore(*r, path("salvaged.twin"));
        QCOMPARE(dates(StoreReader::open(path("salvaged.twin"))->campus()), dates(campus));

        // An operations-centre follower's replica holds the same dates (storeDifference compares them).
        using namespace twin::opscentre;
        StoreTailer tailer(path("dated.twin"));
        Follower f(path("replica.twin"), "test://bus");
        std::uint64_t message = 0, stream = 0;
        feed(f, Kind::Campus, tailer.campus(), message, stream);
        feed(f, Kind::Commit, tailer.since(tailer.campus().marks), message, stream);
        QCOMPARE(f.counts().rejected, std::uint64_t(0));
        auto replica = StoreReader::open(f.replica().path());
        QCOMPARE(dates(replica->campus()), dates(campus));
        QCOMPARE(QString::fromStdString(testsupport::storeDifference(*r, *replica)), QString());
    }

    // A store of schema 1 (no asset.commissioned_ms): it opens, every asset always commissioned;
    // resumed with the same (undated) campus it is upgraded to schema 2 in place; resumed with a
    // campus that now has dates it is refused (its campus differs) and left as it was.
    void olderStore() {
        const Campus small = loadCampusFile(testsupport::siteFile("small.json"));
        const std::string v1 = path("v1.twin");
        (void)simulate(small, 3, v1);
        testsupport::sqliteExec(v1, "ALTER TABLE asset DROP COLUMN commissioned_ms; PRAGMA user_version = 1; "
                                    "UPDATE meta SET value = '1' WHERE key = 'schema_version';");
        QCOMPARE(testsupport::sqliteScalar(v1, "PRAGMA user_version"), std::int64_t(1));
        {
            auto r = StoreReader::open(v1);
            for (const Asset& a : r->campus().assets) QCOMPARE(a.commissionedMs, kAlwaysCommissioned);
            QVERIFY(r->campus().commissioningDates().empty());
        }
        // The operations centre publishes it as well (the missing column reads as NULL).
        {
            using namespace twin::opscentre;
            StoreTailer tailer(v1);
            Follower f(path("v1-replica.twin"), "test://bus");
            std::uint64_t message = 0, stream = 0;
            feed(f, Kind::Campus, tailer.campus(), message, stream);
            QCOMPARE(f.counts().rejected, std::uint64_t(0));
            auto a = StoreReader::open(v1);
            auto b = StoreReader::open(f.replica().path());
            QCOMPARE(b->campus().assets.size(), a->campus().assets.size());
        }
        const Campus dated = annexCampus("2026-09-01");
        try {
            (void)StoreWriter::resume(v1, dated);
            QFAIL("a store of another campus was resumed");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("cannot be resumed with this campus") != std::string::npos, e.what());
        }
        QCOMPARE(testsupport::sqliteScalar(v1, "PRAGMA user_version"), std::int64_t(1));
        StoreWriter::resume(v1, small)->close();
        QCOMPARE(testsupport::sqliteScalar(v1, "PRAGMA user_version"), std::int64_t(kStoreSchemaVersion));
        QCOMPARE(testsupport::sqliteScalar(v1, "SELECT count(*) FROM pragma_table_info('asset') WHERE name = 'commissioned_ms'"),
                 std::int64_t(1));
        QCOMPARE(testsupport::sqliteScalar(v1, "SELECT count(*) FROM asset WHERE commissioned_ms IS NOT NULL"), std::int64_t(0));
        auto r = StoreReader::open(v1);
        QCOMPARE(r->campus().assets.size(), small.assets.size());
    }
};

QTEST_GUILESS_MAIN(TestBuildOut)
#include "test_buildout.moc"
