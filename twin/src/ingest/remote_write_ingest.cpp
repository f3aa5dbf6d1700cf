#include "twin/ingest/remote_write_ingest.h"

#include "remote_write.pb.h"

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

SeriesLabels labelsOf(const rw::TimeSeries& ts)
{
    SeriesLabels l;
    for (const rw::Label& label : ts.labels()) {
        const std::string& name = label.name();
        if (name == "__name__") l.metric = label.value();
        else if (name == kGpuLabel) l.gpu = label.value();
        else
            for (std::string_view h : kHostLabels)
                if (name == h) l.hostLabel = h, l.host = label.value();
    }
    return l;
}

std::string describe(const SeriesLabels& l)
{
    std::string s = l.metric.empty() ? std::string("(no __name__)") : std::string(l.metric);
    s += "{";
    if (!l.hostLabel.empty()) s += std::string(l.hostLabel) + "=\"" + std::string(l.host) + "\",";
    s += "gpu=\"" + std::string(l.gpu) + "\"}";
    return s;
}

std::vector<GpuSample>& batch()
{
    thread_local std::vector<GpuSample> b;
    return b;
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
    std::vector<GpuSample>& out = batch();
    out.clear();
    const auto error = [&](const SeriesLabels& l, const std::string& problem) {
        if (r.firstError.empty()) r.firstError = std::string(source) + ": " + describe(l) + ": " + problem;
    };
    const auto notice = [&](const SeriesLabels& l, const std::string& problem) {
        if (r.firstNotice.empty()) r.firstNotice = std::string(source) + ": " + describe(l) + ": " + problem;
    };

    const auto onSeries = [&](const rw::TimeSeries& ts) {
        const SeriesLabels l = labelsOf(ts);
        const int n = ts.samples_size();
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
        const InventoryHost* host = inventory_.find(l.host);
        if (!host) {
            c.unknownHost += n;
            notice(l, "host '" + std::string(l.host) + "' is not in the inventory: not recorded");
            return;
        }
        int device = -1;
        const auto [end, ec] = std::from_chars(l.gpu.data(), l.gpu.data() + l.gpu.size(), device);
        if (ec != std::errc() || end != l.gpu.data() + l.gpu.size() || device < 0 || device >= host->gpus) {
            c.unknownGpu += n;
            notice(l, "host '" + host->host + "' has devices 0-" + std::to_string(host->gpus - 1) +
                          " (inventory line " + std::to_string(host->line) + "): not recorded");
            return;
        }
        const std::int64_t gpu = host->gpuFirst + device;
        const double limit = alias->quantity == GpuQuantity::Xid ? kMaxXid : kMaxMagnitude;
        for (const rw::Sample& s : ts.samples()) {
            const double v = s.value();
            if (std::isnan(v) && isStaleMarker(v)) {
                out.push_back({gpu, s.timestamp(), 0.0f, alias->quantity, true});
                continue;
            }
            const double scaled = v * alias->scale;
            if (!std::isfinite(v) || !(std::fabs(scaled) < limit) ||
                (alias->quantity == GpuQuantity::Xid && scaled < 0)) {
                ++c.invalidValues;
                error(l, "value " + std::to_string(v) + " at " + formatUtc(s.timestamp()) +
                             (std::isfinite(v) ? " is out of range" : " is not a number (and not a stale marker)") +
                             ": dropped");
                continue;
            }
            out.push_back({gpu, s.timestamp(), static_cast<float>(scaled), alias->quantity, false});
        }
    };

    const DecodeResult d = decodeRemoteWrite(body, source, limits_, onSeries);
    c.series = d.series;
    c.badSeries = d.badSeries;
    if (!d.error.empty()) r.firstError = d.error;   // the body's problem comes before any sample's
    const std::int64_t outOfOrderBefore = c.outOfOrder;
    assembler_.apply(out, c);
    if (c.outOfOrder > outOfOrderBefore && r.firstError.empty())
        r.firstError = std::string(source) + ": " + std::to_string(c.outOfOrder - outOfOrderBefore) +
                       " samples older than the values held for their GPU quantities: dropped (out of order)";

    if (d.status == DecodeStatus::TooLarge) r.status = IngestStatus::TooLarge;
    else if (d.status != DecodeStatus::Ok || c.invalid() > 0) r.status = IngestStatus::Invalid;
    if (r.status != IngestStatus::Ok) c.badRequests = 1;
    return r;
}

} // namespace twin::ingest
