// Recordings: a scenario simulated on a campus file of data/sites into a store.
#pragma once

#include "twin/campus.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <functional>
#include <string>

namespace testsupport {

// Simulates `params` for `seconds` on data/sites/`campusFile` into the store `out` (replaced if
// there); `beforeClose` may add to the store (events, bookmarks) before it is closed.
twin::sim::Summary recordScenario(
    const std::string& campusFile, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose = {});

} // namespace testsupport
