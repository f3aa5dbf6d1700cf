// twin_ingest without a network: remote-write bodies built with the protobuf library and snappy,
// decoded, mapped through the alias table and the inventory, assembled into frames, written to a
// store of the small campus and read back; and every kind of bad input, counted and named.
#include "twin/campus_file.h"
#include "twin/error.h"
#include "twin/ingest/dcgm_metrics.h"
#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/gpu_series.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/remote_write_ingest.h"
#include "twin/store.h"

#include "ingest_bodies.h"

#include <QTemporaryDir>
#include <QtTest>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

using namespace twin;
using namespace twin::ingest;
using namespace ingest_test;

namespace {

const std::string kSmall = std::string(TEST_DATA_DIR) + "/sites/small.json";
constexpr TimeMs kT0 = 1'780'000'000'000;   // 2026-05-28T20:26:40Z

// Deterministic readings of GPU g, round k: power to 0.1 W, utilisation 0-100, temperature.
double power(std::int64_t g, int k) { return 120 + (g * 7 + k * 13) % 580 + 0.1 * (g % 10); }
double util(std::int64_t g, int k) { return static_cast<double>((g + 3 * k) % 101); }
double temp(std::int64_t g, int k) { return 30 + (g % 45) + k; }

// Every GPU of the campus through the default inventory, three metrics each, round k at t.
// Odd hosts use the newer "hostname" label.
std::vector<SeriesDef> wholeCampus(const Inventory& inv, int k, TimeMs t)
{
    std::vector<SeriesDef> defs;
    int hostNo = 0;
    for (const InventoryHost& h : inv.hosts()) {
        const std::string label = hostNo++ % 2 ? "hostname" : "Hostname";
        for (int d = 0; d < h.gpus; ++d) {
            const std::int64_t g = h.gpuFirst + d;
            defs.push_back(series("DCGM_FI_DEV_POWER_USAGE", h.host, d, {{t, power(g, k)}}, label));
            defs.push_back(series("DCGM_FI_DEV_GPU_UTIL", h.host, d, {{t, util(g, k)}}, label));
            defs.push_back(series("DCGM_FI_DEV_GPU_TEMP", h.host, d, {{t, temp(g, k)}}, label));
        }
    }
    return defs;
}

double staleMarker() { return std::bit_cast<double>(kStaleMarkerBits); }

} // namespace

class TestIngest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void inventoryDefault();
    void inventoryFile();
    void inventoryErrors_data();
    void inventoryErrors();
    void aliasTable();

    void roundTripThroughStore();
    void labelSpellingsAndNewNames();
    void staleMarkers();
    void staleByAge();
    void nanAndOutOfRange();
    void outOfOrder();
    void unknownHostsAndMetrics();
    void xidEvents();

    void malformedSnappy();
    void malformedProtobuf();
    void truncatedBodies();
    void overSizeLimits();
    void hostileBytes();
    void readerMatchesGeneratedParser();

private:
    IngestResult send(const std::string& bytes, const char* source = "test");
    Campus campus_;
    Inventory inventory_;
    std::unique_ptr<FrameAssembler> assembler_;
    std::unique_ptr<RemoteWriteIngest> ingest_;
    void reset(AssemblerOptions o = {}, DecodeLimits limits = {});
};

void TestIngest::initTestCase()
{
    campus_ = loadCampusFile(kSmall);
    inventory_ = Inventory::defaultFor(campus_);
    reset();
}

void TestIngest::reset(AssemblerOptions o, DecodeLimits limits)
{
    ingest_.reset();
    assembler_ = std::make_unique<FrameAssembler>(campus_, o);
    ingest_ = std::make_unique<RemoteWriteIngest>(inventory_, *assembler_, limits);
}

IngestResult TestIngest::send(const std::string& bytes, const char* source)
{
    return ingest_->ingest(bytes, source);
}

void TestIngest::inventoryDefault()
{
    // Racks of 64 and 72 GPUs: 8 and 9 hosts of 8, every GPU once, in rack order.
    QCOMPARE(inventory_.gpuCount(), campus_.gpuCount());
    QCOMPARE(campus_.gpuCount(), std::int64_t{472});
    QCOMPARE(static_cast<int>(inventory_.hosts().size()), 4 * 8 + 3 * 9);
    const InventoryHost* h = inventory_.find("testsite/hall1/row01/rack02-n1");
    QVERIFY(h);
    QCOMPARE(h->gpuFirst, std::int64_t{64});
    QCOMPARE(campus_.gpuId(h->gpuFirst + 7), std::string("testsite/hall1/row01/rack02/gpu07"));
    const InventoryHost* last = inventory_.find("testsite/hall2/row01/rack03-n9");
    QVERIFY(last);
    QCOMPARE(last->gpuFirst + last->gpus, campus_.gpuCount());
    QVERIFY(!inventory_.find("testsite/hall2/row01/rack03-n10"));

    // Four GPUs a host: another shape of the same campus.
    const Inventory four = Inventory::defaultFor(campus_, 4);
    QCOMPARE(four.gpuCount(), campus_.gpuCount());
    QCOMPARE(static_cast<int>(four.hosts().size()), 472 / 4);
}

