#include "support/quality_store.h"

#include "support/recordings.h"

#include "twin/query/data_quality.h"
#include "twin/sim/series.h"

#include <vector>

namespace testsupport {

using namespace twin;
namespace series = twin::sim::series;

QualityRecording recordWithQuality(const std::string& out) {
    QualityRecording r;
    r.path = out;
    auto params = sim::scenario("steady-training", 20);
    recordScenario("small.json", params, 20, out, [&](StoreWriter& w, const Campus& c, const sim::Params& p) {
        const auto code = [](query::DataQuality q) { return static_cast<float>(q); };
        // gpu_quality: the second rack's first GPU stale, the third rack's last GPU missing.
        std::vector<float> gpus(static_cast<std::size_t>(c.gpuCount()), code(query::DataQuality::Good));
        const Asset& stale = c.assets[c.racks().at(r.staleRack)];
        const Asset& missing = c.assets[c.racks().at(r.missingRack)];
        gpus[static_cast<std::size_t>(stale.gpuFirst)] = code(query::DataQuality::Stale);
        gpus[static_cast<std::size_t>(missing.gpuFirst + missing.gpuCount - 1)] = code(query::DataQuality::Missing);
        const SeriesSpec quality{"", AssetSet::Gpus, {}, {{"quality", "code", 1}}, 1000, 30, 16384, false};
        SeriesSpec gpuSpec = quality;
        gpuSpec.name = query::qualitySeriesName(series::Gpu::name);
        const int gpuQ = w.addSeries(gpuSpec);
        const std::span<const float> gpuValues[] = {gpus};
        w.writeFrame(gpuQ, p.start, gpuValues);

        // source_quality over the simulator's "source" assets in its order: turbines, Megapack
        // blocks, solar arrays, grid ties (each in campus order; the test compares the lists).
        std::vector<std::string> ids;
        std::vector<float> codes;
        for (AssetKind k : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie})
            for (AssetIndex a : c.assetsOfKind(k)) {
                query::DataQuality q = query::DataQuality::Good;
                if (k == AssetKind::Turbine && r.staleTurbine == kNoAsset) r.staleTurbine = a, q = query::DataQuality::Stale;
                else if (k == AssetKind::Turbine && r.goodTurbine == kNoAsset) r.goodTurbine = a;
                else if (k == AssetKind::MegapackBlock && r.missingBlock == kNoAsset)
                    r.missingBlock = a, q = query::DataQuality::Missing;
                ids.push_back(c.assets[a].id);
                codes.push_back(code(q));
            }
        SeriesSpec sourceSpec = quality;
        sourceSpec.name = query::qualitySeriesName(series::Source::name);
        sourceSpec.assetSet = AssetSet::List;
        sourceSpec.assets = ids;
        const int sourceQ = w.addSeries(sourceSpec);
        const std::span<const float> sourceValues[] = {codes};
        w.writeFrame(sourceQ, p.start, sourceValues);

        ids.clear();
        codes.clear();
        for (AssetIndex a : c.assetsOfKind(AssetKind::Bus)) {
            const bool first = r.staleBus == kNoAsset;
            if (first) r.staleBus = a;
            ids.push_back(c.assets[a].id);
            codes.push_back(code(first ? query::DataQuality::Stale : query::DataQuality::Good));
        }
        SeriesSpec busSpec = quality;
        busSpec.name = query::qualitySeriesName(series::Bus::name);
        busSpec.assetSet = AssetSet::List;
        busSpec.assets = ids;
        const int busQ = w.addSeries(busSpec);
        const std::span<const float> busValues[] = {codes};
        w.writeFrame(busQ, p.start, busValues);
    });
    return r;
}

} // namespace testsupport
