#include "codec.h"

#include <zstd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace twin::codec {

namespace {

inline std::uint32_t zigzag32(std::int32_t v) {
    return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}
inline std::int32_t unzigzag32(std::uint32_t z) {
    return static_cast<std::int32_t>((z >> 1) ^ (~(z & 1) + 1));
}
// The format's 32-bit two's-complement sums and differences (docs/store.md, "Segment blob"): done
// on unsigned values so that a wrap is defined, not undefined behaviour (UBSan, fuzz_segment).
inline std::int32_t wrapAdd(std::int32_t a, std::int32_t b) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
inline std::int32_t wrapSub(std::int32_t a, std::int32_t b) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
}
inline std::uint64_t zigzag64(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag64(std::uint64_t z) {
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

template <typename T> void put(std::vector<std::uint8_t>& out, T v) {
    const auto at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
}
template <typename T> T get(std::span<const std::uint8_t> b, std::size_t at) {
    if (at + sizeof(T) > b.size())
        throw std::runtime_error("blob truncated");
    T v;
    std::memcpy(&v, b.data() + at, sizeof(T));
    return v;
}

void compressInto(Compressor& c, const void* src, std::size_t n, std::vector<std::uint8_t>& out) {
    const auto at = out.size();
    out.resize(at + ZSTD_compressBound(n));
    const std::size_t r = ZSTD_compressCCtx(c.ctx, out.data() + at, out.size() - at, src, n, c.level);
    if (ZSTD_isError(r))
        throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
    out.resize(at + r);
}

void decompressExact(Decompressor& d, const std::uint8_t* src, std::size_t n, std::uint8_t* dst,
                     std::size_t expected) {
    const std::size_t r = ZSTD_decompressDCtx(d.ctx, dst, expected, src, n);
    if (ZSTD_isError(r))
        throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
    if (r != expected)
        throw std::runtime_error("blob holds fewer values than its header says");
}

// Checked before anything is allocated for a frame: the decompressed size a blob's header claims
// must be the one its zstd frame declares (the writer always records it), and no more than
// n bytes of zstd can hold (its densest block, RLE, is 4 bytes for 128 KiB). A damaged header
// (a count of 4 billion) is refused rather than making the reader allocate tens of gigabytes.
void checkFrameSize(const std::uint8_t* src, std::size_t n, std::size_t expected) {
    const unsigned long long declared = ZSTD_getFrameContentSize(src, n);
    if (declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN)
        throw std::runtime_error("zstd: no frame with a known size");
    if (declared != expected || expected / 32768 > n)
        throw std::runtime_error("blob holds fewer values than its header says");
}

} // namespace

Compressor::Compressor(int lvl) : ctx(ZSTD_createCCtx()), level(lvl) {}
Compressor::~Compressor() { ZSTD_freeCCtx(ctx); }
Decompressor::Decompressor() : ctx(ZSTD_createDCtx()) {}
Decompressor::~Decompressor() { ZSTD_freeDCtx(ctx); }

namespace {

constexpr int kBitChoices[] = {0, 2, 4, 8, 16, 32};

struct Packing {
    int bits = 32;
    std::size_t exceptions = 0;
    std::size_t bytes = ~std::size_t(0);
};

// The bit width that makes the packed stream (values + exception pairs) smallest.
Packing choosePacking(const std::uint32_t* z, std::size_t n) {
    std::size_t hist[33] = {};
    for (std::size_t i = 0; i < n; ++i) ++hist[z[i] ? 32 - std::countl_zero(z[i]) : 0];
    Packing best;
    for (int bits : kBitChoices) {
        // Values of more than `bits` bits, and the value equal to the escape, are exceptions.
        std::size_t exc = 0;
        for (int l = bits + 1; l <= 32; ++l) exc += hist[l];
        if (bits > 0 && bits < 32) {
            const std::uint32_t escape = (1u << bits) - 1;
            for (std::size_t i = 0; i < n && hist[bits]; ++i) exc += z[i] == escape;
        }
        const std::size_t bytes = (n * bits + 7) / 8 + 8 * exc;
        if (bytes < best.bytes) best = {bits, exc, bytes};
    }
    return best;
}

void pack(const std::uint32_t* z, std::size_t n, const Packing& p, int predictor, std::vector<std::uint8_t>& out) {
    out.clear();
    put<std::uint8_t>(out, static_cast<std::uint8_t>(predictor));
    put<std::uint8_t>(out, static_cast<std::uint8_t>(p.bits));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(p.exceptions));
    const std::size_t at = out.size();
    out.resize(at + (n * p.bits + 7) / 8, 0);
    std::uint8_t* o = out.data() + at;
    const std::uint32_t escape = p.bits >= 32 ? ~0u : (1u << p.bits) - 1;
    auto clip = [&](std::size_t i) { return std::min(z[i], escape); };
    switch (p.bits) {
    case 0: break;
    case 2: for (std::size_t i = 0; i < n; ++i) o[i >> 2] |= static_cast<std::uint8_t>(clip(i) << (2 * (i & 3))); break;
    case 4: for (std::size_t i = 0; i < n; ++i) o[i >> 1] |= static_cast<std::uint8_t>(clip(i) << (4 * (i & 1))); break;
    case 8: for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<std::uint8_t>(clip(i)); break;
    case 16: for (std::size_t i = 0; i < n; ++i) { const auto v = static_cast<std::uint16_t>(clip(i)); std::memcpy(o + 2 * i, &v, 2); } break;
    default: std::memcpy(o, z, 4 * n); break;
    }
    // With 0 bits every non-zero value is an exception; otherwise those at or above the escape.
    const std::uint32_t first = p.bits == 0 ? 1 : escape;
    if (p.bits < 32)
        for (std::size_t i = 0; i < n; ++i)
            if (z[i] >= first) {
                put<std::uint32_t>(out, static_cast<std::uint32_t>(i));
                put<std::uint32_t>(out, z[i]);
            }
}

} // namespace