void TestIngest::inventoryFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("inventory.csv").toStdString();
    inventory_.write(path);
    const Inventory back = Inventory::load(path, campus_);
    QCOMPARE(back.hosts().size(), inventory_.hosts().size());
    for (std::size_t i = 0; i < back.hosts().size(); ++i) {
        QCOMPARE(back.hosts()[i].host, inventory_.hosts()[i].host);
        QCOMPARE(back.hosts()[i].gpuFirst, inventory_.hosts()[i].gpuFirst);
        QCOMPARE(back.hosts()[i].line, static_cast<int>(i) + 2);
    }

    // A DCIM export: columns in another order, extra columns, quotes, comments, CRLF.
    const std::string text = "# exported 2026-05-28\r\n"
                             "asset_tag,gpus,first_slot,\"rack\",host,site\r\n"
                             "A-1,8,8,testsite/hall1/row01/rack01,\"node,0002\",Memphis\r\n"
                             "\r\n"
                             "A-2,4,60,testsite/hall1/row01/rack01,node-0009,Memphis\r\n";
    const Inventory dcim = Inventory::parse(text, "dcim.csv", campus_);
    QCOMPARE(static_cast<int>(dcim.hosts().size()), 2);
    QCOMPARE(dcim.find("node,0002")->gpuFirst, std::int64_t{8});
    QCOMPARE(dcim.find("node-0009")->gpus, 4);
    QCOMPARE(dcim.find("node-0009")->line, 5);
}

void TestIngest::inventoryErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");     // file:line
    QTest::addColumn<QString>("problem");
    const QString head = "host,rack,first_slot,gpus\n";
    const QString rack = "testsite/hall1/row01/rack01";
    QTest::newRow("no header") << "" << "inv.csv" << "no header line";
    QTest::newRow("header") << "host,rack,gpus\nh,r,0,8\n" << "inv.csv:1" << "no column 'first_slot'";
    QTest::newRow("fields") << head + "h1," + rack + ",0\n" << "inv.csv:2" << "expected 4 fields";
    QTest::newRow("empty host") << head + "," + rack + ",0,8\n" << "inv.csv:2" << "field 'host': empty";
    QTest::newRow("unknown rack") << head + "h1,testsite/hall9,0,8\n" << "inv.csv:2"
                                  << "field 'rack': 'testsite/hall9' is not a rack";
    QTest::newRow("not a rack") << head + "h1,testsite/hall1,0,8\n" << "inv.csv:2" << "field 'rack'";
    QTest::newRow("slot") << head + "h1," + rack + ",-1,8\n" << "inv.csv:2"
                          << "field 'first_slot': '-1' is not a whole number >= 0";
    QTest::newRow("gpus") << head + "h1," + rack + ",0,eight\n" << "inv.csv:2"
                          << "field 'gpus': 'eight' is not a whole number >= 1";
    QTest::newRow("outside") << head + "h1," + rack + ",60,8\n" << "inv.csv:2"
                             << "field 'gpus': slots 60-67 are not all in rack";
    QTest::newRow("overlap") << head + "h1," + rack + ",0,8\n# c\nh2," + rack + ",4,8\n" << "inv.csv:4"
                             << "field 'first_slot': slot 4 of rack '" + rack + "' is already held by the host on line 2";
    QTest::newRow("duplicate") << head + "h1," + rack + ",0,8\nh1," + rack + ",8,8\n" << "inv.csv:3"
                               << "field 'host': host 'h1' is already on line 2";
    QTest::newRow("quote") << head + "\"h1," + rack + ",0,8\n" << "inv.csv:2" << "unterminated quote";
}

void TestIngest::inventoryErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    QFETCH(QString, problem);
    try {
        Inventory::parse(text.toStdString(), "inv.csv", campus_);
        QFAIL("no error");
    } catch (const Error& e) {
        const QString msg = e.what();
        QVERIFY2(msg.startsWith(where + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(problem), qPrintable(msg));
    }
    try {
        Inventory::load("/nonexistent/inv.csv", campus_);
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY(QString(e.what()).startsWith("/nonexistent/inv.csv: cannot read"));
    }
}

