#include "twin/ingest/gpu_series.h"

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
    for (const Event& e : frame.events) store_.addEvent(e);
}

} // namespace twin::ingest
