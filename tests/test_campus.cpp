// The campus model: expansion of both campus files, graph invariants, GPU addressing, errors.
//
// Expected counts are worked out by hand from the file parameters (docs/campus.md shows the
// arithmetic), so the test fails if the expansion is wrong, not only if it changes.
#include "twin/campus.h"
#include "twin/campus_file.h"
#include "twin/error.h"
#include "twin/utc_time.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <map>
#include <set>
#include <string>

using namespace twin;

namespace {

const std::string kDataDir = TEST_DATA_DIR;
const std::string kSmall = kDataDir + "/sites/small.json";
const std::string kColossus = kDataDir + "/sites/colossus.json";

// A minimal valid campus: the bad inputs below are this text with one change each.
const std::string kMini = R"({
  "format": "colossus-twin-campus",
  "version": 1,
  "name": "Mini",
  "timezone": "UTC",
  "gpu_models": [{"name": "G", "tdp_w": 700, "bf16_tflops": 989}],
  "rack_types": [{"name": "r8", "gpu_model": "G", "gpus": 8, "rated_kw": 10, "idle_kw": 3}],
  "unit_models": [{"name": "T", "type": "turbine", "mw": 10, "ramp_pct_per_min": 20, "min_load_pct": 40,
                   "start_s": 300, "inertia_s": 3}],
  "sites": [{
    "id": "s", "name": "S", "anchor": {"lat": 10, "lon": 20},
    "buildings": [{"id": "b", "at": [0, 0], "footprint": {"size_m": [40, 20]},
      "halls": [{"rows": {"count": 2, "racks": 3, "rack_type": "r8"}, "feeders": {"count": 1, "mw": 1, "buses": "mv"}}]}],
    "substations": [{"id": "sub", "at": [-40, 0], "buses": [{"id": "mv", "kv": 13.8}]}],
    "grid_ties": [{"id": "grid", "mw": 5, "bus": "mv", "at": [-60, 0]}],
    "turbines": [{"id": "gt", "model": "T", "count": 2, "bus": "mv", "at": [0, -30]}]
  }]
})";

std::string dot(std::initializer_list<const char*> parts)
{
    std::string s;
    for (const char* p : parts) s += (s.empty() ? "" : " \xC2\xB7 ") + std::string(p);
    return s;
}

int countKind(const Campus& c, AssetKind kind, AssetIndex site = kNoAsset)
{
    int n = 0;
    for (const Asset& a : c.assets)
        if (a.kind == kind && (site == kNoAsset || a.site == site)) ++n;
    return n;
}

long long sumUnits(const Campus& c, AssetKind kind, AssetIndex site = kNoAsset)
{
    long long n = 0;
    for (const Asset& a : c.assets)
        if (a.kind == kind && (site == kNoAsset || a.site == site)) n += a.units;
    return n;
}

double sumRating(const Campus& c, AssetKind kind, AssetIndex site = kNoAsset)
{
    double mw = 0;
    for (const Asset& a : c.assets)
        if (a.kind == kind && (site == kNoAsset || a.site == site)) mw += a.ratingMw;
    return mw;
}

AssetIndex need(const Campus& c, const std::string& id)
{
    const AssetIndex a = c.find(id);
    if (a == kNoAsset) qFatal("no asset '%s'", id.c_str());
    return a;
}

std::string replaced(const std::string& text, const std::string& from, const std::string& to)
{
    const auto at = text.find(from);
    if (at == std::string::npos) qFatal("test bug: '%s' not in the snippet", from.c_str());
    std::string out = text;
    out.replace(at, from.size(), to);
    return out;
}

QString errorOf(const std::string& text, const std::string& file = "mini.json")
{
    try {
        (void)parseCampus(text, file);
    } catch (const Error& e) {
        if (e.file() != file) return QStringLiteral("wrong file in error: ") + QString::fromStdString(e.file());
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error)");
}

} // namespace

class TestCampus : public QObject {
    Q_OBJECT

private:
    Campus small_, colossus_;

    // Invariants every expanded campus satisfies; used for both files.
    void checkStructure(const Campus& c);
    void checkGpuRanges(const Campus& c);
    void checkSupply(const Campus& c);

private slots:
    void initTestCase();

    void kindNames();
    void smallCounts();
    void colossusCounts();
    void colossusFrames();
    void loadTime();

    void structure_data();
    void structure();

    void idsAndNames();
    void containmentChain();
    void gpuRoundTrip();
    void electrical();
    void indexFromVectors();

    void rotatedBuilding();
    void badInput_data();
    void badInput();
    void badDates_data();
    void badDates();
    void syntaxErrors();
    void unsupplied();
    void missingFile();
    void utcTimes();
    void commissioning();
    void colossusBuildOut();
};

void TestCampus::initTestCase()
{
    small_ = loadCampusFile(kSmall);
    colossus_ = loadCampusFile(kColossus);
}

void TestCampus::kindNames()
{
    for (int k = 0; k < kAssetKindCount; ++k) {
        const auto kind = static_cast<AssetKind>(k);
        QCOMPARE(assetKindFromName(assetKindName(kind)), std::optional<AssetKind>(kind));
    }
    QCOMPARE(assetKindName(AssetKind::MegapackBlock), std::string_view("megapack_block"));
    QCOMPARE(assetKindName(AssetKind::CoolingPlant), std::string_view("cooling_plant"));
    QVERIFY(!assetKindFromName("nope"));
    QVERIFY(isSource(AssetKind::Turbine) && isSource(AssetKind::MegapackBlock));
    QVERIFY(isSource(AssetKind::SolarArray) && isSource(AssetKind::GridTie));
    QVERIFY(!isSource(AssetKind::Bus) && !isSource(AssetKind::Rack) && !isSource(AssetKind::Substation));
}

