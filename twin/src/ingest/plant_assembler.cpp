#include "twin/ingest/plant_assembler.h"

#include "twin/ingest/frame_assembler.h"
#include "twin/sim/series.h"
#include "twin/sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace twin::ingest {

PlantAssembler::PlantAssembler(const PlantLayout& layout, const PlantMap& map, TimeMs jsonStaleAfterMs)
    : layout_(layout), jsonStaleAfterMs_(jsonStaleAfterMs)
{
    held_.resize(sim::kPlantSeriesCount);
    std::vector<bool> written(sim::kPlantSeriesCount, false);
    for (int s = 0; s < sim::kPlantSeriesCount; ++s) {
        const auto spec = sim::plantSeriesSpec(static_cast<sim::PlantSeries>(s), layout.campus(), sim::PlantAssets{}, 1000);
        held_[s].assign(spec.quantities.size(), std::vector<Held>(layout.seriesAssets(s).size()));
        // A pattern row may name any asset with its quantity: every series having it may be filled.
        for (const PlantMapRow& r : map.rows())
            if (r.asset.find('*') != std::string::npos)
                for (const Quantity& q : spec.quantities)
                    if (q.name == r.quantity && !layout.seriesAssets(s).empty()) written[s] = true;
    }
    for (const PlantMatch& m : map.literalTargets()) {
        Held& h = held(m.target);
        if (h.mapped) continue;   // the first row naming it sets its stale limit
        h.mapped = true;
        h.staleAfterMs = staleLimit(m);
        written[m.target.series] = true;
    }
    for (int s = 0; s < sim::kPlantSeriesCount; ++s)
        if (written[s]) written_.push_back(s);
}

bool PlantAssembler::apply(const PlantMatch& match, TimeMs t, double value, PlantCounts& counts,
                           const std::string& source)
{
    const double v = value * match.scale + match.offset;
    if (!std::isfinite(v) || std::abs(v) >= 1e9) {
        ++counts.invalid;
        counts.error(source + ": value " + std::to_string(value) + " is not a finite number in range");
        return false;
    }
    Held& h = held(match.target);
    if (!h.mapped) {   // an asset reached through a pattern row: its limit comes with its first value
        h.mapped = true;
        h.staleAfterMs = staleLimit(match);
    }
    if (h.t != kNever && t < h.t) {
        ++counts.outOfOrder;
        counts.error(source + ": sample at " + formatUtc(t) + " is older than the one held (" + formatUtc(h.t) + ")");
        return false;
    }
    h.t = t;
    h.value = v;
    h.dead = false;
    ++counts.recorded;
    return true;
}

void PlantAssembler::markDead(const PlantTarget& target) { held(target).dead = true; }

void PlantAssembler::snapshot(TimeMs t, PlantFrame& out) const
{
    out.t = t;
    out.series.resize(written_.size());
    std::vector<std::uint8_t> worst(layout_.campus().assets.size(), 0);   // by campus asset: code + 1
    for (std::size_t k = 0; k < written_.size(); ++k) {
        const int s = written_[k];
        PlantSeriesFrame& f = out.series[k];
        f.series = s;
        const std::size_t n = layout_.seriesAssets(s).size();
        f.values.resize(held_[s].size());
        f.quality.assign(n, -1.0f);
        for (std::size_t q = 0; q < held_[s].size(); ++q) {
            f.values[q].resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                const Held& h = held_[s][q][i];
                f.values[q][i] = h.t == kNever ? 0.0f : static_cast<float>(h.value);
                if (!h.mapped) continue;
                Quality code = Quality::Good;
                if (h.t == kNever) code = Quality::Missing;
                else if (h.dead || (h.staleAfterMs > 0 && t - h.t > h.staleAfterMs)) code = Quality::Stale;
                f.quality[i] = std::max(f.quality[i], static_cast<float>(code));
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (f.quality[i] < 0) continue;   // the map names nothing of it: missing, not counted
            auto& w = worst[layout_.seriesAssets(s)[i]];
            w = std::max<std::uint8_t>(w, static_cast<std::uint8_t>(f.quality[i]) + 1);
        }
        for (float& c : f.quality)
            if (c < 0) c = static_cast<float>(Quality::Missing);
    }
    out.good = out.stale = out.missing = 0;
    for (std::uint8_t w : worst) {
        if (w == 1) ++out.good;
        else if (w == 2) ++out.stale;
        else if (w == 3) ++out.missing;
    }
}

