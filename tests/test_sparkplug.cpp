// The plant over MQTT without a network (twin_ingest): Sparkplug B topics and payloads, the host
// state machine (births, data by alias, seq gaps and rebirth requests, NDEATH bdSeq rules,
// DDEATH), hostile payloads, NaN / null / out-of-order values, the plant map and its errors, JSON
// topics, the plant series as written (the simulator's specs, "<series>_quality"), and the plant
// alarms written from received states and data quality, each ended when its condition clears.
#include "support/expect_error.h"

#include "twin/campus_file.h"
#include "twin/ingest/plant_ingest.h"
#include "twin/ingest/plant_sparkplug_names.h"
#include "twin/ingest/sparkplug_payload.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace twin;
using namespace twin::ingest;
namespace sp = twin::ingest::sparkplug;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
constexpr TimeMs kT0 = 1'790'000'000'000;

const Campus& smallCampus()
{
    static const Campus c = loadCampusFile(kSmall);
    return c;
}

int seriesIndex(sim::PlantSeries s) { return static_cast<int>(s); }

// A plant over MQTT with the default map of the small campus, and helpers to send it Sparkplug.
struct Rig {
    PlantLayout layout{smallCampus()};
    PlantMap map = PlantMap::defaultFor(layout, "colossus");
    PlantIngest ingest{layout, map};
    std::vector<MqttPublish> out;

    std::string topic(sp::MessageType t, const std::string& device = {}) {
        return sp::topicText({t, "colossus", "testsite", device});
    }
    void send(sp::MessageType t, const std::string& device, const sp::Payload& p, TimeMs at = kT0) {
        sendRaw(topic(t, device), sp::encode(p), at);
    }
    void sendRaw(const std::string& topic, const std::string& bytes, TimeMs at = kT0) {
        auto o = ingest.handle(topic, bytes, at);
        out.insert(out.end(), o.begin(), o.end());
    }
    void nbirth(std::uint64_t bdSeq, TimeMs t = kT0) {
        sp::Payload p;
        p.timestamp = static_cast<std::uint64_t>(t);
        p.seq = 0;
        p.metrics = {sp::uint64Metric("bdSeq", bdSeq), sp::booleanMetric("Node Control/Rebirth", false)};
        send(sp::MessageType::NBirth, "", p, t);
    }
    // gts01: power_mw alias 1, state alias 2, mechanical_power_mw alias 3.
    void dbirthTurbine(std::uint64_t seq, double power, int state, TimeMs t = kT0) {
        sp::Payload p;
        p.timestamp = static_cast<std::uint64_t>(t);
        p.seq = seq;
        p.metrics = {sp::doubleMetric("power_mw", 1, power), sp::int32Metric("state", 2, state),
                     sp::doubleMetric("mechanical_power_mw", 3, power + 1)};
        send(sp::MessageType::DBirth, "gts01", p, t);
    }
    void dbirthBus(std::uint64_t seq, double hz, TimeMs t = kT0) {
        sp::Payload p;
        p.timestamp = static_cast<std::uint64_t>(t);
        p.seq = seq;
        p.metrics = {sp::doubleMetric("frequency_hz", 10, hz), sp::doubleMetric("rocof_hz_per_s", 11, 0)};
        send(sp::MessageType::DBirth, "sub.hv", p, t);
    }
    void ddata(const std::string& device, std::uint64_t seq, std::vector<sp::Metric> metrics, TimeMs t) {
        sp::Payload p;
        p.timestamp = static_cast<std::uint64_t>(t);
        p.seq = seq;
        for (auto& m : metrics) m.name.clear(), m.datatype.reset();   // by alias only, as DDATA sends
        p.metrics = std::move(metrics);
        send(sp::MessageType::DData, device, p, t);
    }
    PlantFrame frame(TimeMs t) {
        PlantFrame f;
        ingest.snapshot(t, f);
        return f;
    }
    const PlantSeriesFrame& series(const PlantFrame& f, sim::PlantSeries s) {
        for (const auto& x : f.series)
            if (x.series == seriesIndex(s)) return x;
        throw std::logic_error("series not written");
    }
    int position(sim::PlantSeries s, const std::string& id) {
        const auto& list = layout.seriesAssets(seriesIndex(s));
        for (std::size_t i = 0; i < list.size(); ++i)
            if (smallCampus().assets[list[i]].id == id) return static_cast<int>(i);
        throw std::logic_error("no asset " + id);
    }
    float value(const PlantFrame& f, sim::PlantSeries s, int q, const std::string& id) {
        return series(f, s).values[q][position(s, id)];
    }
    float quality(const PlantFrame& f, sim::PlantSeries s, const std::string& id) {
        return series(f, s).quality[position(s, id)];
    }
};

bool isRebirthFor(const MqttPublish& p, const std::string& node)
{
    sp::Payload payload;
    if (p.topic != "spBv1.0/colossus/NCMD/" + node || !sp::decode(p.payload, payload)) return false;
    return payload.metrics.size() == 1 && payload.metrics[0].name == "Node Control/Rebirth" &&
           payload.metrics[0].kind == sp::ValueKind::Boolean && payload.metrics[0].bits == 1;
}

} // namespace

