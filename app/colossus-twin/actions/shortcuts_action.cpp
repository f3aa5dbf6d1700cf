#include "actions/shortcuts_action.h"

#include "transport_keys.h"

#include "campus3d/campus_view.h"
#include "compute/hall_floor_plan.h"
#include "electrical/one_line_diagram.h"
#include "electrical/strip_chart.h"
#include "heatmap/rack_heat_map_view.h"
#include "timeline/event_list_panel.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace actions {

namespace {

// Menu entries with a shortcut, as "Menu ▸ Entry", depth first.
void collect(QMenu* menu, const QString& path, std::vector<KeyHelp>& out) {
    for (QAction* a : menu->actions()) {
        const QString text = QString(a->text()).remove('&');
        if (a->menu()) {
            collect(a->menu(), path + QString::fromUtf8(" ▸ ") + text, out);
            continue;
        }
        if (a->shortcut().isEmpty()) continue;
        out.push_back({a->shortcut().toString(QKeySequence::NativeText), path + QString::fromUtf8(" ▸ ") + text});
    }
}

} // namespace

ShortcutsAction::ShortcutsAction(QMenu* menu, QMainWindow* window)
    : MenuAction(menu, "&Keyboard shortcuts", QKeySequence(Qt::Key_F1)), window_(window) {
    action()->setObjectName("keyboardShortcuts");
}

void ShortcutsAction::onTriggered(bool) {
    std::vector<KeyHelp> keys = transportKeyHelp();
    for (QAction* a : window_->menuBar()->actions())
        if (a->menu()) collect(a->menu(), QString(a->text()).remove('&'), keys);
    // Then what each view answers where the pointer or the focus is.
    for (const auto& list : {views::CampusView::inputHelp(), views::OneLineDiagram::inputHelp(),
                             views::StripChart::inputHelp(), views::HallFloorPlan::inputHelp(),
                             views::EventListPanel::inputHelp(), views::RackHeatMapView::inputHelp()})
        for (const views::InputHelp& h : list) keys.push_back({h.input, h.what});

    if (dialog_) dialog_->deleteLater();
    dialog_ = new QDialog(window_);
    dialog_->setObjectName("shortcutsDialog");
    dialog_->setWindowTitle("Keyboard shortcuts");
    dialog_->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog_, &QObject::destroyed, this, [this, d = dialog_] {
        if (dialog_ == d) dialog_ = nullptr;
    });
    auto* table = new QTableWidget(static_cast<int>(keys.size()), 2);
    table->setObjectName("shortcutsTable");
    table->setHorizontalHeaderLabels({"Keys", "What it does"});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int i = 0; i < static_cast<int>(keys.size()); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(keys[static_cast<std::size_t>(i)].keys));
        table->setItem(i, 1, new QTableWidgetItem(keys[static_cast<std::size_t>(i)].what));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog_, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog_);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog_->resize(560, 420);
    dialog_->show();
}

} // namespace actions
