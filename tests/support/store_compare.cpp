#include "support/store_compare.h"

#include <limits>

namespace testsupport {

namespace {
constexpr twin::TimeMs kAll0 = std::numeric_limits<twin::TimeMs>::min() / 2;
constexpr twin::TimeMs kAll1 = std::numeric_limits<twin::TimeMs>::max() / 2;
}

std::size_t frameCount(twin::StoreReader& s) {
    std::size_t n = 0;
    for (const auto& info : s.series()) n += s.frameTimes(info.id, kAll0, kAll1).size();
    return n;
}

std::string storeDifference(twin::StoreReader& a, twin::StoreReader& b) {
    if (a.campus().assets.size() != b.campus().assets.size() || a.campus().name != b.campus().name)
        return "campus differs";
    for (std::size_t i = 0; i < a.campus().assets.size(); ++i) {
        const twin::Asset &x = a.campus().assets[i], &y = b.campus().assets[i];
        if (x.id != y.id || x.kind != y.kind || x.ratingMw != y.ratingMw || x.gpuCount != y.gpuCount)
            return "campus differs at asset '" + x.id + "'";
        if (x.commissionedMs != y.commissionedMs) return "commissioning of asset '" + x.id + "' differs";
    }
    if (a.series().size() != b.series().size()) return "series count differs";
    if (a.signalCatalogue().size() != b.signalCatalogue().size())
        return "signal count differs: " + std::to_string(a.signalCatalogue().size()) + " vs " +
               std::to_string(b.signalCatalogue().size());
    std::vector<std::vector<std::int32_t>> qa, qb;
    for (const auto& s : a.series()) {
        const int other = b.findSeries(s.spec.name);
        if (other != s.id) return "series '" + s.spec.name + "' missing or renumbered";
        const auto ta = a.frameTimes(s.id, kAll0, kAll1), tb = b.frameTimes(s.id, kAll0, kAll1);
        if (ta != tb)
            return "series '" + s.spec.name + "': " + std::to_string(ta.size()) + " vs " + std::to_string(tb.size()) +
                   " frames (or other times)";
        for (auto t : ta) {
            a.frameQuantised(s.id, t, qa);
            b.frameQuantised(s.id, t, qb);
            if (qa != qb) return "series '" + s.spec.name + "': frame at " + twin::formatUtc(t) + " differs";
        }
    }
    std::vector<twin::TimeMs> xa, xb;
    std::vector<double> va, vb;
    for (const auto& g : a.signalCatalogue()) {
        if (b.findSignal(g.asset, g.quantity) != g.id) return "signal " + g.asset + " " + g.quantity + " missing";
        a.signalSamples(g.id, kAll0, kAll1, xa, va);
        b.signalSamples(g.id, kAll0, kAll1, xb, vb);
        if (xa != xb || va != vb)
            return "signal " + g.asset + " " + g.quantity + ": " + std::to_string(xa.size()) + " vs " +
                   std::to_string(xb.size()) + " samples (or other values)";
    }
    const auto ea = a.events(kAll0, kAll1), eb = b.events(kAll0, kAll1);
    if (ea.size() != eb.size()) return "events: " + std::to_string(ea.size()) + " vs " + std::to_string(eb.size());
    for (std::size_t i = 0; i < ea.size(); ++i)
        if (ea[i].id != eb[i].id || ea[i].start != eb[i].start || ea[i].end != eb[i].end ||
            ea[i].severity != eb[i].severity || ea[i].asset != eb[i].asset || ea[i].kind != eb[i].kind ||
            ea[i].text != eb[i].text)
            return "event " + std::to_string(ea[i].id) + " differs";
    const auto& ja = a.jobs();
    const auto& jb = b.jobs();
    if (ja.size() != jb.size()) return "jobs: " + std::to_string(ja.size()) + " vs " + std::to_string(jb.size());
    for (std::size_t i = 0; i < ja.size(); ++i)
        if (ja[i].id != jb[i].id || ja[i].name != jb[i].name || ja[i].racks != jb[i].racks || ja[i].gpus != jb[i].gpus)
            return "job '" + ja[i].name + "' differs";
    const auto ba = a.bookmarks(), bb = b.bookmarks();
    if (ba.size() != bb.size()) return "bookmarks: " + std::to_string(ba.size()) + " vs " + std::to_string(bb.size());
    for (std::size_t i = 0; i < ba.size(); ++i)
        if (ba[i].t != bb[i].t || ba[i].name != bb[i].name || ba[i].note != bb[i].note)
            return "bookmark '" + ba[i].name + "' differs";
    return {};
}

} // namespace testsupport
