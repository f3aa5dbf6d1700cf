// The receiver's work for one remote-write request, without any network: decode the body, map
// each series (sample_mapper.h: dcgm-exporter series to GPU quantities, rack sensors to racks),
// and hand the samples to the assemblers. Thread-safe: an HTTP server calls it from several
// threads at once.
#pragma once

#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/ingest_counts.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/remote_write.h"
#include "twin/ingest/sample_mapper.h"

#include <string>
#include <string_view>

namespace twin::ingest {

class RemoteWriteIngest {
public:
    // `racks` (may be null) takes rack sensor series (rack_metrics.h).
    RemoteWriteIngest(const Inventory& inventory, FrameAssembler& assembler, DecodeLimits limits = {},
                      RackAssembler* racks = nullptr);
    IngestResult ingest(std::string_view body, std::string_view source);
    const DecodeLimits& limits() const { return limits_; }

private:
    SampleMapper mapper_;
    DecodeLimits limits_;
};

} // namespace twin::ingest
