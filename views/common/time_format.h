// How the views write times, speeds and values, in one place so that every label agrees
// (and the tests can compute the exact text they expect).
#pragma once

#include "twin/store.h"

#include <QString>

#include <string>

namespace views {

// "2026-07-15 16:02:11.250 UTC"
QString formatUtcLong(twin::TimeMs t);
// "16:02:11" (UTC): the timeline's tick labels.
QString formatUtcClock(twin::TimeMs t);
// "16:02:11.250" (UTC): sample times in tables.
QString formatUtcClockMs(twin::TimeMs t);
// Campus local time with its zone's abbreviation: "11:02:11 CDT" for "America/Chicago".
// An empty or unknown IANA name gives UTC ("16:02:11 UTC").
QString formatLocal(twin::TimeMs t, const std::string& ianaTimeZone);
// Playback speed: "0.25×", "2.0×", "30×".
QString formatSpeed(double speed);
// A measured value: integers as integers, otherwise up to 3 decimals (trailing zeros dropped)
// or, below 1, 3 significant digits: "700", "59.998", "12.5", "0.0123".
QString formatValue(double v);

} // namespace views
