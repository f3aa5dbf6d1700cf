// The training jobs: a sortable table (JobTableModel through a QSortFilterProxyModel) with a
// search box, and the selected job's power over the recording next to the campus load.
// Selecting a row selects the job; a job selected elsewhere selects its row.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace views {

class JobPowerChart;
class JobTableModel;

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(twin::Session& session, QWidget* parent = nullptr);

    // For tests: rows shown (after the search), and the MWh so far of a job (by store id).
    int rowCount() const;
    double mwh(int jobId) const;
    QTableView* table() const { return table_; }
    QLineEdit* searchBox() const { return search_; }
    JobTableModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    JobPowerChart* chart() const { return chart_; }

private:
    void followSelection(const twin::Selection& s);

    twin::Session& session_;
    JobTableModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    QLineEdit* search_ = nullptr;
    QTableView* table_ = nullptr;
    JobPowerChart* chart_ = nullptr;
};

} // namespace views
