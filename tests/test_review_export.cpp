// Incident review's take-aways and comparisons (needs a display: run under xvfb-run):
// a slice exported with progress and cancel, pictures of views and of a time range, and two
// recordings compared aligned on their turbine trips (the shared recordings trip-early-45 and
// trip-late-45).
#include "common/series_colours.h"
#include "electrical/strip_chart.h"
#include "review/compare_window.h"
#include "review/export_actions.h"

#include "support/app_process.h"
#include "support/pixels.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QFileInfo>
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

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        early_ = sharedRecording(recordings::kTripEarly45);
        late_ = sharedRecording(recordings::kTripLate45);
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
