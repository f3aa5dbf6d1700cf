#include "compute_model.h"

#include "../parallel.h"
#include "random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace twin::sim {

namespace {

constexpr double kLoopMJPerKPerMw = 6;     // coolant loop heat capacity per MW of rated IT
constexpr double kRatedRiseK = 10;         // coolant rise through a rack at its rated power
constexpr double kCapacityMargin = 1.25;   // chiller capacity over rated IT
// Llama 3 (Meta, 2024): 419 unexpected interruptions in 54 days on 16,384 H100s, 58.7 % of them
// GPU-related (GPUs and their HBM): 1.16e-5 per GPU-hour, ~12 an hour on a million GPUs.
constexpr double kLlama3GpuFailuresPerGpuHour = 419 * 0.587 / (54.0 * 24 * 16384);
constexpr double kStageUpShare = 0.9, kStageDownShare = 0.6;   // of running capacity
constexpr double kStageUpS = 60, kStageDownS = 300;             // no short cycling

double frac(double x) { return x - std::floor(x); }

// Is `name` in the comma-separated `list`?
bool listed(const std::string& list, const std::string& name) {
    for (std::size_t at = 0; at <= list.size();) {
        const auto end = std::min(list.find(',', at), list.size());
        if (!name.empty() && list.compare(at, end - at, name) == 0) return true;
        at = end + 1;
    }
    return false;
}

// The building above an asset (kNoAsset when none).
AssetIndex buildingOf(const Campus& c, AssetIndex a) {
    while (a != kNoAsset && c.assets[a].kind != AssetKind::Building) a = c.assets[a].parent;
    return a;
}

} // namespace