class TestSparkplug : public QObject {
    Q_OBJECT

private slots:
    void topics();
    void payloadsAndDatatypes();
    void birthsAndDataByAlias();
    void seqGapAsksRebirth();
    void dataBeforeBirth();
    void ndeathBdSeqRules();
    void ddeathStalesOneDevice();
    void plantAlarmsEndWhenTheirConditionsClear();
    void nanNullAndOutOfOrder();
    void brokerLost();
    void hostilePayloads();
    void plantMapErrors();
    void plantMapPatternsAndWrite();
    void jsonTopics();
    void seriesAsTheSimulatorRecords();
};

void TestSparkplug::topics()
{
    const auto t = sp::parseTopic("spBv1.0/colossus/DDATA/testsite/gts01");
    QVERIFY(t);
    QCOMPARE(t->type, sp::MessageType::DData);
    QCOMPARE(t->group, std::string("colossus"));
    QCOMPARE(t->node, std::string("testsite"));
    QCOMPARE(t->device, std::string("gts01"));
    QCOMPARE(sp::topicText(*t), std::string("spBv1.0/colossus/DDATA/testsite/gts01"));
    const auto state = sp::parseTopic("spBv1.0/STATE/host-a");
    QVERIFY(state && state->type == sp::MessageType::State && state->node == "host-a");
    for (const char* bad : {"spBv1.0/colossus/NDATA/testsite/dev", "spBv1.0/colossus/DDATA/testsite",
                            "spBv1.0/colossus/XDATA/testsite", "spBv1.0//NDATA/testsite", "spAv1.0/g/NDATA/n",
                            "spBv1.0/g", "spBv1.0/STATE/a/b", "spBv1.0/g/NBIRTH/n/"})
        QVERIFY2(!sp::parseTopic(bad), bad);
    QCOMPARE(sp::edgeNodeOf("testsite/sub/hv"), std::string("testsite"));
    QCOMPARE(sp::deviceOf("testsite/sub/hv"), std::string("sub.hv"));
}

void TestSparkplug::payloadsAndDatatypes()
{
    sp::Payload p;
    p.timestamp = 123;
    p.seq = 7;
    p.metrics = {sp::doubleMetric("a", 1, 2.5), sp::int32Metric("b", 2, -3), sp::uint64Metric("bdSeq", 9),
                 sp::booleanMetric("c", true)};
    sp::Payload back;
    QVERIFY(sp::decode(sp::encode(p), back));
    QCOMPARE(*back.timestamp, std::uint64_t{123});
    QCOMPARE(*back.seq, std::uint64_t{7});
    QCOMPARE(back.metrics.size(), std::size_t{4});
    QCOMPARE(back.metrics[0].name, std::string("a"));
    QCOMPARE(*back.metrics[1].alias, std::uint64_t{2});
    QCOMPARE(*sp::numberOf(back.metrics[0], 10).value, 2.5);
    QCOMPARE(*sp::numberOf(back.metrics[1], 3).value, -3.0);
    QCOMPARE(*sp::numberOf(back.metrics[2], 8).value, 9.0);
    QCOMPARE(*sp::numberOf(back.metrics[3], 11).value, 1.0);

    // Every numeric datatype, signed ones in two's complement (sign-extended or not).
    const auto intMetric = [](std::uint64_t bits, sp::ValueKind kind) {
        sp::Metric m;
        m.kind = kind;
        m.bits = bits;
        return m;
    };
    const sp::ValueKind I = sp::ValueKind::Int, L = sp::ValueKind::Long;
    QCOMPARE(*sp::numberOf(intMetric(0xFF, I), 1).value, -1.0);                  // Int8
    QCOMPARE(*sp::numberOf(intMetric(0xFFFFFFFF, I), 1).value, -1.0);            // Int8, sign-extended
    QCOMPARE(*sp::numberOf(intMetric(0x8000, I), 2).value, -32768.0);            // Int16
    QCOMPARE(*sp::numberOf(intMetric(0xFFFFFFFE, I), 3).value, -2.0);            // Int32
    QCOMPARE(*sp::numberOf(intMetric(~std::uint64_t{0}, L), 4).value, -1.0);     // Int64
    QCOMPARE(*sp::numberOf(intMetric(0xFF, I), 5).value, 255.0);                 // UInt8
    QCOMPARE(*sp::numberOf(intMetric(0xFFFF, I), 6).value, 65535.0);             // UInt16
    QCOMPARE(*sp::numberOf(intMetric(0xFFFFFFFF, I), 7).value, 4294967295.0);    // UInt32
    QCOMPARE(*sp::numberOf(intMetric(1ull << 40, L), 8).value, 1099511627776.0); // UInt64
    sp::Metric f;
    f.kind = sp::ValueKind::Float;
    f.real = 1.5;
    QCOMPARE(*sp::numberOf(f, 9).value, 1.5);
    // Wrong value fields and datatypes that carry no number: an error each.
    QVERIFY(!sp::numberOf(f, 10).value);
    QVERIFY(!sp::numberOf(intMetric(1, L), 3).value);
    QVERIFY(!sp::numberOf(intMetric(1, I), 4).value);
    QVERIFY(!sp::numberOf(intMetric(1, I), 12).value);
    QVERIFY(sp::numberOf(intMetric(1, I), 12).error.find("not a number") != std::string::npos);
    sp::Metric none;
    QVERIFY(!sp::numberOf(none, 10).value);

    // The rebirth request a host sends.
    sp::Payload r;
    QVERIFY(sp::decode(sp::rebirthRequest(5), r));
    QCOMPARE(r.metrics.size(), std::size_t{1});
    QCOMPARE(r.metrics[0].name, std::string("Node Control/Rebirth"));
    QCOMPARE(r.metrics[0].bits, std::uint64_t{1});
}

