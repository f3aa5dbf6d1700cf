#include "actions/recent_files_menu.h"

#include "main_window.h"

#include <QMenu>
#include <QSettings>

namespace actions {

namespace {
constexpr int kRemembered = 10;
}

RecentFilesMenu::RecentFilesMenu(QMenu* menu, MainWindow* window)
    : QObject(menu->addMenu("Open &recent")), menu_(static_cast<QMenu*>(parent())), window_(window) {
    fill();
}

void RecentFilesMenu::remember(const QString& path) {
    QSettings settings;
    QStringList list = settings.value("recentFiles").toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kRemembered) list.removeLast();
    settings.setValue("recentFiles", list);
    fill();
}

void RecentFilesMenu::fill() {
    menu_->clear();
    const QStringList list = QSettings().value("recentFiles").toStringList();
    for (const QString& p : list) menu_->addAction(p, this, [this, p] { window_->openStore(p); });
    menu_->setEnabled(!list.isEmpty());
}

} // namespace actions
