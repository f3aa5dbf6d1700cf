#include "twin/ingest/remote_write_ingest.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace twin::ingest {

namespace {

// Values whose size no GPU reading has: the store refuses a frame holding any value of
// |value / precision| >= 2^31, so such a sample must never reach the assembler.
constexpr double kMaxMagnitude = 1e9;
constexpr double kMaxXid = 1e6;

struct SeriesLabels {
    std::string_view metric, hostLabel, host, gpu;
};

// The three labels the mapping needs, out of dcgm-exporter's eight or so (by length first: this
// runs for every series).
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
};

struct Batch {
    std::vector<PendingSeries> series;
    std::vector<SampleView> samples;
    std::vector<GpuSample> out;
};

Batch& batch()
{
    thread_local Batch b;
    return b;
}

std::string describe(const SeriesLabels& l)
{
    std::string s = l.metric.empty() ? std::string("(no __name__)") : std::string(l.metric);
    s += "{";
    if (!l.hostLabel.empty()) s += std::string(l.hostLabel) + "=\"" + std::string(l.host) + "\",";
    s += "gpu=\"" + std::string(l.gpu) + "\"}";
    return s;
}

} // namespace

RemoteWriteIngest::RemoteWriteIngest(const Inventory& inventory, FrameAssembler& assembler, DecodeLimits limits)
    : inventory_(inventory), assembler_(assembler), limits_(limits)
{
}

IngestResult RemoteWriteIngest::ingest(std::string_view body, std::string_view source)
{
    IngestResult r;
    IngestCounts& c = r.counts;
    c.requests = 1;
    Batch& b = batch();
    b.series.clear();
    b.samples.clear();
    b.out.clear();
    const auto error = [&](const SeriesLabels& l, const std::string& problem) {
        if (r.firstError.empty()) r.firstError = std::string(source) + ": " + describe(l) + ": " + problem;
    };
    const auto notice = [&](const SeriesLabels& l, const std::string& problem) {
        if (r.firstNotice.empty()) r.firstNotice = std::string(source) + ": " + describe(l) + ": " + problem;
    };

    // Pass 1, while decoding: keep the series of recorded metrics, prefetch their hosts.
    const auto onSeries = [&](const SeriesView& ts) {
        const SeriesLabels l = labelsOf(ts);
        const auto n = static_cast<std::int64_t>(ts.samples.size());
        c.samples += n;
        const MetricAlias* alias = findMetricAlias(l.metric);
        if (!alias || alias->quantity == GpuQuantity::None) {
            c.notRecorded += n;
            return;
        }
        if (l.host.empty() || l.gpu.empty()) {
            c.unlabelled += n;
            notice(l, "no Hostname/hostname or gpu label: not recorded");
            return;
        }
        PendingSeries& p = b.series.emplace_back();
        p.labels = l;
        p.alias = alias;
        p.hash = Inventory::hashOf(l.host);
        p.firstSample = static_cast<std::uint32_t>(b.samples.size());
        p.samples = static_cast<std::uint32_t>(n);
        b.samples.insert(b.samples.end(), ts.samples.begin(), ts.samples.end());
        inventory_.prefetch(p.hash);
    };
    const DecodeResult d = decodeRemoteWrite(body, source, limits_, onSeries);
    c.series = d.series;
    c.badSeries = d.badSeries;

    // Pass 2: hosts and devices to GPUs, values to the twin's units.
    for (const PendingSeries& p : b.series) {
        const SeriesLabels& l = p.labels;
        Inventory::HostRef host;
        if (!inventory_.lookup(l.host, p.hash, host)) {
            c.unknownHost += p.samples;
            notice(l, "host '" + std::string(l.host) + "' is not in the inventory: not recorded");
            continue;
        }
        int device = -1;
        const auto [end, ec] = std::from_chars(l.gpu.data(), l.gpu.data() + l.gpu.size(), device);
        if (ec != std::errc() || end != l.gpu.data() + l.gpu.size() || device < 0 || device >= host.gpus) {
            c.unknownGpu += p.samples;
            const InventoryHost& h = inventory_.hosts()[host.index];
            notice(l, "host '" + h.host + "' has devices 0-" + std::to_string(h.gpus - 1) + " (inventory line " +
                          std::to_string(h.line) + "): not recorded");
            continue;
        }
        const std::int64_t gpu = host.gpuFirst + device;
        const GpuQuantity quantity = p.alias->quantity;
        const double limit = quantity == GpuQuantity::Xid ? kMaxXid : kMaxMagnitude;
        for (std::uint32_t k = p.firstSample; k < p.firstSample + p.samples; ++k) {
            const SampleView& s = b.samples[k];
            const double v = s.value;
            if (std::isnan(v) && isStaleMarker(v)) {
                b.out.push_back({gpu, s.timestamp, 0.0f, quantity, true});
                continue;
            }
            const double scaled = v * p.alias->scale;
            if (!std::isfinite(v) || !(std::fabs(scaled) < limit) || (quantity == GpuQuantity::Xid && scaled < 0)) {
                ++c.invalidValues;
                error(l, "value " + std::to_string(v) + " at " + formatUtc(s.timestamp) +
                             (std::isfinite(v) ? " is out of range" : " is not a number (and not a stale marker)") +
                             ": dropped");
                continue;
            }
            b.out.push_back({gpu, s.timestamp, static_cast<float>(scaled), quantity, false});
        }
    }

    if (!d.error.empty()) r.firstError = d.error;   // the body's problem comes before any sample's
    const std::int64_t outOfOrderBefore = c.outOfOrder;
    assembler_.apply(b.out, c);
    if (c.outOfOrder > outOfOrderBefore && r.firstError.empty())
        r.firstError = std::string(source) + ": " + std::to_string(c.outOfOrder - outOfOrderBefore) +
                       " samples older than the values held for their GPU quantities: dropped (out of order)";

    if (d.status == DecodeStatus::TooLarge) r.status = IngestStatus::TooLarge;
    else if (d.status != DecodeStatus::Ok || c.invalid() > 0) r.status = IngestStatus::Invalid;
    if (r.status != IngestStatus::Ok) c.badRequests = 1;
    return r;
}

} // namespace twin::ingest
