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
constexpr double kGovernorDeadbandHz = 0.036;
constexpr double kUflsDelayS = 0.1;         // UFLS relay and breaker: 6 cycles below the stage's setting
constexpr double kRestoreBandHz = 0.1;      // restoration waits for the frequency within 60 +- this
constexpr double kRestoreReserve = 1.1;     //   and spare capacity of 1.1 x the hall's load
constexpr double kWalkInS = 10;             // a restored hall's load comes back over 10 s at least (UPS walk-in)
constexpr double kSolarReconnectS = 300;    // inverters reconnect after 5 min of normal voltage and frequency (IEEE 1547)
constexpr double kCollapseLowHz = 57.0, kCollapseHighHz = 66.5;   // beyond every relay: the island is lost
constexpr double kLossAtRating = 0.01;      // I^2 R losses of a transformer or feeder at its rating
constexpr double kSocTaperPct = 2;          // power tapers to zero over the last 2 % of the window

std::string fmt(const char* f, double v) {
    char b[96];
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
        case AssetKind::SolarArray: solars.push_back({idx, i, x.ratingMw, 0, 0}); break;
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
    // Protection: relay groups (smallest units first), the UFLS plan of each island.
    hallShed_.assign(compute_.halls().size(), -1);
    hallServed_.assign(compute_.halls().size(), 1.0);
    hallWalkInPerS_.assign(compute_.halls().size(), 0.0);
    for (std::size_t i = 0; i < islands.size(); ++i) {
        IslandRt& is = islands[i];
        for (std::size_t k = 0; k < turbines.size(); ++k)
            if (turbines[k].island == static_cast<int>(i)) is.turbines.push_back(static_cast<int>(k));
        for (std::size_t k = 0; k < batteries.size(); ++k)
            if (batteries[k].island == static_cast<int>(i)) is.batteries.push_back(static_cast<int>(k));
        for (std::size_t k = 0; k < grids.size(); ++k)
            if (grids[k].island == static_cast<int>(i)) is.grids.push_back(static_cast<int>(k));
        std::vector<int> units = is.turbines;
        std::stable_sort(units.begin(), units.end(),
                         [&](int a, int b) { return turbines[a].ratingMw < turbines[b].ratingMw; });
        for (std::size_t r = 0; r < units.size(); ++r)
            turbines[units[r]].relay.group = static_cast<int>(kRelayGroups * r / units.size());
        std::vector<double> rated;
        for (int h : is.halls) rated.push_back(compute_.halls()[h].ratedItMw);
        for (const auto& stage : uflsPlan(rated, static_cast<int>(std::min<std::uint64_t>(p_.uflsStages, 20)), p_.uflsStagePct)) {
            is.uflsStages.emplace_back();
            for (int k : stage) is.uflsStages.back().push_back(is.halls[k]);
        }
        is.uflsTimer.assign(is.uflsStages.size(), 0);
        is.uflsFired.assign(is.uflsStages.size(), 0);
    }
    install(p_.start);   // what is built at the start; later dates come in as the run passes them
    commitUnits();
}

// Which sources are commissioned at `now`; an island has sources when any of them is.
void PowerModel::install(TimeMs now) {
    for (auto& u : turbines) u.installed = c_.assets[u.asset].commissionedAt(now);
    for (auto& b : batteries) b.installed = c_.assets[b.asset].commissionedAt(now);
    for (auto& s : solars) s.installed = c_.assets[s.asset].commissionedAt(now);
    for (auto& g : grids) {
        const bool in = c_.assets[g.asset].commissionedAt(now);
        if (in && !g.installed) g.connected = true;   // a new tie comes in closed
        if (!in) g.connected = false;
        g.installed = in;
    }
    for (std::size_t i = 0; i < islands.size(); ++i) {
        IslandRt& is = islands[i];
        is.hasSources = false;
        for (int k : is.turbines) is.hasSources |= turbines[k].installed;
        for (int k : is.batteries) is.hasSources |= batteries[k].installed;
        for (int k : is.grids) is.hasSources |= grids[k].installed;
    }
}

