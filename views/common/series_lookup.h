// Finding a series and a quantity of it for views that read the simulator's series: by the
// constants of twin/sim/series.h (valuesAtClock<Gpu>(session, Gpu::Power)), or by name.
#pragma once

#include "twin/session/session.h"
#include "twin/sim/series.h"

#include <string>

namespace views {

const twin::SeriesInfo* seriesInfo(const twin::Session& session, const std::string& series);
// Index of a quantity in a series, -1 if the series or the quantity is absent.
int quantityIndex(const twin::Session& session, const std::string& series, const std::string& quantity);
// The values of one quantity of a series at the clock's time; nullptr if absent or not valid yet.
const std::vector<float>* valuesAtClock(const twin::Session& session, const std::string& series,
                                        const std::string& quantity);

// --- The same for the simulator's series ---
template <class Series>
const twin::SeriesInfo* seriesInfo(const twin::Session& session) {
    return seriesInfo(session, Series::name);
}
template <class Series>
int quantityIndex(const twin::Session& session, typename Series::Quantity q) {
    return quantityIndex(session, Series::name, twin::sim::series::quantityName<Series>(q));
}
template <class Series>
const std::vector<float>* valuesAtClock(const twin::Session& session, typename Series::Quantity q) {
    return valuesAtClock(session, Series::name, twin::sim::series::quantityName<Series>(q));
}
// The series' state at the clock's time, or nullptr.
template <class Series>
const twin::SeriesState* seriesAtClock(const twin::Session& session) {
    return session.series(Series::name);
}
// Position of an asset in the series, -1 if absent.
template <class Series>
std::int64_t positionIn(const twin::Session& session, twin::AssetIndex asset) {
    return session.positionIn(Series::name, asset);
}

} // namespace views