void TestIngest::aliasTable()
{
    QCOMPARE(findMetricAlias("DCGM_FI_DEV_POWER_USAGE")->quantity, GpuQuantity::Power);
    QCOMPARE(findMetricAlias("DCGM_FI_DEV_GPU_UTIL")->scale, 1.0);
    QCOMPARE(findMetricAlias("DCGM_FI_DEV_GPU_UTIL_RATIO")->scale, 100.0);
    QCOMPARE(findMetricAlias("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")->scale, 0.001);
    QCOMPARE(findMetricAlias("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")->quantity, GpuQuantity::None);
    QVERIFY(!findMetricAlias("DCGM_FI_DEV_SM_CLOCK"));
    QVERIFY(!findMetricAlias(""));
    // Every name once.
    for (std::size_t i = 0; i < metricAliases().size(); ++i)
        for (std::size_t j = i + 1; j < metricAliases().size(); ++j)
            QVERIFY(metricAliases()[i].metric != metricAliases()[j].metric);
}

void TestIngest::roundTripThroughStore()
{
    reset();
    QTemporaryDir dir;
    const std::string path = dir.filePath("received.twin").toStdString();
    constexpr int kRounds = 3;
    {
        auto store = StoreWriter::create(path, campus_);
        GpuSeriesWriter writer(*store, 1000);
        GpuFrame frame;
        for (int k = 0; k < kRounds; ++k) {
            const TimeMs t = kT0 + k * 1000;
            // Split into requests of 500 series, as a sender batches them.
            const auto defs = wholeCampus(inventory_, k, t - 300);
            for (std::size_t at = 0; at < defs.size(); at += 500) {
                const std::vector<SeriesDef> part(defs.begin() + at,
                                                  defs.begin() + std::min(defs.size(), at + 500));
                const IngestResult r = send(body(part));
                QCOMPARE(r.status, IngestStatus::Ok);
                QVERIFY2(r.firstError.empty(), r.firstError.c_str());
                QCOMPARE(r.counts.recorded, static_cast<std::int64_t>(part.size()));
            }
            assembler_->snapshot(t, frame);
            QCOMPARE(frame.good, campus_.gpuCount());
            writer.write(frame);
        }
        store->close();
    }
    auto reader = StoreReader::open(path);
    const int gpu = reader->findSeries("gpu"), quality = reader->findSeries("gpu_quality");
    QVERIFY(gpu > 0 && quality > 0);
    // The same spec as the simulator's series.
    const SeriesSpec& spec = reader->series()[gpu - 1].spec;
    QCOMPARE(spec.keyInterval, 30);
    QCOMPARE(spec.segmentSize, 16384);
    QCOMPARE(spec.quantities[1].unit, std::string("%"));
    for (int k = 0; k < kRounds; ++k) {
        const SeriesState s = reader->seriesAt(gpu, kT0 + k * 1000);
        const SeriesState q = reader->seriesAt(quality, kT0 + k * 1000);
        QVERIFY(s.valid && q.valid);
        QCOMPARE(s.t, kT0 + k * 1000);
        for (std::int64_t g = 0; g < campus_.gpuCount(); ++g) {
            QVERIFY2(std::fabs(s.values[0][g] - power(g, k)) <= 0.5, qPrintable(QString::number(g)));
            QCOMPARE(s.values[1][g], static_cast<float>(util(g, k)));
            QCOMPARE(s.values[2][g], static_cast<float>(temp(g, k)));
            QCOMPARE(q.values[0][g], 0.0f);
        }
    }
}

void TestIngest::labelSpellingsAndNewNames()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[3];
    const IngestResult r = send(body({
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 0, {{kT0, 650.4}}, "Hostname"),
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 1, {{kT0, 310}}, "hostname"),
        series("DCGM_FI_DEV_POWER_USAGE_WATTS", h.host, 2, {{kT0, 455.6}}, "hostname"),
        series("DCGM_FI_DEV_GPU_UTIL_RATIO", h.host, 2, {{kT0, 0.37}}, "hostname"),
        series("DCGM_FI_DEV_GPU_TEMP_CELSIUS", h.host, 2, {{kT0, 61}}, "hostname"),
        series("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION_JOULES", h.host, 2, {{kT0, 1e6}}, "hostname"),
    }));
    QCOMPARE(r.status, IngestStatus::Ok);
    QCOMPARE(r.counts.recorded, std::int64_t{5});
    QCOMPARE(r.counts.notRecorded, std::int64_t{1});
    GpuFrame f;
    assembler_->snapshot(kT0, f);
    QCOMPARE(f.values[0][h.gpuFirst], 650.4f);
    QCOMPARE(f.values[0][h.gpuFirst + 1], 310.0f);
    QCOMPARE(f.values[0][h.gpuFirst + 2], 455.6f);
    QCOMPARE(f.values[1][h.gpuFirst + 2], 37.0f);
    QCOMPARE(f.values[2][h.gpuFirst + 2], 61.0f);
    QCOMPARE(f.quality[h.gpuFirst + 2], 0.0f);    // all three quantities
    QCOMPARE(f.quality[h.gpuFirst], 2.0f);        // power only: the others missing
    QCOMPARE(f.good, std::int64_t{1});
    QCOMPARE(f.missing, campus_.gpuCount() - 1);
}