ComputeModel::ComputeModel(const Campus& campus, const Params& p, Raise raise)
    : c_(campus), p_(p), raise_(std::move(raise)) {
    const auto& racks = c_.racks();
    const auto nGpu = static_cast<std::size_t>(c_.gpuCount());
    tdp_.resize(nGpu);
    spread_.resize(nGpu);
    temp_.assign(nGpu, static_cast<float>(p_.supplyTemperature + 20));
    failed_.assign(nGpu, 0);
    rackJob_.assign(racks.size(), -1);
    rackHall_.assign(racks.size(), 0);
    rackGroup_.assign(racks.size(), 0);
    rackOvIdleKw_.assign(racks.size(), 0);
    rackOvSpanKw_.assign(racks.size(), 0);
    rackCduKw_.assign(racks.size(), 0);

    // Halls: the rack's ancestor of kind Hall (a rack outside any hall counts as its own hall).
    std::map<AssetIndex, int> hallIndex;
    for (std::size_t r = 0; r < racks.size(); ++r) {
        AssetIndex h = racks[r];
        while (h != kNoAsset && c_.assets[h].kind != AssetKind::Hall) h = c_.assets[h].parent;
        if (h == kNoAsset) h = racks[r];
        auto [it, fresh] = hallIndex.emplace(h, static_cast<int>(halls_.size()));
        if (fresh) {
            HallRt hall;
            hall.asset = h;
            hall.supplyC = p_.supplyTemperature;
            for (const Site& site : c_.sites)
                if (site.asset == c_.assets[h].site) hall.lonDeg = site.lonDeg;
            hall.commissionedMs = c_.assets[h].commissionedMs;
            const AssetIndex b = buildingOf(c_, h);
            if (b != kNoAsset)
                for (AssetIndex ch : c_.children(b))
                    if (c_.assets[ch].kind == AssetKind::CoolingPlant) hall.coolingPlant = ch;
            halls_.push_back(hall);
        }
        rackHall_[r] = it->second;
        const Asset& a = c_.assets[racks[r]];
        const RackType* rt = c_.rackType(a.model);
        halls_[it->second].ratedItMw += (rt ? rt->ratedKw : 0) / 1000;
    }

    // Jobs: consecutive racks of one site, sizes around p.jobRacks; one block in twelve idles.
    Rng rng(p_.seed * 7919 + 17);
    std::size_t r = 0;
    while (r < racks.size()) {
        const AssetIndex site = c_.assets[racks[r]].site;
        std::size_t size = static_cast<std::size_t>(std::max(1.0, p_.jobRacks * (0.5 + 1.5 * rng.uniform())));
        std::size_t end = r;
        bool idle = false;
        if (p_.workload == "frontier") {
            // One synchronous job over every rack of the building (frontier runs: 100k+ GPUs).
            const AssetIndex building = buildingOf(c_, racks[r]);
            while (end < racks.size() && c_.assets[racks[end]].site == site && buildingOf(c_, racks[end]) == building) ++end;
        } else if (p_.workload == "mixed") {
            while (end < racks.size() && end - r < size && c_.assets[racks[end]].site == site) ++end;
            idle = rng.uniform() < 1.0 / 12 && racks.size() > 40;
        } else {
            throw Error("workload", "unknown workload '" + p_.workload + "' (known: mixed, frontier)");
        }
        if (!idle) {
            JobRt j;
            const auto n = jobs_.size() + 1;
            j.name = c_.assets[site].id + "/job" + (n < 10 ? "0" : "") + std::to_string(n);
            j.periodS = p_.stepPeriodMinS + (p_.stepPeriodMaxS - p_.stepPeriodMinS) * rng.uniform();
            j.computeShare = p_.computeFraction;
            j.computeS = p_.computeFraction * j.periodS;
            j.commS0 = j.periodS - j.computeS;
            j.phase0 = rng.uniform();
            j.checkpointOffsetS = p_.checkpointEveryS * rng.uniform();
            for (std::size_t k = r; k < end; ++k) {
                j.racks.push_back(static_cast<std::int32_t>(k));
                j.gpus += c_.assets[racks[k]].gpuCount;
                rackJob_[k] = static_cast<int>(jobs_.size());
            }
            jobs_.push_back(std::move(j));
        }
        r = end;
    }

    // Power smoothing: every job, or the jobs named.
    for (auto& j : jobs_) j.smoothing = p_.powerSmoothing;   // acts on the job's smoothable racks only
    for (std::size_t at = 0; at < p_.smoothedJobs.size();) {
        const auto end = std::min(p_.smoothedJobs.find(',', at), p_.smoothedJobs.size());
        const std::string name = p_.smoothedJobs.substr(at, end - at);
        const int k = findJob(name);
        if (!name.empty() && k < 0) throw Error("scenario", "smoothedJobs: no job '" + name + "'");
        if (k >= 0) jobs_[k].smoothing = true;
        at = end + 1;
    }

    // GPUs: TDP from the rack type's model, a fixed silicon spread of +-4 %. Racks are grouped by
    // job, hall and what their GPU model offers (smoothing, rack storage).
    std::map<std::tuple<int, int, int, TimeMs>, int> groupIndex;
    rackSmoothable_.assign(racks.size(), 0);
    for (std::size_t k = 0; k < racks.size(); ++k) {
        const Asset& a = c_.assets[racks[k]];
        const RackType* rt = c_.rackType(a.model);
        const GpuModel* gm = rt ? c_.gpuModel(rt->gpuModel) : nullptr;
        const double tdp = gm ? gm->tdpW : 700;
        const bool smoothable = rt && listed(p_.smoothingGpuModels, rt->gpuModel);
        const bool storage = p_.rackStorage && rt && listed(p_.rackStorageGpuModels, rt->gpuModel);
        rackSmoothable_[k] = smoothable;
        const auto key = std::tuple(rackJob_[k], rackHall_[k], int(smoothable) | int(storage) << 1, a.commissionedMs);
        auto [it, fresh] = groupIndex.emplace(key, static_cast<int>(groups_.size()));
        if (fresh) {
            Group g{rackJob_[k], rackHall_[k]};
            g.smoothable = smoothable;
            g.storage = storage;
            g.commissionedMs = a.commissionedMs;
            groups_.push_back(g);
        }
        rackGroup_[k] = it->second;
        Group& g = groups_[it->second];
        ++g.racks;
        g.ratedMw += (rt ? rt->ratedKw : a.gpuCount * tdp / 1000) / 1000;
        for (std::int64_t i = a.gpuFirst; i < a.gpuFirst + a.gpuCount; ++i) {
            tdp_[i] = static_cast<float>(tdp);
            spread_[i] = static_cast<float>(0.96 + 0.08 * unitRandom(p_.seed * 1000003 + static_cast<std::uint64_t>(i)));
            g.gpuRatedW += tdp_[i] * spread_[i];
            ++g.healthyGpus;
        }
        // Non-GPU power (CPUs, NICs, switches, fans) from the rack type: idle_kw at idle,
        // rated_kw at full load, minus what the GPUs draw at those points.
        const double gpus = static_cast<double>(a.gpuCount);
        const double rated = rt ? rt->ratedKw : gpus * tdp / 1000;
        const double idle = rt ? rt->idleKw : rated * 0.3;
        const double ovFull = std::max(0.0, rated - gpus * tdp / 1000);
        const double ovIdle = std::clamp(idle - gpus * tdp * kIdleActivity / 1000, 0.0, ovFull);
        g.overheadIdleKw += ovIdle;
        g.overheadSpanKw += ovFull - ovIdle;
        g.cduKw += 0.01 * rated;   // coolant distribution unit pumps
        rackOvIdleKw_[k] = static_cast<float>(ovIdle);
        rackOvSpanKw_[k] = static_cast<float>(ovFull - ovIdle);
        rackCduKw_[k] = static_cast<float>(0.01 * rated);
    }
    for (auto& h : halls_) {
        h.returnC = h.supplyC;
        const double capacity = kCapacityMargin * h.ratedItMw;
        h.chillers.units = std::max(2, static_cast<int>(std::ceil(capacity / std::max(p_.chillerMw, 1e-6))));
        h.chillers.unitMw = capacity / h.chillers.units;
    }
    commission(p_.start, 0);   // what is built at the start; later dates come in as the run passes them
    if (p_.smoothingRampUpPerS <= 0 || p_.smoothingRampDownPerS <= 0 || p_.smoothingHysteresisS < 0)
        throw Error("scenario", "power smoothing: ramp rates must be > 0 and the hysteresis >= 0");
    if (p_.rackStoragePeakShare < 0 || p_.rackStoragePeakShare > 1 || p_.rackStorageSeconds < 0)
        throw Error("scenario", "rack storage: rackStoragePeakShare must be in [0, 1], rackStorageSeconds >= 0");
    if (p_.chillerLagS < 0 || p_.chillerMw <= 0) throw Error("scenario", "chillers: chillerMw > 0, chillerLagS >= 0");
}

