// The simulator: runs the compute and power models in electrical steps, fires the scenario's
// incidents, and records series, jobs and events into a twin store.
#include "twin/sim/simulator.h"

#include "twin/sim/plant_series.h"
#include "twin/sim/series.h"

#include "quantities_of.h"

#include "compute_model.h"
#include "fabric_model.h"
#include "fuel_model.h"
#include "power_model.h"
#include "random.h"

#include <algorithm>
#include <cstdio>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace twin::sim {


struct Simulator::Impl {
    Campus campus;
    Params p;
    Summary summary;
    std::unique_ptr<ComputeModel> compute;
    std::unique_ptr<PowerModel> power;
    std::unique_ptr<FuelModel> fuel;
    std::unique_ptr<FabricModel> fabric;   // the campus's fabric, when it has one and p.fabric
    StoreWriter* store = nullptr;
    std::int64_t step = 0, stepMs = 50, plantEvery = 2, gpuEvery = 20;
    bool chillersTripped = false;
    bool tripped = false, crashed = false, cooled = false, faulted = false, gridLost = false;
    bool linkFailed = false, spineFailed = false;
    double fabricFailedAtS = -1;
    std::string fabricDown, fabricKind;   // the failed link or spine (its event's asset), link_down or switch_down
    std::string fabricAsset;              // the link or spine of the run's fabric incident (for its flaps)
    std::uint64_t flaps = 0;              // times it has gone down
    bool restarted = false, repaired = false, restored = false, coolingRepaired = false, cloudStarted = false, cloudEnded = false;
    int trippedUnit = -1, faultedBlock = -1, failedHall = -1;
    Rng rng{1};
    double loadSum = 0;
    std::int64_t loadSamples = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> open;   // (kind, asset) -> event id
    // Build-out: the commissioning dates still ahead of the simulated time, in order; advance()
    // compares the next one with the time, the only per-step cost.
    std::vector<TimeMs> dates;
    std::size_t nextDate = 0;

    // Series ids and their buffers.
    int sGpu = 0, sRack = 0, sSource = 0, sTurbine = 0, sMegapack = 0, sBus = 0, sFlow = 0, sHall = 0, sJob = 0,
        sIsland = 0, sFuel = 0, sSiteEmissions = 0;
    std::vector<float> gpuP, gpuU, gpuT, rackP, rackIn, rackOut;
    std::vector<std::vector<float>> buf;
    std::function<void(const GpuTick&)> gpuListener;
    FrameObserver frameObserver;

    double t() const { return static_cast<double>(step * stepMs) / 1000; }
    TimeMs now() const { return p.start + step * stepMs; }

    void raise(const Incident& x) {
        const auto key = std::pair(x.kind, x.asset);
        if (x.ends) {
            auto it = open.find(key);
            if (it == open.end()) return;
            if (store) store->endEvent(it->second, now());
            open.erase(it);
            return;
        }
        ++summary.events;
        ++summary.eventsByKind[x.kind];
        if (!store) return;
        Event e;
        e.start = now();
        e.severity = x.severity;
        e.asset = x.asset;
        e.kind = x.kind;
        e.text = x.text;
        // Events of a lasting condition: the model raises their end when it clears (docs/physics.md,
        // "Recovery and alarms"). The others are instants: a start, a synchronisation, a GPU that
        // fell off the bus (it stays off: the simulator does not replace GPUs).
        const bool spans = x.kind == "frequency_excursion" || x.kind == "gpu_throttling" || x.kind == "soc_low" ||
                           x.kind == "soc_high" || x.kind == "megapack_limit" || x.kind == "job_checkpoint" ||
                           x.kind == "turbine_trip" || x.kind == "megapack_fault" || x.kind == "grid_interruption" ||
                           x.kind == "job_stall" || x.kind == "job_crash" || x.kind == "cooling_failure" || x.kind == "chiller_trip" ||
                           x.kind == "cloud_passage" || x.kind == "load_shed" || x.kind == "island_blackout" ||
                           x.kind == "link_down" || x.kind == "switch_down";
        const auto id = store->addEvent(e);
        if (spans) open[key] = id;
    }

    std::vector<std::string> ids(const std::vector<AssetIndex>& v) const {
        std::vector<std::string> out;
        for (AssetIndex a : v) out.push_back(campus.assets[a].id);
        return out;
    }

