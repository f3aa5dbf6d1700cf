// Prometheus remote-write 1.0 bodies: a snappy block-compressed protobuf WriteRequest
// (src/ingest/remote_write.proto). decodeRemoteWrite() never throws and never trusts the bytes:
// every failure is a status and a message, and the series read before a failure are still
// handed over ("nothing valid lost").
//
// The series are read in place, as views into the decoded body, with the protobuf library's
// wire-format reader (CodedInputStream): the generated classes would copy every label into a
// string, which is most of the cost at a million GPUs. The reader accepts exactly what the
// generated parser accepts (test_ingest compares the two on valid and on hostile bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace twin::ingest {

struct LabelView {
    std::string_view name, value;
};

struct SampleView {
    double value = 0;
    std::int64_t timestamp = 0;   // ms since 1970-01-01T00:00:00Z
};

// One time series, valid only during the callback that receives it.
struct SeriesView {
    std::span<const LabelView> labels;
    std::span<const SampleView> samples;
};

struct DecodeLimits {
    std::size_t maxBodyBytes = 16u << 20;      // compressed, as received
    std::size_t maxDecodedBytes = 128u << 20;  // after snappy (its header says the size up front)
};

enum class DecodeStatus {
    Ok,
    TooLarge,       // body or its decoded size over the limits: nothing read
    BadSnappy,      // not snappy block data (or truncated): nothing read
    BadProtobuf,    // the WriteRequest is malformed or truncated: the series before it were read
};

struct DecodeResult {
    DecodeStatus status = DecodeStatus::Ok;
    std::int64_t series = 0;        // series handed to the callback
    std::int64_t badSeries = 0;     // series whose own bytes were malformed (skipped, framing intact)
    std::size_t decodedBytes = 0;
    std::string error;              // the first problem, "<source>: ..."; empty when none
};

// Decodes `body` and calls onSeries for each time series, in order. `source` names where the
// body came from (a peer address, a file) in messages. Uses per-thread scratch buffers, so it
// may run on several threads at once.
DecodeResult decodeRemoteWrite(std::string_view body, std::string_view source, const DecodeLimits& limits,
                               const std::function<void(const SeriesView&)>& onSeries);

// The bits Prometheus writes as the value of a stale marker (a NaN that means "this series is
// gone"); any other NaN is an invalid value.
constexpr std::uint64_t kStaleMarkerBits = 0x7ff0000000000002ull;
bool isStaleMarker(double v);

} // namespace twin::ingest
