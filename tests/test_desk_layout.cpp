// The desk window's arrangement under Xvfb: at 1280×720 the header's LIVE / REPLAY and the
// clock's times are whole; the layout presets show the panels of their job; Reset layout brings
// every panel back; Help ▸ Keyboard shortcuts lists the keys from the menus themselves; the
// clock's keys work wherever the focus is, except in a text field; one colour-by choice for every view.
#include "main_window.h"

#include "common/asset_search.h"
#include "compute/floor_plans_panel.h"
#include "compute/rack_drilldown.h"
#include "timeline/event_list_panel.h"

#include "support/recordings.h"
#include "support/widgets.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QStyle>
#include <QtTest>

using namespace twin;
using namespace testsupport;

namespace {

// A window of exactly `size`, shown, its default layout applied (it is applied after the show).
void showAt(MainWindow& w, QSize size) {
    w.setFixedSize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(50);
}

// Whether a label shows its whole text: as wide as it asks to be, and inside the window.
bool whole(QWidget* window, QLabel* label) {
    const QRect r(label->mapTo(window, QPoint(0, 0)), label->size());
    return label->isVisible() && label->width() >= label->sizeHint().width() && window->rect().contains(r);
}

QAction* actionNamed(QWidget* w, const QString& name) { return w->findChild<QAction*>(name); }

} // namespace

