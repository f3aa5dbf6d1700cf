#include "twin/ingest/gpu_series.h"

#include <algorithm>
#include <vector>

namespace twin::ingest {

// Keep in step with the simulator's "gpu" series (twin/src/sim/simulator.cpp, attach()): the
// views find GPU data by this name, these quantities and units.
SeriesSpec gpuSeriesSpec(TimeMs periodMs)
{
    return {"gpu", AssetSet::Gpus, {},
            {{"power", "W", 1}, {"utilisation", "%", 1}, {"temperature", "degC", 1}},
            periodMs, 30, 16384, false};
}

SeriesSpec gpuQualitySeriesSpec(TimeMs periodMs)
{
    // Mostly one code for every GPU: a key frame packs to almost nothing, a delta to less.
    return {"gpu_quality", AssetSet::Gpus, {}, {{"quality", "code", 1}}, periodMs, 30, 16384, false};
}

GpuSeriesWriter::GpuSeriesWriter(StoreWriter& store, TimeMs periodMs) : store_(store)
{
    gpu_ = store.addSeries(gpuSeriesSpec(periodMs));
    quality_ = store.addSeries(gpuQualitySeriesSpec(periodMs));
}

void GpuSeriesWriter::write(const GpuFrame& frame)
{
    std::span<const float> values[kGpuSeriesQuantities];
    for (int q = 0; q < kGpuSeriesQuantities; ++q) values[q] = frame.values[q];
    store_.writeFrame(gpu_, frame.t, values);
    const std::span<const float> quality[] = {frame.quality};
    store_.writeFrame(quality_, frame.t, quality);
    // Starts and ends merged by time: a GPU's XID changing at t ends its event, then opens the next.
    std::vector<const Event*> starts;
    for (const Event& e : frame.events) starts.push_back(&e);
    std::vector<const EventEnd*> ends;
    for (const EventEnd& e : frame.ends) ends.push_back(&e);
    std::stable_sort(starts.begin(), starts.end(), [](const Event* a, const Event* b) { return a->start < b->start; });
    std::stable_sort(ends.begin(), ends.end(), [](const EventEnd* a, const EventEnd* b) { return a->t < b->t; });
    std::size_t i = 0, j = 0;
    while (i < starts.size() || j < ends.size()) {
        if (j < ends.size() && (i == starts.size() || ends[j]->t <= starts[i]->start)) {
            const EventEnd& x = *ends[j++];
            const auto it = open_.find({x.kind, x.asset});
            if (it == open_.end()) continue;
            store_.endEvent(it->second, x.t);
            open_.erase(it);
        } else {
            const Event& e = *starts[i++];
            open_[{e.kind, e.asset}] = store_.addEvent(e);
        }
    }
}

} // namespace twin::ingest