double ComputeModel::jobTarget(JobRt& j, int index, double t) {
    auto enter = [&](JobState s, double until = 0) {
        const JobState old = j.state;
        j.state = s;
        j.since = t;
        j.until = until;
        if (s == JobState::Checkpointing)
            raise_({"job_checkpoint", Severity::Info, j.name, j.name + ": checkpoint"});
        else if (old == JobState::Checkpointing)
            raise_({"job_checkpoint", Severity::Info, j.name, "", true});
        if (s == JobState::Ramping) {
            raise_({"job_start", Severity::Info, j.name, j.name + ": restarting from its last checkpoint"});
            // The stall or crash is over: its event ends as the job runs again.
            if (old == JobState::Stalled) raise_({"job_stall", Severity::Warning, j.name, "", true});
            if (old == JobState::Crashed) raise_({"job_crash", Severity::Alarm, j.name, "", true});
        }
    };
    (void)index;
    switch (j.state) {
    case JobState::Queued: return kIdleActivity;
    case JobState::Crashed:
    case JobState::Stalled:
        // until < 0: a crashed job that is never requeued (crashRestartS < 0).
        if (j.until < 0 || t < j.until) return kIdleActivity;
        if (j.state == JobState::Stalled && j.resumes) {   // a fabric stall: on where it was
            j.resumes = false;
            raise_({"job_stall", Severity::Warning, j.name, "", true});
            j.state = JobState::Training;
            j.since = t;
            return jobTarget(j, index, t);
        }
        enter(JobState::Ramping);
        [[fallthrough]];
    case JobState::Ramping: {
        const double r = p_.jobRampS > 0 ? (t - j.since) / p_.jobRampS : 1;
        if (r < 1) {
            j.computing = frac(t / j.periodS + j.phase0) < j.computeShare;
            const double a = j.computing ? p_.computeActivity : p_.commActivity;
            return kIdleActivity + (a - kIdleActivity) * r;
        }
        enter(JobState::Training);
        [[fallthrough]];
    }
    case JobState::Training:
    case JobState::Checkpointing: {
        const bool inCheckpoint = p_.checkpointEveryS > 0 &&
                                  std::fmod(t + j.checkpointOffsetS, p_.checkpointEveryS) < p_.checkpointS &&
                                  t >= p_.checkpointS;
        if (inCheckpoint != (j.state == JobState::Checkpointing))
            enter(inCheckpoint ? JobState::Checkpointing : JobState::Training);
        if (inCheckpoint) {
            j.computing = false;
            return p_.checkpointActivity;
        }
        j.computing = frac(t / j.periodS + j.phase0) < j.computeShare;
        return j.computing ? p_.computeActivity : p_.commActivity;
    }
    }
    return kIdleActivity;
}

