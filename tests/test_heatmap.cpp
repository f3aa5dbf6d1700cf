// views/heatmap, the rack x time heat map, under Xvfb on a minute of steady training on the small
// campus (the shared recording compute-60): the pixels of a rack's row and a bucket have the
// shared colour map's colour of the rack's mean in that bucket, computed here from the store's
// raw frames; no data is grey; the clock's line is where the clock is and moves with it; the
// pointer's read-out; a click selects the rack and seeks the clock; scopes; a recording without
// racks; the app's dock and its layout preset.
#include "main_window.h"

#include "common/colour_map.h"
#include "common/rack_values.h"
#include "heatmap/heat_map_panel.h"
#include "heatmap/rack_heat_map_view.h"

#include "support/pixels.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/query/rack_heat_map.h"
#include "twin/session/session.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QMenuBar>
#include <QStandardPaths>
#include <QtTest>

#include <cmath>

using namespace twin;
using namespace testsupport;

namespace {

// A rack's mean power in [a, b] from the raw frames (frameQuantised), NaN without a frame.
double meanPower(StoreReader& r, std::int64_t position, TimeMs a, TimeMs b) {
    const int id = r.findSeries("rack");
    double precision = 0;
    for (const auto& s : r.series())
        if (s.id == id) precision = s.spec.quantities[0].precision;
    std::vector<std::vector<std::int32_t>> frame;
    double sum = 0;
    int n = 0;
    for (const TimeMs t : r.frameTimes(id, a, b)) {
        r.frameQuantised(id, t, frame);
        sum += frame[0][static_cast<std::size_t>(position)] * precision;
        ++n;
    }
    return n ? sum / n : std::nan("");
}

// The colour a rack's power gets: its share of rated through the colour map (common/colour_map.h).
QColor powerColour(const Campus& c, std::int64_t position, double kw) {
    const RackType* rt = c.rackType(c.assets[static_cast<std::size_t>(c.racks()[static_cast<std::size_t>(position)])].model);
    const views::QuantityRange range = views::rangeOf(views::RackQuantity::Power);
    return views::qcolourAt((kw / rt->ratedKw - range.low) / (range.high - range.low));
}

} // namespace