void TestCampus::smallCounts()
{
    const Campus& c = small_;
    QCOMPARE(c.name, std::string("Test Campus"));
    QCOMPARE(c.timezone, std::string("UTC"));
    QCOMPARE(c.sites.size(), std::size_t(1));
    // hall1: 2 rows x 2 racks x 64 = 256; hall2: 1 row x 3 racks x 72 = 216.
    QCOMPARE(c.gpuCount(), std::int64_t(472));
    QCOMPARE(c.racks().size(), std::size_t(7));
    QCOMPARE(countKind(c, AssetKind::Row), 3);
    QCOMPARE(countKind(c, AssetKind::Hall), 2);
    QCOMPARE(countKind(c, AssetKind::Building), 1);
    QCOMPARE(countKind(c, AssetKind::Turbine), 2);
    QCOMPARE(countKind(c, AssetKind::MegapackBlock), 1);
    QCOMPARE(sumUnits(c, AssetKind::MegapackBlock), 4LL);
    QCOMPARE(countKind(c, AssetKind::SolarArray), 1);
    QCOMPARE(countKind(c, AssetKind::GridTie), 1);
    QCOMPARE(countKind(c, AssetKind::Substation), 1);
    QCOMPARE(countKind(c, AssetKind::Bus), 2);
    QCOMPARE(countKind(c, AssetKind::Transformer), 1);
    QCOMPARE(countKind(c, AssetKind::Feeder), 5); // 2 + 2 halls, 1 cooling
    QCOMPARE(countKind(c, AssetKind::CoolingPlant), 1);
    QCOMPARE(c.assets.size(), std::size_t(29));
    // hall->row 3, row->rack 7, feeder->target 5, bus->feeder 5, via transformer 2, sources 5.
    QCOMPARE(c.feeds.size(), std::size_t(27));

    QCOMPARE(sumRating(c, AssetKind::Rack), 4 * 0.080 + 3 * 0.120);
    const Asset& mp = c.assets[need(c, "testsite/bess01")];
    QCOMPARE(mp.units, 4);
    QCOMPARE(mp.ratingMw, 4 * 0.25);
    QCOMPARE(mp.energyMwh, 4 * 1.0);
    QCOMPARE(c.assets[need(c, "testsite/gtl01")].ratingMw, 0.8);
    QCOMPARE(c.assets[need(c, "testsite/gtl01")].model, std::string("GT-L"));
    QCOMPARE(c.assets[need(c, "testsite/hall1")].gpuCount, std::int64_t(256));
    QCOMPARE(c.assets[need(c, "testsite/hall2")].gpuFirst, std::int64_t(256));
    QCOMPARE(c.assets[need(c, "testsite/hall2")].gpuCount, std::int64_t(216));
    QCOMPARE(c.assets[need(c, "testsite")].gpuCount, std::int64_t(472));

    QVERIFY(c.gpuModel("TGPU-B") && c.gpuModel("TGPU-B")->tdpW == 1200);
    QVERIFY(c.rackType("test-b72") && c.rackType("test-b72")->gpusPerRack == 72);
    QVERIFY(c.unitModel("BESS-U") && c.unitModel("BESS-U")->energyMwh == 1.0);
    QVERIFY(!c.gpuModel("H100") && !c.rackType("gb200-nvl72") && !c.unitModel("SMT-130"));
}

void TestCampus::colossusCounts()
{
    const Campus& c = colossus_;
    QCOMPARE(c.name, std::string("xAI Colossus, Memphis"));
    QCOMPARE(c.timezone, std::string("America/Chicago"));
    QCOMPARE(c.sites.size(), std::size_t(4));
    const AssetIndex c1 = need(c, "colossus1"), c2 = need(c, "colossus2");
    const AssetIndex mh = need(c, "macrohardrr"), sh = need(c, "southaven");

    // Colossus 1: 6 H100 + 2 H200 halls of 49 rows x 8 racks x 64, one GB200 hall of 30 x 14 x 72.
    QCOMPARE(c.assets[c1].gpuCount, std::int64_t(8 * 49 * 8 * 64 + 30 * 14 * 72)); // 230,944
    QCOMPARE(c.assets[c1].gpuCount, std::int64_t(230944));
    QCOMPARE(countKind(c, AssetKind::Rack, c1), 3556);
    QCOMPARE(countKind(c, AssetKind::Row, c1), 422);
    QCOMPARE(countKind(c, AssetKind::Hall, c1), 9);
    QCOMPARE(countKind(c, AssetKind::Turbine, c1), 15);
    QCOMPARE(countKind(c, AssetKind::MegapackBlock, c1), 42);
    QCOMPARE(sumUnits(c, AssetKind::MegapackBlock, c1), 168LL);
    QCOMPARE(countKind(c, AssetKind::GridTie, c1), 2);
    QCOMPARE(sumRating(c, AssetKind::GridTie, c1), 300.0);
    QCOMPARE(countKind(c, AssetKind::SolarArray, c1), 1);
    QCOMPARE(countKind(c, AssetKind::Feeder, c1), 62);

    // Colossus 2: 16 halls of 30 rows x 16 NVL72 racks (6 GB200, 10 GB300).
    QCOMPARE(c.assets[c2].gpuCount, std::int64_t(552960));
    QCOMPARE(countKind(c, AssetKind::Rack, c2), 7680);
    QCOMPARE(countKind(c, AssetKind::Hall, c2), 16);
    QCOMPARE(countKind(c, AssetKind::Turbine, c2), 0);
    QCOMPARE(countKind(c, AssetKind::MegapackBlock, c2), 66);
    QCOMPARE(sumUnits(c, AssetKind::MegapackBlock, c2), 264LL);
    QCOMPARE(countKind(c, AssetKind::Feeder, c2), 72);

    // MACROHARDRR: 6 halls of 25 rows x 20 GB300 racks.
    QCOMPARE(c.assets[mh].gpuCount, std::int64_t(216000));
    QCOMPARE(countKind(c, AssetKind::Rack, mh), 3000);
    QCOMPARE(countKind(c, AssetKind::Hall, mh), 6);
    QCOMPARE(countKind(c, AssetKind::MegapackBlock, mh), 0);

    // Southaven: 41 Titan-350 + 27 temporary SMT-130, no compute.
    QCOMPARE(c.assets[sh].gpuCount, std::int64_t(0));
    QCOMPARE(countKind(c, AssetKind::Turbine, sh), 68);
    QCOMPARE(countKind(c, AssetKind::Rack, sh), 0);
    QCOMPARE(countKind(c, AssetKind::Transformer, sh), 8);

    // Totals.
    QCOMPARE(c.gpuCount(), std::int64_t(999904));
    QCOMPARE(c.racks().size(), std::size_t(14236));
    QCOMPARE(countKind(c, AssetKind::Row), 1052);
    QCOMPARE(countKind(c, AssetKind::Hall), 31);
    QCOMPARE(countKind(c, AssetKind::Turbine), 83);
    QCOMPARE(countKind(c, AssetKind::MegapackBlock), 108);
    QCOMPARE(sumUnits(c, AssetKind::MegapackBlock), 432LL);
    QCOMPARE(countKind(c, AssetKind::Bus), 20);
    QCOMPARE(countKind(c, AssetKind::Transformer), 25);
    QCOMPARE(countKind(c, AssetKind::Feeder), 162);
    QCOMPARE(countKind(c, AssetKind::CoolingPlant), 3);
    QCOMPARE(c.assets.size(), std::size_t(15736));

    // Power: rated IT 1,699.88 MW; turbines 15 x 16.5 + 41 x 38 + 27 x 16.5 = 2,251 MW;
    // Megapacks 432 x 0.98 MW = 423.36 MW and 432 x 3.9 MWh = 1,684.8 MWh.
    QVERIFY(qAbs(sumRating(c, AssetKind::Rack) - 1699.88) < 1e-6);
    QVERIFY(qAbs(sumRating(c, AssetKind::Turbine) - 2251.0) < 1e-6);
    QVERIFY(qAbs(sumRating(c, AssetKind::MegapackBlock) - 423.36) < 1e-6);
    double mwh = 0;
    for (const Asset& a : c.assets) mwh += a.energyMwh;
    QVERIFY(qAbs(mwh - 1684.8) < 1e-6);

    // GPUs by model.
    std::map<std::string, std::int64_t> byModel;
    for (AssetIndex r : c.racks()) byModel[c.rackType(c.assets[r].model)->gpuModel] += c.assets[r].gpuCount;
    QCOMPARE(byModel["H100"], std::int64_t(150528));
    QCOMPARE(byModel["H200"], std::int64_t(50176));
    QCOMPARE(byModel["GB200"], std::int64_t(237600));
    QCOMPARE(byModel["GB300"], std::int64_t(561600));
}

