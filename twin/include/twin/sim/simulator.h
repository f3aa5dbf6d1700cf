// The campus physics simulator: deterministic, no GUI. docs/physics.md gives the equations.
//
// A Simulator advances the campus in electrical steps (50 ms by default) and writes what a real
// control system would record into a twin store (the series' names and quantity order as
// constants: twin/sim/series.h):
//
//   series "gpu"      every GPU, 1 Hz:    power (W, 1), utilisation (%, 1), temperature (degC, 1)
//   series "rack"     every rack, 1 Hz:   power (kW, 0.1), inlet_temperature (degC, 0.1),
//                                         outlet_temperature (degC, 0.1)              [columnar]
//   series "turbine"  turbines, 10 Hz:    mechanical_power (MW, 0.0001)              [columnar]
//   series "source"   turbines, Megapack blocks, solar arrays, grid ties, 10 Hz:
//                                         power (MW, 0.0001; Megapacks: + discharging, - charging)
//                                         state (code, 1: see SourceState)            [columnar]
//   series "megapack" Megapack blocks, 10 Hz: soc (%, 0.01), cycles (equivalent full, 0.0001)
//                                                                                     [columnar]
//   series "bus"      buses, 10 Hz:       frequency (Hz, 0.0001), rocof (Hz/s, 0.0001) [columnar]
//   series "flow"     transformers and feeders, 10 Hz: power (MW, 0.0001)              [columnar]
//   series "hall"     halls, 1 Hz:        it_power (MW, 0.001), cooling_power (MW, 0.001),
//                                         supply_temperature (degC, 0.01),
//                                         return_temperature (degC, 0.01), throttled_gpus (1),
//                                         heat_rejection (MW, 0.001), chillers_online (1)
//                                                                                     [columnar]
//   series "job"      every job (store table `job`), 10 Hz: power (MW, 0.001), state (code, 1:
//                                         see JobState)                               [columnar]
//   series "island"   one bus per electrical island (its first), 10 Hz: load, losses,
//                                         generation (MW, 0.0001)                     [columnar]
//   series "fuel"     turbines, 1 Hz:     fuel_flow (MMBtu/h HHV, 0.01), co2 (t/h, 0.001),
//                                         nox (kg/h, 0.001), run_hours (h, 0.001), starts (1)
//                                                                                     [columnar]
//   series "site_emissions" sites with turbines, 1 Hz: fuel_flow (MMBtu/h, 0.1), co2 (t/h, 0.001),
//                                         nox (kg/h, 0.01), co2_total (t since the start, 0.001)
//                                                                                     [columnar]
//   (the plant series' assets, quantities, units and precisions come from sim/plant_series.h,
//   which colossus-ingest uses for the plant it receives over MQTT)
//   events            turbine trips, synchronisations, frequency excursions, Megapack limits and
//                     faults, SoC out of band, job start / crash / stall / checkpoint, GPU
//                     failures, cooling failures, throttling, cloud passages, grid interruptions
#pragma once

#include "twin/campus.h"
#include "twin/store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

namespace twin::sim {

enum class SourceState : std::uint8_t { Offline = 0, Starting = 1, Synchronising = 2, Online = 3, Tripped = 4, Faulted = 5 };
enum class JobState : std::uint8_t { Queued = 0, Ramping = 1, Training = 2, Checkpointing = 3, Stalled = 4, Crashed = 5 };

// Everything a scenario can change. Defaults are the `steady-training` day; each named scenario
// starts from these and sets its own incident. Keys (for --set KEY=VALUE and scenario files)
// are the member names.
struct Params {
    std::string scenario = "steady-training";
    std::uint64_t seed = 1;
    TimeMs start = 1'784'131'200'000;     // 2026-07-15T16:00:00Z = 11:00 CDT, a summer morning
    double stepS = 0.01;                   // electrical step
    double plantHz = 10;                   // recording rate of source, megapack, bus, flow series
    double gpuHz = 1;                      // recording rate of gpu, rack and hall series
    bool recordGpus = true;                // false: plant, hall and job series only (fast what-ifs)

