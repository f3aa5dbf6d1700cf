#include "compute/jobs_panel.h"

#include "compute/job_power_chart.h"
#include "compute/job_table_model.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace twin;

namespace views {

JobsPanel::JobsPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("jobsPanel");
    model_ = new JobTableModel(session_, this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(Qt::UserRole);
    proxy_->setFilterKeyColumn(-1);   // any column: a name, or a state such as "stalled"
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    search_ = new QLineEdit;
    search_->setObjectName("jobSearch");
    search_->setPlaceholderText("Search jobs (name or state)");
    search_->setClearButtonEnabled(true);
    table_ = new QTableView;
    table_->setObjectName("jobTable");
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(JobTableModel::Name, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    chart_ = new JobPowerChart(session_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(search_);
    layout->addWidget(table_, 2);
    layout->addWidget(chart_, 1);

    connect(search_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (!current.isValid()) return;
        const int row = proxy_->mapToSource(current).row();
        chart_->setJob(row);
        session_.select(Selection{kNoAsset, -1, model_->jobId(row)});
    });
    connect(&session_, &Session::selectionChanged, this, &JobsPanel::followSelection);
}

void JobsPanel::followSelection(const Selection& s) {
    if (s.job == 0) return;
    const int row = model_->rowOfJob(s.job);
    if (row < 0) return;
    chart_->setJob(row);
    const QModelIndex at = proxy_->mapFromSource(model_->index(row, 0));
    if (at.isValid() && at.row() != table_->currentIndex().row())
        table_->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

int JobsPanel::rowCount() const { return proxy_->rowCount(); }

double JobsPanel::mwh(int jobId) const {
    const int row = model_->rowOfJob(jobId);
    return row < 0 ? 0 : model_->energyMwh(row);
}

} // namespace views