void TestSparkplug::birthsAndDataByAlias()
{
    Rig rig;
    rig.nbirth(3);
    rig.dbirthTurbine(1, 12.5, 3);
    rig.dbirthBus(2, 60.01);
    rig.ddata("gts01", 3, {sp::doubleMetric("", 1, 14.25)}, kT0 + 100);
    rig.ddata("sub.hv", 4, {sp::doubleMetric("", 10, 59.95)}, kT0 + 100);
    QVERIFY(rig.out.empty());   // no rebirth needed
    const PlantFrame f = rig.frame(kT0 + 1000);
    using S = sim::PlantSeries;
    QCOMPARE(rig.value(f, S::Source, 0, "testsite/gts01"), 14.25f);
    QCOMPARE(rig.value(f, S::Source, 1, "testsite/gts01"), 3.0f);
    QCOMPARE(rig.value(f, S::Turbine, 0, "testsite/gts01"), 13.5f);
    QCOMPARE(rig.value(f, S::Bus, 0, "testsite/sub/hv"), 59.95f);
    QCOMPARE(rig.quality(f, S::Source, "testsite/gts01"), 0.0f);
    QCOMPARE(rig.quality(f, S::Bus, "testsite/sub/hv"), 0.0f);
    // Mapped but never received: missing.
    QCOMPARE(rig.quality(f, S::Source, "testsite/gtl01"), 2.0f);
    QCOMPARE(rig.quality(f, S::Megapack, "testsite/bess01"), 2.0f);
    // Sparkplug values stay good however old while their node lives (sent only when they change).
    QCOMPARE(rig.quality(rig.frame(kT0 + 3'600'000), S::Source, "testsite/gts01"), 0.0f);
    const PlantCounts c = rig.ingest.take();
    QCOMPARE(c.births, std::int64_t{3});
    QCOMPARE(c.recorded, std::int64_t{3 + 2 + 2});
    QCOMPARE(c.seqGaps, std::int64_t{0});
    QCOMPARE(rig.ingest.nodesOnline(), 1);
}

