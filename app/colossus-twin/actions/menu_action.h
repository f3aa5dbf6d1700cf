// The menus are built from small action objects, as ParaView's "reactions": one object per menu
// entry that adds its QAction (text, shortcut) and owns what triggering it does and when it is
// checked. It is the QAction's child, so it lives exactly as long as the entry.
#pragma once

#include <QKeySequence>
#include <QObject>

class QAction;
class QMenu;

namespace actions {

class MenuAction : public QObject {
    Q_OBJECT
public:
    QAction* action() const { return action_; }

protected:
    // Adds the entry to `menu`.
    MenuAction(QMenu* menu, const QString& text, const QKeySequence& shortcut = {});
    // The entry was chosen (`checked`: its state after, for a checkable one).
    virtual void onTriggered(bool checked) = 0;

private:
    QAction* action_;
};

} // namespace actions