void TestCampus::colossusFrames()
{
    const Campus& c = colossus_;
    QCOMPARE(c.sites[0].originX, 0.0);
    QCOMPARE(c.sites[0].originY, 0.0);
    // Colossus 2 lies ~11.1 km east and ~6.6 km south of Colossus 1 (equirectangular).
    QVERIFY(qAbs(c.sites[1].originX - 11131) < 10);
    QVERIFY(qAbs(c.sites[1].originY + 6572) < 10);
    // MACROHARDRR adjoins Colossus 2 (0.89 km south); the plant is 1-2 km away.
    QVERIFY(qAbs(c.sites[2].originX - c.sites[1].originX) < 1);
    QVERIFY(qAbs(c.sites[2].originY - c.sites[1].originY + 890) < 2);
    // Building footprints from square feet.
    const Box& b1 = c.assets[need(c, "colossus1/main")].box;
    QVERIFY(qAbs(b1.sx * b1.sy - 785000 * 0.09290304) < 1);
    QVERIFY(qAbs(b1.sx / b1.sy - 1.8) < 1e-9);
    const Box& b2 = c.assets[need(c, "colossus2/main")].box;
    QVERIFY(qAbs(b2.sx * b2.sy - 1000000 * 0.09290304) < 1);
    QCOMPARE(b2.cx, c.sites[1].originX);
    QCOMPARE(b2.cy, c.sites[1].originY);
}

void TestCampus::loadTime()
{
    QElapsedTimer t;
    t.start();
    const Campus c = loadCampusFile(kColossus);
    const qint64 ms = t.elapsed();
    qInfo("colossus.json: %zu assets, %lld GPUs loaded in %lld ms", c.assets.size(),
          static_cast<long long>(c.gpuCount()), static_cast<long long>(ms));
    QVERIFY2(ms < 2000, "loading the default campus is far too slow");
}

void TestCampus::structure_data()
{
    QTest::addColumn<bool>("colossus");
    QTest::newRow("small") << false;
    QTest::newRow("colossus") << true;
}

void TestCampus::structure()
{
    QFETCH(bool, colossus);
    const Campus& c = colossus ? colossus_ : small_;
    checkStructure(c);
    if (QTest::currentTestFailed()) return;
    checkGpuRanges(c);
    if (QTest::currentTestFailed()) return;
    checkSupply(c);
}

void TestCampus::checkStructure(const Campus& c)
{
    std::set<std::string> ids;
    for (AssetIndex i = 0; i < static_cast<AssetIndex>(c.assets.size()); ++i) {
        const Asset& a = c.assets[i];
        QVERIFY2(ids.insert(a.id).second, a.id.c_str());
        QCOMPARE(c.find(a.id), i);
        QVERIFY(!a.name.empty());
        QVERIFY2(std::all_of(a.id.begin(), a.id.end(),
                             [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                                                  ch == '-' || ch == '_' || ch == '/'; }),
                 a.id.c_str());
        if (a.kind == AssetKind::Site) {
            QCOMPARE(a.parent, kNoAsset);
            QCOMPARE(a.site, i);
            continue;
        }
        // Parents precede children; the parent is of a kind that may contain this one.
        QVERIFY2(a.parent >= 0 && a.parent < i, a.id.c_str());
        const AssetKind pk = c.assets[a.parent].kind;
        switch (a.kind) {
        case AssetKind::Building: QCOMPARE(pk, AssetKind::Site); break;
        case AssetKind::Hall: QCOMPARE(pk, AssetKind::Building); break;
        case AssetKind::Row: QCOMPARE(pk, AssetKind::Hall); break;
        case AssetKind::Rack: QCOMPARE(pk, AssetKind::Row); break;
        case AssetKind::CoolingPlant: QCOMPARE(pk, AssetKind::Building); break;
        case AssetKind::Bus:
        case AssetKind::Transformer: QCOMPARE(pk, AssetKind::Substation); break;
        case AssetKind::Feeder: QVERIFY(pk == AssetKind::Substation || pk == AssetKind::Site); break;
        default: QCOMPARE(pk, AssetKind::Site); break;
        }
        // The site is the one reached by climbing parents; ids start with the site's id.
        AssetIndex up = a.parent;
        while (c.assets[up].parent != kNoAsset) up = c.assets[up].parent;
        QCOMPARE(a.site, up);
        QVERIFY2(a.id.rfind(c.assets[up].id + "/", 0) == 0, a.id.c_str());
        // Every listed child knows its parent.
        const auto& siblings = c.children(a.parent);
        QVERIFY(std::find(siblings.begin(), siblings.end(), i) != siblings.end());
        // Racks lie inside their hall (halls are not rotated in these files).
        if (a.kind == AssetKind::Rack) {
            const Box& r = a.box;
            const Box& h = c.assets[c.assets[a.parent].parent].box;
            QVERIFY2(r.cx - r.sx / 2 >= h.cx - h.sx / 2 - 1e-6 && r.cx + r.sx / 2 <= h.cx + h.sx / 2 + 1e-6 &&
                         r.cy - r.sy / 2 >= h.cy - h.sy / 2 - 1e-6 && r.cy + r.sy / 2 <= h.cy + h.sy / 2 + 1e-6,
                     a.id.c_str());
        }
    }
    // Sites in `sites` point at site assets, first one at the campus origin.
    for (const Site& s : c.sites) QCOMPARE(c.assets[s.asset].kind, AssetKind::Site);
    QCOMPARE(c.sites.front().originX, 0.0);
}

