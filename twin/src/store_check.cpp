// checkStore reads a whole store through StoreReader (so it sees exactly what a viewer would) and
// merges what the reader found damaged into intervals; salvageStore is a slice of everything.
#include "twin/store_check.h"

#include "sqlite_db.h"
#include "twin/slice_export.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace twin {

namespace {

constexpr TimeMs kMin = std::numeric_limits<TimeMs>::min(), kMax = std::numeric_limits<TimeMs>::max();

std::string when(TimeMs t) {
    if (t == kMin) return "the start";
    if (t == kMax) return "the end";
    return formatUtc(t);
}

// The first problem the reader recorded for series `id` in [a, b] (frames and key frames).
std::string problemOf(const std::vector<DamagedRange>& found, int id, TimeMs a, TimeMs b) {
    for (const auto& d : found)
        if (d.series == id && d.signal == 0 && d.first <= b && d.last >= a &&
            (d.what == DamagedRange::What::Frame || d.what == DamagedRange::What::KeyFrame))
            return d.what == DamagedRange::What::KeyFrame && d.first < a ? "its key frame at " + formatUtc(d.first) +
                                                                               " is damaged (" + d.problem + ")"
                                                                         : d.problem;
    return "unreadable";
}

// Reads every frame of every series; consecutive unreadable frames become one interval.
void checkFrames(StoreReader& r, StoreCheck& c, const std::function<bool(double)>& tick) {
    std::vector<std::vector<std::int32_t>> q;
    for (const auto& s : r.series()) {
        const auto times = r.frameTimes(s.id, kMin, kMax);
        c.frames += static_cast<std::int64_t>(times.size());
        std::vector<std::pair<TimeMs, TimeMs>> runs;
        bool inRun = false;
        for (const TimeMs t : times) {
            bool bad = false;
            try {
                r.frameQuantised(s.id, t, q);
            } catch (const Error&) {
                // DamagedData, or a frame the index lists that cannot be found again (the index
                // or the table around it is damaged): unreadable either way.
                bad = true;
            }
            if (bad) {
                ++c.damagedFrames;
                if (inRun) runs.back().second = t;
                else runs.emplace_back(t, t);
            }
            inRun = bad;
            if (!tick(1)) return;
        }
        for (const auto& [a, b] : runs)
            c.damage.push_back({DamagedRange::What::Frame, s.id, 0, s.spec.name, a, b, problemOf(r.damage(), s.id, a, b)});
    }
}

} // namespace

StoreCheck checkStore(const std::string& path, const std::function<bool(double)>& progress) {
    StoreCheck c;
    c.path = path;
    std::unique_ptr<StoreReader> r;
    try {
        r = StoreReader::open(path);
    } catch (const Error& e) {
        c.verdict = StoreCheck::Verdict::Refused;
        c.refusal = e.what();
        return c;
    }
    c.span = r->span();
    c.series = static_cast<std::int64_t>(r->series().size());
    c.signalCount = static_cast<std::int64_t>(r->signalCatalogue().size());
    c.jobs = static_cast<std::int64_t>(r->jobs().size());
    try {
        const auto rows = r->query("SELECT count(*) FROM chunk");
        if (!rows.empty() && !rows[0].empty()) c.chunks = std::stoll(rows[0][0]);
    } catch (const Error&) {
        // counted below as the chunks are read
    }

    // Progress: one unit per frame and per signal.
    double total = static_cast<double>(c.signalCount), done = 0;
    for (const auto& s : r->series()) total += static_cast<double>(r->frameTimes(s.id, kMin, kMax).size());
    bool stopped = false;
    auto tick = [&](double units) {
        done += units;
        if (progress && !progress(std::min(done / std::max(total, 1.0), 1.0))) stopped = true;
        return !stopped;
    };

    checkFrames(*r, c, tick);
    std::vector<TimeMs> ts;
    std::vector<double> vs;
    for (const auto& s : r->signalCatalogue()) {
        if (stopped) break;
        r->signalSamples(s.id, kMin, kMax, ts, vs);
        tick(1);
    }
    for (auto [what, read] : {std::pair<const char*, std::function<void()>>{"events", [&] { c.events = static_cast<std::int64_t>(r->events(kMin, kMax).size()); }},
                              {"bookmarks", [&] { c.bookmarks = static_cast<std::int64_t>(r->bookmarks().size()); }}}) {
        try {
            read();
        } catch (const Error& e) {
            c.damage.push_back({DamagedRange::What::Index, 0, 0, what, kMin, kMax, std::string("cannot be read (") + e.problem() + ")"});
        }
    }
    // Everything the reader found that is not a frame (frames are merged above).
    for (const auto& d : r->damage()) {
        if (d.what == DamagedRange::What::Frame || d.what == DamagedRange::What::KeyFrame) continue;
        if (d.what == DamagedRange::What::Chunk) ++c.damagedChunks;
        c.damage.push_back(d);
    }
    try {
        for (const auto& row : r->query("PRAGMA quick_check(20)"))
            if (!row.empty() && row[0] != "ok") c.sqliteProblems.push_back(row[0]);
    } catch (const Error& e) {
        c.sqliteProblems.push_back(e.problem());
    }
    if (!c.damage.empty() || !c.sqliteProblems.empty() || c.damagedFrames > 0) c.verdict = StoreCheck::Verdict::Damaged;
    return c;
}