void encodeSegment(Compressor& c, std::span<const std::int32_t* const> q,
                   std::span<const std::int32_t* const> key, std::size_t count,
                   std::vector<std::uint8_t>& out) {
    const bool isKey = key.empty();
    const auto nq = q.size();
    out.clear();
    put<std::uint8_t>(out, 1);
    put<std::uint8_t>(out, isKey ? 0 : 1);
    put<std::uint16_t>(out, static_cast<std::uint16_t>(nq));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(count));
    const std::size_t table = out.size();
    out.resize(table + nq * 8);

    std::vector<std::uint32_t> z1(count), z2(count);
    for (std::size_t k = 0; k < nq; ++k) {
        const std::int32_t* v = q[k];
        int predictor = 0;
        Packing packing;
        if (isKey) {
            std::int32_t prev = 0;
            for (std::size_t i = 0; i < count; ++i) {
                z1[i] = zigzag32(wrapSub(v[i], prev));
                prev = v[i];
            }
            packing = choosePacking(z1.data(), count);
        } else {
            const std::int32_t* r = key[k];
            std::int32_t prev = 0;
            for (std::size_t i = 0; i < count; ++i) {
                const std::int32_t e = wrapSub(v[i], r[i]);
                z1[i] = zigzag32(e);
                z2[i] = zigzag32(wrapSub(e, prev));
                prev = e;
            }
            const Packing p1 = choosePacking(z1.data(), count), p2 = choosePacking(z2.data(), count);
            predictor = p2.bytes < p1.bytes ? 2 : 1;
            packing = predictor == 2 ? p2 : p1;
            if (predictor == 2) std::swap(z1, z2);
        }
        pack(z1.data(), count, packing, predictor, c.planes);
        const std::size_t before = out.size();
        compressInto(c, c.planes.data(), c.planes.size(), out);
        const auto raw = static_cast<std::uint32_t>(c.planes.size());
        const auto size = static_cast<std::uint32_t>(out.size() - before);
        std::memcpy(out.data() + table + 8 * k, &raw, 4);
        std::memcpy(out.data() + table + 8 * k + 4, &size, 4);
    }
}

