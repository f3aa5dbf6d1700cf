#include "twin/ingest/frame_assembler.h"

#include <algorithm>

namespace twin::ingest {

FrameAssembler::FrameAssembler(const Campus& campus, AssemblerOptions options)
    : campus_(campus), options_(options), n_(campus.gpuCount()), held_(static_cast<std::size_t>(n_))
{
}

void FrameAssembler::apply(std::span<const GpuSample> samples, IngestCounts& counts)
{
    constexpr std::size_t kAhead = 16;   // samples come in no GPU order: fetch a few ahead
    std::lock_guard lock(mutex_);
    for (std::size_t k = 0; k < samples.size(); ++k) {
        if (k + kAhead < samples.size()) __builtin_prefetch(&held_[static_cast<std::size_t>(samples[k + kAhead].gpu)], 1);
        const GpuSample& s = samples[k];
        Held& h = held_[static_cast<std::size_t>(s.gpu)];
        if (s.quantity == GpuQuantity::Xid) {
            if (s.t < h.xidT) {
                ++counts.outOfOrder;
                continue;
            }
            h.xidT = s.t;
            if (s.staleMarker) {   // nothing to hold: the next value starts a new baseline
                ++counts.staleMarkers;
                h.xid = -1;
                continue;
            }
            const auto code = static_cast<std::int32_t>(s.value);
            // The open event ends when the code returns to 0 or changes to another error.
            if (h.xidOpen != 0 && code != h.xidOpen) {
                ends_.push_back({"gpu_xid", campus_.gpuId(s.gpu), s.t});
                h.xidOpen = 0;
            }
            // The first value seen is a baseline (the exporter keeps reporting the last XID for
            // as long as it runs); an event is a change to a non-zero code.
            if (h.xid >= 0 && code != 0 && code != h.xid) {
                h.xidOpen = code;
                Event e;
                e.start = s.t;
                e.severity = Severity::Warning;
                e.asset = campus_.gpuId(s.gpu);
                e.kind = "gpu_xid";
                e.text = "XID " + std::to_string(code) + " on GPU " + e.asset;
                events_.push_back(std::move(e));
                ++counts.xidEvents;
            }
            h.xid = code;
            ++counts.recorded;
            continue;
        }
        const auto q = static_cast<std::size_t>(s.quantity);
        if (s.t < h.t[q]) {
            ++counts.outOfOrder;
            continue;
        }
        h.t[q] = s.t;
        if (s.staleMarker) {
            h.staleMarked[q] = 1;   // the value stays: the store refuses NaN
            ++counts.staleMarkers;
        } else {
            h.value[q] = s.value;
            h.staleMarked[q] = 0;
            ++counts.recorded;
        }
    }
}

void FrameAssembler::snapshot(TimeMs t, GpuFrame& out)
{
    const auto n = static_cast<std::size_t>(n_);
    out.t = t;
    out.quality.resize(n);
    for (auto& v : out.values) v.resize(n);
    out.events.clear();
    out.ends.clear();
    out.good = out.stale = out.missing = 0;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < n; ++i) {
        const Held& h = held_[i];
        Quality worst = Quality::Good;
        for (int q = 0; q < kGpuSeriesQuantities; ++q) {
            out.values[q][i] = h.value[q];
            Quality k = Quality::Good;
            if (h.t[q] == kNever) k = Quality::Missing;
            else if (h.staleMarked[q] || t - h.t[q] > options_.staleAfterMs) k = Quality::Stale;
            worst = std::max(worst, k);
        }
        out.quality[i] = static_cast<float>(worst);
        if (worst == Quality::Good) ++out.good;
        else if (worst == Quality::Stale) ++out.stale;
        else ++out.missing;
    }
    out.events.swap(events_);
    out.ends.swap(ends_);
}

} // namespace twin::ingest