void ComputeModel::step(double t, double dt) {
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
        JobRt& j = jobs_[i];
        j.target = jobTarget(j, static_cast<int>(i), t);
        if (j.smoothing) smooth(j, t, dt);
        else j.activity = j.target;
    }
    for (auto& h : halls_) h.itMw = h.heatMw = h.storageMw = 0;
    for (auto& j : jobs_) j.powerMw = 0;
    for (Group& g : groups_) {
        if (!g.present) continue;   // not built yet
        HallRt& h = halls_[g.hall];
        const double act = groupActivity(g);
        const double mw = (g.gpuRatedW * act + g.failedW) / 1e6 + rackOverheadKw(g, act) / 1000;
        if (g.storage) storeEnergy(g, mw, dt);
        h.heatMw += mw;
        h.storageMw += g.storageMw;
        h.itMw += mw - g.storageMw;
        if (g.job >= 0) jobs_[g.job].powerMw += mw - g.storageMw;
    }
    for (auto& j : jobs_) j.energyMwh += j.powerMw * dt / 3600;
    updateHeat(t, dt);
    primed_ = true;
}

double ComputeModel::groupActivity(const Group& g) const {
    if (g.job < 0) return kIdleActivity;
    const JobRt& j = jobs_[g.job];
    // Smoothing acts on GPUs that have it (Blackwell and newer); the job's others draw its target.
    const double a = g.smoothable ? j.activity : j.target;
    return std::max(kIdleActivity, std::min(a, halls_[g.hall].cap));
}

// NVIDIA power smoothing as NVML exposes it: a floor (share of TDP) while the job runs, a ramp-up
// and a ramp-down limit, and a ramp-down hysteresis (a drop is held this long before the ramp
// down starts). A job that stops (crash, stall) falls to idle through the same ramp down.
void ComputeModel::smooth(JobRt& j, double t, double dt) {
    const bool running = j.state == JobState::Training || j.state == JobState::Checkpointing ||
                         j.state == JobState::Ramping;
    const double want = running ? std::max(j.target, p_.smoothingFloor) : j.target;
    if (!primed_) {   // running since before the recording: start where smoothing holds it now
        j.activity = want;
        j.dropSince = -1;
        return;
    }
    if (want >= j.activity) {
        j.dropSince = -1;
        j.activity = std::min(want, j.activity + p_.smoothingRampUpPerS * dt);
        return;
    }
    if (j.dropSince < 0) j.dropSince = t;
    if (t - j.dropSince + 1e-9 >= p_.smoothingHysteresisS)
        j.activity = std::max(want, j.activity - p_.smoothingRampDownPerS * dt);
}

// Rack power-supply energy storage (GB300): the racks draw from the grid a reference that follows
// their load slowly (first order, 10 s) and is pulled back towards half charge; the store gives
// or takes the difference within its power (a share of the racks' rating) and energy.
void ComputeModel::storeEnergy(Group& g, double loadMw, double dt) {
    constexpr double kReferenceS = 10, kRechargeS = 20;
    const double powerMw = p_.rackStoragePeakShare * g.ratedMw;
    const double capacityMj = powerMw * p_.rackStorageSeconds;
    if (!primed_) {
        g.storageMj = capacityMj / 2;
        g.storageRefMw = loadMw;
    }
    if (capacityMj <= 0 || dt <= 0) {
        g.storageMw = 0;
        return;
    }
    g.storageRefMw += (loadMw - g.storageRefMw) * (1 - std::exp(-dt / kReferenceS));
    const double grid = g.storageRefMw - (g.storageMj - capacityMj / 2) / kRechargeS;
    double out = std::clamp(loadMw - grid, -powerMw, powerMw);
    out = std::clamp(out, -(capacityMj - g.storageMj) / dt, g.storageMj / dt);   // energy left / room left
    g.storageMw = out;
    g.storageMj -= out * dt;
}