void TestCampus::checkGpuRanges(const Campus& c)
{
    // Racks tile [0, gpuCount()) in order.
    std::int64_t next = 0;
    for (AssetIndex r : c.racks()) {
        QCOMPARE(c.assets[r].kind, AssetKind::Rack);
        QCOMPARE(c.assets[r].gpuFirst, next);
        QVERIFY(c.assets[r].gpuCount > 0);
        next += c.assets[r].gpuCount;
    }
    QCOMPARE(next, c.gpuCount());
    // Every container's range is exactly the union of its children's, which are contiguous.
    for (AssetIndex i = 0; i < static_cast<AssetIndex>(c.assets.size()); ++i) {
        const Asset& a = c.assets[i];
        if (a.kind == AssetKind::Rack) {
            QVERIFY(c.children(i).empty());
            continue;
        }
        std::int64_t at = a.gpuFirst, total = 0;
        for (AssetIndex k : c.children(i)) {
            if (c.assets[k].gpuCount == 0) continue;
            QVERIFY2(c.assets[k].gpuFirst == at, c.assets[k].id.c_str());
            at += c.assets[k].gpuCount;
            total += c.assets[k].gpuCount;
        }
        QVERIFY2(total == a.gpuCount, a.id.c_str());
    }
}

void TestCampus::checkSupply(const Campus& c)
{
    for (AssetIndex r : c.racks()) {
        const auto sources = c.sourcesOf(r);
        QVERIFY2(!sources.empty(), c.assets[r].id.c_str());
        QVERIFY2(std::any_of(sources.begin(), sources.end(),
                             [&](AssetIndex s) {
                                 return c.assets[s].kind == AssetKind::Turbine || c.assets[s].kind == AssetKind::GridTie;
                             }),
                 c.assets[r].id.c_str());
        // A rack hangs under its row, the row under its hall, the hall under feeders.
        QCOMPARE(c.suppliers(r), std::vector<AssetIndex>{c.assets[r].parent});
        const AssetIndex row = c.assets[r].parent;
        QCOMPARE(c.suppliers(row), std::vector<AssetIndex>{c.assets[row].parent});
    }
    for (AssetIndex h : c.assetsOfKind(AssetKind::Hall)) {
        QVERIFY(!c.suppliers(h).empty());
        for (AssetIndex f : c.suppliers(h)) QCOMPARE(c.assets[f].kind, AssetKind::Feeder);
    }
    for (AssetIndex f : c.assetsOfKind(AssetKind::Feeder)) {
        QCOMPARE(c.suppliers(f).size(), std::size_t(1));
        const Asset& bus = c.assets[c.suppliers(f)[0]];
        QCOMPARE(bus.kind, AssetKind::Bus);
        QCOMPARE(c.assets[f].voltageKv, bus.voltageKv);
        QCOMPARE(c.supplied(f).size(), std::size_t(1));
    }
    for (const Asset& a : c.assets)
        if (isSource(a.kind)) QVERIFY2(a.voltageKv > 0 && a.ratingMw > 0, a.id.c_str());
}

void TestCampus::idsAndNames()
{
    const Campus& c = colossus_;
    const Asset& rack = c.assets[need(c, "colossus1/hall2/row05/rack03")];
    QCOMPARE(rack.name, dot({"Colossus 1", "Hall 2", "Row 5", "Rack 3"}));
    QCOMPARE(rack.model, std::string("hgx-h100-64"));
    QCOMPARE(rack.ratingMw, 0.080);
    // Hall 2 starts after hall 1's 49 x 8 x 64 GPUs; row 5 after 4 rows; rack 3 after 2 racks.
    QCOMPARE(rack.gpuFirst, std::int64_t(25088 + 4 * 512 + 2 * 64));
    QCOMPARE(c.assets[need(c, "colossus1/hall9/row30/rack14")].model, std::string("gb200-nvl72"));
    QCOMPARE(c.assets[need(c, "colossus1/hall7/row01/rack01")].model, std::string("hgx-h200-64"));
    QCOMPARE(c.assets[need(c, "colossus2/hall16/row30/rack16")].model, std::string("gb300-nvl72"));
    QCOMPARE(c.assets[need(c, "colossus2/hall6/row01/rack01")].model, std::string("gb200-nvl72"));
    QCOMPARE(c.assets[need(c, "macrohardrr/hall6/row25/rack20")].gpuFirst + 72, c.gpuCount());
    QCOMPARE(c.assets[need(c, "southaven/titan41")].model, std::string("Titan-350"));
    QCOMPARE(c.assets[need(c, "southaven/temp27")].ratingMw, 16.5);
    QCOMPARE(c.assets[need(c, "colossus1/gt15")].kind, AssetKind::Turbine);
    QCOMPARE(c.assets[need(c, "colossus1/mp42")].energyMwh, 4 * 3.9);
    QCOMPARE(c.assets[need(c, "colossus1/sub63/hv63")].voltageKv, 161.0);
    QCOMPARE(c.assets[need(c, "colossus1/tva63")].ratingMw, 150.0);
    QCOMPARE(c.assets[need(c, "colossus1/swgr/hall1-f1")].voltageKv, 13.8);
    QCOMPARE(c.assets[need(c, "colossus2/sub/tx08")].voltageKv, 34.5);
    QCOMPARE(c.assets[need(c, "southaven/yard/gsu01")].voltageKv, 230.0);
    QCOMPARE(c.assets[need(c, "colossus1/main/cooling")].kind, AssetKind::CoolingPlant);
    QCOMPARE(c.find("colossus1/hall2/row05/rack99"), kNoAsset);
    QCOMPARE(c.find(""), kNoAsset);
}

void TestCampus::containmentChain()
{
    for (const Campus* c : {&small_, &colossus_}) {
        for (std::int64_t g : {std::int64_t(0), c->gpuCount() / 3, c->gpuCount() - 1}) {
            const AssetIndex rack = c->rackOfGpu(g);
            QVERIFY(rack != kNoAsset);
            const AssetIndex row = c->assets[rack].parent;
            const AssetIndex hall = c->assets[row].parent;
            const AssetIndex building = c->assets[hall].parent;
            const AssetIndex site = c->assets[building].parent;
            QCOMPARE(c->assets[rack].kind, AssetKind::Rack);
            QCOMPARE(c->assets[row].kind, AssetKind::Row);
            QCOMPARE(c->assets[hall].kind, AssetKind::Hall);
            QCOMPARE(c->assets[building].kind, AssetKind::Building);
            QCOMPARE(c->assets[site].kind, AssetKind::Site);
            QCOMPARE(c->assets[site].parent, kNoAsset);
            for (AssetIndex a : {rack, row, hall, building, site}) {
                QVERIFY(g >= c->assets[a].gpuFirst);
                QVERIFY(g < c->assets[a].gpuFirst + c->assets[a].gpuCount);
            }
        }
    }
}

