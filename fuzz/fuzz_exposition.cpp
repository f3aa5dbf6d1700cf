// Fuzz target: the Prometheus text exposition parser (scrapes). parseExposition never throws:
// every exception is a finding.
#include "twin/ingest/exposition.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    twin::ingest::ExpositionLimits limits;
    std::size_t bytes = 0;
    const auto result = twin::ingest::parseExposition(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", 1'790'000'000'000, limits,
        [&](const twin::ingest::SeriesView& s, int line) {
            for (const auto& l : s.labels) bytes += l.name.size() + l.value.size();
            bytes += s.samples.size() + static_cast<std::size_t>(line);
        });
    (void)result;
    return 0;
}