SeriesSpec qualitySeriesSpec(const SeriesSpec& recorded)
{
    SeriesSpec q = recorded;
    q.name = recorded.name + "_quality";
    q.quantities = {{"quality", "code", 1}};
    // Not columnar: channels are signals named (asset, quantity), and "quality" of an asset would
    // clash between the series it is in (a turbine is in "source" and "turbine").
    q.columnar = false;
    return q;
}

PlantSeriesWriter::PlantSeriesWriter(StoreWriter& store, const PlantAssembler& assembler, TimeMs periodMs)
    : store_(store), layout_(assembler.layout())
{
    const PlantLayout& layout = assembler.layout();
    for (int s : assembler.writtenSeries()) {
        const auto spec = sim::plantSeriesSpec(static_cast<sim::PlantSeries>(s), layout.campus(), layout.seriesAssets(s), periodMs);
        const int id = store.addSeries(spec);
        ids_.emplace_back(id, store.addSeries(qualitySeriesSpec(spec)));
    }
}

void PlantSeriesWriter::write(const PlantFrame& frame)
{
    for (std::size_t k = 0; k < frame.series.size() && k < ids_.size(); ++k) {
        const PlantSeriesFrame& f = frame.series[k];
        std::vector<std::span<const float>> values(f.values.begin(), f.values.end());
        store_.writeFrame(ids_[k].first, frame.t, values);
        const std::span<const float> quality[] = {f.quality};
        store_.writeFrame(ids_[k].second, frame.t, quality);
    }
    writeEvents(frame);
}

void PlantSeriesWriter::open(const std::string& kind, Severity severity, const std::string& asset,
                             const std::string& text, TimeMs t)
{
    const auto key = std::pair(kind, asset);
    if (open_.count(key)) return;
    Event e;
    e.start = t;
    e.severity = severity;
    e.asset = asset;
    e.kind = kind;
    e.text = text;
    open_[key] = store_.addEvent(e);
}

void PlantSeriesWriter::close(const std::string& kind, const std::string& asset, TimeMs t)
{
    const auto it = open_.find({kind, asset});
    if (it == open_.end()) return;
    store_.endEvent(it->second, t);
    open_.erase(it);
}

void PlantSeriesWriter::writeEvents(const PlantFrame& frame)
{
    using sim::SourceState;
    const Campus& c = layout_.campus();
    bool anyStale = false;
    std::string firstStale;
    for (const PlantSeriesFrame& f : frame.series) {
        const auto& assets = layout_.seriesAssets(f.series);
        for (std::size_t i = 0; i < f.quality.size() && i < assets.size(); ++i)
            if (f.quality[i] == static_cast<float>(Quality::Stale)) {
                if (!anyStale) firstStale = c.assets[assets[i]].name;
                anyStale = true;
            }
        if (f.series != static_cast<int>(sim::PlantSeries::Source)) continue;
        lastState_.resize(assets.size(), -1);
        for (std::size_t i = 0; i < assets.size(); ++i) {
            if (f.quality[i] != static_cast<float>(Quality::Good)) continue;   // unknown, not changed
            const int state = static_cast<int>(std::lround(f.values[sim::series::Source::State][i]));
            const int was = lastState_[i];
            lastState_[i] = state;
            if (state == was) continue;
            const Asset& a = c.assets[assets[i]];
            const auto is = [&](SourceState s) { return state == static_cast<int>(s); };
            if (a.kind == AssetKind::Turbine) {
                if (is(SourceState::Tripped)) open("turbine_trip", Severity::Alarm, a.id, a.name + " tripped (received state)", frame.t);
                if (is(SourceState::Online)) close("turbine_trip", a.id, frame.t);
            }
            const std::string fault = a.kind == AssetKind::MegapackBlock ? "megapack_fault" : "source_fault";
            if (is(SourceState::Faulted)) open(fault, Severity::Alarm, a.id, a.name + ": faulted (received state)", frame.t);
            else close(fault, a.id, frame.t);
            if (a.kind == AssetKind::GridTie) {
                if (is(SourceState::Offline) && was == static_cast<int>(SourceState::Online))
                    open("grid_interruption", Severity::Alarm, a.id, a.name + ": supply interrupted (received state)", frame.t);
                if (is(SourceState::Online)) close("grid_interruption", a.id, frame.t);
            }
        }
    }
    if (anyStale)
        open("plant_data_stale", Severity::Warning, "", "Plant data stale from " + firstStale + " (node or device died, or no update)",
             frame.t);
    else
        close("plant_data_stale", "", frame.t);
}

} // namespace twin::ingest