void TestIngest::staleMarkers()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[0];
    const auto all = [&](TimeMs t, double p) {
        return std::vector<SeriesDef>{series("DCGM_FI_DEV_POWER_USAGE", h.host, 5, {{t, p}}),
                                      series("DCGM_FI_DEV_GPU_UTIL", h.host, 5, {{t, 80}}),
                                      series("DCGM_FI_DEV_GPU_TEMP", h.host, 5, {{t, 55}})};
    };
    QCOMPARE(send(body(all(kT0, 500))).counts.recorded, std::int64_t{3});
    // The exporter goes away: Prometheus sends a stale marker; stale at once, the value kept.
    const IngestResult r = send(body({series("DCGM_FI_DEV_POWER_USAGE", h.host, 5, {{kT0 + 1000, staleMarker()}})}));
    QCOMPARE(r.status, IngestStatus::Ok);
    QCOMPARE(r.counts.staleMarkers, std::int64_t{1});
    QCOMPARE(r.counts.invalidValues, std::int64_t{0});
    GpuFrame f;
    assembler_->snapshot(kT0 + 1000, f);
    QCOMPARE(f.quality[h.gpuFirst + 5], 1.0f);
    QCOMPARE(f.values[0][h.gpuFirst + 5], 500.0f);
    QCOMPARE(f.stale, std::int64_t{1});
    // It comes back: good again.
    send(body(all(kT0 + 2000, 520)));
    assembler_->snapshot(kT0 + 2000, f);
    QCOMPARE(f.quality[h.gpuFirst + 5], 0.0f);
    QCOMPARE(f.values[0][h.gpuFirst + 5], 520.0f);
}

void TestIngest::staleByAge()
{
    reset({.staleAfterMs = 5000});
    const InventoryHost& h = inventory_.hosts()[1];
    send(body({series("DCGM_FI_DEV_POWER_USAGE", h.host, 0, {{kT0, 400}}),
               series("DCGM_FI_DEV_GPU_UTIL", h.host, 0, {{kT0, 90}}),
               series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{kT0 + 3000, 70}})}));
    GpuFrame f;
    assembler_->snapshot(kT0 + 5000, f);      // exactly the limit: still good
    QCOMPARE(f.quality[h.gpuFirst], 0.0f);
    assembler_->snapshot(kT0 + 5001, f);
    QCOMPARE(f.quality[h.gpuFirst], 1.0f);
    QCOMPARE(f.values[0][h.gpuFirst], 400.0f);
    QCOMPARE(f.quality[h.gpuFirst + 1], 2.0f);   // never sent: missing, value 0
    QCOMPARE(f.values[0][h.gpuFirst + 1], 0.0f);
}

void TestIngest::nanAndOutOfRange()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[2];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const IngestResult r = send(body({
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 0, {{kT0, 300}, {kT0 + 1000, nan}}),
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 1, {{kT0, inf}}),
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 2, {{kT0, 1e30}}),
        series("DCGM_FI_DEV_XID_ERRORS", h.host, 3, {{kT0, -1}}),
        series("DCGM_FI_DEV_GPU_TEMP", h.host, 4, {{kT0, 66}}),
    }));
    QCOMPARE(r.status, IngestStatus::Invalid);     // 400, the valid part kept
    QCOMPARE(r.counts.invalidValues, std::int64_t{4});
    QCOMPARE(r.counts.recorded, std::int64_t{2});
    QCOMPARE(r.counts.badRequests, std::int64_t{1});
    QVERIFY2(QString::fromStdString(r.firstError)
                 .startsWith("test: DCGM_FI_DEV_POWER_USAGE{Hostname=\"" + QString::fromStdString(h.host) +
                             "\",gpu=\"0\"}: value nan"),
             r.firstError.c_str());
    QVERIFY(r.firstError.find("not a number (and not a stale marker)") != std::string::npos);
    GpuFrame f;
    assembler_->snapshot(kT0 + 1000, f);
    QCOMPARE(f.values[0][h.gpuFirst], 300.0f);
    QCOMPARE(f.values[2][h.gpuFirst + 4], 66.0f);
    QCOMPARE(f.values[0][h.gpuFirst + 2], 0.0f);
    // The frame is writable: nothing the store would refuse got in.
    QTemporaryDir dir;
    auto store = StoreWriter::create(dir.filePath("s.twin").toStdString(), campus_);
    GpuSeriesWriter(*store, 1000).write(f);
}

