// views/electrical's one-line diagram (no OpenGL: offscreen): generated from the campus's electrical graph (every electrical asset has
// its own item, for two different campus files), its labels show the store's values, its flows
// follow the sign of the power (a charging Megapack's edge runs into it), a click selects, and a
// selected rack lights up exactly its supply path. Against the shared recordings trip-60 and
// islanded-120.
#include "common/time_format.h"
#include "electrical/one_line_diagram.h"
#include "electrical/one_line_layout.h"

#include "support/data_files.h"
#include "support/pixels.h"
#include "support/quality_store.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

using namespace twin;
using namespace testsupport;

namespace {

Campus loadSite(const char* file) { return loadCampusFile(siteFile(file)); }

// What the diagram must hold, computed from the campus alone: every asset with a supplier or a
// supplied asset, rows and racks excepted.
std::vector<AssetIndex> electricalAssets(const Campus& c) {
    std::vector<AssetIndex> out;
    for (AssetIndex a = 0; a < static_cast<AssetIndex>(c.assets.size()); ++a) {
        const AssetKind k = c.assets[a].kind;
        if (k == AssetKind::Row || k == AssetKind::Rack) continue;
        if (!c.suppliers(a).empty() || !c.supplied(a).empty()) out.push_back(a);
    }
    return out;
}

// Everything met walking Campus::suppliers upward from `a`, as the diagram shows it.
std::vector<AssetIndex> supplyWalk(const Campus& c, AssetIndex a) {
    std::set<AssetIndex> seen{a};
    std::deque<AssetIndex> queue{a};
    while (!queue.empty()) {
        const AssetIndex x = queue.front();
        queue.pop_front();
        for (AssetIndex s : c.suppliers(x))
            if (seen.insert(s).second) queue.push_back(s);
    }
    std::vector<AssetIndex> out;
    for (AssetIndex x : seen)
        if (c.assets[x].kind != AssetKind::Row && c.assets[x].kind != AssetKind::Rack) out.push_back(x);
    return out;
}

// The value of one quantity of one asset of a list series at t, read straight from the store.
double stored(StoreReader& r, const std::string& series, const std::string& quantity, AssetIndex asset, TimeMs t) {
    const int id = r.findSeries(series);
    const SeriesInfo& info = *std::find_if(r.series().begin(), r.series().end(), [&](const SeriesInfo& s) { return s.id == id; });
    std::size_t q = 0;
    while (info.spec.quantities[q].name != quantity) ++q;
    const auto pos = std::find(info.assets.begin(), info.assets.end(), asset) - info.assets.begin();
    return r.seriesAt(id, t).values[q][static_cast<std::size_t>(pos)];
}

} // namespace

