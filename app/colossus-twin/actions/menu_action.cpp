#include "actions/menu_action.h"

#include <QAction>
#include <QMenu>

namespace actions {

MenuAction::MenuAction(QMenu* menu, const QString& text, const QKeySequence& shortcut)
    : QObject(menu->addAction(text)), action_(static_cast<QAction*>(parent())) {
    if (!shortcut.isEmpty()) action_->setShortcut(shortcut);
    connect(action_, &QAction::triggered, this, [this](bool checked) { onTriggered(checked); });
}

} // namespace actions
