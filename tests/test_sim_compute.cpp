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

std::int64_t position(StoreReader& r, const std::string& series, const std::string& asset) {
    for (const auto& s : r.series())
        if (s.spec.name == series)
            for (std::size_t i = 0; i < s.spec.assets.size(); ++i)
                if (s.spec.assets[i] == asset) return static_cast<std::int64_t>(i);
    return -1;
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
        QCOMPARE(firstZero, TimeMs{90'000});
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
};

QTEST_APPLESS_MAIN(TestSimCompute)
#include "test_sim_compute.moc"
