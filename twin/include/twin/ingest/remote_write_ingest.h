// The receiver's work for one remote-write request, without any network: decode the body, map
// each dcgm-exporter series to a GPU quantity through the alias table and the inventory, and
// hand the samples to the frame assembler. Thread-safe: an HTTP server calls it from several
// threads at once.
#pragma once

#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/ingest_counts.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/remote_write.h"

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
    std::string firstNotice;               // the first unknown host / GPU / unlabelled series
};

class RemoteWriteIngest {
public:
    RemoteWriteIngest(const Inventory& inventory, FrameAssembler& assembler, DecodeLimits limits = {});
    IngestResult ingest(std::string_view body, std::string_view source);
    const DecodeLimits& limits() const { return limits_; }

private:
    const Inventory& inventory_;
    FrameAssembler& assembler_;
    DecodeLimits limits_;
};

} // namespace twin::ingest
