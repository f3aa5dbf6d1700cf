// The compute side of the simulator against the figures of issue #17: cooling dynamics (chiller
// capacity lag, a chiller plant trip), NVIDIA power smoothing and GB300 rack storage, and a
// whole-building synchronous job. Each test names its figure, tolerance and source; the models
// and sources are in docs/physics.md ("Heat", "Power smoothing and rack storage", "Workloads").
#include "twin/campus_file.h"
#include "twin/sim/series.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include "support/data_files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <complex>
#include <fstream>
#include <sstream>

using namespace twin;
namespace series = twin::sim::series;

namespace {

// The small test campus with its two GPU models renamed as real ones: its 64-GPU racks hold
// H100s (Hopper: no power smoothing), its 72-GPU racks GB300s (1,400 W, 135 kW racks with
// power-supply energy storage), so the simulator's defaults apply to them as on the real campus.
Campus tinyGb300Campus() {
    std::ifstream in(testsupport::siteFile("small.json"));
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    auto replaceAll = [&](const std::string& from, const std::string& to) {
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    };
    replaceAll("\"TGPU-A\"", "\"H100\"");
    replaceAll("\"TGPU-B\", \"tdp_w\": 1200", "\"GB300\", \"tdp_w\": 1400");
    replaceAll("\"TGPU-B\"", "\"GB300\"");
    replaceAll("\"rated_kw\": 120, \"idle_kw\": 36", "\"rated_kw\": 135, \"idle_kw\": 40");
    return parseCampus(s, "tiny-gb300.json");
}

struct Run {
    std::unique_ptr<StoreReader> store;
    sim::Summary summary;
};

Run simulate(const Campus& campus, const sim::Params& p, double seconds, const std::string& out) {
    WriterOptions o;
    o.overwrite = true;
    auto w = StoreWriter::create(out, campus, o);
    sim::Simulator s(campus, p);
    s.attach(*w);
    s.run(seconds);
    w->close();
    return {StoreReader::open(out), s.summary()};
}

// Every sample of one channel: (time ms from the start, value).
std::vector<std::pair<TimeMs, double>> channel(StoreReader& r, const std::string& series, int quantity, std::int64_t pos) {
    const auto sp = r.span();
    std::vector<std::pair<TimeMs, double>> out;
    for (const auto& b : r.seriesRange(r.findSeries(series), quantity, pos, sp.first, sp.last, 1'000'000))
        out.emplace_back(b.first - sp.first, b.firstValue);
    return out;
}

// Amplitude of the component at `hz` of the samples from `fromMs` on (Hann window, coherent gain
// corrected): the height of a sine at that frequency.
double amplitudeAt(const std::vector<std::pair<TimeMs, double>>& s, double hz, TimeMs fromMs) {
    std::vector<std::pair<double, double>> x;
    for (const auto& [t, v] : s)
        if (t >= fromMs) x.emplace_back(t / 1000.0, v);
    const std::size_t n = x.size();
    double mean = 0;
    for (const auto& p : x) mean += p.second / static_cast<double>(n);
    std::complex<double> acc = 0;
    double wsum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = 0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i) / static_cast<double>(n - 1));
        acc += w * (x[i].second - mean) * std::polar(1.0, -2 * M_PI * hz * x[i].first);
        wsum += w;
    }
    return 2 * std::abs(acc) / wsum;
}

} // namespace

class TestSimCompute : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string tmp(const char* n) { return dir_.filePath(n).toStdString(); }

    static sim::Params quiet(const char* scenario, double seconds) {
        auto p = sim::scenario(scenario, seconds);
        p.recordGpus = false;
        p.gpuFailuresPerHour = 0;
        p.checkpointEveryS = 0;
        return p;
    }

