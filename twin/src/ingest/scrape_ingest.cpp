#include "twin/ingest/scrape_ingest.h"

#include <algorithm>
#include <iterator>

namespace twin::ingest {

namespace {

// A delivered quantity as one number: the top bit tells racks from GPUs, the low 3 bits hold the
// quantity.
constexpr std::uint64_t kRackKey = 1ull << 63;
std::uint64_t keyOf(const GpuSample& s) { return static_cast<std::uint64_t>(s.gpu) << 3 | static_cast<std::uint64_t>(s.quantity); }
std::uint64_t keyOf(const RackSample& s) { return kRackKey | static_cast<std::uint64_t>(s.rack) << 3 | static_cast<std::uint64_t>(s.quantity); }

} // namespace

ScrapeIngest::ScrapeIngest(const Inventory& inventory, FrameAssembler& gpus, RackAssembler* racks,
                           ExpositionLimits limits)
    : mapper_(inventory, gpus, racks), limits_(limits)
{
}

IngestResult ScrapeIngest::ingest(std::string_view body, std::string_view target, TimeMs scrapeTime,
                                  ScrapeTargetState& state)
{
    if (body.size() > limits_.maxBodyBytes) {   // before anything is parsed
        IngestResult r = fail(state, scrapeTime);
        r.status = IngestStatus::TooLarge;
        r.counts.badRequests = 1;
        r.firstError = std::string(target) + ": body of " + std::to_string(body.size()) +
                       " bytes is over the limit of " + std::to_string(limits_.maxBodyBytes) + ": nothing read";
        return r;
    }
    IngestResult r;
    IngestCounts& c = r.counts;
    c.requests = 1;
    MappingPass pass(mapper_, target, r);
    const ExpositionResult e = parseExposition(body, target, scrapeTime, limits_,
                                               [&](const SeriesView& ts, int line) { pass.add(ts, line); });
    c.series = e.samples;
    c.badSeries = e.badLines;
    const MappedSamples mapped = pass.finish();
    if (!e.error.empty()) r.firstError = e.error;   // the body's problem comes before any sample's

    // What this scrape delivered; what the last one did and this one did not goes stale now.
    std::vector<std::uint64_t> now;
    now.reserve(mapped.gpus.size() + mapped.racks.size());
    for (const GpuSample& s : mapped.gpus)
        if (!s.staleMarker) now.push_back(keyOf(s));
    for (const RackSample& s : mapped.racks)
        if (!s.staleMarker) now.push_back(keyOf(s));
    std::sort(now.begin(), now.end());
    now.erase(std::unique(now.begin(), now.end()), now.end());
    std::vector<std::uint64_t> gone;
    std::set_difference(state.delivered.begin(), state.delivered.end(), now.begin(), now.end(), std::back_inserter(gone));
    markStale(gone, scrapeTime, c);
    state.delivered.swap(now);

    if (e.badLines > 0 || c.invalid() > 0) {
        r.status = IngestStatus::Invalid;
        c.badRequests = 1;
    }
    return r;
}

IngestResult ScrapeIngest::fail(ScrapeTargetState& state, TimeMs t)
{
    IngestResult r;
    r.counts.requests = 1;
    r.counts.badRequests = 1;
    markStale(state.delivered, t, r.counts);
    state.delivered.clear();
    return r;
}

void ScrapeIngest::markStale(std::span<const std::uint64_t> keys, TimeMs t, IngestCounts& counts)
{
    std::vector<GpuSample> gpus;
    std::vector<RackSample> racks;
    for (std::uint64_t k : keys) {
        const auto q = static_cast<std::uint8_t>(k & 7);
        if (k & kRackKey)
            racks.push_back({static_cast<std::int32_t>((k & ~kRackKey) >> 3), t, 0.0f, static_cast<RackQuantity>(q), true});
        else
            gpus.push_back({static_cast<std::int64_t>(k >> 3), t, 0.0f, static_cast<GpuQuantity>(q), true});
    }
    counts.samples += static_cast<std::int64_t>(keys.size());
    if (!gpus.empty()) mapper_.gpus().apply(gpus, counts);
    if (!racks.empty() && mapper_.racks()) mapper_.racks()->apply(racks, counts);
}

} // namespace twin::ingest