double ComputeModel::rackOverheadKw(const Group& g, double act) const {
    return g.overheadIdleKw + g.overheadSpanKw * act + g.cduKw;
}

void ComputeModel::updateHeat(double t, double dt) {
    const double utcHour = std::fmod(static_cast<double>(p_.start) / 3'600'000.0 + t / 3600, 24.0);
    for (std::size_t i = 0; i < halls_.size(); ++i) {
        HallRt& h = halls_[i];
        if (h.ratedItMw <= 0) continue;
        if (!h.present) {   // not built: no heat, no chillers, no cooling load
            h.heatRemovedMw = h.coolingMw = 0;
            h.chillers.online = 0;
            h.chillers.rejectedMw = 0;
            continue;
        }
        ChillerPlant& ch = h.chillers;
        // The loop's supply temperature: C dT/dt = heat - rejected. The chillers' capacity control
        // aims at the heat coming back plus a proportional term on the supply temperature, and
        // gets there with a first-order lag (chillerLagS); the gain K = C / (2 lag) damps that
        // second-order loop at zeta = 0.71 (docs/physics.md, "Heat").
        const double loopMjPerK = kLoopMJPerKPerMw * h.ratedItMw;
        const double heat = h.heatMw;
        const double gain = loopMjPerK / (2 * std::max(p_.chillerLagS, 1.0));
        const double wanted = std::max(0.0, heat + gain * (h.supplyC - p_.supplyTemperature));
        if (!primed_) {   // running before the recording: enough chillers, rejecting the heat
            ch.online = std::clamp(static_cast<int>(std::ceil(heat / (kStageUpShare * ch.unitMw))), 1, ch.units);
            ch.rejectedMw = heat;
        }
        if (ch.tripped && ch.restartAt >= 0 && t + 1e-9 >= ch.restartAt) {
            ch.tripped = false;
            ch.stagedAt = t;
            raise_({"chiller_trip", Severity::Critical, c_.assets[h.asset].id, "", true});
        }
        // Staging: when the running chillers near full load (kStageUpShare), as many more as the
        // load needs at that share; when one less could carry it at kStageDownShare, down to what
        // carries it at 75 %; never faster than kStageUpS / kStageDownS (no short cycling).
        if (!ch.tripped) {
            auto needed = [&](double share) {
                return std::clamp(static_cast<int>(std::ceil(wanted / (share * ch.unitMw))), 1, ch.units);
            };
            if (wanted > kStageUpShare * ch.online * ch.unitMw && ch.online < ch.units && t - ch.stagedAt >= kStageUpS)
                ch.online = needed(kStageUpShare), ch.stagedAt = t;
            else if (ch.online > 1 && wanted < kStageDownShare * (ch.online - 1) * ch.unitMw && t - ch.stagedAt >= kStageDownS)
                ch.online = std::min(ch.online - 1, needed(0.75)), ch.stagedAt = t;
        }
        const double capacity = ch.tripped ? 0 : ch.online * ch.unitMw * h.capacityFactor;
        const double lag = p_.chillerLagS > 0 ? 1 - std::exp(-dt / p_.chillerLagS) : 1;
        ch.rejectedMw += (std::min(wanted, capacity) - ch.rejectedMw) * lag;
        ch.rejectedMw = std::clamp(ch.rejectedMw, 0.0, capacity);
        h.heatRemovedMw = ch.rejectedMw;
        h.supplyC += (heat - h.heatRemovedMw) * dt / loopMjPerK;
        h.returnC = h.supplyC + kRatedRiseK * heat / h.ratedItMw;
        const double outdoor = outdoorTemperatureC(p_.outdoorMeanC, p_.outdoorSwingC, utcHour + h.lonDeg / 15);
        h.coolingMw = chillerInputMw(h.heatRemovedMw, ch.online * ch.unitMw, p_.coolingCop, outdoor) + 0.01 * h.ratedItMw;
        // A GPU at full load runs kFullLoadRiseK above the coolant; above the throttle
        // temperature the driver caps its power.
        h.cap = std::clamp((p_.throttleTemperature - h.supplyC) / kFullLoadRiseK, 0.05, 1.0);
        const bool throttling = h.cap < p_.computeActivity * 1.04;
        if (throttling != h.throttling) {
            h.throttling = throttling;
            const std::string& id = c_.assets[h.asset].id;
            if (throttling)
                raise_({"gpu_throttling", Severity::Alarm, id,
                        c_.assets[h.asset].name + ": GPUs throttling, coolant supply at " +
                            std::to_string(static_cast<int>(std::round(h.supplyC))) + " °C"});
            else
                raise_({"gpu_throttling", Severity::Alarm, id, "", true});
        }
    }
}

