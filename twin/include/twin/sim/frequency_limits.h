// The grid frequency the plant runs at and the bands the simulator's control system flags
// (one place: the simulator's physics and alarms, the desk's and the wall's chart lines).
#pragma once

namespace twin::sim {

constexpr double kNominalHz = 60;
constexpr double kFrequencyWarningHz = 0.1;   // |f - 60| above this: a frequency excursion (warning)
constexpr double kFrequencyAlarmHz = 0.5;     // above this: the excursion is an alarm (the charts' limit lines)
constexpr double kFrequencyClearHz = 0.05;    // back within this: the excursion has cleared

} // namespace twin::sim
