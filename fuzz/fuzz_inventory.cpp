// Fuzz target: inventory CSV files (Inventory::parse) for the small campus. twin::Error is the
// documented rejection; an inventory that parses must parse again from its own toCsv().
#include "fuzz_support.h"

#include "twin/error.h"
#include "twin/ingest/inventory.h"

#include <cstddef>
#include <cstdint>

using twin::ingest::Inventory;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const Inventory inv = Inventory::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv",
                                               fuzz::smallCampus());
        const Inventory back = Inventory::parse(inv.toCsv(), "again.csv", fuzz::smallCampus());
        if (back.toCsv() != inv.toCsv()) __builtin_trap();
    } catch (const twin::Error&) {
    }
    return 0;
}
