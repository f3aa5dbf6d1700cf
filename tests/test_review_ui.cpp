// Incident review (issue #7): the clock's loop and stop-at, event navigation (previous / next,
// jump, play to next, review window), the timeline's buttons, keys, loop band and bookmark
// markers, and the bookmarks panel over the review file beside a read-only recording. Driven
// against a simulated turbine trip on the small campus with extra events and a bookmark of the
// recording's own (the shared recording trip-review-60, copied: the review file is written beside
// it); every expectation is computed from the store or the review file.
#include "common/asset_ref.h"
#include "common/time_format.h"
#include "review/bookmark_model.h"
#include "review/bookmarks_panel.h"
#include "timeline/event_navigator.h"
#include "timeline/timeline_widget.h"

#include "support/data_files.h"
#include "support/file_hash.h"
#include "support/folders.h"
#include "support/recordings.h"
#include "support/replay.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/review_file.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QToolTip>
#include <QtTest>

#include <algorithm>
#include <filesystem>

using namespace twin;
using namespace views;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

// Navigation order (views/event_navigator.h): start, most severe first, id.
bool navOrder(const Event& a, const Event& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.id < b.id;
}

} // namespace

class TestReviewUi : public ReplayTest {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_;

    // The store's events at or above `min`, in navigation order: what the navigator must agree with.
    std::vector<Event> expected(Severity min) {
        std::vector<Event> out;
        for (const Event& e : session_->reader().events(span_.first, span_.last))
            if (e.severity >= min) out.push_back(e);
        std::sort(out.begin(), out.end(), navOrder);
        return out;
    }

    void openMain() {
        session_ = std::make_unique<Session>();
        session_->open(path_);
        span_ = clock().span();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath("trip.twin").toStdString();
        QVERIFY(copyRecording(recordings::kTripReview60, path_));
        openMain();
        readTripReplay(*session_, span_, events_, trip_);
    }

    void init() { rewind(*session_, span_); }

    // --- the clock: loop and stop-at -----------------------------------------------------

    void clockLoopWrapsToItsStart() {
        const TimeMs t0 = span_.first + 10'000, t1 = span_.first + 12'000;
        QSignalSpy loopSpy(&clock(), &Clock::loopChanged);
        clock().setLoop(t1, t0);   // either order
        QVERIFY(clock().hasLoop());
        QCOMPARE(clock().loop().first, t0);
        QCOMPARE(clock().loop().last, t1);
        QCOMPARE(loopSpy.count(), 1);
        QCOMPARE(loopSpy.last().at(0).value<TimeSpan>().first, t0);

        std::vector<TimeMs> seen;
        auto c = connect(&clock(), &Clock::timeChanged, this, [&](TimeMs t) { seen.push_back(t); });
        clock().setSpeed(100);   // 2 s of loop in ~20 ms
        clock().play();          // from outside the loop: starts at its start
        QVERIFY(clock().playing());
        QCOMPARE(clock().time(), t0);
        auto wraps = [&] {
            int n = 0;
            for (std::size_t i = 1; i < seen.size(); ++i) n += seen[i] < seen[i - 1];
            return n;
        };
        QTRY_VERIFY(wraps() >= 3);
        clock().pause();
        disconnect(c);
        QVERIFY(clock().hasLoop());   // playing round does not drop it
        for (std::size_t i = 0; i < seen.size(); ++i) {
            QVERIFY2(seen[i] >= t0 && seen[i] < t1, qPrintable(QString("t - t0 = %1").arg(seen[i] - t0)));
            if (i > 0 && seen[i] < seen[i - 1]) QCOMPARE(seen[i], t0);   // back exactly to the start
        }

        // A seek inside keeps it; outside (or a step out of it, or live) clears it.
        clock().seek(t0 + 500);
        QVERIFY(clock().hasLoop());
        clock().seek(t1 + 1);
        QVERIFY(!clock().hasLoop());
        QVERIFY(loopSpy.last().at(0).value<TimeSpan>().empty);
        clock().setLoop(t0, t1);
        clock().setLive(true);
        QVERIFY(!clock().hasLoop());
        clock().setLoop(t0, t1);   // and a loop leaves live mode
        QVERIFY(!clock().live());
        QVERIFY(clock().hasLoop());
        clock().clearLoop();
        QVERIFY(!clock().hasLoop());

        // Clamped to the span; an empty range clears.
        clock().setLoop(span_.first - 5'000, span_.first + 1'000);
        QCOMPARE(clock().loop().first, span_.first);
        clock().setLoop(span_.last + 1, span_.last + 10);
        QVERIFY(!clock().hasLoop());
    }

