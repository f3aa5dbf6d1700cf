#include "transport_keys.h"

#include "twin/session/clock.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>
#include <QWidget>

namespace {

// A filter on the application, so that it sees a key before the focused widget does (an item
// view would take the arrows, a button the space bar): window shortcuts would not.
class TransportKeys : public QObject {
public:
    TransportKeys(QWidget* window, twin::Clock& clock) : QObject(window), window_(window), clock_(clock) {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* e) override {
        if (e->type() != QEvent::KeyPress) return false;
        auto* w = qobject_cast<QWidget*>(watched);
        if (!w || w->window() != window_ || typesText(w)) return false;
        auto* k = static_cast<QKeyEvent*>(e);
        if (k->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier | Qt::ShiftModifier)) return false;
        switch (k->key()) {
        case Qt::Key_Space: clock_.togglePlay(); return true;
        case Qt::Key_Left: clock_.stepBackward(); return true;
        case Qt::Key_Right: clock_.stepForward(); return true;
        case Qt::Key_Home: clock_.jumpToStart(); return true;
        case Qt::Key_End: clock_.jumpToEnd(); return true;
        default: return false;
        }
    }

private:
    // Fields that take these keys as text or cursor moves.
    static bool typesText(QWidget* w) {
        if (qobject_cast<QLineEdit*>(w) || qobject_cast<QTextEdit*>(w) || qobject_cast<QPlainTextEdit*>(w) ||
            qobject_cast<QAbstractSpinBox*>(w))
            return true;
        if (auto* c = qobject_cast<QComboBox*>(w)) return c->isEditable();
        return false;
    }

    QWidget* window_;
    twin::Clock& clock_;
};

} // namespace

void installTransportKeys(QWidget* window, twin::Clock& clock) { new TransportKeys(window, clock); }

std::vector<KeyHelp> transportKeyHelp() {
    return {
        {"Space", "Play or pause"},
        {QString::fromUtf8("← / →"), "Step back / forward by one step (1 s) and pause"},
        {"Home / End", "Jump to the start / the end (End: the newest data)"},
    };
}
