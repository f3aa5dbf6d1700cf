// Fuzz target: the store's segment blobs (codec::readSegmentHeader, decodeSegmentQuantity).
// std::runtime_error is the documented rejection (codec.h); the reader turns it into a damaged
// frame. A delta frame is decoded against a key of zeros, as a reader would against its key.
#include "codec.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static twin::codec::Decompressor d;
    try {
        const std::span<const std::uint8_t> blob(data, size);
        const twin::codec::SegmentHeader h = twin::codec::readSegmentHeader(blob);
        // The reader refuses a count other than the segment's asset count before decoding: at most
        // the series' segment size (8192 by default), so larger counts are not the decoder's input.
        if (h.count > (1u << 16)) return 0;
        std::vector<std::int32_t> out(h.count), key(h.count, 7);
        for (int k = 0; k < h.quantities; ++k)
            twin::codec::decodeSegmentQuantity(d, blob, h, k, h.isKey ? nullptr : key.data(), out.data());
    } catch (const std::runtime_error&) {
    }
    return 0;
}