class TestElectricalOneLine : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string trip_, steady_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        trip_ = sharedRecording(recordings::kTrip60);
        // No grid import: the Megapack block discharges to carry the load and charges when
        // the turbines have room (both signs occur in two minutes).
        steady_ = sharedRecording(recordings::kIslanded120);
    }

    // --- generated from the campus ------------------------------------------------------

    void everyElectricalAssetHasAnItem_data() { addCampusFileRows("file"); }

    void everyElectricalAssetHasAnItem() {
        QFETCH(QString, file);
        const Campus campus = loadSite(file.toUtf8().constData());
        // A store holding only the campus: the diagram needs no telemetry.
        const std::string path = dir_.filePath(file + ".twin").toStdString();
        {
            WriterOptions o;
            o.overwrite = true;
            StoreWriter::create(path, campus, o)->close();
        }
        Session session;
        session.open(path);
        views::OneLineDiagram diagram(session);
        const std::vector<AssetIndex> expected = electricalAssets(campus);
        QVERIFY(!expected.empty());
        QCOMPARE(diagram.itemCount(), static_cast<int>(expected.size()));
        for (AssetIndex a : expected) {
            QVERIFY2(diagram.hasItem(a), campus.assets[a].id.c_str());
            QVERIFY(!diagram.itemRect(a).isEmpty());
            // Labelled by the last part of its name ("Transformer 2", "Bus mv"; a feeder: "Hall 2 ·
            // F1 · 3.2 MW"), or by the end of its id ("mp07", "sub63/tx01") where names repeat.
            const QString last = QString::fromStdString(campus.assets[a].name).split(" · ").back();
            const QString label = diagram.labelText(a);
            QString name = label.section('\n', 0, 0);
            if (campus.assets[a].kind == AssetKind::Feeder) name = name.left(name.lastIndexOf(" · "));
            const bool byName = campus.assets[a].kind == AssetKind::Feeder ? name.endsWith(" · F" + last.section(' ', -1)) : name == last;
            const QString id = QString::fromStdString(campus.assets[a].id);
            QVERIFY2(byName || id == name || id.endsWith("/" + name), qPrintable(label));
        }
        QVERIFY(!diagram.hasItem(campus.racks().front()));
        QVERIFY(!diagram.hasItem(campus.assetsOfKind(AssetKind::Row).front()));

        // The layout alone: a pure function of the campus (same result twice), power flowing
        // left to right, no two symbols on top of each other, one lane per electrical island.
        const views::OneLineLayout layout = views::layoutOneLine(campus);
        const views::OneLineLayout again = views::layoutOneLine(campus);
        QCOMPARE(layout.nodes.size(), expected.size());
        for (std::size_t i = 0; i < layout.nodes.size(); ++i) QCOMPARE(layout.nodes[i].symbol, again.nodes[i].symbol);
        int edges = 0;
        for (const Feed& f : campus.feeds) {
            const views::OneLineNode* from = layout.node(f.from);
            const views::OneLineNode* to = layout.node(f.to);
            if (!from || !to) continue;
            ++edges;
            QVERIFY2(from->column < to->column, (campus.assets[f.from].id + " -> " + campus.assets[f.to].id).c_str());
            QCOMPARE(from->lane, to->lane);
        }
        QCOMPARE(static_cast<int>(layout.edges.size()), edges);
        for (std::size_t i = 0; i < layout.nodes.size(); ++i)
            for (std::size_t j = i + 1; j < layout.nodes.size(); ++j)
                QVERIFY2(!layout.nodes[i].symbol.intersects(layout.nodes[j].symbol),
                         (campus.assets[layout.nodes[i].asset].id + " overlaps " + campus.assets[layout.nodes[j].asset].id).c_str());
        if (file == "colossus.json") {
            QCOMPARE(layout.lanes.size(), std::size_t(2));   // Colossus 1; Southaven with Colossus 2
            QVERIFY(!layout.grids.empty());                    // the many Megapack blocks and turbines
        } else {
            QCOMPARE(layout.lanes.size(), std::size_t(1));
        }
    }

    // --- live values ----------------------------------------------------------------------

    void labelsShowTheStoresValues() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        const Campus& campus = session.campus();
        const AssetIndex turbine = campus.find("testsite/gtl1") != kNoAsset ? campus.find("testsite/gtl1")
                                                                            : campus.assetsOfKind(AssetKind::Turbine).back();
        const AssetIndex bess = campus.assetsOfKind(AssetKind::MegapackBlock).front();
        const AssetIndex bus = campus.assetsOfKind(AssetKind::Bus).back();   // mv
        const AssetIndex tx = campus.assetsOfKind(AssetKind::Transformer).front();
        const TimeSpan span = session.clock().span();
        StoreReader& r = session.reader();
        std::set<QString> seen;
        for (TimeMs t : {span.first + 10'000, span.first + 45'000}) {   // before and after the trip (20 s)
            session.clock().seek(t);
            const QString turbineLabel = diagram.labelText(turbine);
            QVERIFY2(turbineLabel.contains(views::formatValue(stored(r, "source", "power", turbine, t)) + " MW"), qPrintable(turbineLabel));
            QVERIFY2(diagram.labelText(bess).contains(views::formatValue(stored(r, "source", "power", bess, t)) + " MW"),
                     qPrintable(diagram.labelText(bess)));
            QVERIFY(diagram.labelText(bess).contains("SoC " + views::formatValue(stored(r, "megapack", "soc", bess, t)) + " %"));
            const QString busLabel = diagram.labelText(bus);
            QVERIFY2(busLabel.contains(views::formatValue(stored(r, "bus", "frequency", bus, t)) + " Hz"), qPrintable(busLabel));
            QVERIFY(busLabel.contains(views::formatValue(campus.assets[bus].voltageKv) + " kV"));
            QVERIFY(diagram.labelText(tx).contains(views::formatValue(stored(r, "flow", "power", tx, t)) + " MW"));
            seen.insert(turbineLabel);
        }
        QCOMPARE(seen.size(), std::size_t(2));
  // the values did change between the two times

        // The tripped unit says so, and its breaker is open (no flow on its edge).
        const std::vector<Event> events = r.events(span.first, span.last);
        const auto trip = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY(trip != events.end());
        const AssetIndex tripped = campus.find(trip->asset);
        session.clock().seek(trip->start + 5'000);
        QCOMPARE(stored(r, "source", "state", tripped, session.clock().time()), 4.0);
        QVERIFY2(diagram.labelText(tripped).endsWith("tripped"), qPrintable(diagram.labelText(tripped)));
        QCOMPARE(diagram.flowDirection(tripped, campus.supplied(tripped).front()), 0);
        session.clock().seek(trip->start - 5'000);
        QVERIFY(diagram.labelText(tripped).endsWith("running"));
        QCOMPARE(diagram.flowDirection(tripped, campus.supplied(tripped).front()), 1);
    }

    void staleAndMissingValuesAreSaidAndDrawnSo() {
        using twin::query::DataQuality;
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality.twin").toStdString());
        Session session;
        session.open(rec.path);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 1100, 750);
        session.clock().seek(session.clock().span().first + 5'000);
        const Campus& campus = session.campus();
        QCOMPARE(diagram.quality(rec.staleTurbine), DataQuality::Stale);
        QCOMPARE(diagram.quality(rec.goodTurbine), DataQuality::Good);
        QCOMPARE(diagram.quality(rec.missingBlock), DataQuality::Missing);
        QCOMPARE(diagram.quality(rec.staleBus), DataQuality::Stale);
        // No flow_quality in the store: the transformers' values are taken as they are.
        QCOMPARE(diagram.quality(campus.assetsOfKind(AssetKind::Transformer).front()), DataQuality::Good);
        QVERIFY2(diagram.labelText(rec.staleTurbine).endsWith(" · stale"), qPrintable(diagram.labelText(rec.staleTurbine)));
        QVERIFY2(diagram.labelText(rec.missingBlock).endsWith(" · missing"), qPrintable(diagram.labelText(rec.missingBlock)));
        QVERIFY(diagram.labelText(rec.staleBus).endsWith(" · stale"));
        QVERIFY(!diagram.labelText(rec.goodTurbine).contains("stale"));
        // Drawn: the stale turbine's symbol in lilac, the good one's in greys (ISA-101: running is
        // normal, so not green either).
        diagram.viewport()->repaint();
        const QImage img = diagram.viewport()->grab().toImage();
        if (qEnvironmentVariableIsSet("TWIN_TEST_SAVE")) img.save(qEnvironmentVariable("TWIN_TEST_SAVE"));
        auto lilac = [](QColor c) { return c.blue() - c.green() > 25 && c.red() - c.green() > 5; };
        auto green = [](QColor c) { return c.green() - c.red() > 40 && c.green() - c.blue() > 40; };
        auto symbolAt = [&](AssetIndex a) { return diagram.mapFromScene(diagram.symbolRect(a)).boundingRect(); };
        const int staleLilac = countPixels(img, symbolAt(rec.staleTurbine), 1, lilac);
        const int goodLilac = countPixels(img, symbolAt(rec.goodTurbine), 1, lilac);
        const int goodGreen = countPixels(img, symbolAt(rec.goodTurbine), 1, green);
        qInfo("lilac pixels: stale turbine %d, good turbine %d; green pixels of the good turbine %d", staleLilac, goodLilac, goodGreen);
        QVERIFY(staleLilac > 60);
        QCOMPARE(goodLilac, 0);
        QCOMPARE(goodGreen, 0);
    }

    void megapackFlowFollowsTheSign() {
        Session session;
        session.open(steady_);
        views::OneLineDiagram diagram(session);
        const Campus& campus = session.campus();
        const AssetIndex bess = campus.assetsOfKind(AssetKind::MegapackBlock).front();
        const AssetIndex bus = campus.supplied(bess).front();
        StoreReader& r = session.reader();
        const TimeSpan span = session.clock().span();
        std::optional<TimeMs> discharging, charging;
        for (TimeMs t = span.first; t <= span.last; t += 500) {
            const double p = stored(r, "source", "power", bess, t);
            if (p > 0.001 && !discharging) discharging = t;
            if (p < -0.001 && !charging) charging = t;
        }
        QVERIFY2(discharging && charging, "the block both charges and discharges");
        session.clock().seek(*discharging);
        const int out = diagram.flowDirection(bess, bus);
        QVERIFY(diagram.flowMw(bess, bus) > 0);
        session.clock().seek(*charging);
        const int in = diagram.flowDirection(bess, bus);
        QVERIFY(diagram.flowMw(bess, bus) < 0);
        QCOMPARE(out, 1);    // out of the block, into the bus
        QCOMPARE(in, -1);    // from the bus into the block
        QVERIFY(out != in);
    }

    // --- interaction ----------------------------------------------------------------------

    void clickSelects() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 1100, 750);
        const Campus& campus = session.campus();
        for (AssetKind k : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie, AssetKind::Bus,
                            AssetKind::Transformer, AssetKind::Feeder, AssetKind::Hall, AssetKind::CoolingPlant}) {
            for (AssetIndex a : campus.assetsOfKind(k)) {
                const QPoint p = diagram.viewPointOf(a);
                QVERIFY(diagram.viewport()->rect().contains(p));
                QTest::mouseClick(diagram.viewport(), Qt::LeftButton, {}, p);
                QCOMPARE(session.selection().asset, a);
            }
        }
        // A drag pans and selects nothing.
        session.select({});
        const QPoint from = diagram.viewPointOf(campus.assetsOfKind(AssetKind::Hall).front());
        QTest::mousePress(diagram.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(diagram.viewport(), from + QPoint(40, 30));
        QTest::mouseRelease(diagram.viewport(), Qt::LeftButton, {}, from + QPoint(40, 30));
        QVERIFY(session.selection().empty());
    }

    void selectedRackLightsItsSupplyPath() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        const Campus& campus = session.campus();
        QVERIFY(diagram.highlightedAssets().empty());
        for (AssetIndex rack : {campus.racks().front(), campus.racks().back()}) {
            Selection s;
            s.asset = rack;
            session.select(s);
            const std::vector<AssetIndex> expected = supplyWalk(campus, rack);
            QVERIFY(expected.size() > 5);   // hall, feeders, buses, transformer, sources
            QCOMPARE(diagram.highlightedAssets(), expected);
            int edges = 0;
            for (const Feed& f : campus.feeds)
                if (std::binary_search(expected.begin(), expected.end(), f.from) && std::binary_search(expected.begin(), expected.end(), f.to))
                    ++edges;
            QCOMPARE(diagram.highlightedEdges(), edges);
            // Every source that can supply the rack is lit.
            for (AssetIndex src : campus.sourcesOf(rack)) QVERIFY(std::binary_search(expected.begin(), expected.end(), src));
        }
        // A GPU lights its rack's path; nothing selected, nothing lit.
        Selection g;
        g.gpu = 3;
        session.select(g);
        QCOMPARE(diagram.highlightedAssets(), supplyWalk(campus, campus.rackOfGpu(3)));
        session.select({});
        QVERIFY(diagram.highlightedAssets().empty());
        QCOMPARE(diagram.highlightedEdges(), 0);
    }
};

QTEST_MAIN(TestElectricalOneLine)
#include "test_electrical_one_line.moc"
