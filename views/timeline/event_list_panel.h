// Every event and alarm of the store in a table, filtered by severity, asset kind and text.
// Clicking a row seeks the clock to the event and selects its asset; an event reached by the
// review keys ([, ], }) is highlighted and scrolled to. Below the table, the selected event in
// full (time, severity, asset, what happened, who acknowledged it).
//
// Alarms (warning and above) are acknowledged here: select one or more rows and press Ctrl+K,
// the Acknowledge button or the context menu's Acknowledge. The acknowledgement (who, when) goes
// to the store's review file (review/alarm_acks.h); the Ack column shows it. An acknowledged
// alarm stays listed (and bold while active) until it clears, like every event.
#pragma once

#include "common/input_help.h"
#include "twin/session/session.h"

#include <vector>

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QTableView;
class QPushButton;

namespace views {

class AlarmAcks;
class EventFilter;
class EventTableModel;

class EventListPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventListPanel(twin::Session& session, QWidget* parent = nullptr);

    // Rows left by the filters, and what one of them shows (visible order).
    int rowCount() const;
    const twin::Event& eventAt(int visibleRow) const;
    // Seeks to the event of a visible row and selects its asset, as a click does.
    void activateRow(int visibleRow);
    // The visible row selected (-1: none) and the detail pane's text.
    int selectedRow() const;
    QString detailText() const;
    // The visible rows selected, in visible order (the table allows several).
    std::vector<int> selectedRows() const;
    // Selects these visible rows (tests, and keyboard-less callers).
    void selectRows(const std::vector<int>& visibleRows);

    // The acknowledgements of the open store's alarms (shared with nobody: each panel polls the
    // review file).
    AlarmAcks& acks() const { return *acks_; }
    // Acknowledges the selected alarms (Ctrl+K, the button, the context menu). Returns how many
    // were newly acknowledged, -1 on failure (shown under the table).
    int acknowledgeSelected();

    // What the list answers with the keyboard and the mouse (Help ▸ Keyboard shortcuts).
    static std::vector<InputHelp> inputHelp();

public slots:
    void reload();
    // Selects the event's row and scrolls it into view (nothing when it is filtered out).
    void highlightEvent(std::int64_t id);

signals:
    // A row was activated (double-click, Enter): the clock is at its start and its asset selected
    // (the desk then frames it in the 3D view).
    void eventActivated(const twin::Event& event);

private:
    void fitColumns();
    void fillKindFilter();
    void updateCount();
    void updateDetail();
    void updateAckButton();

    twin::Session& session_;
    EventTableModel* model_ = nullptr;
    EventFilter* filter_ = nullptr;
    QTableView* table_ = nullptr;
    QComboBox* severity_ = nullptr;
    QComboBox* kind_ = nullptr;
    QLineEdit* text_ = nullptr;
    QLabel* count_ = nullptr;
    QLabel* detail_ = nullptr;
    QPushButton* ackButton_ = nullptr;
    QLabel* ackError_ = nullptr;
    AlarmAcks* acks_ = nullptr;
    bool columnsFitted_ = false;
};

} // namespace views
