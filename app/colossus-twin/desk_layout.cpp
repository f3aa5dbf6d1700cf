#include "desk_layout.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTabBar>

#include <algorithm>

namespace {

// The docks by object name (main_window.cpp adds them).
const QString kEvents = "eventsDock", kJobs = "jobsDock", kBookmarks = "bookmarksDock";
const QString kInspector = "inspectorDock", kFloorPlans = "floorPlansDock", kRack = "rackDrilldownDock";
const QString kOneLine = "oneLineDock", kCharts = "powerChartsDock", kTotals = "computeTotalsDock";
const QString kHeatMap = "heatMapDock";

} // namespace

DeskLayout::DeskLayout(QMainWindow& window) : window_(window) {}

void DeskLayout::captureDefault() { default_ = window_.saveState(); }

QDockWidget* DeskLayout::dock(const QString& objectName) const { return window_.findChild<QDockWidget*>(objectName); }

QStringList DeskLayout::frontDocks() const {
    QStringList out;
    for (QDockWidget* d : window_.findChildren<QDockWidget*>()) {
        if (d->isHidden()) continue;
        // A tabbed dock is in front when no dock of its group hides it: Qt leaves the others
        // visible but not drawn, so ask the tab bars which title is current.
        bool behind = false;
        for (QTabBar* bar : window_.findChildren<QTabBar*>()) {
            for (int i = 0; i < bar->count(); ++i)
                if (bar->tabText(i) == d->windowTitle() && i != bar->currentIndex()) behind = true;
        }
        if (!behind) out << d->objectName();
    }
    out.sort();
    return out;
}

void DeskLayout::show(const QStringList& visible, const QStringList& front) {
    for (QDockWidget* d : window_.findChildren<QDockWidget*>()) d->setVisible(visible.contains(d->objectName()));
    for (const QString& name : front)
        if (QDockWidget* d = dock(name)) d->raise();
}

void DeskLayout::size(double leftShare, double rightShare, double bottomShare, const QString& bottom) {
    const int w = window_.width(), h = window_.height();
    // Shares of the window, but readable: a side panel is at least 260 px (a table's time and
    // severity columns), the bottom at least 220 px (one chart with its axis).
    auto side = [&](double share) { return std::max(260, static_cast<int>(share * w)); };
    QList<QDockWidget*> horizontal;
    QList<int> widths;
    for (const QString& name : {kEvents, kInspector}) {
        QDockWidget* d = dock(name);
        if (!d || d->isHidden()) continue;
        horizontal << d;
        widths << side(name == kEvents ? leftShare : rightShare);
    }
    if (!horizontal.isEmpty()) window_.resizeDocks(horizontal, widths, Qt::Horizontal);
    if (QDockWidget* d = dock(bottom.isEmpty() ? kOneLine : bottom); d && !d->isHidden())
        window_.resizeDocks({d}, {std::max(220, static_cast<int>(bottomShare * h))}, Qt::Vertical);
}

void DeskLayout::reset() {
    if (!default_.isEmpty()) window_.restoreState(default_);
    show({kEvents, kJobs, kBookmarks, kInspector, kFloorPlans, kRack, kOneLine, kCharts, kHeatMap, kTotals},
         {kEvents, kInspector, kOneLine});
    size(0.2, 0.2, 0.3);
}

void DeskLayout::apply(DeskPreset preset) {
    if (!default_.isEmpty()) window_.restoreState(default_);   // the docks back in their places first
    switch (preset) {
    case DeskPreset::Electrical:
        // The one-line diagram and the charts large; the events beside them; no compute panels.
        show({kEvents, kBookmarks, kInspector, kOneLine, kCharts}, {kEvents, kInspector, kOneLine});
        size(0.18, 0.18, 0.45);
        break;
    case DeskPreset::Compute:
        // The 3D campus, floor plans and the rack; jobs on the left; the totals on top.
        show({kJobs, kEvents, kFloorPlans, kRack, kInspector, kTotals}, {kJobs, kFloorPlans});
        size(0.22, 0.3, 0.0);
        break;
    case DeskPreset::Review:
        // The event list wide, bookmarks beside it, the charts below for the incident's shape.
        show({kEvents, kBookmarks, kInspector, kOneLine, kCharts, kHeatMap}, {kEvents, kInspector, kCharts});
        size(0.3, 0.18, 0.35);
        break;
    case DeskPreset::HeatMap:
        // The rack x time heat map large below, the events and the inspector beside it.
        show({kEvents, kBookmarks, kInspector, kOneLine, kCharts, kHeatMap}, {kEvents, kInspector, kHeatMap});
        size(0.2, 0.18, 0.55, kHeatMap);
        break;
    }
}

QString DeskLayout::title(DeskPreset preset) {
    switch (preset) {
    case DeskPreset::Electrical: return "Electrical";
    case DeskPreset::Compute: return "Compute";
    case DeskPreset::Review: return "Review";
    case DeskPreset::HeatMap: return "Heat map";
    }
    return {};
}

QString DeskLayout::key(DeskPreset preset) { return title(preset).toLower().remove(' '); }

QString DeskLayout::description(DeskPreset preset) {
    switch (preset) {
    case DeskPreset::Electrical: return "The one-line diagram and the power charts large, the events beside them";
    case DeskPreset::Compute: return "The 3D campus with floor plans, the rack drill-down, jobs and the compute totals";
    case DeskPreset::Review: return "A wide event list with bookmarks, the power charts below";
    case DeskPreset::HeatMap: return "The rack × time heat map large below, the events and the inspector beside it";
    }
    return {};
}
