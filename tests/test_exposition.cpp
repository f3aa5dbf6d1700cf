// twin_ingest's scrape path without a network: the text exposition format parsed (escapes,
// timestamps, NaN / Inf, comments, # EOF, malformed lines counted with their line numbers, size
// limits), scrape bodies mapped to GPUs and racks (unknown hosts and racks counted), stale at once
// when a series disappears or a scrape fails, and the rack / hall series with their qualities
// written to a store and read back, with the simulator's rack series spec.
#include "twin/campus_file.h"
#include "twin/ingest/exposition.h"
#include "twin/ingest/gpu_series.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/rack_series.h"
#include "twin/ingest/scrape_ingest.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace twin;
using namespace twin::ingest;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
constexpr TimeMs kT0 = 1'780'000'000'000;

struct Parsed {
    std::vector<std::vector<std::pair<std::string, std::string>>> labels;
    std::vector<SampleView> samples;
    std::vector<int> lines;
    ExpositionResult result;
};

Parsed parse(std::string_view body, ExpositionLimits limits = {})
{
    Parsed p;
    p.result = parseExposition(body, "http://h:9400/metrics", kT0, limits, [&](const SeriesView& s, int line) {
        auto& l = p.labels.emplace_back();
        for (const LabelView& v : s.labels) l.emplace_back(std::string(v.name), std::string(v.value));
        p.samples.push_back(s.samples[0]);
        p.lines.push_back(line);
    });
    return p;
}

// dcgm-exporter's lines for one host of the inventory: power, utilisation, temperature of each GPU.
std::string hostBody(const InventoryHost& h, double base, const char* extra = "")
{
    std::string out = "# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n";
    for (const char* metric : {"DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP"})
        for (int d = 0; d < h.gpus; ++d)
            out += std::string(metric) + "{gpu=\"" + std::to_string(d) + "\",UUID=\"GPU-x\",Hostname=\"" + h.host +
                   "\",modelName=\"NVIDIA H100 80GB HBM3\"} " + std::to_string(base + d) + "\n";
    return out + extra;
}

} // namespace

class TestExposition : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void formatBasics();
    void valuesAndTimestamps();
    void malformedLinesCounted();
    void sizeLimits();
    void hostileBodies();
    void scrapeMapsToGpus();
    void unknownHostsAndInvalidValues();
    void staleWhenGoneOrFailed();
    void racksFromGpusAndSensors();
    void rackAndHallSeriesInStore();

private:
    Campus campus_;
    Inventory inventory_;
};

void TestExposition::initTestCase()
{
    campus_ = loadCampusFile(kSmall);
    inventory_ = Inventory::defaultFor(campus_);
}

void TestExposition::formatBasics()
{
    const Parsed p = parse("# HELP m A metric \\n with help.\n"
                           "# TYPE m gauge\n"
                           "\n"
                           "# any comment at all\n"
                           "m{a=\"plain\",b=\"back\\\\slash\",c=\"quo\\\"te\",d=\"new\\nline\",} 1\r\n"
                           "  m_total   2  \n"
                           "m{} 3\n"
                           "# EOF\n"
                           "not even parsed {{{\n");
    QCOMPARE(p.result.status, ExpositionStatus::Ok);
    QCOMPARE(p.result.badLines, std::int64_t{0});
    QCOMPARE(p.result.samples, std::int64_t{3});
    QCOMPARE(p.result.lines, std::int64_t{8});   // up to # EOF
    QCOMPARE(p.labels[0].size(), std::size_t{5});
    QCOMPARE(p.labels[0][0], std::make_pair(std::string("__name__"), std::string("m")));
    QCOMPARE(p.labels[0][1].second, std::string("plain"));
    QCOMPARE(p.labels[0][2].second, std::string("back\\slash"));
    QCOMPARE(p.labels[0][3].second, std::string("quo\"te"));
    QCOMPARE(p.labels[0][4].second, std::string("new\nline"));
    QCOMPARE(p.labels[1][0].second, std::string("m_total"));
    QCOMPARE(p.lines, (std::vector<int>{5, 6, 7}));
    QCOMPARE(p.samples[2].value, 3.0);
}

