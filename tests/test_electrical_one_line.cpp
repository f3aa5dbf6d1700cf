// views/electrical's one-line diagram (no OpenGL: offscreen): generated from the campus's electrical graph (every electrical asset has
// its own item, for two different campus files), its labels show the store's values, its flows
// follow the sign of the power (a charging Megapack's edge runs into it), a click selects, and a
// selected rack lights up exactly its supply path. Its levels: it opens on a readable overview
// (a block per island, its figures the store's values, greyed by quality, red only for trips and
// alarms), the wheel opens the details where it points and returns, a selection made elsewhere
// is located (L too); the dark palette. Against the shared recordings trip-60 and islanded-120.
#include "common/time_format.h"
#include "electrical/one_line_diagram.h"
#include "electrical/one_line_layout.h"
#include "electrical/one_line_overview.h"
#include "common/hmi_colours.h"

#include "support/data_files.h"
#include "support/pixels.h"
#include "support/quality_store.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <QAction>
#include <QScrollBar>
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

// The scale that fits the whole diagram in the view.
double fitScale(const views::OneLineDiagram& d) {
    const QRectF r = d.layout().bounds;
    return std::min(d.viewport()->width() / r.width(), d.viewport()->height() / r.height()) * 0.98;
}

// A wheel turn of `steps` notches at `pos` of the diagram's viewport.
void wheel(views::OneLineDiagram& d, QPointF pos, int steps) {
    QWheelEvent e(pos, d.viewport()->mapToGlobal(pos), QPoint(), QPoint(0, 120 * steps), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(d.viewport(), &e);
}

// The viewport rectangle an asset's item covers.
QRect onScreen(const views::OneLineDiagram& d, AssetIndex a) { return d.mapFromScene(d.itemRect(a)).boundingRect(); }

// The scene point at the viewport's centre.
QPointF sceneCentre(const views::OneLineDiagram& d) { return d.mapToScene(d.viewport()->rect().center()); }

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
        diagram.showDetail(diagram.layout().bounds.center(), fitScale(diagram));   // the whole details
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

    // --- levels: the overview, the details, locate -----------------------------------------

    // At the size the issue measured (480 x 620) and at a dock's size, the diagram opens on the
    // overview: one block per island, inside the view, its figures at least 16 px high, drawn
    // (text-coloured pixels in every block), the details hidden.
    void overviewIsReadableWhenFitted_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("size");
        for (const char* f : {"small.json", "colossus.json"})
            for (QSize s : {QSize(480, 620), QSize(620, 300), QSize(1100, 750)})
                QTest::addRow("%s %dx%d", f, s.width(), s.height()) << QString(f) << s;
    }

    void overviewIsReadableWhenFitted() {
        QFETCH(QString, file);
        QFETCH(QSize, size);
        std::string path = sharedRecording(recordings::kTrip60);   // the small campus, with data
        if (file == "colossus.json") {   // two islands (Colossus 1; Southaven with Colossus 2), no data
            path = dir_.filePath("overview-colossus.twin").toStdString();
            if (!QFile::exists(QString::fromStdString(path))) {
                WriterOptions o;
                o.overwrite = true;
                StoreWriter::create(path, loadSite("colossus.json"), o)->close();
            }
        }
        Session session;
        session.open(path);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, size.width(), size.height());
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Overview);
        const views::OverviewGeometry g = diagram.overviewGeometry();
        QCOMPARE(g.blocks.size(), diagram.layout().lanes.size());
        QCOMPARE(diagram.islandFigures().size(), diagram.layout().lanes.size());
        qInfo("%d x %d: %zu blocks, figures %.1f px", size.width(), size.height(), g.blocks.size(), g.textPx);
        QVERIFY(g.textPx >= 16);
        for (std::size_t i = 0; i < g.blocks.size(); ++i) {
            QVERIFY(QRectF(diagram.viewport()->rect()).contains(g.blocks[i]));
            for (std::size_t j = 0; j < i; ++j) QVERIFY(!g.blocks[i].intersects(g.blocks[j]));
            QCOMPARE(diagram.islandFigures()[i].title, diagram.layout().lanes[i].title);
        }
        diagram.viewport()->repaint();
        const QImage img = diagram.viewport()->grab().toImage();
        const QColor text = diagram.palette().text;
        for (const QRectF& b : g.blocks) {
            const int ink = countPixels(img, b.toRect(), 1, [&](const QColor& c) { return near(c, text, 40); });
            QVERIFY2(ink > 200, qPrintable(QString::number(ink)));
        }
        // The details' symbols are not drawn: nothing in the lane's background grey outside the
        // blocks, no item under a block's text.
        const AssetIndex bus = session.campus().assetsOfKind(AssetKind::Bus).front();
        QVERIFY(diagram.hasItem(bus));
        QCOMPARE(diagram.itemAt(onScreen(diagram, bus).center()), nullptr);
    }

    // An island's figures are the store's values at the clock (before and after the trip), and
    // the rows drawn say them; a tripped unit makes the block's "Tripped" row and edge alarm red.
    void islandFiguresAreTheStoresValues() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 620, 480);
        const Campus& campus = session.campus();
        StoreReader& r = session.reader();
        const TimeSpan span = session.clock().span();
        const SeriesInfo& island = *std::find_if(r.series().begin(), r.series().end(), [](const SeriesInfo& s) { return s.spec.name == "island"; });
        QCOMPARE(island.spec.assets.size(), std::size_t(1));   // one island: one lane
        const AssetIndex islandBus = campus.find(island.spec.assets.front());
        for (TimeMs t : {span.first + 10'000, span.first + 45'000}) {   // before and after the trip (20 s)
            session.clock().seek(t);
            QCOMPARE(diagram.islandFigures().size(), std::size_t(1));
            const views::IslandFigures& f = diagram.islandFigures().front();
            QVERIFY(f.frequencyHz && f.generationMw && f.loadMw && f.megapackMw && f.megapackSocPct);
            QCOMPARE(*f.frequencyHz, stored(r, "bus", "frequency", islandBus, t));
            QCOMPARE(*f.loadMw, stored(r, "island", "load", islandBus, t));
            QCOMPARE(*f.generationMw, stored(r, "island", "generation", islandBus, t));
            double mp = 0, soc = 0, co2 = 0;
            int blocks = 0, sources = 0, running = 0, tripped = 0;
            for (AssetIndex a = 0; a < static_cast<AssetIndex>(campus.assets.size()); ++a) {
                if (!isSource(campus.assets[a].kind) || !diagram.hasItem(a)) continue;
                if (campus.assets[a].kind == AssetKind::Turbine) co2 += stored(r, "fuel", "co2", a, t);
                const int state = static_cast<int>(stored(r, "source", "state", a, t));
                tripped += state == 4 || state == 5;
                if (campus.assets[a].kind == AssetKind::MegapackBlock) {
                    mp += stored(r, "source", "power", a, t);
                    soc += stored(r, "megapack", "soc", a, t);
                    ++blocks;
                } else {
                    ++sources;
                    running += state == 3;
                }
            }
            QVERIFY(blocks > 0);
            QVERIFY(std::abs(*f.megapackMw - mp) < 1e-6);
            QVERIFY(std::abs(*f.megapackSocPct - soc / blocks) < 1e-6);
            QCOMPARE(f.megapacks, blocks);
            QCOMPARE(f.sources, sources);
            QCOMPARE(f.running, running);
            QCOMPARE(f.tripped, tripped);
            int alarms = 0;
            for (const Event& e : r.events(span.first, span.last))
                alarms += e.severity >= Severity::Alarm && e.start <= t && (!e.end || *e.end > t) && !e.asset.empty();
            QCOMPARE(f.alarms, alarms);
            // What the block says: the store's values, formatted.
            QStringList said;
            for (const views::OverviewRow& row : views::overviewRows(f)) said << row.caption + " " + row.value;
            const QString all = said.join('\n');
            QVERIFY2(all.contains("Frequency " + QString::number(stored(r, "bus", "frequency", islandBus, t), 'f', 2) + " Hz"), qPrintable(all));
            QVERIFY2(all.contains("Load " + QString::number(stored(r, "island", "load", islandBus, t), 'f', 1) + " MW"), qPrintable(all));
            QVERIFY(all.contains(QString("Sources running %1 of %2").arg(running).arg(sources)));
            QVERIFY(co2 > 0 && f.co2TPerH && std::abs(*f.co2TPerH - co2) < 1e-6);   // the turbines' sum
            QVERIFY2(all.contains("CO₂ (turbines) " + QString::number(co2, 'f', 1) + " t/h"), qPrintable(all));
            // Red only with a tripped unit or an alarm (ISA-101).
            diagram.viewport()->repaint();
            const QImage img = diagram.viewport()->grab().toImage();
            const int red = countPixels(img, diagram.overviewGeometry().blocks.front().toRect(), 1,
                                        [](const QColor& c) { return near(c, views::hmi::kAlarm, 40); });
            qInfo("t %+lld s: %d tripped, %d alarms, %d red pixels", static_cast<long long>((t - span.first) / 1000), tripped, alarms, red);
            if (tripped == 0 && alarms == 0) QCOMPARE(red, 0);
            else QVERIFY(red > 100);
        }
        QVERIFY(diagram.islandFigures().front().tripped >= 1);   // after the trip
    }

    // Stale and missing values are greyed in the overview as in the details: each row takes the
    // worst quality of the assets behind it, the same qualities the detail level draws; the title
    // says the worst.
    void overviewGreysStaleAndMissingValues() {
        using twin::query::DataQuality;
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality-overview.twin").toStdString());
        Session session;
        session.open(rec.path);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 620, 480);
        session.clock().seek(session.clock().span().first + 5'000);
        const Campus& campus = session.campus();
        QCOMPARE(diagram.islandFigures().size(), std::size_t(1));
        const views::IslandFigures& f = diagram.islandFigures().front();
        DataQuality sources = DataQuality::Good, megapacks = DataQuality::Good;
        for (AssetIndex a = 0; a < static_cast<AssetIndex>(campus.assets.size()); ++a) {
            if (!isSource(campus.assets[a].kind) || !diagram.hasItem(a)) continue;
            DataQuality& q = campus.assets[a].kind == AssetKind::MegapackBlock ? megapacks : sources;
            q = twin::query::worse(q, diagram.quality(a));
        }
        const StoreReader& r = session.reader();
        const SeriesInfo& island = *std::find_if(r.series().begin(), r.series().end(), [](const SeriesInfo& s) { return s.spec.name == "island"; });
        const AssetIndex islandBus = campus.find(island.spec.assets.front());
        QCOMPARE(sources, DataQuality::Stale);       // the stale turbine
        QCOMPARE(megapacks, DataQuality::Missing);   // the block without a value
        QCOMPARE(f.sourceQuality, sources);
        QCOMPARE(f.megapackQuality, megapacks);
        QCOMPARE(f.frequencyQuality, diagram.quality(islandBus));
        QCOMPARE(f.quality, DataQuality::Missing);
        QVERIFY(views::overviewTitle(f).endsWith(" · missing"));
        for (const views::OverviewRow& row : views::overviewRows(f)) {
            if (row.caption == "Sources running") QCOMPARE(row.quality, DataQuality::Stale);
            if (row.caption == "Megapacks") {   // its only block's value is missing: not shown, as in the details
                QCOMPARE(row.quality, DataQuality::Missing);
                QVERIFY2(row.value.startsWith(QString::fromUtf8("\xE2\x80\x94 MW")), qPrintable(row.value));
            }
            if (row.caption == "Load" || row.caption == "Alarms") QCOMPARE(row.quality, DataQuality::Good);
        }
        // Drawn so: lilac (stale) and the no-data grey in the block, beside normal text.
        diagram.viewport()->repaint();
        const QImage img = diagram.viewport()->grab().toImage();
        const QRect block = diagram.overviewGeometry().blocks.front().toRect();
        const QColor stale = views::hmi::withQuality(diagram.palette().text, DataQuality::Stale);
        const int lilac = countPixels(img, block, 1, [&](const QColor& c) { return near(c, stale, 12); });
        const int grey = countPixels(img, block, 1, [&](const QColor& c) { return near(c, views::hmi::kMissing, 12); });
        const int text = countPixels(img, block, 1, [&](const QColor& c) { return near(c, diagram.palette().text, 12); });
        qInfo("stale %d, missing %d, normal %d pixels", lilac, grey, text);
        if (qEnvironmentVariableIsSet("TWIN_TEST_SAVE_DIR")) img.save(qEnvironmentVariable("TWIN_TEST_SAVE_DIR") + "/oneline-quality.png");
        QVERIFY(lilac > 60);
        QVERIFY(grey > 60);
        QVERIFY(text > 60);
    }

    // The wheel turned forward on the overview opens the details centred where it was turned;
    // turned back, the overview again; a click on a block opens its island; Escape, the overview.
    void zoomSwitchesBetweenOverviewAndDetails() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 900, 600);
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Overview);
        QVERIFY(diagram.items(diagram.viewport()->rect()).isEmpty());
        const QRectF block = diagram.overviewGeometry().blocks.front();
        const QRectF lane = diagram.layout().lanes.front().rect;
        const QPointF at(block.left() + block.width() * 0.25, block.top() + block.height() * 0.75);
        wheel(diagram, at, 1);
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
        QVERIFY(std::abs(diagram.transform().m11() - diagram.detailEntryScale()) < 1e-6);
        QVERIFY(diagram.detailEntryScale() >= 0.5);
        // Centred on the same relative place of the island (as far as the scene's edge allows).
        const QPointF want(lane.left() + lane.width() * 0.25, lane.top() + lane.height() * 0.75);
        const QRectF seen = diagram.mapToScene(diagram.viewport()->rect()).boundingRect();
        QVERIFY2(seen.contains(want), qPrintable(QString("%1,%2").arg(want.x()).arg(want.y())));
        // Zoomed in, the details' items are shown (none while the overview is).
        QVERIFY(diagram.items(diagram.viewport()->rect()).size() > 3);
        wheel(diagram, diagram.viewport()->rect().center(), 2);
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
        QVERIFY(diagram.transform().m11() > diagram.detailEntryScale() * 1.3);
        wheel(diagram, diagram.viewport()->rect().center(), -1);
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
        wheel(diagram, diagram.viewport()->rect().center(), -3);   // below the entry scale
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Overview);
        // A click on the island's block: its details, the lane in view.
        QTest::mouseClick(diagram.viewport(), Qt::LeftButton, {}, diagram.overviewGeometry().blocks.front().center().toPoint());
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
        QVERIFY(diagram.mapToScene(diagram.viewport()->rect()).boundingRect().intersects(lane));
        QVERIFY(diagram.transform().m11() >= diagram.detailEntryScale() - 1e-9);
        QTest::keyClick(&diagram, Qt::Key_Escape);
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Overview);
    }

    // A selection made elsewhere (the session) opens the details with the asset whole in view,
    // near the centre; a rack brings its hall. One made in the diagram leaves the view where it
    // is. L locates the selection again.
    void selectionElsewhereIsLocated() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        showWidget(diagram, 480, 620);
        const Campus& campus = session.campus();
        const QRect view = diagram.viewport()->rect();
        std::vector<AssetIndex> assets;
        for (AssetKind k : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::Transformer, AssetKind::Feeder, AssetKind::Hall})
            assets.push_back(campus.assetsOfKind(k).back());
        for (AssetIndex a : assets) {
            diagram.showOverview();
            Selection s;
            s.asset = a;
            session.select(s);
            QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
            const QRect r = onScreen(diagram, a);
            QVERIFY2(view.contains(r), qPrintable(QString::fromStdString(campus.assets[a].id)));
            QVERIFY((r.center() - view.center()).manhattanLength() < 40);
            QVERIFY(diagram.transform().m11() >= 0.99 || r.height() > view.height() * 0.8);   // labels at their size, or the item fills the view
        }
        // A rack: its hall.
        diagram.showOverview();
        Selection rack;
        rack.asset = campus.racks().back();
        session.select(rack);
        AssetIndex hall = campus.assets[rack.asset].parent;
        while (!diagram.hasItem(hall)) hall = campus.assets[hall].parent;
        QCOMPARE(campus.assets[hall].kind, AssetKind::Hall);
        QVERIFY(view.contains(onScreen(diagram, hall)));
        // Selected in the diagram: the view does not move.
        const AssetIndex other = campus.assetsOfKind(AssetKind::Transformer).front();
        const QPoint p = diagram.viewPointOf(other);
        const QPointF before = sceneCentre(diagram);
        const double scaleBefore = diagram.transform().m11();
        QTest::mouseClick(diagram.viewport(), Qt::LeftButton, {}, p + QPoint(3, 2));
        QCOMPARE(session.selection().asset, other);
        QCOMPARE(sceneCentre(diagram), before);
        QCOMPARE(diagram.transform().m11(), scaleBefore);
        // L: panned away, then located again.
        diagram.horizontalScrollBar()->setValue(diagram.horizontalScrollBar()->maximum());
        diagram.verticalScrollBar()->setValue(diagram.verticalScrollBar()->maximum());
        QVERIFY(!view.contains(onScreen(diagram, other)));
        QTest::keyClick(&diagram, Qt::Key_L);   // to the diagram, as with the focus in it
        QVERIFY(view.contains(onScreen(diagram, other)));
        if (qEnvironmentVariableIsSet("TWIN_TEST_SAVE_DIR"))
            diagram.viewport()->grab().save(qEnvironmentVariable("TWIN_TEST_SAVE_DIR") + "/oneline-located.png");
        // The context menu holds the same action.
        auto* locate = diagram.findChild<QAction*>("oneLineLocate");
        QVERIFY(locate && diagram.actions().contains(locate));
        diagram.showOverview();
        locate->trigger();
        QCOMPARE(diagram.level(), views::OneLineDiagram::Level::Detail);
        QVERIFY(view.contains(onScreen(diagram, other)));
    }

    // The dark palette: the background dark grey, normal lines mid grey, text light grey; the
    // abnormal colours as in the light one.
    void darkPalette() {
        Session session;
        session.open(trip_);
        views::OneLineDiagram diagram(session);
        diagram.setDark(true);
        showWidget(diagram, 900, 600);
        const views::OneLinePalette& p = diagram.palette();
        QVERIFY(p.dark && p.background.value() < 50 && p.text.value() > 200);
        QVERIFY(p.ink.value() > 120 && p.ink.value() < 190 && p.ink.hsvSaturation() < 40);   // mid grey
        diagram.showDetail(diagram.layout().bounds.center(), fitScale(diagram));
        diagram.viewport()->repaint();
        const QImage img = diagram.viewport()->grab().toImage();
        const QRect all = diagram.viewport()->rect();
        const int pixels = countPixels(img, all, 2, [](const QColor&) { return true; });
        const int bright = countPixels(img, all, 2, [](const QColor& c) { return c.value() > 245 && c.hsvSaturation() < 10; });
        const int dark = countPixels(img, all, 2, [](const QColor& c) { return c.value() < 60; });
        qInfo("dark details: %d of %d dark, %d white", dark, pixels, bright);
        if (qEnvironmentVariableIsSet("TWIN_TEST_SAVE_DIR")) img.save(qEnvironmentVariable("TWIN_TEST_SAVE_DIR") + "/oneline-dark.png");
        QVERIFY(dark > pixels * 3 / 4);
        QVERIFY(bright < pixels / 200);
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