class TestDeskLayout : public QObject {
    Q_OBJECT
    std::string trip_;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);   // no settings of the user's read or written
        trip_ = sharedRecording(recordings::kTrip60);
    }

    void headerAndClockAreWholeAtEverySize_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }
    void headerAndClockAreWholeAtEverySize() {
        QFETCH(QSize, size);
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(trip_), false));
        showAt(w, size);
        QVERIFY2(whole(&w, w.headerMode()), qPrintable(QString("%1 px of %2").arg(w.headerMode()->width()).arg(w.headerMode()->sizeHint().width())));
        QCOMPARE(w.headerMode()->text().contains("REPLAY"), true);
        for (const char* name : {"utc", "local"}) {
            auto* label = w.findChild<QLabel*>(name);
            QVERIFY(label);
            QVERIFY2(whole(&w, label), qPrintable(QString("%1: %2 px of %3").arg(name).arg(label->width()).arg(label->sizeHint().width())));
        }
        // The side panels leave the 3D view most of the width.
        const int centre = w.centralWidget()->width();
        qInfo("%dx%d: centre %d px wide", size.width(), size.height(), centre);
        QVERIFY(centre >= size.width() / 2);
    }

    void presetsShowThePanelsOfTheirJob() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(trip_), false));
        showAt(w, QSize(1280, 720));
        DeskLayout& layout = w.deskLayout();
        const QStringList defaults = layout.frontDocks();
        QCOMPARE(defaults, QStringList({"computeTotalsDock", "eventsDock", "inspectorDock", "oneLineDock"}));

        actionNamed(&w, "layoutCompute")->trigger();
        QTest::qWait(20);
        QCOMPARE(layout.frontDocks(), QStringList({"computeTotalsDock", "floorPlansDock", "jobsDock"}));
        QVERIFY(layout.dock("oneLineDock")->isHidden());

        actionNamed(&w, "layoutElectrical")->trigger();
        QTest::qWait(20);
        QCOMPARE(layout.frontDocks(), QStringList({"eventsDock", "inspectorDock", "oneLineDock"}));
        QVERIFY(layout.dock("floorPlansDock")->isHidden());
        // The diagram gets the room: the bottom is larger than in the default.
        const int electricalBottom = layout.dock("oneLineDock")->height();

        actionNamed(&w, "layoutReview")->trigger();
        QTest::qWait(20);
        QCOMPARE(layout.frontDocks(), QStringList({"eventsDock", "inspectorDock", "powerChartsDock"}));

        // Panels closed by hand, then Reset layout: every panel back, the default in front.
        layout.dock("eventsDock")->close();
        layout.dock("inspectorDock")->close();
        actionNamed(&w, "resetLayout")->trigger();
        QTest::qWait(20);
        QCOMPARE(layout.frontDocks(), defaults);
        for (QDockWidget* d : w.findChildren<QDockWidget*>()) QVERIFY2(!d->isHidden(), qPrintable(d->objectName()));
        QVERIFY(layout.dock("oneLineDock")->height() < electricalBottom);
        // View ▸ Panels lists every panel, checked when shown.
        QMenu* view = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == "&View") view = a->menu();
        QVERIFY(view);
        QMenu* panels = nullptr;
        for (QAction* a : view->actions())
            if (a->menu() && a->text() == "&Panels") panels = a->menu();
        QVERIFY(panels);
        QCOMPARE(panels->actions().size(), w.findChildren<QDockWidget*>().size());
        for (QAction* a : panels->actions()) QVERIFY2(a->isChecked(), qPrintable(a->text()));
    }

    void oneColourByChoiceForEveryView() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(trip_), false));
        auto* floorPlans = w.findChild<views::FloorPlansPanel*>();
        auto* drilldown = w.findChild<views::RackDrilldown*>();
        QVERIFY(floorPlans && drilldown);
        auto* plansBox = floorPlans->findChild<QComboBox*>("quantity");
        auto* rackBox = drilldown->findChild<QComboBox*>("quantity");
        QVERIFY(plansBox && rackBox);
        const auto shown = [](QComboBox* c) { return static_cast<views::RackQuantity>(c->currentData().toInt()); };
        // At the start, all three say what the toolbar says.
        QCOMPARE(static_cast<views::RackQuantity>(w.quantityBox()->currentIndex()), views::RackQuantity::Power);
        QCOMPARE(shown(plansBox), views::RackQuantity::Power);
        QCOMPARE(shown(rackBox), views::RackQuantity::Power);
        // The toolbar's choice reaches the others; either of theirs reaches the toolbar and the rest.
        w.quantityBox()->setCurrentIndex(static_cast<int>(views::RackQuantity::Utilisation));
        QCOMPARE(shown(plansBox), views::RackQuantity::Utilisation);
        QCOMPARE(shown(rackBox), views::RackQuantity::Utilisation);
        plansBox->setCurrentIndex(plansBox->findData(static_cast<int>(views::RackQuantity::Health)));
        QCOMPARE(w.quantityBox()->currentIndex(), static_cast<int>(views::RackQuantity::Health));
        QCOMPARE(shown(rackBox), views::RackQuantity::Health);
        rackBox->setCurrentIndex(rackBox->findData(static_cast<int>(views::RackQuantity::InletTemperature)));
        QCOMPARE(w.quantityBox()->currentIndex(), static_cast<int>(views::RackQuantity::InletTemperature));
        QCOMPARE(shown(plansBox), views::RackQuantity::InletTemperature);
    }

    // The splitters between the docks are wide enough to grab: 8 px, the separator drawn.
    void splittersAreWideEnoughToGrab() {
        Session session;
        MainWindow w(session);
        showAt(w, QSize(1280, 720));
        QCOMPARE(w.style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, &w), 8);
        // Between the events dock and the centre: a column of the separator's colour, 8 px wide.
        QDockWidget* events = w.findChild<QDockWidget*>("eventsDock");
        QVERIFY(events && events->isVisible());
        const QImage shot = w.grab().toImage();
        const int y = events->geometry().center().y();
        int run = 0;
        for (int x = events->geometry().right() + 1; x < events->geometry().right() + 20; ++x)
            if (shot.pixelColor(x, y) == QColor(0x2b, 0x30, 0x38)) ++run;
        QCOMPARE(run, 8);
    }

    void keyboardShortcutsAreListedFromTheMenus() {
        Session session;
        MainWindow w(session);
        showAt(w, QSize(1280, 720));
        actionNamed(&w, "keyboardShortcuts")->trigger();
        auto* dialog = w.findChild<QDialog*>("shortcutsDialog");
        QVERIFY(dialog && dialog->isVisible());
        auto* table = dialog->findChild<QTableWidget*>("shortcutsTable");
        QVERIFY(table);
        QMap<QString, QString> rows;
        for (int i = 0; i < table->rowCount(); ++i) rows[table->item(i, 0)->text()] = table->item(i, 1)->text();
        QCOMPARE(rows.value("Space"), QString("Play or pause"));
        QVERIFY(rows.value("Home / End").startsWith("Jump"));
        // Read from the menus: the bookmark's key and the presets' keys, with their entries.
        QVERIFY2(rows.value("Ctrl+B").contains("Add bookmark"), qPrintable(rows.value("Ctrl+B")));
        QVERIFY(rows.value("Ctrl+2").contains("Compute"));
        QVERIFY(rows.value("F1").contains("Keyboard shortcuts"));
        QVERIFY(rows.value("]").contains("Review"));
        QVERIFY(rows.value("F").contains("Frame selection"));
        // And what each view answers where the pointer or the focus is.
        QStringList all;
        for (int i = 0; i < table->rowCount(); ++i) all << table->item(i, 0)->text() + " = " + table->item(i, 1)->text();
        for (const QString want : {"L = One-line diagram: locate the selection", "Click = Charts: move the clock there",
                                    "Double-click = Floor plan: the whole hall again (as Fit)"})
            QVERIFY2(all.contains(want), qPrintable(want));
        // Every menu entry with a key is there.
        int withKeys = 0;
        for (QAction* a : w.findChildren<QAction*>())
            if (!a->shortcut().isEmpty() && !a->menu() && !a->associatedObjects().isEmpty()) ++withKeys;
        QVERIFY(table->rowCount() >= withKeys);
        dialog->close();
    }

    void clockKeysWorkExceptInTextFields() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(trip_), false));
        showAt(w, QSize(1280, 720));
        Clock& clock = session.clock();
        clock.jumpToStart();
        const TimeMs start = clock.time();
        // In the event table: the arrows and Space drive the clock.
        auto* table = w.findChild<views::EventListPanel*>()->findChild<QTableView*>();
        QVERIFY(table);
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Right);
        QCOMPARE(clock.time(), start + 1000);
        QTest::keyClick(table, Qt::Key_End);
        QCOMPARE(clock.time(), clock.span().last);
        QTest::keyClick(table, Qt::Key_Home);
        QCOMPARE(clock.time(), start);
        QTest::keyClick(table, Qt::Key_Space);
        QVERIFY(clock.playing());
        QTest::keyClick(table, Qt::Key_Space);
        QVERIFY(!clock.playing());
        // In the search field they type and move the text cursor.
        auto* search = w.findChild<views::AssetSearch*>();
        QVERIFY(search);
        search->setFocus();
        QTest::keyClicks(search, "gt s");
        QTest::keyClick(search, Qt::Key_Home);
        QTest::keyClick(search, Qt::Key_Right);
        QCOMPARE(search->text(), QString("gt s"));
        QCOMPARE(search->cursorPosition(), 1);
        QCOMPARE(clock.time(), start);
        QVERIFY(!clock.playing());
    }
};

QTEST_MAIN(TestDeskLayout)
#include "test_desk_layout.moc"