    void attach(StoreWriter& w) {
        store = &w;
        for (const auto& j : compute->jobs()) {
            Job job;
            job.name = j.name;
            for (auto r : j.racks) job.racks.push_back(campus.assets[campus.racks()[r]].id);
            job.gpus = j.gpus;
            job.stepPeriodS = j.periodS;
            w.addJob(job);
        }
        addSeries(w);
        const auto n = p.recordGpus ? static_cast<std::size_t>(campus.gpuCount()) : 0;
        gpuP.resize(n);
        gpuU.resize(n);
        gpuT.resize(n);
        const auto nr = p.recordGpus ? campus.racks().size() : 0;
        rackP.resize(nr);
        rackIn.resize(nr);
        rackOut.resize(nr);
    }

    // The series of simulator.h, named and ordered as series.h says.
    void addSeries(StoreWriter& w) {
        using series::Gpu, series::Rack, series::Source, series::Turbine, series::Megapack, series::Bus, series::Flow,
            series::Hall, series::Island;
        using JobSeries = series::Job;
        const TimeMs gpuMs = gpuEvery * stepMs, plantMs = plantEvery * stepMs;
        if (p.recordGpus) {
            sGpu = w.addSeries({Gpu::name, AssetSet::Gpus, {},
                                quantitiesOf<Gpu>({{Gpu::Power, "W", 1}, {Gpu::Utilisation, "%", 1},
                                                   {Gpu::Temperature, "degC", 1}}),
                                gpuMs, 30, 16384, false});
            sRack = w.addSeries({Rack::name, AssetSet::Racks, {},
                                 quantitiesOf<Rack>({{Rack::Power, "kW", 0.1}, {Rack::InletTemperature, "degC", 0.1},
                                                     {Rack::OutletTemperature, "degC", 0.1}}),
                                 gpuMs, 30, 4096, true});
        }
        std::vector<AssetIndex> sources, turbines, blocks, buses, flows, halls;
        for (const auto& u : power->turbines) sources.push_back(u.asset), turbines.push_back(u.asset);
        for (const auto& b : power->batteries) sources.push_back(b.asset), blocks.push_back(b.asset);
        for (const auto& s : power->solars) sources.push_back(s.asset);
        for (const auto& g : power->grids) sources.push_back(g.asset);
        for (AssetIndex a : campus.assetsOfKind(AssetKind::Bus)) buses.push_back(a);
        for (const auto& f : power->flows) flows.push_back(f.asset);
        for (const auto& h : compute->halls()) halls.push_back(h.asset);
        auto plant = [&](const char* name, const std::vector<AssetIndex>& assets, std::vector<Quantity> q, TimeMs period) {
            if (assets.empty()) return 0;
            return w.addSeries({name, AssetSet::List, ids(assets), std::move(q), period, 100, 4096, true});
        };
        // The plant series come from plant_series.h (colossus-ingest builds the same ones); its
        // asset lists must be the power model's.
        const PlantAssets shared = plantAssets(campus);
        auto plantSeries = [&](PlantSeries which, const std::vector<AssetIndex>& assets) {
            std::vector<AssetIndex> scratch;
            if (plantSeriesAssets(which, shared, scratch) != assets)
                throw std::logic_error("plant_series.cpp lists other plant assets than the power model");
            return assets.empty() ? 0 : w.addSeries(plantSeriesSpec(which, campus, assets, plantMs));
        };
        sSource = plantSeries(PlantSeries::Source, sources);
        sTurbine = plantSeries(PlantSeries::Turbine, turbines);
        sMegapack = plantSeries(PlantSeries::Megapack, blocks);
        sBus = plantSeries(PlantSeries::Bus, buses);
        sFlow = plantSeries(PlantSeries::Flow, flows);
        sHall = plant(Hall::name, halls,
                      quantitiesOf<Hall>({{Hall::ItPower, "MW", 0.001},
                                          {Hall::CoolingPower, "MW", 0.001},
                                          {Hall::SupplyTemperature, "degC", 0.01},
                                          {Hall::ReturnTemperature, "degC", 0.01},
                                          {Hall::ThrottledGpus, "GPUs", 1},
                                          {Hall::HeatRejection, "MW", 0.001},
                                          {Hall::ChillersOnline, "chillers", 1}}),
                      gpuMs);
        if (!compute->jobs().empty())
            sJob = w.addSeries({JobSeries::name, AssetSet::Jobs, {},
                                quantitiesOf<JobSeries>({{JobSeries::Power, "MW", 0.001},
                                                         {JobSeries::State, "code", 1},
                                                         {JobSeries::CommShare, "%", 0.01}}),
                                plantMs, 100, 4096, true});
        std::vector<AssetIndex> islandBuses;
        for (const auto& is : power->islands)
            if (is.bus != kNoAsset) islandBuses.push_back(is.bus);
        sIsland = plant(Island::name, islandBuses,
                        quantitiesOf<Island>({{Island::Load, "MW", 0.0001}, {Island::Losses, "MW", 0.0001},
                                              {Island::Generation, "MW", 0.0001}}),
                        plantMs);
        using series::Fuel, series::SiteEmissions;
        sFuel = plant(Fuel::name, turbines,
                      quantitiesOf<Fuel>({{Fuel::FuelFlow, "MMBtu/h", 0.01}, {Fuel::Co2, "t/h", 0.001},
                                          {Fuel::Nox, "kg/h", 0.001}, {Fuel::RunHours, "h", 0.001},
                                          {Fuel::Starts, "starts", 1}}),
                      gpuMs);
        std::vector<AssetIndex> sites;
        for (const auto& s : fuel->sites()) sites.push_back(s.site);
        sSiteEmissions = plant(SiteEmissions::name, sites,
                               quantitiesOf<SiteEmissions>({{SiteEmissions::FuelFlow, "MMBtu/h", 0.1},
                                                            {SiteEmissions::Co2, "t/h", 0.001},
                                                            {SiteEmissions::Nox, "kg/h", 0.01},
                                                            {SiteEmissions::Co2Total, "t", 0.001}}),
                               gpuMs);
    }

