#include "twin/ingest/remote_write.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <snappy.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

namespace twin::ingest {

namespace {

using google::protobuf::io::CodedInputStream;
using WFL = google::protobuf::internal::WireFormatLite;

// Field tags of remote_write.proto. A known field number with another wire type is an unknown
// field to protobuf (skipped), and so it is here.
constexpr std::uint32_t kSeriesTag = WFL::MakeTag(1, WFL::WIRETYPE_LENGTH_DELIMITED);   // WriteRequest
constexpr std::uint32_t kLabelTag = WFL::MakeTag(1, WFL::WIRETYPE_LENGTH_DELIMITED);    // TimeSeries
constexpr std::uint32_t kSampleTag = WFL::MakeTag(2, WFL::WIRETYPE_LENGTH_DELIMITED);
constexpr std::uint32_t kNameTag = WFL::MakeTag(1, WFL::WIRETYPE_LENGTH_DELIMITED);     // Label
constexpr std::uint32_t kValueTag = WFL::MakeTag(2, WFL::WIRETYPE_LENGTH_DELIMITED);
constexpr std::uint32_t kDoubleTag = WFL::MakeTag(1, WFL::WIRETYPE_FIXED64);           // Sample
constexpr std::uint32_t kTimestampTag = WFL::MakeTag(2, WFL::WIRETYPE_VARINT);

std::string at(std::string_view source, const std::string& problem)
{
    return std::string(source) + ": " + problem;
}

// Reused by each thread: the decoded body and the views of the series being read.
struct Scratch {
    std::string decoded;
    std::vector<LabelView> labels;
    std::vector<SampleView> samples;
};

Scratch& scratch()
{
    thread_local Scratch s;
    return s;
}

// Reads a length and checks that it fits in what is left. The stream reads one flat array, so
// the direct buffer ends at the current limit (this also saves protobuf's out-of-line
// BytesUntilLimit() per field).
bool readLength(CodedInputStream& in, int& length, const void** data = nullptr)
{
    std::uint32_t n = 0;
    if (!in.ReadVarint32(&n)) return false;
    const void* p = nullptr;
    int available = 0;
    in.GetDirectBufferPointerInline(&p, &available);
    if (n > static_cast<std::uint32_t>(std::max(available, 0))) return false;
    length = static_cast<int>(n);
    if (data) *data = p;
    return true;
}

// A bytes field as a view into the buffer.
bool readBytes(CodedInputStream& in, std::string_view& out)
{
    int length = 0;
    const void* data = nullptr;
    if (!readLength(in, length, &data)) return false;
    out = std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(length));
    return in.Skip(length);
}

// What a field reader did with a field.
enum class Field { Read, Unknown, Bad };

// A nested message: enter it (one level deeper, as protobuf counts recursion), read its fields
// with `field(tag)` (unknown ones skipped), and leave it at its end whatever happened. True
// when it was read whole.
template <typename FieldReader>
bool readMessage(CodedInputStream& in, FieldReader&& field)
{
    int length = 0;
    if (!readLength(in, length)) return false;
    const auto [limit, budget] = in.IncrementRecursionDepthAndPushLimit(length);
    bool ok = budget >= 0;
    while (ok) {
        const std::uint32_t tag = in.ReadTag();
        if (tag == 0) break;   // the end, or a malformed / zero tag: ConsumedEntireMessage() tells
        const Field f = field(tag);
        ok = f == Field::Read || (f == Field::Unknown && WFL::SkipField(&in, tag));
    }
    if (!ok) in.Skip(in.BytesUntilLimit());
    return in.DecrementRecursionDepthAndPopLimit(limit) && ok;
}

Field read(bool ok) { return ok ? Field::Read : Field::Bad; }

// A small leaf message (a label, a sample) read from its own bytes with a stream of its own: no
// limits to push and pop on the series' stream. `depth` is its nesting (protobuf's recursion
// count) for the groups an unknown field may hold.
template <typename FieldReader>
bool readLeaf(CodedInputStream& in, int depth, FieldReader&& field)
{
    std::string_view bytes;
    if (!readBytes(in, bytes)) return false;
    CodedInputStream leaf(reinterpret_cast<const std::uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
    leaf.SetRecursionLimit(CodedInputStream::GetDefaultRecursionLimit() - depth);
    for (;;) {
        const std::uint32_t tag = leaf.ReadTag();
        if (tag == 0) return leaf.ConsumedEntireMessage();
        const Field f = field(leaf, tag);
        if (f == Field::Bad || (f == Field::Unknown && !WFL::SkipField(&leaf, tag))) return false;
    }
}

bool readLabel(CodedInputStream& in, LabelView& l)
{
    return readLeaf(in, 2, [&](CodedInputStream& leaf, std::uint32_t tag) {
        if (tag == kNameTag) return read(readBytes(leaf, l.name));
        if (tag == kValueTag) return read(readBytes(leaf, l.value));
        return Field::Unknown;
    });
}

bool readSample(CodedInputStream& in, SampleView& s)
{
    return readLeaf(in, 2, [&](CodedInputStream& leaf, std::uint32_t tag) {
        if (tag == kDoubleTag) {
            std::uint64_t bits = 0;
            const bool ok = leaf.ReadLittleEndian64(&bits);
            s.value = std::bit_cast<double>(bits);
            return read(ok);
        }
        if (tag == kTimestampTag) {
            std::uint64_t v = 0;
            const bool ok = leaf.ReadVarint64(&v);
            s.timestamp = static_cast<std::int64_t>(v);
            return read(ok);
        }
        return Field::Unknown;
    });
}

bool readSeries(CodedInputStream& in, Scratch& s)
{
    s.labels.clear();
    s.samples.clear();
    return readMessage(in, [&](std::uint32_t tag) {
        if (tag == kLabelTag) return read(readLabel(in, s.labels.emplace_back()));
        if (tag == kSampleTag) return read(readSample(in, s.samples.emplace_back()));
        return Field::Unknown;
    });
}

} // namespace

bool isStaleMarker(double v)
{
    return std::bit_cast<std::uint64_t>(v) == kStaleMarkerBits;
}

DecodeResult decodeRemoteWrite(std::string_view body, std::string_view source, const DecodeLimits& limits,
                               const std::function<void(const SeriesView&)>& onSeries)
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
    if (size > limits.maxDecodedBytes || size > static_cast<std::size_t>(INT32_MAX)) {
        r.status = DecodeStatus::TooLarge;
        r.error = at(source, "body decodes to " + std::to_string(size) + " bytes, over the limit of " +
                                 std::to_string(limits.maxDecodedBytes) + " bytes");
        return r;
    }
    Scratch& s = scratch();
    // One huge body must not pin its buffer on this thread for good.
    if (s.decoded.capacity() > (32u << 20) && s.decoded.capacity() > 2 * size) std::string().swap(s.decoded);
    s.decoded.resize(size);
    if (!snappy::RawUncompress(body.data(), body.size(), s.decoded.data())) {
        r.status = DecodeStatus::BadSnappy;
        r.error = at(source, "body of " + std::to_string(body.size()) +
                                 " bytes is not valid snappy block data (corrupt or truncated)");
        return r;
    }
    r.decodedBytes = size;

