#include "twin/ingest/plant_counts.h"

namespace twin::ingest {

std::string describe(const PlantCounts& c)
{
    std::string s = std::to_string(c.messages) + " MQTT messages";
    bool first = true;
    const auto add = [&](std::int64_t n, const char* what) {
        if (!n) return;
        s += (first ? ": " : ", ") + std::to_string(n) + " " + what;
        first = false;
    };
    add(c.recorded, "recorded");
    add(c.births, "births");
    add(c.deaths, "deaths");
    add(c.staleDeaths, "NDEATH of an old birth (ignored)");
    add(c.seqGaps, "seq gaps");
    add(c.beforeBirth, "before a birth");
    add(c.unknownAlias, "unknown aliases");
    add(c.rebirths, "rebirth requests");
    add(c.unmapped, "unmapped");
    add(c.nulls, "null");
    add(c.invalid, "invalid");
    add(c.outOfOrder, "out of order");
    add(c.malformed, "malformed");
    add(c.ignored, "ignored");
    return s;
}

} // namespace twin::ingest
