#include "twin/ingest/frame_assembler.h"

#include <algorithm>

namespace twin::ingest {

FrameAssembler::FrameAssembler(const Campus& campus, AssemblerOptions options)
    : campus_(campus), options_(options), n_(campus.gpuCount())
{
    const auto n = static_cast<std::size_t>(n_);
    for (Held& h : held_) {
        h.value.assign(n, 0.0f);
        h.t.assign(n, kNever);
        h.staleMarked.assign(n, 0);
    }
    xid_.assign(n, -1);
    xidT_.assign(n, kNever);
}

void FrameAssembler::apply(std::span<const GpuSample> samples, IngestCounts& counts)
{
    std::lock_guard lock(mutex_);
    for (const GpuSample& s : samples) {
        const auto i = static_cast<std::size_t>(s.gpu);
        if (s.quantity == GpuQuantity::Xid) {
            if (s.t < xidT_[i]) {
                ++counts.outOfOrder;
                continue;
            }
            if (s.staleMarker) {   // nothing to hold: the next value starts a new baseline
                ++counts.staleMarkers;
                xidT_[i] = s.t;
                xid_[i] = -1;
                continue;
            }
            const auto code = static_cast<std::int32_t>(s.value);
            // The first value seen is a baseline (the exporter keeps reporting the last XID for
            // as long as it runs); an event is a change to a non-zero code.
            if (xid_[i] >= 0 && code != 0 && code != xid_[i]) {
                Event e;
                e.start = s.t;
                e.severity = Severity::Warning;
                e.asset = campus_.gpuId(s.gpu);
                e.kind = "gpu_xid";
                e.text = "XID " + std::to_string(code) + " on GPU " + e.asset;
                events_.push_back(std::move(e));
                ++counts.xidEvents;
            }
            xid_[i] = code;
            xidT_[i] = s.t;
            ++counts.recorded;
            continue;
        }
        Held& h = held_[static_cast<std::size_t>(s.quantity)];
        if (s.t < h.t[i]) {
            ++counts.outOfOrder;
            continue;
        }
        h.t[i] = s.t;
        if (s.staleMarker) {
            h.staleMarked[i] = 1;   // the value stays: the store refuses NaN
            ++counts.staleMarkers;
        } else {
            h.value[i] = s.value;
            h.staleMarked[i] = 0;
            ++counts.recorded;
        }
    }
}

void FrameAssembler::snapshot(TimeMs t, GpuFrame& out)
{
    const auto n = static_cast<std::size_t>(n_);
    out.t = t;
    out.quality.assign(n, static_cast<float>(Quality::Good));
    for (auto& v : out.values) v.resize(n);
    out.events.clear();
    std::lock_guard lock(mutex_);
    for (int q = 0; q < kGpuSeriesQuantities; ++q) {
        const Held& h = held_[q];
        std::copy(h.value.begin(), h.value.end(), out.values[q].begin());
        for (std::size_t i = 0; i < n; ++i) {
            Quality k = Quality::Good;
            if (h.t[i] == kNever) k = Quality::Missing;
            else if (h.staleMarked[i] || t - h.t[i] > options_.staleAfterMs) k = Quality::Stale;
            out.quality[i] = std::max(out.quality[i], static_cast<float>(k));
        }
    }
    out.events.swap(events_);
    out.good = out.stale = out.missing = 0;
    for (float k : out.quality) {
        if (k == static_cast<float>(Quality::Good)) ++out.good;
        else if (k == static_cast<float>(Quality::Stale)) ++out.stale;
        else ++out.missing;
    }
}

} // namespace twin::ingest
