// Tests' shared helper: simulate a scenario on a campus file of data/sites into a store.
#pragma once

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <string>

inline twin::sim::Summary recordScenario(const std::string& campusFile, const twin::sim::Params& params, double seconds,
                                         const std::string& out) {
    const twin::Campus campus = twin::loadCampusFile(std::string(TEST_DATA_DIR) + "/sites/" + campusFile);
    twin::WriterOptions o;
    o.overwrite = true;
    auto w = twin::StoreWriter::create(out, campus, o);
    twin::sim::Simulator s(campus, params);
    s.attach(*w);
    s.run(seconds);
    w->close();
    return s.summary();
}
