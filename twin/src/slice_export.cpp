// Slice export: copies a time range of a recording into a new store through StoreWriter, so the
// slice has the same layout as any recording (key frames, columnar chunks) and opens on its own.
#include "twin/slice_export.h"

#include "sqlite_db.h"
#include "twin/review_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <span>

#include <unistd.h>

namespace twin {

namespace fs = std::filesystem;

namespace {

struct Cancelled {};

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code ea, eb;
    if (fs::exists(a, ea) && fs::exists(b, eb)) {
        std::error_code ec;
        return fs::equivalent(a, b, ec);
    }
    const auto ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
    return !ea && !eb && ca == cb;
}

void removeStoreFiles(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

std::string range(TimeMs t0, TimeMs t1) { return formatUtc(t0) + " to " + formatUtc(t1); }

// Reports progress at most every 0.1 % (and when forced); a callback returning false cancels.
class Progress {
public:
    Progress(std::function<bool(double)> f, double total) : f_(std::move(f)), total_(std::max(total, 1.0)) {}
    void advance(double units) {
        done_ += units;
        report(false);
    }
    void report(bool force) {
        if (!f_) return;
        const double fraction = std::min(done_ / total_, 1.0);
        if (!force && fraction - last_ < 0.001) return;
        last_ = fraction;
        if (!f_(fraction)) throw Cancelled{};
    }
    void finish() {
        done_ = total_;
        report(true);
    }

private:
    std::function<bool(double)> f_;
    double total_, done_ = 0, last_ = -1;
};

// The floats that StoreWriter::writeFrame quantises back to exactly the stored integers: the
// writer stores lrint(double(v) * (1 / precision)). float(q * precision) (what seriesAt returns)
// does it for every value a StoreWriter can have stored; a neighbouring float is tried otherwise,
// and a value that no float reproduces is refused rather than altered.
void exactFloats(const std::vector<std::int32_t>& q, double precision, std::vector<float>& out,
                 const std::function<void(std::size_t)>& refuse) {
    const double inv = 1.0 / precision;
    const std::size_t n = q.size();
    out.resize(n);
    bool bad = false;
    for (std::size_t i = 0; i < n; ++i) {
        const float f = static_cast<float>(q[i] * precision);
        out[i] = f;
        bad |= std::lrint(static_cast<double>(f) * inv) != q[i];
    }
    if (!bad) return;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::lrint(static_cast<double>(out[i]) * inv) == q[i]) continue;
        bool found = false;
        for (float dir : {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
            float f = out[i];
            for (int step = 0; step < 4 && !found; ++step) {
                f = std::nextafter(f, dir);
                if (std::lrint(static_cast<double>(f) * inv) == q[i]) {
                    out[i] = f;
                    found = true;
                }
            }
            if (found) break;
        }
        if (!found) refuse(i);
    }
}

void writeSlice(StoreReader& src, const std::string& tmp, const std::string& outPath, TimeMs t0, TimeMs t1,
                const SliceOptions& o, std::function<bool(double)> progressFn) {
    // Plan: the frames of every series and the sample count of every scalar signal, for progress.
    struct SeriesPlan {
        const SeriesInfo* info = nullptr;
        std::vector<TimeMs> times;
        double units = 0;   // values per frame
        int out = 0;
    };
    std::vector<SeriesPlan> plans;
    double total = 0;
    for (const auto& s : src.series()) {
        if (!o.perGpuData && s.spec.assetSet == AssetSet::Gpus) continue;
        SeriesPlan p;
        p.info = &s;
        p.times = src.frameTimes(s.id, t0, t1);
        p.units = static_cast<double>(s.assetCount) * static_cast<double>(s.spec.quantities.size());
        total += p.units * static_cast<double>(p.times.size());
        plans.push_back(std::move(p));
    }
    std::vector<const SignalInfo*> scalars;
    std::map<int, int> firstChannel;   // columnar series -> its first channel's signal id
    for (const auto& s : src.signalCatalogue()) {
        if (s.series == 0) {
            scalars.push_back(&s);
        } else {
            auto [it, fresh] = firstChannel.emplace(s.series, s.id);
            if (!fresh) it->second = std::min(it->second, s.id);
        }
    }
    std::sort(scalars.begin(), scalars.end(), [](const SignalInfo* a, const SignalInfo* b) { return a->id < b->id; });
    std::vector<TimeMs> ts;
    std::vector<double> vs;
    std::vector<std::size_t> sampleCount;
    for (const SignalInfo* s : scalars) {
        src.signalSamples(s->id, t0, t1, ts, vs);
        sampleCount.push_back(ts.size());
        total += static_cast<double>(ts.size());
    }
    const auto events = src.events(t0, t1);
    std::vector<Bookmark> bookmarks;
    if (o.recordingBookmarks)
        for (const auto& b : src.bookmarks())
            if (b.t >= t0 && b.t <= t1) bookmarks.push_back(b);
    if (o.review)
        for (const auto& b : o.review->bookmarks(t0, t1))
            if (b.origin == BookmarkOrigin::Review) bookmarks.push_back({0, b.t, b.name, b.note});
    std::stable_sort(bookmarks.begin(), bookmarks.end(), [](const Bookmark& a, const Bookmark& b) { return a.t < b.t; });
    total += static_cast<double>(events.size() + bookmarks.size());

    Progress progress(std::move(progressFn), total);
    progress.report(true);

    WriterOptions wo;
    wo.overwrite = true;               // the .part file is ours
    wo.maxBatchMs = 5000;
    wo.zstdLevel = o.zstdLevel;
    wo.threads = std::max(1, o.threads);
    auto w = StoreWriter::create(tmp, src.campus(), wo);

    // Catalogue, in the source's order: jobs first (a job series needs them), then series and
    // scalar signals interleaved as in the source, so that ids match a source written by StoreWriter.
    for (const auto& j : src.jobs()) w->addJob(j);
    std::map<int, int> signalOut;
    std::size_t nextScalar = 0;
    auto addScalar = [&] {
        const SignalInfo* s = scalars[nextScalar++];
        signalOut[s->id] = w->addSignal(s->asset, s->quantity, s->unit);
    };
    for (auto& p : plans) {
        if (const auto it = firstChannel.find(p.info->id); it != firstChannel.end())
            while (nextScalar < scalars.size() && scalars[nextScalar]->id < it->second) addScalar();
        p.out = w->addSeries(p.info->spec);
    }
    while (nextScalar < scalars.size()) addScalar();

    // Frames: the stored integers, passed through floats that quantise back to them exactly.
    std::vector<std::vector<std::int32_t>> q;
    std::vector<std::vector<float>> f;
    std::vector<std::span<const float>> spans;
    for (const auto& p : plans) {
        const auto& spec = p.info->spec;
        const std::size_t nq = spec.quantities.size();
        f.resize(nq);
        spans.resize(nq);
        for (const TimeMs t : p.times) {
            // A damaged frame is left out (the source's damage() says which): everything readable is copied.
            try {
                src.frameQuantised(p.info->id, t, q);
            } catch (const DamagedData&) {
                progress.advance(p.units);
                continue;
            }
            if (q.size() != nq) throw Error(src.path(), "series '" + spec.name + "' returned a frame of the wrong shape");
            for (std::size_t k = 0; k < nq; ++k) {
                exactFloats(q[k], spec.quantities[k].precision, f[k], [&](std::size_t i) {
                    throw Error(outPath, "series '" + spec.name + "', " + spec.quantities[k].name + " of asset " +
                                             std::to_string(i) + " at " + formatUtc(t) + ": the stored value " +
                                             std::to_string(q[k][i]) + " x " + std::to_string(spec.quantities[k].precision) +
                                             " cannot be copied exactly (no 32-bit float quantises to it); nothing was exported");
                });
                spans[k] = f[k];
            }
            w->writeFrame(p.out, t, spans);
            progress.advance(p.units);
        }
    }

    // Scalar signals: every sample, values as stored (doubles).
    for (std::size_t i = 0; i < scalars.size(); ++i) {
        const int out = signalOut.at(scalars[i]->id);
        src.signalSamples(scalars[i]->id, t0, t1, ts, vs);
        for (std::size_t j = 0; j < ts.size(); ++j) {
            w->writeSample(out, ts[j], vs[j]);
            if ((j + 1) % 4096 == 0) progress.advance(4096);
        }
        progress.advance(static_cast<double>(ts.size() % 4096) +
                         (static_cast<double>(sampleCount[i]) - static_cast<double>(ts.size())));
    }

    // Events overlapping the range (original or clipped times) and bookmarks in the range.
    for (Event e : events) {
        if (e.end && *e.end < e.start) e.end = e.start;   // a hand-written row ending before it starts
        if (o.clipEvents) {
            e.start = std::clamp(e.start, t0, t1);
            if (e.end) e.end = std::clamp(*e.end, t0, t1);
        }
        if (e.text.empty()) e.text = e.kind.empty() ? std::string("(event without text)") : e.kind;
        w->addEvent(e);
        progress.advance(1);
    }
    for (Bookmark b : bookmarks) {
        if (b.name.empty()) b.name = "(unnamed)";
        w->addBookmark(b);
        progress.advance(1);
    }
    w->close();
    w.reset();

    // Where the slice comes from (meta rows; readers ignore keys they do not know).
    {
        sql::Db db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        sql::Stmt meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        meta.bind(1, "slice_source").bind(2, fs::path(src.path()).filename().string()).run();
        meta.bind(1, "slice_t0").bind(2, std::to_string(t0)).run();
        meta.bind(1, "slice_t1").bind(2, std::to_string(t1)).run();
        meta.bind(1, "slice_events").bind(2, o.clipEvents ? "clipped" : "original times").run();
    }
    progress.finish();
}

} // namespace

