#include "store_schema.h"

#include <array>
#include <ctime>
#include <cstdio>

namespace twin {

std::string formatUtc(TimeMs t) {
    std::time_t secs = static_cast<std::time_t>(t >= 0 ? t / 1000 : (t - 999) / 1000);
    const int ms = static_cast<int>(t - static_cast<TimeMs>(secs) * 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

namespace {

// An enum's names indexed by its values (0, 1, ...): one table for both directions. A value
// outside the table (not a named enumerator) reads as `fallback`.
template <class E, std::size_t N>
std::string_view nameOf(const std::array<std::string_view, N>& names, E value, E fallback) {
    const auto i = static_cast<std::size_t>(value);
    return names[i < N ? i : static_cast<std::size_t>(fallback)];
}

template <class E, std::size_t N>
std::optional<E> valueNamed(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<E>(i);
    return std::nullopt;
}

constexpr std::array<std::string_view, 4> kSeverityNames{"info", "warning", "alarm", "critical"};
static_assert(static_cast<std::size_t>(Severity::Critical) + 1 == kSeverityNames.size());
constexpr std::array<std::string_view, 4> kAssetSetNames{"gpus", "racks", "list", "jobs"};
static_assert(static_cast<std::size_t>(AssetSet::Jobs) + 1 == kAssetSetNames.size());

} // namespace

std::string_view severityName(Severity s) { return nameOf(kSeverityNames, s, Severity::Info); }
std::optional<Severity> severityFromName(std::string_view n) { return valueNamed<Severity>(kSeverityNames, n); }

namespace schema {

std::string_view assetSetName(AssetSet s) { return nameOf(kAssetSetNames, s, AssetSet::List); }
std::optional<AssetSet> assetSetFromName(std::string_view n) { return valueNamed<AssetSet>(kAssetSetNames, n); }

void create(sql::Db& db) {
    db.exec(R"sql(
PRAGMA page_size = 65536;
PRAGMA journal_mode = WAL;
PRAGMA application_id = 1129600846;
PRAGMA user_version = 2;
BEGIN;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The expanded campus.
CREATE TABLE gpu_model(name TEXT PRIMARY KEY, tdp_w REAL NOT NULL, peak_tflops REAL NOT NULL);
CREATE TABLE rack_type(name TEXT PRIMARY KEY, gpu_model TEXT NOT NULL, gpus_per_rack INTEGER NOT NULL,
                       rated_kw REAL NOT NULL, idle_kw REAL NOT NULL);
CREATE TABLE unit_model(name TEXT PRIMARY KEY, rating_mw REAL NOT NULL, energy_mwh REAL NOT NULL,
                        ramp_pct_per_min REAL NOT NULL, min_load_pct REAL NOT NULL,
                        start_s REAL NOT NULL, inertia_s REAL NOT NULL);
CREATE TABLE asset(idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                   kind TEXT NOT NULL, parent INTEGER, site INTEGER,
                   cx REAL, cy REAL, cz REAL, sx REAL, sy REAL, sz REAL, yaw_deg REAL,
                   model TEXT NOT NULL DEFAULT '', units INTEGER NOT NULL DEFAULT 1,
                   rating_mw REAL NOT NULL DEFAULT 0, energy_mwh REAL NOT NULL DEFAULT 0,
                   voltage_kv REAL NOT NULL DEFAULT 0,
                   gpu_first INTEGER NOT NULL DEFAULT 0, gpu_count INTEGER NOT NULL DEFAULT 0,
                   commissioned_ms INTEGER);
CREATE TABLE site(asset INTEGER PRIMARY KEY, lat_deg REAL NOT NULL, lon_deg REAL NOT NULL,
                  origin_x REAL NOT NULL, origin_y REAL NOT NULL);
CREATE TABLE feed(src INTEGER NOT NULL, dst INTEGER NOT NULL);

-- Dense series and their frames.
CREATE TABLE series(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, asset_set TEXT NOT NULL,
                    asset_count INTEGER NOT NULL, period_ms INTEGER NOT NULL,
                    key_interval INTEGER NOT NULL, segment_size INTEGER NOT NULL,
                    columnar INTEGER NOT NULL);
CREATE TABLE series_quantity(series INTEGER NOT NULL, idx INTEGER NOT NULL, quantity TEXT NOT NULL,
                             unit TEXT NOT NULL, precision REAL NOT NULL, PRIMARY KEY(series, idx));
CREATE TABLE series_asset(series INTEGER NOT NULL, pos INTEGER NOT NULL, asset TEXT NOT NULL,
                          PRIMARY KEY(series, pos));
CREATE TABLE frame(series INTEGER NOT NULL, seg INTEGER NOT NULL, t INTEGER NOT NULL,
                   key_t INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(series, seg, t));

-- Scalar signals: compressed chunks (this library's writer) and plain rows (anyone).
CREATE TABLE signal(id INTEGER PRIMARY KEY, asset TEXT NOT NULL, quantity TEXT NOT NULL,
                    unit TEXT NOT NULL, series INTEGER, channel INTEGER, UNIQUE(asset, quantity));
CREATE TABLE chunk(signal INTEGER NOT NULL, t0 INTEGER NOT NULL, t1 INTEGER NOT NULL,
                   n INTEGER NOT NULL, v_min REAL NOT NULL, v_max REAL NOT NULL,
                   v_first REAL NOT NULL, v_last REAL NOT NULL, v_sum REAL NOT NULL, data BLOB NOT NULL,
                   PRIMARY KEY(signal, t0));
CREATE INDEX chunk_t1 ON chunk(t1);
-- Long ranges read only the summaries: a covering index keeps them dense (no chunk data pages).
CREATE INDEX chunk_summary ON chunk(signal, t0, t1, n, v_min, v_max, v_first, v_last, v_sum);
CREATE TABLE sample(signal INTEGER NOT NULL, t INTEGER NOT NULL, value REAL NOT NULL,
                    PRIMARY KEY(signal, t)) WITHOUT ROWID;
CREATE INDEX sample_t ON sample(t);

-- Training jobs (a series with asset set 'jobs' has one channel per job, in id order).
CREATE TABLE job(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, gpus INTEGER NOT NULL,
                 step_period_s REAL NOT NULL);
CREATE TABLE job_rack(job INTEGER NOT NULL, rack TEXT NOT NULL, PRIMARY KEY(job, rack));

-- Events and bookmarks.
CREATE TABLE event(id INTEGER PRIMARY KEY, t_start INTEGER NOT NULL, t_end INTEGER,
                   severity TEXT NOT NULL CHECK(severity IN ('info','warning','alarm','critical')),
                   asset TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '', text TEXT NOT NULL);
CREATE INDEX event_start ON event(t_start);
CREATE TABLE bookmark(id INTEGER PRIMARY KEY, t INTEGER NOT NULL, name TEXT NOT NULL,
                      note TEXT NOT NULL DEFAULT '');
COMMIT;
)sql");
}

bool hasAssetCommissioning(sql::Db& db) {
    return db.scalar("SELECT count(*) FROM pragma_table_info('asset') WHERE name = 'commissioned_ms'") > 0;
}

void upgrade(sql::Db& db) {
    const auto version = db.scalar("PRAGMA user_version");
    if (version >= kStoreSchemaVersion) return;
    db.exec("BEGIN IMMEDIATE");
    try {
        if (!hasAssetCommissioning(db)) db.exec("ALTER TABLE asset ADD COLUMN commissioned_ms INTEGER");
        db.exec("PRAGMA user_version = " + std::to_string(kStoreSchemaVersion));
        db.exec("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '" +
                std::to_string(kStoreSchemaVersion) + "')");
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

void saveCampus(sql::Db& db, const Campus& c) {
    db.exec("BEGIN");
    {
        sql::Stmt meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        meta.bind(1, "campus_name").bind(2, c.name).run();
        meta.bind(1, "timezone").bind(2, c.timezone).run();
        if (c.fabric) meta.bind(1, "fabric").bind(2, fabricSpecJson(*c.fabric)).run();

        sql::Stmt g(db, "INSERT INTO gpu_model VALUES(?, ?, ?)");
        for (const auto& m : c.gpuModels) g.bind(1, m.name).bind(2, m.tdpW).bind(3, m.peakTflops).run();
        sql::Stmt r(db, "INSERT INTO rack_type VALUES(?, ?, ?, ?, ?)");
        for (const auto& t : c.rackTypes)
            r.bind(1, t.name).bind(2, t.gpuModel).bind(3, t.gpusPerRack).bind(4, t.ratedKw).bind(5, t.idleKw).run();
        sql::Stmt u(db, "INSERT INTO unit_model VALUES(?, ?, ?, ?, ?, ?, ?)");
        for (const auto& m : c.unitModels)
            u.bind(1, m.name).bind(2, m.ratingMw).bind(3, m.energyMwh).bind(4, m.rampPctPerMin)
                .bind(5, m.minLoadPct).bind(6, m.startS).bind(7, m.inertiaS).run();

        sql::Stmt a(db, "INSERT INTO asset VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (std::size_t i = 0; i < c.assets.size(); ++i) {
            const Asset& x = c.assets[i];
            a.bind(1, static_cast<std::int64_t>(i)).bind(2, x.id).bind(3, x.name).bind(4, assetKindName(x.kind));
            if (x.parent == kNoAsset) a.bindNull(5); else a.bind(5, x.parent);
            if (x.site == kNoAsset) a.bindNull(6); else a.bind(6, x.site);
            a.bind(7, x.box.cx).bind(8, x.box.cy).bind(9, x.box.cz).bind(10, x.box.sx).bind(11, x.box.sy)
                .bind(12, x.box.sz).bind(13, x.box.yawDeg).bind(14, x.model).bind(15, x.units)
                .bind(16, x.ratingMw).bind(17, x.energyMwh).bind(18, x.voltageKv)
                .bind(19, x.gpuFirst).bind(20, x.gpuCount);
            if (x.commissionedMs == kAlwaysCommissioned) a.bindNull(21); else a.bind(21, x.commissionedMs);
            a.run();
        }
        sql::Stmt s(db, "INSERT INTO site VALUES(?, ?, ?, ?, ?)");
        for (const auto& x : c.sites)
            s.bind(1, x.asset).bind(2, x.latDeg).bind(3, x.lonDeg).bind(4, x.originX).bind(5, x.originY).run();
        sql::Stmt f(db, "INSERT INTO feed VALUES(?, ?)");
        for (const auto& x : c.feeds) f.bind(1, x.from).bind(2, x.to).run();
    }
    db.exec("COMMIT");
}

Campus loadCampus(sql::Db& db) {
    Campus c;
    {
        sql::Stmt m(db, "SELECT key, value FROM meta WHERE key IN ('campus_name', 'timezone', 'fabric')");
        while (m.step()) {
            if (m.text(0) == "fabric") c.fabric = fabricSpecFromJson(m.text(1), db.path());
            else (m.text(0) == "campus_name" ? c.name : c.timezone) = m.text(1);
        }
    }
    {
        sql::Stmt g(db, "SELECT name, tdp_w, peak_tflops FROM gpu_model");
        while (g.step()) c.gpuModels.push_back({g.text(0), g.f64(1), g.f64(2)});
        sql::Stmt r(db, "SELECT name, gpu_model, gpus_per_rack, rated_kw, idle_kw FROM rack_type");
        while (r.step())
            c.rackTypes.push_back({r.text(0), r.text(1), static_cast<int>(r.i64(2)), r.f64(3), r.f64(4)});
        sql::Stmt u(db, "SELECT name, rating_mw, energy_mwh, ramp_pct_per_min, min_load_pct, start_s, "
                        "inertia_s FROM unit_model");
        while (u.step())
            c.unitModels.push_back({u.text(0), u.f64(1), u.f64(2), u.f64(3), u.f64(4), u.f64(5), u.f64(6)});
    }
    {
        // Schema 1 has no commissioned_ms: its assets have always been there.
        const bool dated = hasAssetCommissioning(db);
        sql::Stmt a(db, std::string("SELECT idx, id, name, kind, parent, site, cx, cy, cz, sx, sy, sz, yaw_deg, model, "
                                    "units, rating_mw, energy_mwh, voltage_kv, gpu_first, gpu_count, ") +
                            (dated ? "commissioned_ms" : "NULL") + " FROM asset ORDER BY idx");
        while (a.step()) {
            if (a.i64(0) != static_cast<std::int64_t>(c.assets.size()))
                throw Error(db.path(), "corrupted store: asset indices are not contiguous");
            Asset x;
            x.id = a.text(1);
            x.name = a.text(2);
            const auto kind = assetKindFromName(a.text(3));
            if (!kind) throw Error(db.path(), "corrupted store: unknown asset kind '" + a.text(3) + "'");
            x.kind = *kind;
            x.parent = a.isNull(4) ? kNoAsset : static_cast<AssetIndex>(a.i64(4));
            x.site = a.isNull(5) ? kNoAsset : static_cast<AssetIndex>(a.i64(5));
            x.box = {a.f64(6), a.f64(7), a.f64(8), a.f64(9), a.f64(10), a.f64(11), a.f64(12)};
            x.model = a.text(13);
            x.units = static_cast<int>(a.i64(14));
            x.ratingMw = a.f64(15);
            x.energyMwh = a.f64(16);
            x.voltageKv = a.f64(17);
            x.gpuFirst = a.i64(18);
            x.gpuCount = a.i64(19);
            x.commissionedMs = a.isNull(20) ? kAlwaysCommissioned : a.i64(20);
            c.assets.push_back(std::move(x));
        }
        const auto n = static_cast<std::int64_t>(c.assets.size());
        auto inRange = [n](std::int64_t i) { return i == kNoAsset || (i >= 0 && i < n); };
        for (const auto& x : c.assets)
            if (!inRange(x.parent) || !inRange(x.site))
                throw Error(db.path(), "corrupted store: asset '" + x.id + "' refers to a missing asset");
        sql::Stmt s(db, "SELECT asset, lat_deg, lon_deg, origin_x, origin_y FROM site ORDER BY asset");
        while (s.step()) {
            if (!inRange(s.i64(0))) throw Error(db.path(), "corrupted store: site refers to a missing asset");
            c.sites.push_back({static_cast<AssetIndex>(s.i64(0)), s.f64(1), s.f64(2), s.f64(3), s.f64(4)});
        }
        sql::Stmt f(db, "SELECT src, dst FROM feed");
        while (f.step()) {
            if (!inRange(f.i64(0)) || !inRange(f.i64(1)))
                throw Error(db.path(), "corrupted store: a feed refers to a missing asset");
            c.feeds.push_back({static_cast<AssetIndex>(f.i64(0)), static_cast<AssetIndex>(f.i64(1))});
        }
    }
    c.index();
    return c;
}

} // namespace schema
} // namespace twin
