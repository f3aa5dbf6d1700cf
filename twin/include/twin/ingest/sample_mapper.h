// From series (labels and samples, as remote-write and the text format both give them) to the
// twin's quantities: dcgm-exporter series to GPU quantities through the alias table and the
// inventory, rack sensor series to rack quantities through the rack alias table and the rack's
// asset id; values to the twin's units, checked. Shared by RemoteWriteIngest and ScrapeIngest.
//
// A MappingPass is one request or one scrape: add() each series as it is decoded (it keeps the
// recorded ones and prefetches their hosts), then finish() maps them, hands the samples to the
// assemblers and returns them. Thread-safe: each pass uses per-thread scratch.
#pragma once

#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/ingest_counts.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/rack_assembler.h"
#include "twin/ingest/remote_write.h"

#include <span>
#include <string>
#include <string_view>

namespace twin::ingest {

enum class IngestStatus {
    Ok,          // everything read (unknown hosts and metrics are counted, not errors)
    Invalid,     // a malformed body or invalid samples; the valid part was kept
    TooLarge,    // over the size limits: nothing read
};

struct IngestResult {
    IngestStatus status = IngestStatus::Ok;
    IngestCounts counts;                   // this request's
    std::string firstError;                // "<source>: ..."; empty when none
    std::string firstNotice;               // the first unknown host / GPU / rack / unlabelled series
};

class SampleMapper {
public:
    // `racks` may be null: rack sensor series are then "not recorded".
    SampleMapper(const Inventory& inventory, FrameAssembler& gpus, RackAssembler* racks = nullptr);

    const Inventory& inventory() const { return inventory_; }
    FrameAssembler& gpus() const { return gpus_; }
    RackAssembler* racks() const { return racks_; }

private:
    friend class MappingPass;
    const Inventory& inventory_;
    FrameAssembler& gpus_;
    RackAssembler* racks_;
};

// What one pass handed to the assemblers (per-thread: valid until the thread's next pass).
struct MappedSamples {
    std::span<const GpuSample> gpus;
    std::span<const RackSample> racks;
};

class MappingPass {
public:
    // `source` names the sender or target in messages ("<source>[:<line>]: <series>: problem").
    MappingPass(const SampleMapper& mapper, std::string_view source, IngestResult& result);
    // One series; `line` (the text format's line number, 0: none) is named in its messages. The
    // views in `series` must stay valid until finish().
    void add(const SeriesView& series, int line = 0);
    // Maps what was added, applies it to the assemblers, counts; returns what was applied.
    MappedSamples finish();

private:
    const SampleMapper& mapper_;
    std::string_view source_;
    IngestResult& result_;
};

} // namespace twin::ingest
