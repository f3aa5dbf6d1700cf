// Reading a parametric campus file (data/sites/*.json) and expanding it into a Campus.
// The format and the expansion rules are documented in docs/campus.md.
#include "twin/campus_file.h"

#include "json_text.h"

#include "twin/error.h"
#include "twin/fabric.h"
#include "twin/utc_time.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <unordered_map>
#include <utility>

namespace twin {

namespace {

using json = nlohmann::json;

constexpr const char* kFormat = "colossus-twin-campus";
// 1: the first; 2: adds `commissioned` (the build-out). Both are read; a version 1 file may not
// use what version 2 added, so that a build that reads only version 1 refuses it by its version.
constexpr long long kVersion = 2;
constexpr double kPi = 3.14159265358979323846;
constexpr double kEarthRadiusM = 6371000.0;   // mean radius
constexpr double kM2PerSqFt = 0.09290304;
constexpr double kM2PerAcre = 4046.8564224;
constexpr long long kMaxCount = 1'000'000;    // any single count in the file
constexpr std::size_t kMaxAssets = 4'000'000; // the whole expansion
constexpr const char* kDot = " \xC2\xB7 ";    // " · " between the parts of a readable name

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A JSON value, briefly, for "expected X, got Y" messages.
std::string describe(const json& j)
{
    switch (j.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::null: return "null";
    default: {
        std::string s = j.dump();
        if (s.size() > 40) s = s.substr(0, 37) + "...";
        return s;
    }
    }
}

// "05": zero-padded to two digits, or to as many as the largest number of its group needs.
std::string padded(long long n, long long groupSize)
{
    std::string s = std::to_string(n);
    const std::size_t width = std::max<std::size_t>(2, std::to_string(groupSize).size());
    if (s.size() < width) s.insert(0, width - s.size(), '0');
    return s;
}

// One JSON object of the file and the path that names it in error messages
// ("sites[0].buildings[1].halls[0].rows"). Every accessor checks presence, type and range.
class Obj {
public:
    Obj(const json& j, std::string path, const std::string& file)
        : j_(&j), path_(std::move(path)), file_(&file)
    {
        if (!j.is_object()) fail("expected an object, got " + describe(j));
    }

    const std::string& path() const { return path_; }
    std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(*file_, path_.empty() ? what : path_ + ": " + what);
    }
    [[noreturn]] void fail(const char* key, const std::string& what) const
    {
        throw Error(*file_, at(key) + ": " + what);
    }

    bool has(const char* key) const { return j_->contains(key); }

    // Rejects misspelt fields. Keys starting with '_' and "note" are free-form comments.
    void allowOnly(std::initializer_list<const char*> keys) const
    {
        for (auto it = j_->begin(); it != j_->end(); ++it) {
            const std::string& k = it.key();
            if ((!k.empty() && k[0] == '_') || k == "note") continue;
            if (std::none_of(keys.begin(), keys.end(), [&](const char* a) { return k == a; }))
                fail(k.c_str(), "unknown field");
        }
    }

    std::string str(const char* key) const { return toStr(key, need(key)); }
    std::string str(const char* key, const std::string& def) const
    {
        const json* v = find(key);
        return v ? toStr(key, *v) : def;
    }

    // An id as written in the file: lowercase letters, digits, '-' and '_'.
    std::string id(const char* key = "id") const { return checkId(key, str(key)); }
    std::string id(const char* key, const std::string& def) const
    {
        return has(key) ? checkId(key, str(key)) : def;
    }

    double number(const char* key) const { return toNum(at(key), need(key)); }
    double number(const char* key, double def) const
    {
        const json* v = find(key);
        return v ? toNum(at(key), *v) : def;
    }
    double positive(const char* key) const { return checkPositive(at(key), number(key)); }
    double positive(const char* key, double def) const
    {
        return has(key) ? checkPositive(at(key), number(key)) : def;
    }
    double nonNegative(const char* key, double def) const
    {
        const double v = number(key, def);
        if (v < 0) fail(key, "must not be negative, got " + num(v));
        return v;
    }

    int count(const char* key) const { return toCount(at(key), need(key)); }
    int count(const char* key, int def) const
    {
        const json* v = find(key);
        return v ? toCount(at(key), *v) : def;
    }

    // An array of exactly def.size() positive numbers, or def when absent (def empty: required).
    std::vector<double> numbers(const char* key, std::size_t n, bool positiveOnly,
                                std::vector<double> def = {}) const
    {
        const json* v = find(key);
        if (!v) {
            if (def.empty()) fail(key, "missing required field");
            return def;
        }
        if (!v->is_array() || v->size() != n)
            fail(key, "expected an array of " + std::to_string(n) + " numbers, got " + describe(*v));
        std::vector<double> out;
        for (std::size_t i = 0; i < n; ++i) {
            const std::string p = at(key) + "[" + std::to_string(i) + "]";
            const double x = toNum(p, (*v)[i]);
            out.push_back(positiveOnly ? checkPositive(p, x) : x);
        }
        return out;
    }

    std::vector<int> counts(const char* key, std::size_t n, std::vector<int> def) const
    {
        const json* v = find(key);
        if (!v) return def;
        if (!v->is_array() || v->size() != n)
            fail(key, "expected an array of " + std::to_string(n) + " integers, got " + describe(*v));
        std::vector<int> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back(toCount(at(key) + "[" + std::to_string(i) + "]", (*v)[i]));
        return out;
    }

