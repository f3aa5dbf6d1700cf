// The electrical side of the simulator: islands, turbines, Megapacks, solar, grid ties,
// frequency, and the flows on transformers and feeders. docs/physics.md, "Power plant".
#pragma once

#include "compute_model.h"

#include <string>
#include <vector>

namespace twin::sim {

struct TurbineRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double ratingMw = 0, inertiaS = 3, rampMwPerS = 0, minMw = 0, startS = 0;
    SourceState state = SourceState::Offline;
    double until = 0;                  // end of starting / synchronising
    double setMw = 0, primaryMw = 0, mechMw = 0, elecMw = 0;
};

struct BatteryRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double maxMw = 0, capacityMwh = 0, energyMwh = 0;
    double powerMw = 0;                // + discharging, - charging
    double throughputMwh = 0;
    bool faulted = false, limited = false, outOfBand = false;
    double socPct() const { return capacityMwh > 0 ? 100 * energyMwh / capacityMwh : 0; }
    double cycles() const { return capacityMwh > 0 ? throughputMwh / (2 * capacityMwh) : 0; }
};

struct SolarRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double ratingMw = 0, powerMw = 0;
};

struct GridRt {
    AssetIndex asset = kNoAsset;
    int island = 0;
    double limitMw = 0, scheduleMw = 0, powerMw = 0;
    bool connected = true;
};

struct IslandRt {
    AssetIndex bus = kNoAsset;         // its first bus: where island-wide values are recorded
    std::vector<int> halls, coolingPlants;
    double frequencyHz = 60, rocofHzPerS = 0;
    double demandMw = 0, loadMw = 0, lossesMw = 0, generationMw = 0, slowDemandMw = -1;
    double feedbackMw = 0;             // the Megapacks' feedback share, lagged
    double excursionStart = -1;
    bool hasLoad = false, started = false;
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

    void tripTurbine(int turbine, double t);
    void faultBattery(int battery);
    void disconnectGrid(double t);
    // Recovery: a tripped unit starts again (its trip alarm ends when it is back online), a
    // faulted block is repaired, the grid ties reclose (their alarms end at once).
    void restartTurbine(int turbine, double t);
    void repairBattery(int battery);
    void reconnectGrid(double t);
    void setCloud(double factor) { cloud_ = factor; }

    int largestOnlineTurbine() const;
    int findTurbine(const std::string& id) const;
    int findBattery(const std::string& id) const;

    std::vector<TurbineRt> turbines;
    std::vector<BatteryRt> batteries;
    std::vector<SolarRt> solars;
    std::vector<GridRt> grids;
    std::vector<IslandRt> islands;
    std::vector<FlowRt> flows;

private:
    void commitUnits();
    void solveIsland(int i, double t, double dt);
    double irradiance(double t) const;

    const Campus& c_;
    Params p_;
    ComputeModel& compute_;
    Raise raise_;
    std::vector<int> islandOf_;        // per asset
    double cloud_ = 1;
};

} // namespace twin::sim
