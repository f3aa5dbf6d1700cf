// File ▸ Open recent: the last ten stores opened (kept in QSettings "recentFiles"), newest
// first; disabled while there are none.
#pragma once

#include <QObject>

class MainWindow;
class QMenu;

namespace actions {

class RecentFilesMenu : public QObject {
    Q_OBJECT
public:
    // Adds the submenu to `menu`; this object is its child.
    RecentFilesMenu(QMenu* menu, MainWindow* window);

    // `path` was opened: it goes first.
    void remember(const QString& path);

private:
    void fill();

    QMenu* menu_;
    MainWindow* window_;
};

} // namespace actions
