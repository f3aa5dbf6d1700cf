// Fuzz target: Prometheus remote-write bodies (snappy + protobuf). decodeRemoteWrite never throws:
// every exception is a finding.
#include "twin/ingest/remote_write.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    twin::ingest::DecodeLimits limits;
    limits.maxDecodedBytes = 4u << 20;   // the fuzzer's memory, not the format's
    std::size_t bytes = 0;
    const auto result = twin::ingest::decodeRemoteWrite(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", limits,
        [&](const twin::ingest::SeriesView& s) {
            for (const auto& l : s.labels) bytes += l.name.size() + l.value.size();
            for (const auto& v : s.samples) bytes += twin::ingest::isStaleMarker(v.value) ? 1 : 0;
        });
    (void)result;
    return 0;
}
