// views/electrical's VTK charts under Xvfb (OpenGL): a strip chart showing the store's reduced
// range with the clock's cursor over its cached picture, and the power charts (generation
// stacked by source, charging below zero, the selected asset's channels, zooming together),
// against the shared recording crash-60; the charts' interactions and read-outs (shared crosshair
// whose legend values equal the store's, click and drag to seek, legends above the plot, the
// 60 Hz nominal and limit lines, one palette, minimum heights, CSV export) against trip-60.
#include "common/hmi_colours.h"
#include "common/series_colours.h"
#include "electrical/asset_channels.h"
#include "electrical/channel_sum.h"
#include "electrical/chart_csv.h"
#include "electrical/power_charts_panel.h"
#include "electrical/strip_chart.h"

#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/query/electrical_signals.h"
#include "twin/query/series_query.h"
#include "twin/session/session.h"
#include "twin/sim/frequency_limits.h"

#include <QApplication>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>
#include <map>

using namespace twin;
using namespace views;
using namespace testsupport;

namespace {

void mouse(QWidget* w, QEvent::Type type, QPoint at, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent e(type, QPointF(at), w->mapToGlobal(QPointF(at)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

// The mean of the store's bucket at time t: the last bucket starting at or before t (NaN before
// the first), of one channel fetched independently of the chart.
double storeValueAt(const std::vector<Bucket>& buckets, TimeMs t) {
    double v = std::nan("");
    for (const Bucket& k : buckets)
        if (k.first <= t) v = k.sum / k.count;
    return v;
}

QString formatted(double v, const QString& unit) {
    return QLocale::c().toString(v, 'f', StripChart::decimalsFor(unit)) + " " + unit;
}

// Draws every chart of the panel (VTK lays the plot out when it renders).
void drawAll(PowerChartsPanel& panel) {
    for (StripChart* c : panel.charts()) c->drawNow(true);
}

} // namespace

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
        // Selecting a turbine charts its MW channels (electrical and mechanical power) on the left
        // axis and the next unit's, its fuel flow, on the right.
        const AssetIndex turbine = session.campus().assetsOfKind(AssetKind::Turbine).front();
        session.select({turbine});
        QCOMPARE(panel.selected()->seriesCount(), 3);
        QVERIFY2(panel.selected()->seriesName(2).endsWith("fuel_flow"), qPrintable(panel.selected()->seriesName(2)));
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

    // Hovering one chart draws the crosshair at the pointer's time on every chart of the panel,
    // and each legend reads its series' values there: the means of the store's buckets at that
    // time, fetched here through the same query API; leaving, the legends read the clock's time.
    void sharedCrosshairReadsTheStoresValues() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        showWidget(panel, 1280, 700);
        drawAll(panel);
        StripChart* frequency = panel.frequency();
        const QRect plot = frequency->plotArea();
        QVERIFY2(plot.width() > 200 && plot.height() > 100, qPrintable(QString("%1x%2").arg(plot.width()).arg(plot.height())));
        const auto [a, b] = frequency->range();
        const int x = plot.left() + plot.width() * 2 / 5;   // about 24 s: after the trip at 20 s
        mouse(frequency, QEvent::MouseMove, QPoint(x, plot.center().y()), Qt::NoButton, Qt::NoButton);
        // The time of that pixel, from the plot's place and the range alone.
        const double perPixel = static_cast<double>(b - a) / plot.width();
        const double want = a + (x - plot.left()) * perPixel;
        QVERIFY(frequency->crosshairTime().has_value());
        const TimeMs t = *frequency->crosshairTime();
        QVERIFY2(std::abs(t - want) <= perPixel, qPrintable(QString("%1 vs %2").arg(t).arg(want)));
        for (StripChart* c : panel.charts()) QCOMPARE(c->crosshairTime(), std::optional<TimeMs>(t));
        // Drawn on another chart: a dashed grey column at its x.
        StripChart* load = panel.loadAndGeneration();
        load->drawNow();
        const QImage picture = load->grabFramebuffer();
        QVERIFY(load->crosshairColumn() > 0);
        int grey = 0;
        const QRect lp = load->plotArea();
        for (int y = lp.top(); y <= lp.bottom(); ++y)
            grey += picture.pixelColor(load->crosshairColumn(), y) == QColor(150, 156, 166) ? 1 : 0;
        QVERIFY2(grey > lp.height() / 4, qPrintable(QString::number(grey)));

        // The read-outs: each island's frequency, and its load and generation.
        const auto electrical = query::electricalSignals(session.reader());
        QVERIFY(!electrical.islands.empty());
        const auto chips = frequency->legendChips();
        QCOMPARE(static_cast<int>(chips.size()), frequency->seriesCount());
        int checked = 0;
        for (std::size_t i = 0, s = 0; i < electrical.islands.size(); ++i) {
            const auto& ch = electrical.islands[i].frequency;
            if (ch.empty()) continue;
            const auto buckets = session.reader().seriesRange(ch.series, ch.quantity, ch.position, a, b, frequency->fetchPoints());
            const double v = storeValueAt(buckets, t);
            QVERIFY(std::isfinite(v));
            QCOMPARE(frequency->valueAt(static_cast<int>(s), t), v);
            QCOMPARE(chips[s].value, formatted(v, "Hz"));
            ++s, ++checked;
        }
        QVERIFY(checked > 0);
        const auto loadChips = load->legendChips();
        const auto& island = electrical.islands.front();
        const auto loadBuckets = session.reader().seriesRange(island.load.series, island.load.quantity, island.load.position, a, b, load->fetchPoints());
        QCOMPARE(loadChips[0].value, formatted(storeValueAt(loadBuckets, t), "MW"));

        // The pointer leaves: no crosshair, the legends read the clock's time.
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(frequency, &leave);
        for (StripChart* c : panel.charts()) QVERIFY(!c->crosshairTime());
        session.clock().seek(a + 40'000);
        QCOMPARE(frequency->readoutTime(), a + 40'000);
        const auto& f0 = electrical.islands.front().frequency;
        const auto f0Buckets = session.reader().seriesRange(f0.series, f0.quantity, f0.position, a, b, frequency->fetchPoints());
        QCOMPARE(frequency->legendChips()[0].value, formatted(storeValueAt(f0Buckets, a + 40'000), "Hz"));
    }

    // A click on a chart seeks the clock to the time under the pointer; dragging the time cursor
    // scrubs the clock; a drag elsewhere pans (the clock stays), the wheel zooms.
    void clickAndDragSeek() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        showWidget(panel, 1280, 700);
        drawAll(panel);
        StripChart* chart = panel.turbines();
        const QRect plot = chart->plotArea();
        const auto [a, b] = chart->range();
        const double perPixel = static_cast<double>(b - a) / plot.width();
        const int x = plot.left() + plot.width() * 3 / 10;
        const QPoint at(x, plot.center().y());
        session.clock().seek(b);
        mouse(chart, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
        mouse(chart, QEvent::MouseMove, at + QPoint(2, 1), Qt::NoButton, Qt::LeftButton);   // a few px: still a click
        mouse(chart, QEvent::MouseButtonRelease, at + QPoint(2, 1), Qt::LeftButton, Qt::NoButton);
        const double want = a + (x + 2 - plot.left()) * perPixel;
        QVERIFY2(std::abs(session.clock().time() - want) <= perPixel,
                 qPrintable(QString("clock %1, want %2 (%3 ms a pixel)").arg(session.clock().time()).arg(want).arg(perPixel)));
        QCOMPARE(chart->range(), std::make_pair(a, b));   // no pan

        // Grab the time cursor (3 px off it) and drag it 100 px right: the clock follows.
        chart->drawNow();
        const int cursorX = static_cast<int>(std::lround(chart->xOfTime(session.clock().time())));
        mouse(chart, QEvent::MouseButtonPress, QPoint(cursorX + 3, plot.center().y()), Qt::LeftButton, Qt::LeftButton);
        for (int dx = 10; dx <= 100; dx += 10)
            mouse(chart, QEvent::MouseMove, QPoint(cursorX + dx, plot.center().y()), Qt::NoButton, Qt::LeftButton);
        mouse(chart, QEvent::MouseButtonRelease, QPoint(cursorX + 100, plot.center().y()), Qt::LeftButton, Qt::NoButton);
        const double scrubbed = a + (cursorX + 100 - plot.left()) * perPixel;
        QVERIFY2(std::abs(session.clock().time() - scrubbed) <= 1.5 * perPixel,
                 qPrintable(QString("clock %1, want %2").arg(session.clock().time()).arg(scrubbed)));
        QCOMPARE(chart->range(), std::make_pair(a, b));

        // Zoomed in, a drag away from the cursor pans every chart and leaves the clock.
        chart->setRange(a + 10'000, a + 30'000);
        chart->drawNow(true);
        const TimeMs clock = session.clock().time();
        const int from = static_cast<int>(chart->xOfTime(a + 20'000));
        QVERIFY(std::abs(from - chart->xOfTime(clock)) > 20);
        mouse(chart, QEvent::MouseButtonPress, QPoint(from, plot.center().y()), Qt::LeftButton, Qt::LeftButton);
        for (int dx = 10; dx <= 60; dx += 10)
            mouse(chart, QEvent::MouseMove, QPoint(from - dx, plot.center().y()), Qt::NoButton, Qt::LeftButton);
        mouse(chart, QEvent::MouseButtonRelease, QPoint(from - 60, plot.center().y()), Qt::LeftButton, Qt::NoButton);
        QCOMPARE(session.clock().time(), clock);
        QVERIFY(chart->range().first > a + 10'000);
        for (StripChart* c : panel.charts()) QCOMPARE(c->range(), chart->range());
    }

    // The legend's chips sit above the plot (never over the data), do not overlap, and a click on
    // one hides its series (and shows it again).
    void legendsAboveThePlot() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        showWidget(panel, 1280, 720);
        drawAll(panel);
        for (StripChart* c : panel.charts()) {
            const QRect plot = c->plotArea();
            const auto chips = c->legendChips();
            for (std::size_t i = 0; i < chips.size(); ++i) {
                QVERIFY2(chips[i].rect.bottom() < plot.top(), qPrintable(c->title() + ": " + chips[i].name));
                QVERIFY(chips[i].rect.right() <= c->width());
                for (std::size_t j = 0; j < i; ++j) QVERIFY(!chips[i].rect.intersects(chips[j].rect));
            }
        }
        // A chart of dozens of lines (the default campus's turbines): one chip per group, with the
        // range of the group's values. Here twelve lines in two groups of six.
        {
            StripChart many(session, "Many", "MW");
            const auto electrical = query::electricalSignals(session.reader());
            const auto& turbines = electrical.source(AssetKind::Turbine)->power;
            StripChart::SeriesOptions thin;
            thin.style = StripChart::Style::Line;
            for (int i = 0; i < 12; ++i) {
                thin.group = i < 6 ? "first" : "second";
                const std::int64_t p = turbines.positions[static_cast<std::size_t>(i) % turbines.positions.size()];
                many.addSeries(QString("line %1").arg(i), series::categorical(i < 6 ? 0 : 1), channelOf(session.reader(), turbines.series, turbines.quantity, p), thin);
            }
            showWidget(many, 800, 260);
            const auto groups = many.legendChips();
            QCOMPARE(static_cast<int>(groups.size()), 2);
            QCOMPARE(groups[0].name, QString("first (6)"));
            QCOMPARE(static_cast<int>(groups[1].series.size()), 6);
            const TimeMs t = many.readoutTime();
            double lo = 1e300, hi = -1e300;
            for (int i = 0; i < 6; ++i) lo = std::min(lo, many.valueAt(i, t)), hi = std::max(hi, many.valueAt(i, t));
            QCOMPARE(groups[0].value, QLocale::c().toString(lo, 'f', 1) + QString::fromUtf8(" – ") + formatted(hi, "MW"));
        }
        // A click on the first chip of the stacked chart hides the turbines, a second shows them.
        StripChart* sources = panel.generationBySource();
        const QRect chip = sources->legendChips().front().rect;
        mouse(sources, QEvent::MouseButtonPress, chip.center(), Qt::LeftButton, Qt::LeftButton);
        mouse(sources, QEvent::MouseButtonRelease, chip.center(), Qt::LeftButton, Qt::NoButton);
        QVERIFY(!sources->seriesVisible(0));
        QVERIFY(sources->legendChips().front().hidden);
        mouse(sources, QEvent::MouseButtonPress, chip.center(), Qt::LeftButton, Qt::LeftButton);
        mouse(sources, QEvent::MouseButtonRelease, chip.center(), Qt::LeftButton, Qt::NoButton);
        QVERIFY(sources->seriesVisible(0));
    }

    // The frequency chart: 60 Hz nominal always in range, the ±0.5 Hz limits drawn only when the
    // data's range reaches them, so a small excursion keeps its shape.
    void frequencyNominalAndLimits() {
        using twin::sim::kFrequencyAlarmHz;
        using twin::sim::kNominalHz;
        for (const char* recording : {recordings::kCrash60, recordings::kTrip60}) {
            Session session;
            session.open(sharedRecording(recording));
            PowerChartsPanel panel(session);
            showWidget(panel, 1280, 700);
            drawAll(panel);
            StripChart* f = panel.frequency();
            QCOMPARE(static_cast<int>(f->references().size()), 3);
            QCOMPARE(f->references()[0].value, kNominalHz);
            const auto [dataLo, dataHi] = f->valueRange();
            double dlo = kNominalHz, dhi = kNominalHz;
            for (int i = 0; i < f->seriesCount(); ++i)
                for (const Bucket& k : f->data(i)) dlo = std::min(dlo, k.min), dhi = std::max(dhi, k.max);
            qInfo("%s: data %.3f..%.3f Hz, axis %.3f..%.3f", recording, dlo, dhi, dataLo, dataHi);
            QVERIFY(dataLo <= dlo && dataHi >= dhi);                   // all the data
            QVERIFY(f->referenceDrawn(0));                             // nominal
            const double span = std::max(dhi - dlo, 0.1);
            QVERIFY2(dataHi - dataLo <= span * 1.2 + 1e-9, "padded by 8 % a side only: limits far away do not squash the data");
            QCOMPARE(f->referenceDrawn(1), kNominalHz + kFrequencyAlarmHz <= dataHi);
            QCOMPARE(f->referenceDrawn(2), kNominalHz - kFrequencyAlarmHz >= dataLo);
            // The nominal line is drawn: grey dashes along its row (the series hidden: they would
            // cover it where the frequency sits at 60 Hz).
            for (int i = 0; i < f->seriesCount(); ++i) f->setSeriesVisible(i, false);
            f->drawNow(true);
            const auto [lo, hi] = f->valueRange();
            const QImage img = f->grabFramebuffer();
            const QRect plot = f->plotArea();
            const int y = static_cast<int>(std::lround(plot.bottom() - (kNominalHz - lo) / (hi - lo) * plot.height()));
            int dashes = 0;
            for (int x = plot.left(); x <= plot.right(); ++x)
                for (int dy = -1; dy <= 1; ++dy) {
                    const QColor c = img.pixelColor(x, y + dy);
                    dashes += std::abs(c.red() - 170) < 30 && std::abs(c.green() - 176) < 30 && std::abs(c.blue() - 186) < 30 &&
                              c.hsvSaturation() < 40 ? 1 : 0;
                }
            QVERIFY2(dashes > plot.width() / 5, qPrintable(QString::number(dashes)));
        }
    }

    // The rule on a frequency that dips: a deep dip (to 59.3 Hz) reaches the -0.5 Hz limit, which
    // is drawn; a small one (to 59.96 Hz) keeps the range tight and no limit is drawn.
    void limitLinesOnlyWhenTheRangeReachesThem() {
        using twin::sim::kFrequencyAlarmHz;
        using twin::sim::kNominalHz;
        Session session;
        session.open(sharedRecording(recordings::kCrash60));
        for (const double dip : {59.3, 59.96}) {
            StripChart chart(session, "Frequency", "Hz");
            chart.addReference(kNominalHz, "nominal", true);
            chart.addReference(kNominalHz + kFrequencyAlarmHz, "+limit", false);
            chart.addReference(kNominalHz - kFrequencyAlarmHz, "-limit", false);
            chart.setMinimumSpan(0.1);
            // 60 Hz, then a V down to `dip` in the middle of the range.
            chart.addSeries("island", series::islandColour(0), [dip](TimeMs a, TimeMs b, int n) {
                std::vector<Bucket> out;
                for (int i = 0; i < n; ++i) {
                    const TimeMs t = a + (b - a) * i / n;
                    const double v = kNominalHz - (kNominalHz - dip) * std::max(0.0, 1 - std::abs(i - n / 2.0) / (n / 8.0));
                    out.push_back({t, t, v, v, v, v, 1, v});
                }
                return out;
            });
            showWidget(chart, 640, 300);
            chart.drawNow(true);
            const auto [lo, hi] = chart.valueRange();
            qInfo("dip to %.2f: axis %.3f..%.3f", dip, lo, hi);
            QVERIFY(lo <= dip && hi >= kNominalHz);
            QVERIFY(chart.referenceDrawn(0));
            QVERIFY(!chart.referenceDrawn(1));
            QCOMPARE(chart.referenceDrawn(2), dip < kNominalHz - kFrequencyAlarmHz);
            QVERIFY(hi - lo <= std::max(kNominalHz - dip, 0.1) * 1.2);   // the dip fills the plot
            // Zoomed in and out again, the line is still drawn across the plot (VTK set new plots'
            // float scaling only on their first render: values near 60 were drawn off the plot).
            const TimeSpan sp = session.clock().span();
            chart.setRange(sp.first + 10'000, sp.first + 30'000);
            chart.drawNow();
            chart.showWholeRecording();
            chart.drawNow();
            const QImage img = chart.grabFramebuffer();
            const QRect plot = chart.plotArea();
            int columns = 0;
            for (int x = plot.left(); x <= plot.right(); ++x)
                for (int y = plot.top(); y <= plot.bottom(); ++y)
                    if (series::colourDistance(img.pixelColor(x, y), series::islandColour(0)) < 20) {
                        ++columns;
                        break;
                    }
            QVERIFY2(columns > plot.width() * 9 / 10, qPrintable(QString("%1 of %2 columns").arg(columns).arg(plot.width())));
        }
    }

    // One palette: every series keeps away from the alarm, warning, stale and cursor colours; the
    // islands and the kinds of source take the shared palette's colours.
    void seriesColoursAvoidReservedColours() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        const auto reserved = series::reservedColours();
        for (const QColor& c : series::palette())
            for (const QColor& r : reserved) QVERIFY2(series::colourDistance(c, r) >= 30, qPrintable(c.name() + " near " + r.name()));
        for (AssetKind k : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie})
            for (const QColor& r : reserved) QVERIFY(series::colourDistance(series::sourceColour(k), r) >= 30);
        for (const QColor& r : reserved) QVERIFY(series::colourDistance(series::loadColour(), r) >= 30);
        for (StripChart* chart : panel.charts())
            for (int i = 0; i < chart->seriesCount(); ++i)
                for (const QColor& r : reserved)
                    QVERIFY2(series::colourDistance(chart->seriesColour(i), r) >= 25,
                             qPrintable(chart->title() + " " + chart->seriesName(i) + " " + chart->seriesColour(i).name()));
        for (int i = 0; i < panel.frequency()->seriesCount(); ++i)
            QCOMPARE(panel.frequency()->seriesColour(i), series::islandColour(static_cast<std::size_t>(i)));
        QCOMPARE(panel.generationBySource()->seriesColour(0), series::sourceColour(AssetKind::Turbine));
        QCOMPARE(panel.generationBySource()->seriesColour(1), series::sourceColour(AssetKind::MegapackBlock));
    }

    // The panel scrolls rather than squash its charts: at 1280x720's dock height every chart keeps
    // its minimum height and a plot of at least 150 px.
    void chartsKeepAReadableHeight() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        showWidget(panel, 1280, 300);
        drawAll(panel);
        for (StripChart* c : panel.charts())
            QVERIFY2(c->plotArea().height() >= PowerChartsPanel::kMinimumPlotHeight - 1,   // rounded to pixels
                     qPrintable(c->title() + " plot " + QString::number(c->plotArea().height())));
        QVERIFY(panel.scrollArea()->verticalScrollBar()->maximum() > 0);
    }

    // "Export CSV…": one row per bucket of the visible range, time in UTC and seconds, each
    // series' min, mean and max with its unit; the values are the chart's.
    void csvExportHoldsTheChartsData() {
        Session session;
        session.open(sharedRecording(recordings::kTrip60));
        PowerChartsPanel panel(session);
        showWidget(panel, 1280, 700);
        StripChart* chart = panel.megapacks();
        const TimeSpan sp = session.clock().span();
        chart->setRange(sp.first + 15'000, sp.first + 35'000);
        QTemporaryDir dir;
        const QString path = dir.filePath("megapacks.csv");
        QString error;
        QVERIFY2(writeChartCsv(*chart, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.join('\n') + '\n', chartCsv(*chart));
        const QStringList header = lines.front().split(',');
        QCOMPARE(header.size(), 2 + 3 * chart->seriesCount());
        QCOMPARE(header[0], QString("time_utc"));
        QCOMPARE(header[1], QString("seconds"));
        for (int i = 0; i < chart->seriesCount(); ++i) {
            QCOMPARE(header[2 + 3 * i], chart->seriesName(i) + " min (" + chart->seriesUnit(i) + ")");
            QCOMPARE(header[3 + 3 * i], chart->seriesName(i) + " mean (" + chart->seriesUnit(i) + ")");
            QCOMPARE(header[4 + 3 * i], chart->seriesName(i) + " max (" + chart->seriesUnit(i) + ")");
        }
        QVERIFY(header.join(',').contains("SoC mean (%)"));
        // Rows by time: every bucket of every series is in the row of its time, with its values.
        const auto [a, b] = chart->range();
        const int n = chart->fetchPoints();
        const TimeMs width = (b - a + n) / n;
        std::map<TimeMs, QStringList> rows;
        for (int r = 1; r < lines.size(); ++r) {
            const QStringList cells = lines[r].split(',');
            QCOMPARE(cells.size(), header.size());
            const TimeMs t = QDateTime::fromString(cells[0], Qt::ISODateWithMs).toMSecsSinceEpoch();
            QVERIFY(t >= a && t <= b);
            QVERIFY(std::abs(cells[1].toDouble() - static_cast<double>(t - sp.first) / 1000) < 1e-9);
            rows[t] = cells;
        }
        std::size_t buckets = 0;
        for (int i = 0; i < chart->seriesCount(); ++i)
            for (const Bucket& k : chart->data(i)) {
                const TimeMs t = a + (k.first - a) / width * width;
                QVERIFY2(rows.count(t), qPrintable(QString::number(t)));
                const QStringList& cells = rows[t];
                auto same = [](const QString& cell, double v) { return std::abs(cell.toDouble() - v) <= 1e-9 * std::max(1.0, std::abs(v)); };
                QVERIFY(same(cells[2 + 3 * i], k.min));
                QVERIFY(same(cells[3 + 3 * i], k.sum / k.count));
                QVERIFY(same(cells[4 + 3 * i], k.max));
                ++buckets;
            }
        QVERIFY(buckets > 100);
        QVERIFY(static_cast<int>(rows.size()) == lines.size() - 1);
    }
};

QTEST_MAIN(TestElectrical)
#include "test_electrical.moc"
