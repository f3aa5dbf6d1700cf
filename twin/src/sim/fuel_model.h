// Fuel and emissions of the gas turbines (docs/physics.md, "Fuel and emissions"): each turbine's
// fuel flow from its heat rate at part load (a straight input-output line, so the heat rate
// worsens as load falls), its CO2 and NOx from emission factors, its run hours and starts; the
// same summed per site. It reads the power model's turbines after each step and keeps its own
// totals; it changes nothing in the physics.
#pragma once

#include "power_model.h"

#include <vector>

namespace twin::sim {

// A turbine model's fuel curve. Fuel input (MMBtu/h) at output P of rating R:
//   F(P) = HR_full × R / 1000 × (noLoad + (1 − noLoad) × P / R)
// so the heat rate at load fraction x is HR_full × (noLoad / x + 1 − noLoad).
struct FuelCurve {
    double fullLoadHeatRate = 10'000;   // Btu/kWh, higher heating value, at rated output
    double noLoadFraction = 0.28;       // of full-load fuel, burnt at zero output (spinning, synchronised)
    const char* basis = "";             // where the figure comes from (docs/physics.md)
};

// The curve of a turbine model: the campus's models by name, else by size (heavier machines
// are more efficient).
FuelCurve fuelCurveFor(const std::string& model, double ratingMw);

// Emission factors (docs/physics.md gives the sources).
constexpr double kCo2KgPerMmbtu = 53.06;          // natural gas, US EPA GHG emission factors
constexpr double kNoxLowNoxLbPerMmbtu = 0.099;    // lean-premix (dry low-NOx), EPA AP-42 table 3.1-1
constexpr double kNoxUncontrolledLbPerMmbtu = 0.32;   // outside the low-NOx range, AP-42 table 3.1-1
constexpr double kKgPerLb = 0.45359237;

struct TurbineFuel {
    double fuelMmbtuPerH = 0, co2TPerH = 0, noxKgPerH = 0;
    double runHours = 0;     // online since the recording began
    int starts = 0;          // starts begun since the recording began
    double co2T = 0;         // emitted since the recording began
};

struct SiteFuel {
    AssetIndex site = kNoAsset;
    double fuelMmbtuPerH = 0, co2TPerH = 0, noxKgPerH = 0, co2T = 0;
};

class FuelModel {
public:
    FuelModel(const Campus& campus, const std::vector<TurbineRt>& turbines);

    // After the power model's step of dt seconds.
    void step(const std::vector<TurbineRt>& turbines, double dt);

    const std::vector<TurbineFuel>& turbines() const { return turbines_; }
    const std::vector<SiteFuel>& sites() const { return sites_; }   // sites with turbines, in campus order

private:
    std::vector<FuelCurve> curves_;
    std::vector<int> siteOf_;             // turbine -> index in sites_
    std::vector<SourceState> lastState_;
    std::vector<TurbineFuel> turbines_;
    std::vector<SiteFuel> sites_;
};

} // namespace twin::sim