void TestIngest::outOfOrder()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[4];
    send(body({series("DCGM_FI_DEV_GPU_UTIL", h.host, 2, {{kT0 + 2000, 75}})}));
    const IngestResult r = send(body({series("DCGM_FI_DEV_GPU_UTIL", h.host, 2, {{kT0 + 1000, 10}, {kT0 + 2000, 76}}),
                                      series("DCGM_FI_DEV_GPU_UTIL", h.host, 3, {{kT0, 10}})}));
    QCOMPARE(r.status, IngestStatus::Invalid);
    QCOMPARE(r.counts.outOfOrder, std::int64_t{1});
    QCOMPARE(r.counts.recorded, std::int64_t{2});   // the same time again is a resend, not out of order
    QVERIFY2(r.firstError == "test: 1 samples older than the values held for their GPU quantities: dropped (out of order)",
             r.firstError.c_str());
    GpuFrame f;
    assembler_->snapshot(kT0 + 2000, f);
    QCOMPARE(f.values[1][h.gpuFirst + 2], 76.0f);
    QCOMPARE(f.values[1][h.gpuFirst + 3], 10.0f);
}

void TestIngest::unknownHostsAndMetrics()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[5];
    SeriesDef noGpu = series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{kT0, 50}});
    noGpu.labels.erase(noGpu.labels.begin() + 2);
    const IngestResult r = send(body({
        series("DCGM_FI_DEV_POWER_USAGE", "node-unknown", 0, {{kT0, 300}, {kT0 + 1, 301}}),
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 8, {{kT0, 300}}),
        series("DCGM_FI_DEV_POWER_USAGE", h.host, -1, {{kT0, 300}}),
        series("DCGM_FI_DEV_SM_CLOCK", h.host, 0, {{kT0, 1980}}),
        noGpu,
        series("DCGM_FI_DEV_POWER_USAGE", h.host, 7, {{kT0, 333}}),
    }), "10.0.0.9:4242");
    QCOMPARE(r.status, IngestStatus::Ok);   // not the sender's error: counted and reported
    QCOMPARE(r.counts.unknownHost, std::int64_t{2});
    QCOMPARE(r.counts.unknownGpu, std::int64_t{2});
    QCOMPARE(r.counts.notRecorded, std::int64_t{1});
    QCOMPARE(r.counts.unlabelled, std::int64_t{1});
    QCOMPARE(r.counts.recorded, std::int64_t{1});
    QCOMPARE(r.counts.samples, std::int64_t{7});
    QVERIFY2(r.firstNotice.starts_with("10.0.0.9:4242: DCGM_FI_DEV_"), r.firstNotice.c_str());
    // Each kind of notice names the series and says why.
    const auto noticeOf = [&](const SeriesDef& d) { return send(body({d}), "10.0.0.9:4242").firstNotice; };
    QCOMPARE(noticeOf(series("DCGM_FI_DEV_POWER_USAGE", "node-unknown", 0, {{kT0, 300}})),
             std::string("10.0.0.9:4242: DCGM_FI_DEV_POWER_USAGE{Hostname=\"node-unknown\",gpu=\"0\"}: "
                         "host 'node-unknown' is not in the inventory: not recorded"));
    QCOMPARE(noticeOf(series("DCGM_FI_DEV_POWER_USAGE", h.host, 8, {{kT0, 300}})),
             "10.0.0.9:4242: DCGM_FI_DEV_POWER_USAGE{Hostname=\"" + h.host + "\",gpu=\"8\"}: host '" + h.host +
                 "' has devices 0-7 (inventory line 0): not recorded");
    QCOMPARE(noticeOf(noGpu), "10.0.0.9:4242: DCGM_FI_DEV_GPU_TEMP{Hostname=\"" + h.host +
                                  "\",gpu=\"\"}: no Hostname/hostname or gpu label: not recorded");
    QVERIFY(r.firstError.empty());
    GpuFrame f;
    assembler_->snapshot(kT0, f);
    QCOMPARE(f.values[0][h.gpuFirst + 7], 333.0f);
    // Each request's counts add up: every sample lands in exactly one count.
    const IngestCounts& c = r.counts;
    QCOMPARE(c.recorded + c.staleMarkers + c.invalid() + c.notRecorded + c.unknownHost + c.unknownGpu + c.unlabelled,
             c.samples);
    QVERIFY(describe(c).find("2 unknown host") != std::string::npos);
}