void exportSlice(StoreReader& src, const std::string& outPath, TimeMs t0, TimeMs t1, const SliceOptions& o,
                 std::function<bool(double fraction)> progress) {
    if (outPath.empty()) throw Error(src.path(), "cannot export a slice: no output file given");
    if (t1 <= t0)
        throw Error(src.path(), "cannot export " + range(t0, t1) + ": the range is empty (its end must be after its start)");
    if (sameFile(outPath, src.path()))
        throw Error(outPath, "is the recording being exported; a slice must go to another file");
    if (sameFile(outPath, ReviewFile::sidecarPath(src.path())) || (o.review && sameFile(outPath, o.review->path())))
        throw Error(outPath, "is the recording's review file; a slice must go to another file");
    if (o.review && &o.review->recording() != &src && !sameFile(o.review->recordingPath(), src.path()))
        throw Error(o.review->path(), "is the review of " + o.review->recordingPath() + ", not of " + src.path());
    {
        std::error_code ec;
        const auto st = fs::status(outPath, ec);
        if (fs::is_directory(st)) throw Error(outPath, "is a folder; a slice needs a file name");
        if (fs::exists(st) && !o.overwrite)
            throw Error(outPath, "already exists (choose another name or overwrite it)");
        const auto parent = fs::path(outPath).parent_path();
        const std::string folder = parent.empty() ? std::string(".") : parent.string();
        if (!fs::is_directory(folder, ec))
            throw Error(outPath, "cannot be written: folder '" + folder + "' does not exist");
        if (::access(folder.c_str(), W_OK) != 0)
            throw Error(outPath, "cannot be written: folder '" + folder + "' is not writable (" +
                                     std::strerror(errno) + ")");
    }
    const TimeSpan span = src.span();
    if (span.empty) throw Error(src.path(), "holds no data: there is no slice to export");
    if (t1 < span.first || t0 > span.last)
        throw Error(src.path(), "cannot export " + range(t0, t1) + ": the range lies outside the recording (" +
                                    range(span.first, span.last) + ")");

    const std::string tmp = outPath + ".part";
    removeStoreFiles(tmp);
    try {
        writeSlice(src, tmp, outPath, t0, t1, o, std::move(progress));
        std::error_code ec;
        if (fs::exists(tmp + "-wal", ec))
            throw Error(outPath, "could not be finished: the write-ahead log of " + tmp + " was not checkpointed");
        // A stale WAL beside an overwritten store would be applied to the new file: remove it first.
        for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(outPath + suffix, ec);
        fs::rename(tmp, outPath, ec);
        if (ec) throw Error(outPath, "cannot be written (renaming " + tmp + " failed: " + ec.message() + ")");
        fs::remove(tmp + "-shm", ec);
    } catch (const Cancelled&) {
        removeStoreFiles(tmp);
        throw SliceCancelled(outPath, "export cancelled; the partial slice was removed");
    } catch (const Error& e) {
        removeStoreFiles(tmp);
        if (e.file() == tmp) throw Error(outPath, e.problem());
        throw;
    } catch (...) {
        removeStoreFiles(tmp);
        throw;
    }
}

} // namespace twin
