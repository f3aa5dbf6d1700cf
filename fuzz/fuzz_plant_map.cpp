// Fuzz target: plant map CSV files (PlantMap::parse) for the small campus. twin::Error is the
// documented rejection; a map that parses must parse again from its own text().
#include "fuzz_support.h"

#include "twin/error.h"
#include "twin/ingest/plant_map.h"

#include <cstddef>
#include <cstdint>
#include <string>

using twin::ingest::PlantLayout;
using twin::ingest::PlantMap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const PlantLayout layout(fuzz::smallCampus());
    try {
        const PlantMap map = PlantMap::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv", layout);
        std::string why, field;
        (void)map.matchSparkplug("colossus", "gts01", "", "power", &why);
        (void)map.matchSparkplug("colossus", "plant", "bess01", "soc", &why);
        (void)map.matchJson("plant/testsite/gts01/power", &field, &why);
        (void)map.jsonSubscriptions();
        (void)map.literalTargets();
        const PlantMap back = PlantMap::parse(map.text(), "again.csv", layout);
        if (back.rows().size() != map.rows().size()) __builtin_trap();
    } catch (const twin::Error&) {
    }
    return 0;
}