void TestExposition::valuesAndTimestamps()
{
    const Parsed p = parse("a 1.5\n"
                           "a 1.5 1780000001234\n"
                           "a NaN\n"
                           "a +Inf\n"
                           "a -Inf 5\n"
                           "a -2.5e3 -1000\n"
                           "a +7\n");
    QCOMPARE(p.result.badLines, std::int64_t{0});
    QCOMPARE(p.samples.size(), std::size_t{7});
    QCOMPARE(p.samples[0].timestamp, kT0);   // none: the scrape's time
    QCOMPARE(p.samples[1].timestamp, std::int64_t{1780000001234});
    QVERIFY(std::isnan(p.samples[2].value));
    QVERIFY(!isStaleMarker(p.samples[2].value));   // a NaN in text is a value, not a stale marker
    QCOMPARE(p.samples[3].value, std::numeric_limits<double>::infinity());
    QCOMPARE(p.samples[4].value, -std::numeric_limits<double>::infinity());
    QCOMPARE(p.samples[4].timestamp, std::int64_t{5});
    QCOMPARE(p.samples[5].value, -2500.0);
    QCOMPARE(p.samples[5].timestamp, std::int64_t{-1000});
    QCOMPARE(p.samples[6].value, 7.0);
}

void TestExposition::malformedLinesCounted()
{
    const Parsed p = parse("good 1\n"
                           "bad{a=\"x\" 2\n"                // 2: no closing brace
                           "good 3\n"
                           "bad{a=\"x\\q\"} 4\n"            // 4: unknown escape
                           "bad{a=\"unterminated} 5\n"      // 5
                           "bad 1.2.3\n"                    // 6: not a number
                           "bad 1 12.5\n"                   // 7: timestamp not whole ms
                           "bad 1 2 3\n"                    // 8: trailing token
                           "bad{a=\"1\",a=\"2\"} 9\n"       // 9: label twice
                           "# TYPE bad nonsense\n"          // 10: unknown type
                           "{a=\"1\"} 11\n"                 // 11: no name
                           "bad\n"                          // 12: no value
                           "good 13\n");
    QCOMPARE(p.result.samples, std::int64_t{3});
    QCOMPARE(p.result.badLines, std::int64_t{10});
    QCOMPARE(p.lines, (std::vector<int>{1, 3, 13}));
    QCOMPARE(p.samples[2].value, 13.0);
    QVERIFY2(QString::fromStdString(p.result.error).startsWith("http://h:9400/metrics:2: expected ',' or '}'"),
             p.result.error.c_str());
    // Each kind names its line.
    for (const auto& [body, where] : std::vector<std::pair<std::string, std::string>>{
             {"bad{a=\"x\\q\"} 4\n", ":1: unknown escape '\\q'"},
             {"ok 1\nbad 1.2.3\n", ":2: value '1.2.3' is not a number"},
             {"\n\nbad 1 12.5\n", ":3: timestamp '12.5' is not a whole number"},
             {"bad{a=\"1\",a=\"2\"} 9\n", ":1: label 'a' given twice"},
             {"# TYPE bad nonsense\n", ":1: # TYPE bad: unknown type 'nonsense'"}}) {
        const Parsed one = parse(body);
        QCOMPARE(one.result.badLines, std::int64_t{1});
        QVERIFY2(one.result.error.find(where) != std::string::npos, one.result.error.c_str());
    }
}

void TestExposition::sizeLimits()
{
    ExpositionLimits limits;
    limits.maxBodyBytes = 1000;
    limits.maxLineBytes = 100;
    limits.maxLabels = 3;
    const Parsed huge = parse(std::string(1001, 'a'), limits);
    QCOMPARE(huge.result.status, ExpositionStatus::TooLarge);
    QCOMPARE(huge.result.lines, std::int64_t{0});   // refused before reading
    QVERIFY(huge.samples.empty());
    QVERIFY2(huge.result.error.find("over the limit of 1000") != std::string::npos, huge.result.error.c_str());

    const Parsed lines = parse("a 1\n" + std::string(101, 'b') + " 2\nc{x=\"1\",y=\"2\",z=\"3\"} 3\nd 4\n", limits);
    QCOMPARE(lines.result.status, ExpositionStatus::Ok);
    QCOMPARE(lines.result.samples, std::int64_t{2});
    QCOMPARE(lines.result.badLines, std::int64_t{2});   // the long line, the one with 4 labels
    QVERIFY2(lines.result.error.find(":2: line of 103 bytes is over the limit of 100") != std::string::npos,
             lines.result.error.c_str());
}

