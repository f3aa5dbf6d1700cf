#include "common/series_lookup.h"

namespace views {

const twin::SeriesInfo* seriesInfo(const twin::Session& session, const std::string& series) {
    if (!session.isOpen()) return nullptr;
    for (const auto& s : session.reader().series())
        if (s.spec.name == series) return &s;
    return nullptr;
}

int quantityIndex(const twin::Session& session, const std::string& series, const std::string& quantity) {
    const twin::SeriesInfo* info = seriesInfo(session, series);
    if (!info) return -1;
    for (std::size_t q = 0; q < info->spec.quantities.size(); ++q)
        if (info->spec.quantities[q].name == quantity) return static_cast<int>(q);
    return -1;
}

const std::vector<float>* valuesAtClock(const twin::Session& session, const std::string& series,
                                        const std::string& quantity) {
    const int q = quantityIndex(session, series, quantity);
    const twin::SeriesState* s = session.series(series);
    if (q < 0 || !s || !s->valid || static_cast<std::size_t>(q) >= s->values.size()) return nullptr;
    return &s->values[static_cast<std::size_t>(q)];
}

} // namespace views
