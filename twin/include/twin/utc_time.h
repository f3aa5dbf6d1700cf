// ISO-8601 UTC dates and times as the campus file and the programs' --start take them:
// "2026-01-17" (midnight UTC), "2026-01-17T08:30Z", "2026-01-17T08:30:00Z",
// "2026-01-17T08:30:00.250Z", or with an offset instead of Z ("...T02:30:00-06:00"); as RFC 3339
// allows, 't' or a space for 'T' and 'z' for 'Z'.
#pragma once

#include "twin/campus.h"

#include <optional>
#include <string_view>

namespace twin {

// Milliseconds since the epoch, or nullopt when `text` is not one of the forms above or names a
// day that does not exist (2026-02-30). A date-time needs its zone (Z or ±HH:MM): a time without
// one would be read in whatever zone the reader assumed.
std::optional<TimeMs> parseUtcTime(std::string_view text);

// "2026-01-17" when t is midnight UTC, else formatUtc(t) (twin/store.h).
std::string formatUtcDate(TimeMs t);

} // namespace twin
