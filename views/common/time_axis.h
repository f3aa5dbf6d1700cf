// Time axes: the round steps their ticks fall on, one rule for the timeline, the strip charts and
// the wall's charts.
#pragma once

#include "twin/store.h"

#include <QString>

#include <vector>

namespace views {

// The smallest round step (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12, 24 h)
// of at least `minStep` that cuts `span` into no more than `maxTicks` steps; 24 h when none does.
// Callers say how many ticks fit: a width over the room one label needs.
twin::TimeMs tickStep(twin::TimeMs span, double maxTicks, twin::TimeMs minStep = 0);
// The ticks from t0 to t1 (both included): the whole multiples of `step`, so that they fall on
// round UTC times.
std::vector<twin::TimeMs> ticks(twin::TimeMs t0, twin::TimeMs t1, twin::TimeMs step);
// A tick's label (UTC): "16:15" on whole-minute steps, else "16:02:10".
QString tickLabel(twin::TimeMs t, twin::TimeMs step);

} // namespace views
