#include "twin/ingest/remote_write.h"

#include "remote_write.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <snappy.h>

#include <cstring>

namespace twin::ingest {

namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

std::string at(std::string_view source, const std::string& problem)
{
    return std::string(source) + ": " + problem;
}

// Reused by each thread: the decoded body and one TimeSeries message (parsing into a cleared
// message reuses its label strings, so a steady stream of series allocates nothing).
struct Scratch {
    std::string decoded;
    rw::TimeSeries series;
};

Scratch& scratch()
{
    thread_local Scratch s;
    return s;
}

} // namespace

bool isStaleMarker(double v)
{
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits == kStaleMarkerBits;
}

DecodeResult decodeRemoteWrite(std::string_view body, std::string_view source, const DecodeLimits& limits,
                               const std::function<void(const rw::TimeSeries&)>& onSeries)
{
    DecodeResult r;
    if (body.size() > limits.maxBodyBytes) {
        r.status = DecodeStatus::TooLarge;
        r.error = at(source, "body of " + std::to_string(body.size()) + " bytes is over the limit of " +
                                 std::to_string(limits.maxBodyBytes) + " bytes");
        return r;
    }
    std::size_t size = 0;
    if (!snappy::GetUncompressedLength(body.data(), body.size(), &size)) {
        r.status = DecodeStatus::BadSnappy;
        r.error = at(source, "body of " + std::to_string(body.size()) +
                                 " bytes is not snappy block data (no valid length header)");
        return r;
    }
    if (size > limits.maxDecodedBytes) {
        r.status = DecodeStatus::TooLarge;
        r.error = at(source, "body decodes to " + std::to_string(size) + " bytes, over the limit of " +
                                 std::to_string(limits.maxDecodedBytes) + " bytes");
        return r;
    }
    Scratch& s = scratch();
    s.decoded.resize(size);
    if (!snappy::RawUncompress(body.data(), body.size(), s.decoded.data())) {
        r.status = DecodeStatus::BadSnappy;
        r.error = at(source, "body of " + std::to_string(body.size()) +
                                 " bytes is not valid snappy block data (corrupt or truncated)");
        return r;
    }
    r.decodedBytes = size;

    // The WriteRequest is walked field by field rather than parsed whole: each series is parsed
    // on its own into the reused message, and a malformed series or a truncated tail loses only
    // itself.
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.decoded.data());
    CodedInputStream in(bytes, static_cast<int>(size));
    const auto fail = [&](const std::string& problem) {
        r.status = DecodeStatus::BadProtobuf;
        if (r.error.empty())   // keep the first problem (a skipped series may come before)
            r.error = at(source, "malformed WriteRequest at byte " + std::to_string(in.CurrentPosition()) + " of " +
                                     std::to_string(size) + " (" + problem + "; " + std::to_string(r.series) +
                                     " series before it were read)");
    };
    constexpr std::uint32_t kSeriesTag =
        WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    for (;;) {
        const std::uint32_t tag = in.ReadTag();
        if (tag == 0) {
            if (in.CurrentPosition() != static_cast<int>(size)) fail("bad field tag");
            break;
        }
        if (tag != kSeriesTag) {   // metadata and any later additions: skipped
            if (!WireFormatLite::SkipField(&in, tag)) {
                fail("field " + std::to_string(WireFormatLite::GetTagFieldNumber(tag)) + " cut short or malformed");
                break;
            }
            continue;
        }
        std::uint32_t length = 0;
        if (!in.ReadVarint32(&length)) {
            fail("bad series length");
            break;
        }
        const std::size_t start = static_cast<std::size_t>(in.CurrentPosition());
        if (length > size - start) {
            fail("series " + std::to_string(r.series + r.badSeries) + " of " + std::to_string(length) +
                 " bytes runs past the end: truncated");
            break;
        }
        if (s.series.ParseFromArray(bytes + start, static_cast<int>(length))) {
            ++r.series;
            onSeries(s.series);
        } else {
            if (r.error.empty())
                r.error = at(source, "series " + std::to_string(r.series + r.badSeries) + " (bytes " +
                                         std::to_string(start) + "-" + std::to_string(start + length) +
                                         ") is not a valid TimeSeries: skipped");
            ++r.badSeries;
        }
        in.Skip(static_cast<int>(length));
    }
    if (r.status == DecodeStatus::Ok && r.badSeries > 0) r.status = DecodeStatus::BadProtobuf;
    return r;
}

} // namespace twin::ingest
