// views/timeline: the timeline (labels, seeking on the track, play, speed, live, keys), its
// event markers and the event list, driven like a user would (clicks, keys, combo boxes) against
// a simulated turbine trip on the small campus with extra events (the shared recording
// trip-events-60), and a store still being written. Every check compares what a widget shows
// or did with what the store holds.
#include "common/time_format.h"
#include "review/alarm_acks.h"
#include "timeline/event_list_panel.h"
#include "timeline/event_table_model.h"
#include "timeline/timeline_widget.h"

#include "support/data_files.h"
#include "support/recordings.h"
#include "support/replay.h"
#include "support/sql_file.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/review_file.h"
#include "twin/session/session.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <QComboBox>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QToolTip>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace twin;
using namespace views;
using namespace testsupport;

namespace {

bool containsCi(const std::string& haystack, const QString& needle) {
    return QString::fromStdString(haystack).contains(needle, Qt::CaseInsensitive);
}

} // namespace

class TestTimeline : public ReplayTest {
    Q_OBJECT
    QTemporaryDir dir_;

    // Time one pixel of the track stands for (the rounding a click can be off by).
    TimeMs msPerPixel(const TimelineTrack& track) {
        return std::abs(track.timeAt(track.width() / 2 + 1) - track.timeAt(track.width() / 2)) + 1;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        openTripReplay(sharedRecording(recordings::kTripEvents60));
    }

    void init() { rewind(*session_, span_); }

    // --- timeline ------------------------------------------------------------------------