    // A reference or a list of references: "mv-a" or ["mv-a", "mv-b"].
    std::vector<std::string> refs(const char* key) const
    {
        const json& v = need(key);
        std::vector<std::string> out;
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        } else if (v.is_array() && !v.empty()) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (!v[i].is_string())
                    throw Error(*file_, at(key) + "[" + std::to_string(i) + "]: expected a string, got " +
                                            describe(v[i]));
                out.push_back(v[i].get<std::string>());
            }
        } else {
            fail(key, "expected a string or a non-empty array of strings, got " + describe(v));
        }
        for (const std::string& s : out)
            if (s.empty()) fail(key, "empty reference");
        return out;
    }

    // `commissioned` (docs/campus.md, "Build-out"): absent (always there), one ISO-8601 UTC date or
    // date-time for every unit of the entry, or stages [{"count": N, "date": D}, ...] taking the
    // entry's units in their numbering order, counts adding up to `units`. Returns a date per
    // unit, none earlier than `floor` (what contains the entry).
    std::vector<TimeMs> commissioning(int units, TimeMs floor, const char* unitWord) const
    {
        const char* key = "commissioned";
        std::vector<TimeMs> out(static_cast<std::size_t>(units), floor);
        const json* v = find(key);
        if (!v) return out;
        if (v->is_string()) {
            const TimeMs t = std::max(floor, toDate(at(key), *v));
            std::fill(out.begin(), out.end(), t);
            return out;
        }
        if (!v->is_array() || v->empty())
            fail(key, "expected a date (\"2026-01-17\", \"2026-01-17T08:00:00Z\") or a non-empty array of "
                      "{\"count\", \"date\"} stages, got " + describe(*v));
        long long done = 0;
        for (std::size_t i = 0; i < v->size(); ++i) {
            const Obj stage((*v)[i], at(key) + "[" + std::to_string(i) + "]", *file_);
            stage.allowOnly({"count", "date"});
            const int n = stage.count("count");
            const TimeMs t = std::max(floor, stage.toDate(stage.at("date"), stage.need("date")));
            for (int k = 0; k < n && done + k < units; ++k) out[static_cast<std::size_t>(done + k)] = t;
            done += n;
        }
        if (done != units)
            fail(key, "the stages' counts add up to " + std::to_string(done) + ", but the entry has " +
                          std::to_string(units) + " " + unitWord);
        return out;
    }
    // The same for an entry that is one unit: a date string only.
    TimeMs commissioningDate(TimeMs floor) const
    {
        const json* v = find("commissioned");
        if (!v) return floor;
        return std::max(floor, toDate(at("commissioned"), *v));
    }

    Obj obj(const char* key) const { return Obj(need(key), at(key), *file_); }
    std::optional<Obj> optObj(const char* key) const
    {
        const json* v = find(key);
        if (!v) return std::nullopt;
        return Obj(*v, at(key), *file_);
    }

    // An array of objects; absent means empty unless required.
    std::vector<Obj> objs(const char* key, bool required) const
    {
        const json* v = find(key);
        std::vector<Obj> out;
        if (!v) {
            if (required) fail(key, "missing required field");
            return out;
        }
        if (!v->is_array()) fail(key, "expected an array, got " + describe(*v));
        if (required && v->empty()) fail(key, "must not be empty");
        for (std::size_t i = 0; i < v->size(); ++i)
            out.emplace_back((*v)[i], at(key) + "[" + std::to_string(i) + "]", *file_);
        return out;
    }

private:
    const json* find(const char* key) const
    {
        const auto it = j_->find(key);
        return it == j_->end() ? nullptr : &*it;
    }
    const json& need(const char* key) const
    {
        const json* v = find(key);
        if (!v) fail(key, "missing required field");
        return *v;
    }
    std::string toStr(const char* key, const json& v) const
    {
        if (!v.is_string()) fail(key, "expected a string, got " + describe(v));
        return v.get<std::string>();
    }
    double toNum(const std::string& path, const json& v) const
    {
        if (!v.is_number()) throw Error(*file_, path + ": expected a number, got " + describe(v));
        return v.get<double>();
    }
    int toCount(const std::string& path, const json& v) const
    {
        if (!v.is_number_integer()) throw Error(*file_, path + ": expected an integer, got " + describe(v));
        if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(kMaxCount))
            throw Error(*file_, path + ": too large, got " + describe(v));
        const long long n = v.get<long long>();
        if (n <= 0) throw Error(*file_, path + ": must be positive, got " + std::to_string(n));
        if (n > kMaxCount) throw Error(*file_, path + ": too large, got " + std::to_string(n));
        return static_cast<int>(n);
    }
    TimeMs toDate(const std::string& path, const json& v) const
    {
        const auto t = v.is_string() ? parseUtcTime(v.get<std::string>()) : std::nullopt;
        if (!t)
            throw Error(*file_, path + ": expected an ISO-8601 UTC date (\"2026-01-17\") or date-time "
                                       "(\"2026-01-17T08:00:00Z\"), got " + describe(v));
        return *t;
    }
    double checkPositive(const std::string& path, double v) const
    {
        if (!(v > 0)) throw Error(*file_, path + ": must be positive, got " + num(v));
        return v;
    }
    std::string checkId(const char* key, const std::string& s) const
    {
        const bool ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        });
        if (!ok) fail(key, "invalid id '" + s + "' (use lowercase letters, digits, '-' and '_')");
        return s;
    }

    const json* j_;
    std::string path_;
    const std::string* file_;
};

// A building's local frame: u along the building's own x axis, v along its y, origin at its
// centre, rotated by yawDeg (counter-clockwise seen from above) and placed in the campus frame.
struct Frame {
    double ox = 0, oy = 0, yawDeg = 0, c = 1, s = 0;
    Frame(double x, double y, double yaw)
        : ox(x), oy(y), yawDeg(yaw), c(std::cos(yaw * kPi / 180)), s(std::sin(yaw * kPi / 180))
    {
    }
    Box box(double u, double v, double sx, double sy, double sz) const
    {
        Box b;
        b.cx = ox + c * u - s * v;
        b.cy = oy + s * u + c * v;
        b.cz = sz / 2;
        b.sx = sx;
        b.sy = sy;
        b.sz = sz;
        b.yawDeg = yawDeg;
        return b;
    }
};

struct FeederSpec {
    int count = 0;
    double mw = 0;
    std::vector<std::string> buses;
    std::string path;
};

struct RowSpec {
    int count = 0, racks = 0, columns = 1;
    std::size_t rackType = 0;
    double rackPitch = 0, rowPitch = 0, columnGap = 0;
    std::vector<TimeMs> dates;         // per row: its own commissioning (the hall's applies too)
    std::string path;
};

struct HallSpec {
    std::string prefix, name, path;
    int count = 1;
    std::vector<TimeMs> dates;         // per hall of the entry: its commissioning
    RowSpec rows;
    FeederSpec feeders;
};

struct FeederRequest {
    AssetIndex target = kNoAsset; // the hall or cooling plant fed
    std::string stem;             // "hall3" -> feeder ids ".../hall3-f1"
    FeederSpec spec;
};