void TestCampus::gpuRoundTrip()
{
    // Every GPU of the small campus.
    const Campus& s = small_;
    for (std::int64_t g = 0; g < s.gpuCount(); ++g) {
        const std::string id = s.gpuId(g);
        QCOMPARE(s.findGpu(id), std::optional<std::int64_t>(g));
        const AssetIndex r = s.rackOfGpu(g);
        QCOMPARE(id.substr(0, id.rfind('/')), s.assets[r].id);
    }
    QCOMPARE(s.gpuId(0), std::string("testsite/hall1/row01/rack01/gpu00"));
    QCOMPARE(s.gpuId(71), std::string("testsite/hall1/row01/rack02/gpu07"));
    QCOMPARE(s.gpuId(471), std::string("testsite/hall2/row01/rack03/gpu71"));

    // The first and last GPU of every rack, and a spread of others, on the default campus.
    const Campus& c = colossus_;
    for (AssetIndex r : c.racks()) {
        const Asset& rack = c.assets[r];
        for (std::int64_t g : {rack.gpuFirst, rack.gpuFirst + rack.gpuCount - 1}) {
            QCOMPARE(c.rackOfGpu(g), r);
            QCOMPARE(c.findGpu(c.gpuId(g)), std::optional<std::int64_t>(g));
        }
    }
    std::uint64_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const auto g = static_cast<std::int64_t>((x >> 11) % static_cast<std::uint64_t>(c.gpuCount()));
        QCOMPARE(c.findGpu(c.gpuId(g)), std::optional<std::int64_t>(g));
    }
    QCOMPARE(c.gpuId(999903), std::string("macrohardrr/hall6/row25/rack20/gpu71"));

    // Out of range and malformed.
    QCOMPARE(c.rackOfGpu(-1), kNoAsset);
    QCOMPARE(c.rackOfGpu(c.gpuCount()), kNoAsset);
    QCOMPARE(c.gpuId(c.gpuCount()), std::string());
    for (const char* bad : {"", "gpu01", "colossus1/hall1/row01/rack01/gpu64", "colossus1/hall1/row01/rack01/gpu",
                            "colossus1/hall1/row01/rack01/gpu-1", "colossus1/hall1/row01/rack01/gpux1",
                            "colossus1/hall1/row01/rack01/cpu01", "colossus1/hall1/row01/gpu01",
                            "colossus1/hall1/row01/rack01/gpu01x"})
        QVERIFY2(!c.findGpu(bad), bad);
    QCOMPARE(c.findGpu("colossus1/hall1/row01/rack01/gpu63"), std::optional<std::int64_t>(63));
}

void TestCampus::electrical()
{
    // Who can supply one rack of each site, counted from the files.
    const Campus& c = colossus_;
    // Colossus 1: 2 grid ties + 15 turbines + 42 Megapack blocks + 1 solar array.
    QCOMPARE(c.sourcesOf(need(c, "colossus1/hall1/row01/rack01")).size(), std::size_t(60));
    // Colossus 2: its 66 Megapack blocks + the 68 Southaven turbines.
    QCOMPARE(c.sourcesOf(need(c, "colossus2/hall1/row01/rack01")).size(), std::size_t(134));
    // MACROHARDRR: the Southaven turbines only.
    QCOMPARE(c.sourcesOf(need(c, "macrohardrr/hall1/row01/rack01")).size(), std::size_t(68));
    // Small campus: grid tie, 2 turbines, 1 Megapack block, 1 solar array.
    QCOMPARE(small_.sourcesOf(need(small_, "testsite/hall2/row01/rack03")).size(), std::size_t(5));

    // source -> bus -> transformer -> bus -> feeder -> hall -> row -> rack at Colossus 1.
    const AssetIndex tie = need(c, "colossus1/tva63");
    const AssetIndex hv = need(c, "colossus1/sub63/hv63");
    QCOMPARE(c.supplied(tie), std::vector<AssetIndex>{hv});
    QCOMPARE(c.supplied(hv).size(), std::size_t(2));
    const AssetIndex tx = need(c, "colossus1/sub63/tx01");
    QCOMPARE(c.suppliers(tx), std::vector<AssetIndex>{hv});
    QCOMPARE(c.supplied(tx), std::vector<AssetIndex>{need(c, "colossus1/swgr/mv-a")});
    QCOMPARE(c.suppliers(need(c, "colossus1/swgr/hall1-f2")),
             std::vector<AssetIndex>{need(c, "colossus1/swgr/mv-b")});
    QCOMPARE(c.supplied(need(c, "colossus1/swgr/hall1-f2")), std::vector<AssetIndex>{need(c, "colossus1/hall1")});
    // Across sites: the Southaven 230 kV bus feeds Colossus 2 and MACROHARDRR.
    const AssetIndex sh = need(c, "southaven/yard/hv");
    QCOMPARE(c.supplied(sh).size(), std::size_t(8 + 4));
    QCOMPARE(c.suppliers(sh).size(), std::size_t(8));
    QVERIFY(c.sourcesOf(tie).empty());
    QVERIFY(c.children(-1).empty() && c.suppliers(1 << 30).empty() && c.sourcesOf(-5).empty());
    QCOMPARE(c.assetsOfKind(AssetKind::GridTie).size(), std::size_t(2));
}

void TestCampus::indexFromVectors()
{
    // A store fills the vectors in its own order and calls index(): racks sorted by GPU index.
    Campus c;
    c.name = small_.name;
    c.assets = small_.assets;
    c.feeds = small_.feeds;
    std::reverse(c.feeds.begin(), c.feeds.end());
    c.index();
    QCOMPARE(c.gpuCount(), std::int64_t(472));
    QCOMPARE(c.racks(), small_.racks());
    for (std::int64_t g = 0; g < c.gpuCount(); ++g) QCOMPARE(c.rackOfGpu(g), small_.rackOfGpu(g));
    QCOMPARE(c.sourcesOf(c.racks().back()), small_.sourcesOf(small_.racks().back()));

    // Racks listed out of GPU order (parents still first) are indexed in GPU order.
    Campus m;
    const Asset row = small_.assets[need(small_, "testsite/hall1/row01")];
    m.assets.push_back(small_.assets[need(small_, "testsite")]);
    m.assets.push_back(row);
    m.assets.back().parent = 0;
    m.assets.push_back(small_.assets[need(small_, "testsite/hall1/row01/rack02")]);
    m.assets.push_back(small_.assets[need(small_, "testsite/hall1/row01/rack01")]);
    m.assets[2].parent = m.assets[3].parent = 1;
    m.index();
    QCOMPARE(m.racks(), (std::vector<AssetIndex>{3, 2}));
    QCOMPARE(m.rackOfGpu(70), AssetIndex(2));
    QCOMPARE(m.gpuId(5), std::string("testsite/hall1/row01/rack01/gpu05"));
    QCOMPARE(m.children(1).size(), std::size_t(2));

    // Copies stay valid once the original is gone.
    auto* original = new Campus(loadCampusFile(kSmall));
    const Campus copy = *original;
    delete original;
    QCOMPARE(copy.find("testsite/hall2/row01/rack03"), need(small_, "testsite/hall2/row01/rack03"));
    QCOMPARE(copy.findGpu("testsite/hall2/row01/rack03/gpu71"), std::optional<std::int64_t>(471));
}

