// What the simulator's series are called and how their quantities are ordered: one struct per
// series it writes (units, precision and rates: simulator.h). The simulator builds its series
// from these, so a view that names a series or a quantity here names what is recorded.
//
// Each struct has the series `name`, an enum `Quantity` in the recorded order (the index of the
// quantity in SeriesSpec::quantities and SeriesState::values) and the quantity names in that
// same order. QtCore-free, so any part of the project may include it.
#pragma once

#include <array>

namespace twin::sim::series {

// A quantity's recorded name: quantityName<Island>(Island::Load) == "load".
template <class Series>
constexpr const char* quantityName(typename Series::Quantity q) {
    return Series::quantities[static_cast<std::size_t>(q)];
}

// Every GPU (AssetSet::Gpus).
struct Gpu {
    static constexpr const char* name = "gpu";
    enum Quantity : int { Power, Utilisation, Temperature };
    static constexpr std::array<const char*, 3> quantities{"power", "utilisation", "temperature"};
};

// Every rack, in Campus::racks() order (AssetSet::Racks).
struct Rack {
    static constexpr const char* name = "rack";
    enum Quantity : int { Power, InletTemperature, OutletTemperature };
    static constexpr std::array<const char*, 3> quantities{"power", "inlet_temperature", "outlet_temperature"};
};

// Turbines, Megapack blocks, solar arrays, grid ties (in that order).
struct Source {
    static constexpr const char* name = "source";
    enum Quantity : int { Power, State };   // State: a SourceState code
    static constexpr std::array<const char*, 2> quantities{"power", "state"};
};

struct Turbine {
    static constexpr const char* name = "turbine";
    enum Quantity : int { MechanicalPower };
    static constexpr std::array<const char*, 1> quantities{"mechanical_power"};
};

// Megapack blocks.
struct Megapack {
    static constexpr const char* name = "megapack";
    enum Quantity : int { Soc, Cycles };
    static constexpr std::array<const char*, 2> quantities{"soc", "cycles"};
};

// Every bus.
struct Bus {
    static constexpr const char* name = "bus";
    enum Quantity : int { Frequency, Rocof };
    static constexpr std::array<const char*, 2> quantities{"frequency", "rocof"};
};

// Transformers and feeders.
struct Flow {
    static constexpr const char* name = "flow";
    enum Quantity : int { Power };
    static constexpr std::array<const char*, 1> quantities{"power"};
};

struct Hall {
    static constexpr const char* name = "hall";
    enum Quantity : int { ItPower, CoolingPower, SupplyTemperature, ReturnTemperature, ThrottledGpus, HeatRejection,
                          ChillersOnline };
    static constexpr std::array<const char*, 7> quantities{"it_power",           "cooling_power",  "supply_temperature",
                                                           "return_temperature", "throttled_gpus", "heat_rejection",
                                                           "chillers_online"};
};

// Every job of the store, in id order (AssetSet::Jobs).
struct Job {
    static constexpr const char* name = "job";
    // State: a JobState code; CommShare: the share of its step spent communicating, % (grows
    // when the fabric slows its collectives: docs/fabric.md)
    enum Quantity : int { Power, State, CommShare };
    static constexpr std::array<const char*, 3> quantities{"power", "state", "comm_share"};
};

// One bus per electrical island (the island's first bus).
struct Island {
    static constexpr const char* name = "island";
    enum Quantity : int { Load, Losses, Generation };
    static constexpr std::array<const char*, 3> quantities{"load", "losses", "generation"};
};

// Fuel and emissions of each turbine (docs/physics.md, "Fuel and emissions"); the run hours and
// starts since the recording began.
struct Fuel {
    static constexpr const char* name = "fuel";
    enum Quantity : int { FuelFlow, Co2, Nox, RunHours, Starts };
    static constexpr std::array<const char*, 5> quantities{"fuel_flow", "co2", "nox", "run_hours", "starts"};
};

// The same per site (the sum of its turbines), with the CO2 emitted since the recording began.
struct SiteEmissions {
    static constexpr const char* name = "site_emissions";
    enum Quantity : int { FuelFlow, Co2, Nox, Co2Total };
    static constexpr std::array<const char*, 4> quantities{"fuel_flow", "co2", "nox", "co2_total"};
};

// The enum's last value ends the list of names: adding a quantity to one and not the other fails here.
static_assert(Gpu::quantities.size() == Gpu::Temperature + 1);
static_assert(Rack::quantities.size() == Rack::OutletTemperature + 1);
static_assert(Source::quantities.size() == Source::State + 1);
static_assert(Turbine::quantities.size() == Turbine::MechanicalPower + 1);
static_assert(Fuel::quantities.size() == Fuel::Starts + 1);
static_assert(SiteEmissions::quantities.size() == SiteEmissions::Co2Total + 1);
static_assert(Megapack::quantities.size() == Megapack::Cycles + 1);
static_assert(Bus::quantities.size() == Bus::Rocof + 1);
static_assert(Flow::quantities.size() == Flow::Power + 1);
static_assert(Hall::quantities.size() == Hall::ChillersOnline + 1);
static_assert(Job::quantities.size() == Job::CommShare + 1);
static_assert(Island::quantities.size() == Island::Generation + 1);

} // namespace twin::sim::series