struct SiteCtx {
    std::string id, name;
    TimeMs date = kAlwaysCommissioned;
    AssetIndex asset = kNoAsset;
    double ox = 0, oy = 0;
    std::unordered_map<std::string, AssetIndex> buses; // bus id (unique per site) -> asset
    std::unordered_map<std::string, std::string> busPaths;
    std::unordered_map<std::string, int> hallNumbers;  // hall id prefix -> last number used
    std::vector<FeederRequest> feeders;
};

// A bus reference waiting for every bus of every site to exist.
struct PendingLink {
    std::size_t site = 0;
    std::string ref;     // "mv-a" (same site) or "southaven/hv" (another site)
    AssetIndex asset = kNoAsset;
    bool busSupplies = false; // bus -> asset (feeders, transformer primaries); else asset -> bus
    std::string path;
};

struct RackSize {
    double w = 0, d = 0, h = 0;
};

struct UnitInfo {
    bool storage = false;
    double sx = 0, sy = 0, sz = 0;
};

class Expander {
public:
    explicit Expander(const std::string& file) : file_(file) {}

    Campus run(const json& root)
    {
        const Obj top(root, "", file_);
        top.allowOnly({"format", "version", "name", "timezone", "gpu_models", "rack_types", "unit_models", "sites", "fabric"});
        const std::string format = top.str("format");
        if (format != kFormat)
            top.fail("format", "expected \"" + std::string(kFormat) + "\", got \"" + format + "\"");
        const long long version = top.count("version");
        if (version > kVersion)
            top.fail("version", "unsupported version " + std::to_string(version) + " (this build reads versions 1 to " +
                                    std::to_string(kVersion) + ")");
        if (version < 2)
            if (const auto where = firstKey(root, "commissioned", ""))
                throw Error(file_, *where + ": commissioning dates need version 2 of the format (the file says version " +
                                       std::to_string(version) + ")");
        c_.name = top.str("name");
        if (c_.name.empty()) top.fail("name", "must not be empty");
        c_.timezone = top.str("timezone");
        if (c_.timezone.empty()) top.fail("timezone", "must not be empty");

        gpuModels(top);
        rackTypes(top);
        unitModels(top);

        const auto sites = top.objs("sites", true);
        sites_.reserve(sites.size());
        for (const Obj& so : sites) site(so);

        resolveLinks();
        c_.index();
        checkDuplicates();
        checkSupply();
        if (top.has("fabric")) fabric(top.obj("fabric"));
        return std::move(c_);
    }

private:
    // ---- the RDMA fabric (docs/fabric.md): parameters, checked against the campus ----------

    void fabric(const Obj& o)
    {
        o.allowOnly({"gpus_per_server", "nic_gbps", "servers_per_leaf", "servers_per_pod", "spines_per_pod",
                     "leaf_uplink_gbps", "core_planes", "cores_per_plane", "spine_uplink_gbps", "switch_ports_800g",
                     "switch_model", "optics"});
        FabricSpec f;
        f.gpusPerServer = o.count("gpus_per_server", f.gpusPerServer);
        f.nicGbps = o.positive("nic_gbps", f.nicGbps);
        f.serversPerLeaf = o.count("servers_per_leaf", f.serversPerLeaf);
        f.serversPerPod = o.count("servers_per_pod", f.serversPerPod);
        f.spinesPerPod = o.count("spines_per_pod", f.spinesPerPod);
        f.leafUplinkGbps = o.positive("leaf_uplink_gbps", f.leafUplinkGbps);
        f.corePlanes = o.count("core_planes", f.corePlanes);
        f.coresPerPlane = o.count("cores_per_plane", f.coresPerPlane);
        f.spineUplinkGbps = o.positive("spine_uplink_gbps", f.spineUplinkGbps);
        f.switchPorts800g = o.count("switch_ports_800g", f.switchPorts800g);
        f.switchModel = o.str("switch_model", f.switchModel);
        f.optics = o.str("optics", f.optics);
        c_.fabric = f;
        expandFabric(c_, f, file_);   // the checks against the racks and halls
    }

    // The JSON path of the first `key` in `j` (comments, keys starting with '_', skipped).
    static std::optional<std::string> firstKey(const json& j, const char* key, const std::string& path)
    {
        if (j.is_object()) {
            for (auto it = j.begin(); it != j.end(); ++it) {
                if (!it.key().empty() && it.key()[0] == '_') continue;
                const std::string p = path.empty() ? it.key() : path + "." + it.key();
                if (it.key() == key) return p;
                if (auto found = firstKey(*it, key, p)) return found;
            }
        } else if (j.is_array()) {
            for (std::size_t i = 0; i < j.size(); ++i)
                if (auto found = firstKey(j[i], key, path + "[" + std::to_string(i) + "]")) return found;
        }
        return std::nullopt;
    }

    // ---- models -------------------------------------------------------------------------

    void gpuModels(const Obj& top)
    {
        for (const Obj& o : top.objs("gpu_models", true)) {
            o.allowOnly({"name", "tdp_w", "bf16_tflops"});
            GpuModel m;
            m.name = modelName(o);
            if (c_.gpuModel(m.name)) o.fail("name", "duplicate gpu model '" + m.name + "'");
            m.tdpW = o.positive("tdp_w");
            m.peakTflops = o.positive("bf16_tflops");
            c_.gpuModels.push_back(m);
        }
    }

    void rackTypes(const Obj& top)
    {
        for (const Obj& o : top.objs("rack_types", true)) {
            o.allowOnly({"name", "gpu_model", "gpus", "rated_kw", "idle_kw", "size_m"});
            RackType t;
            t.name = modelName(o);
            if (c_.rackType(t.name)) o.fail("name", "duplicate rack type '" + t.name + "'");
            t.gpuModel = o.str("gpu_model");
            if (!c_.gpuModel(t.gpuModel)) o.fail("gpu_model", "unknown gpu model '" + t.gpuModel + "'");
            t.gpusPerRack = o.count("gpus");
            t.ratedKw = o.positive("rated_kw");
            t.idleKw = o.nonNegative("idle_kw", 0);
            if (t.idleKw > t.ratedKw)
                o.fail("idle_kw", "must not exceed rated_kw (" + num(t.idleKw) + " > " + num(t.ratedKw) + ")");
            const auto size = o.numbers("size_m", 3, true, {0.6, 1.2, 2.3});
            c_.rackTypes.push_back(t);
            rackSizes_.push_back({size[0], size[1], size[2]});
        }
    }

