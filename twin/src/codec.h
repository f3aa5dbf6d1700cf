// Encodings of telemetry blobs (docs/store.md, "Encodings").
//
// Segment blob: one segment of one dense frame, all quantities; q = round(value / precision).
//   header: u8 format (=1), u8 kind (0 key, 1 delta), u16 quantities, u32 count,
//           per quantity: u32 raw size, u32 compressed size
//   then per quantity one zstd frame of a "patched bit-packed" stream:
//     u8 predictor, u8 bits, u32 exceptions,
//     count values of `bits` bits (0, 2, 4, 8, 16 or 32; little-endian, low bits first),
//     each min(z[i], 2^bits - 1), then `exceptions` pairs (u32 position, u32 z) that patch them;
//   where z = zigzag(residual) and the predictor says what the residual is:
//     0 (key frames)  r[i] = q[i] - q[i-1]                 neighbouring assets are alike
//     1 (delta)       r[i] = e[i],          e = q - key     most assets change little
//     2 (delta)       r[i] = e[i] - e[i-1]                 a whole job changed phase together
//   The writer picks the predictor and the bit width that make the stream smallest; small
//   widths also keep decoding fast, since zstd then has fewer bytes to produce.
//
// Chunk blob: samples of one scalar signal.
//   u32 count, then one zstd frame of: times as zigzag varints of the second difference,
//   then values as 8 byte planes of (bits(v[i]) xor bits(v[i-1])).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace twin::codec {

struct Compressor {
    Compressor(int level);
    ~Compressor();
    Compressor(const Compressor&) = delete;
    Compressor& operator=(const Compressor&) = delete;
    ZSTD_CCtx_s* ctx;
    int level;
    std::vector<std::uint8_t> planes;      // scratch
};

struct Decompressor {
    Decompressor();
    ~Decompressor();
    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    ZSTD_DCtx_s* ctx;
    std::vector<std::uint8_t> planes;      // scratch
};

// q[quantity] holds `count` values. key (delta frames only) holds the key segment's values.
void encodeSegment(Compressor& c, std::span<const std::int32_t* const> q,
                   std::span<const std::int32_t* const> key, std::size_t count,
                   std::vector<std::uint8_t>& out);

struct SegmentHeader {
    bool isKey = true;
    int quantities = 0;
    std::uint32_t count = 0;
    // per quantity: the byte range of its zstd frame in the blob, and its decompressed size
    std::vector<std::uint32_t> offset, size, rawSize;
};

// Throws std::runtime_error on a malformed blob.
SegmentHeader readSegmentHeader(std::span<const std::uint8_t> blob);

// Decodes quantity `quantity` into out[0..count). For a delta frame `key` must hold the
// key segment's decoded values of that quantity.
void decodeSegmentQuantity(Decompressor& d, std::span<const std::uint8_t> blob,
                           const SegmentHeader& h, int quantity, const std::int32_t* key,
                           std::int32_t* out);

void encodeChunk(Compressor& c, std::span<const std::int64_t> t, std::span<const double> v,
                 std::vector<std::uint8_t>& out);
void decodeChunk(Decompressor& d, std::span<const std::uint8_t> blob, std::vector<std::int64_t>& t,
                 std::vector<double>& v);

} // namespace twin::codec
