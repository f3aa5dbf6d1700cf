// A hall's chiller plant: staged air-cooled chillers whose heat rejection follows the load
// through their capacity control (a first-order lag), trips and restarts, and their electrical
// input from the DOE-2 chiller curves. docs/physics.md, "Heat".
#pragma once

namespace twin::sim {

struct ChillerPlant {
    int units = 2;              // chillers installed
    double unitMw = 0;          // heat rejection of one chiller at full load
    int online = 1;             // chillers running
    bool tripped = false;       // the plant tripped: nothing rejected until restartAt
    double restartAt = -1;
    double stagedAt = -1e9;     // time of the last staging change
    double rejectedMw = 0;      // heat rejected now
};

// Electrical input of air-cooled chillers rejecting `rejectedMw` with `onlineMw` of capacity
// running, at outdoor dry bulb `outdoorC`: rejected / ratedCop × EIR(T) × EIR(PLR) / PLR.
double chillerInputMw(double rejectedMw, double onlineMw, double ratedCop, double outdoorC);

// Outdoor dry bulb at local solar hour `solarHour`: a daily cosine peaking at 15:00.
double outdoorTemperatureC(double meanC, double swingC, double solarHour);

} // namespace twin::sim
