#include "fuel_model.h"

#include <algorithm>
#include <map>

namespace twin::sim {

FuelCurve fuelCurveFor(const std::string& model, double ratingMw) {
    // Full-load heat rates (HHV) inside the 9,000–11,500 Btu/kWh of simple-cycle gas turbines;
    // the maker's ISO figures are quoted on a lower heating value basis, about 10 % below HHV for
    // natural gas. The no-load fraction gives about 25–30 % worse heat rate at half load.
    if (model == "SMT-130") return {10'600, 0.28, "Solar Titan 130 class, ~9,700 Btu/kWh LHV ISO → ~10,600 HHV"};
    if (model == "Titan-350") return {9'700, 0.26, "Solar Titan 350 class, ~8,800 Btu/kWh LHV ISO → ~9,700 HHV"};
    if (ratingMw >= 100) return {9'300, 0.25, "large frame or aeroderivative unit (by size)"};
    if (ratingMw >= 30) return {9'800, 0.26, "30–100 MW industrial unit (by size)"};
    return {10'800, 0.28, "small industrial unit (by size)"};
}

FuelModel::FuelModel(const Campus& campus, const std::vector<TurbineRt>& turbines) {
    std::map<AssetIndex, int> siteIndex;
    for (const auto& t : turbines) {
        const Asset& a = campus.assets[t.asset];
        curves_.push_back(fuelCurveFor(a.model, t.ratingMw));
        const AssetIndex site = a.site;
        auto [it, added] = siteIndex.emplace(site, static_cast<int>(sites_.size()));
        if (added) sites_.push_back({site});
        siteOf_.push_back(it->second);
        lastState_.push_back(t.state);
    }
    // Sites in campus order, whatever order their turbines came in.
    std::vector<SiteFuel> ordered = sites_;
    std::sort(ordered.begin(), ordered.end(), [](const SiteFuel& a, const SiteFuel& b) { return a.site < b.site; });
    for (int& s : siteOf_) s = static_cast<int>(std::find_if(ordered.begin(), ordered.end(), [&](const SiteFuel& f) {
                                   return f.site == sites_[s].site;
                               }) - ordered.begin());
    sites_ = ordered;
    turbines_.resize(turbines.size());
}

void FuelModel::step(const std::vector<TurbineRt>& turbines, double dt) {
    for (auto& s : sites_) s.fuelMmbtuPerH = s.co2TPerH = s.noxKgPerH = 0;
    for (std::size_t i = 0; i < turbines.size() && i < turbines_.size(); ++i) {
        const TurbineRt& t = turbines[i];
        TurbineFuel& f = turbines_[i];
        const FuelCurve& c = curves_[i];
        const bool burning = t.state == SourceState::Online || t.state == SourceState::Starting ||
                             t.state == SourceState::Synchronising;
        if (t.state == SourceState::Starting && lastState_[i] != SourceState::Starting) ++f.starts;
        lastState_[i] = t.state;
        const double fullMmbtu = c.fullLoadHeatRate * t.ratingMw / 1000.0;   // Btu/kWh × MW → MMBtu/h
        const double x = t.ratingMw > 0 ? std::clamp(t.elecMw / t.ratingMw, 0.0, 1.1) : 0;
        // Starting: spinning up, a part of the no-load fuel on average; online: the input-output line.
        f.fuelMmbtuPerH = !burning ? 0
                          : t.state == SourceState::Online ? fullMmbtu * (c.noLoadFraction + (1 - c.noLoadFraction) * x)
                                                           : fullMmbtu * c.noLoadFraction * 0.5;
        f.co2TPerH = f.fuelMmbtuPerH * kCo2KgPerMmbtu / 1000.0;
        // The low-NOx (lean-premix) combustion holds from the minimum stable load up.
        const double minFraction = t.ratingMw > 0 ? t.minMw / t.ratingMw : 0.5;
        const bool lowNox = t.state == SourceState::Online && x + 1e-9 >= minFraction;
        f.noxKgPerH = f.fuelMmbtuPerH * (lowNox ? kNoxLowNoxLbPerMmbtu : kNoxUncontrolledLbPerMmbtu) * kKgPerLb;
        if (t.state == SourceState::Online) f.runHours += dt / 3600.0;
        f.co2T += f.co2TPerH * dt / 3600.0;
        SiteFuel& s = sites_[siteOf_[i]];
        s.fuelMmbtuPerH += f.fuelMmbtuPerH;
        s.co2TPerH += f.co2TPerH;
        s.noxKgPerH += f.noxKgPerH;
        s.co2T += f.co2TPerH * dt / 3600.0;
    }
}

} // namespace twin::sim
