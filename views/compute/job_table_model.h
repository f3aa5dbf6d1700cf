// The training jobs as a table: name, GPUs, racks, state, step time, MW now and MWh so far
// (at the clock's time). Qt::UserRole gives each cell's value for sorting.
#pragma once

#include "compute/job_energy.h"

#include "twin/session/session.h"

#include <QAbstractTableModel>

namespace views {

class JobTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Gpus, Racks, State, StepTime, PowerNow, EnergySoFar, Columns };

    explicit JobTableModel(twin::Session& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // The job of a row (its index in StoreReader::jobs()) and back.
    int jobId(int row) const;
    int rowOfJob(int jobId) const;
    double powerMw(int row) const;
    // Reads the values at the clock's time (done on every state change).
    void refresh();
    double energyMwh(int row) const;
    int stateCode(int row) const;

private:
    void reload();    // a store was opened

    twin::Session& session_;
    JobEnergy energy_;
    std::vector<double> powerMw_, energyMwh_;
    std::vector<int> state_;
};

} // namespace views
