#include "store_resume.h"

#include "codec.h"
#include "store_schema.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

namespace twin::writer {

namespace {

std::string num(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

// Field-by-field equality of the campus' parts (they are plain data).
auto fields(const Box& b) { return std::tie(b.cx, b.cy, b.cz, b.sx, b.sy, b.sz, b.yawDeg); }
bool same(const GpuModel& a, const GpuModel& b) { return std::tie(a.name, a.tdpW, a.peakTflops) == std::tie(b.name, b.tdpW, b.peakTflops); }
bool same(const RackType& a, const RackType& b) {
    return std::tie(a.name, a.gpuModel, a.gpusPerRack, a.ratedKw, a.idleKw) ==
           std::tie(b.name, b.gpuModel, b.gpusPerRack, b.ratedKw, b.idleKw);
}
bool same(const UnitModel& a, const UnitModel& b) {
    return std::tie(a.name, a.ratingMw, a.energyMwh, a.rampPctPerMin, a.minLoadPct, a.startS, a.inertiaS) ==
           std::tie(b.name, b.ratingMw, b.energyMwh, b.rampPctPerMin, b.minLoadPct, b.startS, b.inertiaS);
}
bool same(const Site& a, const Site& b) {
    return std::tie(a.asset, a.latDeg, a.lonDeg, a.originX, a.originY) == std::tie(b.asset, b.latDeg, b.lonDeg, b.originX, b.originY);
}
bool same(const Feed& a, const Feed& b) { return a.from == b.from && a.to == b.to; }
bool same(const Asset& a, const Asset& b) {
    return std::tie(a.id, a.name, a.kind, a.parent, a.site, a.model, a.units, a.ratingMw, a.energyMwh, a.voltageKv,
                    a.gpuFirst, a.gpuCount, a.commissionedMs) ==
               std::tie(b.id, b.name, b.kind, b.parent, b.site, b.model, b.units, b.ratingMw, b.energyMwh, b.voltageKv,
                        b.gpuFirst, b.gpuCount, b.commissionedMs) &&
           fields(a.box) == fields(b.box);
}

template <class T>
bool sameList(const std::vector<T>& a, const std::vector<T>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const T& x, const T& y) { return same(x, y); });
}

std::string describe(const Campus& c) {
    return "'" + c.name + "' (" + std::to_string(c.assets.size()) + " assets, " + std::to_string(c.gpuCount()) + " GPUs)";
}

// The frame's segment blob header, or an error naming the series and the time.
codec::SegmentHeader header(const sql::Db& db, const SeriesW& s, std::span<const std::uint8_t> blob, TimeMs t,
                            std::size_t count) {
    try {
        auto h = codec::readSegmentHeader(blob);
        if (h.quantities != static_cast<int>(s.spec.quantities.size()) || h.count != count) throw std::runtime_error("size");
        return h;
    } catch (const std::exception&) {
        throw Error(db.path(), "corrupted store: frame of series '" + s.spec.name + "' at " + formatUtc(t) +
                                   " is damaged; the store cannot be resumed");
    }
}

// A columnar series: its channels' signal ids, and the samples after each channel's last chunk
// (they exist only in the frames) as the open chunks the writer would have held.
void rebuildChannels(sql::Db& db, SeriesW& s) {
    const auto nq = s.spec.quantities.size();
    const auto nch = static_cast<std::size_t>(s.count) * nq;
    s.channelSignal.assign(nch, 0);
    s.channels.assign(nch, {});
    std::vector<TimeMs> chunkEnd(nch, std::numeric_limits<TimeMs>::min());
    {
        sql::Stmt q(db, "SELECT sg.id, sg.channel, (SELECT max(t1) FROM chunk WHERE signal = sg.id) "
                        "FROM signal sg WHERE sg.series = ?");
        q.bind(1, s.id);
        while (q.step()) {
            const auto c = q.i64(1);
            if (c < 0 || static_cast<std::size_t>(c) >= nch)
                throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' has a channel " + std::to_string(c));
            s.channelSignal[c] = static_cast<int>(q.i64(0));
            if (!q.isNull(2)) chunkEnd[c] = q.i64(2);
        }
    }
    if (std::count(s.channelSignal.begin(), s.channelSignal.end(), 0) > 0)
        throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' lacks signals of some channels");
    const TimeMs from = *std::min_element(chunkEnd.begin(), chunkEnd.end());
    if (from >= s.lastT) return;

    codec::Decompressor dec;
    std::vector<std::vector<std::int32_t>> key(nq, std::vector<std::int32_t>(s.count));
    std::vector<TimeMs> keyOf(s.segments, std::numeric_limits<TimeMs>::min());
    std::vector<std::int32_t> q(static_cast<std::size_t>(s.spec.segmentSize));
    sql::Stmt keyBlob(db, "SELECT data FROM frame WHERE series = ? AND seg = ? AND t = ?");
    sql::Stmt rows(db, "SELECT seg, t, key_t, data FROM frame WHERE series = ? AND t > ? ORDER BY t, seg");
    rows.bind(1, s.id).bind(2, from);
    while (rows.step()) {
        const auto g = static_cast<std::size_t>(rows.i64(0));
        const TimeMs t = rows.i64(1), kt = rows.i64(2);
        if (g >= s.segments) throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' has a segment " + std::to_string(g));
        const std::size_t lo = g * static_cast<std::size_t>(s.spec.segmentSize);
        const std::size_t n = std::min<std::size_t>(s.spec.segmentSize, s.count - lo);
        if (keyOf[g] != kt) {   // the segment of its key frame, decoded once per key frame
            std::span<const std::uint8_t> kb = rows.blob(3);
            if (t != kt) {
                keyBlob.bind(1, s.id).bind(2, static_cast<std::int64_t>(g)).bind(3, kt);
                if (!keyBlob.step())
                    throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' lacks its key frame at " + formatUtc(kt));
                kb = keyBlob.blob(0);
            }
            const auto h = header(db, s, kb, kt, n);
            for (std::size_t k = 0; k < nq; ++k) codec::decodeSegmentQuantity(dec, kb, h, static_cast<int>(k), nullptr, key[k].data() + lo);
            keyBlob.reset();
            keyOf[g] = kt;
        }
        const auto blob = rows.blob(3);
        const auto h = header(db, s, blob, t, n);
        for (std::size_t k = 0; k < nq; ++k) {
            const std::int32_t* v = key[k].data() + lo;
            if (t != kt) {
                codec::decodeSegmentQuantity(dec, blob, h, static_cast<int>(k), key[k].data() + lo, q.data());
                v = q.data();
            }
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t c = (lo + i) * nq + k;
                if (t <= chunkEnd[c]) continue;
                s.channels[c].t.push_back(t);
                s.channels[c].v.push_back(static_cast<double>(v[i]) * s.spec.quantities[k].precision);
            }
        }
    }
}

