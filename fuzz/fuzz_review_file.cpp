// Fuzz target: review files (twin::ReviewFile), the bytes written as the review file of a tiny
// recording, then opened and read. twin::Error is the documented rejection.
#include "fuzz_support.h"

#include "twin/error.h"
#include "twin/review_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = fuzz::scratchDir() + "/fuzz.review";
    twin::StoreReader& recording = fuzz::tinyRecording();
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    try {
        auto review = twin::ReviewFile::openAt(path, recording);
        for (const auto& b : review->bookmarks()) (void)review->bookmark(b.id);
        (void)review->bookmarks(0, 10'000);
        (void)review->eventNotes();
        (void)review->eventNote(1);
        (void)review->acknowledgements();
        (void)review->acknowledgement(1);
        (void)review->schemaVersion();
    } catch (const twin::Error&) {
    }
    return 0;
}
