// Energy drawn by each job from the recording's start to a time: the sum of the job series'
// power samples times its period (each sample stands for one period), kept per job and
// extended incrementally as the clock moves forward, so a tick reads only the new samples.
#pragma once

#include "twin/session/session.h"

#include <vector>

namespace views {

class JobEnergy {
public:
    // Forgets everything (a store was opened).
    void reset();
    // MWh of the job at `position` in the "job" series (its index in StoreReader::jobs()) over
    // [the recording's start, t]; 0 without a job series.
    double mwhAt(const twin::Session& session, std::size_t position, twin::TimeMs t);

private:
    struct Sum {
        twin::TimeMs upTo = 0;   // samples at or before this time are in mws
        double mws = 0;          // MW x seconds
        bool valid = false;
    };
    std::vector<Sum> sums_;
};

} // namespace views