void ComputeModel::sampleGpus(std::int64_t tick, float* power, float* util, float* temp, float* rackKw,
                              float* rackIn, float* rackOut) {
    const auto& racks = c_.racks();
    const double alpha = 1 - std::exp(-1.0 / 10);   // GPU thermal time constant 10 s, at 1 Hz
    jobBusy_.resize(jobs_.size());
    for (std::size_t k = 0; k < jobs_.size(); ++k) jobBusy_[k] = busyPercent(jobs_[k], static_cast<double>(tick) / p_.gpuHz);
    for (auto& h : halls_) h.throttled = 0;
    for (const Group& g : groups_)
        if (g.present && g.job >= 0 && (g.smoothable ? jobs_[g.job].activity : jobs_[g.job].target) > halls_[g.hall].cap)
            halls_[g.hall].throttled += g.healthyGpus;
    parallelFor(2, racks.size(), [&](std::size_t r, std::size_t) {
        const Asset& a = c_.assets[racks[r]];
        const HallRt& h = halls_[rackHall_[r]];
        const int jobIndex = rackJob_[r];
        const JobRt* j = jobIndex >= 0 ? &jobs_[jobIndex] : nullptr;
        if (!groups_[rackGroup_[r]].present) {   // not built: no GPUs to read, no load
            for (std::int64_t i = a.gpuFirst; i < a.gpuFirst + a.gpuCount; ++i) {
                power[i] = util[i] = 0;
                temp[i] = static_cast<float>(h.supplyC);
            }
            rackKw[r] = 0;
            rackIn[r] = rackOut[r] = static_cast<float>(h.supplyC);
            return;
        }
        const double act = groupActivity(groups_[rackGroup_[r]]);
        // Utilisation as NVML reports it: the share of the last second with a kernel running,
        // so it follows the job's phases averaged over the sample period.
        const double busy = j ? jobBusy_[jobIndex] : 0;
        double sum = 0;
        for (std::int64_t i = a.gpuFirst; i < a.gpuFirst + a.gpuCount; ++i) {
            const std::uint64_t key = static_cast<std::uint64_t>(i) * 2654435761ULL ^ static_cast<std::uint64_t>(tick) << 40;
            double w, u;
            if (failed_[i]) {
                w = kFailedGpuW;
                u = 0;
            } else {
                w = tdp_[i] * spread_[i] * act + 4 * unitRandom(key) - 2;   // +-2 W sensor noise
                u = busy > 0 ? std::min(100.0, busy + unitRandom(key + 1)) : 0;
            }
            power[i] = static_cast<float>(w);
            util[i] = static_cast<float>(std::round(u));
            temp_[i] += static_cast<float>((h.supplyC + kFullLoadRiseK * w / tdp_[i] - temp_[i]) * alpha);
            temp[i] = temp_[i];
            sum += w;
        }
        // Drawn from the PDU: the rack's own power less what its storage gives (its group's share).
        const Group& g = groups_[rackGroup_[r]];
        const double kw = sum / 1000 + rackOvIdleKw_[r] + rackOvSpanKw_[r] * act + rackCduKw_[r] -
                          (g.storage ? g.storageMw * 1000 / g.racks : 0);
        const RackType* rt = c_.rackType(a.model);
        const double rated = rt ? rt->ratedKw : kw;
        rackKw[r] = static_cast<float>(kw);
        rackIn[r] = static_cast<float>(h.supplyC + 0.4 * unitRandom(static_cast<std::uint64_t>(r) * 31 + 7));
        rackOut[r] = static_cast<float>(rackIn[r] + kRatedRiseK * kw / rated);
    });
}

