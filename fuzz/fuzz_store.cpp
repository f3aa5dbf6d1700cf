// Fuzz target: whole stores, damaged. The input is a list of patches applied to the bytes of a
// small store with telemetry (fuzz::telemetryStoreBytes: frames, key frames, chunks, rows,
// events): each patch is [u32 offset, little-endian][u8 length][length bytes], its offset taken
// modulo the file's size, so mutations land in SQLite pages, our blobs and the catalogue alike.
// The patched file is opened and read as the viewer and --check would (every frame, chunk,
// sample, event). twin::Error is the documented refusal; anything else is a finding.
#include "fuzz_support.h"

#include "twin/error.h"
#include "twin/store.h"
#include "twin/store_check.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = fuzz::scratchDir() + "/fuzz-store.twin";
    std::string file = fuzz::telemetryStoreBytes();
    for (std::size_t at = 0; at + 5 <= size;) {
        const std::uint32_t offset = static_cast<std::uint32_t>(data[at]) | static_cast<std::uint32_t>(data[at + 1]) << 8 |
                                     static_cast<std::uint32_t>(data[at + 2]) << 16 | static_cast<std::uint32_t>(data[at + 3]) << 24;
        const std::size_t n = std::min<std::size_t>(data[at + 4], size - at - 5);
        const std::size_t to = offset % file.size();
        for (std::size_t k = 0; k < n && to + k < file.size(); ++k) file[to + k] = static_cast<char>(data[at + 5 + k]);
        at += 5 + n;
    }
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(file.data(), 1, file.size(), f);
        std::fclose(f);
    }
    try {
        auto r = twin::StoreReader::open(path);
        const twin::TimeSpan span = r->span();
        twin::CampusState state;
        if (!span.empty && span.last >= span.first)
            for (int k = 0; k <= 8; ++k) r->stateAt(span.first + (span.last - span.first) / 8 * k, state);
        for (const auto& s : r->series())
            if (!s.spec.quantities.empty() && s.assetCount > 0)
                (void)r->seriesRange(s.id, 0, s.assetCount - 1, span.first, span.last, 50);
        for (const auto& s : r->signalCatalogue()) {
            (void)r->signalAt(s.id, span.last);
            (void)r->signalRange(s.id, span.first, span.last, 20);
        }
        (void)r->damage();
    } catch (const twin::Error&) {
    }
    (void)twin::checkStore(path);   // every frame and chunk; refuses with a verdict, never throws
    return 0;
}
