#include "main_window.h"

#include "actions/compare_action.h"
#include "actions/export_menu.h"
#include "actions/frame_selection_action.h"
#include "actions/layout_actions.h"
#include "actions/open_store_action.h"
#include "actions/quit_action.h"
#include "actions/recent_files_menu.h"
#include "actions/review_actions.h"
#include "actions/shortcuts_action.h"
#include "actions/viewpoints_menu.h"
#include "review/compare_window.h"
#include "transport_keys.h"

#include "campus3d/campus_view.h"
#include "common/legend_bar.h"
#include "common/asset_search.h"
#include "common/inspector_panel.h"
#include "compute/compute_totals.h"
#include "compute/floor_plans_panel.h"
#include "compute/jobs_panel.h"
#include "compute/rack_drilldown.h"
#include "electrical/one_line_diagram.h"
#include "electrical/power_charts_panel.h"
#include "heatmap/heat_map_panel.h"
#include "review/bookmarks_panel.h"
#include "timeline/event_list_panel.h"
#include "timeline/timeline_widget.h"

#include <cstdio>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QTimeZone>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace twin;

MainWindow::MainWindow(Session& session, QWidget* parent) : QMainWindow(parent), session_(session) {
    setObjectName("mainWindow");
    setWindowTitle("Colossus Twin");
    setAcceptDrops(true);
    // Splitters between the docks wide enough to grab (8 px; Qt's default is 4-6), lit on hover.
    setStyleSheet("QMainWindow::separator { width: 8px; height: 8px; background: #2b3038; }"
                  "QMainWindow::separator:hover { background: #5c6673; }");

    auto* centre = new QWidget;
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    // The header: what is open on the left (clipped first in a narrow window), LIVE or REPLAY on
    // the right, always whole.
    auto* head = new QWidget;
    head->setObjectName("headerRow");
    head->setStyleSheet("QWidget#headerRow { background: #15181d; }"
                        "QLabel { color: #e8e8e8; padding: 6px 10px; font-size: 14px; }");
    auto* headLayout = new QHBoxLayout(head);
    headLayout->setContentsMargins(0, 0, 0, 0);
    headLayout->setSpacing(0);
    header_ = new QLabel("No store open: File ▸ Open, or drop a .twin file here");
    header_->setObjectName("header");
    header_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    headerMode_ = new QLabel;
    headerMode_->setObjectName("headerMode");
    headerMode_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    headLayout->addWidget(header_, 1);
    headLayout->addWidget(headerMode_);
    layout->addWidget(head);

    auto* bar = new QWidget;
    auto* barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->addWidget(new QLabel("Colour racks by"));
    quantity_ = new QComboBox;
    quantity_->setObjectName("quantity");
    for (auto q : {views::RackQuantity::Power, views::RackQuantity::Utilisation, views::RackQuantity::InletTemperature,
                   views::RackQuantity::Health})
        quantity_->addItem(views::rangeOf(q).label, views::nameOf(q));
    barLayout->addWidget(quantity_);
    barLayout->addSpacing(20);
    barLayout->addWidget(new QLabel("View"));
    viewpoint_ = new QComboBox;
    viewpoint_->setObjectName("viewpoint");
    barLayout->addWidget(viewpoint_);
    barLayout->addSpacing(20);
    // At 1280 px wide the docks leave the centre about 700 px: the bar's boxes give way first.
    for (QComboBox* c : {quantity_, viewpoint_}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }
    auto* search = new views::AssetSearch(session_);
    search->setMinimumWidth(160);
    barLayout->addWidget(search);
    barLayout->addStretch();
    layout->addWidget(bar);

    campus_ = new views::CampusView(session_);
    campus_->setObjectName("campusView");
    layout->addWidget(campus_, 1);
    legend_ = new views::LegendBar;
    layout->addWidget(legend_);
    timeline_ = new views::TimelineWidget(session_);
    layout->addWidget(timeline_);
    setCentralWidget(centre);

    auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    // Panels share a side as tabs: inspector, rack and floor plans on the right; events and
    // jobs on the left; the electrical views (one-line diagram, charts) below.
    QDockWidget* inspector = dock("Inspector", "inspectorDock", new views::InspectorPanel(session_), Qt::RightDockWidgetArea);
    auto* eventList = new views::EventListPanel(session_);
    QDockWidget* events = dock("Events", "eventsDock", eventList, Qt::LeftDockWidgetArea);
    // An activated alarm (double-click, Enter): its asset framed in the 3D view.
    connect(eventList, &views::EventListPanel::eventActivated, this, [this] { campus_->frameSelection(); });
    // The review keys' event highlighted in the list (the list follows the stepping).
    connect(timeline_->navigator(), &views::EventNavigator::currentChanged, eventList, [this, eventList] {
        if (const auto e = timeline_->navigator()->currentEvent()) eventList->highlightEvent(e->id);
    });
    dock("Compute totals", "computeTotalsDock", new views::ComputeTotals(session_), Qt::TopDockWidgetArea);
    auto* floorPlans = new views::FloorPlansPanel(session_);
    auto* drilldown = new views::RackDrilldown(session_);
    tabifyDockWidget(inspector, dock("Floor plans", "floorPlansDock", floorPlans, Qt::RightDockWidgetArea));
    tabifyDockWidget(inspector, dock("Rack", "rackDrilldownDock", drilldown, Qt::RightDockWidgetArea));
    tabifyDockWidget(events, dock("Jobs", "jobsDock", new views::JobsPanel(session_), Qt::LeftDockWidgetArea));
    // Bookmarks: one model (the review file beside the recording) for the panel and the timeline.
    bookmarks_ = new views::BookmarkModel(session_, this);
    bookmarksPanel_ = new views::BookmarksPanel(session_, bookmarks_);
    bookmarksDock_ = dock("Bookmarks", "bookmarksDock", bookmarksPanel_, Qt::LeftDockWidgetArea);
    tabifyDockWidget(events, bookmarksDock_);
    timeline_->setBookmarks(bookmarks_);
    QDockWidget* oneLine = dock("One-line diagram", "oneLineDock", new views::OneLineDiagram(session_), Qt::BottomDockWidgetArea);
    tabifyDockWidget(oneLine, dock("Power charts", "powerChartsDock", new views::PowerChartsPanel(session_), Qt::BottomDockWidgetArea));
    // The rack x time heat map: a tab beside them (its query runs when it is drawn).
    tabifyDockWidget(oneLine, dock("Heat map", "heatMapDock", new views::HeatMapPanel(session_), Qt::BottomDockWidgetArea));
    inspector->raise();
    events->raise();
    oneLine->raise();
    connect(search, &views::AssetSearch::flyToRequested, this, [this](const QString& id) { campus_->flyTo(id); });

    // One colour-by choice for every view: the toolbar's, the floor plans' and the rack's boxes
    // show the same quantity, whichever is changed.
    connect(quantity_, &QComboBox::currentIndexChanged, this, [this, floorPlans, drilldown](int i) {
        const auto q = static_cast<views::RackQuantity>(i);
        campus_->setQuantity(q);
        legend_->setQuantity(q);
        floorPlans->setQuantity(q);
        drilldown->setQuantity(q);
    });
    const auto chosen = [this](views::RackQuantity q) { quantity_->setCurrentIndex(static_cast<int>(q)); };
    connect(floorPlans, &views::FloorPlansPanel::quantityChosen, this, chosen);
    connect(drilldown, &views::RackDrilldown::quantityChosen, this, chosen);
    drilldown->setQuantity(static_cast<views::RackQuantity>(quantity_->currentIndex()));
    connect(viewpoint_, &QComboBox::activated, this, [this](int i) { campus_->flyTo(viewpoint_->itemData(i).toString()); });
    connect(campus_, &views::CampusView::viewpointChosen, this, [this](const QString& name) {
        const int i = viewpoint_->findData(name);
        if (i >= 0) viewpoint_->setCurrentIndex(i);
    });
    connect(&session_, &Session::damageFound, this, &MainWindow::reportDamage);
    connect(&session_, &Session::opened, this, [this] {
        damageReported_ = 0;
        reportDamage();
        viewpoint_->clear();
        for (const auto& v : campus_->viewpoints()) viewpoint_->addItem(v.title, v.name);
        updateHeader();
    });
    connect(&session_.clock(), &Clock::spanChanged, this, &MainWindow::updateHeader);
    connect(&session_.clock(), &Clock::liveChanged, this, &MainWindow::updateHeader);

    buildMenus();
    installTransportKeys(this, session_.clock());
    layout_.captureDefault();
}

