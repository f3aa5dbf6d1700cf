// The physics simulator: energy balance, training-load spectrum, Megapacks against turbine
// ramps and frequency, a trip's nadir and recovery, the SoC window, a cooling failure, and
// determinism. The bounds are justified in docs/physics.md.
#include "twin/query/series_query.h"
#include "twin/campus_file.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include "support/recordings.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <complex>

using namespace twin;
using testsupport::recordScenario;

namespace {

struct Run {
    std::unique_ptr<StoreReader> store;
    sim::Summary summary;
};

Run simulate(const std::string& campusFile, sim::Params p, double seconds, const std::string& out) {
    Run r;
    r.summary = recordScenario(campusFile, p, seconds, out);
    r.store = StoreReader::open(out);
    return r;
}

// Every sample of one channel over the whole recording (no reduction: maxPoints = samples).
std::vector<Bucket> samples(StoreReader& r, const std::string& series, int quantity, std::int64_t pos) {
    const auto sp = r.span();
    return r.seriesRange(r.findSeries(series), quantity, pos, sp.first, sp.last, 1'000'000);
}

std::int64_t position(StoreReader& r, const std::string& series, const std::string& asset) {
    for (const auto& s : r.series())
        if (s.spec.name == series)
            for (std::size_t i = 0; i < s.spec.assets.size(); ++i)
                if (s.spec.assets[i] == asset) return static_cast<std::int64_t>(i);
    return -1;
}

double maxDeviationHz(StoreReader& r) {
    double dev = 0;
    const auto& bus = twin::query::seriesInfo(r, r.findSeries(twin::sim::series::Bus::name));
    for (std::size_t i = 0; i < bus.spec.assets.size(); ++i)
        for (const auto& b : samples(r, "bus", 0, static_cast<std::int64_t>(i)))
            dev = std::max({dev, std::abs(b.max - 60), std::abs(b.min - 60)});
    return dev;
}

} // namespace

class TestSim : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string tmp(const char* n) { return dir_.filePath(n).toStdString(); }

