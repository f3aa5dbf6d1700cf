// The query layer between the store and the views (twin/query/): series by id, events active at
// a time, the electrical signal sets, and the series constants of twin/sim/series.h, each checked
// against what the simulator recorded, read the plain way (by literal names and positions).
#include "twin/query/data_quality.h"
#include "twin/query/electrical_signals.h"
#include "twin/query/events_query.h"
#include "twin/query/incident_figures.h"
#include "twin/query/series_query.h"
#include "twin/sim/series.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include "support/quality_store.h"
#include "support/recordings.h"
#include "support/sql_file.h"

#include <QTemporaryDir>
#include <QtTest>


#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>
#include <tuple>

using namespace twin;
namespace series = twin::sim::series;
using testsupport::QualityRecording, testsupport::recordWithQuality;

namespace {


// The value of a channel at t read the plain way: the series and quantity by name, the asset by
// its id in the series' asset list.
double rawValue(StoreReader& r, const std::string& seriesName, const std::string& quantity, const std::string& asset,
                TimeMs t) {
    const int id = r.findSeries(seriesName);
    for (const SeriesInfo& s : r.series()) {
        if (s.id != id) continue;
        int q = -1;
        for (std::size_t k = 0; k < s.spec.quantities.size(); ++k)
            if (s.spec.quantities[k].name == quantity) q = static_cast<int>(k);
        const auto it = std::find(s.spec.assets.begin(), s.spec.assets.end(), asset);
        if (q < 0 || it == s.spec.assets.end()) break;
        const SeriesState st = r.seriesAt(id, t);
        return st.values.at(static_cast<std::size_t>(q)).at(static_cast<std::size_t>(it - s.spec.assets.begin()));
    }
    qFatal("no channel %s/%s of %s", seriesName.c_str(), quantity.c_str(), asset.c_str());
    return 0;
}

double channelValue(StoreReader& r, const query::Channel& c, TimeMs t) {
    const SeriesState st = r.seriesAt(c.series, t);
    return st.values.at(static_cast<std::size_t>(c.quantity)).at(static_cast<std::size_t>(c.position));
}

// Active events the slow way: every event of the recording, filtered and sorted here.
std::vector<std::int64_t> expectedActive(StoreReader& r, TimeMs t, Severity atLeast) {
    const TimeSpan sp = r.span();
    std::vector<Event> all = r.events(sp.first - 1, sp.last + 1);
    std::vector<Event> active;
    for (const Event& e : all)
        if (e.start <= t && (!e.end || *e.end > t) && e.severity >= atLeast) active.push_back(e);
    std::sort(active.begin(), active.end(), [](const Event& a, const Event& b) {
        return std::tuple(a.severity, a.start, a.id) > std::tuple(b.severity, b.start, b.id);
    });
    std::vector<std::int64_t> ids;
    for (const Event& e : active) ids.push_back(e.id);
    return ids;
}

QStringList kinds(const std::vector<Event>& events) {
    QStringList out;
    for (const Event& e : events) out << QString::fromStdString(e.kind);
    return out;
}

std::vector<std::int64_t> idsOf(const std::vector<Event>& events) {
    std::vector<std::int64_t> ids;
    for (const Event& e : events) ids.push_back(e.id);
    return ids;
}

// A series' recorded quantity names against the constants, in order.
template <class S>
void compareQuantities(StoreReader& r) {
    const SeriesInfo* s = query::seriesOf<S>(r);
    QVERIFY2(s, S::name);
    QCOMPARE(s->spec.quantities.size(), S::quantities.size());
    for (std::size_t q = 0; q < S::quantities.size(); ++q)
        QCOMPARE(QString::fromStdString(s->spec.quantities[q].name), QString(S::quantities[q]));
}

// The incident figures computed here the plain way, from the store's state at every frame time
// (seriesAt, not the ranges incidentFigures reads): the bus frequency of the (small campus's
// only) island and the sum of the Megapack blocks' power (its peak within 10 s), found by their names.
struct PlainFigures {
    double nadir = 1e9;
    TimeMs nadirAt = 0;
    double rocof = 0;
    double before = 0, peak = -1e9;
    std::optional<TimeMs> recovered;
};

PlainFigures plainFigures(StoreReader& r, TimeMs anchor, TimeMs end) {
    PlainFigures out;
    const SeriesInfo* island = query::seriesNamed(r, "island");
    const SeriesInfo* bus = query::seriesNamed(r, "bus");
    const SeriesInfo* source = query::seriesNamed(r, "source");
    const auto busPos = std::find(bus->spec.assets.begin(), bus->spec.assets.end(), island->spec.assets.at(0)) -
                        bus->spec.assets.begin();
    std::vector<std::size_t> megapacks;
    for (std::size_t i = 0; i < source->spec.assets.size(); ++i)
        if (r.campus().assets[r.campus().find(source->spec.assets[i])].kind == AssetKind::MegapackBlock) megapacks.push_back(i);
    std::vector<TimeMs> times = r.frameTimes(bus->id, anchor - 20'000, end);
    std::vector<double> f;
    for (TimeMs t : times) f.push_back(r.seriesAt(bus->id, t).values[0][static_cast<std::size_t>(busPos)]);
    std::optional<TimeMs> lastOut;
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (times[i] < anchor) continue;
        if (f[i] < out.nadir) out.nadir = f[i], out.nadirAt = times[i] - anchor;
        std::size_t j = i;
        while (j > 0 && times[j] > times[i] - 500) --j;   // the frame 500 ms before (or the one before that)
        if (times[j] <= times[i] - 500) {
            const double rocof = (f[i] - f[j]) / (static_cast<double>(times[i] - times[j]) / 1000);
            out.rocof = std::min(out.rocof, rocof);   // the steepest fall
        }
        if (std::abs(f[i] - 60) > 0.05) lastOut = times[i];
    }
    if (!lastOut) out.recovered = 0;
    for (std::size_t i = 0; lastOut && i < times.size(); ++i)
        if (times[i] > *lastOut) {
            out.recovered = times[i] - anchor;
            break;
        }
    auto megapackPower = [&](TimeMs t) {
        const SeriesState st = r.seriesAt(source->id, t);
        double sum = 0;
        for (std::size_t i : megapacks) sum += st.values[0][i];
        return sum;
    };
    const std::vector<TimeMs> sourceTimes = r.frameTimes(source->id, anchor - 20'000, std::min(end, anchor + 10'000));
    bool before = false;
    for (TimeMs t : sourceTimes) {
        if (t < anchor) out.before = megapackPower(t), before = true;
        else {
            if (!before) out.before = megapackPower(t), before = true;   // none before: the first one
            out.peak = std::max(out.peak, megapackPower(t));
        }
    }
    return out;
}

} // namespace

