// Fuzz target: campus files (twin::parseCampus). twin::Error is the documented rejection.
#include "twin/campus_file.h"
#include "twin/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const twin::Campus campus = twin::parseCampus(
            std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
        (void)campus;
    } catch (const twin::Error&) {
    }
    return 0;
}