class TestHeatmap : public QObject {
    Q_OBJECT
    std::unique_ptr<Session> session_;
    TimeSpan span_;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        session_ = std::make_unique<Session>();
        session_->open(sharedRecording(recordings::kCompute60));
        span_ = session_->clock().span();
        QVERIFY(!span_.empty);
    }

    void pixelsHaveTheColourMapsColourOfTheMean() {
        views::RackHeatMapView view(*session_);
        showWidget(view, 900, 420);
        const auto& m = view.heatMap();
        QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
        const Campus& c = session_->campus();
        QCOMPARE(m.rows, static_cast<int>(c.racks().size()));
        QCOMPARE(m.t0, span_.first);
        QCOMPARE(m.t1, span_.last);
        // No more buckets than frames: a minute at 1 Hz.
        const int frames = static_cast<int>(session_->reader().frameTimes(session_->reader().findSeries("rack"), span_.first, span_.last).size());
        QCOMPARE(m.buckets, frames);
        const QImage shot = view.grab().toImage();
        int checked = 0;
        for (int row : {0, 2, m.rows - 1})
            for (int b : {0, 7, m.buckets / 2, m.buckets - 1}) {
                const auto pos = view.rows().positions[static_cast<std::size_t>(row)];
                const double want = meanPower(session_->reader(), pos, m.bucketStart(b), m.bucketStart(b + 1) - 1);
                QVERIFY2(!std::isnan(want), "every bucket holds a frame");
                QVERIFY(std::abs(m.at(row, b) - want) < 1e-3);
                const QRectF cell = view.cellRect(row, b);
                QVERIFY(cell.width() >= 5 && cell.height() >= 5);
                const QColor got = shot.pixelColor(cell.center().toPoint());
                const QColor expected = powerColour(c, pos, want);
                QVERIFY2(near(got, expected, 2), qPrintable(QString("row %1 bucket %2: %3, want %4 (%5 kW)")
                                                                .arg(row).arg(b).arg(got.name(), expected.name()).arg(want)));
                ++checked;
            }
        QCOMPARE(checked, 12);
        // The read-out names the rack, the bucket's times and its value.
        const QRectF cell = view.cellRect(2, 7);
        const QString text = view.readoutAt(cell.center());
        const Asset& rack = c.assets[static_cast<std::size_t>(c.racks()[static_cast<std::size_t>(view.rows().positions[2])])];
        QVERIFY2(text.startsWith(QString::fromStdString(rack.name)), qPrintable(text));
        QVERIFY2(text.contains(" kW ("), qPrintable(text));
        QVERIFY(view.readoutAt(QPointF(2, 2)).isEmpty());
    }

    // A range wider than the recording: its buckets outside it are the no-data grey.
    void noDataIsGrey() {
        views::RackHeatMapView view(*session_);
        view.setRange(span_.first - 60'000, span_.last);
        showWidget(view, 900, 420);
        const auto& m = view.heatMap();
        QVERIFY(std::isnan(m.at(0, 0)));
        QVERIFY(!std::isnan(m.at(0, m.buckets - 1)));
        const QImage shot = view.grab().toImage();
        QVERIFY(near(shot.pixelColor(view.cellRect(0, 0).center().toPoint()), views::qcolourAt(std::nan("")), 1));
    }

    void clockLineFollowsTheClock() {
        views::RackHeatMapView view(*session_);
        showWidget(view, 900, 420);
        const QRect plot = view.plotRect();
        const auto& m = view.heatMap();
        const TimeMs first = span_.first + 20'400, second = span_.first + 41'700;
        session_->clock().seek(first);
        QCoreApplication::processEvents();
        const int x1 = view.clockX();
        QCOMPARE(x1, static_cast<int>(view.cellRect(0, m.bucketOf(first)).left()));
        QImage shot = view.grab().toImage();
        const QColor white(255, 255, 255);
        for (int y : {plot.top() + 2, plot.center().y(), plot.bottom() - 2}) QCOMPARE(shot.pixelColor(x1, y), white);
        session_->clock().seek(second);
        QCoreApplication::processEvents();
        const int x2 = view.clockX();
        QVERIFY(x2 > x1 + 100);
        shot = view.grab().toImage();
        QCOMPARE(shot.pixelColor(x2, plot.center().y()), white);
        QVERIFY(shot.pixelColor(x1, plot.center().y()) != white);   // the line moved away
        session_->clock().seek(span_.first);
    }

    void clickSelectsTheRackAndSeeks() {
        views::RackHeatMapView view(*session_);
        showWidget(view, 900, 420);
        const auto& m = view.heatMap();
        const int row = 4, b = 33;
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(row, b).center().toPoint());
        const Campus& c = session_->campus();
        QCOMPARE(session_->selection().asset, c.racks()[static_cast<std::size_t>(view.rows().positions[row])]);
        QCOMPARE(session_->clock().time(), m.bucketMiddle(b));
        QVERIFY(session_->clock().time() >= m.bucketStart(b) && session_->clock().time() < m.bucketStart(b + 1));
        // Outside the raster (the hall labels): nothing changes.
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(5, view.plotRect().center().y()));
        QCOMPARE(session_->clock().time(), m.bucketMiddle(b));
        session_->select({});
    }

    // The panel's scopes: a hall's racks only, labelled by hall.
    void scopes() {
        views::HeatMapPanel panel(*session_);
        showWidget(panel, 900, 480);
        const Campus& c = session_->campus();
        QComboBox* scope = panel.scopeBox();
        QVERIFY(scope->count() >= 4);   // every rack, the building, its two halls
        const auto halls = c.assetsOfKind(AssetKind::Hall);
        const int i = scope->findData(static_cast<qlonglong>(halls[1]));
        QVERIFY(i > 0);
        scope->setCurrentIndex(i);
        emit scope->activated(i);
        const auto& m = panel.view()->heatMap();
        QCOMPARE(static_cast<std::size_t>(m.rows), query::racksUnder(c, halls[1]).size());
        QCOMPARE(panel.view()->rows().groups.size(), std::size_t(1));
        QCOMPARE(panel.view()->rows().groups[0].label, QString::fromStdString(c.assets[static_cast<std::size_t>(halls[1])].name));
        // Inlet temperature: a value of the rack series.
        panel.quantityBox()->setCurrentIndex(1);
        emit panel.quantityBox()->activated(1);
        QVERIFY(panel.view()->message().isEmpty());
        QCOMPARE(panel.view()->heatMap().unit, std::string("degC"));
    }

    // A new width is a new query (a bucket per pixel column), once the width has settled.
    void aNewWidthIsANewQuery() {
        views::RackHeatMapView view(*session_);
        showWidget(view, 900, 300);
        QCOMPARE(view.heatMap().buckets, 61);   // the frames of the minute, fewer than the columns
        view.resize(view.minimumWidth(), 300);   // a plot of 60 px
        QVERIFY(waitFor([&] { return view.heatMap().buckets == 60; }, 3000));
        QCOMPARE(view.plotRect().width(), 60);
    }

    // A recording without racks (plant only): the view says so, nothing else.
    void recordingWithoutRacks() {
        Session session;
        session.open(sharedRecording(recordings::kIslanded120));
        views::RackHeatMapView view(session);
        showWidget(view, 600, 300);
        QVERIFY2(view.message().contains("no rack series"), qPrintable(view.message()));
        QCOMPARE(view.heatMap().rows, 0);
        QCOMPARE(view.rowAt(view.plotRect().center()), -1);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.plotRect().center());
        QVERIFY(session.selection().empty());
    }

    // The app: a Heat map dock (View ▸ Panels), in front with the Heat map layout.
    void appDockAndPreset() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(sharedRecording(recordings::kCompute60)), false));
        w.setFixedSize(1920, 1080);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(50);
        QDockWidget* dock = w.deskLayout().dock("heatMapDock");
        QVERIFY(dock);
        QCOMPARE(dock->windowTitle(), QString("Heat map"));
        const int before = w.deskLayout().dock("oneLineDock")->height();
        w.findChild<QAction*>("layoutHeatmap")->trigger();
        QTest::qWait(50);
        QVERIFY(w.deskLayout().frontDocks().contains("heatMapDock"));
        auto* view = dock->findChild<views::RackHeatMapView*>("rackHeatMap");
        QVERIFY(view);
        QVERIFY(waitFor([&] { return view->isVisible() && view->heatMap().rows > 0; }, 5000));
        // The heat map gets the room: the bottom is taller than in the default layout.
        QVERIFY2(dock->height() > before && view->height() >= 250,
                 qPrintable(QString("%1 px, dock %2, before %3").arg(view->height()).arg(dock->height()).arg(before)));
        bool listed = false;
        for (QAction* a : w.menuBar()->actions())
            if (a->menu() && a->text().remove('&') == "View")
                for (QAction* b : a->menu()->actions())
                    if (b->menu())
                        for (QAction* c : b->menu()->actions()) listed = listed || c->text() == "Heat map";
        QVERIFY(listed);
        QVERIFY(w.findChild<QAction*>("layoutHeatmap"));
    }
};

QTEST_MAIN(TestHeatmap)
#include "test_heatmap.moc"