double ComputeModel::busyPercent(const JobRt& j, double t) const {
    switch (j.state) {
    case JobState::Training:
    case JobState::Ramping: {
        // Share of [t - 1 s, t] in the compute phase, on 20 sub-samples.
        int busy = 0;
        for (int k = 0; k < 20; ++k) busy += frac((t - k / 20.0) / j.periodS + j.phase0) < j.computeShare;
        return 97.0 * busy / 20;
    }
    case JobState::Checkpointing: return 5;
    default: return 0;
    }
}

void ComputeModel::failRandomGpu(std::uint64_t key, double t) {
    const auto n = c_.gpuCount();
    if (n == 0) return;
    const auto gpu = static_cast<std::int64_t>(mix(key) % static_cast<std::uint64_t>(n));
    if (failed_[gpu]) return;
    if (!c_.assets[c_.rackOfGpu(gpu)].commissionedAt(p_.start + static_cast<TimeMs>(std::llround(t * 1000))))
        return;   // not built yet
    failed_[gpu] = 1;
    const AssetIndex rackAsset = c_.rackOfGpu(gpu);
    const auto& racks = c_.racks();
    const auto r = static_cast<std::size_t>(std::lower_bound(racks.begin(), racks.end(), rackAsset,
                                                             [&](AssetIndex x, AssetIndex y) {
                                                                 return c_.assets[x].gpuFirst < c_.assets[y].gpuFirst;
                                                             }) - racks.begin());
    Group& g = groups_[rackGroup_[r]];
    g.gpuRatedW -= tdp_[gpu] * spread_[gpu];
    g.failedW += kFailedGpuW;
    --g.healthyGpus;
    raise_({"gpu_failure", Severity::Warning, c_.gpuId(gpu), c_.gpuId(gpu) + ": GPU fell off the bus (Xid 79)"});
    const int jobIndex = rackJob_[r];
    if (jobIndex < 0) return;
    JobRt& j = jobs_[jobIndex];
    if (j.state == JobState::Crashed || j.state == JobState::Stalled) return;
    j.state = JobState::Stalled;
    j.since = t;
    j.until = t + p_.stallS;
    raise_({"job_stall", Severity::Warning, j.name,
            j.name + ": stalled by a failed GPU; restart in " + std::to_string(static_cast<int>(p_.stallS)) + " s"});
}

void ComputeModel::setCommunication(int job, double commScale, double t) {
    JobRt& j = jobs_[static_cast<std::size_t>(job)];
    const double period = j.computeS + j.commS0 * commScale;
    if (!(period > 0) || !std::isfinite(period) || std::abs(period - j.periodS) < 1e-12) return;
    // The same point of the step before and after: the phase carries over.
    const double at = frac(t / j.periodS + j.phase0);
    j.periodS = period;
    j.computeShare = j.computeS / period;
    j.phase0 = frac(at - t / period);
}

void ComputeModel::stallForFabric(int job, double t, double seconds, const std::string& why) {
    JobRt& j = jobs_[static_cast<std::size_t>(job)];
    if (j.state != JobState::Training && j.state != JobState::Checkpointing) return;
    if (j.state == JobState::Checkpointing) raise_({"job_checkpoint", Severity::Info, j.name, "", true});
    j.state = JobState::Stalled;
    j.since = t;
    j.until = t + seconds;
    j.resumes = true;
    raise_({"job_stall", Severity::Warning, j.name, j.name + ": collective stalled by " + why});
}

void ComputeModel::crashJob(int job, double t) {
    JobRt& j = jobs_[job];
    // A crash while stalled: the stall is over (the crash is what lasts now).
    if (j.state == JobState::Stalled) raise_({"job_stall", Severity::Warning, j.name, "", true});
    j.resumes = false;
    j.state = JobState::Crashed;
    j.since = t;
    j.until = p_.crashRestartS >= 0 ? t + p_.crashRestartS : -1;
    raise_({"job_crash", Severity::Alarm, j.name,
            j.name + " crashed: " + std::to_string(j.gpus) + " GPUs dropped to idle (NCCL timeout)"});
}

void ComputeModel::failCooling(int hall) {
    HallRt& h = halls_[hall];
    h.capacityFactor = p_.coolingCapacityLeft;
    raise_({"cooling_failure", Severity::Critical, c_.assets[h.asset].id,
            c_.assets[h.asset].name + ": cooling loop failed, " +
                std::to_string(static_cast<int>(std::round(p_.coolingCapacityLeft * 100))) + " % capacity left"});
}