void TestIngest::xidEvents()
{
    reset();
    const InventoryHost& h = inventory_.hosts()[6];
    const auto xid = [&](TimeMs t, double code) {
        return send(body({series("DCGM_FI_DEV_XID_ERRORS", h.host, 1, {{t, code}})}));
    };
    QCOMPARE(xid(kT0, 13).counts.xidEvents, std::int64_t{0});         // the first value: a baseline
    QCOMPARE(xid(kT0 + 1000, 0).counts.xidEvents, std::int64_t{0});
    QCOMPARE(xid(kT0 + 2000, 79).counts.xidEvents, std::int64_t{1});  // to non-zero: an event
    QCOMPARE(xid(kT0 + 3000, 79).counts.xidEvents, std::int64_t{0});  // unchanged
    QCOMPARE(xid(kT0 + 4000, 48).counts.xidEvents, std::int64_t{1});  // another code: ends the first
    QCOMPARE(xid(kT0 + 4500, 0).counts.xidEvents, std::int64_t{0});   // back to 0: the GPU was reset
    QTemporaryDir dir;
    const std::string path = dir.filePath("x.twin").toStdString();
    {
        auto store = StoreWriter::create(path, campus_);
        GpuSeriesWriter w(*store, 1000);
        GpuFrame f;
        assembler_->snapshot(kT0 + 5000, f);
        QCOMPARE(static_cast<int>(f.events.size()), 2);
        QCOMPARE(static_cast<int>(f.ends.size()), 2);
        w.write(f);
        assembler_->snapshot(kT0 + 6000, f);
        QVERIFY(f.events.empty());   // handed over once
        w.write(f);
    }
    auto reader = StoreReader::open(path);
    const auto events = reader->events(kT0, kT0 + 10000);
    QCOMPARE(static_cast<int>(events.size()), 2);
    QCOMPARE(events[0].start, kT0 + 2000);
    QCOMPARE(events[0].asset, campus_.gpuId(h.gpuFirst + 1));
    QCOMPARE(events[0].kind, std::string("gpu_xid"));
    QCOMPARE(events[1].text, "XID 48 on GPU " + campus_.gpuId(h.gpuFirst + 1));
    // Each ends when its condition does: XID 79 when 48 replaced it, 48 when the code went back to 0.
    QVERIFY(events[0].end && events[1].end);
    QCOMPARE(*events[0].end, kT0 + 4000);
    QCOMPARE(events[1].start, kT0 + 4000);
    QCOMPARE(*events[1].end, kT0 + 4500);
}

void TestIngest::malformedSnappy()
{
    reset();
    const IngestResult r = send("this is not snappy at all, just text", "10.1.2.3:999");
    QCOMPARE(r.status, IngestStatus::Invalid);
    QCOMPARE(r.counts.badRequests, std::int64_t{1});
    QCOMPARE(r.counts.samples, std::int64_t{0});
    QVERIFY2(QString::fromStdString(r.firstError).startsWith("10.1.2.3:999: body of 36 bytes is not"), r.firstError.c_str());
    QVERIFY(r.firstError.find("snappy") != std::string::npos);
    // Uncompressed protobuf sent without snappy: refused the same way, nothing taken.
    const IngestResult raw = send(protobufBytes(wholeCampus(inventory_, 0, kT0)));
    QCOMPARE(raw.status, IngestStatus::Invalid);
    QCOMPARE(raw.counts.recorded, std::int64_t{0});
    QCOMPARE(send("").status, IngestStatus::Invalid);
}

void TestIngest::malformedProtobuf()
{
    reset();
    const IngestResult r = send(snappyOf(std::string("\x0a\xff\xff\xff\xff\x0f garbage", 15)));
    QCOMPARE(r.status, IngestStatus::Invalid);
    QVERIFY2(r.firstError.find("test: malformed WriteRequest at byte") == 0, r.firstError.c_str());
    // One broken series among good ones: skipped, the others kept.
    const InventoryHost& h = inventory_.hosts()[7];
    std::string good1 = protobufBytes({series("DCGM_FI_DEV_GPU_TEMP", h.host, 0, {{kT0, 40}})});
    std::string good2 = protobufBytes({series("DCGM_FI_DEV_GPU_TEMP", h.host, 1, {{kT0, 41}})});
    const std::string bad = std::string("\x0a\x03\x0a\x05\x01", 5);   // a series whose label runs past it
    const IngestResult mixed = send(snappyOf(good1 + bad + good2));
    QCOMPARE(mixed.status, IngestStatus::Invalid);
    QCOMPARE(mixed.counts.series, std::int64_t{2});
    QCOMPARE(mixed.counts.badSeries, std::int64_t{1});
    QCOMPARE(mixed.counts.recorded, std::int64_t{2});
    QVERIFY2(mixed.firstError.find("series 1 (bytes") != std::string::npos, mixed.firstError.c_str());
    QVERIFY(mixed.firstError.find("is not a valid TimeSeries: skipped") != std::string::npos);
    // Unknown top-level fields (a sender's metadata) are skipped quietly.
    const std::string metadata = std::string("\x1a\x04", 2) + "meta";   // field 3, 4 bytes
    const IngestResult withMeta = send(snappyOf(metadata + good1));
    QCOMPARE(withMeta.status, IngestStatus::Ok);
    QCOMPARE(withMeta.counts.recorded, std::int64_t{1});
}