    // compute
    double jobRacks = 512;                 // racks per job when the campus is cut into jobs (mean)
    double stepPeriodMinS = 2, stepPeriodMaxS = 8;
    double computeFraction = 0.75;         // share of a step spent computing
    double computeActivity = 0.92;         // GPU power / TDP while computing
    double commActivity = 0.30;            //   ... while communicating
    double checkpointEveryS = 600, checkpointS = 20, checkpointActivity = 0.20;
    double jobRampS = 60;                  // start-up ramp
    // NVIDIA power smoothing (NVML's knobs), on GPU models of smoothingGpuModels only (Blackwell
    // and newer; Hopper has none): docs/physics.md, "Power smoothing and rack storage"
    bool powerSmoothing = false;           // every job
    std::string smoothedJobs;              //   or only these jobs (comma-separated names)
    double smoothingFloor = 0.60;          //   floor, share of TDP
    double smoothingRampUpPerS = 0.5;      //   ramp-up limit, share of TDP per second
    double smoothingRampDownPerS = 0.25;   //   ramp-down limit, share of TDP per second
    double smoothingHysteresisS = 0.5;     //   ramp-down hysteresis: a drop waits this long
    std::string smoothingGpuModels = "B200,B300,GB200,GB300";
    // GB300 rack power-supply energy storage (NVIDIA: up to 30 % lower peak grid demand)
    bool rackStorage = true;
    std::string rackStorageGpuModels = "GB300";
    double rackStoragePeakShare = 0.30;    // storage power, share of the rack's rated power
    double rackStorageSeconds = 3;         // storage energy, seconds at that power
    // Workload: "mixed" (jobs of ~jobRacks racks) or "frontier" (one synchronous job per building)
    std::string workload = "mixed";
    double gpuFailuresPerHour = -1;        // campus-wide mean rate (Poisson); < 0: Llama 3's rate per GPU
    double stallS = 120;                   // a job stalled by a failed GPU restarts after this
    // the RDMA fabric (docs/fabric.md, "In the simulator"): collectives on the campus's fabric
    bool fabric = true;                    // when the campus has one
    double fabricStallS = 5;               // jobs whose rings crossed a failed link or spine stall this long

    // power plant
    bool megapacks = true;
    double socMin = 10, socMax = 90, socTarget = 55;   // %
    double roundTrip = 0.90;
    double droopPct = 5;                   // turbine governor droop
    double primaryLimitPct = 10;           // a governor's fast upward response, % of rating above
                                           // its set point (downward: to minimum load)
    double governorS = 0.4;                // governor (fuel valve) time constant
    double loadDampingPctPerHz = 2;        // load change per Hz, % of load
    double gridImportLimitMw = -1;         // -1: the grid ties' ratings
    double syncS = 30;                     // synchronisation before a breaker closes

    // grid control: continuous-time dynamics, integrated in 1 ms sub-steps (docs/physics.md, "Control")
    double turbineS = 0.1;                 // turbine lag after the fuel valve (combustion chamber)
    double frequencyMeasureS = 0.05;       // lag of the controllers' frequency and feeder-power measurements
    double megapackDroopPct = 0.2;         // Megapacks: full power at this % of 60 Hz off (0.12 Hz)
    double megapackInertiaS = 5;           // Megapacks: virtual inertia H, on their inverter rating
    double agcS = 10;                      // secondary control: time constant of the return to 60 Hz
    double loadInertiaS = 0.5;             // rotating loads (pumps, fans, chillers): H on the demand

    // protection (docs/physics.md, "Protection")
    bool protection = true;                // turbines' frequency relays and over-speed trips, UFLS
    double overspeedTripPct = 110;         // turbine over-speed trip, % of rated speed
    double uflsFirstHz = 59.3, uflsStepHz = 0.3;   // UFLS stages at 59.3, 59.0, 58.7 Hz ...
    std::uint64_t uflsStages = 3;          //   ... three of them
    double uflsStagePct = 10;              //   each sheds about this % of the island's rated IT
    double uflsRestoreS = 60;              // frequency within 0.1 Hz this long: the next shed hall back
    double protectionRestartS = 300;       // a unit tripped by its relays starts again this long after

    // solar: clear-sky peak irradiance and a cloud passage
    double peakIrradiance = 950;           // W/m2 at solar noon

    // heat
    double supplyTemperature = 25;         // degC, coolant supply set point
    double coolingCop = 2.8;               // chillers' rated COP (ASHRAE 90.1 air-cooled minimum)
    double chillerMw = 1.7;                // nominal heat rejection of one chiller (Colossus 2: 119 for ~200 MW)
    double chillerLagS = 90;               // chillers' capacity control time constant
    double chillerRestartS = 300;          // a tripped chiller plant back after this (4-8 min)
    double outdoorMeanC = 28, outdoorSwingC = 5;   // outdoor dry bulb: daily mean and half range
    double throttleTemperature = 87;       // degC, GPU temperature where throttling starts