SegmentHeader readSegmentHeader(std::span<const std::uint8_t> blob) {
    SegmentHeader h;
    if (get<std::uint8_t>(blob, 0) != 1)
        throw std::runtime_error("unknown segment format");
    h.isKey = get<std::uint8_t>(blob, 1) == 0;
    h.quantities = get<std::uint16_t>(blob, 2);
    h.count = get<std::uint32_t>(blob, 4);
    std::size_t at = 8 + 8 * static_cast<std::size_t>(h.quantities);
    if (at > blob.size())
        throw std::runtime_error("blob truncated");
    h.offset.resize(h.quantities);
    h.size.resize(h.quantities);
    h.rawSize.resize(h.quantities);
    for (int k = 0; k < h.quantities; ++k) {
        h.rawSize[k] = get<std::uint32_t>(blob, 8 + 8 * k);
        h.size[k] = get<std::uint32_t>(blob, 8 + 8 * k + 4);
        if (h.rawSize[k] < 6 || h.rawSize[k] > 6 + 12 * static_cast<std::size_t>(h.count))
            throw std::runtime_error("bad stream size");
        h.offset[k] = static_cast<std::uint32_t>(at);
        at += h.size[k];
    }
    if (at != blob.size())
        throw std::runtime_error("blob size does not match its header");
    return h;
}

namespace {

// Residuals of every 2-, 4- and 8-bit code, by byte: decoding is one table look-up per byte.
struct ResidualTables {
    std::int32_t two[256][4], four[256][2], eight[256];
    ResidualTables() {
        for (std::uint32_t b = 0; b < 256; ++b) {
            for (int j = 0; j < 4; ++j) two[b][j] = unzigzag32((b >> (2 * j)) & 3u);
            for (int j = 0; j < 2; ++j) four[b][j] = unzigzag32((b >> (4 * j)) & 15u);
            eight[b] = unzigzag32(b);
        }
    }
};
const ResidualTables kTables;

// Unpacks `n` codes of `bits` bits into residuals r (unzigzagged).
void unpack(const std::uint8_t* __restrict p, std::size_t n, int bits, std::int32_t* __restrict r) {
    std::size_t i = 0;
    switch (bits) {
    case 0: std::memset(r, 0, 4 * n); return;
    case 2:
        for (; i + 4 <= n; i += 4) std::memcpy(r + i, kTables.two[p[i >> 2]], 16);
        for (; i < n; ++i) r[i] = kTables.two[p[i >> 2]][i & 3];
        return;
    case 4:
        for (; i + 2 <= n; i += 2) std::memcpy(r + i, kTables.four[p[i >> 1]], 8);
        for (; i < n; ++i) r[i] = kTables.four[p[i >> 1]][i & 1];
        return;
    case 8:
        for (; i < n; ++i) r[i] = kTables.eight[p[i]];
        return;
    case 16:
        for (; i < n; ++i) r[i] = unzigzag32(static_cast<std::uint32_t>(p[2 * i]) | (static_cast<std::uint32_t>(p[2 * i + 1]) << 8));
        return;
    default:
        for (; i < n; ++i) {
            std::uint32_t z;
            std::memcpy(&z, p + 4 * i, 4);
            r[i] = unzigzag32(z);
        }
        return;
    }
}

} // namespace

void decodeSegmentQuantity(Decompressor& d, std::span<const std::uint8_t> blob,
                           const SegmentHeader& h, int k, const std::int32_t* key,
                           std::int32_t* out) {
    const std::size_t n = h.count;
    checkFrameSize(blob.data() + h.offset[k], h.size[k], h.rawSize[k]);
    d.planes.resize(h.rawSize[k]);
    decompressExact(d, blob.data() + h.offset[k], h.size[k], d.planes.data(), d.planes.size());
    const std::span<const std::uint8_t> raw(d.planes);
    const int predictor = get<std::uint8_t>(raw, 0);
    const int bits = get<std::uint8_t>(raw, 1);
    const std::size_t exceptions = get<std::uint32_t>(raw, 2);
    const std::size_t packed = (n * static_cast<std::size_t>(bits) + 7) / 8;
    if (std::find(std::begin(kBitChoices), std::end(kBitChoices), bits) == std::end(kBitChoices) ||
        raw.size() != 6 + packed + 8 * exceptions)
        throw std::runtime_error("bad packed stream");
    if (h.isKey != (predictor == 0) || predictor > 2)
        throw std::runtime_error("bad predictor");
    if (!h.isKey && key == nullptr)
        throw std::runtime_error("delta frame without its key frame");
    // Residuals are built in `out`, then turned into values in place.
    unpack(raw.data() + 6, n, bits, out);
    for (std::size_t e = 0; e < exceptions; ++e) {
        const std::size_t at = 6 + packed + 8 * e;
        const std::uint32_t pos = get<std::uint32_t>(raw, at);
        if (pos >= n) throw std::runtime_error("exception out of range");
        out[pos] = unzigzag32(get<std::uint32_t>(raw, at + 4));
    }
    switch (predictor) {
    case 0: {
        std::int32_t prev = 0;
        for (std::size_t i = 0; i < n; ++i) out[i] = prev = wrapAdd(prev, out[i]);
        break;
    }
    case 1:
        for (std::size_t i = 0; i < n; ++i) out[i] = wrapAdd(out[i], key[i]);
        break;
    default: {
        std::int32_t e = 0;
        for (std::size_t i = 0; i < n; ++i) {
            e = wrapAdd(e, out[i]);
            out[i] = wrapAdd(key[i], e);
        }
        break;
    }
    }
}

