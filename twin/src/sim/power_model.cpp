#include "power_model.h"

#include "twin/sim/frequency_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

namespace twin::sim {

namespace {

constexpr double kSlowDemandS = 30;         // turbines and grid follow load filtered this much
constexpr double kSocCorrectionS = 1800;    // SoC drift corrected over half an hour
constexpr double kBatteryFeedbackS = 0.3;   // frequency / power-mismatch response (Hornsdale: ~0.33 s)
constexpr double kRestoreS = 0.5;           // isochronous sources: integral time
constexpr double kLoadInertiaS = 0.5;       // rotating loads (pumps, fans, chillers)
constexpr double kGovernorDeadbandHz = 0.036;
constexpr double kLossAtRating = 0.01;      // I^2 R losses of a transformer or feeder at its rating
constexpr double kSocTaperPct = 2;          // power tapers to zero over the last 2 % of the window

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

} // namespace

PowerModel::PowerModel(const Campus& campus, const Params& p, ComputeModel& compute, Raise raise)
    : c_(campus), p_(p), compute_(compute), raise_(std::move(raise)) {
    // Islands: connected components of the electrical graph.
    const auto n = c_.assets.size();
    std::vector<int> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    std::function<int(int)> root = [&](int x) { return parent[x] == x ? x : parent[x] = root(parent[x]); };
    for (const Feed& f : c_.feeds) parent[root(f.from)] = root(f.to);
    std::map<int, int> islandIndex;
    islandOf_.assign(n, -1);
    auto islandFor = [&](AssetIndex a) {
        auto [it, fresh] = islandIndex.emplace(root(a), static_cast<int>(islands.size()));
        if (fresh) islands.emplace_back();
        return islandOf_[a] = it->second;
    };
    for (std::size_t a = 0; a < n; ++a) {
        const Asset& x = c_.assets[a];
        const bool electrical = !c_.suppliers(static_cast<AssetIndex>(a)).empty() ||
                                !c_.supplied(static_cast<AssetIndex>(a)).empty();
        if (!electrical) continue;
        const int i = islandFor(static_cast<AssetIndex>(a));
        if (x.kind == AssetKind::Bus && islands[i].bus == kNoAsset) islands[i].bus = static_cast<AssetIndex>(a);
    }
    for (std::size_t h = 0; h < compute_.halls().size(); ++h) {
        const AssetIndex a = compute_.halls()[h].asset;
        const int i = islandOf_[a] >= 0 ? islandOf_[a] : islandFor(a);
        islands[i].halls.push_back(static_cast<int>(h));
        islands[i].hasLoad = true;
    }
    for (std::size_t a = 0; a < n; ++a) {
        const Asset& x = c_.assets[a];
        const int i = islandOf_[a];
        if (i < 0) continue;
        const auto idx = static_cast<AssetIndex>(a);
        switch (x.kind) {
        case AssetKind::Turbine: {
            const UnitModel* m = c_.unitModel(x.model);
            TurbineRt t;
            t.asset = idx;
            t.island = i;
            t.ratingMw = x.ratingMw;
            t.inertiaS = m && m->inertiaS > 0 ? m->inertiaS : 3;
            t.rampMwPerS = (m ? m->rampPctPerMin : 30) / 100 * x.ratingMw / 60;
            t.minMw = (m ? m->minLoadPct : 30) / 100 * x.ratingMw;
            t.startS = m ? m->startS : 600;
            turbines.push_back(t);
            break;
        }
        case AssetKind::MegapackBlock: {
            BatteryRt b;
            b.asset = idx;
            b.island = i;
            b.maxMw = x.ratingMw;
            b.capacityMwh = x.energyMwh;
            b.energyMwh = x.energyMwh * p_.socTarget / 100;
            b.faulted = !p_.megapacks;
            batteries.push_back(b);
            break;
        }
        case AssetKind::SolarArray: solars.push_back({idx, i, x.ratingMw, 0}); break;
        case AssetKind::GridTie: {
            GridRt g;
            g.asset = idx;
            g.island = i;
            g.limitMw = x.ratingMw;
            grids.push_back(g);
            break;
        }
        case AssetKind::Transformer:
        case AssetKind::Feeder: flows.push_back({idx, i, x.ratingMw > 0 ? x.ratingMw : 1, 0, {}, {}}); break;
        default: break;
        }
    }
    if (p_.gridImportLimitMw >= 0 && !grids.empty())
        for (auto& g : grids) g.limitMw = p_.gridImportLimitMw / static_cast<double>(grids.size());

    // Flow weights: each load's demand splits equally among its suppliers, up to the buses.
    std::map<AssetIndex, int> flowIndex;
    for (std::size_t k = 0; k < flows.size(); ++k) flowIndex[flows[k].asset] = static_cast<int>(k);
    std::map<AssetIndex, int> coolingIndex;
    std::function<void(AssetIndex, double, int, bool)> climb = [&](AssetIndex a, double w, int load, bool cooling) {
        if (auto it = flowIndex.find(a); it != flowIndex.end())
            (cooling ? flows[it->second].coolingPlants : flows[it->second].halls).emplace_back(load, w);
        std::vector<AssetIndex> up;
        for (AssetIndex s : c_.suppliers(a))
            if (!isSource(c_.assets[s].kind)) up.push_back(s);
        for (AssetIndex s : up) climb(s, w / static_cast<double>(up.size()), load, cooling);
    };
    for (std::size_t h = 0; h < compute_.halls().size(); ++h) {
        const auto& hall = compute_.halls()[h];
        climb(hall.asset, 1, static_cast<int>(h), false);
        if (hall.coolingPlant != kNoAsset && !coolingIndex.count(hall.coolingPlant)) {
            coolingIndex[hall.coolingPlant] = static_cast<int>(h);
            const int i = islandOf_[hall.coolingPlant];
            if (i >= 0) islands[i].coolingPlants.push_back(hall.coolingPlant);
        }
    }
    // A cooling plant's demand is the cooling of every hall of its building: feed it by hall.
    for (std::size_t h = 0; h < compute_.halls().size(); ++h) {
        const auto& hall = compute_.halls()[h];
        if (hall.coolingPlant != kNoAsset && !c_.suppliers(hall.coolingPlant).empty())
            climb(hall.coolingPlant, 1, static_cast<int>(h), true);
    }
    commitUnits();
}

// Commits turbines, largest first, until online capacity (with the grid) covers the mean
// demand plus 15 % and the loss of the largest unit; the rest stand by.
void PowerModel::commitUnits() {
    compute_.step(0, 0);
    for (std::size_t i = 0; i < islands.size(); ++i) {
        IslandRt& is = islands[i];
        double demand = 0;
        for (int h : is.halls) demand += compute_.meanActivityDemandMw(h);
        double grid = 0;
        for (const auto& g : grids)
            if (g.island == static_cast<int>(i)) grid += g.limitMw;
        std::vector<int> units;
        for (std::size_t k = 0; k < turbines.size(); ++k)
            if (turbines[k].island == static_cast<int>(i)) units.push_back(static_cast<int>(k));
        std::stable_sort(units.begin(), units.end(),
                         [&](int a, int b) { return turbines[a].ratingMw > turbines[b].ratingMw; });
        const double largest = units.empty() ? 0 : turbines[units.front()].ratingMw;
        double online = grid;
        for (int k : units) {
            if (online >= demand * 1.15 + largest) break;
            turbines[k].state = SourceState::Online;
            online += turbines[k].ratingMw;
        }
        // Start in the dispatch the slow control would reach: each unit at its share.
        for (int k : units) {
            TurbineRt& u = turbines[k];
            if (u.state != SourceState::Online) continue;
            u.setMw = u.mechMw = u.elecMw = std::clamp(online > 0 ? demand * u.ratingMw / online : 0, u.minMw, u.ratingMw);
        }
        is.slowDemandMw = demand;
    }
}

double PowerModel::irradiance(double t) const {
    // Clear sky: a sine between sunrise and sunset around local solar noon (from longitude),
    // with the day length of the date; then the passing-cloud factor.
    const double unixS = static_cast<double>(p_.start) / 1000 + t;
    const double lon = c_.sites.empty() ? -90 : c_.sites.front().lonDeg;
    const double lat = c_.sites.empty() ? 35 : c_.sites.front().latDeg;
    const double dayOfYear = std::fmod(unixS / 86400, 365.25);
    const double decl = 23.44 * std::sin(2 * M_PI * (dayOfYear - 80) / 365.25) * M_PI / 180;
    const double cosH = std::clamp(-std::tan(lat * M_PI / 180) * std::tan(decl), -1.0, 1.0);
    const double halfDayH = std::acos(cosH) * 12 / M_PI;
    const double solarHour = std::fmod(unixS / 3600 + lon / 15 + 48, 24);   // local solar time
    const double x = (solarHour - (12 - halfDayH)) / (2 * halfDayH);
    const double clear = x > 0 && x < 1 ? std::sin(M_PI * x) : 0;
    return p_.peakIrradiance * clear * cloud_;
}

void PowerModel::step(double t, double dt) {
    const double sun = irradiance(t) / 1000;
    for (auto& s : solars) s.powerMw = s.ratingMw * std::min(1.0, sun) * 0.95;
    for (auto& f : flows) {
        f.powerMw = 0;
        for (auto [h, w] : f.halls) f.powerMw += w * compute_.hallDemandMw(h);
        for (auto [h, w] : f.coolingPlants) f.powerMw += w * compute_.coolingMw(h);
    }
    for (std::size_t i = 0; i < islands.size(); ++i) solveIsland(static_cast<int>(i), t, dt);
    // Turbines starting and synchronising.
    for (auto& u : turbines) {
        if (u.state == SourceState::Starting && t >= u.until) {
            u.state = SourceState::Synchronising;
            u.until = t + p_.syncS;
            raise_({"turbine_sync", Severity::Info, c_.assets[u.asset].id,
                    c_.assets[u.asset].name + ": at speed, synchronising"});
        } else if (u.state == SourceState::Synchronising && t >= u.until &&
                   std::abs(islands[u.island].frequencyHz - kNominalHz) < 0.1) {
            u.state = SourceState::Online;
            u.setMw = u.minMw;
            raise_({"turbine_online", Severity::Info, c_.assets[u.asset].id,
                    c_.assets[u.asset].name + ": breaker closed, online"});
            raise_({"turbine_trip", Severity::Alarm, c_.assets[u.asset].id, "", true});   // if it had tripped
        }
    }
}

void PowerModel::solveIsland(int i, double t, double dt) {
    IslandRt& is = islands[i];
    const double f = is.frequencyHz, df = f - kNominalHz;
    // Demand: IT and cooling, frequency-dependent (load damping), plus I^2 R losses.
    double demand = 0;
    for (int h : is.halls) demand += compute_.hallDemandMw(h) + compute_.coolingMw(h);
    demand *= 1 + p_.loadDampingPctPerHz / 100 * df;
    double losses = 0;
    for (const auto& fl : flows)
        if (fl.island == i) losses += kLossAtRating * fl.powerMw * fl.powerMw / fl.ratingMw;
    if (is.slowDemandMw < 0) is.slowDemandMw = demand + losses;
    is.slowDemandMw += (demand + losses - is.slowDemandMw) * std::min(1.0, dt / kSlowDemandS);

    double solar = 0;
    for (const auto& s : solars)
        if (s.island == i) solar += s.powerMw;
    double socCorrection = 0, batteryMax = 0;
    for (const auto& b : batteries)
        if (b.island == i && !b.faulted) {
            socCorrection += (p_.socTarget - b.socPct()) / 100 * b.capacityMwh * 3600 / kSocCorrectionS;
            batteryMax += b.maxMw;
        }
    socCorrection = std::clamp(socCorrection, -0.5 * batteryMax, 0.5 * batteryMax);

    // Slow dispatch: turbines and grid share the filtered demand in proportion to capacity.
    double turbineCap = 0, gridCap = 0;
    for (const auto& u : turbines)
        if (u.island == i && u.state == SourceState::Online) turbineCap += u.ratingMw;
    for (const auto& g : grids)
        if (g.island == i && g.connected) gridCap += g.limitMw;
    const double slow = std::max(0.0, is.slowDemandMw + socCorrection - solar);
    const double total = turbineCap + gridCap;
    double mech = 0, inertia = 0;
    for (auto& u : turbines) {
        if (u.island != i) continue;
        if (u.state != SourceState::Online) {
            u.mechMw = u.setMw = u.primaryMw = 0;
            continue;
        }
        const double target = std::clamp(total > 0 ? slow * u.ratingMw / total : 0, u.minMw, u.ratingMw);
        u.setMw += std::clamp(target - u.setMw, -u.rampMwPerS * dt, u.rampMwPerS * dt);
        // Governor: droop on the frequency error beyond the dead band, first order, limited.
        const double err = std::abs(df) > kGovernorDeadbandHz ? df - std::copysign(kGovernorDeadbandHz, df) : 0;
        const double want = -err / kNominalHz / (p_.droopPct / 100) * u.ratingMw;
        const double limit = p_.primaryLimitPct / 100 * u.ratingMw;
        u.primaryMw += (std::clamp(want, -limit, limit) - u.primaryMw) * std::min(1.0, dt / p_.governorS);
        u.mechMw = std::clamp(u.setMw + u.primaryMw, 0.0, u.ratingMw);
        mech += u.mechMw;
        inertia += 2 * u.inertiaS * u.ratingMw / kNominalHz;   // MW s / Hz
    }
    double schedule = 0;
    for (auto& g : grids) {
        if (g.island != i) continue;
        g.scheduleMw = g.connected && total > 0 ? std::min(g.limitMw, slow * g.limitMw / total) : 0;
        schedule += g.scheduleMw;
    }
    const double loadInertia = 2 * kLoadInertiaS * std::max(demand, 0.0) / kNominalHz;
    inertia += loadInertia;

    // Fast balance. The Megapacks follow the fast part of the load by feed-forward (the site
    // controller measures the halls' feeders), and everything else - a turbine trip, the slow
    // dispatch's error, the return to 60 Hz - by feedback with a first-order response. The grid,
    // when connected, takes what the Megapacks do not.
    const double shortfall = demand + losses - mech - solar - schedule;
    // Isochronous control: full Megapack power at 0.1 Hz of error, the grid's at 0.01 Hz.
    double isoGain = gridCap / 0.01;
    for (const auto& b : batteries)
        if (b.island == i && !b.faulted) isoGain += b.maxMw / 0.1;
    const double restore = isoGain * (kNominalHz - f) * std::min(1.0, dt / kRestoreS) + 0 * inertia;
    const double feedForward = demand + losses - is.slowDemandMw;
    double request = shortfall + restore;
    double battery = 0, dischargeCap = 0, chargeCap = 0;
    for (auto& b : batteries) {
        if (b.island != i || b.faulted) continue;
        const double soc = b.socPct();
        dischargeCap += b.maxMw * std::clamp((soc - p_.socMin) / kSocTaperPct, 0.0, 1.0);
        chargeCap += b.maxMw * std::clamp((p_.socMax - soc) / kSocTaperPct, 0.0, 1.0);
    }
    if (dischargeCap + chargeCap > 0) {
        // At the first step the Megapacks are already carrying the mismatch (no start-up kick).
        const double gain = is.started ? std::min(1.0, dt / kBatteryFeedbackS) : 1.0;
        is.feedbackMw += (request - feedForward - is.feedbackMw) * gain;
        battery = std::clamp(feedForward + is.feedbackMw, -chargeCap, dischargeCap);
    } else {
        is.feedbackMw = 0;
    }
    const bool limited = (request > dischargeCap + 1e-9 || request < -chargeCap - 1e-9) && batteryMax > 0;
    // Share among blocks by their available power.
    const double share = battery >= 0 ? dischargeCap : chargeCap;
    for (auto& b : batteries) {
        if (b.island != i) continue;
        if (b.faulted || share <= 0) {
            b.powerMw = 0;
            continue;
        }
        const double soc = b.socPct();
        const double avail = battery >= 0 ? b.maxMw * std::clamp((soc - p_.socMin) / kSocTaperPct, 0.0, 1.0)
                                          : b.maxMw * std::clamp((p_.socMax - soc) / kSocTaperPct, 0.0, 1.0);
        b.powerMw = battery * avail / share;
        const double eta = std::sqrt(p_.roundTrip);
        b.energyMwh -= (b.powerMw > 0 ? b.powerMw / eta : b.powerMw * eta) * dt / 3600;
        b.energyMwh = std::clamp(b.energyMwh, 0.0, b.capacityMwh);
        b.throughputMwh += std::abs(b.powerMw) * dt / 3600;
        const bool outOfBand = soc <= p_.socMin + 0.5 || soc >= p_.socMax - 0.5;
        if (outOfBand != b.outOfBand) {
            b.outOfBand = outOfBand;
            raise_({soc < 50 ? "soc_low" : "soc_high", Severity::Warning, c_.assets[b.asset].id,
                    outOfBand ? c_.assets[b.asset].name + ": state of charge at " + fmt("%.1f %%", soc) : "",
                    !outOfBand});
        }
    }
    if (limited != (!batteries.empty() && std::any_of(batteries.begin(), batteries.end(), [&](const BatteryRt& b) {
                        return b.island == i && b.limited;
                    }))) {
        for (auto& b : batteries)
            if (b.island == i) b.limited = limited;
        if (batteryMax > 0 && is.bus != kNoAsset)
            raise_({"megapack_limit", Severity::Warning, c_.assets[is.bus].id,
                    limited ? "Megapacks at their power limit (" + fmt("%.1f MW asked", request) + ")" : "", !limited});
    }
    request -= battery;
    double grid = 0;
    for (auto& g : grids) {
        if (g.island != i) continue;
        if (!g.connected) {
            g.powerMw = 0;
            continue;
        }
        const double extra = gridCap > 0 ? request * g.limitMw / gridCap : 0;
        g.powerMw = std::clamp(g.scheduleMw + extra, -g.limitMw, g.limitMw);
        grid += g.powerMw;
    }
    // What no isochronous source covered moves the frequency (aggregate swing equation).
    const double supply = mech + solar + battery + grid;
    const double rocof = inertia > 0 ? (supply - demand - losses) / inertia : 0;
    is.rocofHzPerS = rocof;
    is.frequencyHz = f + rocof * dt;
    // Electrical outputs: turbines give or take kinetic energy; rotating loads do too.
    double generation = solar + battery + grid;
    for (auto& u : turbines)
        if (u.island == i) {
            u.elecMw = u.state == SourceState::Online ? u.mechMw - 2 * u.inertiaS * u.ratingMw / kNominalHz * rocof : 0;
            generation += u.elecMw;
        }
    is.started = true;
    is.demandMw = demand;
    is.lossesMw = losses;
    is.loadMw = demand + loadInertia * rocof;
    is.generationMw = generation;

    // Frequency excursions, as a control system would flag them.
    const double dev = std::abs(is.frequencyHz - kNominalHz);
    if (is.excursionStart < 0 && dev > kFrequencyWarningHz && is.bus != kNoAsset) {
        is.excursionStart = t;
        raise_({"frequency_excursion", dev > kFrequencyAlarmHz ? Severity::Alarm : Severity::Warning, c_.assets[is.bus].id,
                "Frequency " + fmt("%.3f Hz", is.frequencyHz) + " outside 60 ± 0.1 Hz"});
    } else if (is.excursionStart >= 0 && dev < kFrequencyClearHz) {
        is.excursionStart = -1;
        raise_({"frequency_excursion", Severity::Warning, c_.assets[is.bus].id, "", true});
    }
}

void PowerModel::tripTurbine(int k, double t) {
    TurbineRt& u = turbines[k];
    const double was = u.elecMw;
    u.state = SourceState::Tripped;
    u.mechMw = u.setMw = u.primaryMw = u.elecMw = 0;
    raise_({"turbine_trip", Severity::Alarm, c_.assets[u.asset].id,
            c_.assets[u.asset].name + " tripped at " + fmt("%.1f MW", was) + " (flame-out)"});
    // Start the largest unit on standby in the same island.
    int best = -1;
    for (std::size_t s = 0; s < turbines.size(); ++s)
        if (turbines[s].island == u.island && turbines[s].state == SourceState::Offline &&
            (best < 0 || turbines[s].ratingMw > turbines[best].ratingMw))
            best = static_cast<int>(s);
    if (best >= 0) {
        turbines[best].state = SourceState::Starting;
        turbines[best].until = t + turbines[best].startS;
        raise_({"turbine_start", Severity::Info, c_.assets[turbines[best].asset].id,
                c_.assets[turbines[best].asset].name + ": starting to replace " + c_.assets[u.asset].name});
    }
}

void PowerModel::restartTurbine(int k, double t) {
    TurbineRt& u = turbines[k];
    if (u.state != SourceState::Tripped) return;
    u.state = SourceState::Starting;
    u.until = t + u.startS;
    raise_({"turbine_start", Severity::Info, c_.assets[u.asset].id, c_.assets[u.asset].name + ": restarting after its trip"});
}

void PowerModel::repairBattery(int k) {
    BatteryRt& b = batteries[k];
    if (!b.faulted) return;
    b.faulted = false;
    raise_({"megapack_fault", Severity::Alarm, c_.assets[b.asset].id, "", true});
}

void PowerModel::reconnectGrid(double) {
    for (auto& g : grids) {
        if (g.connected) continue;
        g.connected = true;
        raise_({"grid_interruption", Severity::Alarm, c_.assets[g.asset].id, "", true});
    }
}

void PowerModel::faultBattery(int k) {
    BatteryRt& b = batteries[k];
    b.faulted = true;
    b.powerMw = 0;
    raise_({"megapack_fault", Severity::Alarm, c_.assets[b.asset].id,
            c_.assets[b.asset].name + ": inverter fault, block offline"});
}

void PowerModel::disconnectGrid(double) {
    for (auto& g : grids) {
        if (!g.connected) continue;
        g.connected = false;
        raise_({"grid_interruption", Severity::Alarm, c_.assets[g.asset].id,
                c_.assets[g.asset].name + ": utility interrupted the supply"});
    }
}

int PowerModel::largestOnlineTurbine() const {
    int best = -1;
    for (std::size_t k = 0; k < turbines.size(); ++k)
        if (turbines[k].state == SourceState::Online &&
            (best < 0 || turbines[k].elecMw > turbines[best].elecMw + 1e-9))
            best = static_cast<int>(k);
    return best;
}

int PowerModel::findTurbine(const std::string& id) const {
    for (std::size_t k = 0; k < turbines.size(); ++k)
        if (c_.assets[turbines[k].asset].id == id) return static_cast<int>(k);
    return -1;
}

int PowerModel::findBattery(const std::string& id) const {
    for (std::size_t k = 0; k < batteries.size(); ++k)
        if (c_.assets[batteries[k].asset].id == id) return static_cast<int>(k);
    return -1;
}

} // namespace twin::sim
