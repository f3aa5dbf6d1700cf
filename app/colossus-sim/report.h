// What colossus-sim prints: listings, the progress bar (stderr) and the summary (stdout).
#pragma once

#include "twin/campus.h"
#include "twin/sim/simulator.h"

#include <chrono>
#include <string>

namespace colossus_sim {

void printScenarios();
void printParams();
// The data directory's campus and scenario files, by name and path; false when there is no
// data directory.
bool printSites();

// "[#####.....]  37%  1332/3600 s  (2.4x real time)" on stderr, redrawn at most 10 times a
// second; silent unless stderr is a terminal.
class ProgressBar {
public:
    explicit ProgressBar(double totalS);
    ~ProgressBar();                   // ends a line left open (a run that failed)
    void update(double simulatedS);
    void finish(double simulatedS);   // the last state and a newline

private:
    using Clock = std::chrono::steady_clock;
    void draw(double simulatedS);

    double totalS_;
    bool enabled_;
    bool lineOpen_ = false;
    Clock::time_point started_, lastDraw_;
};

struct RunReport {
    const twin::Campus& campus;
    const twin::sim::Params& params;
    const twin::sim::Summary& summary;
    double requestedS = 0;
    double wallS = 0;
    std::string out;
};

// The summary on stdout.
void printSummary(const RunReport& r);

} // namespace colossus_sim
