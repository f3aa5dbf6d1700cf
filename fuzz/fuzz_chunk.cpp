// Fuzz target: the store's chunk blobs of scalar signals (codec::decodeChunk). std::runtime_error
// is the documented rejection (codec.h).
#include "codec.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static twin::codec::Decompressor d;
    std::vector<std::int64_t> t;
    std::vector<double> v;
    try {
        twin::codec::decodeChunk(d, std::span<const std::uint8_t>(data, size), t, v);
        if (t.size() != v.size()) __builtin_trap();
    } catch (const std::runtime_error&) {
    }
    return 0;
}