void TestCampus::rotatedBuilding()
{
    // yaw_deg turns the building and everything in it about the building's centre.
    const Campus flat = parseCampus(kMini, "mini.json");
    const Campus turned = parseCampus(replaced(kMini, R"("at": [0, 0],)", R"("at": [0, 0], "yaw_deg": 90,)"), "mini.json");
    QCOMPARE(turned.assets.size(), flat.assets.size());
    const Box& b = flat.assets[need(flat, "s/b")].box;
    for (AssetIndex r : flat.racks()) {
        const Box& f = flat.assets[r].box;
        const Box& t = turned.assets[r].box;
        QCOMPARE(t.yawDeg, 90.0);
        // (u, v) -> (-v, u) about the building centre.
        QVERIFY(qAbs((t.cx - b.cx) + (f.cy - b.cy)) < 1e-9);
        QVERIFY(qAbs((t.cy - b.cy) - (f.cx - b.cx)) < 1e-9);
        QCOMPARE(t.sx, f.sx);
    }
    QCOMPARE(turned.assets[need(turned, "s/b")].box.yawDeg, 90.0);
}

void TestCampus::badInput_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");

    QTest::newRow("negative rating") << R"("mw": 5,)" << R"("mw": -5,)"
                                     << "mini.json: sites[0].grid_ties[0].mw: must be positive, got -5";
    QTest::newRow("zero count") << R"("count": 2, "racks": 3)" << R"("count": 0, "racks": 3)"
                                << "mini.json: sites[0].buildings[0].halls[0].rows.count: must be positive, got 0";
    QTest::newRow("unknown rack type")
        << R"("rack_type": "r8")" << R"("rack_type": "foo")"
        << "mini.json: sites[0].buildings[0].halls[0].rows.rack_type: unknown rack type 'foo'";
    QTest::newRow("unknown gpu model") << R"("gpu_model": "G")" << R"("gpu_model": "X")"
                                       << "mini.json: rack_types[0].gpu_model: unknown gpu model 'X'";
    QTest::newRow("unknown unit model") << R"("model": "T")" << R"("model": "Q")"
                                        << "mini.json: sites[0].turbines[0].model: unknown unit model 'Q'";
    QTest::newRow("unknown bus") << R"("bus": "mv", "at": [-60, 0])" << R"("bus": "nope", "at": [-60, 0])"
                                 << "mini.json: sites[0].grid_ties[0].bus: unknown bus 'nope'";
    QTest::newRow("unknown site in bus") << R"("buses": "mv")" << R"("buses": "elsewhere/mv")"
                                         << "mini.json: sites[0].buildings[0].halls[0].feeders.buses: unknown site "
                                            "'elsewhere' in bus reference 'elsewhere/mv'";
    QTest::newRow("duplicate id") << R"("grid_ties": [{"id": "grid")" << R"("grid_ties": [{"id": "gt02")"
                                  << "mini.json: sites[0].turbines[0]: duplicate id 's/gt02' (first defined at "
                                     "sites[0].grid_ties[0])";
    QTest::newRow("duplicate building")
        << R"("buildings": [{"id": "b", )"
        << R"("buildings": [{"id": "b", "at": [0, 50], "footprint": {"size_m": [40, 20]}, "halls": []}, {"id": "b", )"
        << "mini.json: sites[0].buildings[1]: duplicate id 's/b' (first defined at sites[0].buildings[0])";
    QTest::newRow("missing field") << R"("timezone": "UTC",)" << ""
                                   << "mini.json: timezone: missing required field";
    QTest::newRow("missing nested field") << R"("mw": 5, )" << ""
                                          << "mini.json: sites[0].grid_ties[0].mw: missing required field";
    QTest::newRow("wrong type") << R"("lat": 10)" << R"("lat": "north")"
                                << "mini.json: sites[0].anchor.lat: expected a number, got \"north\"";
    QTest::newRow("not an integer") << R"("count": 2, "racks": 3)" << R"("count": 2.5, "racks": 3)"
                                    << "mini.json: sites[0].buildings[0].halls[0].rows.count: expected an integer, "
                                       "got 2.5";
    QTest::newRow("not an object") << R"("anchor": {"lat": 10, "lon": 20})" << R"("anchor": [10, 20])"
                                   << "mini.json: sites[0].anchor: expected an object, got an array";
    QTest::newRow("unknown field") << R"("timezone": "UTC",)" << R"("timezone": "UTC", "colour": "red",)"
                                   << "mini.json: colour: unknown field";
    QTest::newRow("wrong format") << R"("format": "colossus-twin-campus")" << R"("format": "other")"
                                  << "mini.json: format: expected \"colossus-twin-campus\", got \"other\"";
    QTest::newRow("wrong version") << R"("version": 1)" << R"("version": 3)"
                                   << "mini.json: version: unsupported version 3 (this build reads versions 1 to 2)";
    QTest::newRow("dates in version 1")
        << R"("id": "grid", "mw": 5,)" << R"("id": "grid", "commissioned": "2026-01-17", "mw": 5,)"
        << "mini.json: sites[0].grid_ties[0].commissioned: commissioning dates need version 2 of the format (the file "
           "says version 1)";
    QTest::newRow("bad id") << R"("id": "gt")" << R"("id": "Gas Turbines")"
                            << "mini.json: sites[0].turbines[0].id: invalid id 'Gas Turbines' (use lowercase "
                               "letters, digits, '-' and '_')";
    QTest::newRow("rows do not fit")
        << R"("racks": 3)" << R"("racks": 300)"
        << "mini.json: sites[0].buildings[0].halls[0].rows: 2 rows of 300 racks in 1 columns need 180 m x 4.2 m, "
           "but hall s/hall1 is 38.4 m x 19.2 m";
    QTest::newRow("unknown feeder bus") << R"("buses": "mv")" << R"("buses": "hv")"
                               << "mini.json: sites[0].buildings[0].halls[0].feeders.buses: unknown bus 'hv'";
    QTest::newRow("idle above rated") << R"("idle_kw": 3)" << R"("idle_kw": 30)"
                                      << "mini.json: rack_types[0].idle_kw: must not exceed rated_kw (30 > 10)";
    QTest::newRow("storage as turbine")
        << R"("type": "turbine", "mw": 10, "ramp_pct_per_min": 20, "min_load_pct": 40,)"
        << R"("type": "storage", "mwh": 4, "mw": 10, "ramp_pct_per_min": 20, "min_load_pct": 40,)"
        << "mini.json: sites[0].turbines[0].model: unit model 'T' is a storage model, not a turbine";
}

