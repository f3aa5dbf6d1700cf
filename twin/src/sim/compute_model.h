// The compute side of the simulator: training jobs on racks, GPUs, halls and their cooling.
// docs/physics.md, "Compute" and "Heat".
#pragma once

#include "twin/campus.h"
#include "twin/sim/simulator.h"

#include "chiller_plant.h"

#include <functional>
#include <string>
#include <vector>

namespace twin::sim {

// A control-system message the models raise; the simulator writes it as a store event.
struct Incident {
    std::string kind;
    Severity severity = Severity::Info;
    std::string asset;
    std::string text;
    bool ends = false;          // true: ends the open event of this kind and asset
};
using Raise = std::function<void(const Incident&)>;

struct JobRt {
    std::string name;
    std::vector<std::int32_t> racks;   // rack ordinals (Campus::racks() positions)
    std::int64_t gpus = 0;
    double periodS = 4, phase0 = 0, checkpointOffsetS = 0;
    JobState state = JobState::Training;
    double since = 0, until = 0;       // state timing, seconds
    double target = 0, activity = 0;   // GPU power / TDP, before and after smoothing
    double dropSince = -1;             // smoothing: when the target fell below the power (hysteresis)
    bool computing = false;
    bool smoothing = false;            // NVIDIA-style power smoothing on this job (its Blackwell GPUs)
    double computeS = 0, commS0 = 0;   // a step's compute and (fabric unimpaired) communicate time
    double computeShare = 0.75;        // share of the current step spent computing
    bool resumes = false;              // a stall that resumes where it was (fabric), not from a checkpoint
    bool built = true;                 // some of its racks are commissioned (else Queued, waiting)
    double powerMw = 0, energyMwh = 0;
};

struct HallRt {
    AssetIndex asset = kNoAsset;
    AssetIndex coolingPlant = kNoAsset;
    double ratedItMw = 0;
    double supplyC = 25, returnC = 35;
    double capacityFactor = 1;
    double itMw = 0;                   // drawn from the feeders (after rack storage)
    double heatMw = 0;                 // dissipated by the racks (before rack storage)
    double storageMw = 0;              // rack storage discharging (+) or charging (-)
    double heatRemovedMw = 0, coolingMw = 0;
    double lonDeg = 0;                 // for the outdoor temperature's solar time
    ChillerPlant chillers;
    double cap = 1;                    // activity cap from throttling
    std::int64_t throttled = 0;
    bool throttling = false;
    TimeMs commissionedMs = kAlwaysCommissioned;   // the hall's (its racks may come later)
    bool present = true;               // commissioned at the simulated time
};

// Racks of one job in one hall (or idle racks of a hall): the unit of the fast load sum.
struct Group {
    int job = -1, hall = 0;
    double gpuRatedW = 0;              // sum of TDP x spread over healthy GPUs
    double failedW = 0;                // failed GPUs' residual draw
    double overheadIdleKw = 0, overheadSpanKw = 0, cduKw = 0;
    std::int64_t healthyGpus = 0;
    int racks = 0;
    bool smoothable = false;           // GPU model with power smoothing (smoothingGpuModels)
    bool storage = false;              // racks with power-supply energy storage (rackStorageGpuModels)
    double ratedMw = 0;                // rated power of its racks
    double storageMj = 0, storageRefMw = 0, storageMw = 0;   // stored energy, grid reference, output
    TimeMs commissionedMs = kAlwaysCommissioned;   // its racks' (groups split by commissioning)
    bool present = true;               // commissioned at the simulated time: else draws nothing
};

class ComputeModel {
public:
    static constexpr double kIdleActivity = 0.08;
    static constexpr double kFailedGpuW = 0;   // off the bus: powered down, no reading
    static constexpr double kFullLoadRiseK = 50;   // GPU above coolant at full TDP

    ComputeModel(const Campus& campus, const Params& p, Raise raise);

    // Electrical rate: job states and activities, hall loads, cooling loops.
    void step(double t, double dt);
    // 1 Hz: every GPU and rack, written into the given arrays (sized by the caller).
    void sampleGpus(std::int64_t tick, float* power, float* util, float* temp, float* rackKw, float* rackIn,
                    float* rackOut);

    void failRandomGpu(std::uint64_t key, double t);
    void crashJob(int job, double t);
    void failCooling(int hall);
    void tripChillers(int hall, double t);   // the hall's chiller plant trips; restarts chillerRestartS later
    void repairCooling(int hall);   // full capacity again; ends cooling_failure
    // The fabric (docs/fabric.md, "In the simulator"): the job's communicate phase becomes
    // `commScale` x its unimpaired length (the step's compute time unchanged, the phase kept
    // continuous); a stall of `seconds` in which it waits, then goes on where it was.
    void setCommunication(int job, double commScale, double t);
    void stallForFabric(int job, double t, double seconds, const std::string& why);
    // Build-out: racks and halls commissioned by `now` draw power from then on, their jobs start
    // (ramping). Returns the halls that came in (were not present before). docs/physics.md.
    std::vector<int> commission(TimeMs now, double t);

    double hallDemandMw(int hall) const { return halls_[hall].itMw; }
    double coolingMw(int hall) const { return halls_[hall].coolingMw; }
    double meanActivityDemandMw(int hall) const;   // for unit commitment at the start
    double gpuFailuresPerHour() const;              // campus-wide: the parameter, or Llama 3's rate per GPU
    int largestJob() const;
    int findJob(const std::string& name) const;
    int findHall(AssetIndex a) const;

    const std::vector<JobRt>& jobs() const { return jobs_; }
    const std::vector<HallRt>& halls() const { return halls_; }
    const std::vector<std::uint8_t>& failed() const { return failed_; }   // by GPU: 1 fell off the bus
    std::vector<HallRt>& halls() { return halls_; }

private:
    double jobTarget(JobRt& j, int index, double t);
    void smooth(JobRt& j, double t, double dt);
    void storeEnergy(Group& g, double loadMw, double dt);
    double groupActivity(const Group& g) const;
    double busyPercent(const JobRt& j, double t) const;
    double rackOverheadKw(const Group& g, double act) const;
    void updateHeat(double t, double dt);

    const Campus& c_;
    Params p_;
    Raise raise_;
    std::vector<JobRt> jobs_;
    std::vector<HallRt> halls_;
    std::vector<Group> groups_;
    std::vector<int> rackJob_, rackHall_, rackGroup_;
    std::vector<float> tdp_, spread_, temp_;
    std::vector<float> rackOvIdleKw_, rackOvSpanKw_, rackCduKw_;
    std::vector<std::uint8_t> failed_;
    std::vector<double> jobBusy_;   // per job, at the current GPU sample
    std::vector<std::uint8_t> rackSmoothable_;
    bool primed_ = false;           // the first step puts jobs and cooling in their running state
};

} // namespace twin::sim
