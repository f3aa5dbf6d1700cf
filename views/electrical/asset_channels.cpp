#include "electrical/asset_channels.h"

#include "common/asset_ref.h"

namespace views {

using namespace twin;

std::vector<AssetChannel> assetChannels(Session& session, const Selection& sel) {
    std::vector<AssetChannel> out;
    if (!session.isOpen() || sel.empty()) return out;
    StoreReader& r = session.reader();
    // Labels use the id (short: "GT-01"); the menu says the full name.
    const QString name = sel.gpu >= 0 ? QString::fromStdString(session.campus().gpuId(sel.gpu))
                         : sel.asset != kNoAsset ? QString::fromStdString(session.campus().assets[sel.asset].id)
                                                 : selectionName(session, sel);
    for (const auto& s : r.series()) {
        std::int64_t pos = -1;
        switch (s.spec.assetSet) {
        case AssetSet::Gpus: pos = sel.gpu; break;
        case AssetSet::Jobs:
            for (std::size_t i = 0; i < r.jobs().size(); ++i)
                if (r.jobs()[i].id == sel.job) pos = static_cast<std::int64_t>(i);
            break;
        default:
            if (sel.gpu < 0 && sel.asset != kNoAsset) pos = session.positionIn(s.spec.name, sel.asset);
        }
        if (pos < 0 || pos >= s.assetCount) continue;
        for (std::size_t q = 0; q < s.spec.quantities.size(); ++q) {
            const auto& quantity = s.spec.quantities[q];
            if (quantity.unit == "code") continue;
            const int id = s.id, qi = static_cast<int>(q);
            out.push_back({name + " " + QString::fromStdString(quantity.name), QString::fromStdString(quantity.name),
                           QString::fromStdString(quantity.unit),
                           [&r, id, qi, pos](TimeMs a, TimeMs b, int n) { return r.seriesRange(id, qi, pos, a, b, n); }});
        }
    }
    // Scalar signals recorded under the asset's id (plain `sample` rows from any SQLite client too).
    if (sel.asset != kNoAsset && sel.gpu < 0) {
        const std::string& id = session.campus().assets[sel.asset].id;
        for (const auto& sig : r.signalCatalogue()) {
            if (sig.series != 0 || sig.asset != id) continue;
            const int signal = sig.id;
            out.push_back({name + " " + QString::fromStdString(sig.quantity), QString::fromStdString(sig.quantity),
                           QString::fromStdString(sig.unit),
                           [&r, signal](TimeMs a, TimeMs b, int n) { return r.signalRange(signal, a, b, n); }});
        }
    }
    return out;
}

} // namespace views