    void recordFuel() {
        using series::Fuel, series::SiteEmissions;
        const auto& tf = fuel->turbines();
        const auto f = [](double v) { return static_cast<float>(v); };
        write<Fuel>(sFuel, tf.size(), [&](std::size_t i, float* o) {
            o[Fuel::FuelFlow] = f(tf[i].fuelMmbtuPerH);
            o[Fuel::Co2] = f(tf[i].co2TPerH);
            o[Fuel::Nox] = f(tf[i].noxKgPerH);
            o[Fuel::RunHours] = f(tf[i].runHours);
            o[Fuel::Starts] = f(tf[i].starts);
        });
        const auto& sf = fuel->sites();
        write<SiteEmissions>(sSiteEmissions, sf.size(), [&](std::size_t i, float* o) {
            o[SiteEmissions::FuelFlow] = f(sf[i].fuelMmbtuPerH);
            o[SiteEmissions::Co2] = f(sf[i].co2TPerH);
            o[SiteEmissions::Nox] = f(sf[i].noxKgPerH);
            o[SiteEmissions::Co2Total] = f(sf[i].co2T);
        });
    }

    // One frame of series S: fill(i, row) sets row[S::Quantity] of asset position i.
    template <class S>
    void write(int series, std::size_t n, const std::function<void(std::size_t, float*)>& fill) {
        if (!series) return;
        constexpr int quantities = static_cast<int>(S::quantities.size());
        buf.resize(quantities);
        std::vector<float> row(quantities);
        for (auto& b : buf) b.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            fill(i, row.data());
            for (int q = 0; q < quantities; ++q) buf[q][i] = row[q];
        }
        std::vector<std::span<const float>> spans(buf.begin(), buf.end());
        store->writeFrame(series, now(), spans);
        if (frameObserver) frameObserver(S::name, now(), spans);
    }

    void recordPlant() {
        PowerModel& pw = *power;
        const auto f = [](double v) { return static_cast<float>(v); };
        std::vector<std::pair<double, double>> src;
        for (const auto& u : pw.turbines) src.emplace_back(u.elecMw, static_cast<double>(u.state));
        for (const auto& b : pw.batteries)
            src.emplace_back(b.powerMw, static_cast<double>(!b.installed ? SourceState::Offline
                                                            : b.faulted  ? SourceState::Faulted
                                                                         : SourceState::Online));
        for (const auto& s : pw.solars) src.emplace_back(s.powerMw, static_cast<double>(s.powerMw > 0 ? SourceState::Online : SourceState::Offline));
        for (const auto& g : pw.grids) src.emplace_back(g.powerMw, static_cast<double>(g.connected ? SourceState::Online : SourceState::Offline));
        using series::Source, series::Turbine, series::Megapack, series::Bus, series::Flow, series::Island;
        using JobSeries = series::Job;
        write<Source>(sSource, src.size(), [&](std::size_t i, float* o) {
            o[Source::Power] = f(src[i].first);
            o[Source::State] = f(src[i].second);
        });
        write<Turbine>(sTurbine, pw.turbines.size(),
                       [&](std::size_t i, float* o) { o[Turbine::MechanicalPower] = f(pw.turbines[i].mechMw); });
        write<Megapack>(sMegapack, pw.batteries.size(), [&](std::size_t i, float* o) {
            o[Megapack::Soc] = f(pw.batteries[i].socPct());
            o[Megapack::Cycles] = f(pw.batteries[i].cycles());
        });
        const auto buses = campus.assetsOfKind(AssetKind::Bus);
        write<Bus>(sBus, buses.size(), [&](std::size_t i, float* o) {
            const IslandRt* is = islandOfBus(buses[i]);
            o[Bus::Frequency] = f(is ? is->frequencyHz : 60);
            o[Bus::Rocof] = f(is ? is->rocofHzPerS : 0);
        });
        write<Flow>(sFlow, pw.flows.size(), [&](std::size_t i, float* o) { o[Flow::Power] = f(pw.flows[i].powerMw); });
        write<JobSeries>(sJob, compute->jobs().size(), [&](std::size_t i, float* o) {
            o[JobSeries::Power] = f(compute->jobs()[i].powerMw);
            o[JobSeries::State] = f(static_cast<double>(compute->jobs()[i].state));
            o[JobSeries::CommShare] = f(100 * (1 - compute->jobs()[i].computeShare));
        });
        std::vector<const IslandRt*> islands;
        for (const auto& is : pw.islands)
            if (is.bus != kNoAsset) islands.push_back(&is);
        write<Island>(sIsland, islands.size(), [&](std::size_t i, float* o) {
            o[Island::Load] = f(islands[i]->loadMw);
            o[Island::Losses] = f(islands[i]->lossesMw);
            o[Island::Generation] = f(islands[i]->generationMw);
        });
    }

    const IslandRt* islandOfBus(AssetIndex bus) {
        // Buses of an island share its frequency; map once.
        if (busIsland.empty()) {
            busIsland.assign(campus.assets.size(), -1);
            std::vector<int> stack;
            for (std::size_t i = 0; i < power->islands.size(); ++i) {
                if (power->islands[i].bus == kNoAsset) continue;
                std::vector<AssetIndex> todo = {power->islands[i].bus};
                while (!todo.empty()) {
                    const AssetIndex a = todo.back();
                    todo.pop_back();
                    if (busIsland[a] >= 0) continue;
                    busIsland[a] = static_cast<int>(i);
                    for (AssetIndex x : campus.suppliers(a)) todo.push_back(x);
                    for (AssetIndex x : campus.supplied(a)) todo.push_back(x);
                }
            }
        }
        const int i = busIsland[bus];
        return i >= 0 ? &power->islands[i] : nullptr;
    }
    std::vector<int> busIsland;

    void recordCompute() {
        if (p.recordGpus) {
            compute->sampleGpus(step / gpuEvery, gpuP.data(), gpuU.data(), gpuT.data(), rackP.data(), rackIn.data(),
                                rackOut.data());
            using series::Gpu, series::Rack;
            std::array<std::span<const float>, Gpu::quantities.size()> g;
            g[Gpu::Power] = gpuP;
            g[Gpu::Utilisation] = gpuU;
            g[Gpu::Temperature] = gpuT;
            store->writeFrame(sGpu, now(), g);
            std::array<std::span<const float>, Rack::quantities.size()> r;
            r[Rack::Power] = rackP;
            r[Rack::InletTemperature] = rackIn;
            r[Rack::OutletTemperature] = rackOut;
            store->writeFrame(sRack, now(), r);
            if (gpuListener) gpuListener({now(), gpuP, gpuU, gpuT, compute->failed()});
        }
        using series::Hall;
        const auto& halls = compute->halls();
        write<Hall>(sHall, halls.size(), [&](std::size_t i, float* o) {
            o[Hall::ItPower] = static_cast<float>(halls[i].itMw);
            o[Hall::CoolingPower] = static_cast<float>(halls[i].coolingMw);
            o[Hall::SupplyTemperature] = static_cast<float>(halls[i].supplyC);
            o[Hall::ReturnTemperature] = static_cast<float>(halls[i].returnC);
            o[Hall::ThrottledGpus] = static_cast<float>(halls[i].throttled);
            o[Hall::HeatRejection] = static_cast<float>(halls[i].heatRemovedMw);
            o[Hall::ChillersOnline] = static_cast<float>(halls[i].chillers.tripped ? 0 : halls[i].chillers.online);
        });
    }

    // A fabric failure or repair: the jobs that crossed the failed bundles stall (a partitioned
    // one crashes: its collective times out), and every job's communicate phase takes its new length.
    void applyFabric(const FabricModel::Change& c, double ts, bool failure) {
        for (std::size_t j = 0; j < c.commScale.size(); ++j) {
            const bool crossing = std::find(c.crossing.begin(), c.crossing.end(), static_cast<int>(j)) != c.crossing.end();
            if (!std::isfinite(c.commScale[j])) {
                compute->crashJob(static_cast<int>(j), ts);
                continue;
            }
            if (failure && crossing) compute->stallForFabric(static_cast<int>(j), ts, p.fabricStallS, c.text.substr(0, c.text.find(':')));
            compute->setCommunication(static_cast<int>(j), c.commScale[j], ts);
        }
    }

    void incidents(double ts) {
        auto due = [&](double at, bool& done) {
            if (done || at < 0 || ts + 1e-9 < at) return false;
            return done = true;
        };
        if (due(p.tripAtS, tripped)) {
            const int k = p.tripUnit.empty() ? power->largestOnlineTurbine() : power->findTurbine(p.tripUnit);
            if (k < 0)
                throw Error("scenario", p.tripUnit.empty() ? "no turbine is online to trip" : "no turbine '" + p.tripUnit + "'");
            power->tripTurbine(k, ts);
            trippedUnit = k;
        }
        if (trippedUnit >= 0 && p.tripRestartS >= 0 && due(p.tripAtS + p.tripRestartS, restarted))
            power->restartTurbine(trippedUnit, ts);
        if (due(p.crashAtS, crashed)) {
            const int j = p.crashJob.empty() ? compute->largestJob() : compute->findJob(p.crashJob);
            if (j < 0) throw Error("scenario", "no job '" + p.crashJob + "' to crash");
            compute->crashJob(j, ts);
        }
        // One fabric incident per run: a link, or a spine (docs/fabric.md, "In the simulator"); a
        // flapping one (fabricFlaps > 0) goes down fabricFlaps times, fabricFlapEveryS apart, for
        // fabricFlapDownS each time.
        const bool linkDue = due(p.linkFailAtS, linkFailed), spineDue = due(p.spineFailAtS, spineFailed);
        const bool flapDue = !fabricAsset.empty() && fabricDown.empty() && flaps > 0 &&
                             flaps < static_cast<std::uint64_t>(p.fabricFlaps) && ts + 1e-9 >= fabricFailedAtS + p.fabricFlapEveryS;
        if (((linkDue || spineDue) && fabricAsset.empty()) || flapDue) {
            if (!fabric) throw Error("scenario", "a fabric failure, but the campus has no fabric (or fabric=false): docs/fabric.md");
            const int job = compute->largestJob();
            if (!flapDue) fabricKind = spineDue ? "switch_down" : "link_down";
            const bool spine = fabricKind == "switch_down";
            const std::string which = flapDue ? fabricAsset : spine ? p.spineFail : p.linkFail;
            const auto change = spine ? fabric->failSpine(which, job) : fabric->failLink(which, job);
            raise({fabricKind, Severity::Alarm, change.asset,
                   change.text + (p.fabricFlaps > 0 ? " (flap " + std::to_string(flaps + 1) + " of " +
                                                          std::to_string(static_cast<std::uint64_t>(p.fabricFlaps)) + ")"
                                                    : "")});
            applyFabric(change, ts, true);
            fabricDown = fabricAsset = change.asset;
            fabricFailedAtS = ts;
            ++flaps;
        }
        const double backAfterS = p.fabricFlaps > 0 ? p.fabricFlapDownS : p.fabricRepairS;
        if (!fabricDown.empty() && backAfterS >= 0 && ts + 1e-9 >= fabricFailedAtS + backAfterS) {
            applyFabric(fabric->repair(), ts, false);
            raise({fabricKind, Severity::Alarm, fabricDown, "", true});
            fabricDown.clear();
        }
        if (due(p.coolingFailAtS, cooled)) {
            int h = 0;
            if (!p.coolingHall.empty()) {
                const AssetIndex a = campus.find(p.coolingHall);
                h = a == kNoAsset ? -1 : compute->findHall(a);
                if (h < 0) throw Error("scenario", "no hall '" + p.coolingHall + "'");
            }
            compute->failCooling(h);
            failedHall = h;
        }
        if (due(p.chillerTripAtS, chillersTripped)) {
            const int h = p.chillerTripHall.empty() ? 0 : compute->findHall(campus.find(p.chillerTripHall));
            if (h < 0) throw Error("scenario", "no hall '" + p.chillerTripHall + "'");
            compute->tripChillers(h, ts);
        }
        if (failedHall >= 0 && p.coolingRepairS >= 0 && due(p.coolingFailAtS + p.coolingRepairS, coolingRepaired))
            compute->repairCooling(failedHall);
        if (due(p.megapackFaultAtS, faulted)) {
            const int b = p.megapackBlock.empty() ? (power->batteries.empty() ? -1 : 0) : power->findBattery(p.megapackBlock);
            if (b < 0) throw Error("scenario", "no Megapack block '" + p.megapackBlock + "'");
            power->faultBattery(b);
            faultedBlock = b;
        }
        if (faultedBlock >= 0 && p.megapackRepairS >= 0 && due(p.megapackFaultAtS + p.megapackRepairS, repaired))
            power->repairBattery(faultedBlock);
        if (due(p.gridLossAtS, gridLost)) power->disconnectGrid(ts);
        if (gridLost && p.gridRestoreS >= 0 && due(p.gridLossAtS + p.gridRestoreS, restored)) power->reconnectGrid(ts);
        // Cloud passage: a trapezoid of shade with soft edges.
        if (p.cloudAtS >= 0) {
            const double x = ts - p.cloudAtS;
            double shade = 0;
            if (x >= 0 && x <= p.cloudS) {
                const double edge = std::max(p.cloudEdgeS, 1e-3);
                shade = std::min({1.0, x / edge, (p.cloudS - x) / edge});
            }
            if (x >= 0 && !cloudStarted) {   // once (a window of one step raised it twice)
                cloudStarted = true;
                raise({"cloud_passage", Severity::Info, power->solars.empty() ? "" : campus.assets[power->solars[0].asset].id,
                       "Cloud over the solar farm: output down " + std::to_string(static_cast<int>(p.cloudDepth * 100)) + " %"});
            }
            if (x >= p.cloudS && !cloudEnded) {   // the sky is clear again
                cloudEnded = true;
                raise({"cloud_passage", Severity::Info, power->solars.empty() ? "" : campus.assets[power->solars[0].asset].id,
                       "", true});
            }
            power->setCloud(1 - p.cloudDepth * shade);
        }
    }

    // What the campus file dates between the last commissioning and now comes into service.
    void commission(double ts) {
        const TimeMs from = nextDate > 0 ? dates[nextDate - 1] : p.start;
        while (nextDate < dates.size() && dates[nextDate] <= now()) ++nextDate;
        const auto hallsIn = compute->commission(now(), ts);
        power->commission(now(), ts, hallsIn);
        int halls = 0, racks = 0, sources = 0;
        double itMw = 0, sourceMw = 0;
        std::string first;
        for (const Asset& a : campus.assets) {
            if (a.commissionedMs <= from || a.commissionedMs > now()) continue;
            if (first.empty() && (a.kind == AssetKind::Building || a.kind == AssetKind::Hall || isSource(a.kind)))
                first = a.id;
            if (a.kind == AssetKind::Rack) ++racks, itMw += a.ratingMw;
            if (a.kind == AssetKind::Hall) ++halls;
            if (isSource(a.kind)) ++sources, sourceMw += a.ratingMw;
        }
        char text[200];
        std::snprintf(text, sizeof text, "Commissioned: %d halls, %d racks (%.1f MW rated IT), %d sources (%.1f MW)",
                      halls, racks, itMw, sources, sourceMw);
        raise({"commissioning", Severity::Info, first, text});
    }

    void advance() {
        const double dt = stepMs / 1000.0;
        ++step;
        const double ts = t();
        if (nextDate < dates.size() && now() >= dates[nextDate]) commission(ts);
        // GPU failures: a Poisson process over the campus.
        if (const double rate = compute->gpuFailuresPerHour(); rate > 0 && rng.uniform() < rate * dt / 3600)
            compute->failRandomGpu(rng.next(), ts);
        compute->step(ts, dt);
        power->step(ts, dt);
        fuel->step(power->turbines, dt);
        for (const auto& f : fuel->turbines()) {
            summary.fuelMmbtu += f.fuelMmbtuPerH * dt / 3600;
            summary.co2T += f.co2TPerH * dt / 3600;
            summary.noxKg += f.noxKgPerH * dt / 3600;
        }
        // The scenario's incidents act from their time on, whatever the step: the physics of the
        // step ending at their time is done before them (docs/physics.md, "Control").
        incidents(ts);
        double load = 0;
        for (const auto& is : power->islands) {
            load += is.loadMw + is.lossesMw;
            if (is.dead) continue;   // a de-energised island has no frequency (recorded as 0 Hz)
            summary.frequencyMinHz = std::min(summary.frequencyMinHz, is.frequencyHz);
            summary.frequencyMaxHz = std::max(summary.frequencyMaxHz, is.frequencyHz);
        }
        summary.peakLoadMw = std::max(summary.peakLoadMw, load);
        loadSum += load;
        ++loadSamples;
        summary.meanLoadMw = loadSum / static_cast<double>(loadSamples);
        const double h = dt / 3600;
        for (const auto& u : power->turbines) summary.energyMwh["turbines"] += u.elecMw * h;
        for (const auto& b : power->batteries) summary.energyMwh["megapacks (net)"] += b.powerMw * h;
        for (const auto& s : power->solars) summary.energyMwh["solar"] += s.powerMw * h;
        for (const auto& g : power->grids) summary.energyMwh["grid"] += g.powerMw * h;
        for (const auto& b : power->batteries) {
            if (b.faulted || !b.installed) continue;
            const double soc = b.socPct();
            if (summary.socMinPct == 0 && summary.socMaxPct == 0) summary.socMinPct = summary.socMaxPct = soc;
            summary.socMinPct = std::min(summary.socMinPct, soc);
            summary.socMaxPct = std::max(summary.socMaxPct, soc);
            summary.maxCycles = std::max(summary.maxCycles, b.cycles());
        }
        summary.simulatedS = ts;
        if (store) {
            if (step % plantEvery == 0) recordPlant();
            if (step % gpuEvery == 0) {
                recordCompute();
                recordFuel();
            }
        }
    }
};

