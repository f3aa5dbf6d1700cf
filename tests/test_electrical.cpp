// views/electrical's VTK charts under Xvfb (OpenGL): a strip chart showing the store's reduced
// range with the clock's cursor over its cached picture, and the power charts (generation
// stacked by source, charging below zero, the selected asset's channels, zooming together),
// against the shared recording crash-60.
#include "common/hmi_colours.h"
#include "electrical/asset_channels.h"
#include "electrical/power_charts_panel.h"
#include "electrical/strip_chart.h"

#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QApplication>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>
#include <map>

using namespace twin;
using namespace views;
using namespace testsupport;

class TestElectrical : public QObject {
    Q_OBJECT
    std::string crash_;   // small campus, its only job crashes at 30 s

private slots:
    void initTestCase() { crash_ = sharedRecording(recordings::kCrash60); }

    void stripChartShowsTheStoresReducedRange() {
        Session session;
        session.open(crash_);
        views::StripChart chart(session, "Frequency", "Hz");
        const int bus = session.reader().findSeries(twin::sim::series::Bus::name);
        chart.addSeries("bus", Qt::yellow, [&](TimeMs a, TimeMs b, int n) { return session.reader().seriesRange(bus, twin::sim::series::Bus::Frequency, 0, a, b, n); });
        showWidget(chart, 640, 240);
        // One bucket per pixel over the whole recording: exactly the store's reduction.
        const TimeSpan sp = session.clock().span();
        const auto want = session.reader().seriesRange(bus, twin::sim::series::Bus::Frequency, 0, sp.first, sp.last, std::max(50, chart.width()));
        QCOMPARE(chart.data(0).size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(chart.data(0)[i].min, want[i].min);
            QCOMPARE(chart.data(0)[i].max, want[i].max);
        }
        // The cursor follows the clock: drawn over the cached chart at the time's column.
        session.clock().seek(sp.first + 12'500);
        QCOMPARE(chart.cursorSeconds(), 12.5);
        QImage picture = chart.grabFramebuffer();
        const int x12 = chart.cursorColumn();
        QVERIFY(x12 > 0);
        QCOMPARE(picture.pixelColor(x12, picture.height() / 2), views::hmi::kTimeCursor);
        session.clock().seek(sp.first + 40'000);
        picture = chart.grabFramebuffer();
        const int x40 = chart.cursorColumn();
        QVERIFY(x40 > x12 + 50);   // 27.5 s further right on a ~60 s axis of ~600 pixels
        QCOMPARE(picture.pixelColor(x40, picture.height() / 2), views::hmi::kTimeCursor);
        QVERIFY(picture.pixelColor(x12, picture.height() / 2) != views::hmi::kTimeCursor);   // the old one is gone
        // Zooming in keeps a one-bucket-per-pixel reduction of the smaller range.
        chart.setRange(sp.first + 10'000, sp.first + 20'000);
        const auto zoomed = session.reader().seriesRange(bus, twin::sim::series::Bus::Frequency, 0, sp.first + 10'000, sp.first + 20'000, std::max(50, chart.width()));
        QCOMPARE(chart.data(0).size(), zoomed.size());
        QCOMPARE(chart.data(0).front().first, zoomed.front().first);
    }

    void powerChartsSumSourcesAndFollowTheSelection() {
        Session session;
        session.open(crash_);
        views::PowerChartsPanel panel(session);
        showWidget(panel, 700, 900);
        auto* stacked = panel.generationBySource();
        QCOMPARE(stacked->seriesCount(), 5);   // turbines, Megapacks, solar, grid stacked; the load over them
        QVERIFY(stacked->seriesOptions(4).overlay);
        // No series of any chart can be taken for the time cursor.
        for (views::StripChart* chart : panel.charts())
            for (int i = 0; i < chart->seriesCount(); ++i) {
                const QColor c = chart->seriesColour(i), cursor = views::hmi::kTimeCursor;
                const int d = std::abs(c.red() - cursor.red()) + std::abs(c.green() - cursor.green()) + std::abs(c.blue() - cursor.blue());
                QVERIFY2(d > 120, qPrintable(chart->objectName() + " " + c.name()));
            }
        // The turbines' series is the sum of every turbine's channel, bucket by bucket.
        const int source = session.reader().findSeries(twin::sim::series::Source::name);
        const auto& info = twin::query::seriesInfo(session.reader(), source);
        const auto [a, b] = stacked->range();
        const int n = std::max(50, stacked->width());
        std::map<TimeMs, double> want;
        for (std::size_t i = 0; i < info.assets.size(); ++i)
            if (session.campus().assets[info.assets[i]].kind == AssetKind::Turbine)
                for (const Bucket& k : session.reader().seriesRange(source, twin::sim::series::Source::Power, static_cast<std::int64_t>(i), a, b, n))
                    want[(k.first - a) / std::max<TimeMs>(1, (b - a + n) / n)] += k.sum / k.count;
        const auto& got = stacked->data(0);
        QCOMPARE(got.size(), want.size());
        for (const Bucket& k : got)
            QVERIFY(std::abs(k.sum - want[(k.first - a) / std::max<TimeMs>(1, (b - a + n) / n)]) < 1e-9);
        // Selecting a turbine charts its MW channels: electrical and mechanical power.
        const AssetIndex turbine = session.campus().assetsOfKind(AssetKind::Turbine).front();
        session.select({turbine});
        QCOMPARE(panel.selected()->seriesCount(), 2);
        // Every turbine has its own line in the turbine chart.
        QCOMPARE(panel.turbines()->seriesCount(), static_cast<int>(session.campus().assetsOfKind(AssetKind::Turbine).size()));
    }

    // A charging Megapack stacks below zero, a discharging one above the turbines; a signal of
    // the selected asset can be added to any chart (another unit: the right axis); zooming one
    // chart moves them all.
    void powerChartsStackChargingBelowZeroAddSignalsAndZoomTogether() {
        Session session;
        session.open(crash_);
        views::PowerChartsPanel panel(session);
        showWidget(panel, 900, 700);
        auto* stacked = panel.generationBySource();
        QCOMPARE(stacked->seriesName(1), QString("Megapacks"));
        int charging = 0, discharging = 0;
        for (int row = 0; row < stacked->stackedRows(); ++row) {
            const auto [tLo, tHi] = stacked->stackedBand(0, row);   // turbines
            const auto [lo, hi] = stacked->stackedBand(1, row);     // Megapacks
            QCOMPARE(tLo, 0.0);
            if (hi - lo < 1e-6) continue;
            if (hi <= 0) {
                ++charging;   // below zero, from zero down
                QCOMPARE(hi, 0.0);
            } else {
                ++discharging;   // on top of the turbines
                QCOMPARE(lo, tHi);
            }
        }
        QVERIFY2(charging > 0 && discharging > 0, qPrintable(QString("%1 charging, %2 discharging rows").arg(charging).arg(discharging)));

        // The selected Megapack block's SoC (%) added to the frequency chart (Hz): right axis.
        const AssetIndex block = session.campus().assetsOfKind(AssetKind::MegapackBlock).front();
        session.select({block});
        const auto channels = views::assetChannels(session, session.selection());
        int soc = -1;
        for (std::size_t i = 0; i < channels.size(); ++i)
            if (channels[i].quantity == "soc") soc = static_cast<int>(i);
        QVERIFY(soc >= 0);
        auto* frequency = panel.frequency();
        const int before = frequency->seriesCount();
        QVERIFY(panel.addSelectedChannel(frequency, soc));
        QCOMPARE(frequency->seriesCount(), before + 1);
        QCOMPARE(frequency->seriesOptions(before).unit, QString("%"));
        QVERIFY(frequency->seriesOptions(before).removable);
        const int mp = session.reader().findSeries(twin::sim::series::Megapack::name);
        const auto [a, b] = frequency->range();
        const auto want = session.reader().seriesRange(mp, twin::sim::series::Megapack::Soc, session.positionIn(twin::sim::series::Megapack::name, block), a, b, std::max(50, frequency->width()));
        QCOMPARE(frequency->data(before).size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) QCOMPARE(frequency->data(before)[i].max, want[i].max);
        frequency->removeSeries(before);
        QCOMPARE(frequency->seriesCount(), before);

        // The wheel over one chart zooms every chart to the same range.
        const auto [s0, s1] = panel.turbines()->range();
        QWheelEvent wheel(QPointF(frequency->width() / 2.0, frequency->height() / 2.0), frequency->mapToGlobal(QPointF(frequency->width() / 2.0, 10)),
                          QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(frequency, &wheel);
        const auto zoomed = frequency->range();
        QVERIFY(zoomed.second - zoomed.first < s1 - s0);
        for (auto* c : panel.charts()) QCOMPARE(c->range(), zoomed);
    }
};

QTEST_MAIN(TestElectrical)
#include "test_electrical.moc"
