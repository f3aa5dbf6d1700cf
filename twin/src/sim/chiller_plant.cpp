#include "chiller_plant.h"

#include <algorithm>
#include <cmath>

namespace twin::sim {

namespace {

// DOE-2 air-cooled scroll chiller curves as NECB 2020 8.4.5.5 tabulates them (the same as
// EnergyPlus's Chiller:Electric:EIR defaults); temperatures in degF. EIR(T) is 1.000 at the
// AHRI rating point (44 degF chilled water, 95 degF outdoor), where ratedCop applies.
constexpr double kEirT[6] = {0.99006553, -0.00584144, 0.00016454, -0.00661136, 0.00016808, -0.00022501};
constexpr double kEirPlr[3] = {0.06369119, 0.58488832, 0.35280274};
constexpr double kChilledWaterF = 44;   // the chillers' leaving water at their rating (kept: see physics.md)

double biquadratic(const double* c, double x, double y) {
    return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y;
}

} // namespace

double chillerInputMw(double rejectedMw, double onlineMw, double ratedCop, double outdoorC) {
    if (rejectedMw <= 0 || onlineMw <= 0 || ratedCop <= 0) return 0;
    const double plr = std::clamp(rejectedMw / onlineMw, 0.1, 1.0);   // below 10 %: the compressor cycles
    const double outdoorF = std::clamp(outdoorC * 9 / 5 + 32, 55.0, 115.0);   // the curve's fitted range
    const double eirT = biquadratic(kEirT, kChilledWaterF, outdoorF);
    const double eirPlr = kEirPlr[0] + kEirPlr[1] * plr + kEirPlr[2] * plr * plr;
    return rejectedMw / ratedCop * eirT * eirPlr / plr;
}

double outdoorTemperatureC(double meanC, double swingC, double solarHour) {
    return meanC + swingC * std::cos(2 * M_PI * (solarHour - 15) / 24);
}

} // namespace twin::sim