// Thousands of corrupted bodies: never a crash, every line either a sample or a bad line, and
// every sample mapped or counted.
void TestExposition::hostileBodies()
{
    FrameAssembler gpus(campus_, {});
    RackAssembler racks(campus_, {});
    ScrapeIngest ingest(inventory_, gpus, &racks);
    const std::string valid = hostBody(inventory_.hosts()[0], 100) +
                              "rack_power_watts{rack=\"" + campus_.assets[campus_.racks()[0]].id + "\"} 5e4 1780000000000\n";
    std::mt19937 rng(7);
    const char alphabet[] = "{}\",=\\ \t\n#abcXYZ019.+-eE:_";
    std::int64_t samples = 0, bad = 0;
    for (int k = 0; k < 3000; ++k) {
        std::string body = valid;
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng() % body.size();
            switch (rng() % 3) {
            case 0: body[at] = alphabet[rng() % (sizeof alphabet - 1)]; break;
            case 1: body.erase(at, 1 + rng() % 5); break;
            default: body.insert(at, 1, static_cast<char>(rng() % 256)); break;
            }
        }
        const Parsed p = parse(body);
        QVERIFY(p.result.samples + p.result.badLines <= p.result.lines);
        QCOMPARE(static_cast<std::int64_t>(p.samples.size()), p.result.samples);
        ScrapeTargetState state;
        const IngestResult r = ingest.ingest(body, "fuzz", kT0 + k, state);
        const IngestCounts& c = r.counts;
        QCOMPARE(c.series, p.result.samples);
        // Every sample in exactly one count (stale markers: for what the last scrape had and this lacks).
        QCOMPARE(c.samples, c.recorded + c.staleMarkers + c.invalidValues + c.outOfOrder + c.notRecorded +
                                c.unknownHost + c.unknownGpu + c.unknownRack + c.unlabelled);
        samples += c.series;
        bad += c.badSeries;
    }
    qInfo("hostile bodies: %lld samples read, %lld bad lines", static_cast<long long>(samples), static_cast<long long>(bad));
    QVERIFY(samples > 0 && bad > 0);
}

void TestExposition::scrapeMapsToGpus()
{
    FrameAssembler gpus(campus_, {});
    RackAssembler racks(campus_, {});
    ScrapeIngest ingest(inventory_, gpus, &racks);
    ScrapeTargetState state;
    const InventoryHost& h = inventory_.hosts()[3];
    const IngestResult r = ingest.ingest(hostBody(h, 300.25), "http://n4:9400/metrics", kT0, state);
    QCOMPARE(r.status, IngestStatus::Ok);
    QCOMPARE(r.counts.recorded, std::int64_t{3 * h.gpus});
    QCOMPARE(r.counts.requests, std::int64_t{1});
    QCOMPARE(state.delivered.size(), static_cast<std::size_t>(3 * h.gpus));
    GpuFrame f;
    gpus.snapshot(kT0 + 1000, f);
    QCOMPARE(f.good, std::int64_t{h.gpus});
    for (int d = 0; d < h.gpus; ++d) {
        const auto g = static_cast<std::size_t>(h.gpuFirst + d);
        QCOMPARE(f.values[0][g], static_cast<float>(300.25 + d));
        QCOMPARE(f.values[1][g], static_cast<float>(300.25 + d));
        QCOMPARE(f.quality[g], 0.0f);
    }
}

void TestExposition::unknownHostsAndInvalidValues()
{
    FrameAssembler gpus(campus_, {});
    ScrapeIngest ingest(inventory_, gpus);
    ScrapeTargetState state;
    const std::string host = inventory_.hosts()[0].host;
    const std::string body = "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",Hostname=\"" + host + "\"} 500\n"
                             "DCGM_FI_DEV_POWER_USAGE{gpu=\"1\",Hostname=\"" + host + "\"} NaN\n"
                             "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",Hostname=\"node-stranger\"} 1\n"
                             "DCGM_FI_DEV_POWER_USAGE{gpu=\"99\",Hostname=\"" + host + "\"} 1\n"
                             "DCGM_FI_DEV_SM_CLOCK{gpu=\"0\",Hostname=\"" + host + "\"} 1980\n"
                             "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"" + host + "\"} +Inf\n"
                             "rack_power_watts{rack=\"" + campus_.assets[campus_.racks()[0]].id + "\"} 1000\n"
                             "garbage here\n";
    const IngestResult r = ingest.ingest(body, "http://n1:9400/metrics", kT0, state);
    QCOMPARE(r.status, IngestStatus::Invalid);
    QCOMPARE(r.counts.recorded, std::int64_t{1});
    QCOMPARE(r.counts.invalidValues, std::int64_t{2});
    QCOMPARE(r.counts.unknownHost, std::int64_t{1});
    QCOMPARE(r.counts.unknownGpu, std::int64_t{1});
    QCOMPARE(r.counts.notRecorded, std::int64_t{2});   // a clock; a rack sensor without a rack assembler
    QCOMPARE(r.counts.badSeries, std::int64_t{1});
    // The body's problem first, then the samples': each names the target and the line.
    QVERIFY2(r.firstError == "http://n1:9400/metrics:8: value 'here' is not a number (line: 'garbage here'): skipped",
             r.firstError.c_str());
    QVERIFY2(r.firstNotice.find("http://n1:9400/metrics:3: DCGM_FI_DEV_POWER_USAGE{Hostname=\"node-stranger\"") == 0,
             r.firstNotice.c_str());
    // Without the malformed line, the NaN is the first error, at its line.
    ScrapeTargetState other;
    const IngestResult n = ingest.ingest(body.substr(0, body.find("garbage")), "http://n1:9400/metrics", kT0 + 1, other);
    QVERIFY2(n.firstError.find("http://n1:9400/metrics:2: DCGM_FI_DEV_POWER_USAGE{") == 0 &&
                 n.firstError.find("is not a number (and not a stale marker): dropped") != std::string::npos,
             n.firstError.c_str());
}

