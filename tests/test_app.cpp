// The desktop app: the main window (its inspector following the clock, the Review menu and the
// Bookmarks dock), live data written by another process, and colossus-twin on the command line (a
// bad store's error and exit code, a screenshot), against the shared recording crash-60. The
// views it holds have their own programs (test_campus3d, test_electrical, test_common, ...).
#include "common/inspector_panel.h"
#include "main_window.h"
#include "review/bookmarks_panel.h"
#include "timeline/event_list_panel.h"
#include "timeline/timeline_widget.h"

#include "support/app_process.h"
#include "support/child_writer.h"
#include "support/pixels.h"
#include "support/recordings.h"
#include "support/sql_file.h"

#include "twin/query/series_query.h"

#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace twin;
using namespace views;
using namespace testsupport;

class TestApp : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string crash_;   // small campus, its only job crashes at 30 s

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        crash_ = sharedRecording(recordings::kCrash60);
    }

    void inspectorFollowsTheClock() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(crash_), false));
        w.show();
        auto* inspector = w.findChild<InspectorPanel*>();
        QVERIFY(inspector);
        const AssetIndex rack = session.campus().racks()[1];
        session.select({rack});
        const int series = session.reader().findSeries(twin::sim::series::Rack::name);
        for (TimeMs t : {20'000, 50'000}) {
            session.clock().seek(session.clock().span().first + t);
            QCoreApplication::processEvents();
            const auto st = session.reader().seriesAt(series, session.clock().time());
            const double want = st.values[twin::sim::series::Rack::Power][1];
            const double shown = inspector->valueText("power").toDouble();
            QVERIFY2(std::abs(shown - want) <= 0.05 + 1e-3 * std::abs(want),
                     qPrintable(QString("inspector shows %1, store has %2").arg(inspector->valueText("power")).arg(want)));
        }
    }

    void liveDataAppearsWithinHalfASecond() {
        // A writer in another process commits a frame every 200 ms; the session in live mode
        // must show each one (clock at its time, state recomputed) within 0.5 s.
        const QString path = dir_.filePath("live.twin");
        QProcess writer;
        QVERIFY(startWriter(writer, path, 200, 1, 25));
        Session session;
        session.open(path.toStdString());
        session.clock().setLive(true);
        double worst = 0;
        int seen = 0;
        while (seen < 25 && writer.state() != QProcess::NotRunning) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            if (!writer.canReadLine()) {
                writer.waitForReadyRead(5);
                continue;
            }
            const auto commit = parseCommit(writer.readLine());
            if (!commit) continue;
            const TimeMs t = commit->t;
            QElapsedTimer waited;
            waited.start();
            while (session.clock().time() < t && waited.elapsed() < 3000) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            QCOMPARE(session.clock().time(), t);
            QVERIFY(session.series("gpu")->valid && session.series("gpu")->t == t);
            worst = std::max(worst, static_cast<double>(waited.elapsed()));
            seen = static_cast<int>(commit->frames);
        }
        writer.waitForFinished(10000);
        qInfo("live: every commit shown within %.0f ms", worst);
        QCOMPARE(seen, 25);
        QVERIFY(worst <= 500);
    }

    void badStoreGivesOneLineAndExitCode() {
        const QString bad = dir_.filePath("bad.twin");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a store");
        f.close();
        QProcess p;
        p.setProcessEnvironment(quietEnvironment());
        p.start(appProgram(), {bad, "--screenshot", dir_.filePath("x.png")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
        QVERIFY2(err.startsWith("colossus-twin: ") && err.contains(bad) && err.contains("not an SQLite database"), qPrintable(err));
        QVERIFY(!QFile::exists(dir_.filePath("x.png")));
    }

    void screenshotWritesAPicture() {
        const QString png = dir_.filePath("shot.png");
        QProcess p;
        p.setProcessEnvironment(quietEnvironment());
        p.start(appProgram(),
                {QString::fromStdString(crash_), "--screenshot", png, "--size", "800x600", "--at", "+20"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QImage img(png);
        QCOMPARE(img.size(), QSize(800, 600));
        // Not empty: many distinct colours.
        QVERIFY(distinctColours(img, img.rect(), 7) > 50);
    }

    // Incident review in the window (issue #7): the Bookmarks dock tabbed with the events, the
    // Review menu's actions and keys, driving the timeline's navigator and the bookmarks panel.
    void eventListFollowsTheReviewKeys() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(sharedRecording(recordings::kTripEvents60)), false));
        auto* list = w.findChild<views::EventListPanel*>();
        views::EventNavigator* nav = w.timeline()->navigator();
        nav->setMinimumSeverity(Severity::Info);
        QVERIFY(nav->events().size() >= 3);
        session.clock().seek(session.clock().span().first);
        std::vector<std::int64_t> seen;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(nav->jumpToNext());
            QVERIFY(list->selectedRow() >= 0);
            QCOMPARE(list->eventAt(list->selectedRow()).id, nav->currentEvent()->id);
            seen.push_back(nav->currentEvent()->id);
        }
        QCOMPARE(std::set<std::int64_t>(seen.begin(), seen.end()).size(), std::size_t(3));
        QVERIFY(nav->jumpToPrevious());
        QCOMPARE(list->eventAt(list->selectedRow()).id, seen[1]);
        QVERIFY(list->detailText().contains(QString::fromStdString(nav->currentEvent()->text).toHtmlEscaped()));
    }

    // A damaged frame met while playing: the header says DAMAGED DATA beside REPLAY (with the
    // series in its tooltip) and the views keep the latest readable state.
    void headerSaysDamagedDataWasSkipped() {
        const std::string path = dir_.filePath("damaged.twin").toStdString();
        QVERIFY(copyRecording(recordings::kCrash60, path));
        TimeMs bad = 0;
        {
            auto r = StoreReader::open(path);
            const int rack = r->findSeries("rack");
            const auto times = r->frameTimes(rack, r->span().first, r->span().last);
            QVERIFY(times.size() > 10);
            bad = times[times.size() / 2];
            sqliteExec(path, "UPDATE frame SET data = randomblob(40) WHERE series = " + std::to_string(rack) +
                                 " AND t = " + std::to_string(bad));
        }
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(path), false));
        auto* mode = w.findChild<QLabel*>("headerMode");
        QVERIFY(mode);
        QVERIFY(!mode->text().contains("DAMAGED"));
        session.clock().seek(bad);
        QTRY_VERIFY(mode->text().contains("DAMAGED DATA"));
        QVERIFY(mode->text().contains("REPLAY"));
        QVERIFY2(mode->toolTip().contains("rack"), qPrintable(mode->toolTip()));
        QVERIFY(session.series("rack")->damaged);
        QVERIFY(session.series("rack")->t < bad);
    }

    void reviewMenuAndBookmarksDock() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(crash_), false));
        auto* events = w.findChild<QDockWidget*>("eventsDock");
        auto* bookmarks = w.findChild<QDockWidget*>("bookmarksDock");
        QVERIFY(events && bookmarks);
        QCOMPARE(bookmarks->windowTitle(), QString("Bookmarks"));
        QCOMPARE(w.dockWidgetArea(bookmarks), Qt::LeftDockWidgetArea);
        QVERIFY(w.tabifiedDockWidgets(events).contains(bookmarks));
        QCOMPARE(bookmarks->widget(), w.bookmarksPanel());
        QCOMPARE(w.timeline()->track()->bookmarkModel(), w.bookmarksPanel()->model());

        QMenu* review = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == "&Review") review = a->menu();
        QVERIFY(review);
        QMap<QString, QAction*> act;
        for (QAction* a : review->actions()) act[a->text()] = a;
        const std::vector<std::pair<QString, QString>> keys = {{"Add &bookmark…", "Ctrl+B"}, {"&Previous event", "["},
            {"&Next event", "]"}, {"P&lay to next event", "}"}, {"L&oop review window", "L"}};
        for (const auto& [text, key] : keys) {
            QVERIFY2(act.value(text), qPrintable(text));
            QCOMPARE(act[text]->shortcut(), QKeySequence(key));
        }

        // Next event: the first warning or worse of the store; its asset selected.
        const TimeSpan span = session.clock().span();
        std::vector<Event> serious;
        for (const Event& e : session.reader().events(span.first, span.last))
            if (e.severity >= Severity::Warning) serious.push_back(e);
        QVERIFY(!serious.empty());
        const Event first = *std::min_element(serious.begin(), serious.end(),
                                              [](const Event& a, const Event& b) { return a.start < b.start; });
        session.clock().seek(span.first);
        act["&Next event"]->trigger();
        QCOMPARE(session.clock().time(), first.start);
        // The event list follows: the event's row selected, its message in the detail pane.
        auto* list = w.findChild<views::EventListPanel*>();
        QVERIFY(list);
        QVERIFY(list->selectedRow() >= 0);
        QCOMPARE(list->eventAt(list->selectedRow()).id, first.id);
        QVERIFY2(list->detailText().contains(QString::fromStdString(first.text).toHtmlEscaped()), qPrintable(list->detailText()));

        act["L&oop review window"]->trigger();
        QVERIFY(session.clock().hasLoop());
        QVERIFY(act["L&oop review window"]->isChecked());
        QCOMPARE(session.clock().loop().first, std::max(span.first, first.start - 30'000));
        act["L&oop review window"]->trigger();
        QVERIFY(!session.clock().hasLoop());

        // Add bookmark: the prompt of the Bookmarks dock, for the clock's time.
        act["Add &bookmark…"]->trigger();
        QDialog* prompt = w.bookmarksPanel()->addDialog();
        QVERIFY(prompt);
        prompt->reject();
        QTRY_VERIFY(!w.bookmarksPanel()->addDialog());
    }
};

QTEST_MAIN(TestApp)
#include "test_app.moc"