void TestCampus::badInput()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    // The unchanged snippet loads.
    QCOMPARE(errorOf(kMini), QStringLiteral("(no error)"));
    QCOMPARE(errorOf(replaced(kMini, from.toStdString(), to.toStdString())), message);
}

// Bad commissioning dates (docs/campus.md, "Build-out"), in a version 2 file: one clear error
// naming the file and the field.
void TestCampus::badDates_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad date") << R"("id": "grid", "mw": 5,)" << R"("id": "grid", "commissioned": "2026-13-01", "mw": 5,)"
                              << "mini.json: sites[0].grid_ties[0].commissioned: expected an ISO-8601 UTC date "
                                 "(\"2026-01-17\") or date-time (\"2026-01-17T08:00:00Z\"), got \"2026-13-01\"";
    QTest::newRow("date-time without zone")
        << R"("id": "b", "at")" << R"("id": "b", "commissioned": "2026-01-17T08:00", "at")"
        << "mini.json: sites[0].buildings[0].commissioned: expected an ISO-8601 UTC date (\"2026-01-17\") or "
           "date-time (\"2026-01-17T08:00:00Z\"), got \"2026-01-17T08:00\"";
    QTest::newRow("date as a number")
        << R"("count": 2, "bus")" << R"("count": 2, "commissioned": 20260117, "bus")"
        << "mini.json: sites[0].turbines[0].commissioned: expected a date (\"2026-01-17\", \"2026-01-17T08:00:00Z\") "
           "or a non-empty array of {\"count\", \"date\"} stages, got 20260117";
    QTest::newRow("stages short")
        << R"("count": 2, "bus")" << R"("count": 2, "commissioned": [{"count": 1, "date": "2026-01-17"}], "bus")"
        << "mini.json: sites[0].turbines[0].commissioned: the stages' counts add up to 1, but the entry has 2 turbines";
    QTest::newRow("stage date bad")
        << R"("count": 2, "bus")"
        << R"("count": 2, "commissioned": [{"count": 2, "date": "2026-02-30"}], "bus")"
        << "mini.json: sites[0].turbines[0].commissioned[0].date: expected an ISO-8601 UTC date (\"2026-01-17\") or "
           "date-time (\"2026-01-17T08:00:00Z\"), got \"2026-02-30\"";
    QTest::newRow("stage unknown field")
        << R"("count": 2, "bus")" << R"("count": 2, "commissioned": [{"count": 2, "when": "2026-01-17"}], "bus")"
        << "mini.json: sites[0].turbines[0].commissioned[0].when: unknown field";
}

void TestCampus::badDates()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    const std::string v2 = replaced(kMini, R"("version": 1)", R"("version": 2)");
    QCOMPARE(errorOf(v2), QStringLiteral("(no error)"));
    QCOMPARE(errorOf(replaced(v2, from.toStdString(), to.toStdString())), message);
}

void TestCampus::syntaxErrors()
{
    const Campus mini = parseCampus(kMini, "mini.json");
    QCOMPARE(mini.gpuCount(), std::int64_t(48));

    // A stray ']' on line 5: `  "timezone": ],` -> column 15.
    const QString msg = errorOf(replaced(kMini, R"("timezone": "UTC",)", R"("timezone": ],)"), "data/x.json");
    QVERIFY2(msg.startsWith("data/x.json: line 5, column 15: syntax error: unexpected ']'"), qPrintable(msg));

    // Missing comma after line 4: the next key is reported where it ends (line 5, `"timezone"`).
    const QString comma = errorOf(replaced(kMini, R"("name": "Mini",)", R"("name": "Mini")"));
    QVERIFY2(comma.startsWith("mini.json: line 5, column 12: syntax error: "), qPrintable(comma));

    // Truncated input and empty input.
    const QString cut = errorOf(kMini.substr(0, kMini.find("\"version\"")));
    QVERIFY2(cut.startsWith("mini.json: line 3, column 3: syntax error: unexpected end of input"), qPrintable(cut));
    QVERIFY2(errorOf("").startsWith("mini.json: line 1, column 1: syntax error"), qPrintable(errorOf("")));

    // Columns count characters, not bytes.
    const QString utf8 = errorOf("{\"n\xC3\xA4me\": ]}");
    QVERIFY2(utf8.startsWith("mini.json: line 1, column 10: syntax error"), qPrintable(utf8));

    // Not an object at all.
    QCOMPARE(errorOf("[1, 2]"), QStringLiteral("mini.json: expected an object, got an array"));
}

void TestCampus::unsupplied()
{
    // A hall fed from a bus that no source reaches.
    std::string text = replaced(kMini, R"("buses": [{"id": "mv", "kv": 13.8}])",
                                R"("buses": [{"id": "mv", "kv": 13.8}, {"id": "iso", "kv": 13.8}])");
    text = replaced(text, R"("buses": "mv")", R"("buses": "iso")");
    QCOMPARE(errorOf(text), QStringLiteral("mini.json: sites[0].buildings[0].halls[0].rows: rack "
                                           "'s/hall1/row01/rack01' cannot be supplied by any source (check its "
                                           "hall's feeders and buses)"));
}

void TestCampus::missingFile()
{
    const std::string path = kDataDir + "/sites/does-not-exist.json";
    try {
        (void)loadCampusFile(path);
        QFAIL("no error for a missing file");
    } catch (const Error& e) {
        QCOMPARE(e.file(), path);
        QCOMPARE(QString::fromStdString(e.what()),
                 QString::fromStdString(path + ": cannot open file: No such file or directory"));
    }
    try {
        (void)loadCampusFile(kDataDir);
        QFAIL("no error for a directory");
    } catch (const Error& e) {
        QVERIFY(std::string(e.what()).find("cannot open file") != std::string::npos);
    }
}

