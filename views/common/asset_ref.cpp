#include "common/asset_ref.h"

namespace views {

AssetRef resolveAsset(const twin::Session& session, const std::string& id) {
    AssetRef ref;
    ref.name = QString::fromStdString(id);
    if (id.empty() || !session.isOpen()) return ref;
    const twin::Campus& campus = session.campus();
    if (const twin::AssetIndex a = campus.find(id); a != twin::kNoAsset) {
        ref.selection.asset = a;
        ref.kind = QString::fromUtf8(twin::assetKindName(campus.assets[a].kind));
        ref.name = QString::fromStdString(campus.assets[a].name);
    } else if (const auto gpu = campus.findGpu(id)) {
        ref.selection.gpu = *gpu;
        ref.kind = "gpu";
    } else {
        for (const twin::Job& job : session.reader().jobs())
            if (job.name == id) {
                ref.selection.job = job.id;
                ref.kind = "job";
                break;
            }
    }
    return ref;
}

QString selectionName(const twin::Session& session, const twin::Selection& s) {
    if (!session.isOpen() || s.empty()) return {};
    const twin::Campus& campus = session.campus();
    if (s.gpu >= 0) return QString::fromStdString(campus.gpuId(s.gpu));
    if (s.asset != twin::kNoAsset) return QString::fromStdString(campus.assets[s.asset].name);
    for (const twin::Job& job : session.reader().jobs())
        if (job.id == s.job) return QString::fromStdString(job.name);
    return {};
}

} // namespace views
