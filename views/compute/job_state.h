// Names of the job state codes of the "job" series (twin::sim::JobState in simulator.h).
#pragma once

#include <QString>

namespace views {

inline QString jobStateName(int code) {
    switch (code) {
    case 0: return "queued";
    case 1: return "ramping";
    case 2: return "training";
    case 3: return "checkpointing";
    case 4: return "stalled";
    case 5: return "crashed";
    }
    return QString("state %1").arg(code);
}

} // namespace views