bool MainWindow::restoreSavedLayout() {
    QSettings settings;
    const QByteArray geometry = settings.value("window/geometry").toByteArray();
    const QByteArray state = settings.value("window/state").toByteArray();
    if (geometry.isEmpty() || state.isEmpty()) return false;
    restored_ = restoreGeometry(geometry) && restoreState(state);
    return restored_;
}

void MainWindow::showEvent(QShowEvent* e) {
    QMainWindow::showEvent(e);
    if (shownOnce_) return;
    shownOnce_ = true;
    // The default arrangement needs the window's final size: after this show has been laid out.
    QTimer::singleShot(0, this, [this] {
        if (!restored_) layout_.reset();
        if (startPreset_) layout_.apply(*startPreset_);
    });
}

// Each entry is a small action object (actions/): what it does and when it is checked live there.
void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    new actions::OpenStoreAction(file, this);
    recent_ = new actions::RecentFilesMenu(file, this);
    new actions::CompareAction(file, this);
    actions::addExportMenu(file, this, session_);
    file->addSeparator();
    new actions::QuitAction(file, this);

    QMenu* view = menuBar()->addMenu("&View");
    new actions::ViewpointsMenu(view->addMenu("&Viewpoints"), campus_);
    new actions::FrameSelectionAction(view, campus_);
    actions::addPanelsMenu(view->addMenu("&Panels"), this);
    view->addSeparator();
    // The presets on the menu bar's right: one click, and no row of height taken from the views.
    auto* presets = new QToolBar("Layouts", this);
    presets->setObjectName("layoutsToolBar");
    presets->setToolButtonStyle(Qt::ToolButtonTextOnly);
    presets->addWidget(new QLabel("Layout "));
    menuBar()->setCornerWidget(presets, Qt::TopRightCorner);
    for (DeskPreset p : {DeskPreset::Electrical, DeskPreset::Compute, DeskPreset::Review, DeskPreset::HeatMap})
        new actions::LayoutPresetAction(view, presets, layout_, p);
    new actions::ResetLayoutAction(view, layout_);

    // Review: bookmarks and event navigation (keys as on the timeline: docs/views.md).
    QMenu* review = menuBar()->addMenu("&Review");
    views::EventNavigator* nav = timeline_->navigator();
    new actions::AddBookmarkAction(review, bookmarksDock_, bookmarksPanel_);
    review->addSeparator();
    using Jump = actions::EventJumpAction::Jump;
    for (Jump jump : {Jump::Previous, Jump::Next, Jump::PlayToNext}) new actions::EventJumpAction(review, nav, jump);
    new actions::LoopReviewWindowAction(review, nav);
    new actions::EventSeverityMenu(review, nav);

    QMenu* help = menuBar()->addMenu("&Help");
    new actions::ShortcutsAction(help, this);
}

