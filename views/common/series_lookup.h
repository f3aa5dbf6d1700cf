// Finding a series and a quantity of it by name, for views that read the simulator's series
// ("gpu", "rack", "hall", "job", "island": twin/include/twin/sim/simulator.h).
#pragma once

#include "twin/session/session.h"

#include <string>

namespace views {

const twin::SeriesInfo* seriesInfo(const twin::Session& session, const std::string& series);
// Index of a quantity in a series, -1 if the series or the quantity is absent.
int quantityIndex(const twin::Session& session, const std::string& series, const std::string& quantity);
// The values of one quantity of a series at the clock's time; nullptr if absent or not valid yet.
const std::vector<float>* valuesAtClock(const twin::Session& session, const std::string& series,
                                        const std::string& quantity);

} // namespace views