void TestSparkplug::seqGapAsksRebirth()
{
    Rig rig;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 10, 3);
    rig.ddata("gts01", 2, {sp::doubleMetric("", 1, 11)}, kT0 + 100);
    QVERIFY(rig.out.empty());
    rig.ddata("gts01", 4, {sp::doubleMetric("", 1, 12)}, kT0 + 200);   // seq 3 lost
    QCOMPARE(rig.out.size(), std::size_t{1});
    QVERIFY(isRebirthFor(rig.out[0], "testsite"));
    // The message's own value is taken; another gap within the hold-off asks nothing more.
    QCOMPARE(rig.value(rig.frame(kT0 + 1000), sim::PlantSeries::Source, 0, "testsite/gts01"), 12.0f);
    rig.ddata("gts01", 9, {sp::doubleMetric("", 1, 13)}, kT0 + 300);
    QCOMPARE(rig.out.size(), std::size_t{1});
    // seq wraps 255 -> 0 without a gap.
    rig.ddata("gts01", 255, {sp::doubleMetric("", 1, 14)}, kT0 + 400);
    rig.out.clear();
    rig.ingest.take();
    rig.ddata("gts01", 0, {sp::doubleMetric("", 1, 15)}, kT0 + 10'000);
    QVERIFY(rig.out.empty());
    PlantCounts c = rig.ingest.take();
    QCOMPARE(c.seqGaps, std::int64_t{0});
    // After the hold-off a new gap asks again.
    rig.ddata("gts01", 7, {sp::doubleMetric("", 1, 16)}, kT0 + 20'000);
    QCOMPARE(rig.out.size(), std::size_t{1});
    c = rig.ingest.take();
    QCOMPARE(c.seqGaps, std::int64_t{1});
    QCOMPARE(c.rebirths, std::int64_t{1});
    QVERIFY2(c.firstError.find("spBv1.0/colossus/DDATA/testsite/gts01: seq 7, expected 1") != std::string::npos,
             c.firstError.c_str());
    // An alias the birth did not define: dropped, rebirth (after the hold-off).
    rig.out.clear();
    rig.ddata("gts01", 8, {sp::doubleMetric("", 99, 1)}, kT0 + 40'000);
    c = rig.ingest.take();
    QCOMPARE(c.unknownAlias, std::int64_t{1});
    QCOMPARE(rig.out.size(), std::size_t{1});
}

void TestSparkplug::dataBeforeBirth()
{
    Rig rig;
    rig.ddata("gts01", 5, {sp::doubleMetric("", 1, 11)}, kT0);
    QCOMPARE(rig.out.size(), std::size_t{1});
    QVERIFY(isRebirthFor(rig.out[0], "testsite"));
    PlantCounts c = rig.ingest.take();
    QCOMPARE(c.beforeBirth, std::int64_t{1});
    QCOMPARE(c.recorded, std::int64_t{0});
    QVERIFY(c.firstError.find("spBv1.0/colossus/DDATA/testsite/gts01") == 0);
    // A node that was born but a device that was not: dropped too.
    rig.nbirth(1, kT0 + 10'000);
    rig.ddata("gts01", 1, {sp::doubleMetric("", 1, 11)}, kT0 + 10'000);
    c = rig.ingest.take();
    QCOMPARE(c.beforeBirth, std::int64_t{1});
    QCOMPARE(rig.quality(rig.frame(kT0 + 11'000), sim::PlantSeries::Source, "testsite/gts01"), 2.0f);
}

void TestSparkplug::ndeathBdSeqRules()
{
    Rig rig;
    using S = sim::PlantSeries;
    rig.nbirth(4);
    rig.dbirthTurbine(1, 10, 3);
    rig.dbirthBus(2, 60);
    sp::Payload death;
    death.metrics = {sp::uint64Metric("bdSeq", 3)};   // an older session's Will, delivered late
    rig.send(sp::MessageType::NDeath, "", death);
    PlantFrame f = rig.frame(kT0 + 1000);
    QCOMPARE(rig.quality(f, S::Source, "testsite/gts01"), 0.0f);
    PlantCounts c = rig.ingest.take();
    QCOMPARE(c.staleDeaths, std::int64_t{1});
    QVERIFY(c.firstNotice.find("bdSeq 3 ignored") != std::string::npos);
    death.metrics = {sp::uint64Metric("bdSeq", 4)};
    rig.send(sp::MessageType::NDeath, "", death);
    f = rig.frame(kT0 + 2000);
    // Every asset of the node turns stale at once, keeping its last value.
    QCOMPARE(rig.quality(f, S::Source, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.quality(f, S::Turbine, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.quality(f, S::Bus, "testsite/sub/hv"), 1.0f);
    QCOMPARE(rig.value(f, S::Source, 0, "testsite/gts01"), 10.0f);
    QCOMPARE(f.stale, std::int64_t{2});
    c = rig.ingest.take();
    QCOMPARE(c.deaths, std::int64_t{1});
    QCOMPARE(rig.ingest.nodesOnline(), 0);
    // A new birth brings it back.
    rig.nbirth(5, kT0 + 3000);
    rig.dbirthTurbine(1, 20, 3, kT0 + 3000);
    f = rig.frame(kT0 + 4000);
    QCOMPARE(rig.quality(f, S::Source, "testsite/gts01"), 0.0f);
    QCOMPARE(rig.value(f, S::Source, 0, "testsite/gts01"), 20.0f);
    QCOMPARE(rig.quality(f, S::Bus, "testsite/sub/hv"), 1.0f);   // its device has not been born again
}

void TestSparkplug::ddeathStalesOneDevice()
{
    Rig rig;
    using S = sim::PlantSeries;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 10, 3);
    rig.dbirthBus(2, 60);
    sp::Payload p;
    p.timestamp = kT0 + 500;
    p.seq = 3;
    rig.send(sp::MessageType::DDeath, "gts01", p);
    const PlantFrame f = rig.frame(kT0 + 1000);
    QCOMPARE(rig.quality(f, S::Source, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.quality(f, S::Turbine, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.quality(f, S::Bus, "testsite/sub/hv"), 0.0f);
    QCOMPARE(rig.ingest.take().deaths, std::int64_t{1});
    // Its data after the death: dropped, rebirth asked.
    rig.ddata("gts01", 4, {sp::doubleMetric("", 1, 11)}, kT0 + 600);
    QCOMPARE(rig.ingest.take().beforeBirth, std::int64_t{1});
    QCOMPARE(rig.out.size(), std::size_t{1});
}

void TestSparkplug::nanNullAndOutOfOrder()
{
    Rig rig;
    using S = sim::PlantSeries;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 10, 3, kT0 + 1000);
    rig.ddata("gts01", 2, {sp::doubleMetric("", 1, std::numeric_limits<double>::quiet_NaN())}, kT0 + 2000);
    rig.ddata("gts01", 3, {sp::doubleMetric("", 1, std::numeric_limits<double>::infinity())}, kT0 + 2000);
    PlantCounts c = rig.ingest.take();
    QCOMPARE(c.invalid, std::int64_t{2});
    QVERIFY2(c.firstError.find("DDATA/testsite/gts01 metric 'power_mw'") != std::string::npos, c.firstError.c_str());
    rig.ddata("gts01", 4, {sp::doubleMetric("", 1, 9)}, kT0 + 500);   // older than the birth's value
    c = rig.ingest.take();
    QCOMPARE(c.outOfOrder, std::int64_t{1});
    QCOMPARE(rig.value(rig.frame(kT0 + 3000), S::Source, 0, "testsite/gts01"), 10.0f);
    // A Double sent in int_value: the wrong value field.
    sp::Metric wrong = sp::int32Metric("", 1, 5);
    wrong.datatype.reset();
    rig.ddata("gts01", 5, {wrong}, kT0 + 3000);
    QCOMPARE(rig.ingest.take().invalid, std::int64_t{1});
    // is_null: the quantity is stale until the next value.
    sp::Metric null = sp::doubleMetric("", 1, 0);
    null.isNull = true;
    null.kind = sp::ValueKind::None;
    rig.ddata("gts01", 6, {null}, kT0 + 4000);
    QCOMPARE(rig.quality(rig.frame(kT0 + 5000), S::Source, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.ingest.take().nulls, std::int64_t{1});
    rig.ddata("gts01", 7, {sp::doubleMetric("", 1, 12)}, kT0 + 6000);
    QCOMPARE(rig.quality(rig.frame(kT0 + 7000), S::Source, "testsite/gts01"), 0.0f);
}

void TestSparkplug::brokerLost()
{
    Rig rig;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 10, 3);
    QCOMPARE(rig.quality(rig.frame(kT0 + 1000), sim::PlantSeries::Source, "testsite/gts01"), 0.0f);
    rig.ingest.brokerLost();
    QCOMPARE(rig.quality(rig.frame(kT0 + 2000), sim::PlantSeries::Source, "testsite/gts01"), 1.0f);
    QCOMPARE(rig.ingest.nodesOnline(), 0);
    // Back on the broker, the node's next data asks for its birth again.
    rig.ddata("gts01", 2, {sp::doubleMetric("", 1, 11)}, kT0 + 3000);
    QCOMPARE(rig.out.size(), std::size_t{1});
    QVERIFY(isRebirthFor(rig.out[0], "testsite"));
}

void TestSparkplug::hostilePayloads()
{
    Rig rig;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 10, 3);
    rig.ingest.take();
    sp::Payload p;
    p.timestamp = kT0 + 100;
    p.seq = 2;
    p.metrics = {sp::doubleMetric("", 1, 11), sp::doubleMetric("", 2, 3)};
    const std::string good = sp::encode(p);
    const std::string topic = rig.topic(sp::MessageType::DData, "gts01");
    // Truncated at every length: never a crash; each either parses or is counted malformed.
    std::int64_t malformed = 0;
    for (std::size_t n = 1; n < good.size(); ++n) {
        rig.sendRaw(topic, good.substr(0, n), kT0 + 200);
        malformed = rig.ingest.take().malformed + malformed;
    }
    QVERIFY(malformed > 0);
    // Random bytes and random mutations of a good payload.
    std::mt19937 rng(42);
    std::int64_t handled = 0;
    for (int k = 0; k < 3000; ++k) {
        std::string bytes = good;
        if (k % 2) {
            bytes.resize(rng() % 64);
            for (char& ch : bytes) ch = static_cast<char>(rng());
        } else {
            for (int m = 0; m < 3; ++m) bytes[rng() % bytes.size()] = static_cast<char>(rng());
        }
        for (const char* t : {"spBv1.0/colossus/DDATA/testsite/gts01", "spBv1.0/colossus/NBIRTH/testsite",
                              "spBv1.0/colossus/NDEATH/testsite", "spBv1.0/colossus/DBIRTH/testsite/gts01"})
            rig.sendRaw(t, bytes, kT0 + 300 + k);
        const PlantCounts c = rig.ingest.take();
        handled += c.messages;
    }
    QCOMPARE(handled, std::int64_t{4 * 3000});
    // Over the size limit: refused before parsing, naming the topic.
    rig.sendRaw(topic, std::string(5u << 20, '\x08'), kT0 + 10'000);
    PlantCounts c = rig.ingest.take();
    QCOMPARE(c.malformed, std::int64_t{1});
    QVERIFY(c.firstError.find(topic + ": payload of 5242880 bytes") == 0);
    // More metrics than the limit.
    sp::Payload many;
    many.seq = 0;
    many.metrics.assign(100'001, sp::doubleMetric("", 1, 1));
    rig.sendRaw(topic, sp::encode(many), kT0 + 11'000);
    QCOMPARE(rig.ingest.take().malformed, std::int64_t{1});
    // A topic under spBv1.0 that is not Sparkplug.
    rig.sendRaw("spBv1.0/colossus/NDATA", good, kT0);
    c = rig.ingest.take();
    QCOMPARE(c.malformed, std::int64_t{1});
    QVERIFY(c.firstError.find("spBv1.0/colossus/NDATA: not a Sparkplug B topic") == 0);

    // Made-up edge node names do not grow the host's tables without end.
    PlantIngestOptions few;
    few.sparkplug.maxNodes = 3;
    PlantIngest small(rig.layout, rig.map, few);
    for (int k = 0; k < 5; ++k)
        small.handle("spBv1.0/colossus/NDATA/made-up-" + std::to_string(k), good, kT0);
    c = small.take();
    QCOMPARE(c.beforeBirth, std::int64_t{3});
    QCOMPARE(c.malformed, std::int64_t{2});
}

void TestSparkplug::plantMapErrors()
{
    const PlantLayout layout(smallCampus());
    const std::string header = "kind,group,node,device,metric,topic,field,asset,quantity,scale,offset,stale_after\n";
    const auto expect = [&](const std::string& body, const std::string& where) {
        testsupport::expectError([&] { PlantMap::parse(header + body, "plant.csv", layout); }, "plant.csv:2", where);
    };
    expect("modbus,g,n,d,m,,,testsite/gts01,power,1,0,\n", "field 'kind': 'modbus' is not sparkplug or json");
    expect("sparkplug,,n,d,m,,,testsite/gts01,power,1,0,\n", "field 'group': empty");
    expect("sparkplug,g,n,d,,,,testsite/gts01,power,1,0,\n", "field 'metric': empty");
    expect("sparkplug,g,n/x,d,m,,,testsite/gts01,power,1,0,\n", "field 'node': 'n/x' holds '/'");
    expect("sparkplug,g,n,d,m,,,testsite/nope,power,1,0,\n",
           "field 'asset': 'testsite/nope' is not a plant asset of campus");
    expect("sparkplug,g,n,d,m,,,testsite/gts01,soc,1,0,\n",
           "field 'quantity': 'soc' is not a quantity of 'testsite/gts01' (it has source.power, source.state, "
           "turbine.mechanical_power)");
    expect("sparkplug,g,n,d,m,,,testsite/gts01,power,x1,0,\n", "field 'scale': 'x1' is not a number");
    expect("sparkplug,g,n,d,m,,,testsite/gts01,power,1,nan,\n", "field 'offset': 'nan' is not a number");
    expect("sparkplug,g,n,d,m,,,testsite/gts01,power,1,0,-3\n", "field 'stale_after': '-3' is not a number");
    expect("json,,,,,,value,testsite/gts01,power,1,0,\n", "field 'topic': empty");
    expect("json,,,,,plant/+/power,value,testsite/gts01,power,1,0,\n", "field 'topic': 'plant/+/power' holds an MQTT wildcard");
    expect("json,,,,,plant/gts/power,value,*,power,1,0,\n", "field 'asset': '*' takes what a '*' matched");
    expect("json,,,,,plant/*/x,value,*,volts,1,0,\n", "field 'quantity': 'volts' is not a quantity of any plant series");
    expect("sparkplug,g,n,d,m\n", "5 fields, the header has 12");
    testsupport::expectError([&] { PlantMap::parse("kind,asset\n", "plant.csv", layout); }, "plant.csv:1",
                             "no column 'quantity'");
    testsupport::expectError([&] { PlantMap::parse("# nothing\n", "plant.csv", layout); }, "plant.csv",
                             "empty plant map");
    testsupport::expectError([&] { PlantMap::load("/nonexistent/plant.csv", layout); }, "/nonexistent/plant.csv",
                             "cannot read");
    // Comments, blank lines, quoted fields, columns in another order, extra columns.
    const PlantMap ok = PlantMap::parse("# the turbines\n\nasset,quantity,kind,group,node,device,metric,note\n"
                                        "testsite/gts01,power,sparkplug,g,n,\"d\",m,\"a, note\"\n",
                                        "plant.csv", layout);
    QCOMPARE(ok.rows().size(), std::size_t{1});
    QCOMPARE(ok.rows()[0].line, 4);
}

void TestSparkplug::plantMapPatternsAndWrite()
{
    const PlantLayout layout(smallCampus());
    std::string capture;
    QVERIFY(globMatch("plant/*/power", "plant/testsite/gts01/power", &capture));
    QCOMPARE(capture, std::string("testsite/gts01"));
    QVERIFY(!globMatch("plant/*/power", "plant/x/volts"));
    QVERIFY(globMatch("*", ""));
    const PlantMap map = PlantMap::parse("kind,group,node,device,metric,asset,quantity,scale\n"
                                         "sparkplug,*,testsite,gts01,kw,testsite/gts01,power,0.001\n"
                                         "sparkplug,site,*,,hz,testsite/*,frequency,1\n",
                                         "m.csv", layout);
    std::string why;
    auto m = map.matchSparkplug("any", "testsite", "gts01", "kw", &why);
    QVERIFY(m);
    QCOMPARE(m->scale, 0.001);
    QCOMPARE(int(m->target.series), seriesIndex(sim::PlantSeries::Source));
    m = map.matchSparkplug("site", "sub/hv", "", "hz", &why);   // the node's '*' names the asset
    QVERIFY(m);
    QCOMPARE(int(m->target.series), seriesIndex(sim::PlantSeries::Bus));
    QVERIFY(!map.matchSparkplug("site", "nowhere", "", "hz", &why));
    QVERIFY2(why.find("m.csv") == std::string::npos && why.find("line 3") != std::string::npos &&
                 why.find("'testsite/nowhere' is not a plant asset") != std::string::npos,
             why.c_str());
    why.clear();
    QVERIFY(!map.matchSparkplug("site", "testsite", "gts01", "volts", &why));
    QVERIFY(why.empty());
    // The default map round-trips through its file.
    QTemporaryDir tmp;
    const PlantMap def = PlantMap::defaultFor(layout, "colossus");
    const std::string path = tmp.filePath("plant.csv").toStdString();
    def.write(path);
    const PlantMap back = PlantMap::load(path, layout);
    QCOMPARE(back.rows().size(), def.rows().size());
    QCOMPARE(back.text(), def.text());
    QCOMPARE(back.rows().size(), std::size_t{24});   // 5 sources x 2 + 2 turbines + soc, cycles + 2 buses x 2 + 6 flows
}

void TestSparkplug::jsonTopics()
{
    const PlantLayout layout(smallCampus());
    const PlantMap map = PlantMap::parse("kind,topic,field,asset,quantity,scale,offset,stale_after\n"
                                         "json,plant/*/power,value,*,power,0.001,0,\n"
                                         "json,bess/soc,soc,testsite/bess01,soc,1,0,5\n",
                                         "j.csv", layout);
    PlantIngestOptions options;
    options.jsonStaleAfterMs = 10'000;
    PlantIngest ingest(layout, map, options);
    const auto subs = ingest.subscriptions();
    QCOMPARE(subs, (std::vector<std::string>{"spBv1.0/#", "plant/#", "bess/soc"}));
    using S = sim::PlantSeries;
    ingest.handle("plant/testsite/gts01/power", "12000", kT0);                                     // bare number, kW
    ingest.handle("plant/testsite/pv/power", R"({"value": 3500.5, "ts": 1790000000500})", kT0 + 900);
    ingest.handle("bess/soc", R"({"soc": 61.25, "timestamp": 1790000000000})", kT0 + 100);
    PlantFrame f;
    ingest.snapshot(kT0 + 1000, f);
    const auto at = [&](S s, int q, const std::string& id) {
        const auto& list = layout.seriesAssets(seriesIndex(s));
        for (const auto& x : f.series)
            if (x.series == seriesIndex(s))
                for (std::size_t i = 0; i < list.size(); ++i)
                    if (smallCampus().assets[list[i]].id == id) return std::pair(x.values[q][i], x.quality[i]);
        throw std::logic_error("not found");
    };
    QCOMPARE(at(S::Source, 0, "testsite/gts01").first, 12.0f);
    QCOMPARE(at(S::Source, 0, "testsite/pv").first, 3.5005f);
    QCOMPARE(at(S::Source, 0, "testsite/pv").second, 0.0f);
    QCOMPARE(at(S::Megapack, 0, "testsite/bess01").first, 61.25f);
    QCOMPARE(at(S::Megapack, 0, "testsite/bess01").second, 0.0f);
    QCOMPARE(ingest.take().recorded, std::int64_t{3});
    // JSON values go stale by age: the row's limit (5 s), the default (10 s) otherwise.
    ingest.snapshot(kT0 + 7000, f);
    QCOMPARE(at(S::Megapack, 0, "testsite/bess01").second, 1.0f);
    QCOMPARE(at(S::Source, 0, "testsite/gts01").second, 0.0f);
    ingest.snapshot(kT0 + 11'000, f);
    QCOMPARE(at(S::Source, 0, "testsite/gts01").second, 1.0f);
    // Bad payloads and topics, each counted and named.
    ingest.handle("plant/testsite/gts01/power", "{not json", kT0 + 2000);
    ingest.handle("plant/testsite/gts01/power", R"({"value": "high"})", kT0 + 2000);
    ingest.handle("plant/testsite/gts01/power", R"({"v": 1})", kT0 + 2000);
    ingest.handle("plant/testsite/gts01/power", R"({"value": 1, "ts": -5})", kT0 + 2000);
    ingest.handle("plant/testsite/gts01/power", "1e400", kT0 + 2000);
    ingest.handle("plant/testsite/gts01/power", R"({"value": 1, "ts": 1789999999000})", kT0 + 2000);   // older
    ingest.handle("plant/nowhere/power", "1", kT0 + 2000);
    ingest.handle("elsewhere/x", "1", kT0 + 2000);
    PlantCounts c = ingest.take();
    QCOMPARE(c.messages, std::int64_t{8});
    QCOMPARE(c.malformed, std::int64_t{2});   // not JSON; 1e400 is out of JSON's doubles
    QCOMPARE(c.invalid, std::int64_t{3});
    QCOMPARE(c.outOfOrder, std::int64_t{1});
    QCOMPARE(c.unmapped, std::int64_t{2});
    QVERIFY2(c.firstError == "plant/testsite/gts01/power: not JSON", c.firstError.c_str());
    QVERIFY2(c.firstNotice.find("plant/nowhere/power: not in the plant map (plant map line 2: 'nowhere' is "
                                "not a plant asset") == 0,
             c.firstNotice.c_str());
    // null: stale now.
    ingest.handle("bess/soc", R"({"soc": null})", kT0 + 1000);
    ingest.snapshot(kT0 + 1500, f);
    QCOMPARE(at(S::Megapack, 0, "testsite/bess01").second, 1.0f);
    // Only the series the map can fill are written: source (pattern on power: flow too), megapack.
    std::vector<int> written = ingest.assembler().writtenSeries();
    QCOMPARE(written, (std::vector<int>{seriesIndex(S::Source), seriesIndex(S::Megapack), seriesIndex(S::Flow)}));
}

// A turbine's received state Tripped opens turbine_trip, Online again ends it; the node's death
// opens plant_data_stale and its rebirth (every asset good again) ends it. Times: the frames'.
void TestSparkplug::plantAlarmsEndWhenTheirConditionsClear()
{
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("plant.twin").toStdString();
    Rig rig;
    rig.nbirth(7);
    rig.dbirthTurbine(1, 10, static_cast<int>(sim::SourceState::Online));
    rig.dbirthBus(2, 60);
    {
        auto w = StoreWriter::create(path, smallCampus(), {});
        PlantSeriesWriter writer(*w, rig.ingest.assembler(), 1000);
        writer.write(rig.frame(kT0 + 1000));   // online: no event
        rig.ddata("gts01", 3, {sp::int32Metric("", 2, static_cast<int>(sim::SourceState::Tripped))}, kT0 + 1500);
        writer.write(rig.frame(kT0 + 2000));   // tripped: the alarm opens
        writer.write(rig.frame(kT0 + 3000));
        rig.ddata("gts01", 4, {sp::int32Metric("", 2, static_cast<int>(sim::SourceState::Starting))}, kT0 + 3500);
        writer.write(rig.frame(kT0 + 4000));   // starting: still not back
        rig.ddata("gts01", 5, {sp::int32Metric("", 2, static_cast<int>(sim::SourceState::Online))}, kT0 + 5500);
        writer.write(rig.frame(kT0 + 6000));   // online again: the trip ends
        sp::Payload death;
        death.metrics = {sp::uint64Metric("bdSeq", 7)};
        rig.send(sp::MessageType::NDeath, "", death, kT0 + 6500);
        writer.write(rig.frame(kT0 + 7000));   // the node died: stale
        writer.write(rig.frame(kT0 + 8000));
        rig.nbirth(8, kT0 + 8500);
        rig.dbirthTurbine(1, 10, static_cast<int>(sim::SourceState::Online), kT0 + 8500);
        writer.write(rig.frame(kT0 + 9000));   // the bus is not born again yet: still stale
        rig.dbirthBus(2, 60, kT0 + 9500);
        writer.write(rig.frame(kT0 + 10'000)); // every asset good: it ends
        w->close();
    }
    auto r = StoreReader::open(path);
    const auto events = r->events(kT0, kT0 + 20'000);
    QCOMPARE(static_cast<int>(events.size()), 2);
    const Event& trip = events[0];
    QCOMPARE(trip.kind, std::string("turbine_trip"));
    QCOMPARE(trip.asset, std::string("testsite/gts01"));
    QCOMPARE(trip.severity, Severity::Alarm);
    QCOMPARE(trip.start, kT0 + 2000);
    QVERIFY(trip.end);
    QCOMPARE(*trip.end, kT0 + 6000);
    const Event& stale = events[1];
    QCOMPARE(stale.kind, std::string("plant_data_stale"));
    QCOMPARE(stale.severity, Severity::Warning);
    QCOMPARE(stale.start, kT0 + 7000);
    QVERIFY(stale.end);
    QCOMPARE(*stale.end, kT0 + 10'000);
}

void TestSparkplug::seriesAsTheSimulatorRecords()
{
    QTemporaryDir tmp;
    const Campus& campus = smallCampus();
    // The simulator's store, plant only.
    sim::Params params;
    params.recordGpus = false;
    const std::string simPath = tmp.filePath("sim.twin").toStdString();
    {
        sim::Simulator s(campus, params);
        auto w = StoreWriter::create(simPath, campus, {});
        s.attach(*w);
        s.run(0.5);
        w->close();
    }
    // The ingest's store: one frame after a birth of the turbine.
    Rig rig;
    rig.nbirth(0);
    rig.dbirthTurbine(1, 12.3456, 3);
    const std::string ingestPath = tmp.filePath("ingest.twin").toStdString();
    {
        auto w = StoreWriter::create(ingestPath, campus, {});
        PlantSeriesWriter writer(*w, rig.ingest.assembler(), 1000);
        w->commit();
        writer.write(rig.frame(kT0 + 1000));
        w->close();
    }
    auto simStore = StoreReader::open(simPath);
    auto ingestStore = StoreReader::open(ingestPath);
    for (const char* name : {"source", "turbine", "megapack", "bus", "flow"}) {
        const int a = simStore->findSeries(name), b = ingestStore->findSeries(name);
        QVERIFY2(a && b, name);
        const SeriesSpec& x = simStore->series()[a - 1].spec;
        const SeriesSpec& y = ingestStore->series()[b - 1].spec;
        QCOMPARE(y.assetSet, x.assetSet);
        QCOMPARE(y.assets, x.assets);
        QCOMPARE(y.quantities.size(), x.quantities.size());
        for (std::size_t q = 0; q < x.quantities.size(); ++q) {
            QCOMPARE(y.quantities[q].name, x.quantities[q].name);
            QCOMPARE(y.quantities[q].unit, x.quantities[q].unit);
            QCOMPARE(y.quantities[q].precision, x.quantities[q].precision);
        }
        // Its quality series: same asset set and assets, one quantity quality (code, 1).
        const int qid = ingestStore->findSeries(std::string(name) + "_quality");
        QVERIFY(qid);
        const SeriesSpec& qs = ingestStore->series()[qid - 1].spec;
        QCOMPARE(qs.assetSet, x.assetSet);
        QCOMPARE(qs.assets, x.assets);
        QCOMPARE(qs.quantities.size(), std::size_t{1});
        QCOMPARE(qs.quantities[0].name, std::string("quality"));
        QCOMPARE(qs.quantities[0].unit, std::string("code"));
        QCOMPARE(qs.quantities[0].precision, 1.0);
    }
    const int source = ingestStore->findSeries("source");
    const SeriesState s = ingestStore->seriesAt(source, kT0 + 1000);
    QVERIFY(s.valid);
    const auto& ids = ingestStore->series()[source - 1].spec.assets;
    const auto gts = std::find(ids.begin(), ids.end(), "testsite/gts01") - ids.begin();
    QCOMPARE(s.values[0][gts], 12.3456f);
    const SeriesState q = ingestStore->seriesAt(ingestStore->findSeries("source_quality"), kT0 + 1000);
    QCOMPARE(q.values[0][gts], 0.0f);
    QCOMPARE(q.values[0][(gts + 1) % ids.size()], 2.0f);
}

QTEST_GUILESS_MAIN(TestSparkplug)
#include "test_sparkplug.moc"
