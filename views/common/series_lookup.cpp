#include "common/series_lookup.h"

#include "twin/query/series_query.h"

namespace views {

const twin::SeriesInfo* seriesInfo(const twin::Session& session, const std::string& series) {
    return session.isOpen() ? twin::query::seriesNamed(session.reader(), series) : nullptr;
}

int quantityIndex(const twin::Session& session, const std::string& series, const std::string& quantity) {
    const twin::SeriesInfo* info = seriesInfo(session, series);
    return info ? twin::query::quantityIndex(*info, quantity) : -1;
}

const std::vector<float>* valuesAtClock(const twin::Session& session, const std::string& series,
                                        const std::string& quantity) {
    const int q = quantityIndex(session, series, quantity);
    const twin::SeriesState* s = session.series(series);
    if (q < 0 || !s || !s->valid || static_cast<std::size_t>(q) >= s->values.size()) return nullptr;
    return &s->values[static_cast<std::size_t>(q)];
}

} // namespace views
