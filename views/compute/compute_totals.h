// The compute view's campus totals, a bar always in view: GPUs healthy and in use, IT and
// facility power, PUE and compute efficiency. They are recomputed from the session's state at
// the clock's time (series "gpu", "rack" and "hall") with the campus's GPU models for the peak
// figures (docs/views.md, "Compute view", gives the formulas). The rest of the compute view:
// floor_plans_panel.h, rack_drilldown.h and jobs_panel.h.
#pragma once

#include "common/rack_values.h"

#include "twin/session/session.h"

#include <QWidget>

class QLabel;

namespace views {

struct Totals {
    bool valid = false;               // false: no GPU or rack data at the clock's time
    twin::TimeMs t = 0;
    std::int64_t gpus = 0;            // GPUs in the campus
    std::int64_t healthyGpus = 0;     // gpuHealthy(): power > 60 W or utilisation > 0
    std::int64_t gpusInUse = 0;       // utilisation > 0
    double itMw = 0;                  // sum of every rack's power
    double coolingMw = 0;             // sum of every hall's cooling_power
    double facilityMw = 0;            // IT + cooling
    double pue = 0;                   // facility / IT (0 without IT power)
    double sustainedTflops = 0;       // sum over GPUs of utilisation x its model's dense BF16 peak
    double gflopsPerWatt = 0;         // sustainedTflops / facility power, in GFLOPS/W
    // GPUs whose data is not fresh ("gpu_quality"; 0 in stores that record no quality): counted
    // in the figures above with their last (stale) or placeholder (missing) values.
    std::int64_t staleGpus = 0, missingGpus = 0;
};

// The totals of the session's state at the clock's time (`facts` from rackFactsOf()).
Totals computeTotals(const twin::Session& session, const RackFacts& facts);

class ComputeTotals : public QWidget {
    Q_OBJECT
public:
    explicit ComputeTotals(twin::Session& session, QWidget* parent = nullptr);

    const Totals& totals() const { return totals_; }
    // Recomputes from the session's state (done on every state change).
    void refresh();

private:
    twin::Session& session_;
    RackFacts facts_;
    Totals totals_;
    QLabel* gpus_ = nullptr;
    QLabel* power_ = nullptr;
    QLabel* efficiency_ = nullptr;
};

} // namespace views