// ISO-8601 UTC as the campus file and --start take it (values from Python's datetime).
void TestCampus::utcTimes()
{
    QCOMPARE(parseUtcTime("2026-01-17"), std::optional<TimeMs>(1768608000000));
    QCOMPARE(parseUtcTime("2026-01-17T00:00Z"), std::optional<TimeMs>(1768608000000));
    QCOMPARE(parseUtcTime("2026-01-17T08:30:00.250Z"), std::optional<TimeMs>(1768638600250));
    QCOMPARE(parseUtcTime("2026-01-17T08:30:00-06:00"), std::optional<TimeMs>(1768660200000));
    QCOMPARE(parseUtcTime("2024-02-29"), std::optional<TimeMs>(1709164800000));   // a leap day
    QCOMPARE(parseUtcTime("2026-01-17 08:30:00.250z"), std::optional<TimeMs>(1768638600250));   // RFC 3339's variants
    for (const char* bad : {"", "2026-1-17", "2026-01-17T08:30", "2026-01-17_08:30Z", "2025-02-29", "2026-01-32",
                            "2026-01-17T24:00Z", "2026-01-17Z", "2026-01-17T08:30:00.Z", "2026-01-17T08:30Zjunk"})
        QVERIFY2(!parseUtcTime(bad), bad);
    QCOMPARE(formatUtcDate(1768608000000), std::string("2026-01-17"));
    QCOMPARE(formatUtcDate(1768638600250), std::string("2026-01-17T08:30:00.250Z"));
}

// Dates on the parametric entries expand onto every asset they make; nothing is in service before
// what contains it; old files (no dates) have always been there.
void TestCampus::commissioning()
{
    for (const Asset& a : small_.assets) QCOMPARE(a.commissionedMs, kAlwaysCommissioned);
    QVERIFY(small_.commissioningDates().empty());
    QVERIFY(small_.commissionedAt(0, std::numeric_limits<TimeMs>::min()));

    const TimeMs jan17 = 1768608000000, mar1 = 1772323200000, apr1 = 1775001600000;   // 2026, UTC
    std::string text = replaced(kMini, R"("version": 1)", R"("version": 2)");
    text = replaced(text, R"("id": "b", "at")", R"("id": "b", "commissioned": "2026-01-17", "at")");
    text = replaced(text, R"("rows": {"count": 2, "racks": 3, "rack_type": "r8"})",
                    R"("rows": {"count": 2, "racks": 3, "rack_type": "r8",
                                "commissioned": [{"count": 1, "date": "2025-06-01"}, {"count": 1, "date": "2026-03-01"}]})");
    text = replaced(text, R"("count": 2, "bus")",
                    R"("count": 2, "commissioned": [{"count": 1, "date": "2026-01-17T00:00:00Z"}, {"count": 1, "date": "2026-04-01"}], "bus")");
    const Campus c = parseCampus(text, "mini.json");
    auto at = [&](const char* id) { return c.assets[need(c, id)].commissionedMs; };
    QCOMPARE(at("s"), kAlwaysCommissioned);
    QCOMPARE(at("s/b"), jan17);
    QCOMPARE(at("s/hall1"), jan17);                  // inherits its building's
    QCOMPARE(at("s/hall1/row01"), jan17);            // its own 2025 date is before its building's
    QCOMPARE(at("s/hall1/row01/rack03"), jan17);
    QCOMPARE(at("s/hall1/row02"), mar1);             // later than its hall: its own
    QCOMPARE(at("s/hall1/row02/rack01"), mar1);
    QCOMPARE(at("s/sub/hall1-f1"), jan17);           // a feeder comes with what it feeds
    QCOMPARE(at("s/gt01"), jan17);
    QCOMPARE(at("s/gt02"), apr1);
    QCOMPARE(at("s/grid"), kAlwaysCommissioned);
    QCOMPARE(c.commissioningDates(), (std::vector<TimeMs>{jan17, mar1, apr1}));
    QVERIFY(!c.commissionedAt(need(c, "s/hall1/row01/rack01"), jan17 - 1));
    QVERIFY(c.commissionedAt(need(c, "s/hall1/row01/rack01"), jan17));
    QVERIFY(!c.commissionedAt(need(c, "s/hall1/row02/rack01"), jan17));
}

// The public timeline of the default campus (docs/campus.md, 3.6): rated IT in service at each
// date, summed over commissioned racks; exact sums of the file's figures (tolerance 1e-6 MW).
void TestCampus::colossusBuildOut()
{
    const Campus& c = colossus_;
    auto ratedAt = [&](const std::string& date, AssetIndex site = kNoAsset) {
        const TimeMs t = *parseUtcTime(date);
        double mw = 0;
        for (AssetIndex r : c.racks())
            if (c.commissionedAt(r, t) && (site == kNoAsset || c.assets[r].site == site)) mw += c.assets[r].ratingMw;
        return mw;
    };
    auto unitsAt = [&](const std::string& date, AssetKind kind, AssetIndex site) {
        const TimeMs t = *parseUtcTime(date);
        int n = 0;
        for (std::size_t a = 0; a < c.assets.size(); ++a)
            n += c.assets[a].kind == kind && c.assets[a].site == site && c.assets[a].commissionedAt(t);
        return n;
    };
    const AssetIndex c1 = need(c, "colossus1"), c2 = need(c, "colossus2"), sh = need(c, "southaven");
    QCOMPARE(ratedAt("2024-08-31T23:59:59Z"), 0.0);
    QVERIFY(std::abs(ratedAt("2024-09-01") - 4 * 392 * 0.080) < 1e-6);                  // 100k H100: 125.44 MW
    QVERIFY(std::abs(ratedAt("2025-02-01") - 8 * 392 * 0.080) < 1e-6);                  // 200k H100/H200
    QVERIFY(std::abs(ratedAt("2025-07-01", c1) - 301.28) < 1e-6);                        // with the GB200 hall
    QVERIFY(std::abs(ratedAt("2026-01-16", c2) - 6 * 480 * 0.120) < 1e-6);              // GB200 halls only
    QVERIFY(std::abs(ratedAt("2026-01-17", c2) - 993.6) < 1e-6);                         // "1 GW" in January
    QVERIFY(std::abs(ratedAt("2026-04-01") - (301.28 + 993.6 + 3 * 500 * 0.135)) < 1e-6);   // "1.5 GW" by April
    QVERIFY(std::abs(ratedAt("2026-06-01") - 1699.88) < 1e-6);                           // the third building: all
    QCOMPARE(unitsAt("2025-09-01", AssetKind::Turbine, sh), 7 + 18);
    QCOMPARE(unitsAt("2026-01-17", AssetKind::Turbine, sh), 7 + 27);
    QCOMPARE(unitsAt("2026-03-10", AssetKind::Turbine, sh), 41 + 27);
    QCOMPARE(unitsAt("2025-01-31", AssetKind::MegapackBlock, c1), 0);
    QCOMPARE(unitsAt("2025-02-01", AssetKind::MegapackBlock, c1), 42);
    // The simulator's default start (2026-07-15T16:00Z) sees the whole campus.
    for (const Asset& a : c.assets) QVERIFY2(a.commissionedAt(1'784'131'200'000), a.id.c_str());
}

QTEST_APPLESS_MAIN(TestCampus)
#include "test_campus.moc"
