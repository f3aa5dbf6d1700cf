#include "twin/ingest/sample_mapper.h"

#include "twin/ingest/dcgm_metrics.h"
#include "twin/ingest/rack_metrics.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace twin::ingest {

namespace {

// Values whose size no GPU or rack reading has: the store refuses a frame holding any value of
// |value / precision| >= 2^31, so such a sample must never reach an assembler.
constexpr double kMaxMagnitude = 1e9;
constexpr double kMaxXid = 1e6;

struct SeriesLabels {
    std::string_view metric, hostLabel, host, gpu, rack;
};

// The labels the mapping needs, out of dcgm-exporter's eight or so (by length first: this runs
// for every series).
SeriesLabels labelsOf(const SeriesView& series)
{
    SeriesLabels l;
    for (const LabelView& label : series.labels) {
        const std::string_view name = label.name;
        if (name.size() == kGpuLabel.size()) {
            if (name == kGpuLabel) l.gpu = label.value;
        } else if (name.size() == 8) {
            if (name == "__name__") l.metric = label.value;
            else
                for (std::string_view h : kHostLabels)
                    if (name == h) l.hostLabel = h, l.host = label.value;
        } else if (name.size() == kRackLabel.size() && name == kRackLabel) {
            l.rack = label.value;
        }
    }
    return l;
}

// A series to map once its host is looked up: the lookups run after the whole body is read, so
// that each host's slot was prefetched while the series after it were parsed (the views point
// into the thread's decoded body, which stays until its next request).
struct PendingSeries {
    SeriesLabels labels;
    const MetricAlias* alias = nullptr;
    std::uint64_t hash = 0;
    std::uint32_t firstSample = 0, samples = 0;
    int line = 0;
};

struct Batch {
    std::vector<PendingSeries> series;
    std::vector<SampleView> samples;
    std::vector<GpuSample> out;
    std::vector<RackSample> racks;
};

Batch& batch()
{
    thread_local Batch b;
    return b;
}

std::string describe(const SeriesLabels& l)
{
    std::string s = l.metric.empty() ? std::string("(no __name__)") : std::string(l.metric);
    const char* sep = "{";
    const auto label = [&](std::string_view name, std::string_view value) {
        s += sep + std::string(name) + "=\"" + std::string(value) + "\"";
        sep = ",";
    };
    if (!l.rack.empty()) label(kRackLabel, l.rack);
    if (!l.hostLabel.empty()) label(l.hostLabel, l.host);
    if (l.rack.empty() || !l.gpu.empty()) label(kGpuLabel, l.gpu);
    return s + "}";
}

bool invalidValue(double v, double scaled, double limit, bool nonNegative)
{
    return !std::isfinite(v) || !(std::fabs(scaled) < limit) || (nonNegative && scaled < 0);
}

std::string invalidText(double v, TimeMs t)
{
    return "value " + std::to_string(v) + " at " + formatUtc(t) +
           (std::isfinite(v) ? " is out of range" : " is not a number (and not a stale marker)") + ": dropped";
}

} // namespace

SampleMapper::SampleMapper(const Inventory& inventory, FrameAssembler& gpus, RackAssembler* racks)
    : inventory_(inventory), gpus_(gpus), racks_(racks)
{
}

MappingPass::MappingPass(const SampleMapper& mapper, std::string_view source, IngestResult& result)
    : mapper_(mapper), source_(source), result_(result)
{
    Batch& b = batch();
    b.series.clear();
    b.samples.clear();
    b.out.clear();
    b.racks.clear();
}

namespace {

std::string where(std::string_view source, int line, const SeriesLabels& l)
{
    std::string s(source);
    if (line > 0) s += ":" + std::to_string(line);
    return s + ": " + describe(l) + ": ";
}

} // namespace

