// The electrical side of the simulator: islands, turbines, Megapacks, solar, grid ties,
// frequency, protection, and the flows on transformers and feeders. docs/physics.md, "Power
// plant", "Control" and "Protection".
#pragma once

#include "compute_model.h"
#include "protection.h"

#include <string>
#include <vector>

namespace twin::sim {

struct TurbineRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double ratingMw = 0, inertiaS = 3, rampMwPerS = 0, minMw = 0, startS = 0;
    SourceState state = SourceState::Offline;
    double until = 0;                  // end of starting / synchronising
    double restartAt = -1;             // tripped by its relays: starts again at this time (< 0 never)
    double setMw = 0;                  // set point: dispatch and secondary control, ramp-limited
    double valveMw = 0;                // governor output (fuel valve), lags set point + droop
    double mechMw = 0, elecMw = 0;     // mechanical power lags the valve; electrical adds inertia
    FrequencyRelay relay;
    bool installed = true;             // commissioned at the simulated time: else never dispatched
};

struct BatteryRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double maxMw = 0, capacityMwh = 0, energyMwh = 0;
    double powerMw = 0;                // + discharging, - charging
    double throughputMwh = 0;
    bool faulted = false, limited = false, outOfBand = false;
    bool installed = true;             // commissioned at the simulated time
    double socPct() const { return capacityMwh > 0 ? 100 * energyMwh / capacityMwh : 0; }
    double cycles() const { return capacityMwh > 0 ? throughputMwh / (2 * capacityMwh) : 0; }
};

struct SolarRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double ratingMw = 0, powerMw = 0;
    double availableMw = 0;            // what the sun gives; powerMw less over-frequency curtailment
    bool installed = true;             // commissioned at the simulated time
};

struct GridRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double limitMw = 0, scheduleMw = 0, powerMw = 0;
    bool connected = true;
    bool installed = true;             // commissioned at the simulated time
};

struct IslandRt {
    AssetIndex bus = kNoAsset;         // its first bus: where island-wide values are recorded
    std::vector<int> halls, coolingPlants;
    double frequencyHz = 60, rocofHzPerS = 0;
    double demandMw = 0, loadMw = 0, lossesMw = 0, generationMw = 0, slowDemandMw = -1;
    double measuredHz = 60;            // the controllers' and relays' frequency measurement (lagged)
    double measuredFastMw = 0;         // the fast part of the halls' load as the site controller measures it
    double agcMw = 0;                  // secondary control's integral: MW asked of the Megapacks
    double agcTurbinesMw = 0;          //   and of the turbines (added to their set points)
    double excursionStart = -1;
    bool hasLoad = false, hasSources = false, started = false;
    bool dead = false;                 // de-energised: every source lost or the frequency collapsed
    bool blackStart = false;           // re-energised after a collapse, halls still to restore:
                                       // governors may go below minimum load (no load yet)
    std::vector<int> turbines, batteries, grids;   // indices into PowerModel's lists
    double spareMw = 0;                // what the online sources could still add (restoration's check)
    double fastSpareMw = 0;            //   of which the Megapacks and grid ties at once
    double solarOffUntil = -1;         // the solar inverters disconnected with a collapse come back then
    // Under-frequency load shedding: the halls (indices into ComputeModel::halls()) of each stage,
    // each stage's time below its frequency, whether it has operated; the halls shed, in order.
    std::vector<std::vector<int>> uflsStages;
    std::vector<double> uflsTimer;
    std::vector<char> uflsFired;
    std::vector<int> shedHalls;
    double restoreTimer = 0;
};

// Flow through a transformer or feeder = sum over loads of weight x load.
struct FlowRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double ratingMw = 0, powerMw = 0;
    std::vector<std::pair<int, double>> halls, coolingPlants;   // (hall index, weight)
};

class PowerModel {
public:
    PowerModel(const Campus& campus, const Params& p, ComputeModel& compute, Raise raise);

    void step(double t, double dt);

    // The scenario's trip (a flame-out): the largest standby unit starts to replace it.
    void tripTurbine(int turbine, double t);
    void faultBattery(int battery);
    void disconnectGrid(double t);
    // Recovery: a tripped unit starts again (its trip alarm ends when it is back online), a
    // faulted block is repaired, the grid ties reclose (their alarms end at once).
    void restartTurbine(int turbine, double t);
    void repairBattery(int battery);
    void reconnectGrid(double t);
    void setCloud(double factor) { cloud_ = factor; }
    // Build-out: sources commissioned by `now` join their island (turbines online as far as its
    // demand needs them, the rest standing by); the halls that just came in (ComputeModel::
    // commission) walk their load in. docs/physics.md, "Build-out".
    void commission(TimeMs now, double t, const std::vector<int>& hallsIn);

    int largestOnlineTurbine() const;
    double hallServed(int hall) const { return hallServed_[hall]; }   // 1 supplied, 0 shed
    int findTurbine(const std::string& id) const;
    int findBattery(const std::string& id) const;

    std::vector<TurbineRt> turbines;
    std::vector<BatteryRt> batteries;
    std::vector<SolarRt> solars;
    std::vector<GridRt> grids;
    std::vector<IslandRt> islands;
    std::vector<FlowRt> flows;

    static constexpr double kSubStepS = 0.001;   // the fast dynamics' integration step
    static constexpr int kBlackout = 1000;       // hallShed_ of a hall lost with its island

private:
    void commitUnits();
    void solveIsland(int i, double t, double dt);
    double irradiance(double t) const;
    // Protection and restoration (protection.h gives the settings).
    void protectiveTrip(int turbine, double t, const std::string& reason, bool startStandby);
    void startStandby(int island, const std::string& why, double t);
    void shedHall(int island, int hall, int stage, double t);
    void restoreHalls(int island, double dt);
    void collapse(int island, double t, const std::string& why);
    void reenergise(int island, double t);
    double hallLoadMw(int hall) const { return compute_.hallDemandMw(hall) + compute_.coolingMw(hall); }
    void walkIn(double dt);
    void install(TimeMs now);

    const Campus& c_;
    Params p_;
    ComputeModel& compute_;
    Raise raise_;
    std::vector<int> islandOf_;        // per asset
    std::vector<int> hallShed_;        // per hall: -1 supplied, else the UFLS stage (or kBlackout) that shed it
    std::vector<double> hallServed_;   // per hall: the share of its load drawn (0 shed, rising while it walks in)
    std::vector<double> hallWalkInPerS_;   // per hall: how fast that share rises after a restoration
    double cloud_ = 1;
};

} // namespace twin::sim