void PowerModel::commission(TimeMs now, double t, const std::vector<int>& hallsIn) {
    std::vector<char> wasInstalled(turbines.size());
    for (std::size_t k = 0; k < turbines.size(); ++k) wasInstalled[k] = turbines[k].installed;
    std::vector<char> hadSources(islands.size());
    for (std::size_t i = 0; i < islands.size(); ++i) hadSources[i] = islands[i].hasSources;
    install(now);
    for (std::size_t i = 0; i < islands.size(); ++i) {
        IslandRt& is = islands[i];
        if (!hadSources[i] && is.hasSources) is.started = false;   // its controls start in balance
        // New units are handed over synchronised (commissioning tests them so): online, largest
        // first, while the island's online capacity falls short of its mean demand plus 15 % and
        // the largest unit (the start's rule); the rest stand by.
        double demand = 0, online = 0, largest = 0;
        for (int h : is.halls) demand += compute_.meanActivityDemandMw(h);
        for (int k : is.grids)
            if (grids[k].connected) online += grids[k].limitMw;
        std::vector<int> fresh;
        for (int k : is.turbines) {
            if (!turbines[k].installed) continue;
            largest = std::max(largest, turbines[k].ratingMw);
            if (turbines[k].state == SourceState::Online) online += turbines[k].ratingMw;
            if (!wasInstalled[static_cast<std::size_t>(k)]) fresh.push_back(k);
        }
        std::stable_sort(fresh.begin(), fresh.end(), [&](int a, int b) { return turbines[a].ratingMw > turbines[b].ratingMw; });
        for (int k : fresh) {
            if (online >= demand * 1.15 + largest || is.dead) break;
            TurbineRt& u = turbines[k];
            u.state = SourceState::Online;
            u.setMw = u.valveMw = u.mechMw = u.elecMw = 0;   // loads at its ramp rate
            online += u.ratingMw;
            raise_({"turbine_online", Severity::Info, c_.assets[u.asset].id, c_.assets[u.asset].name + ": commissioned, online"});
        }
    }
    // New halls walk their load in as restored ones do (UPS rectifiers): at once what the
    // Megapacks and grid ties can take, the rest at the online turbines' ramp, over 10 s at least.
    for (int h : hallsIn) {
        const int i = islandOf_[compute_.halls()[static_cast<std::size_t>(h)].asset];
        if (i < 0 || islands[i].dead || !islands[i].hasSources) continue;
        const IslandRt& is = islands[i];
        double ramp = 0;
        for (int k : is.turbines)
            if (turbines[k].state == SourceState::Online) ramp += turbines[k].rampMwPerS;
        const double load = compute_.meanActivityDemandMw(h);
        hallServed_[h] = 0;
        hallWalkInPerS_[h] = 1 / std::max(kWalkInS, ramp > 0 ? (load - is.fastSpareMw) / ramp : kWalkInS);
        if (is.spareMw < kRestoreReserve * load) startStandby(i, "for newly commissioned load", t);
    }
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
            if (g.island == static_cast<int>(i) && g.connected) grid += g.limitMw;
        std::vector<int> units;
        for (std::size_t k = 0; k < turbines.size(); ++k)
            if (turbines[k].island == static_cast<int>(i) && turbines[k].installed) units.push_back(static_cast<int>(k));
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
            u.setMw = u.valveMw = u.mechMw = u.elecMw = std::clamp(online > 0 ? demand * u.ratingMw / online : 0, u.minMw, u.ratingMw);
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
    for (auto& s : solars)   // grid-following inverters: off with a collapsed island until reconnected
        s.availableMw = !s.installed || islands[s.island].dead || islands[s.island].solarOffUntil > t
                            ? 0 : s.ratingMw * std::min(1.0, sun) * 0.95;
    for (auto& f : flows) {   // a shed hall's feeders are open
        f.powerMw = 0;
        for (auto [h, w] : f.halls)
            f.powerMw += w * hallServed_[h] * compute_.hallDemandMw(h);
        for (auto [h, w] : f.coolingPlants)
            f.powerMw += w * hallServed_[h] * compute_.coolingMw(h);
    }
    for (std::size_t i = 0; i < islands.size(); ++i) solveIsland(static_cast<int>(i), t, dt);
    // Turbines tripped by their relays, starting and synchronising.
    for (std::size_t k = 0; k < turbines.size(); ++k) {
        TurbineRt& u = turbines[k];
        if (u.state == SourceState::Tripped && u.restartAt >= 0 && t >= u.restartAt) restartTurbine(static_cast<int>(k), t);
        if (u.state == SourceState::Starting && t >= u.until) {
            u.state = SourceState::Synchronising;
            u.until = t + p_.syncS;
            raise_({"turbine_sync", Severity::Info, c_.assets[u.asset].id,
                    c_.assets[u.asset].name + ": at speed, synchronising"});
        } else if (u.state == SourceState::Synchronising && t >= u.until &&
                   (islands[u.island].dead || std::abs(islands[u.island].frequencyHz - kNominalHz) < 0.1)) {
            // A dead bus is closed onto directly (black start). The unit then loads at its ramp rate.
            const bool blackStart = islands[u.island].dead;
            if (blackStart) reenergise(u.island, t);
            u.state = SourceState::Online;
            u.setMw = u.valveMw = u.mechMw = u.elecMw = 0;
            u.relay.used = 0;
            raise_({"turbine_online", Severity::Info, c_.assets[u.asset].id,
                    c_.assets[u.asset].name + (blackStart ? ": breaker closed onto the dead bus (black start), online"
                                                          : ": breaker closed, online")});
            raise_({"turbine_trip", Severity::Alarm, c_.assets[u.asset].id, "", true});   // if it had tripped
        }
    }
    for (std::size_t i = 0; i < islands.size(); ++i) restoreHalls(static_cast<int>(i), dt);
    walkIn(dt);
}