    void unitModels(const Obj& top)
    {
        for (const Obj& o : top.objs("unit_models", true)) {
            o.allowOnly({"name", "type", "mw", "mwh", "ramp_pct_per_min", "min_load_pct", "start_s", "inertia_s",
                         "size_m"});
            UnitModel m;
            m.name = modelName(o);
            if (c_.unitModel(m.name)) o.fail("name", "duplicate unit model '" + m.name + "'");
            const std::string type = o.str("type");
            UnitInfo info;
            m.ratingMw = o.positive("mw");
            if (type == "turbine") {
                m.rampPctPerMin = o.positive("ramp_pct_per_min");
                m.minLoadPct = o.nonNegative("min_load_pct", 0);
                if (m.minLoadPct >= 100) o.fail("min_load_pct", "must be below 100, got " + num(m.minLoadPct));
                m.startS = o.nonNegative("start_s", 0);
                m.inertiaS = o.positive("inertia_s");
                const auto size = o.numbers("size_m", 3, true, {15, 4, 5});
                info = {false, size[0], size[1], size[2]};
            } else if (type == "storage") {
                m.energyMwh = o.positive("mwh");
                const auto size = o.numbers("size_m", 3, true, {1.65, 8.8, 2.8});
                info = {true, size[0], size[1], size[2]};
            } else {
                o.fail("type", "expected \"turbine\" or \"storage\", got \"" + type + "\"");
            }
            c_.unitModels.push_back(m);
            unitInfo_.push_back(info);
        }
    }

    static std::string modelName(const Obj& o)
    {
        std::string name = o.str("name");
        if (name.empty()) o.fail("name", "must not be empty");
        return name;
    }

    // ---- sites ------------------------------------------------------------------------

    void site(const Obj& so)
    {
        so.allowOnly({"id", "name", "address", "anchor", "buildings", "substations", "grid_ties", "turbines",
                      "megapacks", "solar", "commissioned"});
        const std::size_t si = sites_.size();
        SiteCtx& sc = sites_.emplace_back();
        sc.id = so.id();
        sc.name = so.str("name");
        if (so.has("address")) (void)so.str("address");
        sc.date = so.commissioningDate(kAlwaysCommissioned);

        const Obj an = so.obj("anchor");
        an.allowOnly({"lat", "lon"});
        const double lat = an.number("lat");
        const double lon = an.number("lon");
        if (lat < -85 || lat > 85) an.fail("lat", "latitude out of range, got " + num(lat));
        if (lon < -180 || lon > 180) an.fail("lon", "longitude out of range, got " + num(lon));
        if (si == 0) {
            lat0_ = lat;
            lon0_ = lon;
        }
        // Equirectangular projection about the first site's latitude: fine over tens of km.
        double dlon = lon - lon0_;
        if (dlon > 180) dlon -= 360;
        if (dlon < -180) dlon += 360;
        sc.ox = dlon * kPi / 180 * kEarthRadiusM * std::cos(lat0_ * kPi / 180);
        sc.oy = (lat - lat0_) * kPi / 180 * kEarthRadiusM;

        Asset a = make(AssetKind::Site, sc.id, sc.name, kNoAsset, kNoAsset);
        sc.asset = static_cast<AssetIndex>(c_.assets.size());
        a.site = sc.asset;
        a.commissionedMs = sc.date;
        add(std::move(a), entry(so.path()));
        Site s;
        s.asset = sc.asset;
        s.latDeg = lat;
        s.lonDeg = lon;
        s.originX = sc.ox;
        s.originY = sc.oy;
        c_.sites.push_back(s);

        const std::int64_t gpu0 = gpuNext_;
        double itMw = 0;
        for (const Obj& bo : so.objs("buildings", false)) itMw += building(bo, si);
        for (const Obj& o : so.objs("substations", false)) substation(o, si);
        for (const Obj& o : so.objs("grid_ties", false)) gridTie(o, si);
        for (const Obj& o : so.objs("turbines", false)) unitGroup(o, si, false);
        for (const Obj& o : so.objs("megapacks", false)) unitGroup(o, si, true);
        for (const Obj& o : so.objs("solar", false)) solar(o, si);
        emitFeeders(si);

        Asset& sa = c_.assets[sc.asset];
        sa.gpuFirst = gpu0;
        sa.gpuCount = gpuNext_ - gpu0;
        sa.ratingMw = itMw;
        sa.box = bounds(sc.asset + 1, static_cast<AssetIndex>(c_.assets.size()), sc.ox, sc.oy);
    }