    void clockPlayUntilPausesExactly() {
        const TimeMs stop = span_.first + 5'123;
        QSignalSpy reached(&clock(), &Clock::stopReached);
        QSignalSpy stopSpy(&clock(), &Clock::stopAtChanged);
        clock().setSpeed(100);   // 1.6 s per 16 ms tick: the stop falls between ticks
        QVERIFY(clock().playUntil(stop));
        QVERIFY(clock().playing());
        QCOMPARE(clock().stopAt().value_or(-1), stop);
        QCOMPARE(stopSpy.count(), 1);
        QCOMPARE(stopSpy.at(0).at(0).toBool(), true);
        QTRY_VERIFY(!clock().playing());
        QCOMPARE(clock().time(), stop);
        QCOMPARE(reached.count(), 1);
        QCOMPARE(reached.at(0).at(0).value<TimeMs>(), stop);
        QVERIFY(!clock().stopAt());
        QCOMPARE(stopSpy.last().at(0).toBool(), false);
        QTest::qWait(100);
        QCOMPARE(clock().time(), stop);   // it stays there

        // Not after the time: refused. Beyond the end: stops at the end.
        QVERIFY(!clock().playUntil(stop));
        QVERIFY(!clock().playUntil(stop - 1'000));
        QVERIFY(!clock().playing());
        clock().seek(span_.last - 2'000);
        QVERIFY(clock().playUntil(span_.last + 60'000));
        QTRY_VERIFY(!clock().playing());
        QCOMPARE(clock().time(), span_.last);

        // A pause or a seek cancels the stop; playUntil outside a loop clears the loop.
        clock().setSpeed(0.1);
        clock().seek(span_.first);
        QVERIFY(clock().playUntil(span_.first + 30'000));
        clock().pause();
        QVERIFY(!clock().stopAt());
        QVERIFY(clock().playUntil(span_.first + 30'000));
        clock().seek(span_.first + 1'000);
        QVERIFY(!clock().stopAt());
        clock().pause();
        clock().setLoop(span_.first, span_.first + 10'000);
        QVERIFY(clock().playUntil(span_.first + 5'000));   // inside: the loop stays
        QVERIFY(clock().hasLoop());
        clock().pause();
        QVERIFY(clock().playUntil(span_.first + 20'000));   // outside: it would never get there
        QVERIFY(!clock().hasLoop());
        clock().pause();
    }

    // --- event navigation ----------------------------------------------------------------

    void previousAndNextFromATime() {
        views::EventNavigator nav(*session_);
        QCOMPARE(nav.minimumSeverity(), Severity::Warning);
        for (Severity min : {Severity::Warning, Severity::Info, Severity::Alarm, Severity::Critical}) {
            nav.setMinimumSeverity(min);
            const std::vector<Event> want = expected(min);
            QVERIFY(!want.empty());
            QCOMPARE(nav.events().size(), want.size());
            for (std::size_t i = 0; i < want.size(); ++i) QCOMPARE(nav.events()[i].id, want[i].id);
            // Every event start, a millisecond either side, the ends of the span.
            std::vector<TimeMs> times = {span_.first, span_.last};
            for (const Event& e : events_) times.insert(times.end(), {e.start - 1, e.start, e.start + 1});
            for (TimeMs t : times) {
                std::optional<Event> next, prev;
                for (const Event& e : want)
                    if (e.start > t) { next = e; break; }
                for (const Event& e : want)
                    if (e.start < t) prev = e;   // the last of them in order
                const auto n = nav.nextFrom(t), p = nav.previousFrom(t);
                QCOMPARE(n.has_value(), next.has_value());
                QCOMPARE(p.has_value(), prev.has_value());
                if (n) QCOMPARE(n->id, next->id);
                if (p) QCOMPARE(p->id, prev->id);
            }
        }
        // Warnings and above by default: the info events are skipped.
        nav.setMinimumSeverity(Severity::Warning);
        const auto door = std::find_if(events_.begin(), events_.end(), [](const Event& e) { return e.kind == "door_open"; });
        QVERIFY(door != events_.end());
        QVERIFY(nav.nextFrom(door->start - 1)->id != door->id);
    }

    void jumpingSeeksAndSelectsTheAsset() {
        views::EventNavigator nav(*session_);
        const std::vector<Event> want = expected(Severity::Warning);
        // Next, all the way: each jump sets the clock to the event's start and selects its asset.
        for (const Event& e : want) {
            QVERIFY(nav.jumpToNext());
            QCOMPARE(clock().time(), e.start);
            QCOMPARE(nav.currentEvent()->id, e.id);
            const views::AssetRef ref = views::resolveAsset(*session_, e.asset);
            if (!ref.selection.empty()) QCOMPARE(session_->selection(), ref.selection);
        }
        QVERIFY(!nav.jumpToNext());   // none after the last
        // And back: the pile at +33 s is stepped through one by one, in reverse.
        for (auto it = want.rbegin() + 1; it != want.rend(); ++it) {
            QVERIFY(nav.jumpToPrevious());
            QCOMPARE(clock().time(), it->start);
            QCOMPARE(nav.currentEvent()->id, it->id);
        }
        QVERIFY(!nav.jumpToPrevious());

        // The trip: the clock at its start, the tripped turbine selected.
        session_->select({});
        nav.jumpTo(trip_);
        QCOMPARE(clock().time(), trip_.start);
        QCOMPARE(session_->selection().asset, campus().find(trip_.asset));
        QCOMPARE(campus().assets[session_->selection().asset].kind, AssetKind::Turbine);

        // The pile: the critical leak first, then the warning at the same time.
        clock().seek(span_.first + 32'000);
        QVERIFY(nav.jumpToNext());
        QCOMPARE(nav.currentEvent()->kind, std::string("coolant_leak"));
        QCOMPARE(session_->selection().asset, campus().assetsOfKind(AssetKind::Hall).back());
        QVERIFY(nav.jumpToNext());
        QCOMPARE(clock().time(), span_.first + 33'000);
        QCOMPARE(nav.currentEvent()->kind, std::string("rack_hot"));
        QCOMPARE(session_->selection().asset, campus().racks().back());
    }

    void playToNextStopsAtTheNextEvent() {
        views::EventNavigator nav(*session_);
        const std::vector<Event> want = expected(Severity::Warning);
        clock().setSpeed(100);
        for (std::size_t i = 0; i < 3; ++i) {
            const Event& e = want[i];
            if (i > 0 && e.start == want[i - 1].start) continue;
            QVERIFY(nav.playToNext());
            QVERIFY(clock().playing());
            QCOMPARE(clock().stopAt().value_or(-1), e.start);
            QTRY_VERIFY(!clock().playing());
            QCOMPARE(clock().time(), e.start);
            QCOMPARE(nav.currentEvent()->id, e.id);
            const views::AssetRef ref = views::resolveAsset(*session_, e.asset);
            if (!ref.selection.empty()) QCOMPARE(session_->selection(), ref.selection);
        }
        // After the last event: nothing to play to.
        clock().seek(want.back().start);
        QVERIFY(!nav.playToNext());
        QVERIFY(!clock().playing());
    }

    void reviewWindowLoops() {
        views::EventNavigator nav(*session_);
        QCOMPARE(nav.windowBeforeMs(), TimeMs(30'000));
        QCOMPARE(nav.windowAfterMs(), TimeMs(120'000));
        // A minute-long recording: the default window is the whole span around the trip.
        TimeSpan w = nav.reviewWindow(trip_);
        QCOMPARE(w.first, std::max(span_.first, trip_.start - 30'000));
        QCOMPARE(w.last, std::min(span_.last, trip_.start + 120'000));
        nav.setReviewWindow(3'000, 4'000);
        w = nav.reviewWindow(trip_);
        QCOMPARE(w.first, trip_.start - 3'000);
        QCOMPARE(w.last, trip_.start + 4'000);

        nav.jumpTo(trip_);
        QVERIFY(nav.setLoopReviewWindow(true));
        QCOMPARE(clock().loop().first, trip_.start - 3'000);
        QCOMPARE(clock().loop().last, trip_.start + 4'000);
        QVERIFY(nav.looping());
        // It plays round the window.
        std::vector<TimeMs> seen;
        auto c = connect(&clock(), &Clock::timeChanged, this, [&](TimeMs t) { seen.push_back(t); });
        clock().setSpeed(100);
        clock().play();
        QTRY_VERIFY(std::adjacent_find(seen.begin(), seen.end(), std::greater<>()) != seen.end());
        clock().pause();
        disconnect(c);
        for (TimeMs t : seen) QVERIFY(t >= trip_.start - 3'000 && t < trip_.start + 4'000);

        // Jumping to another event while looping loops that event's window.
        const auto next = nav.nextFrom(trip_.start);
        QVERIFY(next);
        nav.jumpTo(*next);
        QVERIFY(nav.looping());
        QCOMPARE(clock().loop().first, nav.reviewWindow(*next).first);
        QCOMPARE(clock().loop().last, nav.reviewWindow(*next).last);
        QVERIFY(nav.setLoopReviewWindow(false));
        QVERIFY(!clock().hasLoop());

        // The current event without a jump: the latest started (its window holds the time).
        views::EventNavigator fresh(*session_);
        const TimeMs t = span_.first + 26'000;
        clock().seek(t);
        const std::vector<Event> want = expected(Severity::Warning);
        const Event* latest = nullptr;
        for (const Event& e : want)
            if (e.start <= t && (!latest || e.start > latest->start)) latest = &e;
        QVERIFY(latest);
        QCOMPARE(fresh.currentEvent()->id, latest->id);
    }

    // --- the timeline: buttons, keys, loop band, bookmarks --------------------------------

    void timelineButtonsAndKeys() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        views::EventNavigator* nav = w.navigator();
        QVERIFY(nav);
        const std::vector<Event> want = expected(Severity::Warning);
        for (const char* name : {"prevEvent", "nextEvent", "playToNext", "loopReview"})
            QVERIFY2(!child<QToolButton>(&w, name)->toolTip().isEmpty(), name);
        QVERIFY(child<QToolButton>(&w, "prevEvent")->toolTip().contains("([)"));
        QVERIFY(child<QToolButton>(&w, "nextEvent")->toolTip().contains("(])"));
        QVERIFY(child<QToolButton>(&w, "playToNext")->toolTip().contains("Shift+]"));
        QVERIFY(child<QToolButton>(&w, "loopReview")->toolTip().contains("(L)"));
        QVERIFY(!child<QToolButton>(&w, "prevEvent")->isEnabled());   // at the start: none before

        child<QToolButton>(&w, "nextEvent")->click();
        QCOMPARE(clock().time(), want[0].start);
        QVERIFY(!child<QToolButton>(&w, "prevEvent")->isEnabled());   // the first: none before
        QTest::keyClick(&w, Qt::Key_BracketRight);
        QCOMPARE(clock().time(), want[1].start);
        QVERIFY(child<QToolButton>(&w, "prevEvent")->isEnabled());
        QVERIFY(child<QToolButton>(&w, "prevEvent")->toolTip().contains(views::formatUtcClock(want[0].start)));
        QTest::keyClick(&w, Qt::Key_BracketLeft);
        QCOMPARE(clock().time(), want[0].start);
        child<QToolButton>(&w, "nextEvent")->click();
        child<QToolButton>(&w, "prevEvent")->click();
        QCOMPARE(clock().time(), want[0].start);

        // Shift+] plays to the next event.
        clock().setSpeed(100);
        QTest::keyClick(&w, Qt::Key_BraceRight, Qt::ShiftModifier);
        QVERIFY(clock().playing());
        QTRY_VERIFY(!clock().playing());
        QCOMPARE(clock().time(), want[1].start);
        child<QToolButton>(&w, "playToNext")->click();
        QTRY_VERIFY(!clock().playing());
        QCOMPARE(clock().time(), want[2].start);

        // L toggles the loop; the button shows it both ways.
        auto* loop = child<QToolButton>(&w, "loopReview");
        QVERIFY(!loop->isChecked());
        QTest::keyClick(&w, Qt::Key_L);
        QVERIFY(clock().hasLoop());
        QVERIFY(loop->isChecked());
        QCOMPARE(clock().loop().first, nav->reviewWindow(want[2]).first);
        loop->click();
        QVERIFY(!clock().hasLoop());
        QVERIFY(!loop->isChecked());
        loop->click();
        QVERIFY(clock().hasLoop());
        clock().clearLoop();
        QVERIFY(!loop->isChecked());
    }

    void timelineDrawsTheLoopAndBookmarks() {
        views::BookmarkModel model(*session_);
        TimelineWidget w(*session_);
        w.setBookmarks(&model);
        showWidget(w, 1200, 110);
        TimelineTrack* track = w.track();
        QCOMPARE(track->bookmarkModel(), &model);
        // The recording's own bookmark is drawn before the review has any.
        QCOMPARE(track->bookmarkMarkers().size(), std::size_t(1));
        QVERIFY(track->bookmarkMarkers()[0].readOnly());

        const TimeMs t1 = span_.first + 8'000, t2 = span_.first + 40'500;
        QVERIFY(model.add(t1, "Before the trip", "frequency still nominal") > 0);
        QVERIFY(model.add(t2, "After", "") > 0);
        const auto& marks = track->bookmarkMarkers();
        QCOMPARE(marks.size(), model.bookmarks().size());
        QCOMPARE(marks.size(), std::size_t(3));
        for (std::size_t i = 0; i < marks.size(); ++i) QCOMPARE(marks[i].t, model.bookmarks()[i].t);

        const TimeMs l0 = span_.first + 20'000 + 1'500, l1 = span_.first + 30'000;
        clock().setLoop(l0, l1);
        clock().seek(span_.first + 45'000);   // outside the loop: clears it ...
        QVERIFY(!clock().hasLoop());
        clock().setLoop(l0, l1);              // ... so set it after
        QTest::qWait(20);
        const QImage img = track->grab().toImage();
        if (qEnvironmentVariableIsSet("REVIEW_UI_PNG")) img.save(qEnvironmentVariable("REVIEW_UI_PNG"));
        if (qEnvironmentVariableIsSet("REVIEW_UI_PNG")) w.grab().save(qEnvironmentVariable("REVIEW_UI_PNG") + ".widget.png");
        const int y = track->bookmarkLaneTop() + 3;
        for (const auto& b : marks) {
            const QColor c = img.pixelColor(track->xAt(b.t), y);
            QCOMPARE(c.rgb(), TimelineTrack::bookmarkColour(b.readOnly()).rgb());
        }
        // The loop's edges in its colour, its inside shaded, outside the plain background.
        const int by = track->bookmarkLaneBottom() + 1;
        QCOMPARE(img.pixelColor(track->xAt(l0), by).rgb(), TimelineTrack::loopColour().rgb());
        const QColor inside = img.pixelColor((track->xAt(l0) + track->xAt(l1)) / 2, by);
        const QColor outside = img.pixelColor(track->xAt(span_.first + 50'000), by);
        QCOMPARE(outside.rgb(), QColor(0x1b, 0x1e, 0x23).rgb());
        QVERIFY2(inside.rgb() != outside.rgb() && inside.blue() > outside.blue() + 10,
                 qPrintable(inside.name() + " vs " + outside.name()));

        // A press on a ribbon seeks to its bookmark; its tooltip has the name and note.
        const QPoint at(track->xAt(t1) + 2, track->bookmarkLaneTop() + 5);
        QCOMPARE(track->bookmarkAt(at)->name, std::string("Before the trip"));
        QVERIFY(!track->bookmarkAt(QPoint(track->xAt(t1), 4)));   // the event band is not the lane
        QTest::mouseClick(track, Qt::LeftButton, {}, at);
        QCOMPARE(clock().time(), t1);
        QHelpEvent help(QEvent::ToolTip, at, track->mapToGlobal(at));
        QApplication::sendEvent(track, &help);
        QVERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains("Before the trip"));
        QVERIFY(QToolTip::text().contains("frequency still nominal"));
        QToolTip::hideText();

        // Removing one removes its marker.
        QVERIFY(model.remove(model.rowOf(model.bookmarks()[2].id)));
        QCOMPARE(track->bookmarkMarkers().size(), std::size_t(2));
        // Clean up for the panel tests.
        while (std::any_of(model.bookmarks().begin(), model.bookmarks().end(), [](auto& b) { return !b.readOnly(); }))
            for (int r = 0; r < model.rowCount(); ++r)
                if (!model.bookmark(r).readOnly()) { QVERIFY(model.remove(r)); break; }
    }

    // --- the bookmarks panel ---------------------------------------------------------------

    void bookmarksPersistAndLeaveTheRecordingUnchanged() {
        const QByteArray before = fileHash(path_);
        QVERIFY(!before.isEmpty());
        const std::string reviewPath = ReviewFile::sidecarPath(path_);
        QCOMPARE(reviewPath, path_ + ".review");

        const TimeMs t1 = span_.first + 14'250, t2 = trip_.start + 2'000;
        {
            views::BookmarksPanel panel(*session_);
            showWidget(panel, 700, 400);
            QCOMPARE(panel.rowCount(), 1);   // the recording's own
            QCOMPARE(panel.model()->index(0, views::BookmarkModel::Origin).data().toString(), QString("recording (read-only)"));
            QVERIFY(panel.reviewFileText().contains("trip.twin.review"));

            // Add through the prompt: the clock's time, the default name offered.
            clock().seek(t1);
            child<QToolButton>(&panel, "addBookmark")->click();
            QDialog* dialog = panel.addDialog();
            QVERIFY(dialog);
            auto* name = child<QLineEdit>(dialog, "bookmarkName");
            QCOMPARE(name->text(), QString("Bookmark 1"));
            clock().seek(t1 + 5'000);   // moving on meanwhile does not move the bookmark
            name->setText("ECC warning");
            child<QPlainTextEdit>(dialog, "bookmarkNote")->setPlainText("GPU 7 again\nsecond line");
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            QTRY_VERIFY(!panel.addDialog());
            QCOMPARE(panel.rowCount(), 2);
            QVERIFY(fs::exists(reviewPath));

            // And one without the prompt.
            QVERIFY(panel.addBookmark(t2, "Trip + 2 s", "tripped unit at 0 MW") > 0);
            QCOMPARE(panel.rowCount(), 3);

            // In the review file, as given.
            auto review = ReviewFile::open(path_);
            const auto list = review->bookmarks();
            QCOMPARE(list.size(), std::size_t(3));
            const auto ecc = std::find_if(list.begin(), list.end(), [](auto& b) { return b.name == "ECC warning"; });
            QVERIFY(ecc != list.end());
            QCOMPARE(ecc->t, t1);
            QCOMPARE(ecc->note, std::string("GPU 7 again\nsecond line"));
            QCOMPARE(ecc->origin, BookmarkOrigin::Review);

            // Rename in place: the editor on the name cell, then Enter.
            const int row = panel.model()->rowOf(ecc->id);
            QTableView* table = panel.table();
            const QModelIndex nameCell = panel.model()->index(row, views::BookmarkModel::Name);
            table->setCurrentIndex(nameCell);
            table->edit(nameCell);
            auto* editor = table->viewport()->findChild<QLineEdit*>();
            QVERIFY(editor);
            editor->setText("ECC errors on GPU 7");
            QTest::keyClick(editor, Qt::Key_Return);   // commits from the event loop
            QTRY_COMPARE(review->bookmark(ecc->id)->name, std::string("ECC errors on GPU 7"));
            QCOMPARE(nameCell.data().toString(), QString("ECC errors on GPU 7"));
            // The note, through the model as the editor does.
            QVERIFY(panel.model()->setData(panel.model()->index(row, views::BookmarkModel::Note), "checked: ok"));
            QCOMPARE(review->bookmark(ecc->id)->note, std::string("checked: ok"));
            // An empty name is refused, with a message naming nothing lost.
            QVERIFY(!panel.model()->setData(nameCell, "  "));
            QVERIFY(panel.problemText().contains("empty"));
            QCOMPARE(review->bookmark(ecc->id)->name, std::string("ECC errors on GPU 7"));

            // Activating a row seeks there.
            clock().seek(span_.first);
            panel.activateRow(row);
            QCOMPARE(clock().time(), t1);
            clock().seek(span_.first);
            const QRect cell = table->visualRect(panel.model()->index(row, views::BookmarkModel::Time));
            // A double click as a window system sends it: press, release, double-click, release.
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
            QMouseEvent dbl(QEvent::MouseButtonDblClick, cell.center(), table->viewport()->mapToGlobal(cell.center()),
                            Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(table->viewport(), &dbl);
            QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, cell.center());
            QCOMPARE(clock().time(), t1);
            // Enter on the current row does the same.
            clock().seek(span_.first);
            table->setFocus();
            table->setCurrentIndex(panel.model()->index(row, views::BookmarkModel::Time));
            QTest::keyClick(table, Qt::Key_Return);
            QCOMPARE(clock().time(), t1);

            // The recording's bookmark is read-only and says so.
            const int recRow = [&] {
                for (int r = 0; r < panel.rowCount(); ++r)
                    if (panel.model()->bookmark(r).readOnly()) return r;
                return -1;
            }();
            QVERIFY(recRow >= 0);
            QVERIFY(!(panel.model()->flags(panel.model()->index(recRow, views::BookmarkModel::Name)) & Qt::ItemIsEditable));
            table->selectRow(recRow);
            QVERIFY(child<QToolButton>(&panel, "removeBookmark")->toolTip().contains("read-only"));
            child<QToolButton>(&panel, "removeBookmark")->click();
            QVERIFY2(panel.problemText().contains("read-only"), qPrintable(panel.problemText()));
            QCOMPARE(panel.rowCount(), 3);
            QVERIFY(!panel.model()->rename(recRow, "x"));

            // A third one, deleted with the Delete key.
            const auto gone = panel.addBookmark(span_.first + 50'000, "Scratch");
            QVERIFY(gone > 0);
            QCOMPARE(panel.rowCount(), 4);
            table->setFocus();
            table->selectRow(panel.model()->rowOf(gone));
            QTest::keyClick(table, Qt::Key_Delete);
            QCOMPARE(panel.rowCount(), 3);
            QVERIFY(!review->bookmark(gone));
        }

        // A restart: the session and the panel made again from nothing.
        session_.reset();
        openMain();
        {
            views::BookmarksPanel panel(*session_);
            QCOMPARE(panel.rowCount(), 3);
            std::vector<std::tuple<TimeMs, std::string, std::string, bool>> got;
            for (const auto& b : panel.model()->bookmarks()) got.emplace_back(b.t, b.name, b.note, b.readOnly());
            std::sort(got.begin(), got.end());
            using Row = std::tuple<TimeMs, std::string, std::string, bool>;
            std::vector<Row> want = {Row{t1, "ECC errors on GPU 7", "checked: ok", false},
                                     Row{span_.first + 20'000, "Recorded mark", "written by the recorder", true},
                                     Row{t2, "Trip + 2 s", "tripped unit at 0 MW", false}};
            std::sort(want.begin(), want.end());
            QCOMPARE(got.size(), want.size());
            for (std::size_t i = 0; i < want.size(); ++i) QVERIFY(got[i] == want[i]);
            // Delete one for good, then again across a restart.
            QVERIFY(panel.removeRow(panel.model()->rowOf(panel.model()->bookmarks().back().id)));
        }
        session_.reset();
        openMain();
        QCOMPARE(views::BookmarkModel(*session_).rowCount(), 2);

        // The recording's bytes are what they were.
        QCOMPARE(fileHash(path_), before);
    }

    void panelFollowsTheOpenStore() {
        // Another recording (a copy under another name): its own review file, empty.
        const QString other = dir_.filePath("other.twin");
        QFile::remove(other);
        QVERIFY(QFile::copy(QString::fromStdString(path_), other));
        views::BookmarkModel shared(*session_);
        views::BookmarksPanel panel(*session_, &shared);
        TimelineWidget w(*session_);
        w.setBookmarks(&shared);
        QCOMPARE(panel.model(), &shared);
        const int here = panel.rowCount();
        QVERIFY(here >= 2);
        session_->open(other.toStdString());
        QCOMPARE(panel.rowCount(), 1);   // only the recording's own
        QCOMPARE(w.track()->bookmarkMarkers().size(), std::size_t(1));
        QVERIFY(panel.reviewFileText().contains("other.twin.review"));
        QCOMPARE(panel.model()->reviewPath(), other + ".review");
        session_->open(path_);
        span_ = clock().span();
        QCOMPARE(panel.rowCount(), here);
    }

    void readOnlyFolderSaysWhy() {
        const QString sub = dir_.filePath("readonly");
        QVERIFY(QDir().mkpath(sub));
        const QString rec = sub + "/ro.twin";
        QVERIFY(QFile::copy(QString::fromStdString(path_), rec));
        if (!makeReadOnly(sub.toStdString())) QSKIP("cannot make a folder read-only here");
        const QByteArray before = fileHash(rec.toStdString());
        {
            Session session;
            session.open(rec.toStdString());
            views::BookmarksPanel panel(session);
            QCOMPARE(panel.rowCount(), 1);   // the recording's own still listed
            QVERIFY(!panel.model()->writable());
            QVERIFY(panel.reviewFileText().contains("read-only"));
            child<QToolButton>(&panel, "addBookmark")->click();
            QVERIFY(!panel.addDialog());   // no prompt: the reason instead
            const QString problem = panel.problemText();
            QVERIFY2(problem.contains(rec + ".review"), qPrintable(problem));
            QVERIFY2(problem.contains("not writable"), qPrintable(problem));
            QVERIFY(panel.findChild<QLabel*>("problem")->isVisibleTo(&panel));
            QCOMPARE(panel.addBookmark(session.clock().time(), "x"), 0);
            QCOMPARE(panel.rowCount(), 1);
        }
        makeWritable(sub.toStdString());
        QVERIFY(!QFile::exists(rec + ".review"));
        QCOMPARE(fileHash(rec.toStdString()), before);
    }

    void panelWithoutARecording() {
        Session none;
        views::BookmarksPanel panel(none);
        TimelineWidget w(none);
        w.setBookmarks(panel.model());
        QCOMPARE(panel.rowCount(), 0);
        QVERIFY(!panel.add());
        QVERIFY2(panel.problemText().contains("no recording"), qPrintable(panel.problemText()));
        QVERIFY(!w.navigator()->nextEvent());
        QVERIFY(!w.navigator()->playToNext());
        QVERIFY(!w.navigator()->setLoopReviewWindow(true));
        QVERIFY(w.track()->bookmarkMarkers().empty());
    }

    void reviewFileOfAnotherRecordingIsReported() {
        // A review file that belongs elsewhere: listed read-only from the recording, the reason shown.
        const QString sub = dir_.filePath("mismatch");
        QVERIFY(QDir().mkpath(sub));
        const QString rec = sub + "/trip.twin";
        QVERIFY(QFile::copy(dir_.filePath("other.twin"), rec));
        const std::string foreign = sub.toStdString() + "/foreign.twin";
        {
            const Campus small = loadCampusFile(siteFile("colossus.json"));
            WriterOptions o;
            o.overwrite = true;
            auto w = StoreWriter::create(foreign, small, o);
            w->close();
        }
        ReviewFile::open(foreign)->addBookmark(0, "elsewhere");
        QVERIFY(QFile::copy(QString::fromStdString(foreign) + ".review", rec + ".review"));
        Session session;
        session.open(rec.toStdString());
        views::BookmarksPanel panel(session);
        QVERIFY(!panel.model()->reviewFile());
        QVERIFY2(panel.problemText().contains(rec + ".review"), qPrintable(panel.problemText()));
        QCOMPARE(panel.rowCount(), 1);   // the recording's own bookmark, read-only
        QVERIFY(panel.model()->bookmark(0).readOnly());
        QVERIFY(!panel.add());
    }
};

QTEST_MAIN(TestReviewUi)
#include "test_review_ui.moc"