void encodeChunk(Compressor& c, std::span<const std::int64_t> t, std::span<const double> v,
                 std::vector<std::uint8_t>& out) {
    const std::size_t n = t.size();
    std::vector<std::uint8_t> raw;
    raw.reserve(n * 10);
    std::int64_t prevT = 0, prevDt = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t dt = t[i] - prevT;
        std::uint64_t z = zigzag64(dt - prevDt);
        prevT = t[i];
        prevDt = dt;
        do {
            std::uint8_t byte = z & 0x7f;
            z >>= 7;
            raw.push_back(byte | (z ? 0x80 : 0));
        } while (z);
    }
    const std::size_t at = raw.size();
    raw.resize(at + 8 * n);
    std::uint64_t prevBits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto bits = std::bit_cast<std::uint64_t>(v[i]);
        const std::uint64_t x = bits ^ prevBits;
        prevBits = bits;
        for (int p = 0; p < 8; ++p) raw[at + p * n + i] = static_cast<std::uint8_t>(x >> (8 * p));
    }
    out.clear();
    put<std::uint32_t>(out, static_cast<std::uint32_t>(n));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(raw.size()));
    compressInto(c, raw.data(), raw.size(), out);
}

void decodeChunk(Decompressor& d, std::span<const std::uint8_t> blob, std::vector<std::int64_t>& t,
                 std::vector<double>& v) {
    const std::size_t n = get<std::uint32_t>(blob, 0);
    const std::size_t rawSize = get<std::uint32_t>(blob, 4);
    if (rawSize < 9 * n || rawSize > 18 * n + 16)
        throw std::runtime_error("chunk header is inconsistent");
    checkFrameSize(blob.data() + 8, blob.size() - 8, rawSize);
    d.planes.resize(rawSize);
    decompressExact(d, blob.data() + 8, blob.size() - 8, d.planes.data(), rawSize);
    const std::uint8_t* raw = d.planes.data();
    t.resize(n);
    v.resize(n);
    std::size_t at = 0;
    std::int64_t prevT = 0, prevDt = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t z = 0;
        int shift = 0;
        while (true) {
            if (at >= rawSize - 8 * n || shift > 63)
                throw std::runtime_error("chunk times are malformed");
            const std::uint8_t byte = raw[at++];
            z |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80)) break;
        }
        // Damaged varints can sum past 64 bits: refused (no valid chunk's times come near).
        if (__builtin_add_overflow(prevDt, unzigzag64(z), &prevDt) || __builtin_add_overflow(prevT, prevDt, &prevT))
            throw std::runtime_error("chunk times are malformed");
        t[i] = prevT;
    }
    if (at != rawSize - 8 * n)
        throw std::runtime_error("chunk times are malformed");
    std::uint64_t prevBits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t x = 0;
        for (int p = 0; p < 8; ++p) x |= static_cast<std::uint64_t>(raw[at + p * n + i]) << (8 * p);
        prevBits ^= x;
        v[i] = std::bit_cast<double>(prevBits);
    }
}

} // namespace twin::codec