void TestIngest::truncatedBodies()
{
    reset();
    const auto defs = wholeCampus(inventory_, 1, kT0);
    const std::vector<SeriesDef> ten(defs.begin(), defs.begin() + 10);
    const std::string raw = protobufBytes(ten);
    const std::string five = protobufBytes({ten.begin(), ten.begin() + 5});
    const std::string six = protobufBytes({ten.begin(), ten.begin() + 6});
    // Cut the protobuf inside the sixth series, then compress: the five before it are kept.
    const IngestResult r = send(snappyOf(raw.substr(0, (five.size() + six.size()) / 2)));
    QCOMPARE(r.status, IngestStatus::Invalid);
    QCOMPARE(r.counts.recorded, std::int64_t{5});
    QVERIFY2(r.firstError.find("runs past the end: truncated") != std::string::npos, r.firstError.c_str());
    QVERIFY(r.firstError.find("5 series before it were read") != std::string::npos);
    GpuFrame f;
    assembler_->snapshot(kT0, f);
    QCOMPARE(f.values[0][0], static_cast<float>(power(0, 1)));
    QCOMPARE(f.values[1][1], static_cast<float>(util(1, 1)));   // series 4 of the 5 kept
    QCOMPARE(f.values[1][0], static_cast<float>(util(0, 1)));
    // Cut the snappy body: nothing can be trusted, nothing is taken.
    reset();
    const std::string whole = snappyOf(raw);
    for (std::size_t cut : {std::size_t{1}, whole.size() / 2, whole.size() - 1}) {
        const IngestResult t = send(whole.substr(0, cut));
        QCOMPARE(t.status, IngestStatus::Invalid);
        QCOMPARE(t.counts.recorded, std::int64_t{0});
        QVERIFY2(t.firstError.find("snappy") != std::string::npos, t.firstError.c_str());
    }
}

void TestIngest::overSizeLimits()
{
    reset({}, {.maxBodyBytes = 1000, .maxDecodedBytes = 4000});
    const auto defs = wholeCampus(inventory_, 0, kT0);
    const std::string big = body({defs.begin(), defs.begin() + 200});
    QVERIFY(big.size() > 1000);
    const IngestResult r = send(big);
    QCOMPARE(r.status, IngestStatus::TooLarge);
    QCOMPARE(r.counts.recorded, std::int64_t{0});
    QVERIFY2(r.firstError == "test: body of " + std::to_string(big.size()) + " bytes is over the limit of 1000 bytes",
             r.firstError.c_str());
    // Small on the wire, large decoded (a "zip bomb"): refused from snappy's header, before decoding.
    reset({}, {.maxBodyBytes = 1u << 20, .maxDecodedBytes = 4000});
    const std::string bomb = snappyOf(std::string(100000, '\0'));
    QVERIFY(bomb.size() * 10 < 100000);
    const IngestResult b = send(bomb);
    QCOMPARE(b.status, IngestStatus::TooLarge);
    QVERIFY2(b.firstError == "test: body decodes to 100000 bytes, over the limit of 4000 bytes", b.firstError.c_str());
}

void TestIngest::hostileBytes()
{
    // Every prefix and thousands of random corruptions of a valid body, compressed or not: never a
    // crash, never more recorded than was sent, every sample counted once.
    reset();
    const auto defs = wholeCampus(inventory_, 2, kT0);
    const std::string raw = protobufBytes({defs.begin(), defs.begin() + 30});
    std::mt19937 rng(7);
    int outcomes[3] = {};
    for (int i = 0; i < 3000; ++i) {
        std::string m = raw;
        if (i < static_cast<int>(raw.size()) && i % 2) m.resize(i);
        for (int k = 0, n = 1 + i % 4; k < n; ++k) m[rng() % m.size()] = static_cast<char>(rng());
        const bool compress = i % 3 != 0;
        const IngestResult r = send(compress ? snappyOf(m) : m);
        ++outcomes[static_cast<int>(r.status)];
        const IngestCounts& c = r.counts;
        QVERIFY(c.recorded <= 30);
        QCOMPARE(c.recorded + c.staleMarkers + c.invalid() + c.notRecorded + c.unknownHost + c.unknownGpu +
                     c.unlabelled,
                 c.samples);
        if (r.status != IngestStatus::Ok) QVERIFY(!r.firstError.empty());
    }
    qInfo("hostile bodies: %d read whole, %d invalid, %d too large", outcomes[0], outcomes[1], outcomes[2]);
    QVERIFY(outcomes[1] > 0);
    GpuFrame f;
    assembler_->snapshot(kT0, f);   // and the state is still writable
    QTemporaryDir dir;
    auto store = StoreWriter::create(dir.filePath("h.twin").toStdString(), campus_);
    GpuSeriesWriter(*store, 1000).write(f);
}

