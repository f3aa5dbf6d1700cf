#include "actions/layout_actions.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QToolBar>

#include <algorithm>

namespace actions {

void addPanelsMenu(QMenu* menu, QMainWindow* window) {
    QList<QDockWidget*> docks = window->findChildren<QDockWidget*>();
    std::sort(docks.begin(), docks.end(), [](QDockWidget* a, QDockWidget* b) { return a->windowTitle() < b->windowTitle(); });
    for (QDockWidget* d : docks) menu->addAction(d->toggleViewAction());
}

ResetLayoutAction::ResetLayoutAction(QMenu* menu, DeskLayout& layout)
    : MenuAction(menu, "&Reset layout"), layout_(layout) {
    action()->setObjectName("resetLayout");
    action()->setToolTip("Every panel back where it was at first start");
}

void ResetLayoutAction::onTriggered(bool) { layout_.reset(); }

namespace {
QKeySequence keyOf(DeskPreset p) {
    switch (p) {
    case DeskPreset::Electrical: return QKeySequence(Qt::CTRL | Qt::Key_1);
    case DeskPreset::Compute: return QKeySequence(Qt::CTRL | Qt::Key_2);
    case DeskPreset::Review: return QKeySequence(Qt::CTRL | Qt::Key_3);
    case DeskPreset::HeatMap: return QKeySequence(Qt::CTRL | Qt::Key_4);
    }
    return {};
}
} // namespace

LayoutPresetAction::LayoutPresetAction(QMenu* menu, QToolBar* toolbar, DeskLayout& layout, DeskPreset preset)
    : MenuAction(menu, DeskLayout::title(preset), keyOf(preset)), layout_(layout), preset_(preset) {
    action()->setObjectName("layout" + QString(DeskLayout::title(preset)).remove(' '));
    action()->setToolTip(DeskLayout::description(preset) + " (" + keyOf(preset).toString(QKeySequence::NativeText) + ")");
    if (toolbar) toolbar->addAction(action());
}

void LayoutPresetAction::onTriggered(bool) { layout_.apply(preset_); }

} // namespace actions