void ComputeModel::tripChillers(int hall, double t) {
    HallRt& h = halls_[hall];
    ChillerPlant& ch = h.chillers;
    if (ch.tripped) return;
    ch.tripped = true;
    ch.restartAt = p_.chillerRestartS >= 0 ? t + p_.chillerRestartS : -1;
    ch.rejectedMw = 0;
    raise_({"chiller_trip", Severity::Critical, c_.assets[h.asset].id,
            c_.assets[h.asset].name + ": chiller plant tripped (" + std::to_string(ch.online) +
                " chillers), no heat rejected" +
                (ch.restartAt >= 0 ? "; restart in " + std::to_string(static_cast<int>(p_.chillerRestartS)) + " s" : "")});
}

void ComputeModel::repairCooling(int hall) {
    HallRt& h = halls_[hall];
    if (h.capacityFactor >= 1) return;
    h.capacityFactor = 1;
    raise_({"cooling_failure", Severity::Critical, c_.assets[h.asset].id, "", true});
}

std::vector<int> ComputeModel::commission(TimeMs now, double t) {
    std::vector<int> cameIn;
    for (std::size_t i = 0; i < halls_.size(); ++i) {
        HallRt& h = halls_[i];
        const bool present = h.commissionedMs <= now;
        if (present && !h.present && primed_) cameIn.push_back(static_cast<int>(i));
        if (present && !h.present) {   // a new loop at its set point, its chillers to be staged
            h.supplyC = h.returnC = p_.supplyTemperature;
            h.chillers.online = 1;
            h.chillers.stagedAt = -1e9;
        }
        h.present = present;
    }
    std::vector<char> jobBuilt(jobs_.size(), 0);
    for (Group& g : groups_) {
        g.present = g.commissionedMs <= now;
        if (g.present && g.job >= 0) jobBuilt[static_cast<std::size_t>(g.job)] = 1;
    }
    for (std::size_t k = 0; k < jobs_.size(); ++k) {
        JobRt& j = jobs_[k];
        if (j.built == static_cast<bool>(jobBuilt[k])) continue;
        j.built = jobBuilt[k];
        if (!j.built) {   // at the start: waits for its racks
            j.state = JobState::Queued;
            continue;
        }
        // Its first racks are in: the job starts, ramping (jobRampS) from idle.
        j.state = JobState::Ramping;
        j.since = t;
        j.activity = kIdleActivity;
        raise_({"job_start", Severity::Info, j.name, j.name + ": starting on newly commissioned racks"});
    }
    return cameIn;
}

double ComputeModel::meanActivityDemandMw(int hall) const {
    const double act = p_.computeFraction * p_.computeActivity + (1 - p_.computeFraction) * p_.commActivity;
    // Smoothed GPUs hold at least the floor in the communicate phase.
    const double smoothed = p_.computeFraction * p_.computeActivity +
                            (1 - p_.computeFraction) * std::max(p_.commActivity, p_.smoothingFloor);
    double mw = 0;
    for (const Group& g : groups_)
        if (g.hall == hall && g.present) {
            const double a = g.job < 0 ? kIdleActivity : g.smoothable && jobs_[g.job].smoothing ? smoothed : act;
            mw += (g.gpuRatedW * a) / 1e6 + rackOverheadKw(g, a) / 1000;
        }
    return mw * (1 + 1 / p_.coolingCop);
}

double ComputeModel::gpuFailuresPerHour() const {
    return p_.gpuFailuresPerHour >= 0 ? p_.gpuFailuresPerHour
                                      : kLlama3GpuFailuresPerGpuHour * static_cast<double>(c_.gpuCount());
}

int ComputeModel::largestJob() const {
    int best = -1;
    for (std::size_t i = 0; i < jobs_.size(); ++i)
        if (best < 0 || jobs_[i].gpus > jobs_[best].gpus) best = static_cast<int>(i);
    return best;
}

int ComputeModel::findJob(const std::string& name) const {
    for (std::size_t i = 0; i < jobs_.size(); ++i)
        if (jobs_[i].name == name) return static_cast<int>(i);
    return -1;
}

int ComputeModel::findHall(AssetIndex a) const {
    for (std::size_t i = 0; i < halls_.size(); ++i)
        if (halls_[i].asset == a) return static_cast<int>(i);
    return -1;
}

} // namespace twin::sim
