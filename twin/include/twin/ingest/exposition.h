// The Prometheus text exposition format 0.0.4 (what dcgm-exporter's /metrics serves), parsed
// without trusting the bytes: `# HELP` / `# TYPE` lines and other comments, blank lines, and
// sample lines `name{label="value",...} value [timestamp]` with the escapes \\ \" \n in label
// values, NaN / +Inf / -Inf values and an optional timestamp in ms. OpenMetrics' `# EOF` ends the
// body. Each sample line is handed over as a one-sample SeriesView (the metric name as the label
// `__name__`, like a remote-write series), so both paths share the mapping (sample_mapper.h).
// A malformed line is counted and named (source and line number); the lines around it are kept.
#pragma once

#include "twin/ingest/remote_write.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace twin::ingest {

struct ExpositionLimits {
    std::size_t maxBodyBytes = 16u << 20;   // a whole body; checked before anything is parsed
    std::size_t maxLineBytes = 64u << 10;   // one line
    std::size_t maxLabels = 64;             // labels of one sample line, __name__ included
};

enum class ExpositionStatus { Ok, TooLarge };

struct ExpositionResult {
    ExpositionStatus status = ExpositionStatus::Ok;
    std::int64_t lines = 0;          // lines read (up to # EOF)
    std::int64_t samples = 0;        // sample lines handed to the callback
    std::int64_t badLines = 0;       // malformed lines, skipped
    std::string error;               // the first problem, "<source>:<line>: ..."; empty when none
};

// Parses `body` and calls onSample for each sample line, in order, with its 1-based line number.
// A sample without a timestamp gets `defaultTimestamp` (the scrape's time). The views in the
// SeriesView point into `body` or into a per-thread buffer: valid until the next call on this
// thread. Never throws for any bytes.
ExpositionResult parseExposition(std::string_view body, std::string_view source, std::int64_t defaultTimestamp,
                                 const ExpositionLimits& limits,
                                 const std::function<void(const SeriesView&, int line)>& onSample);

} // namespace twin::ingest
