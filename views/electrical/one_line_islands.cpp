#include "electrical/one_line_islands.h"

#include "common/hmi_colours.h"

#include "twin/error.h"
#include "twin/query/electrical_signals.h"
#include "twin/query/events_query.h"
#include "twin/sim/simulator.h"

#include <cmath>

using twin::AssetIndex;
using twin::AssetKind;
using twin::kNoAsset;

namespace views {

namespace {

namespace series = twin::sim::series;
using twin::query::Channel;
using twin::query::DataQuality;

// The channel's value in the state at the clock's time.
bool readAt(const twin::CampusState& state, const Channel& c, double& out) {
    if (c.empty()) return false;
    for (const twin::SeriesState& s : state.series) {
        if (s.series != c.series) continue;
        if (!s.valid || c.quantity < 0 || c.quantity >= static_cast<int>(s.values.size())) return false;
        const auto& v = s.values[static_cast<std::size_t>(c.quantity)];
        if (c.position < 0 || c.position >= static_cast<std::int64_t>(v.size())) return false;
        out = v[static_cast<std::size_t>(c.position)];
        return true;
    }
    return false;
}

// The quality of a channel's value: Good where the store records no quality, Missing where it
// does but has no value at the time.
DataQuality qualityAt(const twin::CampusState& state, const Channel& quality) {
    if (quality.empty()) return DataQuality::Good;
    double code = 0;
    return readAt(state, quality, code) ? twin::query::qualityFromCode(static_cast<float>(code)) : DataQuality::Missing;
}

} // namespace

IslandFigureReader::IslandFigureReader(const twin::Session& session, const OneLineLayout& layout) : campus_(&session.campus()) {
    const twin::StoreReader& r = session.reader();
    const twin::Campus& campus = session.campus();
    using twin::query::findChannel;
    using twin::query::qualitySeriesName;
    laneOfAsset_.assign(campus.assets.size(), -1);
    for (const OneLineNode& n : layout.nodes) laneOfAsset_[static_cast<std::size_t>(n.asset)] = n.lane;
    const twin::query::ElectricalSignals electrical = twin::query::electricalSignals(r);
    for (std::size_t i = 0; i < layout.lanes.size(); ++i) {
        const OneLineLane& l = layout.lanes[i];
        Lane lane;
        lane.title = l.title.isEmpty() ? QString("Island") : l.title;
        AssetIndex firstBus = kNoAsset;
        for (AssetIndex a : l.assets) {
            const AssetKind k = campus.assets[static_cast<std::size_t>(a)].kind;
            if (k == AssetKind::Bus && firstBus == kNoAsset) firstBus = a;
            if (!twin::isSource(k)) continue;
            Source s{k, findChannel<series::Source>(r, series::Source::Power, a), findChannel<series::Source>(r, series::Source::State, a),
                     k == AssetKind::MegapackBlock ? findChannel<series::Megapack>(r, series::Megapack::Soc, a) : Channel{},
                     findChannel(r, qualitySeriesName(series::Source::name), "quality", a),
                     k == AssetKind::Turbine ? findChannel<series::Fuel>(r, series::Fuel::Co2, a) : Channel{}, a};
            lane.sources.push_back(s);
        }
        // The island series names one bus per island: the lane holding it has its figures.
        AssetIndex bus = firstBus;
        for (const twin::query::IslandSignals& is : electrical.islands)
            if (is.bus != kNoAsset && laneOfAsset_[static_cast<std::size_t>(is.bus)] == static_cast<int>(i)) {
                bus = is.bus;
                lane.load = is.load;
                lane.generation = is.generation;
                break;
            }
        if (bus != kNoAsset) {
            lane.frequency = findChannel<series::Bus>(r, series::Bus::Frequency, bus);
            lane.frequencyQuality = findChannel(r, qualitySeriesName(series::Bus::name), "quality", bus);
        }
        lanes_.push_back(std::move(lane));
    }
}

int IslandFigureReader::laneOf(AssetIndex a) const {
    // Up the containment tree (GPU -> rack -> row -> hall) to an asset the diagram draws.
    for (int guard = 0; a != kNoAsset && a >= 0 && a < static_cast<AssetIndex>(laneOfAsset_.size()) && guard < 16; ++guard) {
        if (laneOfAsset_[static_cast<std::size_t>(a)] >= 0) return laneOfAsset_[static_cast<std::size_t>(a)];
        a = campus_->assets[static_cast<std::size_t>(a)].parent;
    }
    return -1;
}

std::vector<IslandFigures> IslandFigureReader::read(twin::Session& session) const {
    std::vector<IslandFigures> out;
    if (!session.isOpen()) return out;
    const twin::CampusState& state = session.state();
    for (const Lane& lane : lanes_) {
        IslandFigures f;
        f.title = lane.title;
        double v = 0;
        if (readAt(state, lane.frequency, v)) f.frequencyHz = v;
        f.frequencyQuality = qualityAt(state, lane.frequencyQuality);
        if (readAt(state, lane.load, v)) f.loadMw = v;
        if (readAt(state, lane.generation, v)) f.generationMw = v;
        double generated = 0, mpPower = 0, soc = 0, co2 = 0;
        int withPower = 0, mpWithPower = 0, withSoc = 0, withCo2 = 0;
        for (const Source& s : lane.sources) {
            // The build-out: a source not commissioned at the clock's time is not there yet.
            if (s.asset != kNoAsset && !session.commissioned(s.asset)) continue;
            const bool megapack = s.kind == AssetKind::MegapackBlock;
            const DataQuality quality = qualityAt(state, s.quality);
            twin::query::DataQuality& q = megapack ? f.megapackQuality : f.sourceQuality;
            q = twin::query::worse(q, quality);
            // A missing value is a writer's placeholder: left out, as the details leave it out.
            const bool missing = quality == DataQuality::Missing;
            double power = 0, code = 0;
            const bool hasPower = !missing && readAt(state, s.power, power);
            const bool hasState = !missing && readAt(state, s.state, code);
            const int c = hasState ? static_cast<int>(std::lround(code)) : -1;
            if (hasPower) generated += power, ++withPower;
            if (!missing && readAt(state, s.co2, v)) co2 += v, ++withCo2;
            if (hmi::isAlarmState(c)) ++f.tripped;
            if (megapack) {
                ++f.megapacks;
                if (hasPower) mpPower += power, ++mpWithPower;
                if (!missing && readAt(state, s.soc, v)) soc += v, ++withSoc;
            } else {
                ++f.sources;
                if (c == static_cast<int>(twin::sim::SourceState::Online)) ++f.running;
            }
        }
        if (!f.generationMw && lane.generation.empty() && withPower > 0) f.generationMw = generated;
        f.quality = twin::query::worse(f.frequencyQuality, twin::query::worse(f.sourceQuality, f.megapackQuality));
        if (mpWithPower > 0) f.megapackMw = mpPower;
        if (withSoc > 0) f.megapackSocPct = soc / withSoc;
        if (withCo2 > 0) f.co2TPerH = co2;
        out.push_back(std::move(f));
    }
    // Alarms: the active events of alarm severity, on the island of their asset.
    try {
        const twin::Campus& campus = session.campus();
        for (const twin::Event& e : twin::query::activeEventsAt(session.reader(), session.clock().time(), twin::Severity::Alarm)) {
            const int lane = e.asset.empty() ? -1 : laneOf(campus.find(e.asset));
            if (lane >= 0 && lane < static_cast<int>(out.size())) ++out[static_cast<std::size_t>(lane)].alarms;
        }
    } catch (const twin::Error&) {
        // A reader without the events index (not from StoreReader::open): no alarm counts.
    }
    return out;
}

} // namespace views