    // incidents (times in seconds from the start; < 0: none)
    double tripAtS = -1;    std::string tripUnit;          // empty: the largest unit online
    double crashAtS = -1;   std::string crashJob;          // empty: the largest job
    double cloudAtS = -1;   double cloudDepth = 0.75, cloudS = 240, cloudEdgeS = 30;
    double coolingFailAtS = -1; std::string coolingHall;   // empty: the first hall with racks
    double coolingCapacityLeft = 0.10;
    double chillerTripAtS = -1; std::string chillerTripHall; // a hall's chiller plant trips; empty: the first hall
    double megapackFaultAtS = -1; std::string megapackBlock; // empty: the first block
    double gridLossAtS = -1;
    double linkFailAtS = -1;  std::string linkFail;      // a fabric bundle "<switch>~<switch>"; empty: the largest job's busiest
    double spineFailAtS = -1; std::string spineFail;     // a spine by id; empty: the largest job's busiest
    // Recovery (seconds after the incident; < 0: never). The incident's alarm ends when its
    // condition does: a tripped unit when it is back online (restart after tripRestartS, then its
    // start and synchronisation times), a Megapack block when repaired, the grid when restored, a
    // crashed job when it restarts from its checkpoint, a hall's cooling when repaired. The named
    // scenarios set the recovery of their own incident (docs/physics.md, "Recovery and alarms").
    double tripRestartS = -1, megapackRepairS = -1, gridRestoreS = -1;
    double crashRestartS = -1, coolingRepairS = -1;
    double fabricRepairS = -1;             // the failed link or spine back in service
    double fabricFlaps = 0;                // > 0: the link or spine flaps: down this many times,
    double fabricFlapEveryS = 30;          //   this far apart,
    double fabricFlapDownS = 2;            //   for this long each (fabricRepairS then unused)
};

struct ScenarioInfo {
    std::string name;
    std::string description;
};

// The named scenarios, in listing order.
const std::vector<ScenarioInfo>& scenarios();

// Parameters of a named scenario (its incident placed relative to `durationS`).
// Throws twin::Error("scenario", ...) for an unknown name.
Params scenario(const std::string& name, double durationS);

// Sets one parameter from text ("tripAtS", "120"). Throws twin::Error naming the key.
void setParam(Params& p, const std::string& key, const std::string& value);

// A scenario file (data/scenarios/*.json): {"scenario": NAME, "params": {KEY: VALUE, ...}}.
Params loadScenarioFile(const std::string& path, double durationS);

struct Summary {
    double simulatedS = 0;
    double peakLoadMw = 0, meanLoadMw = 0;
    std::map<std::string, double> energyMwh;   // "turbines", "megapacks (net)", "solar", "grid"
    double frequencyMinHz = 60, frequencyMaxHz = 60;
    double socMinPct = 0, socMaxPct = 0;       // over every Megapack block
    double maxCycles = 0;                      // equivalent full cycles, most-used block
    int events = 0;
    std::map<std::string, int> eventsByKind;
    double fuelMmbtu = 0, co2T = 0, noxKg = 0;  // the turbines' fuel and emissions (docs/physics.md)
};

// The GPUs as just recorded into the "gpu" series (the spans are valid during the call only).
struct GpuTick {
    TimeMs t = 0;
    std::span<const float> power, utilisation, temperature;   // W, %, degC by campus-wide GPU index
    std::span<const std::uint8_t> failed;                     // 1: the GPU fell off the bus (Xid 79)
};

class Simulator {
public:
    Simulator(const Campus& campus, const Params& params);
    ~Simulator();

    // Records into `store` from now on (creates the series and signals).
    void attach(StoreWriter& store);

    // Called after each frame of a series of lists (plant, hall, job, island series: not gpu or
    // rack) is written, with the series' name, the frame's time and its values by quantity
    // (colossus-sim --sparkplug publishes the plant from it). Set before attach() to see the first.
    using FrameObserver =
        std::function<void(std::string_view series, TimeMs t, std::span<const std::span<const float>> values)>;
    void observeFrames(FrameObserver observer);

    // Advances by one electrical step.
    void step();
    // Advances until `seconds` of simulated time have passed since the start, or `stop` is set.
    // `progress(simulatedS)` is called once per recorded GPU frame.
    void run(double seconds, const std::atomic<bool>* stop = nullptr,
             const std::function<void(double)>& progress = {});

    // Called with every GPU frame recorded (set it before attach() to see the first), on the
    // thread that runs the simulator: e.g. colossus-sim's dcgm-exporter endpoints.
    void onGpuTick(std::function<void(const GpuTick&)> listener);

    double timeS() const;
    TimeMs now() const;
    const Summary& summary() const;

    // Internals exposed for tests.
    double islandFrequency(int island) const;
    int islands() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace twin::sim
