// Every event and alarm of the store in a table, filtered by severity, asset kind and text.
// Clicking a row seeks the clock to the event and selects its asset; an event reached by the
// review keys ([, ], }) is highlighted and scrolled to. Below the table, the selected event in
// full (time, severity, asset, what happened).
#pragma once

#include "twin/session/session.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QTableView;

namespace views {

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

    twin::Session& session_;
    EventTableModel* model_ = nullptr;
    EventFilter* filter_ = nullptr;
    QTableView* table_ = nullptr;
    QComboBox* severity_ = nullptr;
    QComboBox* kind_ = nullptr;
    QLineEdit* text_ = nullptr;
    QLabel* count_ = nullptr;
    QLabel* detail_ = nullptr;
    bool columnsFitted_ = false;
};

} // namespace views
