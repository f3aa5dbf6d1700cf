// Little-endian writing and bounds-checked reading of the opscentre's wire formats. A read past
// the end, or a count that the bytes left cannot hold, throws WireError.
#pragma once

#include "twin/opscentre/changes.h"

#include <bit>
#include <cstring>

namespace twin::opscentre {

class ByteWriter {
public:
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { le(v); }
    void u32(std::uint32_t v) { le(v); }
    void u64(std::uint64_t v) { le(v); }
    void i64(std::int64_t v) { le(static_cast<std::uint64_t>(v)); }
    void f64(double v) { le(std::bit_cast<std::uint64_t>(v)); }
    void bytes(std::string_view b) {
        u32(static_cast<std::uint32_t>(b.size()));
        out_.insert(out_.end(), b.begin(), b.end());
    }
    void raw(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
    std::vector<std::uint8_t> take() { return std::move(out_); }

private:
    template <class T>
    void le(T v) {
        for (std::size_t i = 0; i < sizeof v; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::vector<std::uint8_t> out_;
};

class ByteReader {
public:
    ByteReader(std::span<const std::uint8_t> in, const char* what) : in_(in), what_(what) {}
    std::uint8_t u8() { return static_cast<std::uint8_t>(le<std::uint8_t>()); }
    std::uint16_t u16() { return le<std::uint16_t>(); }
    std::uint32_t u32() { return le<std::uint32_t>(); }
    std::uint64_t u64() { return le<std::uint64_t>(); }
    std::int64_t i64() { return static_cast<std::int64_t>(le<std::uint64_t>()); }
    double f64() { return std::bit_cast<double>(le<std::uint64_t>()); }
    std::string bytes() {
        const std::uint32_t n = u32();
        need(n);
        std::string s(reinterpret_cast<const char*>(in_.data() + at_), n);
        at_ += n;
        return s;
    }
    // A count of items of at least `minSize` bytes each: refused when the bytes left cannot hold
    // them (a hostile count never allocates).
    std::uint32_t count(std::size_t minSize) {
        const std::uint32_t n = u32();
        if (minSize > 0 && n > left() / minSize)
            throw WireError(std::string(what_) + ": a count of " + std::to_string(n) + " that the message cannot hold");
        return n;
    }
    std::size_t left() const { return in_.size() - at_; }
    bool atEnd() const { return at_ == in_.size(); }

private:
    void need(std::size_t n) const {
        if (n > left()) throw WireError(std::string(what_) + ": truncated");
    }
    template <class T>
    T le() {
        need(sizeof(T));
        T v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(in_[at_ + i]) << (8 * i));
        at_ += sizeof(T);
        return v;
    }
    std::span<const std::uint8_t> in_;
    std::size_t at_ = 0;
    const char* what_;
};

} // namespace twin::opscentre
