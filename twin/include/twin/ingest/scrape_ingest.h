// colossus-ingest's work for one scrape of a target's /metrics (the text exposition format,
// exposition.h), without any network: parse, map (sample_mapper.h, as remote-write does) and hand
// the samples to the assemblers. Like Prometheus' stale markers, what a target stops delivering
// goes stale at once: a series gone from the next body, and everything the target delivered when
// a scrape fails (refused, timed out, not 200, too large). Thread-safe across targets; one target's
// state is used by one scrape at a time.
#pragma once

#include "twin/ingest/exposition.h"
#include "twin/ingest/sample_mapper.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace twin::ingest {

// The GPU and rack quantities a target delivered at its last successful scrape.
struct ScrapeTargetState {
    std::vector<std::uint64_t> delivered;   // sorted keys (scrape_ingest.cpp)
};

class ScrapeIngest {
public:
    ScrapeIngest(const Inventory& inventory, FrameAssembler& gpus, RackAssembler* racks = nullptr,
                 ExpositionLimits limits = {});

    // A body answered 200 by `target` (named in messages with the line number). Samples without a
    // timestamp take `scrapeTime`. Malformed lines count as bad series; status Invalid when there
    // were any, or invalid values; TooLarge (nothing read, the target's quantities stale) when the
    // body is over the limit.
    IngestResult ingest(std::string_view body, std::string_view target, TimeMs scrapeTime, ScrapeTargetState& state);
    // A failed scrape: a stale marker at `t` for everything the target delivered last.
    IngestResult fail(ScrapeTargetState& state, TimeMs t);

    const ExpositionLimits& limits() const { return limits_; }

private:
    void markStale(std::span<const std::uint64_t> keys, TimeMs t, IngestCounts& counts);
    SampleMapper mapper_;
    ExpositionLimits limits_;
};

} // namespace twin::ingest