private slots:
    void everyTickBalances() {
        auto p = sim::scenario("steady-training", 60);
        p.recordGpus = false;
        auto r = simulate("colossus.json", p, 60, tmp("balance.twin"));
        auto& s = *r.store;
        const auto& src = twin::query::seriesInfo(s, s.findSeries(twin::sim::series::Source::name));
        const auto& isl = twin::query::seriesInfo(s, s.findSeries(twin::sim::series::Island::name));
        const auto sp = s.span();
        int checked = 0;
        CampusState st;
        for (TimeMs t = sp.first; t <= sp.last; t += 100) {
            s.stateAt(t, st);
            double gen = 0, load = 0;
            for (float v : st.series[src.id - 1].values[twin::sim::series::Source::Power]) gen += v;
            for (std::size_t i = 0; i < isl.spec.assets.size(); ++i)
                load += st.series[isl.id - 1].values[twin::sim::series::Island::Load][i] + st.series[isl.id - 1].values[twin::sim::series::Island::Losses][i];
            QVERIFY2(std::abs(gen - load) <= 0.001 * load,
                     qPrintable(QString("t=%1: generation %2 MW, load + losses %3 MW").arg(t - sp.first).arg(gen).arg(load)));
            ++checked;
        }
        QCOMPARE(checked, 601);
    }

    void jobLoadSpectrumPeaksAtTheStepPeriod() {
        auto p = sim::scenario("steady-training", 200);
        p.gpuFailuresPerHour = 0;
        p.checkpointEveryS = 0;
        auto r = simulate("small.json", p, 204.8, tmp("spectrum.twin"));
        QVERIFY(!r.store->jobs().empty());
        const double period = r.store->jobs()[0].stepPeriodS;
        auto s = samples(*r.store, "job", 0, 0);
        QVERIFY(s.size() >= 2048);
        s.resize(2048);   // 204.8 s at 10 Hz
        double mean = 0;
        for (const auto& b : s) mean += b.firstValue / 2048;
        double bestF = 0, best = 0;
        for (int k = 1; k < 1024; ++k) {
            std::complex<double> acc = 0;
            for (int n = 0; n < 2048; ++n) acc += (s[n].firstValue - mean) * std::polar(1.0, -2 * M_PI * k * n / 2048);
            if (std::abs(acc) > best) best = std::abs(acc), bestF = k / 204.8;
        }
        qInfo("step period %.3f s: spectrum peaks at %.4f Hz (1/period = %.4f Hz)", period, bestF, 1 / period);
        QVERIFY(std::abs(bestF - 1 / period) <= 1.5 / 204.8);
    }

    void megapacksKeepTurbinesWithinTheirRamps() {
        // Islanded small campus (no grid help): the Megapacks must take every training swing.
        auto p = sim::scenario("steady-training", 300);
        p.gridImportLimitMw = 0;
        auto r = simulate("small.json", p, 300, tmp("ramps.twin"));
        const Campus& c = r.store->campus();
        for (AssetIndex a : c.assetsOfKind(AssetKind::Turbine)) {
            const UnitModel* m = c.unitModel(c.assets[a].model);
            const double limit = m->rampPctPerMin / 100 * c.assets[a].ratingMw / 60;   // MW/s
            const auto s = samples(*r.store, "turbine", 0, position(*r.store, "turbine", c.assets[a].id));
            QVERIFY(s.size() > 2900);
            double worst = 0;
            for (std::size_t i = 10; i < s.size(); ++i)   // over 1 s windows
                worst = std::max(worst, std::abs(s[i].firstValue - s[i - 10].firstValue) / ((s[i].first - s[i - 10].first) / 1000.0));
            qInfo("%s: fastest ramp %.5f MW/s, limit %.5f MW/s", c.assets[a].id.c_str(), worst, limit);
            QVERIFY(worst <= limit * 1.01 + 0.0002);   // + two quantisation steps
        }
    }

    void withoutMegapacksFrequencyDeviatesMore() {
        auto with = sim::scenario("steady-training", 120);
        with.recordGpus = false;
        auto without = sim::scenario("no-megapacks", 120);
        without.recordGpus = false;
        QVERIFY(!without.megapacks);
        auto a = simulate("colossus.json", with, 120, tmp("with.twin"));
        auto b = simulate("colossus.json", without, 120, tmp("without.twin"));
        const double dWith = maxDeviationHz(*a.store), dWithout = maxDeviationHz(*b.store);
        qInfo("largest frequency deviation: %.3f Hz with Megapacks, %.3f Hz without", dWith, dWithout);
        QVERIFY(dWithout > 2 * dWith);
        QVERIFY(dWithout > 0.3);
    }

    void turbineTripNadirAndRecovery() {
        // The largest unit online (a 38 MW Titan-class unit at Southaven) trips at 30 s.
        auto p = sim::scenario("turbine-trip", 90);
        p.recordGpus = false;
        p.tripAtS = 30;
        auto r = simulate("colossus.json", p, 90, tmp("trip.twin"));
        auto& s = *r.store;
        const auto ev = s.events(s.span().first, s.span().last);
        const auto trip = std::find_if(ev.begin(), ev.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY(trip != ev.end());
        // The bus of the tripped unit's island: the first bus that unit feeds.
        const Campus& c = s.campus();
        const AssetIndex unitBus = c.supplied(c.find(trip->asset)).front();
        const auto fb = samples(s, "bus", 0, position(s, "bus", c.assets[unitBus].id));
        double before = 0, nadir = 99;
        TimeMs nadirT = 0, recovered = -1;
        for (const auto& b : fb) {
            if (b.first < trip->start && b.first >= trip->start - 200) before = b.firstValue;
            if (b.first >= trip->start && b.first < trip->start + 5'000 && b.min < nadir) nadir = b.min, nadirT = b.first;
        }
        for (const auto& b : fb)
            if (b.first > nadirT && std::abs(b.firstValue - 60) < 0.05) {
                recovered = b.first;
                break;
            }
        qInfo("trip of %s: %.4f Hz before, nadir %.4f Hz after %.2f s, within 0.05 Hz of 60 after %.2f s", trip->asset.c_str(),
              before, nadir, (nadirT - trip->start) / 1000.0, (recovered - trip->start) / 1000.0);
        QVERIFY(before - nadir > 0.01);      // a visible dip
        QVERIFY(nadir > 59.5);               // Megapacks keep it far above under-frequency shedding (59.3 Hz)
        QVERIFY(nadirT - trip->start <= 2000);   // the nadir comes within the Megapacks' response
        QVERIFY(recovered > 0 && recovered - trip->start <= 10'000);
    }

    // An alarm ends when its condition does: the trip when the unit is back online (its state
    // code in the source series turns Online at that time), the Megapack fault when repaired, the
    // grid interruption when restored; without recovery the condition lasts and so does the alarm.
    void alarmsEndWhenTheirConditionsClear() {
        auto p = sim::scenario("turbine-trip", 600);
        p.recordGpus = false;
        p.tripAtS = 60;
        p.tripRestartS = 30;
        p.megapackFaultAtS = 100;
        p.megapackRepairS = 45;
        p.gridLossAtS = 200;
        p.gridRestoreS = 20;
        auto r = simulate("small.json", p, 600, tmp("recover.twin"));
        auto& s = *r.store;
        const TimeMs t0 = s.span().first;
        const auto ev = s.events(t0, s.span().last);
        auto first = [&](const char* kind) {
            const auto it = std::find_if(ev.begin(), ev.end(), [&](const Event& e) { return e.kind == kind; });
            return it == ev.end() ? Event{} : *it;
        };
        const Event trip = first("turbine_trip"), online = first("turbine_online");
        QVERIFY(!trip.kind.empty() && trip.end);
        QCOMPARE(online.asset, trip.asset);
        QCOMPARE(*trip.end, online.start);
        QVERIFY(*trip.end - trip.start >= 30'000);   // restart delay, start and synchronisation at least
        // The unit's state code: Tripped after the trip, synchronising just before the end, Online from it.
        const auto& source = twin::query::seriesInfo(s, s.findSeries(twin::sim::series::Source::name));
        const auto pos = twin::query::positionIn(s.campus(), source, s.campus().find(trip.asset));
        QVERIFY(pos >= 0);
        auto stateAt = [&](TimeMs t) {
            return std::lround(s.seriesAt(source.id, t).values[twin::sim::series::Source::State][static_cast<std::size_t>(pos)]);
        };
        QCOMPARE(stateAt(trip.start + 1000), static_cast<long>(sim::SourceState::Tripped));
        QCOMPARE(stateAt(*trip.end - 200), static_cast<long>(sim::SourceState::Synchronising));
        QCOMPARE(stateAt(*trip.end), static_cast<long>(sim::SourceState::Online));

        const Event fault = first("megapack_fault"), grid = first("grid_interruption");
        QVERIFY(fault.end && grid.end);
        QCOMPARE(fault.start - t0, TimeMs{100'000});
        QCOMPARE(*fault.end - t0, TimeMs{145'000});
        QCOMPARE(grid.start - t0, TimeMs{200'000});
        QCOMPARE(*grid.end - t0, TimeMs{220'000});

        // Without recovery the unit stays tripped and its alarm stays open.
        auto q = sim::scenario("turbine-trip", 120);
        q.recordGpus = false;
        q.tripAtS = 30;
        q.tripRestartS = -1;
        auto lasting = simulate("small.json", q, 120, tmp("lasting.twin"));
        const auto ev2 = lasting.store->events(lasting.store->span().first, lasting.store->span().last);
        const auto it = std::find_if(ev2.begin(), ev2.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY(it != ev2.end());
        QVERIFY(!it->end);
    }

    // The named scenarios recover from their own incident: in a 10-minute turbine-trip recording
    // the trip alarm ends exactly when the store's state series shows the unit online again. In
    // the same run a crashed job (the job-crash scenario's requeue delay), a repaired cooling
    // loop, a cloud and the stalls of failed GPUs end their events when their conditions clear.
    void scenarioIncidentsEndWithinTheRecording() {
        const double duration = 660;
        auto p = sim::scenario("turbine-trip", duration);
        QCOMPARE(p.tripRestartS, 120.0);   // the scenario's documented restart
        p.recordGpus = false;
        const auto crash = sim::scenario("job-crash", duration);
        QCOMPARE(crash.crashRestartS, 300.0);
        p.crashAtS = 40;
        p.crashRestartS = crash.crashRestartS;
        QCOMPARE(sim::scenario("cooling-failure", duration).coolingRepairS, 900.0);
        QCOMPARE(sim::scenario("megapack-fault", duration).megapackRepairS, 600.0);
        p.coolingFailAtS = 100;
        p.coolingRepairS = 150;
        p.cloudAtS = 30;
        p.cloudS = 60;
        p.gpuFailuresPerHour = 40;
        auto r = simulate("small.json", p, duration, tmp("scenario-ends.twin"));
        auto& s = *r.store;
        const TimeMs t0 = s.span().first;
        const auto ev = s.events(t0, s.span().last);
        auto first = [&](const char* kind) {
            const auto it = std::find_if(ev.begin(), ev.end(), [&](const Event& e) { return e.kind == kind; });
            return it == ev.end() ? Event{} : *it;
        };

        // The trip: its end is the first frame of the source series with the unit Online again.
        const Event trip = first("turbine_trip");
        QVERIFY(!trip.kind.empty());
        QCOMPARE(trip.start - t0, TimeMs{220'000});
        QVERIFY2(trip.end, "the trip alarm of the turbine-trip scenario must end within the recording");
        const auto& source = twin::query::seriesInfo(s, s.findSeries(twin::sim::series::Source::name));
        const auto pos = static_cast<std::size_t>(twin::query::positionIn(s.campus(), source, s.campus().find(trip.asset)));
        auto stateAt = [&](TimeMs t) {
            return std::lround(s.seriesAt(source.id, t).values[twin::sim::series::Source::State][pos]);
        };
        TimeMs backOnline = 0;
        for (TimeMs t : s.frameTimes(source.id, trip.start, s.span().last))
            if (stateAt(t) == static_cast<long>(sim::SourceState::Online)) {
                backOnline = t;
                break;
            }
        QVERIFY(backOnline > 0);
        QCOMPARE(*trip.end, backOnline);
        QVERIFY(*trip.end - trip.start >= 120'000);   // the restart delay at least

        // The crashed job: ends when it is requeued (300 s later), its state series Ramping from then.
        const Event jobCrash = first("job_crash");
        QVERIFY(!jobCrash.kind.empty() && jobCrash.end);
        QVERIFY2(std::abs(*jobCrash.end - jobCrash.start - 300'000) <= 10,
                 qPrintable(QString::number(*jobCrash.end - jobCrash.start)));
        const auto& jobs = twin::query::seriesInfo(s, s.findSeries(twin::sim::series::Job::name));
        std::size_t job = 0;
        for (std::size_t j = 0; j < s.jobs().size(); ++j)
            if (s.jobs()[j].name == jobCrash.asset) job = j;
        auto jobStateAt = [&](TimeMs t) {
            return std::lround(s.seriesAt(jobs.id, t).values[twin::sim::series::Job::State][job]);
        };
        QCOMPARE(jobStateAt(*jobCrash.end - 100), static_cast<long>(sim::JobState::Crashed));
        QCOMPARE(jobStateAt(*jobCrash.end + 100), static_cast<long>(sim::JobState::Ramping));

        // The cooling loop repaired 150 s after its failure; the cloud gone after 60 s.
        const Event cooling = first("cooling_failure");
        QVERIFY(!cooling.kind.empty() && cooling.end);
        QVERIFY(std::abs(*cooling.end - cooling.start - 150'000) <= 10);
        const Event cloud = first("cloud_passage");
        QVERIFY(!cloud.kind.empty() && cloud.end);
        QVERIFY(std::abs(*cloud.end - cloud.start - 60'000) <= 10);

        // Stalls: each ends when its job restarts (stallS later), or when a crash supersedes it.
        int stalls = 0;
        for (const Event& e : ev) {
            if (e.kind != "job_stall") continue;
            ++stalls;
            if (!e.end) {   // only one still stalled at the end of the recording
                QVERIFY(e.start + 120'000 > s.span().last - 10);
                continue;
            }
            const bool restarted = std::abs(*e.end - e.start - 120'000) <= 10;
            const bool crashed = e.asset == jobCrash.asset && *e.end == jobCrash.start;
            QVERIFY2(restarted || crashed, qPrintable(QString::number(*e.end - e.start)));
        }
        QVERIFY(stalls > 0);

        // Every event of a lasting condition ended, but for conditions present at the end.
        for (const Event& e : ev)
            if (e.severity >= Severity::Alarm && !e.end)
                QVERIFY2(e.kind == "gpu_throttling" || e.kind == "frequency_excursion",
                         qPrintable(QString::fromStdString(e.kind + " " + e.asset + " never ended")));
    }

    void stateOfChargeStaysInItsWindow() {
        auto p = sim::scenario("steady-training", 600);
        p.gridImportLimitMw = 0;
        p.socTarget = 15;   // start near the bottom of the window
        auto r = simulate("small.json", p, 600, tmp("soc.twin"));
        for (const auto& b : samples(*r.store, "megapack", 0, 0)) {
            QVERIFY2(b.min >= p.socMin - 0.5 && b.max <= p.socMax + 0.5, qPrintable(QString::number(b.min)));
        }
    }

    void coolingFailureRaisesTemperaturesUntilThrottling() {
        auto p = sim::scenario("cooling-failure", 400);
        p.coolingFailAtS = 20;
        auto r = simulate("small.json", p, 400, tmp("cooling.twin"));
        auto& s = *r.store;
        const auto ev = s.events(s.span().first, s.span().last);
        QVERIFY(std::any_of(ev.begin(), ev.end(), [](const Event& e) { return e.kind == "cooling_failure"; }));
        QVERIFY(std::any_of(ev.begin(), ev.end(), [](const Event& e) { return e.kind == "gpu_throttling"; }));
        const auto supply = samples(s, "hall", 2, 0);
        const auto throttled = samples(s, "hall", 4, 0);
        const auto it = samples(s, "hall", 0, 0);
        QVERIFY(supply.front().firstValue < 26);
        QVERIFY(supply.back().firstValue > 35);
        QVERIFY(throttled.front().max == 0);
        QVERIFY(throttled.back().firstValue > 0);
        // Throttling cuts the hall's load: the last minute draws less than the first.
        double early = 0, late = 0;
        for (int i = 0; i < 15; ++i) early += it[i].firstValue, late += it[it.size() - 1 - i].firstValue;
        QVERIFY(late < 0.9 * early);
        // GPU temperatures rose with the coolant.
        const auto gpuEarly = s.seriesAt(s.findSeries(twin::sim::series::Gpu::name), s.span().first + 15'000);
        const auto gpuLate = s.seriesAt(s.findSeries(twin::sim::series::Gpu::name), s.span().last);
        QVERIFY(gpuLate.values[twin::sim::series::Gpu::Temperature][0] > gpuEarly.values[twin::sim::series::Gpu::Temperature][0] + 5);
    }

    void sameSeedSameTelemetry() {
        auto p = sim::scenario("job-crash", 30);
        auto hash = [&](const char* name, std::uint64_t seed) {
            p.seed = seed;
            auto r = simulate("small.json", p, 30, tmp(name));
            QCryptographicHash h(QCryptographicHash::Sha256);
            for (const auto& row : r.store->query("SELECT hex(data) FROM frame ORDER BY series, seg, t"))
                h.addData(QByteArray::fromStdString(row[0]));
            for (const auto& row : r.store->query("SELECT t_start, kind, asset, text FROM event ORDER BY id"))
                for (const auto& x : row) h.addData(QByteArray::fromStdString(x));
            return h.result();
        };
        const auto a = hash("seed1a.twin", 1), b = hash("seed1b.twin", 1), c = hash("seed2.twin", 2);
        QCOMPARE(a, b);
        QVERIFY(a != c);
    }
};

QTEST_APPLESS_MAIN(TestSim)
#include "test_sim.moc"