bool MainWindow::openStore(const QString& path, bool interactive) {
    try {
        session_.open(path.toStdString());
    } catch (const std::exception& e) {
        if (interactive) QMessageBox::critical(this, "Cannot open the store", QString::fromStdString(e.what()));
        return false;
    }
    recent_->remember(QFileInfo(path).absoluteFilePath());
    return true;
}

void MainWindow::compareWith(const QString& given) {
    if (!session_.isOpen()) return;
    const QString path = given.isEmpty() ? QFileDialog::getOpenFileName(this, "Recording to compare with", {},
                                                                        "Twin stores (*.twin);;All files (*)")
                                         : given;
    if (path.isEmpty()) return;
    if (!compare_) compare_ = new review::CompareWindow(session_, this);
    if (const QString e = compare_->openB(path); !e.isEmpty()) {
        QMessageBox::critical(this, "Cannot compare", e);
        return;
    }
    compare_->show();
    compare_->raise();
}

void MainWindow::setRemoteSource(std::function<RemoteSourceState()> state) {
    remoteSource_ = std::move(state);
    auto* tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, &MainWindow::updateHeader);
    tick->start(1000);
    updateHeader();
}

void MainWindow::updateHeader() {
    if (!session_.isOpen()) return;
    const TimeSpan sp = session_.clock().span();
    // "2026-07-15 16:00:00 → 16:02:00 UTC" (the day once when both ends are on it).
    QString span = "no data yet";
    if (!sp.empty) {
        const QDateTime a = QDateTime::fromMSecsSinceEpoch(sp.first, QTimeZone::utc());
        const QDateTime b = QDateTime::fromMSecsSinceEpoch(sp.last, QTimeZone::utc());
        span = a.toString("yyyy-MM-dd HH:mm:ss") + " → " +
               (a.date() == b.date() ? b.toString("HH:mm:ss") : b.toString("yyyy-MM-dd HH:mm:ss")) + " UTC";
    }
    const bool live = session_.clock().live();
    const RemoteSourceState remote = remoteSource_ ? remoteSource_() : RemoteSourceState{};
    const QString source = remoteSource_ ? remote.text : QFileInfo(QString::fromStdString(session_.path())).fileName();
    header_->setText(QString("<b>%1</b> &nbsp;·&nbsp; %2 &nbsp;·&nbsp; %3")
                         .arg(QString::fromStdString(session_.campus().name).toHtmlEscaped(), source.toHtmlEscaped(), span));
    header_->setToolTip(remoteSource_ ? source + "\n" + QString::fromStdString(session_.path())
                                      : QString::fromStdString(session_.path()));
    QString mode = !remote.connected ? "<b style='color:#ffb000'>⚠ DISCONNECTED</b>"
                   : live            ? "<b style='color:#ff5050'>● LIVE</b>"
                                     : "<b>REPLAY</b>";
    // Damaged data beside the mode, where the header's text cannot elide it away.
    QString modeTip;
    if (const auto& damage = session_.reader().damage(); !damage.empty()) {
        QStringList names;
        for (const auto& d : damage)
            if (!names.contains(QString::fromStdString(d.name))) names << QString::fromStdString(d.name);
        mode = "<b style='color:#ff6b6b'>⚠ DAMAGED DATA</b> &nbsp; " + mode;
        modeTip = "Damaged data skipped in: " + names.join(", ") +
                  "\nThose frames or chunks cannot be read; the views show the latest readable data. The timeline "
                  "marks where; colossus-twin --check lists everything, --salvage copies what is readable.";
    }
    headerMode_->setText(mode);
    headerMode_->setToolTip(modeTip);
    setWindowTitle(QString::fromStdString(session_.campus().name) + " — Colossus Twin");
}

// Each damaged frame or chunk the reads skipped, once on stderr (with what and when); the header
// says that data was skipped and where.
void MainWindow::reportDamage() {
    if (!session_.isOpen()) return;
    const auto& found = session_.reader().damage();
    for (; damageReported_ < found.size(); ++damageReported_) {
        const twin::DamagedRange& d = found[damageReported_];
        std::fprintf(stderr, "colossus-twin: %s: damaged data skipped: '%s' %s%s: %s\n", session_.path().c_str(),
                     d.name.c_str(), twin::formatUtc(d.first).c_str(),
                     d.last != d.first ? (" to " + twin::formatUtc(d.last)).c_str() : "", d.problem.c_str());
    }
    updateHeader();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    QMainWindow::closeEvent(e);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    for (const QUrl& url : e->mimeData()->urls())
        if (url.isLocalFile() && openStore(url.toLocalFile())) break;
}