void TestExposition::staleWhenGoneOrFailed()
{
    FrameAssembler gpus(campus_, {.staleAfterMs = 90'000});
    ScrapeIngest ingest(inventory_, gpus);
    ScrapeTargetState a, b;
    const InventoryHost& h1 = inventory_.hosts()[0];
    const InventoryHost& h2 = inventory_.hosts()[1];
    ingest.ingest(hostBody(h1, 100) + hostBody(h2, 200), "http://a/metrics", kT0, a);
    ingest.ingest(hostBody(inventory_.hosts()[2], 300), "http://b/metrics", kT0, b);
    GpuFrame f;
    gpus.snapshot(kT0 + 1000, f);
    QCOMPARE(f.good, std::int64_t{h1.gpus + h2.gpus + inventory_.hosts()[2].gpus});

    // Target a no longer serves h2: h2's GPUs stale at the next scrape, long before 90 s.
    IngestResult r = ingest.ingest(hostBody(h1, 101), "http://a/metrics", kT0 + 2000, a);
    QCOMPARE(r.counts.staleMarkers, std::int64_t{3 * h2.gpus});
    gpus.snapshot(kT0 + 3000, f);
    for (int d = 0; d < h2.gpus; ++d) {
        QCOMPARE(f.quality[static_cast<std::size_t>(h2.gpuFirst + d)], 1.0f);
        QCOMPARE(f.values[0][static_cast<std::size_t>(h2.gpuFirst + d)], static_cast<float>(200 + d));   // kept
    }
    QCOMPARE(f.quality[static_cast<std::size_t>(h1.gpuFirst)], 0.0f);

    // Target a fails: what it delivered last (h1) goes stale at once; target b's GPUs stay good.
    r = ingest.fail(a, kT0 + 4000);
    QCOMPARE(r.counts.staleMarkers, std::int64_t{3 * h1.gpus});
    QCOMPARE(r.counts.badRequests, std::int64_t{1});
    QVERIFY(a.delivered.empty());
    gpus.snapshot(kT0 + 5000, f);
    QCOMPARE(f.quality[static_cast<std::size_t>(h1.gpuFirst)], 1.0f);
    QCOMPARE(f.quality[static_cast<std::size_t>(inventory_.hosts()[2].gpuFirst)], 0.0f);
    // Back: good again.
    ingest.ingest(hostBody(h1, 102), "http://a/metrics", kT0 + 6000, a);
    gpus.snapshot(kT0 + 7000, f);
    QCOMPARE(f.quality[static_cast<std::size_t>(h1.gpuFirst)], 0.0f);
    QCOMPARE(f.values[0][static_cast<std::size_t>(h1.gpuFirst)], 102.0f);

    // A body over the size limit is a failed scrape: nothing read, stale.
    ScrapeIngest small(inventory_, gpus, nullptr, {.maxBodyBytes = 100});
    r = small.ingest(hostBody(h1, 103), "http://a/metrics", kT0 + 8000, a);
    QCOMPARE(r.status, IngestStatus::TooLarge);
    QCOMPARE(r.counts.recorded, std::int64_t{0});
    QCOMPARE(r.counts.staleMarkers, std::int64_t{3 * h1.gpus});
}

void TestExposition::racksFromGpusAndSensors()
{
    FrameAssembler gpus(campus_, {.staleAfterMs = 90'000});
    RackAssembler racks(campus_, {.staleAfterMs = 90'000});
    ScrapeIngest ingest(inventory_, gpus, &racks);
    // Every host of rack 0 and of rack 1; rack 1 also has a PDU sensor and temperatures.
    const Asset& rack0 = campus_.assets[campus_.racks()[0]];
    const Asset& rack1 = campus_.assets[campus_.racks()[1]];
    std::string body;
    for (const InventoryHost& h : inventory_.hosts())
        if (h.rack == rack0.id || h.rack == rack1.id) body += hostBody(h, 500);
    body += "rack_power_watts{rack=\"" + rack1.id + "\"} 61234\n"
            "rack_inlet_temperature_celsius{rack=\"" + rack1.id + "\"} 24.5\n"
            "rack_outlet_temperature_celsius{rack=\"" + rack1.id + "\"} 38.25\n"
            "rack_power_watts{rack=\"no/such/rack\"} 1\n"
            "rack_power_watts{pdu=\"p1\"} 1\n";
    ScrapeTargetState state;
    const IngestResult r = ingest.ingest(body, "http://pdu/metrics", kT0, state);
    QCOMPARE(r.counts.unknownRack, std::int64_t{1});
    QCOMPARE(r.counts.unlabelled, std::int64_t{1});
    GpuFrame g;
    RackFrame f;
    gpus.snapshot(kT0 + 1000, g);
    racks.snapshot(g, f);
    QCOMPARE(f.t, kT0 + 1000);
    // Rack 0: the sum of its GPUs' power (hosts of 8 GPUs at 500 + d W), kW.
    double sum = 0;
    for (std::int64_t i = rack0.gpuFirst; i < rack0.gpuFirst + rack0.gpuCount; ++i) sum += g.values[0][static_cast<std::size_t>(i)];
    QVERIFY(sum > 0);
    QCOMPARE(f.values[0][0], static_cast<float>(sum / 1000));
    QCOMPARE(f.quality[0], 0.0f);
    QCOMPARE(f.values[1][0], 0.0f);   // no temperature sensor: 0
    // Rack 1: the sensor's value in kW, its temperatures.
    QCOMPARE(f.values[0][1], 61.234f);
    QCOMPARE(f.values[1][1], 24.5f);
    QCOMPARE(f.values[2][1], 38.25f);
    QCOMPARE(f.quality[1], 0.0f);
    QCOMPARE(f.sensed, std::int64_t{1});
    // Rack 2: no GPU received: missing, 0 kW.
    QCOMPARE(f.quality[2], 2.0f);
    QCOMPARE(f.values[0][2], 0.0f);
    // Halls: the sum of their racks (MW), the worst of their qualities.
    const RackHalls& halls = racks.halls();
    QVERIFY(!halls.halls.empty());
    std::vector<double> hallKw(halls.halls.size(), 0);
    for (std::size_t k = 0; k < campus_.racks().size(); ++k) hallKw[static_cast<std::size_t>(halls.hallOfRack[k])] += f.values[0][k];
    for (std::size_t h = 0; h < halls.halls.size(); ++h) QCOMPARE(f.hallItMw[h], static_cast<float>(hallKw[h] / 1000));
    QCOMPARE(f.hallQuality[static_cast<std::size_t>(halls.hallOfRack[0])], 2.0f);   // its other racks are missing

    // The PDU's target fails: rack 1 stale at once (its sensor), rack 0 too (its GPUs).
    ingest.fail(state, kT0 + 2000);
    gpus.snapshot(kT0 + 3000, g);
    racks.snapshot(g, f);
    QCOMPARE(f.quality[0], 1.0f);
    QCOMPARE(f.quality[1], 1.0f);
    QCOMPARE(f.values[0][1], 61.234f);   // the last value kept
    // Too old: stale by age as well.
    gpus.snapshot(kT0 + 200'000, g);
    racks.snapshot(g, f);
    QCOMPARE(f.quality[1], 1.0f);
}

void TestExposition::rackAndHallSeriesInStore()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // The simulator's rack series, for its spec.
    const std::string simPath = tmp.filePath("sim.twin").toStdString();
    {
        auto w = StoreWriter::create(simPath, campus_);
        sim::Simulator simulator(campus_, sim::Params{});
        simulator.attach(*w);
        w->close();
    }
    const std::string path = tmp.filePath("ingest.twin").toStdString();
    FrameAssembler gpus(campus_, {});
    RackAssembler racks(campus_, {});
    ScrapeIngest ingest(inventory_, gpus, &racks);
    ScrapeTargetState state;
    ingest.ingest(hostBody(inventory_.hosts()[0], 654.4) +
                      "rack_power_watts{rack=\"" + campus_.assets[campus_.racks()[1]].id + "\"} 55555\n",
                  "http://a/metrics", kT0, state);
    {
        auto w = StoreWriter::create(path, campus_);
        GpuSeriesWriter gpuWriter(*w, 1000);
        RackSeriesWriter rackWriter(*w, campus_, racks.halls(), 1000);
        GpuFrame g;
        RackFrame f;
        gpus.snapshot(kT0 + 1000, g);
        racks.snapshot(g, f);
        gpuWriter.write(g);
        rackWriter.write(f);
        w->close();
    }
    auto simStore = StoreReader::open(simPath);
    auto store = StoreReader::open(path);
    const auto specOf = [](StoreReader& r, const std::string& name) {
        for (const SeriesInfo& s : r.series())
            if (s.spec.name == name) return s;
        return SeriesInfo{};
    };
    const SeriesInfo rack = specOf(*store, "rack"), simRack = specOf(*simStore, "rack");
    QCOMPARE(rack.spec.assetSet, simRack.spec.assetSet);
    QCOMPARE(rack.assetCount, simRack.assetCount);
    QCOMPARE(rack.spec.quantities.size(), simRack.spec.quantities.size());
    for (std::size_t q = 0; q < rack.spec.quantities.size(); ++q) {
        QCOMPARE(rack.spec.quantities[q].name, simRack.spec.quantities[q].name);
        QCOMPARE(rack.spec.quantities[q].unit, simRack.spec.quantities[q].unit);
        QCOMPARE(rack.spec.quantities[q].precision, simRack.spec.quantities[q].precision);
    }
    const SeriesInfo hall = specOf(*store, "hall"), simHall = specOf(*simStore, "hall");
    QCOMPARE(hall.assets, simHall.assets);   // the same halls in the same order
    QCOMPARE(hall.spec.quantities.size(), std::size_t{1});
    QCOMPARE(hall.spec.quantities[0].name, simHall.spec.quantities[0].name);   // it_power
    QCOMPARE(hall.spec.quantities[0].unit, simHall.spec.quantities[0].unit);
    QCOMPARE(hall.spec.quantities[0].precision, simHall.spec.quantities[0].precision);
    // X_quality: X's assets, one quantity "quality", unit "code", precision 1.
    for (const char* name : {"rack", "hall", "gpu"}) {
        const SeriesInfo x = specOf(*store, name), q = specOf(*store, std::string(name) + "_quality");
        QCOMPARE(q.spec.assetSet, x.spec.assetSet);
        QCOMPARE(q.assets, x.assets);
        QCOMPARE(q.assetCount, x.assetCount);
        QCOMPARE(q.spec.quantities.size(), std::size_t{1});
        QCOMPARE(q.spec.quantities[0].name, std::string("quality"));
        QCOMPARE(q.spec.quantities[0].unit, std::string("code"));
        QCOMPARE(q.spec.quantities[0].precision, 1.0);
    }
    // The values as stored: rack 0 = its first host's 8 GPUs (654.4 + d W, stored to 0.1 kW), rack 1
    // its sensor.
    const SeriesState r = store->seriesAt(rack.id, kT0 + 1000);
    const SeriesState rq = store->seriesAt(specOf(*store, "rack_quality").id, kT0 + 1000);
    QVERIFY(r.valid && rq.valid);
    double sumW = 0;
    for (int d = 0; d < 8; ++d) sumW += static_cast<float>(654.4 + d);
    QVERIFY(std::fabs(r.values[0][0] - sumW / 1000) <= 0.05 + 1e-6);
    QVERIFY(std::fabs(r.values[0][1] - 55.6) < 1e-4);
    QCOMPARE(rq.values[0][0], 2.0f);   // the rack's other hosts are missing
    QCOMPARE(rq.values[0][1], 0.0f);   // its sensor is good
    const SeriesState h = store->seriesAt(hall.id, kT0 + 1000);
    QVERIFY(h.valid);
    QVERIFY(h.values[0][0] > 0);
}

QTEST_GUILESS_MAIN(TestExposition)
#include "test_exposition.moc"