class TestQuery : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<StoreReader> r_;
    TimeMs tripT_ = 0;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const std::string path = dir_.filePath("trip.twin").toStdString();
        QVERIFY(testsupport::copyRecording(testsupport::recordings::kTrip60, path));
        r_ = StoreReader::open(path);
        const TimeSpan sp = r_->span();
        for (const Event& e : r_->events(sp.first, sp.last))
            if (e.kind == "turbine_trip") tripT_ = e.start;
        QVERIFY(tripT_ > sp.first);
        r_.reset();
        // Events as another program adds them, around the trip: a note without an end, a short
        // critical one, and an alarm starting with the trip (a later id) that ends 2 s after it.
        const std::string t = std::to_string(tripT_);
        testsupport::sqliteExec(path,
            "INSERT INTO event(t_start, t_end, severity, asset, kind, text) VALUES"
            "(" + t + " + 1000, NULL, 'info', '', 'test_note', 'a note'),"
            "(" + t + " + 1500, " + t + " + 2500, 'critical', '', 'test_critical', 'critical for a second'),"
            "(" + t + ", " + t + " + 2000, 'alarm', '', 'test_same_start', 'starts with the trip')");
        r_ = StoreReader::open(path);
    }

    // --- series by id ---------------------------------------------------------------------

    void seriesInfoByIdIsTheSeriesOfThatName() {
        QCOMPARE(static_cast<int>(r_->series().size()), 12);
        for (const char* name : {"gpu", "rack", "source", "turbine", "megapack", "bus", "flow", "hall", "job", "island",
                                 "fuel", "site_emissions"}) {
            const int id = r_->findSeries(name);
            QVERIFY2(id > 0, name);
            const SeriesInfo& s = query::seriesInfo(*r_, id);
            QCOMPARE(QString::fromStdString(s.spec.name), QString(name));
            QCOMPARE(s.id, id);
            QCOMPARE(query::findSeriesInfo(*r_, id), &s);
            QCOMPARE(query::seriesNamed(*r_, name), &s);
        }
    }

    void aBadSeriesIdIsRefused() {
        for (int id : {0, -1, 13, 999}) {
            QVERIFY(query::findSeriesInfo(*r_, id) == nullptr);
            try {
                query::seriesInfo(*r_, id);
                QFAIL(qPrintable(QString("series id %1 accepted").arg(id)));
            } catch (const Error& e) {
                const QString what = e.what();
                QVERIFY2(what.contains("trip.twin") && what.contains(QString::number(id)), qPrintable(what));
            }
        }
        QVERIFY(query::seriesNamed(*r_, "plant") == nullptr);
        QCOMPARE(query::seriesOf<series::Island>(*r_), query::seriesNamed(*r_, "island"));
    }

    void positionsAndChannelsFollowTheAssetLists() {
        const Campus& c = r_->campus();
        const SeriesInfo* rack = query::seriesOf<series::Rack>(*r_);
        QVERIFY(rack);
        QCOMPARE(query::positionIn(c, *rack, c.racks().at(3)), std::int64_t(3));
        QCOMPARE(query::positionIn(c, *rack, kNoAsset), std::int64_t(-1));
        const SeriesInfo* source = query::seriesOf<series::Source>(*r_);
        QCOMPARE(query::positionIn(c, *source, c.find(source->spec.assets.at(2))), std::int64_t(2));
        QCOMPARE(query::positionIn(c, *source, c.racks().front()), std::int64_t(-1));   // not a source
        QCOMPARE(query::quantityIndex(*source, "state"), 1);
        QCOMPARE(query::quantityIndex(*source, "voltage"), -1);
        // A channel of an asset the series lacks, or of a series the store lacks, is empty.
        QVERIFY(query::findChannel<series::Bus>(*r_, series::Bus::Frequency, c.racks().front()).empty());
        QVERIFY(query::findChannel(*r_, "plant", "power", c.racks().front()).empty());
        const AssetIndex bus = c.assetsOfKind(AssetKind::Bus).front();
        const query::Channel f = query::findChannel<series::Bus>(*r_, series::Bus::Frequency, bus);
        QVERIFY(!f.empty());
        const TimeMs t = tripT_ + 1000;
        QCOMPARE(channelValue(*r_, f, t), rawValue(*r_, "bus", "frequency", c.assets[bus].id, t));
    }

    // --- events active at a time ----------------------------------------------------------

    void activeEventsAfterTheTripIncludeItAsAnAlarm() {
        const auto alarms = query::activeEventsAt(*r_, tripT_ + 2000, Severity::Alarm);
        const auto trip =
            std::find_if(alarms.begin(), alarms.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY2(trip != alarms.end(), qPrintable(kinds(alarms).join(", ")));
        QCOMPARE(trip->severity, Severity::Alarm);
        QCOMPARE(trip->start, tripT_);
        QVERIFY(!trip->end);
        QVERIFY(!trip->text.empty() && !trip->asset.empty());
        for (const Event& e : alarms) QVERIFY2(e.severity >= Severity::Alarm, e.kind.c_str());
        // Most severe first; an event is no longer active at its end.
        QCOMPARE(QString::fromStdString(alarms.front().kind), QString("test_critical"));
        QCOMPARE(alarms.front().severity, Severity::Critical);
        QVERIFY(!kinds(alarms).contains("test_same_start"));
        // The info note (no end: still active) is listed at Info, not at Alarm.
        QVERIFY(!kinds(alarms).contains("test_note"));
        const auto all = query::activeEventsAt(*r_, tripT_ + 2000, Severity::Info);
        QVERIFY(kinds(all).contains("test_note"));
        QCOMPARE(static_cast<int>(query::activeEventsAt(*r_, tripT_ + 2000, Severity::Critical).size()), 1);
        // Of two alarms with the same start, the later id first.
        const QStringList before = kinds(query::activeEventsAt(*r_, tripT_ + 1000, Severity::Alarm));
        const auto same = before.indexOf("test_same_start");
        QVERIFY2(same >= 0 && same < before.indexOf("turbine_trip"), qPrintable(before.join(", ")));
    }

    void noAlarmIsActiveBeforeTheTrip() {
        const TimeSpan sp = r_->span();
        for (TimeMs t : {sp.first, tripT_ - 1000, tripT_ - 1})
            QCOMPARE(static_cast<int>(query::activeEventsAt(*r_, t, Severity::Alarm).size()), 0);
        // Active from its start.
        QVERIFY(kinds(query::activeEventsAt(*r_, tripT_, Severity::Alarm)).contains("turbine_trip"));
    }

    // At every event's start, end and the millisecond around them, at every severity: the events
    // the slow way finds, in its order (an event without an end stays active; one is no longer
    // active at its end).
    void activeEventsMatchEveryEventFiltered() {
        const TimeSpan sp = r_->span();
        std::set<TimeMs> times = {sp.first, sp.last};
        for (const Event& e : r_->events(sp.first, sp.last)) {
            times.insert({e.start - 1, e.start, e.start + 1});
            if (e.end) times.insert({*e.end - 1, *e.end, *e.end + 1});
        }
        int compared = 0, nonEmpty = 0;
        for (TimeMs t : times)
            for (Severity s : {Severity::Info, Severity::Warning, Severity::Alarm, Severity::Critical}) {
                const auto got = idsOf(query::activeEventsAt(*r_, t, s));
                QCOMPARE(got, expectedActive(*r_, t, s));
                ++compared;
                nonEmpty += !got.empty();
            }
        QVERIFY(compared > 20 && nonEmpty > 5);
    }

    // --- electrical signals ---------------------------------------------------------------

    void electricalSignalsOfTheSmallCampus() {
        const Campus& c = r_->campus();
        const query::ElectricalSignals sig = query::electricalSignals(*r_);
        // One island, named by its bus in the island series.
        const SeriesInfo* island = query::seriesNamed(*r_, "island");
        QVERIFY(island);
        QCOMPARE(sig.islands.size(), std::size_t(1));
        QCOMPARE(sig.islands[0].busId, island->spec.assets.at(0));
        QVERIFY(sig.islands[0].bus != kNoAsset);
        QCOMPARE(c.assets[sig.islands[0].bus].kind, AssetKind::Bus);
        QCOMPARE(sig.load.positions, std::vector<std::int64_t>{0});
        QCOMPARE(sig.generation.positions, std::vector<std::int64_t>{0});
        // Sources of every kind the small campus has, in order: 2 turbines, 1 Megapack block, solar, grid.
        QCOMPARE(sig.sources.size(), std::size_t(4));
        const AssetKind order[] = {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray,
                                   AssetKind::GridTie};
        const std::size_t counts[] = {2, 1, 1, 1};
        for (std::size_t k = 0; k < 4; ++k) {
            QCOMPARE(sig.sources[k].kind, order[k]);
            QCOMPARE(sig.sources[k].power.positions.size(), counts[k]);
            QCOMPARE(sig.sources[k].powerBySite.size(), std::size_t(1));
            QCOMPARE(sig.sources[k].powerBySite[0].site, c.assets[c.assetsOfKind(order[k]).front()].site);
            QCOMPARE(sig.sources[k].powerBySite[0].channels.positions, sig.sources[k].power.positions);
            QCOMPARE(sig.source(order[k]), &sig.sources[k]);
        }
        QVERIFY(sig.source(AssetKind::Rack) == nullptr);
        QCOMPARE(sig.megapackSoc.size(), std::size_t(1));
        QCOMPARE(sig.megapackSoc[0].channels.positions.size(), std::size_t(1));
    }

    // Every channel reads what the raw series holds for its asset, before and after the trip.
    void electricalChannelsReadTheRawSeries() {
        const Campus& c = r_->campus();
        const query::ElectricalSignals sig = query::electricalSignals(*r_);
        const SeriesInfo* source = query::seriesNamed(*r_, "source");
        const SeriesInfo* megapack = query::seriesNamed(*r_, "megapack");
        for (TimeMs t : {tripT_ - 5000, tripT_ + 500, tripT_ + 20000}) {
            const query::IslandSignals& is = sig.islands.at(0);
            QCOMPARE(channelValue(*r_, is.frequency, t), rawValue(*r_, "bus", "frequency", is.busId, t));
            QCOMPARE(channelValue(*r_, is.load, t), rawValue(*r_, "island", "load", is.busId, t));
            QCOMPARE(channelValue(*r_, is.generation, t), rawValue(*r_, "island", "generation", is.busId, t));
            for (const query::SourceKindSignals& k : sig.sources) {
                // The kind's channels are exactly the source assets of that kind.
                std::set<std::string> ids;
                for (const std::string& id : source->spec.assets)
                    if (c.assets[c.find(id)].kind == k.kind) ids.insert(id);
                QCOMPARE(k.power.positions.size(), ids.size());
                for (std::int64_t p : k.power.positions) {
                    const std::string& id = source->spec.assets.at(static_cast<std::size_t>(p));
                    QVERIFY(ids.count(id));
                    QCOMPARE(channelValue(*r_, {k.power.series, k.power.quantity, p}, t),
                             rawValue(*r_, "source", "power", id, t));
                }
            }
            for (std::int64_t p : sig.megapackSoc[0].channels.positions) {
                const query::ChannelGroup& g = sig.megapackSoc[0].channels;
                QCOMPARE(channelValue(*r_, {g.series, g.quantity, p}, t),
                         rawValue(*r_, "megapack", "soc", megapack->spec.assets.at(static_cast<std::size_t>(p)), t));
            }
        }
        // The trip shows in the turbines' power: one of them drops to about nothing.
        const query::SourceKindSignals* turbines = sig.source(AssetKind::Turbine);
        double after = 1e9;
        for (std::int64_t p : turbines->power.positions)
            after = std::min(after, channelValue(*r_, {turbines->power.series, turbines->power.quantity, p},
                                                 tripT_ + 5000));
        QVERIFY2(after < 0.01, qPrintable(QString::number(after)));
    }


    // --- incident figures -----------------------------------------------------------------

    // The figures equal those computed here from the store's state frame by frame: on trip-60
    // (grid-connected: the grid tie takes the lost power, the frequency stays at 60 Hz) and on
    // the same trip islanded (no grid import), where they say what a trip does: a deep dip within
    // a second, a falling RoCoF, the Megapacks picking up.
    void incidentFiguresOfATrip() {
        const std::string islanded = dir_.filePath("islanded-trip.twin").toStdString();
        auto params = twin::sim::scenario("turbine-trip", 40);
        params.gridImportLimitMw = 0;
        params.recordGpus = false;
        params.tripAtS = 10;
        testsupport::recordScenario("small.json", params, 40, islanded);
        auto island = StoreReader::open(islanded);
        TimeMs islandTrip = 0;
        for (const Event& e : island->events(island->span().first, island->span().last))
            if (e.kind == "turbine_trip") islandTrip = e.start;
        QVERIFY(islandTrip > island->span().first);

        for (auto [reader, anchor] : {std::pair{r_.get(), tripT_}, std::pair{island.get(), islandTrip}}) {
            query::IncidentOptions options;
            options.asset = reader->campus().find("testsite/gtl01");   // the tripped unit
            QVERIFY(options.asset != kNoAsset);
            const query::IncidentFigures got = query::incidentFigures(*reader, anchor, options);
            const TimeSpan sp = reader->span();
            QCOMPARE(got.windowEnd, std::min(sp.last, anchor + 60'000));
            const PlainFigures want = plainFigures(*reader, anchor, got.windowEnd);
            // The state holds 32-bit floats, the ranges the stored values as doubles: equal to a float's precision.
            QVERIFY(got.hasFrequency && got.hasMegapacks);
            QVERIFY(std::abs(got.nadirHz - want.nadir) < 1e-5);
            QCOMPARE(got.nadirAfterMs, want.nadirAt);
            QVERIFY(std::abs(got.maxRocofHzPerS - want.rocof) < 1e-4);
            QVERIFY(std::abs(got.megapackBeforeMw - want.before) < 1e-5);
            QVERIFY(std::abs(got.megapackPickupMw - (want.peak - want.before)) < 1e-4);
            QCOMPARE(got.recoveredAfterMs, want.recovered);
            qInfo("nadir %.4f Hz at +%lld ms, RoCoF %.3f Hz/s, Megapacks +%.3f MW, recovered at +%lld ms", got.nadirHz,
                  static_cast<long long>(got.nadirAfterMs), got.maxRocofHzPerS, got.megapackPickupMw,
                  static_cast<long long>(got.recoveredAfterMs.value_or(-1)));
            // Islanded, the block picks up part of the lost unit's power; grid-connected, the grid
            // (an infinite bus) takes it all and the frequency the block acts on stays at 60 Hz.
            if (reader == island.get()) QVERIFY(got.megapackPickupMw > 0.05);
        }
        // Grid-connected: the tie holds 60 Hz but for a shallow dip while it is at its 0.5 MW
        // limit and the Megapacks take the rest; nothing to recover from (never 0.05 Hz out).
        const query::IncidentFigures grid = query::incidentFigures(*r_, tripT_);
        QVERIFY2(grid.nadirHz > 59.95, qPrintable(QString::number(grid.nadirHz)));
        QCOMPARE(grid.recoveredAfterMs, std::optional<TimeMs>(0));
        // Islanded: a dip the Megapacks arrest within a second (their droop and virtual inertia on
        // measured frequency: docs/physics.md, "Control"), falling at a measurable rate.
        const query::IncidentFigures got = query::incidentFigures(*island, islandTrip);
        QVERIFY2(got.nadirHz < 59.99, qPrintable(QString::number(got.nadirHz)));
        QVERIFY(got.nadirAfterMs > 0 && got.nadirAfterMs <= 1'000);
        QVERIFY2(got.maxRocofHzPerS < -0.02, qPrintable(QString::number(got.maxRocofHzPerS)));
        // A fall over a longer window is gentler; a shorter analysis window ends earlier.
        query::IncidentOptions o;
        o.rocofWindowMs = 2'000;
        QVERIFY(std::abs(query::incidentFigures(*island, islandTrip, o).maxRocofHzPerS) < std::abs(got.maxRocofHzPerS));
        o.afterMs = 1'000;
        QCOMPARE(query::incidentFigures(*island, islandTrip, o).windowEnd, islandTrip + 1'000);
    }

    // The small campus is one island: every asset is in it, its Megapacks are every block.
    void islandOfAnAsset() {
        const query::ElectricalSignals sig = query::electricalSignals(*r_);
        for (AssetIndex a = 0; a < static_cast<AssetIndex>(r_->campus().assets.size()); ++a)
            QCOMPARE(query::islandOf(*r_, sig, a), std::size_t(0));
        QCOMPARE(query::islandOf(*r_, sig, kNoAsset), std::size_t(0));
        QCOMPARE(query::megapacksOf(*r_, sig, 0).positions, sig.source(AssetKind::MegapackBlock)->power.positions);
        QVERIFY(query::megapacksOf(*r_, sig, 1).empty());
    }

    // Anchored on a quiet recording's start: no sample before it, the first one is "before".
    void incidentFiguresOfAQuietStart() {
        auto quiet = StoreReader::open(testsupport::sharedRecording(testsupport::recordings::kIslanded120));
        const TimeMs start = quiet->span().first;
        const query::IncidentFigures got = query::incidentFigures(*quiet, start);
        const PlainFigures want = plainFigures(*quiet, start, got.windowEnd);
        QVERIFY(got.hasFrequency);
        QVERIFY(std::abs(got.nadirHz - want.nadir) < 1e-5);
        QCOMPARE(got.recoveredAfterMs, want.recovered);
        QVERIFY(std::abs(got.maxRocofHzPerS - want.rocof) < 1e-4);
        QVERIFY(std::abs(got.megapackPickupMw - (want.peak - want.before)) < 1e-4);
    }

    // --- the constants are what the simulator writes --------------------------------------

    void constantsAreWhatTheSimulatorRecords() {
        std::set<std::string> recorded, named;
        for (const SeriesInfo& s : r_->series()) recorded.insert(s.spec.name);
        for (const char* n : {series::Gpu::name, series::Rack::name, series::Source::name, series::Turbine::name,
                              series::Megapack::name, series::Bus::name, series::Flow::name, series::Hall::name,
                              series::Job::name, series::Island::name, series::Fuel::name, series::SiteEmissions::name})
            named.insert(n);
        QCOMPARE(named, recorded);
        compareQuantities<series::Gpu>(*r_);
        compareQuantities<series::Rack>(*r_);
        compareQuantities<series::Source>(*r_);
        compareQuantities<series::Turbine>(*r_);
        compareQuantities<series::Megapack>(*r_);
        compareQuantities<series::Fuel>(*r_);
        compareQuantities<series::SiteEmissions>(*r_);
        compareQuantities<series::Bus>(*r_);
        compareQuantities<series::Flow>(*r_);
        compareQuantities<series::Hall>(*r_);
        compareQuantities<series::Job>(*r_);
        compareQuantities<series::Island>(*r_);
        // The enums index the recorded order.
        const SeriesInfo* island = query::seriesOf<series::Island>(*r_);
        QCOMPARE(QString::fromStdString(island->spec.quantities[series::Island::Generation].name),
                 QString("generation"));
        QCOMPARE(query::quantityIndex<series::Island>(*island, series::Island::Load), 0);
        const SeriesInfo* hall = query::seriesOf<series::Hall>(*r_);
        QCOMPARE(query::quantityIndex<series::Hall>(*hall, series::Hall::ThrottledGpus), 4);
        QCOMPARE(QString(series::quantityName<series::Megapack>(series::Megapack::Cycles)), QString("cycles"));
    }

    // --- data quality (twin/query/data_quality.h) -----------------------------------------

    void qualityCodesAndTheirSeries() {
        using query::DataQuality;
        QCOMPARE(query::qualitySeriesName("source"), std::string("source_quality"));
        QVERIFY(query::isQualitySeries("gpu_quality"));
        QVERIFY(!query::isQualitySeries("gpu"));
        QVERIFY(!query::isQualitySeries("_quality"));
        QCOMPARE(query::qualityFromCode(0), DataQuality::Good);
        QCOMPARE(query::qualityFromCode(1), DataQuality::Stale);
        QCOMPARE(query::qualityFromCode(2), DataQuality::Missing);
        // What a writer should not have written is not taken for good data.
        QCOMPARE(query::qualityFromCode(7), DataQuality::Missing);
        QCOMPARE(query::qualityFromCode(-1), DataQuality::Missing);
        QCOMPARE(query::qualityFromCode(std::nanf("")), DataQuality::Missing);
        QCOMPARE(query::worse(DataQuality::Stale, DataQuality::Good), DataQuality::Stale);
        QCOMPARE(query::worse(DataQuality::Stale, DataQuality::Missing), DataQuality::Missing);
        // No quality series: everything good (simulated stores); a series without a frame yet, or
        // a position it does not have: missing.
        QCOMPARE(query::qualityAt(nullptr, 5), DataQuality::Good);
        SeriesState s;
        QCOMPARE(query::qualityAt(&s, 0), DataQuality::Missing);
        s.valid = true;
        s.values = {{0, 1, 2}};
        QCOMPARE(query::qualityAt(&s, 0), DataQuality::Good);
        QCOMPARE(query::qualityAt(&s, 1), DataQuality::Stale);
        QCOMPARE(query::qualityAt(&s, 2), DataQuality::Missing);
        QCOMPARE(query::qualityAt(&s, 3), DataQuality::Missing);
        QCOMPARE(query::qualityAt(&s, -1), DataQuality::Missing);
        const auto n = query::countQualities(&s);
        QCOMPARE(n.good, 1);
        QCOMPARE(n.stale, 1);
        QCOMPARE(n.missing, 1);
        QCOMPARE(n.notGood(), 2);
    }

    void racksTakeTheWorstOfTheirGpus() {
        using query::DataQuality;
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality.twin").toStdString());
        auto r = StoreReader::open(rec.path);
        const Campus& c = r->campus();
        const TimeMs t = r->span().first + 5'000;
        const CampusState state = r->stateAt(t);
        auto byName = [&](const std::string& name) -> const SeriesState* {
            const SeriesInfo* info = query::seriesNamed(*r, name);
            for (const SeriesState& s : state.series)
                if (info && s.series == info->id) return &s;
            return nullptr;
        };
        const SeriesState* gpuQuality = byName("gpu_quality");
        QVERIFY(gpuQuality && gpuQuality->valid);
        const auto counts = query::countQualities(gpuQuality);
        QCOMPARE(counts.stale, 1);
        QCOMPARE(counts.missing, 1);
        QCOMPARE(counts.good, c.gpuCount() - 2);
        std::vector<DataQuality> racks;
        query::rackQualities(c, nullptr, gpuQuality, racks);
        QCOMPARE(racks.size(), c.racks().size());
        for (std::size_t i = 0; i < racks.size(); ++i)
            QCOMPARE(racks[i], i == rec.staleRack ? DataQuality::Stale : i == rec.missingRack ? DataQuality::Missing : DataQuality::Good);
        // A recorded rack_quality wins over the GPUs'.
        SeriesState rackQuality;
        rackQuality.valid = true;
        rackQuality.values = {std::vector<float>(c.racks().size(), 0.f)};
        query::rackQualities(c, &rackQuality, gpuQuality, racks);
        QCOMPARE(racks[rec.staleRack], DataQuality::Good);
        // Neither series: nothing to say (all good).
        query::rackQualities(c, nullptr, nullptr, racks);
        QVERIFY(racks.empty());
        // The quality series list the assets of the series they qualify, in the same order.
        for (const char* name : {series::Source::name, series::Bus::name}) {
            const SeriesInfo* values = query::seriesNamed(*r, name);
            const SeriesInfo* quality = query::seriesNamed(*r, query::qualitySeriesName(name));
            QVERIFY(values && quality);
            QCOMPARE(quality->spec.assets, values->spec.assets);
        }
        QCOMPARE(query::qualityAt(byName("source_quality"),
                                  query::positionIn(c, *query::seriesNamed(*r, "source_quality"), rec.staleTurbine)),
                 DataQuality::Stale);
    }
};

QTEST_APPLESS_MAIN(TestQuery)
#include "test_query.moc"