Simulator::Simulator(const Campus& campus, const Params& params) : d(std::make_unique<Impl>()) {
    d->campus = campus;
    d->p = params;
    const double ms = params.stepS * 1000;
    if (!(params.stepS > 0) || std::abs(ms - std::round(ms)) > 1e-9 || ms < 1)
        throw Error("stepS", "the electrical step must be a whole number of milliseconds");
    d->stepMs = static_cast<std::int64_t>(std::round(ms));
    auto every = [&](double hz, const char* what) {
        const double n = 1000 / (hz * static_cast<double>(d->stepMs));
        if (!(hz > 0) || n < 1 || std::abs(n - std::round(n)) > 1e-9)
            throw Error(what, "the recording rate must divide the electrical step rate");
        return static_cast<std::int64_t>(std::round(n));
    };
    d->plantEvery = every(params.plantHz, "plantHz");
    d->gpuEvery = every(params.gpuHz, "gpuHz");
    d->rng = Rng(params.seed);
    for (TimeMs date : campus.commissioningDates())
        if (date > params.start) d->dates.push_back(date);
    Raise raise = [this](const Incident& x) { d->raise(x); };
    d->compute = std::make_unique<ComputeModel>(d->campus, d->p, raise);
    d->power = std::make_unique<PowerModel>(d->campus, d->p, *d->compute, raise);
    d->fuel = std::make_unique<FuelModel>(d->campus, d->power->turbines);
    d->summary.socMinPct = d->summary.socMaxPct = 0;
    // Named incident targets must exist now, not when the incident fires minutes later.
    const Params& p = d->p;
    if (!p.tripUnit.empty() && d->power->findTurbine(p.tripUnit) < 0)
        throw Error("scenario", "tripUnit: no turbine '" + p.tripUnit + "' on the campus");
    // The fabric matters to the jobs' steps only when something on it fails (whole, it is
    // calibrated into the step parameters), so it is expanded and routed only for such a run.
    if (p.linkFailAtS >= 0 || p.spineFailAtS >= 0) {
        if (!p.fabric || !d->campus.fabric)
            throw Error("scenario", std::string(p.linkFailAtS >= 0 ? "linkFailAtS" : "spineFailAtS") +
                                        ": the campus has no RDMA fabric" + (p.fabric ? "" : " (fabric=false)") + ": docs/fabric.md");
        d->fabric = std::make_unique<FabricModel>(d->campus, *d->campus.fabric, d->compute->jobs());
        const Fabric& f = d->fabric->fabric();
        if (!p.spineFail.empty() && (f.findSwitch(p.spineFail) < 0 || f.switches[std::size_t(f.findSwitch(p.spineFail))].tier != SwitchTier::Spine))
            throw Error("scenario", "spineFail: no spine '" + p.spineFail + "' in the fabric (ids: docs/fabric.md)");
        if (const auto tilde = p.linkFail.find('~');
            !p.linkFail.empty() && (tilde == std::string::npos ||
                                    f.findLink(f.findSwitch(p.linkFail.substr(0, tilde)), f.findSwitch(p.linkFail.substr(tilde + 1))) < 0))
            throw Error("scenario", "linkFail: no fabric link '" + p.linkFail + "' (<switch id>~<switch id>, docs/fabric.md)");
    }
    if (!p.crashJob.empty() && d->compute->findJob(p.crashJob) < 0)
        throw Error("scenario", "crashJob: no job '" + p.crashJob + "' (jobs are named <site>/jobNN)");
    if (!p.coolingHall.empty()) {
        const AssetIndex a = d->campus.find(p.coolingHall);
        if (a == kNoAsset || d->compute->findHall(a) < 0)
            throw Error("scenario", "coolingHall: no hall with racks '" + p.coolingHall + "'");
    }
    if (!p.chillerTripHall.empty()) {
        const AssetIndex a = d->campus.find(p.chillerTripHall);
        if (a == kNoAsset || d->compute->findHall(a) < 0)
            throw Error("scenario", "chillerTripHall: no hall with racks '" + p.chillerTripHall + "'");
    }
    if (!p.megapackBlock.empty() && d->power->findBattery(p.megapackBlock) < 0)
        throw Error("scenario", "megapackBlock: no Megapack block '" + p.megapackBlock + "'");
}