    void timelineLabelsShowTheClockTime() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        const TimeMs t = span_.first + 2'250;
        clock().seek(t);
        QCOMPARE(child<QLabel>(&w, "utc")->text(), views::formatUtcLong(t));
        QCOMPARE(child<QLabel>(&w, "utc")->text(), QString("2026-07-15 16:00:02.250 UTC"));
        QCOMPARE(child<QLabel>(&w, "local")->text(), QString("16:00:02 UTC"));   // small.json is on UTC
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("REPLAY · 1.0×"));
    }

    void clickOnTrackSeeks() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        TimelineTrack* track = w.track();
        QCOMPARE(track->objectName(), QString("track"));
        // A spot with no marker within reach (a marker would take the click).
        TimeMs t = span_.first + (span_.last - span_.first) * 37 / 100;
        while (track->markerAt(track->xAt(t))) t += 10 * msPerPixel(*track);
        const int x = track->xAt(t);
        QCOMPARE(x, track->xAt(track->timeAt(x)));
        QTest::mouseClick(track, Qt::LeftButton, {}, QPoint(x, track->height() - 8));
        QVERIFY2(std::abs(clock().time() - t) <= msPerPixel(*track),
                 qPrintable(QString("clicked %1, clock %2").arg(t).arg(clock().time())));
        // Outside the span clamps to its ends.
        QTest::mouseClick(track, Qt::LeftButton, {}, QPoint(track->width() - 1, track->height() - 8));
        QCOMPARE(clock().time(), span_.last);
    }

    void dragOnTrackSeeks() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        TimelineTrack* track = w.track();
        TimeMs t0 = span_.first + (span_.last - span_.first) / 10;
        while (track->markerAt(track->xAt(t0))) t0 += 10 * msPerPixel(*track);
        const TimeMs t1 = span_.first + (span_.last - span_.first) * 8 / 10;
        const int y = track->height() - 8;
        QTest::mousePress(track, Qt::LeftButton, {}, QPoint(track->xAt(t0), y));
        QVERIFY(std::abs(clock().time() - t0) <= msPerPixel(*track));
        QMouseEvent move(QEvent::MouseMove, QPointF(track->xAt(t1), y), track->mapToGlobal(QPointF(track->xAt(t1), y)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(track, &move);
        QVERIFY(std::abs(clock().time() - t1) <= msPerPixel(*track));
        QTest::mouseRelease(track, Qt::LeftButton, {}, QPoint(track->xAt(t1), y));
    }

    void playAdvancesAndPauseStops() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        auto* play = child<QToolButton>(&w, "playPause");
        auto* speed = child<QComboBox>(&w, "speed");
        speed->setCurrentIndex(speed->findText("10×"));
        QCOMPARE(clock().speed(), 10.0);
        QCOMPARE(play->text(), QString("Play"));
        play->click();
        QVERIFY(clock().playing());
        QCOMPARE(play->text(), QString("Pause"));
        QTRY_VERIFY(clock().time() >= span_.first + 1'000);   // 10x: a second of data in ~0.1 s
        play->click();
        QVERIFY(!clock().playing());
        QCOMPARE(play->text(), QString("Play"));
        const TimeMs stopped = clock().time();
        QTest::qWait(200);
        QCOMPARE(clock().time(), stopped);
    }

    void speedComboFollowsTheClock() {
        TimelineWidget w(*session_);
        auto* speed = child<QComboBox>(&w, "speed");
        QStringList offered;
        for (int i = 0; i < speed->count(); ++i) offered << speed->itemText(i);
        QCOMPARE(offered, QStringList({"0.1×", "0.25×", "0.5×", "1×", "2×", "5×", "10×", "30×", "100×", "300×", "1000×"}));
        QCOMPARE(speed->currentText(), QString("1×"));
        speed->setCurrentIndex(speed->findText("300×"));
        QCOMPARE(clock().speed(), 300.0);
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("REPLAY · 300×"));
        clock().setSpeed(2);
        QCOMPARE(speed->currentText(), QString("2×"));
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("REPLAY · 2.0×"));
        clock().setSpeed(0.25);
        QCOMPARE(speed->currentText(), QString("0.25×"));
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("REPLAY · 0.25×"));
    }

    void liveButtonFollowsTheEnd() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        auto* live = child<QToolButton>(&w, "live");
        QCOMPARE(live->text(), QString("REPLAY"));
        QVERIFY(!live->isChecked());
        live->click();
        QVERIFY(clock().live());
        QCOMPARE(clock().time(), span_.last);
        QVERIFY(live->isChecked());
        QCOMPARE(live->text(), QString("● LIVE"));
        QVERIFY(live->styleSheet().contains("background: #d32f2f"));
        QVERIFY(live->styleSheet().contains("font-weight: bold"));
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("LIVE"));
        live->click();
        QVERIFY(!clock().live());
        QCOMPARE(live->text(), QString("REPLAY"));
        // Bound both ways: the clock leaving live mode (a seek) shows on the button.
        clock().setLive(true);
        QCOMPARE(live->text(), QString("● LIVE"));
        clock().seek(span_.first);
        QVERIFY(!live->isChecked());
        QCOMPARE(live->text(), QString("REPLAY"));
        QCOMPARE(child<QLabel>(&w, "mode")->text(), QString("REPLAY · 1.0×"));
    }

    void keysDriveTheClock() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        clock().seek(span_.first + 10'000);
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(clock().time(), span_.first + 11'000);
        QTest::keyClick(&w, Qt::Key_Left);
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(clock().time(), span_.first + 9'000);
        QTest::keyClick(&w, Qt::Key_End);
        QCOMPARE(clock().time(), span_.last);
        QTest::keyClick(&w, Qt::Key_Home);
        QCOMPARE(clock().time(), span_.first);
        QTest::keyClick(&w, Qt::Key_Space);
        QVERIFY(clock().playing());
        QTest::keyClick(&w, Qt::Key_Space);
        QVERIFY(!clock().playing());
        // The buttons' own clicks agree with the keys.
        child<QToolButton>(&w, "jumpEnd")->click();
        QCOMPARE(clock().time(), span_.last);
        child<QToolButton>(&w, "stepBack")->click();
        QCOMPARE(clock().time(), span_.last - 1'000);
        child<QToolButton>(&w, "stepForward")->click();
        QCOMPARE(clock().time(), span_.last);
        child<QToolButton>(&w, "jumpStart")->click();
        QCOMPARE(clock().time(), span_.first);
    }

    void trackMarkersAreTheStoresEvents() {
        TimelineWidget w(*session_);
        showWidget(w, 1200, 110);
        const auto& markers = w.track()->markers();
        QCOMPARE(markers.size(), events_.size());
        for (std::size_t i = 0; i < markers.size(); ++i) QCOMPARE(markers[i].id, events_[i].id);

        // The trip's marker: a press jumps to the trip and selects the tripped turbine.
        TimelineTrack* track = w.track();
        const int x = track->xAt(trip_.start);
        QVERIFY(track->markerAt(x));
        QCOMPARE(track->markerAt(x)->id, trip_.id);
        QTest::mouseClick(track, Qt::LeftButton, {}, QPoint(x, 8));
        QCOMPARE(clock().time(), trip_.start);
        QCOMPARE(session_->selection().asset, campus().find(trip_.asset));

        // Its tooltip names the time, severity, asset and text.
        QHelpEvent help(QEvent::ToolTip, QPoint(x, 8), track->mapToGlobal(QPoint(x, 8)));
        QApplication::sendEvent(track, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        QVERIFY2(tip.contains(views::formatUtcLong(trip_.start)), qPrintable(tip));
        QVERIFY(tip.contains("alarm"));
        QVERIFY(tip.contains(QString::fromStdString(campus().assets[campus().find(trip_.asset)].name).toHtmlEscaped()));
        QVERIFY(tip.contains(QString::fromStdString(trip_.text).toHtmlEscaped()));
        QToolTip::hideText();
    }

    // A damaged frame found by a read is hatched on the span line at its time, with a tooltip
    // saying what is damaged; undamaged times stay plain.
    void damagedDataIsMarkedOnTheTrack() {
        const std::string path = dir_.filePath("damaged.twin").toStdString();
        QVERIFY(copyRecording(recordings::kTrip30, path));
        Session s;
        s.open(path);
        const SeriesInfo* rack = nullptr;
        for (const auto& info : s.reader().series())
            if (info.spec.name == "rack") rack = &info;
        QVERIFY(rack);
        const auto times = s.reader().frameTimes(rack->id, s.clock().span().first, s.clock().span().last);
        QVERIFY(times.size() > 20);
        const TimeMs bad = times[times.size() / 2 + 1];   // a delta frame in the middle
        sqliteExec(path, "UPDATE frame SET data = x'00' WHERE series = " + std::to_string(rack->id) + " AND t = " + std::to_string(bad));
        s.open(path);
        TimelineWidget w(s);
        showWidget(w, 1200, 110);
        TimelineTrack* track = w.track();
        QVERIFY(track->damageMarkers().empty());

        s.clock().seek(bad);                       // the state at `bad` finds the frame damaged
        QVERIFY(s.series("rack")->damaged);
        QCOMPARE(s.series("rack")->t, times[times.size() / 2]);
        QTRY_COMPARE(track->damageMarkers().size(), std::size_t(1));
        QCOMPARE(track->damageMarkers()[0].first, bad);
        const QImage img = track->grab().toImage();
        const int x = track->xAt(bad);
        // The hatch: the damage colour over a few pixels around x, on and above the span line.
        int red = 0;
        for (int dx = -1; dx <= 1; ++dx)
            for (int y = 16; y <= 26; ++y) red += img.pixelColor(x + dx, y) == TimelineTrack::damageColour();
        QVERIFY2(red >= 6, qPrintable(QString("%1 damage-coloured pixels at x=%2").arg(red).arg(x)));
        QVERIFY(img.pixelColor(track->xAt(times.front()) + 3, 20) != TimelineTrack::damageColour());

        QHelpEvent help(QEvent::ToolTip, QPoint(x, 20), track->mapToGlobal(QPoint(x, 20)));
        QApplication::sendEvent(track, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains("Damaged data") && QToolTip::text().contains("rack"), qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    void growingStoreReloadsMarkersAndList() {
        // A writer still recording; the session tails it as the app's 50 ms timer would.
        const std::string path = dir_.filePath("growing.twin").toStdString();
        const Campus small = loadCampusFile(siteFile("small.json"));
        WriterOptions o;
        o.overwrite = true;
        auto w = StoreWriter::create(path, small, o);
        sim::Params params = sim::scenario("steady-training", 20);
        params.recordGpus = false;
        sim::Simulator s(small, params);
        s.attach(*w);
        s.run(5);
        Event open;
        open.start = s.now() - 1'000;
        open.severity = Severity::Alarm;
        open.kind = "breaker_open";
        open.text = "Breaker open, not yet closed";
        const std::int64_t openId = w->addEvent(open);
        w->commit();

        Session live;
        live.open(path);
        TimelineWidget timeline(live);
        EventListPanel list(live);
        const std::size_t before = timeline.track()->markers().size();
        QCOMPARE(list.rowCount(), static_cast<int>(before));
        live.clock().setLive(true);
        auto rowOf = [&](std::int64_t id) {
            for (int r = 0; r < list.rowCount(); ++r)
                if (list.eventAt(r).id == id) return r;
            return -1;
        };
        QVERIFY(rowOf(openId) >= 0);
        QVERIFY(!list.eventAt(rowOf(openId)).end);
        list.activateRow(rowOf(openId));   // selects its row in the table
        live.clock().setLive(true);
        auto* table = child<QTableView>(&list, "events");
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(table->selectionModel()->selectedRows().front().row(), rowOf(openId));
        const TimeMs closedAt = s.now() + 2'000;
        w->endEvent(openId, closedAt);

        Event e;
        e.start = s.now();
        e.severity = Severity::Warning;
        e.kind = "operator_note";
        e.text = "Recorded while tailing";
        w->addEvent(e);
        s.run(10);
        w->commit();
        QSignalSpy grew(&live, &Session::dataGrew);
        QTRY_VERIFY(!grew.isEmpty());   // the session's own tail timer
        QCOMPARE(timeline.track()->markers().size(), before + 1);
        QCOMPARE(timeline.track()->markers().back().text, e.text);
        QCOMPARE(list.rowCount(), static_cast<int>(before + 1));
        // The open event got its end in place; the row the user picked is still picked.
        QCOMPARE(list.eventAt(rowOf(openId)).end, std::optional<TimeMs>(closedAt));
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(table->selectionModel()->selectedRows().front().row(), rowOf(openId));
        QCOMPARE(live.clock().time(), live.clock().span().last);   // LIVE follows the end
        QCOMPARE(child<QLabel>(&timeline, "utc")->text(), views::formatUtcLong(live.clock().span().last));
        w->close();
    }

    // A live store (still being written): the acknowledgement goes beside it, to
    // <store>.review (the store itself is not written by the viewer), survives the writer going on
    // and ending its alarm, and a restarted viewer (new session, new panel) reads who and when.
    void liveStoreAcknowledgementSurvivesRestart() {
        const std::string path = dir_.filePath("live-acks.twin").toStdString();
        const Campus small = loadCampusFile(siteFile("small.json"));
        WriterOptions o;
        o.overwrite = true;
        auto w = StoreWriter::create(path, small, o);
        sim::Params params = sim::scenario("steady-training", 20);
        params.recordGpus = false;
        sim::Simulator s(small, params);
        s.attach(*w);
        s.run(5);
        Event alarm;
        alarm.start = s.now() - 1'000;
        alarm.severity = Severity::Alarm;
        alarm.asset = small.assets[small.assetsOfKind(AssetKind::Turbine).front()].id;
        alarm.kind = "turbine_trip";
        alarm.text = "Tripped while live";
        const std::int64_t id = w->addEvent(alarm);
        w->commit();
        QSettings().setValue("operatorName", "live-operator");
        {
            Session live;
            live.open(path);
            live.clock().setLive(true);
            EventListPanel list(live);
            int row = -1;
            for (int r = 0; r < list.rowCount(); ++r)
                if (list.eventAt(r).id == id) row = r;
            QVERIFY(row >= 0);
            list.selectRows({row});
            QCOMPARE(list.acknowledgeSelected(), 1);
            QCOMPARE(list.acks().path(), QString::fromStdString(path + ".review"));
            // The writer goes on and the condition clears; the acknowledgement stays.
            w->endEvent(id, s.now() + 500);
            s.run(8);
            w->commit();
            QSignalSpy grew(&live, &Session::dataGrew);
            QTRY_VERIFY(!grew.isEmpty());
            QVERIFY(list.acks().acknowledged(id));
        }
        w->close();
        QSettings().remove("operatorName");
        // Restarted: a new session and panel on the same store.
        Session again;
        again.open(path);
        EventListPanel list(again);
        const auto a = list.acks().acknowledgement(id);
        QVERIFY(a);
        QCOMPARE(a->by, std::string("live-operator"));
        QVERIFY(std::llabs(a->at - QDateTime::currentMSecsSinceEpoch()) < 60'000);
        int row = -1;
        for (int r = 0; r < list.rowCount(); ++r)
            if (list.eventAt(r).id == id) row = r;
        QVERIFY(row >= 0);
        QCOMPARE(child<QTableView>(&list, "events")->model()->index(row, EventTableModel::Ack).data().toString(),
                 QString::fromUtf8("✓"));
        QVERIFY(child<QTableView>(&list, "events")->model()->index(row, EventTableModel::Ack).data(Qt::ToolTipRole)
                    .toString().startsWith("Acknowledged by live-operator at "));
        // The store holds no acknowledgement table: only the review file does.
        auto reader = StoreReader::open(path);
        QVERIFY(reader->query("SELECT name FROM sqlite_schema WHERE name = 'event_ack'").empty());
    }

    // --- event list ----------------------------------------------------------------------

    void eventListShowsEveryEvent() {
        EventListPanel p(*session_);
        showWidget(p, 900, 500);
        QCOMPARE(p.rowCount(), static_cast<int>(events_.size()));
        QCOMPARE(child<QTableView>(&p, "events")->model()->rowCount(), static_cast<int>(events_.size()));
        std::vector<std::int64_t> shown, stored;
        for (int r = 0; r < p.rowCount(); ++r) shown.push_back(p.eventAt(r).id);
        for (const Event& e : events_) stored.push_back(e.id);
        std::sort(shown.begin(), shown.end());
        std::sort(stored.begin(), stored.end());
        QCOMPARE(shown, stored);
        // Sorted by time; the row of the trip shows its time, severity, asset and kind.
        for (int r = 1; r < p.rowCount(); ++r) QVERIFY(p.eventAt(r - 1).start <= p.eventAt(r).start);
        QAbstractItemModel* m = child<QTableView>(&p, "events")->model();
        int tripRow = -1;
        for (int r = 0; r < p.rowCount(); ++r)
            if (p.eventAt(r).id == trip_.id) tripRow = r;
        QVERIFY(tripRow >= 0);
        // One UTC day: the time of day, the date in the tooltip; the message second.
        QCOMPARE(m->index(tripRow, EventTableModel::Time).data().toString(), views::formatUtcClockMs(trip_.start));
        QVERIFY(m->index(tripRow, EventTableModel::Time).data(Qt::ToolTipRole).toString().startsWith(views::formatUtcLong(trip_.start)));
        QCOMPARE(m->index(tripRow, EventTableModel::Text).data().toString(), QString::fromStdString(trip_.text));
        QCOMPARE(m->index(tripRow, EventTableModel::Severity).data().toString(), QString("alarm"));
        QCOMPARE(m->index(tripRow, EventTableModel::Asset).data().toString(),
                 QString::fromStdString(campus().assets[campus().find(trip_.asset)].name));
        QCOMPARE(m->index(tripRow, EventTableModel::Kind).data().toString(), QString("turbine_trip"));
    }

    // Acknowledging from the event list: the Ack column shows "●" for alarms (nothing for info
    // events); Ctrl+K on two selected alarms writes who (the operatorName setting) and when to
    // the review file beside the recording, and the column shows "✓" (who and when in its tooltip); the context menu
    // acknowledges too; the events stay listed (and bold while active). A second panel - another
    // program on the same recording - sees the acknowledgement at its next poll.
    void eventListAcknowledgesAlarms() {
        const std::string rec = dir_.filePath("acks.twin").toStdString();
        QVERIFY(copyRecording(recordings::kTripEvents60, rec));
        QSettings().setValue("operatorName", "test-operator");
        Session session;
        session.open(rec);
        session.clock().seek(session.clock().span().last);
        EventListPanel p(session);
        showWidget(p, 1000, 500);
        QAbstractItemModel* m = child<QTableView>(&p, "events")->model();
        auto* button = child<QPushButton>(&p, "acknowledge");
        std::vector<int> alarms;
        int info = -1;
        for (int r = 0; r < p.rowCount(); ++r) {
            if (p.eventAt(r).severity >= Severity::Alarm) alarms.push_back(r);
            if (p.eventAt(r).severity == Severity::Info) info = r;
        }
        QVERIFY(alarms.size() >= 3);
        QVERIFY(info >= 0);
        for (int r : alarms) {
            QCOMPARE(m->index(r, EventTableModel::Ack).data().toString(), QString::fromUtf8("●"));
            QVERIFY(m->index(r, EventTableModel::Ack).data(Qt::ToolTipRole).toString().startsWith("Not acknowledged"));
        }
        QCOMPARE(m->index(info, EventTableModel::Ack).data().toString(), QString());
        QVERIFY(!button->isEnabled());   // nothing selected

        const std::int64_t a0 = p.eventAt(alarms[0]).id, a1 = p.eventAt(alarms[1]).id;
        const int rows = p.rowCount();
        p.selectRows({alarms[0], alarms[1]});
        QVERIFY(button->isEnabled());
        // The key works where the panel has the focus, in the active window.
        p.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&p));
        child<QTableView>(&p, "events")->setFocus();
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QTest::keyClick(child<QTableView>(&p, "events"), Qt::Key_K, Qt::ControlModifier);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        // In the review file: who and when.
        {
            auto rv = ReviewFile::open(rec);
            for (std::int64_t id : {a0, a1}) {
                const auto a = rv->acknowledgement(id);
                QVERIFY(a);
                QCOMPARE(a->by, std::string("test-operator"));
                QVERIFY(a->at >= before && a->at <= after);
            }
            QCOMPARE(rv->acknowledgements().size(), std::size_t(2));
        }
        // In the list: the column, the tooltip, the detail; still listed, nothing else acknowledged.
        QCOMPARE(p.rowCount(), rows);
        for (int r = 0; r < p.rowCount(); ++r) {
            const bool acked = p.eventAt(r).id == a0 || p.eventAt(r).id == a1;
            QCOMPARE(m->index(r, 0).data(EventTableModel::AckedRole).toBool(), acked);
            if (acked) {
                QCOMPARE(m->index(r, EventTableModel::Ack).data().toString(), QString::fromUtf8("✓"));
                QVERIFY(m->index(r, EventTableModel::Ack).data(Qt::ToolTipRole).toString().startsWith("Acknowledged by test-operator at "));
            }
        }
        QVERIFY(p.detailText().contains("Acknowledged by test-operator"));
        QVERIFY(!button->isEnabled());   // both already acknowledged
        // Still active alarms (no end at the clock's time) stay bold.
        for (int r : {alarms[0], alarms[1]})
            if (EventTableModel::activeAt(p.eventAt(r), session.clock().time()))
                QVERIFY(m->index(r, 0).data(Qt::FontRole).value<QFont>().bold());

        // Another panel (another program on the same recording) reads it from the review file.
        EventListPanel other(session);
        QVERIFY(other.acks().acknowledged(a0) && other.acks().acknowledged(a1));

        // The context menu: on a third alarm (or the info row, where it is disabled).
        const int third = alarms[2];
        auto* table = child<QTableView>(&p, "events");
        auto menuOn = [&](int row, bool expectEnabled) {
            p.selectRows({row});
            bool seen = false;
            QTimer::singleShot(0, [&] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                QVERIFY(menu);
                QCOMPARE(menu->actions().front()->text(), QString("Acknowledge"));
                QCOMPARE(menu->actions().front()->isEnabled(), expectEnabled);
                seen = true;
                if (expectEnabled) menu->actions().front()->trigger();
                menu->close();
            });
            const QRect cell = table->visualRect(table->model()->index(row, EventTableModel::Text));
            QContextMenuEvent e(QContextMenuEvent::Mouse, cell.center(), table->viewport()->mapToGlobal(cell.center()));
            QApplication::sendEvent(table->viewport(), &e);
            QVERIFY(seen);
        };
        menuOn(info, false);
        QCOMPARE(p.acks().all().size(), std::size_t(2));
        menuOn(third, true);
        QVERIFY(p.acks().acknowledged(p.eventAt(third).id));
        QCOMPARE(ReviewFile::open(rec)->acknowledgements().size(), std::size_t(3));
        // The key is listed in the view's input help.
        const auto help = EventListPanel::inputHelp();
        QVERIFY(std::any_of(help.begin(), help.end(), [](const InputHelp& h) { return h.input.contains("Ctrl+K"); }));
        QSettings().remove("operatorName");
    }

    // Without the setting, who is the OS user name.
    void operatorNameIsTheUserName() {
        QSettings().remove("operatorName");
        const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"));
        if (!user.isEmpty()) QCOMPARE(AlarmAcks::operatorName(), user.trimmed());
        else QVERIFY(!AlarmAcks::operatorName().isEmpty());
        QSettings().setValue("operatorName", "  night shift ");
        QCOMPARE(AlarmAcks::operatorName(), QString("night shift"));
        QSettings().remove("operatorName");
    }

    void eventListFilters() {
        EventListPanel p(*session_);
        auto* severity = child<QComboBox>(&p, "severityFilter");
        auto* text = child<QLineEdit>(&p, "textFilter");
        auto* kind = child<QComboBox>(&p, "kindFilter");

        severity->setCurrentIndex(severity->findText("Alarm+"));
        const auto alarms = std::count_if(events_.begin(), events_.end(), [](const Event& e) { return e.severity >= Severity::Alarm; });
        QVERIFY(alarms > 0);
        QVERIFY(alarms < static_cast<long>(events_.size()));
        QCOMPARE(p.rowCount(), static_cast<int>(alarms));
        for (int r = 0; r < p.rowCount(); ++r) QVERIFY(p.eventAt(r).severity >= Severity::Alarm);
        severity->setCurrentIndex(severity->findText("Critical"));
        QCOMPARE(p.rowCount(), 1);
        QCOMPARE(p.eventAt(0).kind, std::string("coolant_leak"));
        severity->setCurrentIndex(severity->findText("Warning+"));
        QCOMPARE(p.rowCount(), static_cast<int>(std::count_if(events_.begin(), events_.end(), [](const Event& e) {
                     return e.severity >= Severity::Warning; })));
        severity->setCurrentIndex(severity->findText("All"));
        QCOMPARE(p.rowCount(), static_cast<int>(events_.size()));

        // Text: case-insensitive, in the text, the asset (id or name) or the kind.
        const QString needle = "TRIP";
        const auto matching = std::count_if(events_.begin(), events_.end(), [&](const Event& e) {
            const AssetIndex a = campus().find(e.asset);
            return containsCi(e.text, needle) || containsCi(e.asset, needle) || containsCi(e.kind, needle) ||
                   (a != kNoAsset && containsCi(campus().assets[a].name, needle));
        });
        text->setText(needle);
        QVERIFY(matching >= 1);
        QCOMPARE(p.rowCount(), static_cast<int>(matching));
        for (int r = 0; r < p.rowCount(); ++r)
            QVERIFY(containsCi(p.eventAt(r).text, needle) || containsCi(p.eventAt(r).kind, needle) ||
                    containsCi(p.eventAt(r).asset, needle));
        text->clear();
        QCOMPARE(p.rowCount(), static_cast<int>(events_.size()));

        // Kind: "All" and the kinds of the events' assets (GPUs and jobs included).
        QStringList kinds;
        for (int i = 0; i < kind->count(); ++i) kinds << kind->itemText(i);
        QCOMPARE(kinds, QStringList({"All", "bus", "gpu", "hall", "job", "rack", "turbine"}));
        kind->setCurrentIndex(kind->findText("gpu"));
        QCOMPARE(p.rowCount(), 1);
        QCOMPARE(p.eventAt(0).asset, campus().gpuId(7));
        const int turbine = kind->findText("turbine");
        QVERIFY(turbine > 0);
        kind->setCurrentIndex(turbine);
        QVERIFY(p.rowCount() >= 1);
        for (int r = 0; r < p.rowCount(); ++r)
            QCOMPARE(campus().assets[campus().find(p.eventAt(r).asset)].kind, AssetKind::Turbine);
    }

    void activatingARowSeeksAndSelects() {
        EventListPanel p(*session_);
        child<QLineEdit>(&p, "textFilter")->setText("turbine_trip");
        QCOMPARE(p.rowCount(), 1);
        QCOMPARE(p.eventAt(0).id, trip_.id);
        p.activateRow(0);
        QCOMPARE(clock().time(), trip_.start);
        QCOMPARE(session_->selection().asset, campus().find(trip_.asset));

        // A click on the row does the same.
        clock().seek(span_.first);
        session_->select({});
        showWidget(p, 900, 500);
        auto* table = child<QTableView>(&p, "events");
        const QRect cell = table->visualRect(table->model()->index(0, EventTableModel::Text));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(clock().time(), trip_.start);
        QCOMPARE(session_->selection().asset, campus().find(trip_.asset));

        // A GPU's event selects the GPU, a job's the job; a campus-wide one leaves the selection.
        auto* text = child<QLineEdit>(&p, "textFilter");
        text->setText("ECC errors");
        QCOMPARE(p.rowCount(), 1);
        p.activateRow(0);
        QCOMPARE(clock().time(), span_.first + 12'000);
        QCOMPARE(session_->selection().gpu, 7);
        QCOMPARE(session_->selection().asset, kNoAsset);
        text->setText("job_slow");
        QCOMPARE(p.rowCount(), 1);
        p.activateRow(0);
        QCOMPARE(clock().time(), span_.first + 45'000);
        const auto& jobs = session_->reader().jobs();
        const auto job = std::find_if(jobs.begin(), jobs.end(), [&](const Job& j) { return j.name == p.eventAt(0).asset; });
        QVERIFY(job != jobs.end());
        QCOMPARE(session_->selection().job, job->id);
        text->setText("shift change");
        QCOMPARE(p.rowCount(), 1);
        p.activateRow(0);
        QCOMPARE(clock().time(), span_.first + 30'000);
        QCOMPARE(session_->selection().job, job->id);
    }

    void activeEventsAreBold() {
        EventListPanel p(*session_);
        child<QLineEdit>(&p, "textFilter")->setText("turbine_trip");
        QVERIFY(!trip_.end);   // a trip is instantaneous: active from its start on
        const QModelIndex row = child<QTableView>(&p, "events")->model()->index(0, EventTableModel::Text);
        clock().seek(trip_.start - 1);
        QVERIFY(!row.data(Qt::FontRole).value<QFont>().bold());
        clock().seek(trip_.start);
        QVERIFY(row.data(Qt::FontRole).value<QFont>().bold());
        clock().seek(span_.last);
        QVERIFY(row.data(Qt::FontRole).value<QFont>().bold());
        // A lasting event is bold from its start until (not at) its end.
        child<QLineEdit>(&p, "textFilter")->setText("coolant_leak");
        const QModelIndex leak = child<QTableView>(&p, "events")->model()->index(0, EventTableModel::Text);
        const std::vector<std::pair<TimeMs, bool>> expected = {{39'999, false}, {40'000, true}, {49'999, true}, {50'000, false}};
        for (const auto& [t, bold] : expected) {
            clock().seek(span_.first + t);
            QCOMPARE(leak.data(Qt::FontRole).value<QFont>().bold(), bold);
        }
    }
};

QTEST_MAIN(TestTimeline)
#include "test_timeline.moc"
