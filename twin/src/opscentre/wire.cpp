#include "twin/opscentre/wire.h"

#include "byte_io.h"

#include <algorithm>
#include <array>

namespace twin::opscentre {

namespace {

constexpr std::uint32_t kPartMagic = 0x4e575443;   // "CTWN"
// Bodies larger than this are refused before any allocation (a follower's memory is not the
// publisher's to spend): far above any commit of the default campus.
constexpr std::uint64_t kMaxBodySize = 1ull << 32;

std::array<std::uint32_t, 256> crcTable() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}

} // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
    static const auto table = crcTable();
    std::uint32_t c = 0xffffffffu;
    for (std::uint8_t b : bytes) c = table[(c ^ b) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

std::vector<std::vector<std::uint8_t>> splitIntoParts(Kind kind, std::uint64_t seq, std::span<const std::uint8_t> body,
                                                      std::size_t maxPayload) {
    const std::size_t room = std::max<std::size_t>(maxPayload, kPartHeaderSize + 1) - kPartHeaderSize;
    const std::size_t parts = std::max<std::size_t>(1, (body.size() + room - 1) / room);
    const std::uint32_t crc = crc32(body);
    std::vector<std::vector<std::uint8_t>> out;
    out.reserve(parts);
    for (std::size_t p = 0; p < parts; ++p) {
        ByteWriter w;
        w.u32(kPartMagic);
        w.u8(kWireVersion);
        w.u8(static_cast<std::uint8_t>(kind));
        w.u16(0);
        w.u64(seq);
        w.u32(static_cast<std::uint32_t>(p));
        w.u32(static_cast<std::uint32_t>(parts));
        w.u64(body.size());
        w.u32(crc);
        const std::size_t lo = p * room;
        w.raw(body.subspan(lo, std::min(room, body.size() - lo)));
        out.push_back(w.take());
    }
    return out;
}

PartHeader decodePartHeader(std::span<const std::uint8_t> payload) {
    ByteReader r(payload, "message");
    if (payload.size() < kPartHeaderSize || r.u32() != kPartMagic)
        throw WireError("not an opscentre message (no CTWN header)");
    const std::uint8_t version = r.u8();
    if (version != kWireVersion)
        throw WireError("message version " + std::to_string(version) + " (this program reads version " +
                        std::to_string(kWireVersion) + ")");
    PartHeader h;
    const std::uint8_t kind = r.u8();
    if (kind != static_cast<std::uint8_t>(Kind::Campus) && kind != static_cast<std::uint8_t>(Kind::Commit))
        throw WireError("message of unknown kind " + std::to_string(kind));
    h.kind = static_cast<Kind>(kind);
    if (r.u16() != 0) throw WireError("message with unknown flags");
    h.seq = r.u64();
    h.part = r.u32();
    h.parts = r.u32();
    h.bodySize = r.u64();
    h.bodyCrc = r.u32();
    if (h.parts == 0 || h.part >= h.parts) throw WireError("message part " + std::to_string(h.part) + " of " + std::to_string(h.parts));
    if (h.bodySize > kMaxBodySize) throw WireError("message body of " + std::to_string(h.bodySize) + " bytes (too large)");
    if (payload.size() - kPartHeaderSize > h.bodySize) throw WireError("message part larger than its body");
    return h;
}

std::optional<Assembled> Reassembler::add(std::span<const std::uint8_t> payload) {
    const PartHeader h = decodePartHeader(payload);
    const auto data = payload.subspan(kPartHeaderSize);
    if (h.part == 0) {
        partial_ = Partial{};
        partial_->header = h;
        partial_->body.reserve(std::min<std::uint64_t>(h.bodySize, 64u << 20));
    } else if (!partial_ || partial_->header.seq != h.seq || partial_->header.kind != h.kind ||
               partial_->header.parts != h.parts || partial_->header.bodySize != h.bodySize ||
               partial_->header.bodyCrc != h.bodyCrc || partial_->next != h.part) {
        partial_.reset();
        throw WireError("message " + std::to_string(h.seq) + " part " + std::to_string(h.part) +
                        " does not continue the message in progress (dropped)");
    }
    Partial& p = *partial_;
    if (p.body.size() + data.size() > h.bodySize) {
        partial_.reset();
        throw WireError("message " + std::to_string(h.seq) + ": parts longer than its body");
    }
    p.body.insert(p.body.end(), data.begin(), data.end());
    p.next = h.part + 1;
    if (p.next < h.parts) return std::nullopt;
    Assembled a{h.kind, h.seq, std::move(p.body)};
    partial_.reset();
    if (a.body.size() != h.bodySize) throw WireError("message " + std::to_string(h.seq) + ": body shorter than announced");
    if (crc32(a.body) != h.bodyCrc) throw WireError("message " + std::to_string(h.seq) + ": CRC-32 mismatch");
    return a;
}

} // namespace twin::opscentre