Simulator::~Simulator() = default;

void Simulator::attach(StoreWriter& store) {
    d->attach(store);
    if (d->step == 0) {   // the state at the start is part of the recording
        d->compute->step(0, d->stepMs / 1000.0);
        d->power->step(0, d->stepMs / 1000.0);
        d->fuel->step(d->power->turbines, 0);
        d->recordPlant();
        d->recordCompute();
        d->recordFuel();
    }
}

void Simulator::step() { d->advance(); }

void Simulator::onGpuTick(std::function<void(const GpuTick&)> listener) { d->gpuListener = std::move(listener); }
void Simulator::observeFrames(FrameObserver observer) { d->frameObserver = std::move(observer); }

void Simulator::run(double seconds, const std::atomic<bool>* stop, const std::function<void(double)>& progress) {
    const auto last = static_cast<std::int64_t>(std::llround(seconds * 1000)) / d->stepMs;
    while (d->step < last) {
        if (stop && stop->load()) break;
        d->advance();
        if (progress && d->step % d->gpuEvery == 0) progress(d->t());
    }
    if (d->store) d->store->commit();
}

double Simulator::timeS() const { return d->t(); }
TimeMs Simulator::now() const { return d->now(); }
const Summary& Simulator::summary() const { return d->summary; }
double Simulator::islandFrequency(int island) const { return d->power->islands.at(island).frequencyHz; }
int Simulator::islands() const { return static_cast<int>(d->power->islands.size()); }

} // namespace twin::sim