void MappingPass::add(const SeriesView& ts, int line)
{
    Batch& b = batch();
    IngestCounts& c = result_.counts;
    const SeriesLabels l = labelsOf(ts);
    const auto n = static_cast<std::int64_t>(ts.samples.size());
    c.samples += n;
    const MetricAlias* alias = findMetricAlias(l.metric);
    if (!alias || alias->quantity == GpuQuantity::None) {
        const RackMetricAlias* rack = mapper_.racks_ && !alias ? findRackMetricAlias(l.metric) : nullptr;
        if (!rack) {
            c.notRecorded += n;
            return;
        }
        if (l.rack.empty()) {
            c.unlabelled += n;
            if (result_.firstNotice.empty())
                result_.firstNotice = where(source_, line, l) + "no rack label: not recorded";
            return;
        }
        const std::int32_t position = mapper_.racks_->rackPosition(l.rack);
        if (position < 0) {
            c.unknownRack += n;
            if (result_.firstNotice.empty())
                result_.firstNotice = where(source_, line, l) + "'" + std::string(l.rack) +
                                      "' is not a rack of the campus: not recorded";
            return;
        }
        for (const SampleView& s : ts.samples) {
            if (std::isnan(s.value) && isStaleMarker(s.value)) {
                b.racks.push_back({position, s.timestamp, 0.0f, rack->quantity, true});
                continue;
            }
            const double scaled = s.value * rack->scale;
            if (invalidValue(s.value, scaled, kMaxMagnitude, false)) {
                ++c.invalidValues;
                if (result_.firstError.empty())
                    result_.firstError = where(source_, line, l) + invalidText(s.value, s.timestamp);
                continue;
            }
            b.racks.push_back({position, s.timestamp, static_cast<float>(scaled), rack->quantity, false});
        }
        return;
    }
    if (l.host.empty() || l.gpu.empty()) {
        c.unlabelled += n;
        if (result_.firstNotice.empty())
            result_.firstNotice = where(source_, line, l) + "no Hostname/hostname or gpu label: not recorded";
        return;
    }
    PendingSeries& p = b.series.emplace_back();
    p.labels = l;
    p.alias = alias;
    p.hash = Inventory::hashOf(l.host);
    p.firstSample = static_cast<std::uint32_t>(b.samples.size());
    p.samples = static_cast<std::uint32_t>(n);
    p.line = line;
    b.samples.insert(b.samples.end(), ts.samples.begin(), ts.samples.end());
    mapper_.inventory_.prefetch(p.hash);
}

MappedSamples MappingPass::finish()
{
    Batch& b = batch();
    IngestCounts& c = result_.counts;
    const Inventory& inventory = mapper_.inventory_;
    // Hosts and devices to GPUs, values to the twin's units.
    for (const PendingSeries& p : b.series) {
        const SeriesLabels& l = p.labels;
        Inventory::HostRef host;
        if (!inventory.lookup(l.host, p.hash, host)) {
            c.unknownHost += p.samples;
            if (result_.firstNotice.empty())
                result_.firstNotice = where(source_, p.line, l) + "host '" + std::string(l.host) +
                                      "' is not in the inventory: not recorded";
            continue;
        }
        int device = -1;
        const auto [end, ec] = std::from_chars(l.gpu.data(), l.gpu.data() + l.gpu.size(), device);
        if (ec != std::errc() || end != l.gpu.data() + l.gpu.size() || device < 0 || device >= host.gpus) {
            c.unknownGpu += p.samples;
            const InventoryHost& h = inventory.hosts()[host.index];
            if (result_.firstNotice.empty())
                result_.firstNotice = where(source_, p.line, l) + "host '" + h.host + "' has devices 0-" +
                                      std::to_string(h.gpus - 1) + " (inventory line " + std::to_string(h.line) +
                                      "): not recorded";
            continue;
        }
        const std::int64_t gpu = host.gpuFirst + device;
        const GpuQuantity quantity = p.alias->quantity;
        const bool xid = quantity == GpuQuantity::Xid;
        for (std::uint32_t k = p.firstSample; k < p.firstSample + p.samples; ++k) {
            const SampleView& s = b.samples[k];
            const double v = s.value;
            if (std::isnan(v) && isStaleMarker(v)) {
                b.out.push_back({gpu, s.timestamp, 0.0f, quantity, true});
                continue;
            }
            const double scaled = v * p.alias->scale;
            if (invalidValue(v, scaled, xid ? kMaxXid : kMaxMagnitude, xid)) {
                ++c.invalidValues;
                if (result_.firstError.empty())
                    result_.firstError = where(source_, p.line, l) + invalidText(v, s.timestamp);
                continue;
            }
            b.out.push_back({gpu, s.timestamp, static_cast<float>(scaled), quantity, false});
        }
    }
    const std::int64_t outOfOrderBefore = c.outOfOrder;
    mapper_.gpus_.apply(b.out, c);
    if (mapper_.racks_ && !b.racks.empty()) mapper_.racks_->apply(b.racks, c);
    if (c.outOfOrder > outOfOrderBefore && result_.firstError.empty())
        result_.firstError = std::string(source_) + ": " + std::to_string(c.outOfOrder - outOfOrderBefore) +
                             " samples older than the values held for their " +
                             (b.racks.empty() ? "GPU" : "GPU or rack") + " quantities: dropped (out of order)";
    return {b.out, b.racks};
}

} // namespace twin::ingest