    // The WriteRequest is walked field by field: a malformed series loses only itself (its
    // length still says where the next one starts), a truncated tail only what is cut.
    CodedInputStream in(reinterpret_cast<const std::uint8_t*>(s.decoded.data()), static_cast<int>(size));
    const auto fail = [&](const std::string& problem) {
        r.status = DecodeStatus::BadProtobuf;
        if (r.error.empty())   // keep the first problem (a skipped series may come before)
            r.error = at(source, "malformed WriteRequest at byte " + std::to_string(in.CurrentPosition()) + " of " +
                                     std::to_string(size) + " (" + problem + "; " + std::to_string(r.series) +
                                     " series before it were read)");
    };
    for (;;) {
        const std::uint32_t tag = in.ReadTag();
        if (tag == 0) {
            if (!in.ConsumedEntireMessage()) fail("bad field tag");
            break;
        }
        if (tag != kSeriesTag) {   // metadata and any later additions: skipped
            if (!WFL::SkipField(&in, tag)) {
                fail("field " + std::to_string(WFL::GetTagFieldNumber(tag)) + " cut short or malformed");
                break;
            }
            continue;
        }
        const int start = in.CurrentPosition();
        std::uint32_t length = 0;
        {
            // Read the length on a copy of the position: readSeries reads it again.
            CodedInputStream peek(reinterpret_cast<const std::uint8_t*>(s.decoded.data()) + start,
                                  static_cast<int>(size) - start);
            if (!peek.ReadVarint32(&length)) {
                fail("bad series length");
                break;
            }
            if (length > static_cast<std::uint32_t>(peek.BytesUntilLimit())) {
                fail("series " + std::to_string(r.series + r.badSeries) + " of " + std::to_string(length) +
                     " bytes runs past the end: truncated");
                break;
            }
        }
        if (readSeries(in, s)) {
            ++r.series;
            onSeries(SeriesView{s.labels, s.samples});
        } else {
            if (r.error.empty())
                r.error = at(source, "series " + std::to_string(r.series + r.badSeries) + " (bytes " +
                                         std::to_string(start) + "-" + std::to_string(in.CurrentPosition()) +
                                         ") is not a valid TimeSeries: skipped");
            ++r.badSeries;
        }
    }
    if (r.status == DecodeStatus::Ok && r.badSeries > 0) r.status = DecodeStatus::BadProtobuf;
    return r;
}

} // namespace twin::ingest