std::string describeCheck(const StoreCheck& c) {
    if (c.verdict == StoreCheck::Verdict::Refused) return "refused: " + c.refusal + "\n";
    std::string out = c.path + ": " + std::to_string(c.frames) + " frames in " + std::to_string(c.series) + " series, " +
                      std::to_string(c.chunks) + " chunks of " + std::to_string(c.signalCount) + " signals, " +
                      std::to_string(c.events) + " events, " + std::to_string(c.jobs) + " jobs, " +
                      std::to_string(c.bookmarks) + " bookmarks";
    if (!c.span.empty) out += ", " + formatUtc(c.span.first) + " to " + formatUtc(c.span.last);
    out += "\n";
    if (c.verdict == StoreCheck::Verdict::Clean) return out + "clean: everything is readable\n";
    out += "damaged: " + std::to_string(c.damagedFrames) + " of " + std::to_string(c.frames) + " frames and " +
           std::to_string(c.damagedChunks) + " of " + std::to_string(c.chunks) +
           " chunks cannot be read; everything else opens (--salvage copies it to a new store)\n";
    for (const auto& d : c.damage) {
        std::string what;
        switch (d.what) {
        case DamagedRange::What::Frame:
        case DamagedRange::What::KeyFrame: what = "series '" + d.name + "' frames"; break;
        case DamagedRange::What::Chunk: what = "signal '" + d.name + "' chunk"; break;
        case DamagedRange::What::SampleRows: what = "signal '" + d.name + "' sample rows"; break;
        case DamagedRange::What::Index: what = "'" + d.name + "' index"; break;
        }
        out += "  " + what + " " + when(d.first) + (d.last != d.first ? " to " + when(d.last) : std::string()) + ": " +
               d.problem + "\n";
    }
    for (const auto& p : c.sqliteProblems) out += "  SQLite quick_check: " + p + "\n";
    return out;
}

std::vector<DamagedRange> salvageStore(StoreReader& source, const std::string& outPath, bool overwrite,
                                       const std::function<bool(double)>& progress) {
    const TimeSpan span = source.span();
    SliceOptions o;
    o.overwrite = overwrite;
    o.perGpuData = true;
    o.clipEvents = false;
    // exportSlice wants a non-empty range: one past the last time holds a single-instant store too.
    exportSlice(source, outPath, span.first, span.empty ? span.first : span.last + 1, o, progress);
    {
        sql::Db db(outPath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        sql::Stmt meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        meta.bind(1, "salvaged_from").bind(2, source.path()).run();
        meta.bind(1, "salvage_damage").bind(2, std::to_string(source.damage().size())).run();
    }
    return source.damage();
}

} // namespace twin