void PowerModel::walkIn(double dt) {
    for (std::size_t h = 0; h < hallServed_.size(); ++h)
        if (hallShed_[h] < 0 && hallServed_[h] < 1) hallServed_[h] = std::min(1.0, hallServed_[h] + hallWalkInPerS_[h] * dt);
}

// One island over one electrical step. The slow parts (dispatch, set points, SoC correction)
// move once per step; the fast ones (frequency, its measurement, governors and turbines, the
// Megapacks' grid-forming response, secondary control, protection) are continuous-time dynamics
// integrated in sub-steps of kSubStepS whatever the step: first-order lags by their exact
// exponential, the swing equation implicitly in its stiff terms (grid ties, load damping).
// docs/physics.md, "Control".
void PowerModel::solveIsland(int i, double t, double dt) {
    IslandRt& is = islands[i];
    auto servedDemand = [&] {
        double d = 0;
        for (int h : is.halls) d += hallServed_[h] * hallLoadMw(h);
        return d;
    };
    if (!is.hasSources || is.dead) {   // nothing to solve: unconnected halls, or a dead island
        is.demandMw = is.loadMw = is.dead ? 0 : servedDemand();
        is.lossesMw = is.generationMw = is.rocofHzPerS = 0;
        if (is.dead) {
            is.frequencyHz = is.measuredHz = 0;
            for (int k : is.turbines) turbines[k].mechMw = turbines[k].elecMw = turbines[k].valveMw = turbines[k].setMw = 0;
            for (int k : is.batteries) batteries[k].powerMw = 0;
            for (int k : is.grids) grids[k].powerMw = 0;
            for (auto& s : solars)
                if (s.island == i) s.powerMw = 0;
        }
        return;
    }
    double demand0 = servedDemand();   // before load damping
    double losses = 0;
    for (const auto& fl : flows)
        if (fl.island == i) losses += kLossAtRating * fl.powerMw * fl.powerMw / fl.ratingMw;
    if (is.slowDemandMw < 0) is.slowDemandMw = demand0 + losses;
    is.slowDemandMw += (demand0 + losses - is.slowDemandMw) * (1 - std::exp(-dt / kSlowDemandS));

    double solarAvailable = 0, solarRating = 0;
    for (const auto& s : solars)
        if (s.island == i) solarAvailable += s.availableMw, solarRating += s.availableMw > 0 ? s.ratingMw : 0;
    const double solar = solarAvailable;   // what the dispatch counts on
    double socCorrection = 0, batteryMax = 0, dischargeCap = 0, chargeCap = 0;
    for (int k : is.batteries) {
        const BatteryRt& b = batteries[k];
        if (b.faulted || !b.installed) continue;
        const double soc = b.socPct();
        socCorrection += (p_.socTarget - soc) / 100 * b.capacityMwh * 3600 / kSocCorrectionS;
        batteryMax += b.maxMw;
        dischargeCap += b.maxMw * std::clamp((soc - p_.socMin) / kSocTaperPct, 0.0, 1.0);
        chargeCap += b.maxMw * std::clamp((p_.socMax - soc) / kSocTaperPct, 0.0, 1.0);
    }
    socCorrection = std::clamp(socCorrection, -0.5 * batteryMax, 0.5 * batteryMax);

    double turbineCap = 0, gridCap = 0, rampSum = 0;
    for (int k : is.turbines)
        if (turbines[k].state == SourceState::Online) turbineCap += turbines[k].ratingMw, rampSum += turbines[k].rampMwPerS;
    for (int k : is.grids)
        if (grids[k].connected) gridCap += grids[k].limitMw;
    // Slow dispatch: turbines and grid share the filtered demand in proportion to capacity.
    const double slow = std::max(0.0, is.slowDemandMw + socCorrection - solar);
    const double total = turbineCap + gridCap;
    double schedule = 0;
    for (int k : is.grids) {
        GridRt& g = grids[k];
        g.scheduleMw = g.connected && total > 0 ? std::min(g.limitMw, slow * g.limitMw / total) : 0;
        schedule += g.scheduleMw;
    }
    // Secondary control asks the Megapacks first (at once), the turbines (through their
    // ramp-limited set points) what the Megapacks cannot give. (A grid tie within its limit
    // holds 60 Hz by itself.)
    // A governor cuts fuel down to its unit's minimum load, but the island's last source may go
    // below it (toward full speed, no load) rather than trip with the island, and so may the
    // units re-energising it after a collapse (no load yet).
    int onlineUnits = 0;
    for (int k : is.turbines) onlineUnits += turbines[k].state == SourceState::Online;
    const bool lastSource = onlineUnits == 1 && batteryMax <= 0 && gridCap <= 0;
    auto floorOf = [&](const TurbineRt& u) { return is.blackStart || lastSource ? 0.0 : u.minMw; };
    if (!is.started) {
        // The plant starts in balance: secondary control carries what the dispatch leaves.
        const bool megapacks = dischargeCap + chargeCap > 0;
        double supply = solar + schedule + (megapacks ? demand0 + losses - is.slowDemandMw - socCorrection : 0);
        for (int k : is.turbines)
            if (turbines[k].state == SourceState::Online)
                supply += std::clamp(total > 0 ? slow * turbines[k].ratingMw / total : 0, floorOf(turbines[k]), turbines[k].ratingMw);
        (megapacks ? is.agcMw : is.agcTurbinesMw) = demand0 + losses - supply;
        is.measuredHz = is.frequencyHz;
        is.measuredFastMw = demand0 + losses - is.slowDemandMw;
    }
    for (int k : is.turbines) {
        TurbineRt& u = turbines[k];
        if (u.state != SourceState::Online) {
            u.mechMw = u.setMw = u.valveMw = 0;
            continue;
        }
        const double target = std::clamp((total > 0 ? slow * u.ratingMw / total : 0) + is.agcTurbinesMw * u.ratingMw / turbineCap,
                                          floorOf(u), u.ratingMw);
        if (!is.started) u.setMw = u.valveMw = u.mechMw = target;
        else u.setMw += std::clamp(target - u.setMw, -u.rampMwPerS * dt, u.rampMwPerS * dt);
    }

    // Fast dynamics, in sub-steps.
    const int n = std::max(1, static_cast<int>(std::ceil(dt / kSubStepS - 1e-9)));
    const double h = dt / n;
    auto lag = [h](double tau) { return tau > 0 ? 1 - std::exp(-h / tau) : 1.0; };
    const double aMeasure = lag(p_.frequencyMeasureS), aValve = lag(p_.governorS), aTurbine = lag(p_.turbineS);
    const double measureS = std::max(p_.frequencyMeasureS, h);
    const double kBattery = p_.megapackDroopPct > 0 ? batteryMax / (p_.megapackDroopPct / 100 * kNominalHz) : 0;   // MW/Hz
    const double mVirtual = 2 * p_.megapackInertiaS * batteryMax / kNominalHz;                                      // MW s/Hz
    const double damping = p_.loadDampingPctPerHz / 100;   // per Hz, of the demand
    const double droop = std::max(p_.droopPct, 1e-3) / 100 * kNominalHz;   // Hz for the full rating
    double f = is.frequencyHz, rocof = 0, mech = 0, battery = 0, batteryAsk = 0, batteryMwS = 0, grid = 0, solarNow = solar;
    double inertia = 0, loadInertia = 0;
    for (int step = 0; step < n; ++step) {
        // What the controllers and relays measure: frequency and the halls' fast load, lagged.
        const double measuredRate = (f - is.measuredHz) / measureS;
        is.measuredHz += (f - is.measuredHz) * aMeasure;
        is.measuredFastMw += (demand0 + losses - is.slowDemandMw - is.measuredFastMw) * aMeasure;
        const double fm = is.measuredHz;
        if (p_.protection) {
            for (std::size_t s = 0; s < is.uflsStages.size(); ++s) {
                if (is.uflsFired[s]) continue;
                if (fm > p_.uflsFirstHz - static_cast<double>(s) * p_.uflsStepHz) {
                    is.uflsTimer[s] = 0;
                    continue;
                }
                is.uflsTimer[s] += h;
                if (is.uflsTimer[s] < kUflsDelayS - 1e-12) continue;
                is.uflsFired[s] = 1;
                for (int hall : is.uflsStages[s])
                    if (hallShed_[hall] < 0) shedHall(i, hall, static_cast<int>(s), t);
                demand0 = servedDemand();
                startStandby(i, "load was shed by UFLS", t);
            }
            for (int k : is.turbines) {
                TurbineRt& u = turbines[k];
                if (u.state != SourceState::Online) continue;
                const std::string reason = f >= p_.overspeedTripPct / 100 * kNominalHz
                                               ? "over-speed trip at " + fmt("%.2f Hz", f) + " (" + fmt("%g %% of rated speed)", p_.overspeedTripPct)
                                               : u.relay.update(fm, h);
                if (!reason.empty()) protectiveTrip(k, t, reason, fm < kNominalHz);
            }
        }
        // Governors on shaft speed: droop beyond the dead band, down to minimum load, up by at
        // most primaryLimitPct above the set point; then the valve and the turbine lag.
        const double err = std::abs(f - kNominalHz) > kGovernorDeadbandHz ? f - kNominalHz - std::copysign(kGovernorDeadbandHz, f - kNominalHz) : 0;
        mech = inertia = 0;
        double betaTurbines = 0;
        bool anyTurbine = false;
        for (int k : is.turbines) {
            TurbineRt& u = turbines[k];
            if (u.state != SourceState::Online) continue;
            anyTurbine = true;
            const double ceiling = std::min(u.ratingMw, u.setMw + p_.primaryLimitPct / 100 * u.ratingMw);
            const double want = std::clamp(u.setMw - err / droop * u.ratingMw, std::min(floorOf(u), u.setMw), ceiling);
            u.valveMw += (want - u.valveMw) * aValve;
            u.mechMw += (u.valveMw - u.mechMw) * aTurbine;
            mech += u.mechMw;
            inertia += 2 * u.inertiaS * u.ratingMw / kNominalHz;   // MW s/Hz
            betaTurbines += u.ratingMw / droop;
        }
        // Megapacks, grid-forming: the fast load as measured, the SoC correction, their share of
        // secondary control, droop and virtual inertia on measured frequency.
        batteryAsk = is.measuredFastMw - socCorrection + is.agcMw - kBattery * (fm - kNominalHz) - mVirtual * measuredRate;
        battery = std::clamp(batteryAsk, -chargeCap, dischargeCap);
        // Swing equation. The grid ties connect the island to the interconnection, an infinite
        // bus: within their limit they take what holds the island at 60 Hz; at it they give
        // their limit and the island's frequency moves. The load damping is taken implicitly.
        loadInertia = 2 * p_.loadInertiaS * demand0 / kNominalHz;
        const double m = std::max(inertia + loadInertia, 1e-9);
        // Solar inverters curtail on over-frequency: 5 % droop beyond a 36 mHz dead band (IEEE 1547-2018).
        solarNow = std::max(0.0, solarAvailable - std::max(0.0, f - kNominalHz - kGovernorDeadbandHz) / (0.05 * kNominalHz) * solarRating);
        const double fixed = mech + solarNow + battery - losses;
        grid = 0;
        if (gridCap > 0)
            grid = std::clamp(demand0 - fixed + m * (kNominalHz - f) / h, -gridCap, gridCap);
        const double fNew = f + h * (fixed + grid - demand0 * (1 + damping * (f - kNominalHz))) / (m + h * demand0 * damping);
        rocof = (fNew - f) / h;
        f = fNew;
        batteryMwS += battery * h;
        // Secondary control: an integral of the measured error; the Megapacks' part while they
        // have room in its direction, else the turbines' part, no faster than their ramps.
        const double beta = kBattery + betaTurbines;
        if (beta > 0 && p_.agcS > 0) {
            const double dz = h * beta / p_.agcS * (kNominalHz - fm);
            const bool megapackRoom = dz > 0 ? batteryAsk < dischargeCap : batteryAsk > -chargeCap;
            if (megapackRoom) is.agcMw = std::clamp(is.agcMw + dz, -batteryMax, batteryMax);
            else is.agcTurbinesMw = std::clamp(is.agcTurbinesMw + std::clamp(dz, -rampSum * h, rampSum * h), -turbineCap, turbineCap);
        }
        // Lost: no source left, or the frequency beyond every relay's setting.
        if (p_.protection && ((!anyTurbine && gridCap <= 0 && batteryMax <= 0) || f < kCollapseLowHz || f > kCollapseHighHz)) {
            collapse(i, t, !anyTurbine && gridCap <= 0 && batteryMax <= 0 ? "every source lost" : "frequency collapsed at " + fmt("%.2f Hz", f));
            return;
        }
    }

    // Electrical outputs at the end of the step: turbines give or take kinetic energy; rotating
    // loads do too. With the last sub-step's values generation = load + losses exactly.
    is.frequencyHz = f;
    is.rocofHzPerS = rocof;
    for (auto& s : solars)
        if (s.island == i) s.powerMw = solarAvailable > 0 ? s.availableMw * solarNow / solarAvailable : 0;
    double generation = solarNow + battery + grid;
    for (int k : is.turbines) {
        TurbineRt& u = turbines[k];
        u.elecMw = u.state == SourceState::Online ? u.mechMw - 2 * u.inertiaS * u.ratingMw / kNominalHz * rocof : 0;
        generation += u.elecMw;
    }
    for (int k : is.grids) grids[k].powerMw = grids[k].connected && gridCap > 0 ? grid * grids[k].limitMw / gridCap : 0;

    // The Megapack blocks share the power by what each can give; energy from the step's mean.
    const double meanBattery = batteryMwS / dt;
    const double share = battery >= 0 ? dischargeCap : chargeCap;
    for (int k : is.batteries) {
        BatteryRt& b = batteries[k];
        if (b.faulted || !b.installed || share <= 0) {
            b.powerMw = 0;
            continue;
        }
        const double soc = b.socPct();
        const double avail = battery >= 0 ? b.maxMw * std::clamp((soc - p_.socMin) / kSocTaperPct, 0.0, 1.0)
                                          : b.maxMw * std::clamp((p_.socMax - soc) / kSocTaperPct, 0.0, 1.0);
        b.powerMw = battery * avail / share;
        const double mean = meanBattery * avail / share;
        const double eta = std::sqrt(p_.roundTrip);
        b.energyMwh -= (mean > 0 ? mean / eta : mean * eta) * dt / 3600;
        b.energyMwh = std::clamp(b.energyMwh, 0.0, b.capacityMwh);
        b.throughputMwh += std::abs(mean) * dt / 3600;
        const bool outOfBand = soc <= p_.socMin + 0.5 || soc >= p_.socMax - 0.5;
        if (outOfBand != b.outOfBand) {
            b.outOfBand = outOfBand;
            raise_({soc < 50 ? "soc_low" : "soc_high", Severity::Warning, c_.assets[b.asset].id,
                    outOfBand ? c_.assets[b.asset].name + ": state of charge at " + fmt("%.1f %%", soc) : "",
                    !outOfBand});
        }
    }
    const bool limited = batteryMax > 0 && (batteryAsk > dischargeCap + 1e-9 || batteryAsk < -chargeCap - 1e-9);
    const bool wasLimited = std::any_of(is.batteries.begin(), is.batteries.end(), [&](int k) { return batteries[k].limited; });
    if (limited != wasLimited) {
        for (int k : is.batteries) batteries[k].limited = limited;
        if (is.bus != kNoAsset)
            raise_({"megapack_limit", Severity::Warning, c_.assets[is.bus].id,
                    limited ? "Megapacks at their power limit (" + fmt("%.1f MW asked", batteryAsk) + ")" : "", !limited});
    }

    is.started = true;
    is.demandMw = demand0 * (1 + damping * (f - kNominalHz));
    is.lossesMw = losses;
    is.loadMw = is.demandMw + loadInertia * rocof;
    is.generationMw = generation;
    // What the sources could still give: the Megapacks and grid ties at once, the turbines up to
    // their ratings.
    is.fastSpareMw = std::max(0.0, dischargeCap - battery) + std::max(0.0, gridCap - grid);
    is.spareMw = is.fastSpareMw;
    for (int k : is.turbines)
        if (turbines[k].state == SourceState::Online) is.spareMw += std::max(0.0, turbines[k].ratingMw - turbines[k].mechMw);

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

// ---- protection and restoration ------------------------------------------------------------

void PowerModel::protectiveTrip(int k, double t, const std::string& reason, bool standby) {
    TurbineRt& u = turbines[k];
    const double was = u.mechMw;
    u.state = SourceState::Tripped;
    u.mechMw = u.setMw = u.valveMw = u.elecMw = 0;
    u.relay.used = 0;
    u.restartAt = p_.protectionRestartS >= 0 ? t + p_.protectionRestartS : -1;
    raise_({"turbine_trip", Severity::Alarm, c_.assets[u.asset].id,
            c_.assets[u.asset].name + " tripped at " + fmt("%.1f MW", was) + ": " + reason});
    if (standby) startStandby(u.island, "to replace " + c_.assets[u.asset].name, t);
}

void PowerModel::startStandby(int island, const std::string& why, double t) {
    int best = -1;
    for (int s : islands[island].turbines)
        if (turbines[s].state == SourceState::Offline && turbines[s].installed && (best < 0 || turbines[s].ratingMw > turbines[best].ratingMw)) best = s;
    if (best < 0) return;
    turbines[best].state = SourceState::Starting;
    turbines[best].until = t + turbines[best].startS;
    raise_({"turbine_start", Severity::Info, c_.assets[turbines[best].asset].id,
            c_.assets[turbines[best].asset].name + ": starting, " + why});
}

void PowerModel::shedHall(int island, int hall, int stage, double) {
    IslandRt& is = islands[island];
    hallShed_[hall] = stage;
    hallServed_[hall] = 0;
    is.shedHalls.push_back(hall);
    const Asset& a = c_.assets[compute_.halls()[hall].asset];
    const std::string why = stage == kBlackout
                                ? "lost with its island"
                                : "UFLS stage " + std::to_string(stage + 1) + " (" +
                                      fmt("%.2f Hz)", p_.uflsFirstHz - stage * p_.uflsStepHz) + " opened its feeders";
    raise_({"load_shed", Severity::Alarm, a.id, a.name + ": " + why + ", " + fmt("%.2f MW shed", hallLoadMw(hall))});
}

// Shed halls come back one at a time, the last shed first, each once the frequency has been
// within 0.1 Hz of 60 Hz for uflsRestoreS and the island's sources could take 1.1 x its load.
void PowerModel::restoreHalls(int island, double dt) {
    IslandRt& is = islands[island];
    if (is.dead || is.shedHalls.empty()) {
        is.restoreTimer = 0;
        return;
    }
    is.restoreTimer = std::abs(is.measuredHz - kNominalHz) < kRestoreBandHz ? is.restoreTimer + dt : 0;
    const int hall = is.shedHalls.back();
    if (is.restoreTimer < p_.uflsRestoreS - 1e-9 || is.spareMw < kRestoreReserve * hallLoadMw(hall)) return;
    is.shedHalls.pop_back();
    const int stage = hallShed_[hall];
    hallShed_[hall] = -1;
    // The hall's UPS rectifiers walk its load in: at once what the Megapacks and grid ties can
    // take, the rest at the rate the island's online turbines can ramp, over 10 s at least.
    double ramp = 0;
    for (int k : is.turbines)
        if (turbines[k].state == SourceState::Online) ramp += turbines[k].rampMwPerS;
    const double load = hallLoadMw(hall);
    const double walkInS = std::max(kWalkInS, ramp > 0 ? (load - is.fastSpareMw) / ramp : kWalkInS);
    hallWalkInPerS_[hall] = 1 / walkInS;
    is.restoreTimer = 0;
    const Asset& a = c_.assets[compute_.halls()[hall].asset];
    raise_({"load_shed", Severity::Alarm, a.id, "", true});
    raise_({"load_restored", Severity::Info, a.id,
            a.name + ": feeders closed, " + fmt("%.2f MW back", hallLoadMw(hall)) + " (frequency back within 0.1 Hz)"});
    if (stage >= 0 && stage < static_cast<int>(is.uflsStages.size()) &&
        std::none_of(is.uflsStages[stage].begin(), is.uflsStages[stage].end(), [&](int x) { return hallShed_[x] >= 0; })) {
        is.uflsFired[stage] = 0;   // the stage is armed again
        is.uflsTimer[stage] = 0;
    }
    if (is.shedHalls.empty()) is.blackStart = false;
}

void PowerModel::collapse(int island, double t, const std::string& why) {
    IslandRt& is = islands[island];
    is.dead = true;
    if (is.bus != kNoAsset)
        raise_({"island_blackout", Severity::Alarm, c_.assets[is.bus].id,
                "Island of " + c_.assets[is.bus].name + " de-energised: " + why});
    if (is.excursionStart >= 0 && is.bus != kNoAsset) {
        is.excursionStart = -1;
        raise_({"frequency_excursion", Severity::Warning, c_.assets[is.bus].id, "", true});
    }
    for (int k : is.turbines)
        if (turbines[k].state == SourceState::Online) protectiveTrip(k, t, "island collapsed", false);
    for (int k : is.grids)
        if (grids[k].connected) {
            grids[k].connected = false;
            raise_({"grid_interruption", Severity::Alarm, c_.assets[grids[k].asset].id,
                    c_.assets[grids[k].asset].name + ": tie breaker opened, the island collapsed"});
        }
    for (int h : is.halls)
        if (hallShed_[h] < 0) shedHall(island, h, kBlackout, t);
    startStandby(island, "black start after the island's collapse", t);
    is.frequencyHz = is.measuredHz = is.rocofHzPerS = 0;
    for (int k : is.batteries) batteries[k].powerMw = 0;
    for (int k : is.grids) grids[k].powerMw = 0;
    for (auto& s : solars)
        if (s.island == island) s.powerMw = s.availableMw = 0;
}

void PowerModel::reenergise(int island, double t) {
    IslandRt& is = islands[island];
    if (!is.dead) return;
    is.solarOffUntil = t + kSolarReconnectS;
    is.dead = false;
    is.blackStart = true;
    is.started = false;   // the next step starts the island's controls in balance
    is.frequencyHz = is.measuredHz = kNominalHz;
    is.agcMw = is.agcTurbinesMw = is.restoreTimer = 0;
    is.slowDemandMw = -1;   // the dispatch starts again from what the island now serves
    for (auto& x : is.uflsTimer) x = 0;
    if (is.bus != kNoAsset) raise_({"island_blackout", Severity::Alarm, c_.assets[is.bus].id, "", true});
}

// ---- incidents -----------------------------------------------------------------------------

void PowerModel::tripTurbine(int k, double t) {
    TurbineRt& u = turbines[k];
    const double was = u.elecMw;
    u.state = SourceState::Tripped;   // its power goes at the next step (this one's record balances)
    raise_({"turbine_trip", Severity::Alarm, c_.assets[u.asset].id,
            c_.assets[u.asset].name + " tripped at " + fmt("%.1f MW", was) + " (flame-out)"});
    startStandby(u.island, "to replace " + c_.assets[u.asset].name, t);
}

void PowerModel::restartTurbine(int k, double t) {
    TurbineRt& u = turbines[k];
    if (u.state != SourceState::Tripped) return;
    u.state = SourceState::Starting;
    u.until = t + u.startS;
    u.restartAt = -1;
    raise_({"turbine_start", Severity::Info, c_.assets[u.asset].id, c_.assets[u.asset].name + ": restarting after its trip"});
}

void PowerModel::repairBattery(int k) {
    BatteryRt& b = batteries[k];
    if (!b.faulted) return;
    b.faulted = false;
    raise_({"megapack_fault", Severity::Alarm, c_.assets[b.asset].id, "", true});
}

void PowerModel::reconnectGrid(double t) {
    for (auto& g : grids) {
        if (g.connected || !g.installed) continue;
        g.connected = true;
        reenergise(g.island, t);
        raise_({"grid_interruption", Severity::Alarm, c_.assets[g.asset].id, "", true});
    }
}

void PowerModel::faultBattery(int k) {
    BatteryRt& b = batteries[k];
    b.faulted = true;
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
