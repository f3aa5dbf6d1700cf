// Incident review's take-aways and comparisons (needs a display: run under xvfb-run):
// a slice exported with progress and cancel (with and without per-GPU data; its dialog's range
// the review loop), pictures of views and of a time range, and two recordings compared aligned
// on their turbine trips (the shared recordings trip-early-45 and trip-late-45): A and B told
// apart, the figures, and against islanded-120 (no alarm) the warning, the A − B trace and the
// hand-set offset.
#include "actions/export_common.h"
#include "common/series_colours.h"
#include "electrical/strip_chart.h"
#include "review/compare_window.h"
#include "review/export_actions.h"

#include "support/app_process.h"
#include "support/pixels.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/query/electrical_signals.h"
#include "twin/query/incident_figures.h"
#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace twin;
using namespace testsupport;

namespace {

// The trip of a turbine-trip recording: its first alarm.
TimeMs tripTime(StoreReader& r) {
    const TimeSpan sp = r.span();
    for (const Event& e : r.events(sp.first, sp.last))
        if (e.kind == "turbine_trip") return e.start;
    return -1;
}

} // namespace

class TestReviewExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string early_, late_;   // turbine trips at 15 s and at 30 s of 45 s
    std::string quiet_;          // islanded-120: no alarm at all

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        early_ = sharedRecording(recordings::kTripEarly45);
        late_ = sharedRecording(recordings::kTripLate45);
        quiet_ = sharedRecording(recordings::kIslanded120);
    }

    void sliceExportsWithProgressAndCancels() {
        auto source = StoreReader::open(early_);
        const TimeMs trip = tripTime(*source);
        QVERIFY(trip > 0);
        const QString out = dir_.filePath("slice.twin");
        std::vector<double> seen;
        const QString e = review::exportSlice(early_, out, trip - 5'000, trip + 10'000, [&](double f) {
            seen.push_back(f);
            return true;
        });
        QVERIFY2(e.isEmpty(), qPrintable(e));
        QVERIFY(!seen.empty());
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        // The slice opens on its own and holds the events of its range, the trip among them.
        auto slice = StoreReader::open(out.toStdString());
        const auto want = source->events(trip - 5'000, trip + 10'000);
        const auto got = slice->events(slice->span().first, slice->span().last);
        QCOMPARE(got.size(), want.size());
        QCOMPARE(tripTime(*slice), trip);
        // A plant channel has the same samples over the range.
        const int bus = source->findSeries(twin::sim::series::Bus::name);
        const auto a = source->seriesRange(bus, twin::sim::series::Bus::Frequency, 0, trip - 5'000, trip + 10'000, 100'000);
        const auto b = slice->seriesRange(slice->findSeries(twin::sim::series::Bus::name), twin::sim::series::Bus::Frequency, 0, trip - 5'000, trip + 10'000, 100'000);
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(b[i].min, a[i].min);
        // Cancelled at once: "cancelled", and no file left.
        const QString cancelled = dir_.filePath("cancelled.twin");
        QCOMPARE(review::exportSlice(early_, cancelled, trip - 5'000, trip + 10'000, [](double) { return false; }), QString("cancelled"));
        QVERIFY(!QFileInfo::exists(cancelled));
        QVERIFY(!QFileInfo::exists(cancelled + ".part"));
        // A bad range names the problem.
        const QString bad = review::exportSlice(early_, dir_.filePath("bad.twin"), trip, trip - 1, {});
        QVERIFY2(bad.contains("empty"), qPrintable(bad));
    }

    // Without per-GPU data: no series of every GPU, every other series with the same frames.
    void sliceWithoutPerGpuData() {
        auto source = StoreReader::open(early_);
        const TimeMs trip = tripTime(*source);
        const TimeMs t0 = trip - 5'000, t1 = trip + 10'000;
        const QString out = dir_.filePath("slice-no-gpus.twin");
        QCOMPARE(review::exportSlice(early_, out, t0, t1, {}, false), QString());
        auto slice = StoreReader::open(out.toStdString());
        int gpuSeries = 0;
        for (const SeriesInfo& s : source->series()) {
            const int id = slice->findSeries(s.spec.name);
            if (s.spec.assetSet == AssetSet::Gpus) {
                ++gpuSeries;
                QVERIFY2(id == 0, s.spec.name.c_str());
                continue;
            }
            QVERIFY2(id > 0, s.spec.name.c_str());
            QCOMPARE(slice->frameTimes(id, t0, t1), source->frameTimes(s.id, t0, t1));
            QVERIFY(!slice->frameTimes(id, t0, t1).empty());
        }
        QCOMPARE(gpuSeries, 1);   // "gpu"
        QCOMPARE(slice->findSeries(twin::sim::series::Gpu::name), 0);
        QCOMPARE(slice->events(t0, t1).size(), source->events(t0, t1).size());
        // With them (the default), the same range has the GPUs' frames.
        const QString full = dir_.filePath("slice-gpus.twin");
        QCOMPARE(review::exportSlice(early_, full, t0, t1, {}), QString());
        auto withGpus = StoreReader::open(full.toStdString());
        const int gpu = withGpus->findSeries(twin::sim::series::Gpu::name);
        QVERIFY(gpu > 0);
        QCOMPARE(withGpus->frameTimes(gpu, t0, t1), source->frameTimes(source->findSeries(twin::sim::series::Gpu::name), t0, t1));
    }

    // The slice dialog's range: the review loop when one is set, else 30 s before to 2 min after
    // the clock; the per-GPU data kept unless unchecked.
    void sliceDialogDefaultsToTheLoop() {
        Session session;
        session.open(early_);
        const TimeSpan sp = session.clock().span();
        session.clock().seek(sp.first + 20'000);
        {
            actions::RangeDialog plain(nullptr, session, "slice", actions::RangeDialog::Slice);
            QVERIFY(!plain.fromLoop());
            QCOMPARE(plain.t0(), sp.first);   // 30 s before is before the start
            QCOMPARE(plain.t1(), sp.last);    // 2 min after is after the end
            QVERIFY(plain.perGpuData());
            child<QCheckBox>(&plain, "perGpuData")->setChecked(false);
            QVERIFY(!plain.perGpuData());
        }
        const TimeMs l0 = sp.first + 12'345, l1 = sp.first + 23'456;
        session.clock().setLoop(l0, l1);
        actions::RangeDialog looped(nullptr, session, "slice", actions::RangeDialog::Slice);
        QVERIFY(looped.fromLoop());
        QCOMPARE(looped.t0(), l0);
        QCOMPARE(looped.t1(), l1);
        QCOMPARE(child<QLabel>(&looped, "rangeOrigin")->text(), QString("The review loop"));
        // A picture sequence has no per-GPU choice (and keeps the loop too).
        actions::RangeDialog sequence(nullptr, session, "sequence", actions::RangeDialog::Sequence);
        QVERIFY(sequence.perGpu == nullptr);
        QCOMPARE(sequence.t0(), l0);
    }

    void picturesOfAViewAndOfATimeRange() {
        Session session;
        session.open(early_);
        views::StripChart chart(session, "Frequency", "Hz");
        const int bus = session.reader().findSeries(twin::sim::series::Bus::name);
        chart.addSeries("bus", Qt::yellow, [&](TimeMs a, TimeMs b, int n) { return session.reader().seriesRange(bus, twin::sim::series::Bus::Frequency, 0, a, b, n); });
        showWidget(chart, 480, 200);
        const QString png = dir_.filePath("chart.png");
        QCOMPARE(review::savePicture(&chart, png), QString());
        const QImage picture(png);
        QCOMPARE(picture.size(), chart.size() * chart.devicePixelRatio());
        QVERIFY(distinctColours(picture, picture.rect(), 3) > 10);   // axes, labels, the band: not a blank picture

        // Three pictures a second apart; the cursor moves between them; the clock comes back.
        const TimeSpan sp = session.clock().span();
        session.clock().seek(sp.first + 30'000);
        const QString frames = dir_.filePath("frames");
        std::vector<double> seen;
        const auto r = review::exportSequence(session, &chart, frames, sp.first + 5'000, sp.first + 7'000, 1'000, [&](double f) {
            seen.push_back(f);
            return true;
        });
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.frames, 3);
        QCOMPARE(seen.back(), 1.0);
        QCOMPARE(session.clock().time(), sp.first + 30'000);
        const QImage f1(frames + "/frame_00001.png"), f3(frames + "/frame_00003.png");
        QVERIFY(!f1.isNull() && !f3.isNull());
        QVERIFY(!QFileInfo::exists(frames + "/frame_00004.png"));
        QVERIFY(f1 != f3);   // the cursor moved two seconds
        // Cancelled after the first picture.
        int calls = 0;
        const auto c = review::exportSequence(session, &chart, dir_.filePath("cut"), sp.first, sp.first + 10'000, 1'000,
                                              [&](double) { return ++calls < 2; });
        QVERIFY(c.cancelled);
        QCOMPARE(c.frames, 1);
    }

    void compareAlignsTwoRecordingsOnTheirTrips() {
        Session a;
        a.open(early_);
        review::CompareWindow compare(a);
        compare.resize(1200, 800);
        QCOMPARE(compare.openB(QString::fromStdString(late_)), QString());
        compare.show();
        QVERIFY(QTest::qWaitForWindowExposed(&compare));
        const TimeMs tripA = tripTime(a.reader()), tripB = tripTime(compare.sessionB().reader());
        QVERIFY(tripA > 0 && tripB > tripA);
        // By default aligned on each one's first alarm: the trips.
        QCOMPARE(compare.offset(), tripB - tripA);
        // One clock: 4 s after A's trip is 4 s after B's trip.
        a.clock().seek(tripA + 4'000);
        QCOMPARE(compare.sessionB().clock().time(), tripB + 4'000);
        // B's frequency on A's axis: B's reduced range, shifted by the offset.
        auto* chart = compare.frequencyChart();
        QCOMPARE(chart->seriesCount(), 2);
        const auto [t0, t1] = chart->range();
        const int busB = compare.sessionB().reader().findSeries(twin::sim::series::Bus::name);
        const auto want = compare.sessionB().reader().seriesRange(busB, twin::sim::series::Bus::Frequency, 0, t0 + compare.offset(), t1 + compare.offset(),
                                                                   std::max(50, chart->width()));
        QCOMPARE(chart->data(1).size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(chart->data(1)[i].first, want[i].first - compare.offset());
            QCOMPARE(chart->data(1)[i].min, want[i].min);
        }
        // Aligned on the starts instead: no offset.
        compare.setAnchors(a.clock().span().first, compare.sessionB().clock().span().first);
        a.clock().seek(tripA);
        QCOMPARE(compare.sessionB().clock().time(), compare.sessionB().clock().span().first + (tripA - a.clock().span().first));
        // A file that is not a store: the error names it.
        const QString bad = compare.openB(dir_.filePath("missing.twin"));
        QVERIFY2(bad.contains("missing.twin"), qPrintable(bad));
    }

    // Two trips: no warning; A solid with its band, B dashed without one; the legend names the
    // files; the figures table shows each side's figures from its anchor and their difference.
    void compareDrawsAAndBAndTheirFigures() {
        Session a;
        a.open(early_);
        review::CompareWindow compare(a);
        QCOMPARE(compare.openB(QString::fromStdString(late_)), QString());
        showWidget(compare, 1280, 720);
        QVERIFY2(!compare.warningShown(), qPrintable(compare.warningText()));
        QVERIFY(child<QLabel>(&compare, "legendA")->text().contains("trip-early-45.twin"));
        QVERIFY(child<QLabel>(&compare, "legendB")->text().contains("trip-late-45.twin"));
        for (auto* chart : {compare.frequencyChart(), compare.generationChart(), compare.megapackChart()}) {
            QCOMPARE(chart->seriesCount(), 2);
            QVERIFY(chart->seriesName(0).startsWith("A trip-early-45"));
            QVERIFY(chart->seriesName(1).startsWith("B trip-late-45"));
            QVERIFY(!chart->seriesOptions(0).dashed);
            QVERIFY(chart->seriesOptions(0).style == views::StripChart::Style::Band);
            QVERIFY(chart->seriesOptions(1).dashed);
            QVERIFY(chart->seriesOptions(1).style == views::StripChart::Style::Line);
        }
        QCOMPARE(compare.differenceChart()->seriesCount(), 1);
        StoreReader& ra = a.reader();
        StoreReader& rb = compare.sessionB().reader();
        // The figures: each side's, from its anchor, as twin/query computes them.
        query::IncidentOptions o;
        o.rocofWindowMs = review::CompareWindow::kRocofWindowMs;
        const auto wantA = query::incidentFigures(ra, compare.anchorA(), o);
        const auto wantB = query::incidentFigures(rb, compare.anchorB(), o);
        QVERIFY(compare.figuresA() && compare.figuresB());
        QCOMPARE(compare.figuresA()->nadirHz, wantA.nadirHz);
        QCOMPARE(compare.figuresB()->megapackPickupMw, wantB.megapackPickupMw);
        using F = review::CompareWindow;
        QCOMPARE(compare.figureText(F::NadirHz, F::ColumnA), QString::number(wantA.nadirHz, 'f', 3));
        QCOMPARE(compare.figureText(F::NadirHz, F::ColumnB), QString::number(wantB.nadirHz, 'f', 3));
        QCOMPARE(compare.figureText(F::NadirAfter, F::ColumnA), QString::number(wantA.nadirAfterMs / 1000.0, 'f', 1));
        QCOMPARE(compare.figureText(F::MaxRocof, F::ColumnB), QString::number(wantB.maxRocofHzPerS, 'f', 3));
        QCOMPARE(compare.figureText(F::MegapackPickup, F::ColumnA), QString::number(wantA.megapackPickupMw, 'f', 1));
        QVERIFY(wantA.recoveredAfterMs);
        QCOMPARE(compare.figureText(F::Recovery, F::ColumnA), QString::number(*wantA.recoveredAfterMs / 1000.0, 'f', 1));
        const double d = wantA.megapackPickupMw - wantB.megapackPickupMw;
        QCOMPARE(compare.figureText(F::MegapackPickup, F::ColumnDifference).remove("+").replace(QString::fromUtf8("−"), "-").toDouble(),
                 QString::number(d, 'f', 1).toDouble());
    }

    // B without an alarm: a visible warning naming B and what it aligned on; the A − B trace; a
    // hand-set offset (the spin box, the nudge buttons) moves B and says so.
    void compareWarnsWithoutACommonAlarm() {
        Session a;
        a.open(early_);
        review::CompareWindow compare(a);
        QCOMPARE(compare.openB(QString::fromStdString(quiet_)), QString());
        showWidget(compare, 1280, 720);
        QVERIFY(compare.warningShown());
        auto* warning = child<QLabel>(&compare, "alignmentWarning");
        QVERIFY(warning->isVisible() && warning->height() > 10);
        const QString text = compare.warningText();
        QVERIFY2(text.contains("B (islanded-120.twin) has no alarm") && text.contains("the start of the recording"), qPrintable(text));
        QVERIFY2(!text.contains("A ("), qPrintable(text));   // A has one
        // Aligned on A's trip and B's start.
        QCOMPARE(compare.offset(), compare.sessionB().clock().span().first - tripTime(a.reader()));
        // A − B at sample times: A's stored frequency minus B's at A's time + offset (A's is
        // 60 Hz flat, the grid holding it; islanded B's moves).
        auto* diff = compare.differenceChart();
        QCOMPARE(diff->seriesCount(), 1);
        QCOMPARE(diff->seriesName(0), QString::fromUtf8("A − B"));
        const TimeMs off = compare.offset();
        StoreReader& ra = a.reader();
        StoreReader& rb = compare.sessionB().reader();
        const query::Channel fa = query::electricalSignals(ra).islands.at(0).frequency;
        const query::Channel fb = query::electricalSignals(rb).islands.at(0).frequency;
        int checked = 0;
        double largest = 0;
        for (const Bucket& k : diff->data(0)) {
            if (k.first != k.last || k.first % 100 != 0) continue;   // one sample: at a 10 Hz frame
            const double want = ra.seriesAt(fa.series, k.first).values[0][static_cast<std::size_t>(fa.position)] -
                                rb.seriesAt(fb.series, k.first + off).values[0][static_cast<std::size_t>(fb.position)];
            QVERIFY2(std::abs(k.sum - want) < 1e-5, qPrintable(QString("%1 vs %2").arg(k.sum).arg(want)));
            largest = std::max(largest, std::abs(want));
            ++checked;
        }
        QVERIFY2(checked > 50, qPrintable(QString::number(checked)));
        QVERIFY2(largest > 0.001, qPrintable(QString::number(largest)));   // they differ somewhere
        // Drawn in the warning colour, not hidden behind the charts.
        const QImage shot = compare.grab().toImage();
        const QPoint at = warning->mapTo(&compare, QPoint(warning->width() - 6, warning->height() / 2));
        QCOMPARE(shot.pixelColor(at * shot.devicePixelRatio()).name(), QColor(0xf2, 0xa9, 0x00).name());
        // The offset by hand: 2.5 s more in the spin box, then +1 s and −0.1 s.
        const TimeMs before = compare.offset();
        auto* box = child<QDoubleSpinBox>(&compare, "offsetSeconds");
        QCOMPARE(box->value(), before / 1000.0);
        box->setValue(before / 1000.0 + 2.5);
        QCOMPARE(compare.offset(), before + 2'500);
        QVERIFY(compare.offsetSetByHand());
        child<QPushButton>(&compare, "nudge1000")->click();
        child<QPushButton>(&compare, "nudge-100")->click();
        QCOMPARE(compare.offset(), before + 3'400);
        QCOMPARE(box->value(), (before + 3'400) / 1000.0);
        QVERIFY(child<QLabel>(&compare, "offsetLabel")->text().contains("by hand"));
        QVERIFY2(compare.warningText().contains("hand-set offset"), qPrintable(compare.warningText()));
        a.clock().seek(tripTime(a.reader()) + 1'000);
        QCOMPARE(compare.sessionB().clock().time(), tripTime(a.reader()) + 1'000 + before + 3'400);
        // Choosing the anchors again goes back to them.
        compare.setAnchors(a.clock().span().first, compare.sessionB().clock().span().first);
        QVERIFY(!compare.offsetSetByHand());
        QCOMPARE(compare.offset(), compare.sessionB().clock().span().first - a.clock().span().first);
        QVERIFY(compare.warningShown());
        // The other way round: A without an alarm is named A.
        Session quiet;
        quiet.open(quiet_);
        review::CompareWindow reverse(quiet);
        QCOMPARE(reverse.openB(QString::fromStdString(early_)), QString());
        QVERIFY2(reverse.warningText().contains("A (islanded-120.twin) has no alarm"), qPrintable(reverse.warningText()));
        // Both have alarms, of different kinds (a trip, a job crash): aligned on each one's first
        // alarm, and the warning says they have none in common.
        review::CompareWindow different(a);
        QCOMPARE(different.openB(QString::fromStdString(sharedRecording(recordings::kCrash60))), QString());
        QVERIFY(different.warningShown());
        QVERIFY2(different.warningText().contains("no alarm in common") && different.warningText().contains("turbine_trip") &&
                     different.warningText().contains("job_crash"),
                 qPrintable(different.warningText()));
    }

    // colossus-twin A --compare B --screenshot F: the window and the compare window, drawn.
    void compareFromTheCommandLine() {
        const QString png = dir_.filePath("cli.png");
        QProcess p;
        p.start(appProgram(), {QString::fromStdString(early_), "--compare", QString::fromStdString(late_), "--screenshot", png,
                               "--size", "1200x800"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QImage compare(dir_.filePath("cli-compare.png"));
        QCOMPARE(compare.size(), QSize(1200, 800));
        // The three charts are drawn: their dark background with both recordings' colours (the
        // shared palette's, common/series_colours.h).
        int dark = 0, colourA = 0, colourB = 0;
        for (int y = 0; y < compare.height(); y += 2)
            for (int x = 0; x < compare.width(); x += 2) {
                const QColor c = compare.pixelColor(x, y);
                dark += c.red() < 40 && c.green() < 40 && c.blue() < 45;
                colourA += near(c, views::series::recordingColour(0), 40);
                colourB += near(c, views::series::recordingColour(1), 40);
            }
        QVERIFY2(dark > 20000 && colourA > 50 && colourB > 50, qPrintable(QString("%1 %2 %3").arg(dark).arg(colourA).arg(colourB)));
        // A second store that is not one: one line naming it, exit 1.
        p.start(appProgram(), {QString::fromStdString(early_), "--compare", dir_.filePath("nope.twin"), "--screenshot",
                               dir_.filePath("no.png")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("nope.twin"));
    }
};

QTEST_MAIN(TestReviewExport)
#include "test_review_export.moc"