// The receiver reads series in place (views into the body) rather than through the generated
// classes; on valid bodies and on thousands of corrupted ones both must see the same thing.
void TestIngest::readerMatchesGeneratedParser()
{
    const auto defs = wholeCampus(inventory_, 3, kT0);
    std::vector<SeriesDef> some(defs.begin(), defs.begin() + 12);
    some[3].samples.push_back({kT0 + 5, staleMarker()});
    some[4].labels.push_back({"", ""});
    const std::string raw = protobufBytes(some);
    std::mt19937 rng(11);
    int agreedValid = 0, agreedInvalid = 0;
    for (int i = 0; i < 4000; ++i) {
        std::string m = raw;
        if (i > 0) {
            if (i % 5 == 0) m.resize(rng() % m.size());
            for (int k = 0, n = 1 + i % 3; k < n && !m.empty(); ++k) m[rng() % m.size()] = static_cast<char>(rng());
        }
        rw::WriteRequest reference;
        const bool referenceOk = reference.ParseFromString(m);
        std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::vector<std::pair<std::int64_t, std::uint64_t>>>> ours;
        const DecodeResult d = decodeRemoteWrite(snappyOf(m), "fuzz", {}, [&](const SeriesView& s) {
            auto& [labels, samples] = ours.emplace_back();
            for (const LabelView& l : s.labels) labels.emplace_back(l.name, l.value);
            for (const SampleView& x : s.samples) samples.emplace_back(x.timestamp, std::bit_cast<std::uint64_t>(x.value));
        });
        if (!referenceOk) {
            QVERIFY2(d.status != DecodeStatus::Ok, qPrintable(QString("case %1: protobuf refuses, the reader accepts").arg(i)));
            ++agreedInvalid;
            continue;
        }
        QVERIFY2(d.status == DecodeStatus::Ok, qPrintable(QString("case %1: %2").arg(i).arg(d.error.c_str())));
        QCOMPARE(static_cast<int>(ours.size()), reference.timeseries_size());
        for (int k = 0; k < reference.timeseries_size(); ++k) {
            const rw::TimeSeries& ts = reference.timeseries(k);
            QCOMPARE(static_cast<int>(ours[k].first.size()), ts.labels_size());
            for (int j = 0; j < ts.labels_size(); ++j) {
                QCOMPARE(ours[k].first[j].first, ts.labels(j).name());
                QCOMPARE(ours[k].first[j].second, ts.labels(j).value());
            }
            QCOMPARE(static_cast<int>(ours[k].second.size()), ts.samples_size());
            for (int j = 0; j < ts.samples_size(); ++j) {
                QCOMPARE(ours[k].second[j].first, ts.samples(j).timestamp());
                QCOMPARE(ours[k].second[j].second, std::bit_cast<std::uint64_t>(ts.samples(j).value()));
            }
        }
        ++agreedValid;
    }
    qInfo("reader and generated parser agree: %d bodies read, %d refused", agreedValid, agreedInvalid);
    QVERIFY(agreedValid > 100 && agreedInvalid > 100);

    // Unknown fields nested as deep as protobuf's recursion limit, in a label: same verdict.
    const auto lengthDelimited = [](char tag, const std::string& bytes) {
        std::string out(1, tag);
        for (std::size_t n = bytes.size(); ; n >>= 7) {
            out += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
            if (n < 0x80) break;
        }
        return out + bytes;
    };
    for (int depth : {90, 97, 98, 99, 100}) {
        const std::string label = lengthDelimited('\x0a', "gpu") + std::string(depth, '\x2b') + std::string(depth, '\x2c');
        const std::string m = lengthDelimited('\x0a', lengthDelimited('\x0a', label));
        rw::WriteRequest reference;
        const bool referenceOk = reference.ParseFromString(m);
        const DecodeResult d = decodeRemoteWrite(snappyOf(m), "deep", {}, [](const SeriesView&) {});
        QVERIFY2(referenceOk == (d.status == DecodeStatus::Ok), qPrintable(QString("groups %1 deep: protobuf %2, reader %3")
                                                                             .arg(depth).arg(referenceOk).arg(d.error.c_str())));
    }
}

QTEST_GUILESS_MAIN(TestIngest)
#include "test_ingest.moc"
