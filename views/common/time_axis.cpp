#include "common/time_axis.h"

#include "common/time_format.h"

#include <array>

namespace views {

using twin::TimeMs;

namespace {

constexpr std::array<TimeMs, 18> kSteps = {1'000,     2'000,     5'000,      10'000,     15'000,     30'000,
                                           60'000,    120'000,   300'000,    600'000,    900'000,    1'800'000,
                                           3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000};

} // namespace

TimeMs tickStep(TimeMs span, double maxTicks, TimeMs minStep) {
    const double wanted = static_cast<double>(span) / maxTicks;
    for (TimeMs s : kSteps)
        if (s >= minStep && static_cast<double>(s) >= wanted) return s;
    return kSteps.back();
}

std::vector<TimeMs> ticks(TimeMs t0, TimeMs t1, TimeMs step) {
    std::vector<TimeMs> out;
    for (TimeMs t = (t0 + step - 1) / step * step; t <= t1; t += step) out.push_back(t);
    return out;
}

QString tickLabel(TimeMs t, TimeMs step) {
    const QString clock = formatUtcClock(t);
    return step % 60'000 == 0 ? clock.left(5) : clock;
}

} // namespace views
