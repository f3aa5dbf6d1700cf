#include "compute/job_table_model.h"

#include "common/series_lookup.h"
#include "common/state_words.h"

#include <QLocale>

#include <cmath>

using namespace twin;
using JobSeries = twin::sim::series::Job;

namespace views {

JobTableModel::JobTableModel(Session& session, QObject* parent) : QAbstractTableModel(parent), session_(session) {
    connect(&session_, &Session::opened, this, &JobTableModel::reload);
    connect(&session_, &Session::stateChanged, this, &JobTableModel::refresh);
    if (session_.isOpen()) reload();
}

void JobTableModel::reload() {
    beginResetModel();
    energy_.reset();
    const std::size_t n = session_.reader().jobs().size();
    powerMw_.assign(n, std::nan(""));
    energyMwh_.assign(n, 0);
    state_.assign(n, -1);
    endResetModel();
    refresh();
}

void JobTableModel::refresh() {
    if (!session_.isOpen() || powerMw_.size() != session_.reader().jobs().size()) return;
    const auto* power = valuesAtClock<JobSeries>(session_, JobSeries::Power);
    const auto* state = valuesAtClock<JobSeries>(session_, JobSeries::State);
    const TimeMs t = session_.clock().time();
    for (std::size_t k = 0; k < powerMw_.size(); ++k) {
        powerMw_[k] = power && k < power->size() ? (*power)[k] : std::nan("");
        state_[k] = state && k < state->size() ? static_cast<int>(std::lround((*state)[k])) : -1;
        energyMwh_[k] = energy_.mwhAt(session_, k, t);
    }
    if (!powerMw_.empty()) emit dataChanged(index(0, State), index(rowCount() - 1, EnergySoFar));
}

int JobTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(powerMw_.size());
}

int JobTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : Columns; }

int JobTableModel::jobId(int row) const {
    return row >= 0 && row < rowCount() ? session_.reader().jobs()[static_cast<std::size_t>(row)].id : 0;
}

int JobTableModel::rowOfJob(int id) const {
    for (int r = 0; r < rowCount(); ++r)
        if (jobId(r) == id) return r;
    return -1;
}

double JobTableModel::powerMw(int row) const { return powerMw_.at(static_cast<std::size_t>(row)); }
double JobTableModel::energyMwh(int row) const { return energyMwh_.at(static_cast<std::size_t>(row)); }
int JobTableModel::stateCode(int row) const { return state_.at(static_cast<std::size_t>(row)); }

QVariant JobTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto r = static_cast<std::size_t>(index.row());
    const Job& job = session_.reader().jobs()[r];
    const bool sortKey = role == Qt::UserRole;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Name || index.column() == State ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                 : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && !sortKey) return {};
    const QLocale en(QLocale::English);
    switch (index.column()) {
    case Name: return QString::fromStdString(job.name);
    case Gpus: return sortKey ? QVariant(static_cast<qlonglong>(job.gpus)) : en.toString(static_cast<qlonglong>(job.gpus));
    case Racks: return static_cast<int>(job.racks.size());
    case State: return state_[r] < 0 ? QString("—") : jobStateWord(state_[r]).value_or(QString("state %1").arg(state_[r]));
    case StepTime: return sortKey ? QVariant(job.stepPeriodS) : QString::number(job.stepPeriodS, 'f', 2);
    case PowerNow:
        if (sortKey) return std::isnan(powerMw_[r]) ? -1.0 : powerMw_[r];
        return std::isnan(powerMw_[r]) ? QString("—") : QString::number(powerMw_[r], 'f', 3);
    case EnergySoFar: return sortKey ? QVariant(energyMwh_[r]) : QString::number(energyMwh_[r], 'f', 3);
    }
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return "Job";
    case Gpus: return "GPUs";
    case Racks: return "Racks";
    case State: return "State";
    case StepTime: return "Step, s";
    case PowerNow: return "MW now";
    case EnergySoFar: return "MWh so far";
    }
    return {};
}

} // namespace views