    // Returns the building's rated IT power, MW.
    double building(const Obj& bo, std::size_t si)
    {
        bo.allowOnly({"id", "name", "at", "footprint", "height_m", "yaw_deg", "hall_grid", "halls", "cooling",
                      "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string bid = bo.id();
        const auto at = bo.numbers("at", 2, false);
        const auto [sx, sy] = footprint(bo.obj("footprint"));
        const double h = bo.positive("height_m", 12);
        const Frame f(sc.ox + at[0], sc.oy + at[1], bo.number("yaw_deg", 0));

        Asset b = make(AssetKind::Building, sc.id + "/" + bid, sc.name + kDot + bo.str("name", bid), sc.asset,
                       sc.asset);
        b.box = f.box(0, 0, sx, sy, h);
        b.commissionedMs = bo.commissioningDate(sc.date);
        const TimeMs buildingDate = b.commissionedMs;
        const std::string buildingId = b.id, buildingName = b.name;
        const AssetIndex bi = add(std::move(b), entry(bo.path()));
        const std::int64_t gpu0 = gpuNext_;

        std::vector<HallSpec> specs;
        int total = 0;
        for (const Obj& ho : bo.objs("halls", false)) {
            specs.push_back(hallSpec(ho, buildingDate));
            total += specs.back().count;
        }
        const auto grid = bo.counts("hall_grid", 2, {std::max(total, 1), 1});
        if (static_cast<long long>(grid[0]) * grid[1] < total)
            bo.fail("hall_grid", std::to_string(total) + " halls do not fit a grid of " + std::to_string(grid[0]) +
                                     " x " + std::to_string(grid[1]));
        const double su = sx / grid[0], sv = sy / grid[1];
        int slot = 0;
        double itMw = 0;
        for (const HallSpec& hs : specs) {
            for (int k = 0; k < hs.count; ++k, ++slot) {
                const int col = slot % grid[0], line = slot / grid[0];
                const double u = -sx / 2 + (col + 0.5) * su;
                const double v = sy / 2 - (line + 0.5) * sv;
                itMw += hall(hs, si, bi, f, u, v, su * 0.96, sv * 0.96, h, hs.dates[static_cast<std::size_t>(k)]);
            }
        }
        c_.assets[bi].gpuCount = gpuNext_ - gpu0;
        c_.assets[bi].ratingMw = itMw;

        if (const auto co = bo.optObj("cooling"))
            cooling(*co, si, bi, buildingId, buildingName, bid, f, sx, sy, buildingDate);
        return itMw;
    }

    std::pair<double, double> footprint(const Obj& fo) const
    {
        fo.allowOnly({"size_m", "area_sqft", "area_acres", "area_m2", "aspect"});
        if (fo.has("size_m")) {
            const auto s = fo.numbers("size_m", 2, true);
            return {s[0], s[1]};
        }
        double area = 0;
        int given = 0;
        if (fo.has("area_sqft")) area = fo.positive("area_sqft") * kM2PerSqFt, ++given;
        if (fo.has("area_acres")) area = fo.positive("area_acres") * kM2PerAcre, ++given;
        if (fo.has("area_m2")) area = fo.positive("area_m2"), ++given;
        if (given != 1) fo.fail("needs either size_m or exactly one of area_sqft, area_acres, area_m2");
        const double aspect = fo.positive("aspect", 1.0); // east-west length over north-south depth
        const double sx = std::sqrt(area * aspect);
        return {sx, area / sx};
    }

    HallSpec hallSpec(const Obj& ho, TimeMs buildingDate) const
    {
        ho.allowOnly({"id", "name", "count", "rows", "feeders", "commissioned"});
        HallSpec hs;
        hs.path = ho.path();
        hs.prefix = ho.id("id", "hall");
        hs.name = ho.str("name", "Hall");
        hs.count = ho.count("count", 1);
        hs.dates = ho.commissioning(hs.count, buildingDate, "halls");

        const Obj ro = ho.obj("rows");
        ro.allowOnly({"count", "racks", "rack_type", "columns", "rack_pitch_m", "row_pitch_m", "column_gap_m",
                      "commissioned"});
        RowSpec& rs = hs.rows;
        rs.path = ro.path();
        rs.count = ro.count("count");
        rs.racks = ro.count("racks");
        rs.dates = ro.commissioning(rs.count, kAlwaysCommissioned, "rows");
        const std::string type = ro.str("rack_type");
        const RackType* rt = c_.rackType(type);
        if (!rt) ro.fail("rack_type", "unknown rack type '" + type + "'");
        rs.rackType = static_cast<std::size_t>(rt - c_.rackTypes.data());
        const RackSize& size = rackSizes_[rs.rackType];
        rs.columns = ro.count("columns", 1);
        rs.rackPitch = ro.positive("rack_pitch_m", size.w);
        rs.rowPitch = ro.positive("row_pitch_m", size.d + 1.8);
        rs.columnGap = ro.nonNegative("column_gap_m", 3);
        if (rs.rackPitch < size.w)
            ro.fail("rack_pitch_m", "is smaller than the rack width (" + num(rs.rackPitch) + " < " + num(size.w) + ")");
        if (rs.rowPitch < size.d)
            ro.fail("row_pitch_m", "is smaller than the rack depth (" + num(rs.rowPitch) + " < " + num(size.d) + ")");

        hs.feeders = feederSpec(ho.obj("feeders"));
        return hs;
    }

    static FeederSpec feederSpec(const Obj& fo)
    {
        fo.allowOnly({"count", "mw", "buses"});
        FeederSpec fs;
        fs.path = fo.path();
        fs.count = fo.count("count");
        fs.mw = fo.positive("mw");
        fs.buses = fo.refs("buses");
        return fs;
    }

    // One hall at (u, v) of its building, with its rows and racks. Returns its rated IT power, MW.
    double hall(const HallSpec& hs, std::size_t si, AssetIndex building, const Frame& f, double u, double v,
                double w, double d, double h, TimeMs date)
    {
        SiteCtx& sc = sites_[si];
        const int n = ++sc.hallNumbers[hs.prefix];
        const std::string number = std::to_string(n);
        Asset ha = make(AssetKind::Hall, sc.id + "/" + hs.prefix + number, sc.name + kDot + hs.name + " " + number,
                        building, sc.asset);
        ha.box = f.box(u, v, w, d, h);
        ha.commissionedMs = date;
        const std::string hallId = ha.id, hallName = ha.name;
        const AssetIndex hi = add(std::move(ha), entry(hs.path));
        const int rowsEntry = entry(hs.rows.path);

        const RowSpec& rs = hs.rows;
        const RackType& rt = c_.rackTypes[rs.rackType];
        const RackSize& size = rackSizes_[rs.rackType];
        const int columns = std::min(rs.columns, rs.count);
        const int lines = (rs.count + columns - 1) / columns;
        const double len = rs.racks * rs.rackPitch;
        const double blockW = columns * len + (columns - 1) * rs.columnGap;
        const double blockD = (lines - 1) * rs.rowPitch + size.d;
        if (blockW > w + 1e-6 || blockD > d + 1e-6)
            throw Error(file_, rs.path + ": " + std::to_string(rs.count) + " rows of " + std::to_string(rs.racks) +
                                   " racks in " + std::to_string(columns) + " columns need " + num(blockW) + " m x " +
                                   num(blockD) + " m, but hall " + hallId + " is " + num(w) + " m x " + num(d) + " m");

        const std::int64_t gpu0 = gpuNext_;
        const double rowMw = rs.racks * rt.ratedKw / 1000;
        for (int r = 0; r < rs.count; ++r) {
            const int col = r % columns, line = r / columns;
            const double ru = u - blockW / 2 + col * (len + rs.columnGap) + len / 2;
            const double rv = v + blockD / 2 - size.d / 2 - line * rs.rowPitch;
            Asset ro = make(AssetKind::Row, hallId + "/row" + padded(r + 1, rs.count),
                            hallName + kDot + "Row " + std::to_string(r + 1), hi, sc.asset);
            ro.model = rt.name;
            ro.box = f.box(ru, rv, len, size.d, size.h);
            ro.ratingMw = rowMw;
            ro.gpuCount = static_cast<std::int64_t>(rs.racks) * rt.gpusPerRack;
            ro.commissionedMs = std::max(date, rs.dates[static_cast<std::size_t>(r)]);
            const TimeMs rowDate = ro.commissionedMs;
            const std::string rowId = ro.id, rowName = ro.name;
            const AssetIndex ri = add(std::move(ro), rowsEntry);
            c_.feeds.push_back({hi, ri});
            for (int k = 0; k < rs.racks; ++k) {
                Asset ra = make(AssetKind::Rack, rowId + "/rack" + padded(k + 1, rs.racks),
                                rowName + kDot + "Rack " + std::to_string(k + 1), ri, sc.asset);
                ra.model = rt.name;
                ra.box = f.box(ru - len / 2 + (k + 0.5) * rs.rackPitch, rv, size.w, size.d, size.h);
                ra.ratingMw = rt.ratedKw / 1000;
                ra.gpuCount = rt.gpusPerRack;
                ra.commissionedMs = rowDate;
                gpuNext_ += rt.gpusPerRack;
                c_.feeds.push_back({ri, add(std::move(ra), rowsEntry)});
            }
        }
        Asset& hallAsset = c_.assets[hi];
        hallAsset.gpuCount = gpuNext_ - gpu0;
        hallAsset.ratingMw = rs.count * rowMw;
        sc.feeders.push_back({hi, hs.prefix + number, hs.feeders});
        return hallAsset.ratingMw;
    }

    void cooling(const Obj& co, std::size_t si, AssetIndex building, const std::string& buildingId,
                 const std::string& buildingName, const std::string& bid, const Frame& f, double bsx, double bsy,
                 TimeMs buildingDate)
    {
        co.allowOnly({"id", "name", "mw", "at", "size_m", "feeders", "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string cid = co.id("id", "cooling");
        const auto size = co.numbers("size_m", 3, true, {bsx, 20, 8});
        Asset a = make(AssetKind::CoolingPlant, buildingId + "/" + cid,
                       buildingName + kDot + co.str("name", "Cooling plant"), building, sc.asset);
        a.ratingMw = co.positive("mw");
        a.commissionedMs = co.commissioningDate(buildingDate);
        if (co.has("at")) {
            const auto at = co.numbers("at", 2, false);
            a.box = Frame(sc.ox + at[0], sc.oy + at[1], 0).box(0, 0, size[0], size[1], size[2]);
        } else { // a strip along the building's north wall
            a.box = f.box(0, bsy / 2 + 5 + size[1] / 2, size[0], size[1], size[2]);
        }
        const AssetIndex ci = add(std::move(a), entry(co.path()));
        if (const auto fo = co.optObj("feeders")) sc.feeders.push_back({ci, bid + "-" + cid, feederSpec(*fo)});
    }

    // ---- electrical -------------------------------------------------------------------

    void substation(const Obj& so, std::size_t si)
    {
        so.allowOnly({"id", "name", "at", "size_m", "mw", "buses", "transformers", "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string sid = so.id();
        const auto at = so.numbers("at", 2, false);
        const auto size = so.numbers("size_m", 2, true, {80, 60});
        const Frame f(sc.ox + at[0], sc.oy + at[1], 0);
        Asset a = make(AssetKind::Substation, sc.id + "/" + sid, sc.name + kDot + so.str("name", sid), sc.asset,
                       sc.asset);
        a.box = f.box(0, 0, size[0], size[1], 8);
        a.commissionedMs = so.commissioningDate(sc.date);
        const TimeMs subDate = a.commissionedMs;
        const std::string subId = a.id, subName = a.name;
        const AssetIndex sub = add(std::move(a), entry(so.path()));

        const auto buses = so.objs("buses", false);
        double maxKv = 0;
        for (std::size_t i = 0; i < buses.size(); ++i) {
            const Obj& bo = buses[i];
            bo.allowOnly({"id", "name", "kv", "mw", "commissioned"});
            const std::string bid = bo.id();
            Asset b = make(AssetKind::Bus, subId + "/" + bid, subName + kDot + bo.str("name", "Bus " + bid), sub,
                           sc.asset);
            b.voltageKv = bo.positive("kv");
            b.ratingMw = bo.nonNegative("mw", 0);
            b.commissionedMs = bo.commissioningDate(subDate);
            maxKv = std::max(maxKv, b.voltageKv);
            // Bus bars side by side across the northern half of the yard.
            const double v = size[1] / 2 - (i + 1.0) * (size[1] / 2) / (buses.size() + 1.0);
            b.box = f.box(0, v, size[0] * 0.8, 1, 3);
            const AssetIndex bx = add(std::move(b), entry(bo.path()));
            const auto [it, fresh] = sc.buses.emplace(bid, bx);
            if (!fresh)
                bo.fail("id", "duplicate bus id '" + bid + "' in site '" + sc.id + "' (first at " + sc.busPaths[bid] +
                                  ")");
            sc.busPaths[bid] = bo.path();
        }

        double mva = 0;
        int placed = 0;
        // Clamped before the conversion: a size beyond int (a hostile file) is not UB.
        const int perLine = static_cast<int>(std::clamp((size[0] - 4) / 10, 1.0, 1e6));
        for (const Obj& to : so.objs("transformers", false)) {
            to.allowOnly({"id", "name", "count", "mva", "from", "to", "commissioned"});
            const std::string tid = to.id();
            const bool numbered = to.has("count");
            const int count = to.count("count", 1);
            const double rating = to.positive("mva");
            const auto from = to.refs("from");
            const auto into = to.refs("to");
            const std::string name = to.str("name", "Transformer " + tid);
            const auto dates = to.commissioning(count, subDate, "transformers");
            for (int k = 0; k < count; ++k, ++placed) {
                Asset t = make(AssetKind::Transformer, subId + "/" + tid + (numbered ? padded(k + 1, count) : ""),
                               subName + kDot + name + (numbered ? " " + std::to_string(k + 1) : ""), sub, sc.asset);
                t.ratingMw = rating;
                t.commissionedMs = dates[static_cast<std::size_t>(k)];
                t.box = f.box(-size[0] / 2 + 5 + (placed % perLine) * 10, -6 - (placed / perLine) * 10.0, 6, 6, 6);
                const AssetIndex ti = add(std::move(t), entry(to.path()));
                link(ti, si, from[k % from.size()], to.at("from"), true);
                link(ti, si, into[k % into.size()], to.at("to"), false);
            }
            mva += count * rating;
        }
        Asset& s = c_.assets[sub];
        s.ratingMw = so.positive("mw", mva);
        s.voltageKv = maxKv;
    }

    void gridTie(const Obj& o, std::size_t si)
    {
        o.allowOnly({"id", "name", "mw", "bus", "at", "size_m", "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string id = o.id();
        const auto at = o.numbers("at", 2, false);
        const auto size = o.numbers("size_m", 3, true, {12, 12, 15});
        Asset a = make(AssetKind::GridTie, sc.id + "/" + id, sc.name + kDot + o.str("name", "Grid tie " + id), sc.asset,
                       sc.asset);
        a.ratingMw = o.positive("mw");
        a.commissionedMs = o.commissioningDate(sc.date);
        a.box = Frame(sc.ox + at[0], sc.oy + at[1], 0).box(0, 0, size[0], size[1], size[2]);
        const std::string bus = o.str("bus");
        link(add(std::move(a), entry(o.path())), si, bus, o.at("bus"), false);
    }

    // Turbines (count units of a turbine model) or Megapack blocks (blocks of units_per_block
    // storage units), placed as a grid of `columns` around `at`.
    void unitGroup(const Obj& o, std::size_t si, bool storage)
    {
        if (storage)
            o.allowOnly({"id", "name", "model", "units_per_block", "blocks", "bus", "at", "columns", "pitch_m",
                         "commissioned"});
        else
            o.allowOnly({"id", "name", "model", "count", "bus", "at", "columns", "pitch_m", "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string id = o.id();
        const std::string modelName = o.str("model");
        const UnitModel* model = c_.unitModel(modelName);
        if (!model) o.fail("model", "unknown unit model '" + modelName + "'");
        const UnitInfo& info = unitInfo_[static_cast<std::size_t>(model - c_.unitModels.data())];
        if (info.storage != storage)
            o.fail("model", "unit model '" + modelName + "' is " +
                                (info.storage ? "a storage model, not a turbine" : "a turbine, not a storage model"));
        const int count = storage ? o.count("blocks") : o.count("count");
        const int units = storage ? o.count("units_per_block") : 1;
        const auto buses = o.refs("bus");
        const auto at = o.numbers("at", 2, false);
        const double sx = storage ? units * info.sx + (units - 1) * 0.5 : info.sx;
        const double sy = info.sy, sz = info.sz;
        const int columns = o.count("columns", static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count)))));
        const auto pitch = o.numbers("pitch_m", 2, true, {sx + 6, sy + 6});
        const int lines = (count + columns - 1) / columns;
        const std::string name = o.str("name", storage ? "Megapack block" : "Turbine");
        const auto dates = o.commissioning(count, sc.date, storage ? "blocks" : "turbines");
        const int e = entry(o.path());
        for (int k = 0; k < count; ++k) {
            const int col = k % columns, line = k / columns;
            const double u = at[0] - (std::min(columns, count) - 1) * pitch[0] / 2 + col * pitch[0];
            const double v = at[1] + (lines - 1) * pitch[1] / 2 - line * pitch[1];
            Asset a = make(storage ? AssetKind::MegapackBlock : AssetKind::Turbine, sc.id + "/" + id + padded(k + 1, count),
                           sc.name + kDot + name + " " + std::to_string(k + 1), sc.asset, sc.asset);
            a.model = model->name;
            a.units = units;
            a.ratingMw = units * model->ratingMw;
            a.energyMwh = units * model->energyMwh;
            a.commissionedMs = dates[static_cast<std::size_t>(k)];
            a.box = Frame(sc.ox + u, sc.oy + v, 0).box(0, 0, sx, sy, sz);
            link(add(std::move(a), e), si, buses[k % buses.size()], o.at("bus"), false);
        }
    }

    void solar(const Obj& o, std::size_t si)
    {
        o.allowOnly({"id", "name", "mw", "bus", "at", "footprint", "height_m", "commissioned"});
        SiteCtx& sc = sites_[si];
        const std::string id = o.id();
        const auto at = o.numbers("at", 2, false);
        const auto [sx, sy] = footprint(o.obj("footprint"));
        Asset a = make(AssetKind::SolarArray, sc.id + "/" + id, sc.name + kDot + o.str("name", "Solar array"),
                       sc.asset, sc.asset);
        a.ratingMw = o.positive("mw");
        a.box = Frame(sc.ox + at[0], sc.oy + at[1], 0).box(0, 0, sx, sy, o.positive("height_m", 3));
        a.commissionedMs = o.commissioningDate(sc.date);
        const std::string bus = o.str("bus");
        link(add(std::move(a), entry(o.path())), si, bus, o.at("bus"), false);
    }

    // Feeders of the site's halls and cooling plants: after the substations, whose children
    // they are (a feeder whose bus lies in another site hangs under its own site).
    void emitFeeders(std::size_t si)
    {
        SiteCtx& sc = sites_[si];
        for (const FeederRequest& req : sc.feeders) {
            const Box tb = c_.assets[req.target].box;
            const std::string targetName = c_.assets[req.target].name;
            const Frame f(tb.cx, tb.cy, tb.yawDeg);
            const int e = entry(req.spec.path);
            const int n = req.spec.count;
            for (int k = 0; k < n; ++k) {
                const std::string& ref = req.spec.buses[k % req.spec.buses.size()];
                const AssetIndex bus = findBus(si, ref);
                const AssetIndex parent =
                    bus != kNoAsset && c_.assets[bus].site == sc.asset ? c_.assets[bus].parent : sc.asset;
                Asset a = make(AssetKind::Feeder, c_.assets[parent].id + "/" + req.stem + "-f" + std::to_string(k + 1),
                               targetName + kDot + "Feeder " + std::to_string(k + 1), parent, sc.asset);
                a.ratingMw = req.spec.mw;
                a.commissionedMs = c_.assets[req.target].commissionedMs;   // with what it feeds
                // A marker inside the south wall of what it feeds.
                a.box = f.box(-tb.sx / 2 + (k + 0.5) * tb.sx / n, -tb.sy / 2 + 1, 1, 1, 2.5);
                const AssetIndex fi = add(std::move(a), e);
                link(fi, si, ref, req.spec.path + ".buses", true);
                c_.feeds.push_back({fi, req.target});
            }
        }
        sc.feeders.clear();
    }

    void link(AssetIndex asset, std::size_t si, const std::string& ref, const std::string& path, bool busSupplies)
    {
        pending_.push_back({si, ref, asset, busSupplies, path});
    }

    // kNoAsset if the reference names no bus (yet).
    AssetIndex findBus(std::size_t si, const std::string& ref, std::string* problem = nullptr) const
    {
        const SiteCtx* sc = &sites_[si];
        std::string bus = ref;
        if (const auto slash = ref.find('/'); slash != std::string::npos) {
            const std::string siteId = ref.substr(0, slash);
            const auto it = std::find_if(sites_.begin(), sites_.end(), [&](const SiteCtx& s) { return s.id == siteId; });
            if (it == sites_.end()) {
                if (problem) *problem = "unknown site '" + siteId + "' in bus reference '" + ref + "'";
                return kNoAsset;
            }
            sc = &*it;
            bus = ref.substr(slash + 1);
        }
        const auto it = sc->buses.find(bus);
        if (it == sc->buses.end()) {
            if (problem) *problem = "unknown bus '" + ref + "'";
            return kNoAsset;
        }
        return it->second;
    }

    void resolveLinks()
    {
        for (const PendingLink& p : pending_) {
            std::string problem;
            const AssetIndex bus = findBus(p.site, p.ref, &problem);
            if (bus == kNoAsset) throw Error(file_, p.path + ": " + problem);
            Asset& a = c_.assets[p.asset];
            if (p.busSupplies) {
                c_.feeds.push_back({bus, p.asset});
                if (a.kind == AssetKind::Feeder) a.voltageKv = c_.assets[bus].voltageKv;
            } else {
                c_.feeds.push_back({p.asset, bus});
                a.voltageKv = c_.assets[bus].voltageKv; // sources: connection voltage; transformers: secondary
            }
        }
        pending_.clear();
    }

    // ---- checks -----------------------------------------------------------------------

    void checkDuplicates() const
    {
        for (AssetIndex i = 0; i < static_cast<AssetIndex>(c_.assets.size()); ++i) {
            const AssetIndex first = c_.find(c_.assets[i].id);
            if (first != i)
                throw Error(file_, entryPaths_[entryOf_[i]] + ": duplicate id '" + c_.assets[i].id +
                                       "' (first defined at " + entryPaths_[entryOf_[first]] + ")");
        }
    }

    void checkSupply() const
    {
        std::vector<char> live(c_.assets.size(), 0);
        std::deque<AssetIndex> queue;
        for (AssetIndex i = 0; i < static_cast<AssetIndex>(c_.assets.size()); ++i)
            if (isSource(c_.assets[i].kind)) {
                live[i] = 1;
                queue.push_back(i);
            }
        while (!queue.empty()) {
            const AssetIndex x = queue.front();
            queue.pop_front();
            for (AssetIndex y : c_.supplied(x))
                if (!live[y]) {
                    live[y] = 1;
                    queue.push_back(y);
                }
        }
        for (AssetIndex r : c_.racks())
            if (!live[r])
                throw Error(file_, entryPaths_[entryOf_[r]] + ": rack '" + c_.assets[r].id +
                                       "' cannot be supplied by any source (check its hall's feeders and buses)");
    }

    // ---- helpers ----------------------------------------------------------------------

    Asset make(AssetKind kind, std::string id, std::string name, AssetIndex parent, AssetIndex site) const
    {
        Asset a;
        a.kind = kind;
        a.id = std::move(id);
        a.name = std::move(name);
        a.parent = parent;
        a.site = site;
        a.gpuFirst = gpuNext_;
        return a;
    }

    AssetIndex add(Asset a, int entryIndex)
    {
        if (c_.assets.size() >= kMaxAssets)
            throw Error(file_, "the campus expands to more than " + std::to_string(kMaxAssets) + " assets");
        c_.assets.push_back(std::move(a));
        entryOf_.push_back(entryIndex);
        return static_cast<AssetIndex>(c_.assets.size() - 1);
    }

    int entry(const std::string& path)
    {
        entryPaths_.push_back(path);
        return static_cast<int>(entryPaths_.size() - 1);
    }

    // The horizontal extent of assets [first, last), yaw included; the site's origin if none.
    Box bounds(AssetIndex first, AssetIndex last, double ox, double oy) const
    {
        if (first >= last) {
            Box b;
            b.cx = ox;
            b.cy = oy;
            return b;
        }
        double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0, z1 = 0;
        for (AssetIndex i = first; i < last; ++i) {
            const Box& b = c_.assets[i].box;
            const double c = std::abs(std::cos(b.yawDeg * kPi / 180)), s = std::abs(std::sin(b.yawDeg * kPi / 180));
            const double ex = (c * b.sx + s * b.sy) / 2, ey = (s * b.sx + c * b.sy) / 2;
            x0 = std::min(x0, b.cx - ex);
            x1 = std::max(x1, b.cx + ex);
            y0 = std::min(y0, b.cy - ey);
            y1 = std::max(y1, b.cy + ey);
            z1 = std::max(z1, b.cz + b.sz / 2);
        }
        Box b;
        b.cx = (x0 + x1) / 2;
        b.cy = (y0 + y1) / 2;
        b.cz = z1 / 2;
        b.sx = x1 - x0;
        b.sy = y1 - y0;
        b.sz = z1;
        return b;
    }

    const std::string& file_;
    Campus c_;
    std::vector<RackSize> rackSizes_; // parallel to c_.rackTypes
    std::vector<UnitInfo> unitInfo_;  // parallel to c_.unitModels
    std::vector<SiteCtx> sites_;
    std::vector<PendingLink> pending_;
    std::vector<int> entryOf_;             // per asset: the file entry it came from
    std::vector<std::string> entryPaths_;  // JSON paths of those entries, for messages
    std::int64_t gpuNext_ = 0;
    double lat0_ = 0, lon0_ = 0;
};

} // namespace

Campus parseCampus(std::string_view text, const std::string& fileName)
{
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw Error(fileName, jsonSyntaxMessage(text, e));
    } catch (const json::exception& e) {
        std::string what = e.what();
        if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
        throw Error(fileName, "invalid JSON: " + what);
    }
    try {
        return Expander(fileName).run(root);
    } catch (const json::exception& e) { // not expected: every access is checked first
        throw Error(fileName, std::string("invalid campus: ") + e.what());
    }
}

Campus loadCampusFile(const std::string& path)
{
    return parseCampus(readTextFile(path), path);
}

} // namespace twin
