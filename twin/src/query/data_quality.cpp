#include "twin/query/data_quality.h"

#include <cmath>

namespace twin::query {

namespace {
constexpr std::string_view kSuffix = "_quality";
}

std::string qualitySeriesName(std::string_view series) { return std::string(series) + std::string(kSuffix); }

bool isQualitySeries(std::string_view name) {
    return name.size() > kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix;
}

DataQuality qualityFromCode(float code) {
    if (code == 0.f) return DataQuality::Good;
    if (code == 1.f) return DataQuality::Stale;
    return DataQuality::Missing;   // 2, and anything a writer should not have written
}

const char* qualityWord(DataQuality q) {
    switch (q) {
    case DataQuality::Good: return "good";
    case DataQuality::Stale: return "stale";
    case DataQuality::Missing: return "missing";
    }
    return "missing";
}

DataQuality qualityAt(const SeriesState* quality, std::int64_t position) {
    if (!quality) return DataQuality::Good;
    if (!quality->valid || quality->values.empty() || position < 0 ||
        position >= static_cast<std::int64_t>(quality->values[0].size()))
        return DataQuality::Missing;
    return qualityFromCode(quality->values[0][static_cast<std::size_t>(position)]);
}

void rackQualities(const Campus& campus, const SeriesState* rackQuality, const SeriesState* gpuQuality,
                   std::vector<DataQuality>& out) {
    out.clear();
    if (!rackQuality && !gpuQuality) return;
    const auto& racks = campus.racks();
    out.assign(racks.size(), DataQuality::Good);
    if (rackQuality) {
        for (std::size_t r = 0; r < racks.size(); ++r) out[r] = qualityAt(rackQuality, static_cast<std::int64_t>(r));
        return;
    }
    if (!gpuQuality->valid || gpuQuality->values.empty()) {
        out.assign(racks.size(), DataQuality::Missing);
        return;
    }
    const std::vector<float>& codes = gpuQuality->values[0];
    const auto n = static_cast<std::int64_t>(codes.size());
    for (std::size_t r = 0; r < racks.size(); ++r) {
        const Asset& a = campus.assets[racks[r]];
        DataQuality q = DataQuality::Good;
        for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount && q != DataQuality::Missing; ++g)
            q = worse(q, g < n ? qualityFromCode(codes[static_cast<std::size_t>(g)]) : DataQuality::Missing);
        out[r] = q;
    }
}

QualityCounts countQualities(const SeriesState* quality) {
    QualityCounts c;
    if (!quality || !quality->valid || quality->values.empty()) return c;
    for (float code : quality->values[0]) {
        switch (qualityFromCode(code)) {
        case DataQuality::Good: ++c.good; break;
        case DataQuality::Stale: ++c.stale; break;
        case DataQuality::Missing: ++c.missing; break;
        }
    }
    return c;
}

} // namespace twin::query