private slots:
    // Issue #17: "with a >= 60 s heat-rejection lag the cooling power's amplitude at the step
    // frequency is <= 2 % of IT power's". A first-order lag of 60 s passes 1/sqrt(1 + (2 pi f 60)^2)
    // of a 0.125-0.5 Hz swing (<= 2.1 %), and the chillers' electrical input is that over a COP
    // of ~3: ~0.7 % expected. Without the lag (the old model) the chillers follow every step:
    // ~1/COP = 25-35 % of the IT swing, so the test can fail.
    void coolingPowerDoesNotFollowTrainingSteps() {
        const Campus campus = loadCampusFile(testsupport::siteFile("small.json"));
        auto ratio = [&](double lagS, const char* name) {
            auto p = quiet("steady-training", 240);
            p.gpuHz = 10;   // the hall series at 10 Hz: the step frequency well below Nyquist
            p.chillerLagS = lagS;
            auto r = simulate(campus, p, 240, tmp(name));
            const double hz = 1 / r.store->jobs().at(0).stepPeriodS;
            const auto it = channel(*r.store, "hall", series::Hall::ItPower, 0);
            const auto cooling = channel(*r.store, "hall", series::Hall::CoolingPower, 0);
            const double a = amplitudeAt(it, hz, 40'000), b = amplitudeAt(cooling, hz, 40'000);
            qInfo("chiller lag %.0f s: at %.3f Hz IT power %.4f MW, cooling power %.5f MW (%.2f %%)", lagS, hz, a, b,
                  100 * b / a);
            return std::pair(a, b / a);
        };
        const auto [itAmplitude, lagged] = ratio(60, "lag60.twin");
        QVERIFY(itAmplitude > 0.05);   // the job's square wave is there (~0.1 MW on this hall)
        QVERIFY2(lagged <= 0.02, qPrintable(QString::number(lagged)));
        const auto [unused, instant] = ratio(0, "lag0.twin");
        Q_UNUSED(unused);
        QVERIFY2(instant >= 0.15, qPrintable(QString::number(instant)));
    }

    // Issue #17: "a chiller trip holds heat rejection at zero for 240-480 s" (chiller restart after
    // a trip takes 4-8 minutes: grid-and-hmi-references.md, "Cooling"). The chiller-trip scenario
    // trips hall 1's plant; heat rejection is 0 from the trip until chillerRestartS (300 s) later,
    // the coolant warms meanwhile, the chiller_trip alarm spans exactly that window, and the
    // chillers reject heat again afterwards.
    void chillerTripHoldsHeatRejectionAtZero() {
        const Campus campus = loadCampusFile(testsupport::siteFile("small.json"));
        auto p = sim::scenario("chiller-trip", 450);
        QCOMPARE(p.chillerTripAtS, 90.0);   // a fifth of the way in
        p.recordGpus = false;
        p.gpuFailuresPerHour = 0;
        auto r = simulate(campus, p, 600, tmp("chiller-trip.twin"));   // 210 s after the restart
        auto& s = *r.store;
        const auto rejected = channel(s, "hall", series::Hall::HeatRejection, 0);
        const auto supply = channel(s, "hall", series::Hall::SupplyTemperature, 0);
        const auto online = channel(s, "hall", series::Hall::ChillersOnline, 0);
        TimeMs firstZero = -1, lastZero = -1;
        for (const auto& [t, v] : rejected)
            if (v == 0) {
                if (firstZero < 0) firstZero = t;
                lastZero = t;
            }
        const double zeroS = (lastZero - firstZero) / 1000.0;   // 1 Hz samples, 0.001 MW precision
        qInfo("heat rejection at 0 from %.0f s to %.0f s (%.0f s); supply %.2f -> %.2f degC", firstZero / 1000.0,
              lastZero / 1000.0, zeroS, supply.at(89).second, supply.at(lastZero / 1000).second);
        QVERIFY(firstZero >= 0);
        QVERIFY(zeroS >= 240 && zeroS <= 480);
        // The trip acts after the physics of the step at its time (docs/physics.md, "Control"): the
        // 1 Hz sample at 90 s still shows the heat rejected before it, the next one none.
        QVERIFY2(firstZero == 90'000 || firstZero == 91'000, qPrintable(QString::number(firstZero)));
        for (const auto& [t, v] : rejected)   // zero throughout the window, rejecting before it and after
            if (t >= firstZero && t <= lastZero) QCOMPARE(v, 0.0);
            else QVERIFY2(t < firstZero ? v > 0.1 : v > 0, qPrintable(QString("%1 s: %2 MW").arg(t / 1000).arg(v)));
        // Back at work (the chillers' lag is 90 s): rejecting more than the racks' heat, the loop cools.
        QVERIFY(rejected.back().second > 0.15);
        QVERIFY(supply.back().second < supply.at(lastZero / 1000).second - 1);
        QVERIFY(supply.at(lastZero / 1000).second > supply.at(89).second + 5);   // the loop warmed
        QVERIFY(online.at(89).second >= 1 && online.at(200).second == 0 && online.back().second >= 1);
        const auto ev = s.events(s.span().first, s.span().last);
        const auto trip = std::find_if(ev.begin(), ev.end(), [](const Event& e) { return e.kind == "chiller_trip"; });
        QVERIFY(trip != ev.end() && trip->end);
        QCOMPARE(trip->start - s.span().first, TimeMs{90'000});
        QCOMPARE(*trip->end - trip->start, TimeMs{300'000});
    }

    // Issue #17: "with smoothing on, island load at t = 0.1 s within 5 % of the unsmoothed load"
    // (before, every smoothed job started from zero: Southaven drew 562 MW against 1,366 MW
    // dispatched). The jobs run before the recording starts, so smoothing starts from where it
    // holds them: their present power, raised to the floor.
    void smoothingStartsFromRunningJobs() {
        const Campus campus = loadCampusFile(testsupport::siteFile("colossus.json"));
        auto loadsAt100ms = [&](bool smoothing, const char* name) {
            auto p = quiet("steady-training", 1);
            p.powerSmoothing = smoothing;
            auto r = simulate(campus, p, 0.2, tmp(name));
            std::vector<double> loads;
            const auto& info = r.store->series();
            for (const auto& si : info)
                if (si.spec.name == series::Island::name)
                    for (std::size_t i = 0; i < si.spec.assets.size(); ++i)
                        loads.push_back(channel(*r.store, series::Island::name, series::Island::Load,
                                                static_cast<std::int64_t>(i)).at(1).second);
            return loads;
        };
        const auto off = loadsAt100ms(false, "smooth-off.twin"), on = loadsAt100ms(true, "smooth-on.twin");
        QCOMPARE(on.size(), off.size());
        QVERIFY(!on.empty());
        for (std::size_t i = 0; i < on.size(); ++i) {
            qInfo("island %zu at 0.1 s: %.1f MW smoothed, %.1f MW unsmoothed (%+.2f %%)", i, on[i], off[i],
                  100 * (on[i] / off[i] - 1));
            QVERIFY(off[i] > 100);
            QVERIFY(std::abs(on[i] / off[i] - 1) <= 0.05);
        }
    }

    // Issue #17: "H100 halls unchanged by smoothing" (NVML: power smoothing is for Blackwell and
    // newer). On the tiny campus one job spans the H100 hall and the GB300 hall: with smoothing on
    // the H100 hall's power is the same sample for sample, while the GB300 hall's lowest power
    // rises to the floor (0.6 of TDP instead of 0.30 while communicating). Rack storage off here
    // so that only smoothing differs.
    void smoothingLeavesHopperHallsAlone() {
        const Campus campus = tinyGb300Campus();
        auto hallPower = [&](bool smoothing, const char* name) {
            auto p = quiet("steady-training", 60);
            p.gpuHz = 10;
            p.rackStorage = false;
            p.powerSmoothing = smoothing;
            auto r = simulate(campus, p, 60, tmp(name));
            return std::pair(channel(*r.store, "hall", series::Hall::ItPower, 0),
                             channel(*r.store, "hall", series::Hall::ItPower, 1));
        };
        const auto [h100Off, gb300Off] = hallPower(false, "hopper-off.twin");
        const auto [h100On, gb300On] = hallPower(true, "hopper-on.twin");
        QCOMPARE(h100On.size(), h100Off.size());
        QVERIFY(h100On.size() >= 600);
        for (std::size_t i = 0; i < h100On.size(); ++i) QCOMPARE(h100On[i].second, h100Off[i].second);
        auto lowest = [](const std::vector<std::pair<TimeMs, double>>& s) {
            double m = 1e9;
            for (const auto& [t, v] : s)
                if (t >= 10'000) m = std::min(m, v);
            return m;
        };
        qInfo("GB300 hall lowest power: %.4f MW smoothed, %.4f MW not", lowest(gb300On), lowest(gb300Off));
        QVERIFY(lowest(gb300On) > lowest(gb300Off) * 1.2);
    }

    // Issue #17: "GB300 storage cuts the peak of a compute/communicate square wave by 30 +- 5 %"
    // (NVIDIA: GB300 NVL72's power supplies with energy storage cut peak grid demand by up to
    // 30 %). A 2 s step, half computing at 0.92 of TDP, half communicating at 0.08: the GB300 hall
    // swings between ~95 % and ~30 % of its rating; the storage (30 % of the rack rating) gives
    // its full power at each peak, so the peak drawn falls by 0.30 x 135 / 128 = ~32 %. The mean
    // is unchanged (the storage stores, it does not burn): within 1 %.
    void gb300StorageCutsThePeak() {
        const Campus campus = tinyGb300Campus();
        auto hall = [&](bool storage, const char* name) {
            auto p = quiet("steady-training", 90);
            p.gpuHz = 10;
            p.rackStorage = storage;
            p.stepPeriodMinS = p.stepPeriodMaxS = 2;
            p.computeFraction = 0.5;
            p.commActivity = 0.08;
            auto r = simulate(campus, p, 90, tmp(name));
            return channel(*r.store, "hall", series::Hall::ItPower, 1);
        };
        const auto off = hall(false, "storage-off.twin"), on = hall(true, "storage-on.twin");
        auto peakAndMean = [](const std::vector<std::pair<TimeMs, double>>& s) {
            double peak = 0, sum = 0;
            int n = 0;
            for (const auto& [t, v] : s)
                if (t >= 30'000 && t < 90'000) peak = std::max(peak, v), sum += v, ++n;
            return std::pair(peak, sum / n);
        };
        const auto [peakOff, meanOff] = peakAndMean(off);
        const auto [peakOn, meanOn] = peakAndMean(on);
        const double cut = 1 - peakOn / peakOff;
        qInfo("GB300 hall peak %.4f MW without storage, %.4f MW with (%.1f %% lower); mean %.4f / %.4f MW", peakOff,
              peakOn, 100 * cut, meanOff, meanOn);
        QVERIFY2(std::abs(cut - 0.30) <= 0.05, qPrintable(QString::number(cut)));
        QVERIFY(std::abs(meanOn / meanOff - 1) <= 0.01);
    }

    // Issue #17: "a whole-building synchronous job's island swing equals racks x per-rack
    // (compute - communicate) power within 5 %". The frontier-run workload on the default campus:
    // Colossus 1 (its own island, with the grid ties) is one job of ~231,000 GPUs. Each rack moves
    // by its GPUs' TDP x (0.92 - 0.30) plus its non-GPU span (rack type's rated - idle less the
    // GPUs' share) x the same; the island's load swings by their sum. 5 %: the GPUs' +-4 %
    // silicon spread averages out; the lagged cooling and 2 %/Hz load damping move it by < 1 %.
    void wholeBuildingJobSwing() {
        const Campus campus = loadCampusFile(testsupport::siteFile("colossus.json"));
        auto p = quiet("frontier-run", 40);
        QCOMPARE(p.workload, std::string("frontier"));
        auto r = simulate(campus, p, 40, tmp("frontier.twin"));
        auto& s = *r.store;
        const auto job = std::find_if(s.jobs().begin(), s.jobs().end(), [](const Job& j) { return j.name.rfind("colossus1/", 0) == 0; });
        QVERIFY(job != s.jobs().end());
        QVERIFY(job->gpus >= 100'000);
        double expectedMw = 0;
        std::int64_t racks = 0;
        const double swing = p.computeActivity - p.commActivity;
        for (const auto& id : job->racks) {
            const Asset& a = campus.assets[campus.find(id)];
            const RackType* rt = campus.rackType(a.model);
            const double tdp = campus.gpuModel(rt->gpuModel)->tdpW;
            const double gpuKw = a.gpuCount * tdp / 1000;
            const double ovFull = rt->ratedKw - gpuKw, ovIdle = std::clamp(rt->idleKw - gpuKw * 0.08, 0.0, ovFull);
            expectedMw += (gpuKw + ovFull - ovIdle) * swing / 1000;
            ++racks;
        }
        // The island of Colossus 1: the one whose bus is on its site.
        std::int64_t island = -1;
        for (const auto& si : s.series())
            if (si.spec.name == series::Island::name)
                for (std::size_t i = 0; i < si.spec.assets.size(); ++i)
                    if (si.spec.assets[i].rfind("colossus1/", 0) == 0) island = static_cast<std::int64_t>(i);
        QVERIFY(island >= 0);
        // The swing between the plateaus: the 2nd and 98th percentiles of the 10 Hz load, so that the
        // rotating loads' inertial exchange for a moment at each edge (load = demand + H_L·RoCoF
        // term, docs/physics.md "Frequency") does not count as the racks' swing.
        std::vector<double> loads;
        for (const auto& [t, v] : channel(s, series::Island::name, series::Island::Load, island))
            if (t >= 10'000) loads.push_back(v);
        QVERIFY(loads.size() > 100);
        std::sort(loads.begin(), loads.end());
        const double lo = loads[loads.size() * 2 / 100], hi = loads[loads.size() * 98 / 100];
        qInfo("%s: %lld GPUs on %lld racks; island swing %.1f MW, racks x per-rack swing %.1f MW (%+.2f %%)",
              job->name.c_str(), static_cast<long long>(job->gpus), static_cast<long long>(racks), hi - lo, expectedMw,
              100 * ((hi - lo) / expectedMw - 1));
        QVERIFY(std::abs((hi - lo) / expectedMw - 1) <= 0.05);
    }
};

QTEST_APPLESS_MAIN(TestSimCompute)
#include "test_sim_compute.moc"