std::vector<JobW> loadJobs(sql::Db& db) {
    std::vector<JobW> jobs;
    sql::Stmt q(db, "SELECT id, name, gpus, step_period_s FROM job ORDER BY id");
    sql::Stmt r(db, "SELECT rack FROM job_rack WHERE job = ? ORDER BY rack");
    while (q.step()) {
        JobW j;
        j.id = static_cast<int>(q.i64(0));
        j.job = {j.id, q.text(1), {}, q.i64(2), q.f64(3)};
        r.bind(1, j.id);
        while (r.step()) j.job.racks.push_back(r.text(0));
        r.reset();
        jobs.push_back(std::move(j));
    }
    return jobs;
}

std::vector<SeriesW> loadSeries(sql::Db& db, const Campus& campus, const std::vector<JobW>& jobs) {
    std::vector<SeriesW> out;
    sql::Stmt q(db, "SELECT id, name, asset_set, asset_count, period_ms, key_interval, segment_size, columnar, "
                    "(SELECT max(t) FROM frame WHERE series = series.id AND seg = 0) FROM series ORDER BY id");
    sql::Stmt quantities(db, "SELECT quantity, unit, precision FROM series_quantity WHERE series = ? ORDER BY idx");
    sql::Stmt assets(db, "SELECT asset FROM series_asset WHERE series = ? ORDER BY pos");
    while (q.step()) {
        SeriesW s;
        s.id = static_cast<int>(q.i64(0));
        s.spec.name = q.text(1);
        const auto set = schema::assetSetFromName(q.text(2));
        if (!set) throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' has an unknown asset set");
        s.spec.assetSet = *set;
        s.count = q.i64(3);
        s.spec.periodMs = q.i64(4);
        s.spec.keyInterval = static_cast<int>(q.i64(5));
        s.spec.segmentSize = static_cast<int>(q.i64(6));
        s.spec.columnar = q.i64(7) != 0;
        if (!q.isNull(8)) s.lastT = q.i64(8);
        quantities.bind(1, s.id);
        while (quantities.step()) s.spec.quantities.push_back({quantities.text(0), quantities.text(1), quantities.f64(2)});
        quantities.reset();
        std::int64_t expected = 0;
        switch (s.spec.assetSet) {
        case AssetSet::Gpus: expected = campus.gpuCount(); break;
        case AssetSet::Racks:
            for (AssetIndex r : campus.racks()) s.assetIds.push_back(campus.assets[r].id);
            expected = static_cast<std::int64_t>(s.assetIds.size());
            break;
        case AssetSet::Jobs:
            for (const auto& j : jobs) s.assetIds.push_back(j.job.name);
            s.assetIds.resize(std::min<std::size_t>(s.assetIds.size(), static_cast<std::size_t>(std::max<std::int64_t>(s.count, 0))));
            expected = static_cast<std::int64_t>(s.assetIds.size());
            break;
        case AssetSet::List:
            assets.bind(1, s.id);
            while (assets.step()) s.assetIds.push_back(assets.text(0));
            assets.reset();
            s.spec.assets = s.assetIds;
            expected = static_cast<std::int64_t>(s.assetIds.size());
            break;
        }
        if (s.spec.quantities.empty() || s.count < 1 || s.count != expected || s.spec.segmentSize < 1 || s.spec.keyInterval < 1)
            throw Error(db.path(), "corrupted store: series '" + s.spec.name + "' does not match its campus, assets or quantities");
        s.segments = static_cast<std::size_t>((s.count + s.spec.segmentSize - 1) / s.spec.segmentSize);
        s.key.assign(s.spec.quantities.size(), std::vector<std::int32_t>(s.count));
        s.cur.assign(s.spec.quantities.size(), std::vector<std::int32_t>(s.count));
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<SignalW> loadSignals(sql::Db& db) {
    std::vector<SignalW> out;
    sql::Stmt q(db, "SELECT id, asset, quantity, unit, (SELECT max(t1) FROM chunk WHERE signal = signal.id) "
                    "FROM signal WHERE series IS NULL ORDER BY id");
    sql::Stmt rows(db, "SELECT t, value FROM sample WHERE signal = ? AND t > ? ORDER BY t");
    while (q.step()) {
        SignalW s;
        s.id = static_cast<int>(q.i64(0));
        s.asset = q.text(1);
        s.quantity = q.text(2);
        s.unit = q.text(3);
        if (!q.isNull(4)) s.lastT = q.i64(4);
        // Rows after the last chunk are the samples a writer had not chunked yet (or any
        // client's): they stay rows until the chunk that takes them is written.
        rows.bind(1, s.id).bind(2, s.lastT);
        while (rows.step()) {
            s.pending.t.push_back(rows.i64(0));
            s.pending.v.push_back(rows.f64(1));
        }
        rows.reset();
        s.pending.persisted = s.pending.t.size();
        if (!s.pending.t.empty()) s.lastT = s.pending.t.back();
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace

void checkResumable(sql::Db& db) {
    std::int64_t app = 0, version = 0;
    try {
        app = db.scalar("PRAGMA application_id");
        version = db.scalar("PRAGMA user_version");
    } catch (const Error& e) {
        throw Error(db.path(), "cannot be resumed: not a twin store (" + e.problem() + ")");
    }
    if (app != schema::kApplicationId) throw Error(db.path(), "cannot be resumed: not a twin store");
    // Older schemas are upgraded once the campus is known to match (schema::upgrade).
    if (version < 1 || version > kStoreSchemaVersion)
        throw Error(db.path(), "cannot be resumed: store schema version " + std::to_string(version) +
                                   ", this program writes version " + std::to_string(kStoreSchemaVersion));
}

std::string campusDifference(const Campus& a, const Campus& b) {
    if (a.name != b.name || a.assets.size() != b.assets.size() || a.gpuCount() != b.gpuCount())
        return "it holds campus " + describe(a) + ", not " + describe(b);
    for (std::size_t i = 0; i < a.assets.size(); ++i)
        if (!same(a.assets[i], b.assets[i]))
            return "its campus " + describe(a) + " differs at asset '" + a.assets[i].id + "'";
    const char* part = a.timezone != b.timezone                ? "time zone"
                       : !sameList(a.gpuModels, b.gpuModels)   ? "GPU models"
                       : !sameList(a.rackTypes, b.rackTypes)   ? "rack types"
                       : !sameList(a.unitModels, b.unitModels) ? "unit models"
                       : !sameList(a.sites, b.sites)           ? "sites"
                       : !sameList(a.feeds, b.feeds)           ? "electrical feeds"
                       : (a.fabric ? fabricSpecJson(*a.fabric) : "") != (b.fabric ? fabricSpecJson(*b.fabric) : "") ? "RDMA fabric"
                                                               : nullptr;
    return part ? "its campus " + describe(a) + " differs in its " + part : std::string();
}

std::string specDifference(const SeriesSpec& a, const SeriesSpec& b) {
    auto differs = [](const std::string& what, const std::string& stored, const std::string& given) {
        return what + " " + given + ", the store's " + stored;
    };
    if (a.assetSet != b.assetSet)
        return differs("asset set", std::string(schema::assetSetName(a.assetSet)), std::string(schema::assetSetName(b.assetSet)));
    if (a.assetSet == AssetSet::List && a.assets != b.assets) return "another list of assets than the store's";
    if (a.quantities.size() != b.quantities.size())
        return differs("quantities:", std::to_string(a.quantities.size()), std::to_string(b.quantities.size()));
    for (std::size_t k = 0; k < a.quantities.size(); ++k) {
        const Quantity &x = a.quantities[k], &y = b.quantities[k];
        if (x.name != y.name || x.unit != y.unit || x.precision != y.precision)
            return differs("quantity " + std::to_string(k), "'" + x.name + "' (" + x.unit + ", " + num(x.precision) + ")",
                           "'" + y.name + "' (" + y.unit + ", " + num(y.precision) + ")");
    }
    if (a.periodMs != b.periodMs) return differs("period", std::to_string(a.periodMs) + " ms", std::to_string(b.periodMs) + " ms");
    if (a.keyInterval != b.keyInterval) return differs("key interval", std::to_string(a.keyInterval), std::to_string(b.keyInterval));
    if (a.segmentSize != b.segmentSize) return differs("segment size", std::to_string(a.segmentSize), std::to_string(b.segmentSize));
    if (a.columnar != b.columnar) return differs("columnar", a.columnar ? "yes" : "no", b.columnar ? "yes" : "no");
    return {};
}

std::string jobDifference(const Job& a, const Job& b) {
    auto racks = b.racks;
    std::sort(racks.begin(), racks.end());
    racks.erase(std::unique(racks.begin(), racks.end()), racks.end());
    if (a.gpus != b.gpus || a.stepPeriodS != b.stepPeriodS || a.racks != racks)
        return "its GPUs, step period or racks differ from the store's";
    return {};
}

WriterState loadWriterState(sql::Db& db, const Campus& campus) {
    WriterState st;
    st.jobs = loadJobs(db);
    st.series = loadSeries(db, campus, st.jobs);
    for (auto& s : st.series) {
        if (!s.spec.columnar) continue;
        try {
            rebuildChannels(db, s);
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {   // the codec's own errors: a damaged blob
            throw Error(db.path(), "corrupted store: a frame of series '" + s.spec.name + "' is damaged (" + e.what() +
                                       "); the store cannot be resumed");
        }
    }
    st.signals = loadSignals(db);
    return st;
}

} // namespace twin::writer
