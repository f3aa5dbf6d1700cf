// StoreReader: read-only, no long-lived read transaction (so the writer's checkpoints keep the
// WAL bounded), key frames cached between calls, segments decoded on two threads.
#include "codec.h"
#include "parallel.h"
#include "store_damage.h"
#include "store_reader_sql.h"
#include "store_schema.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <thread>
#include <unordered_map>

#include <unistd.h>

namespace twin {

namespace {

constexpr int kThreads = 2;
constexpr std::size_t kParallelValues = 65536;   // values in a frame worth a second thread
constexpr std::size_t kSliceThreads = 8;         // frameSlices: at most this many decoding threads

// Uniform buckets over [t0, t1]; each keeps count, extremes, first and last sample.
class Bucketer {
public:
    Bucketer(TimeMs t0, TimeMs t1, int maxPoints) : t0_(t0), t1_(t1) {
        const TimeMs span = std::max<TimeMs>(t1 - t0 + 1, 1);
        const TimeMs n = std::max(maxPoints, 1);
        width_ = (span + n - 1) / n;
        b_.resize(static_cast<std::size_t>((span + width_ - 1) / width_));
    }
    bool inside(TimeMs t) const { return t >= t0_ && t <= t1_; }
    std::size_t index(TimeMs t) const { return static_cast<std::size_t>((t - t0_) / width_); }

    void add(TimeMs t, double v) {
        if (!inside(t)) return;
        merge(b_[index(t)], Bucket{t, t, v, v, v, v, 1, v});
    }
    // A summary can be merged without decoding when it lies inside one bucket, or when it is
    // no longer than a bucket: then it goes whole to the bucket of its midpoint, which moves
    // each of its samples by at most one bucket (one pixel of a chart) and keeps every extreme.
    // On a day of 10 Hz data this skips decoding every chunk.
    bool addSummary(const Bucket& s) {
        if (!inside(s.first) || !inside(s.last)) return false;
        if (index(s.first) != index(s.last) && s.last - s.first > width_) return false;
        merge(b_[index(s.first + (s.last - s.first) / 2)], s);
        return true;
    }
    std::vector<Bucket> result() const {
        std::vector<Bucket> out;
        for (const auto& b : b_)
            if (b.count) out.push_back(b);
        return out;
    }

private:
    static void merge(Bucket& b, const Bucket& s) {
        if (b.count == 0) {
            b = s;
            return;
        }
        b.min = std::min(b.min, s.min);
        b.max = std::max(b.max, s.max);
        if (s.first < b.first) { b.first = s.first; b.firstValue = s.firstValue; }
        if (s.last > b.last) { b.last = s.last; b.lastValue = s.lastValue; }
        b.count += s.count;
        b.sum += s.sum;
    }
    TimeMs t0_, t1_, width_;
    std::vector<Bucket> b_;
};

struct SeriesR {
    SeriesInfo info;
    std::size_t nq = 0, segments = 0;
    std::vector<double> precision;
    std::vector<std::string> assetIds;                 // List and Racks
    // The last key frame decoded, all segments: [q][asset].
    TimeMs cachedKeyT = std::numeric_limits<TimeMs>::min();
    std::vector<std::vector<std::int32_t>> key;
};

class Reader final : public StoreReader {
public:
    explicit Reader(const std::string& path) : path_(path), db_(openChecked(path)) {
        checkSchema();
        campus_ = schema::loadCampus(db_);
        loadCatalogue();
        frameAt_ = sql::Stmt(db_, "SELECT t, key_t FROM frame WHERE series = ? AND seg = 0 AND t <= ? "
                                  "ORDER BY t DESC LIMIT 1");
        blob_ = sql::Stmt(db_, "SELECT data FROM frame WHERE series = ? AND seg = ? AND t = ?");
        for (int i = 0; i < kThreads; ++i) dec_.push_back(std::make_unique<codec::Decompressor>());
        dataVersion_ = db_.scalar("PRAGMA data_version");
        computeSpan();
    }

    const std::string& path() const override { return path_; }
    const Campus& campus() const override { return campus_; }
    const std::vector<SeriesInfo>& series() const override { return seriesInfo_; }
    const std::vector<SignalInfo>& signalCatalogue() const override { return signalInfo_; }

    TimeSpan span() override { return span_; }

    bool refresh() override {
        const auto v = db_.scalar("PRAGMA data_version");
        if (v == dataVersion_) return false;
        dataVersion_ = v;
        const auto before = span_;
        const auto nSeries = series_.size(), nSignals = signalInfo_.size();
        loadCatalogue();
        computeSpan();
        return before.first != span_.first || before.last != span_.last || before.empty != span_.empty ||
               nSeries != series_.size() || nSignals != signalInfo_.size();
    }

    void stateAt(TimeMs t, CampusState& out) override {
        out.t = t;
        out.series.resize(series_.size());
        for (std::size_t i = 0; i < series_.size(); ++i) seriesAt(series_[i].info.id, t, out.series[i]);
        out.signalValues.clear();
        for (const auto& s : signalInfo_)
            if (s.series == 0) out.signalValues.push_back(signalAt(s.id, t));
    }

    void seriesAt(int id, TimeMs t, SeriesState& out) override {
        SeriesR& s = seriesById(id);
        out.series = id;
        out.values.resize(s.nq);
        out.damaged = false;
        TimeMs ft = 0, kt = 0;
        // The latest readable frame: a damaged one (or one whose key frame is damaged) is
        // recorded and the one before it is used.
        while (true) {
            if (!readableFrame(s, t, ft, kt, out.damaged)) {
                out.valid = false;
                out.t = 0;
                for (auto& v : out.values) v.clear();
                return;
            }
            for (auto& v : out.values) v.resize(static_cast<std::size_t>(s.info.assetCount));
            const auto read = readFrame(s, ft, kt, [&](std::size_t k, std::size_t lo, std::size_t count,
                                                       const std::int32_t* src) {
                const double p = s.precision[k];
                float* o = out.values[k].data() + lo;
                for (std::size_t i = 0; i < count; ++i) o[i] = static_cast<float>(src[i] * p);
            });
            if (read == FrameRead::Ok) break;
            out.damaged = true;
        }
        out.valid = true;
        out.t = ft;
    }

    SignalState signalAt(int id, TimeMs t) override {
        const SignalInfo& info = signalById(id);
        SignalState st;
        st.signal = id;
        if (info.series != 0) {
            // A columnar channel: the latest readable frame, decoding only its segment.
            SeriesR& s = seriesById(info.series);
            const auto pos = info.channel / static_cast<std::int64_t>(s.nq);
            const auto k = static_cast<std::size_t>(info.channel % static_cast<std::int64_t>(s.nq));
            TimeMs ft = 0, kt = 0;
            bool skipped = false;
            while (readableFrame(s, t, ft, kt, skipped)) {
                const auto found = damage_.ranges().size();
                forEachFrameValue(s, k, pos, ft, ft, [&](TimeMs at, double value) { st = {id, at, value, true}; });
                if (st.valid || damage_.ranges().size() == found) break;
                t = ft - 1;
            }
            return st;
        }
        latestChunkSample(info, t, st);
        try {
            sql::Stmt& r = stmt("SELECT t, value FROM sample WHERE signal = ? AND t <= ? ORDER BY t DESC LIMIT 1");
            r.bind(1, id).bind(2, t);
            if (r.step() && (!st.valid || r.i64(0) >= st.t)) st = {id, r.i64(0), r.f64(1), true};
            r.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            sampleRowsDamaged(info, e);
        }
        return st;
    }

    std::vector<Bucket> seriesRange(int id, int quantity, std::int64_t pos, TimeMs t0, TimeMs t1,
                                    int maxPoints) override {
        SeriesR& s = seriesById(id);
        if (quantity < 0 || static_cast<std::size_t>(quantity) >= s.nq || pos < 0 || pos >= s.info.assetCount)
            throw Error(path_, "series '" + s.info.spec.name + "' has no channel (" + std::to_string(quantity) +
                                   ", " + std::to_string(pos) + ")");
        Bucketer b(t0, t1, maxPoints);
        TimeMs framesFrom = t0;
        if (s.info.spec.columnar) {
            // Chunks hold all but the newest samples; frames hold the rest.
            const int sig = findSignal(s.assetIds[pos], s.info.spec.quantities[quantity].name);
            framesFrom = addChunks(b, sig, t0, t1) + 1;
        }
        if (framesFrom <= t1) addFrames(b, s, static_cast<std::size_t>(quantity), pos, framesFrom, t1);
        return b.result();
    }

    std::vector<Bucket> signalRange(int id, TimeMs t0, TimeMs t1, int maxPoints) override {
        const SignalInfo& info = signalById(id);
        if (info.series != 0) {
            const SeriesR& s = seriesById(info.series);
            return seriesRange(info.series, static_cast<int>(info.channel % s.nq),
                               info.channel / static_cast<std::int64_t>(s.nq), t0, t1, maxPoints);
        }
        Bucketer b(t0, t1, maxPoints);
        addChunks(b, id, t0, t1);
        try {
            sql::Stmt& r = stmt("SELECT t, value FROM sample WHERE signal = ? AND t BETWEEN ? AND ?");
            r.bind(1, id).bind(2, t0).bind(3, t1);
            while (r.step()) b.add(r.i64(0), r.f64(1));
            r.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            sampleRowsDamaged(info, e);
        }
        return b.result();
    }

    std::vector<Event> events(TimeMs t0, TimeMs t1) override {
        sql::Stmt& q = stmt("SELECT id, t_start, t_end, severity, asset, kind, text FROM event "
                            "WHERE t_start <= ? AND coalesce(t_end, t_start) >= ? ORDER BY t_start, id");
        q.bind(1, t1).bind(2, t0);
        std::vector<Event> out;
        while (q.step()) out.push_back(eventOfRow(q));
        q.reset();
        return out;
    }

    std::vector<Bookmark> bookmarks() override {
        sql::Stmt& q = stmt("SELECT id, t, name, note FROM bookmark ORDER BY t, id");
        std::vector<Bookmark> out;
        while (q.step()) out.push_back({q.i64(0), q.i64(1), q.text(2), q.text(3)});
        q.reset();
        return out;
    }

    const std::vector<Job>& jobs() const override { return jobs_; }

    const std::vector<DamagedRange>& damage() const override { return damage_.ranges(); }

    int findSeries(const std::string& name) const override {
        for (const auto& s : series_)
            if (s.info.spec.name == name) return s.info.id;
        return 0;
    }

    int findSignal(const std::string& asset, const std::string& quantity) const override {
        const auto it = signalByKey_.find(asset + '\n' + quantity);
        return it == signalByKey_.end() ? 0 : it->second;
    }

    // For readerStatement (store_reader_sql.h): twin's queries share the statement cache.
    sql::Stmt& statement(const char* text) { return stmt(text); }

    std::vector<std::vector<std::string>> query(const std::string& text) override {
        sql::Stmt q(db_, text);
        std::vector<std::vector<std::string>> rows;
        while (q.step()) {
            std::vector<std::string> row;
            for (int c = 0; c < q.columns(); ++c) row.push_back(q.text(c));
            rows.push_back(std::move(row));
        }
        q.reset();
        return rows;
    }

    // --- Raw access without reduction: frameTimes, frameQuantised, signalSamples (slice export) ---

    std::vector<TimeMs> frameTimes(int id, TimeMs t0, TimeMs t1) override {
        if (t1 < t0) return {};
        return segmentTimes(seriesById(id), 0, t0, t1);
    }

    // The times of one segment's frames in [t0, t1], from the primary key's index alone, so that
    // a damaged row costs only its frame; a damaged index is recorded and ends the list there.
    std::vector<TimeMs> segmentTimes(SeriesR& s, std::size_t seg, TimeMs t0, TimeMs t1) {
        std::vector<TimeMs> out;
        try {
            sql::Stmt& q = stmt("SELECT t FROM frame WHERE series = ? AND seg = ? AND t BETWEEN ? AND ? ORDER BY t");
            q.bind(1, s.info.id).bind(2, static_cast<std::int64_t>(seg)).bind(3, t0).bind(4, t1);
            while (q.step()) out.push_back(q.i64(0));
            q.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            damage_.other(DamagedRange::What::Index, s.info.id, 0, s.info.spec.name, out.empty() ? t0 : out.back() + 1, t1,
                          std::string("the index of its frames is damaged (") + e.problem() + ")");
        }
        return out;
    }

    void frameQuantised(int id, TimeMs t, std::vector<std::vector<std::int32_t>>& out) override {
        SeriesR& s = seriesById(id);
        TimeMs ft = 0, kt = 0;
        if (!frameRow(s, t, ft, kt) || ft != t)
            throw Error(path_, "series '" + s.info.spec.name + "' has no frame at " + formatUtc(t));
        const auto n = static_cast<std::size_t>(s.info.assetCount);
        out.resize(s.nq);
        for (auto& v : out) v.resize(n);
        const bool known = damage_.keyBad(s.info.id, kt) || damage_.frameBad(s.info.id, ft);
        if (known || readFrame(s, ft, kt, [&](std::size_t k, std::size_t lo, std::size_t count, const std::int32_t* src) {
                std::copy_n(src, count, out[k].data() + lo);
            }) != FrameRead::Ok)
            throw DamagedData(path_, "corrupted store: frame of series '" + s.info.spec.name + "' at " +
                                         formatUtc(t) + " is damaged");
    }

    void signalSamples(int id, TimeMs t0, TimeMs t1, std::vector<TimeMs>& t, std::vector<double>& v) override {
        const SignalInfo info = signalById(id);
        t.clear();
        v.clear();
        if (t1 < t0) return;
        // One read transaction: a writer moving samples from rows to a chunk in between could
        // otherwise make one missing or doubled.
        struct ReadTx {
            sql::Db& db;
            explicit ReadTx(sql::Db& d) : db(d) { db.exec("BEGIN"); }
            ~ReadTx() {
                // A statement left stepping by an exception would keep the transaction open: reset them.
                if (std::uncaught_exceptions() > 0)
                    for (sqlite3_stmt* st = sqlite3_next_stmt(db.handle(), nullptr); st;
                         st = sqlite3_next_stmt(db.handle(), st))
                        sqlite3_reset(st);
                try {
                    db.exec("COMMIT");
                } catch (...) {
                }
            }
        } tx(db_);
        // Chunks overlapping [t0, t1] (the last one starting at or before t0, then the rest).
        auto keep = [&](TimeMs at, double value) {
            if (at < t0 || at > t1) return;
            t.push_back(at);
            v.push_back(value);
        };
        const TimeMs chunksEnd = forEachChunk(info, t0, t1, [&](const Bucket& summary, std::int64_t rowid) {
            if (!chunkData(info, summary.first, summary.last, rowid)) {
                channelFramesFor(info, summary.first, summary.last, keep);
                return;
            }
            for (std::size_t j = 0; j < ct_.size(); ++j) keep(ct_[j], cv_[j]);
        });
        sortSamples(t, v);
        if (info.series != 0) {
            // A columnar channel: chunks hold all but the newest samples, frames hold the rest.
            SeriesR& s = seriesById(info.series);
            if (chunksEnd < t1)
                channelFrames(s, static_cast<std::size_t>(info.channel % static_cast<std::int64_t>(s.nq)),
                              info.channel / static_cast<std::int64_t>(s.nq), chunksEnd + 1, t1, t, v);
            return;
        }
        // Plain rows; a row replaces a chunk sample at the same time (as in signalAt).
        std::vector<TimeMs> rt;
        std::vector<double> rv;
        try {
            sql::Stmt& r = stmt("SELECT t, value FROM sample WHERE signal = ? AND t BETWEEN ? AND ? ORDER BY t");
            r.bind(1, id).bind(2, t0).bind(3, t1);
            while (r.step()) {
                rt.push_back(r.i64(0));
                rv.push_back(r.f64(1));
            }
            r.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            sampleRowsDamaged(info, e);
        }
        if (rt.empty()) return;
        std::vector<TimeMs> mt;
        std::vector<double> mv;
        mt.reserve(t.size() + rt.size());
        mv.reserve(t.size() + rt.size());
        std::size_t i = 0, j = 0;
        while (i < t.size() || j < rt.size()) {
            if (j < rt.size() && (i == t.size() || rt[j] <= t[i])) {
                while (i < t.size() && t[i] == rt[j]) ++i;
                mt.push_back(rt[j]);
                mv.push_back(rv[j++]);
            } else {
                mt.push_back(t[i]);
                mv.push_back(v[i++]);
            }
        }
        t.swap(mt);
        v.swap(mv);
    }

    // --- Many positions of one quantity, frame by frame (frameSlices; twin/query/rack_heat_map.h) ---

    void frameSlices(int id, int quantity, std::int64_t first, std::int64_t count, TimeMs t0, TimeMs t1,
                     const FrameSliceUse& use) override {
        SeriesR& s = seriesById(id);
        if (quantity < 0 || static_cast<std::size_t>(quantity) >= s.nq || first < 0 || count < 0 ||
            first > s.info.assetCount - count)
            throw Error(path_, "series '" + s.info.spec.name + "' has no quantity " + std::to_string(quantity) +
                                   " at positions " + std::to_string(first) + " to " + std::to_string(first + count - 1));
        if (count == 0 || t1 < t0) return;
        const auto size = static_cast<std::int64_t>(s.info.spec.segmentSize);
        const auto g0 = first / size, g1 = (first + count - 1) / size;
        std::vector<SliceSegment> segs(static_cast<std::size_t>(g1 - g0 + 1));   // (not movable: its decompressor)
        for (std::int64_t g = g0; g <= g1; ++g) {
            SliceSegment& x = segs[static_cast<std::size_t>(g - g0)];
            x.g = static_cast<std::size_t>(g);
            x.lo = g * size;
            x.n = static_cast<std::size_t>(std::min(size, s.info.assetCount - x.lo));
            x.from = static_cast<std::size_t>(std::max(first, x.lo) - x.lo);
            x.to = static_cast<std::size_t>(std::min(first + count, x.lo + size) - x.lo);
        }
        // The times from the first segment's index alone, so that a damaged row costs only its frame.
        const std::vector<TimeMs> times = segmentTimes(s, segs[0].g, t0, t1);
        // In batches of frames: while a batch is decoded (each segment on its own thread, handed
        // to `use` there), this thread reads the next one's rows (SQLite stays on this thread).
        constexpr std::size_t kBatch = 256;
        const std::size_t batches = (times.size() + kBatch - 1) / kBatch;
        auto batchAt = [&](std::size_t i) {
            return std::span<const TimeMs>(times.data() + i * kBatch, std::min(kBatch, times.size() - i * kBatch));
        };
        // A thread per segment: the segments' costs differ little (each decodes its whole
        // segment), so two threads for three segments would leave one waiting on the other.
        const int threads = static_cast<int>(std::min<std::size_t>(segs.size(), kSliceThreads));
        if (batches > 0)
            for (auto& x : segs) fetchSliceRows(s, x, batchAt(0), x.batch[0]);
        for (std::size_t i = 0; i < batches; ++i) {
            std::exception_ptr failed;
            std::thread decoding([&, i] {
                try {
                    parallelFor(threads, segs.size(), [&](std::size_t j, std::size_t) {
                        decodeSlices(s, static_cast<std::size_t>(quantity), segs[j], segs[j].batch[i % 2], segs[j].dec, use);
                    });
                } catch (...) {
                    failed = std::current_exception();
                }
            });
            try {
                if (i + 1 < batches)
                    for (auto& x : segs) fetchSliceRows(s, x, batchAt(i + 1), x.batch[(i + 1) % 2]);
            } catch (...) {
                decoding.join();
                throw;
            }
            decoding.join();
            if (failed) std::rethrow_exception(failed);
            for (auto& x : segs) {
                for (const auto& [kt, problem] : x.badKeys) keyDamaged(s, kt, problem);
                for (const auto& [t, problem] : x.badFrames) damage_.frame(id, s.info.spec.name, t, problem);
                x.badKeys.clear();
                x.badFrames.clear();
            }
        }
    }

private:
    // Sorts samples by time (chunks written by any other program may overlap) and keeps the last
    // of samples at the same time.
    static void sortSamples(std::vector<TimeMs>& t, std::vector<double>& v) {
        bool strictly = true;
        for (std::size_t i = 1; i < t.size() && strictly; ++i) strictly = t[i - 1] < t[i];
        if (strictly) return;
        std::vector<std::size_t> order(t.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return t[a] < t[b]; });
        std::vector<TimeMs> st;
        std::vector<double> sv;
        for (std::size_t i : order) {
            if (!st.empty() && st.back() == t[i]) {
                sv.back() = v[i];
                continue;
            }
            st.push_back(t[i]);
            sv.push_back(v[i]);
        }
        t.swap(st);
        v.swap(sv);
    }

    // Appends one channel's values in the frames in [t0, t1] (its segment only), as addFrames.
    void channelFrames(SeriesR& s, std::size_t k, std::int64_t pos, TimeMs t0, TimeMs t1, std::vector<TimeMs>& t,
                       std::vector<double>& v) {
        forEachFrameValue(s, k, pos, t0, t1, [&](TimeMs ft, double value) {
            t.push_back(ft);
            v.push_back(value);
        });
    }

private:
    static sql::Db openChecked(const std::string& path) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (!fs::exists(path, ec)) throw Error(path, "no such file");
        if (fs::is_directory(path, ec)) throw Error(path, "is a directory, not a twin store");
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(path, "cannot be read (permission denied?)");
        unsigned char h[100] = {};
        in.read(reinterpret_cast<char*>(h), sizeof h);
        const auto got = in.gcount();
        if (got < 100 || std::memcmp(h, "SQLite format 3", 16) != 0)
            throw Error(path, got == 0 ? "is empty, not a twin store" : "is not a twin store (not an SQLite database)");
        auto be32 = [&](int at) {
            return (std::uint32_t(h[at]) << 24) | (std::uint32_t(h[at + 1]) << 16) | (std::uint32_t(h[at + 2]) << 8) |
                   std::uint32_t(h[at + 3]);
        };
        const std::uint32_t pageSize = ((h[16] << 8) | h[17]) == 1 ? 65536u : ((h[16] << 8) | h[17]);
        const std::uint64_t pages = be32(28);
        const auto size = fs::file_size(path, ec);
        // The header's page count is valid when its change counter matches (offsets 24 and 92).
        if (!ec && be32(24) == be32(92) && pages > 0 && size < pages * pageSize)
            throw Error(path, "truncated store: the file has " + std::to_string(size) + " bytes, its header says " +
                                  std::to_string(pages * pageSize));
        if (const auto uri = immutableUri(path, h); !uri.empty())
            return sql::Db(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI);
        return sql::Db(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    }

    // A WAL store in a folder that cannot be written, with no -wal or -shm beside it (so nobody is
    // writing it): SQLite cannot create the shared-memory file a WAL reader needs, so the store is
    // opened as immutable (a "file:" URI with immutable=1). "" in every other case.
    static std::string immutableUri(const std::string& path, const unsigned char* header) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (header[18] != 2 || fs::exists(path + "-wal", ec) || fs::exists(path + "-shm", ec)) return {};
        const auto folder = fs::path(path).parent_path();
        if (::access(folder.empty() ? "." : folder.c_str(), W_OK) == 0) return {};
        std::string uri = "file:";
        for (const char c : path) {
            if (c == '%' || c == '?' || c == '#') {
                static const char* hex = "0123456789ABCDEF";
                uri += '%';
                uri += hex[static_cast<unsigned char>(c) >> 4];
                uri += hex[static_cast<unsigned char>(c) & 15];
            } else {
                uri += c;
            }
        }
        return uri + "?immutable=1";
    }

    void checkSchema() {
        const auto app = db_.scalar("PRAGMA application_id");
        const auto version = db_.scalar("PRAGMA user_version");
        if (app != schema::kApplicationId)
            throw Error(path_, "is not a twin store (an SQLite database without the twin schema)");
        if (version > kStoreSchemaVersion)
            throw Error(path_, "was written with store schema version " + std::to_string(version) +
                                   ", newer than this program reads (" + std::to_string(kStoreSchemaVersion) +
                                   "); update Colossus Twin to open it");
        if (version < 1) throw Error(path_, "has an unknown store schema version " + std::to_string(version));
        // The memory map as large as SQLite allows (SQLITE_MAX_MMAP_SIZE, 0x7fff0000 by default;
        // a larger request is cut to it): a page read through the map is not copied, and the rack
        // heat map's reads of every frame of an hour of a 4 GB store took 10 % less CPU than with 1 GiB.
        db_.exec("PRAGMA query_only = 1; PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536");
    }

    void loadCatalogue() {
        jobs_.clear();
        {
            sql::Stmt q(db_, "SELECT id, name, gpus, step_period_s FROM job ORDER BY id");
            while (q.step()) {
                Job j;
                j.id = static_cast<int>(q.i64(0));
                j.name = q.text(1);
                j.gpus = q.i64(2);
                j.stepPeriodS = q.f64(3);
                jobs_.push_back(std::move(j));
            }
            sql::Stmt r(db_, "SELECT job, rack FROM job_rack ORDER BY job, rack");
            std::size_t at = 0;
            while (r.step()) {
                const auto id = r.i64(0);
                while (at < jobs_.size() && jobs_[at].id < id) ++at;
                if (at < jobs_.size() && jobs_[at].id == id) jobs_[at].racks.push_back(r.text(1));
            }
        }
        std::map<int, SeriesR> old;
        for (auto& s : series_) old.emplace(s.info.id, std::move(s));
        series_.clear();
        seriesInfo_.clear();
        {
            sql::Stmt q(db_, "SELECT id, name, asset_set, asset_count, period_ms, key_interval, segment_size, "
                             "columnar FROM series ORDER BY id");
            while (q.step()) {
                SeriesR s;
                s.info.id = static_cast<int>(q.i64(0));
                s.info.spec.name = q.text(1);
                const auto set = schema::assetSetFromName(q.text(2));
                if (!set) throw Error(path_, "corrupted store: series '" + q.text(1) + "' has an unknown asset set");
                s.info.spec.assetSet = *set;
                s.info.assetCount = q.i64(3);
                s.info.spec.periodMs = q.i64(4);
                s.info.spec.keyInterval = static_cast<int>(q.i64(5));
                s.info.spec.segmentSize = static_cast<int>(q.i64(6));
                s.info.spec.columnar = q.i64(7) != 0;
                if (s.info.spec.segmentSize < 1 || s.info.assetCount < 1)
                    throw Error(path_, "corrupted store: series '" + s.info.spec.name + "' has no assets or segments");
                s.segments = static_cast<std::size_t>((s.info.assetCount + s.info.spec.segmentSize - 1) /
                                                      s.info.spec.segmentSize);
                if (auto it = old.find(s.info.id); it != old.end()) {
                    s.cachedKeyT = it->second.cachedKeyT;
                    s.key = std::move(it->second.key);
                }
                series_.push_back(std::move(s));
            }
        }
        for (auto& s : series_) {
            sql::Stmt q(db_, "SELECT quantity, unit, precision FROM series_quantity WHERE series = ? ORDER BY idx");
            q.bind(1, s.info.id);
            while (q.step()) s.info.spec.quantities.push_back({q.text(0), q.text(1), q.f64(2)});
            s.nq = s.info.spec.quantities.size();
            for (const auto& x : s.info.spec.quantities) s.precision.push_back(x.precision);
            if (s.nq == 0) throw Error(path_, "corrupted store: series '" + s.info.spec.name + "' has no quantities");
            if (s.info.spec.assetSet == AssetSet::List) {
                sql::Stmt a(db_, "SELECT asset FROM series_asset WHERE series = ? ORDER BY pos");
                a.bind(1, s.info.id);
                while (a.step()) s.assetIds.push_back(a.text(0));
                s.info.spec.assets = s.assetIds;
            } else if (s.info.spec.assetSet == AssetSet::Racks) {
                for (AssetIndex r : campus_.racks()) s.assetIds.push_back(campus_.assets[r].id);
            } else if (s.info.spec.assetSet == AssetSet::Jobs) {
                for (const auto& j : jobs_) s.assetIds.push_back(j.name);
                s.assetIds.resize(std::min<std::size_t>(s.assetIds.size(), static_cast<std::size_t>(s.info.assetCount)));
            }
            if (s.info.spec.assetSet == AssetSet::Jobs) {
                if (static_cast<std::int64_t>(s.assetIds.size()) != s.info.assetCount)
                    throw Error(path_, "corrupted store: job series '" + s.info.spec.name + "' has " +
                                           std::to_string(s.info.assetCount) + " channels for " +
                                           std::to_string(s.assetIds.size()) + " jobs");
                s.info.assets.assign(s.assetIds.size(), kNoAsset);
            } else if (s.info.spec.assetSet != AssetSet::Gpus) {
                if (static_cast<std::int64_t>(s.assetIds.size()) != s.info.assetCount)
                    throw Error(path_, "corrupted store: series '" + s.info.spec.name + "' lists " +
                                           std::to_string(s.assetIds.size()) + " assets, expected " +
                                           std::to_string(s.info.assetCount));
                for (const auto& a : s.assetIds) s.info.assets.push_back(campus_.find(a));
            } else if (s.info.assetCount != campus_.gpuCount()) {
                throw Error(path_, "corrupted store: GPU series '" + s.info.spec.name + "' does not match the campus");
            }
            seriesInfo_.push_back(s.info);
        }
        signalInfo_.clear();
        signalByKey_.clear();
        signalIndex_.clear();
        sql::Stmt q(db_, "SELECT id, asset, quantity, unit, series, channel FROM signal ORDER BY id");
        while (q.step()) {
            SignalInfo s{static_cast<int>(q.i64(0)), q.text(1), q.text(2), q.text(3),
                         q.isNull(4) ? 0 : static_cast<int>(q.i64(4)), q.isNull(5) ? -1 : q.i64(5)};
            signalByKey_[s.asset + '\n' + s.quantity] = s.id;
            signalIndex_[s.id] = signalInfo_.size();
            signalInfo_.push_back(std::move(s));
        }
    }

    void computeSpan() {
        TimeSpan sp;
        // A damaged index leaves its bound out (recorded) rather than refusing the store.
        auto take = [&](sql::Stmt& q) {
            try {
                while (q.step()) {
                    if (q.isNull(0)) continue;
                    const TimeMs t = q.i64(0);
                    if (sp.empty) sp = {t, t, false};
                    sp.first = std::min(sp.first, t);
                    sp.last = std::max(sp.last, t);
                }
                q.reset();
            } catch (const sql::Failure& e) {
                if (!e.damaged()) throw;
                damage_.other(DamagedRange::What::Index, 0, 0, "span", std::numeric_limits<TimeMs>::min(), std::numeric_limits<TimeMs>::max(),
                              std::string("a bound of the recording's span cannot be read (") + e.problem() + ")");
            }
        };
        for (const auto& s : series_) {
            sql::Stmt& a = stmt("SELECT min(t) FROM frame WHERE series = ? AND seg = 0");
            a.bind(1, s.info.id);
            take(a);
            sql::Stmt& b = stmt("SELECT max(t) FROM frame WHERE series = ? AND seg = 0");
            b.bind(1, s.info.id);
            take(b);
        }
        for (const char* q : {"SELECT min(t0) FROM chunk", "SELECT max(t1) FROM chunk", "SELECT min(t) FROM sample",
                              "SELECT max(t) FROM sample", "SELECT min(t_start) FROM event",
                              "SELECT max(coalesce(t_end, t_start)) FROM event"})
            take(stmt(q));
        span_ = sp;
    }

    sql::Stmt& stmt(const char* text) {
        auto it = stmts_.find(text);
        if (it == stmts_.end()) it = stmts_.emplace(text, sql::Stmt(db_, text)).first;
        return it->second;
    }

    SeriesR& seriesById(int id) {
        for (auto& s : series_)
            if (s.info.id == id) return s;
        throw Error(path_, "no series with id " + std::to_string(id));
    }
    const SignalInfo& signalById(int id) const {
        const auto it = signalIndex_.find(id);
        if (it == signalIndex_.end()) throw Error(path_, "no signal with id " + std::to_string(id));
        return signalInfo_[it->second];
    }

    // The latest frame of a series at or before t (its time and its key frame's). A row that
    // cannot be read is recorded as a damaged frame (its key then unknown: kt = ft).
    bool frameRow(SeriesR& s, TimeMs t, TimeMs& ft, TimeMs& kt) {
        try {
            frameAt_.bind(1, s.info.id).bind(2, t);
            const bool found = frameAt_.step();
            if (found) {
                ft = frameAt_.i64(0);
                kt = frameAt_.i64(1);
            }
            frameAt_.reset();
            return found;
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
        }
        // The frame's row is unreadable: its time from the primary key's index alone.
        try {
            sql::Stmt& q = stmt("SELECT t FROM frame WHERE series = ? AND seg = 0 AND t <= ? ORDER BY t DESC LIMIT 1");
            q.bind(1, s.info.id).bind(2, t);
            const bool found = q.step();
            if (found) ft = kt = q.i64(0);
            q.reset();
            if (found) damage_.frame(s.info.id, s.info.spec.name, ft, "its row cannot be read");
            return found;
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            damage_.other(DamagedRange::What::Index, s.info.id, 0, s.info.spec.name, std::numeric_limits<TimeMs>::min(), t,
                          std::string("the index of its frames is damaged (") + e.problem() + ")");
            return false;
        }
    }

    // The latest frame at or before t that is not known to be damaged, nor its key frame.
    // `skipped`: set when a damaged one was passed over.
    bool readableFrame(SeriesR& s, TimeMs t, TimeMs& ft, TimeMs& kt, bool& skipped) {
        while (frameRow(s, t, ft, kt)) {
            if (damage_.keyBad(s.info.id, kt)) {
                skipped = true;
                t = kt - 1;
            } else if (damage_.frameBad(s.info.id, ft)) {
                skipped = true;
                t = ft - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    // The last frame that depends on the key frame at kt (kt itself if none can be read).
    TimeMs lastDependent(const SeriesR& s, TimeMs kt) {
        TimeMs last = kt;
        try {
            sql::Stmt& q = stmt("SELECT t, key_t FROM frame WHERE series = ? AND seg = 0 AND t > ? ORDER BY t");
            q.bind(1, s.info.id).bind(2, kt);
            while (q.step() && q.i64(1) == kt) last = q.i64(0);
            q.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
        }
        return last;
    }

    void keyDamaged(SeriesR& s, TimeMs kt, const std::string& problem) {
        s.cachedKeyT = std::numeric_limits<TimeMs>::min();
        damage_.key(s.info.id, s.info.spec.name, kt, lastDependent(s, kt), problem);
    }

    enum class FrameRead { Ok, KeyDamaged, FrameDamaged };

    // Decodes the frame at ft (key frame kt) of every segment: the key frame into the series'
    // cache unless it is there, the frame itself unless it is the key; emit(quantity, first
    // position, count, values) for each segment and quantity, from the decoding threads.
    // Damage is recorded, not thrown.
    template <class Emit> FrameRead readFrame(SeriesR& s, TimeMs ft, TimeMs kt, Emit&& emit) {
        const bool needKey = s.cachedKeyT != kt, needDelta = ft != kt;
        const auto n = static_cast<std::size_t>(s.info.assetCount);
        if (needKey) {
            s.cachedKeyT = std::numeric_limits<TimeMs>::min();
            s.key.resize(s.nq);
            for (auto& k : s.key) k.resize(n);
            try {
                fetchSegments(s, kt, keyBlobs_);
            } catch (const Unreadable& e) {
                keyDamaged(s, kt, e.what());
                return FrameRead::KeyDamaged;
            }
        }
        if (needDelta) {
            try {
                fetchSegments(s, ft, blobs_);
            } catch (const Unreadable& e) {
                damage_.frame(s.info.id, s.info.spec.name, ft, e.what());
                return FrameRead::FrameDamaged;
            }
        }
        std::string keyProblem[kThreads], frameProblem[kThreads];
        // A thread costs more than decoding a small frame (the plant's series): those stay on this one.
        const int threads = n * s.nq >= kParallelValues ? kThreads : 1;
        parallelFor(threads, s.segments, [&](std::size_t g, std::size_t w) {
            const std::size_t lo = g * static_cast<std::size_t>(s.info.spec.segmentSize);
            const std::size_t count = std::min<std::size_t>(s.info.spec.segmentSize, n - lo);
            if (needKey) {
                try {
                    const auto blob = std::span<const std::uint8_t>(keyBlobs_[g]);
                    const auto h = header(s, blob);
                    if (!h.isKey || h.count != count) throw Unreadable("segment " + std::to_string(g) + " is not a key frame of its size");
                    for (std::size_t k = 0; k < s.nq; ++k) decode(*dec_[w], blob, h, k, nullptr, s.key[k].data() + lo);
                } catch (const Unreadable& e) {
                    keyProblem[w] = e.what();
                    return;
                }
            }
            if (!needDelta) {
                for (std::size_t k = 0; k < s.nq; ++k) emit(k, lo, count, s.key[k].data() + lo);
                return;
            }
            try {
                const auto blob = std::span<const std::uint8_t>(blobs_[g]);
                const auto h = header(s, blob);
                if (h.isKey || h.count != count) throw Unreadable("segment " + std::to_string(g) + " is not a delta frame of its size");
                scratch_[w].resize(count);
                for (std::size_t k = 0; k < s.nq; ++k) {
                    decode(*dec_[w], blob, h, k, s.key[k].data() + lo, scratch_[w].data());
                    emit(k, lo, count, scratch_[w].data());
                }
            } catch (const Unreadable& e) {
                frameProblem[w] = e.what();
            }
        });
        for (const auto& p : keyProblem)
            if (!p.empty()) {
                keyDamaged(s, kt, p);
                return FrameRead::KeyDamaged;
            }
        s.cachedKeyT = kt;
        for (const auto& p : frameProblem)
            if (!p.empty()) {
                damage_.frame(s.info.id, s.info.spec.name, ft, p);
                return FrameRead::FrameDamaged;
            }
        return FrameRead::Ok;
    }

    // Copies the blobs of every segment of the frame at t into out. Throws Unreadable.
    void fetchSegments(const SeriesR& s, TimeMs t, std::vector<std::vector<std::uint8_t>>& out) {
        out.resize(s.segments);
        for (std::size_t g = 0; g < s.segments; ++g) fetchBlob(s, g, t, out[g]);
    }

    void fetchBlob(const SeriesR& s, std::size_t g, TimeMs t, std::vector<std::uint8_t>& out) {
        try {
            blob_.bind(1, s.info.id).bind(2, static_cast<std::int64_t>(g)).bind(3, t);
            if (!blob_.step()) {
                blob_.reset();
                throw Unreadable("segment " + std::to_string(g) + " is missing");
            }
            const auto b = blob_.blob(0);
            out.assign(b.begin(), b.end());
            blob_.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            throw Unreadable("segment " + std::to_string(g) + " cannot be read (" + e.problem() + ")");
        }
    }

    codec::SegmentHeader header(const SeriesR& s, std::span<const std::uint8_t> blob) const {
        try {
            auto h = codec::readSegmentHeader(blob);
            if (static_cast<std::size_t>(h.quantities) != s.nq) throw std::runtime_error("wrong number of quantities");
            return h;
        } catch (const std::exception& e) {
            throw Unreadable(e.what());
        }
    }

    void decode(codec::Decompressor& d, std::span<const std::uint8_t> blob, const codec::SegmentHeader& h,
                std::size_t k, const std::int32_t* key, std::int32_t* out) const {
        try {
            codec::decodeSegmentQuantity(d, blob, h, static_cast<int>(k), key, out);
        } catch (const std::exception& e) {
            throw Unreadable(e.what());
        }
    }

    // Quantity k of segment g of the frame whose blob is given (a key frame when key is null).
    // Throws Unreadable.
    void segmentQuantity(const SeriesR& s, std::size_t g, std::size_t k, std::span<const std::uint8_t> blob,
                         const std::int32_t* key, std::vector<std::int32_t>& out) {
        segmentQuantity(s, g, k, blob, key, out, *dec_[0]);
    }
    void segmentQuantity(const SeriesR& s, std::size_t g, std::size_t k, std::span<const std::uint8_t> blob,
                         const std::int32_t* key, std::vector<std::int32_t>& out, codec::Decompressor& d) const {
        const auto h = header(s, blob);
        if (h.isKey != (key == nullptr)) throw Unreadable("segment " + std::to_string(g) + " has the wrong kind");
        // The callers index the segment by asset position: a damaged count must not shorten it.
        const std::size_t lo = g * static_cast<std::size_t>(s.info.spec.segmentSize);
        if (h.count != std::min<std::size_t>(s.info.spec.segmentSize, s.info.assetCount - lo))
            throw Unreadable("segment " + std::to_string(g) + " has the wrong asset count");
        out.resize(h.count);
        decode(d, blob, h, k, key, out.data());
    }

    // frameSlices' reading of one segment: its rows of a batch of frames and the key frames they
    // need from before the batch (two batches: one decoded while the next is read), what the
    // decoding found damaged (recorded afterwards).
    struct SliceRow {
        TimeMs t = 0, kt = 0;
        bool readable = true;
        std::vector<std::uint8_t> blob;
    };
    struct SliceBatch {
        std::vector<SliceRow> rows;                   // reused: `used` of them hold this batch
        std::size_t used = 0;
        std::map<TimeMs, std::vector<std::uint8_t>> keyBlobs;
    };
    struct SliceSegment {
        std::size_t g = 0, n = 0, from = 0, to = 0;   // segment, its size, the positions wanted in it
        std::int64_t lo = 0;                          // its first position
        SliceBatch batch[2];
        codec::Decompressor dec;
        TimeMs fetchedKey = std::numeric_limits<TimeMs>::min();   // reading: the key of the last row read
        // Decoding: the key frame decoded (or found damaged), the frame, what was found damaged.
        TimeMs keyT = std::numeric_limits<TimeMs>::min(), badKey = std::numeric_limits<TimeMs>::min();
        std::vector<std::int32_t> key, cur;
        std::vector<std::pair<TimeMs, std::string>> badKeys, badFrames;
    };

    // The rows of segment x for the frames at `times` (ascending) into b, one range read; after a
    // damaged row, the rest one by one (an unreadable one marked, and recorded as a damaged frame).
    void fetchSliceRows(SeriesR& s, SliceSegment& x, std::span<const TimeMs> times, SliceBatch& b) {
        b.used = 0;
        auto next = [&b]() -> SliceRow& {
            if (b.used == b.rows.size()) b.rows.emplace_back();
            SliceRow& r = b.rows[b.used++];
            r.readable = true;
            return r;
        };
        const auto g = static_cast<std::int64_t>(x.g);
        try {
            sql::Stmt& q = stmt("SELECT t, key_t, data FROM frame WHERE series = ? AND seg = ? AND t BETWEEN ? AND ? ORDER BY t");
            q.bind(1, s.info.id).bind(2, g).bind(3, times.front()).bind(4, times.back());
            while (q.step()) {
                SliceRow& r = next();
                r.t = q.i64(0);
                r.kt = q.i64(1);
                const auto blob = q.blob(2);
                r.blob.assign(blob.begin(), blob.end());
            }
            q.reset();
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            const TimeMs done = b.used ? b.rows[b.used - 1].t : std::numeric_limits<TimeMs>::min();
            sql::Stmt& one = stmt("SELECT key_t, data FROM frame WHERE series = ? AND seg = ? AND t = ?");
            for (const TimeMs t : times) {
                if (t <= done) continue;
                SliceRow& r = next();
                r.t = r.kt = t;
                try {
                    one.bind(1, s.info.id).bind(2, g).bind(3, t);
                    if (one.step()) {
                        r.kt = one.i64(0);
                        const auto blob = one.blob(1);
                        r.blob.assign(blob.begin(), blob.end());
                    } else {
                        r.readable = false;
                        damage_.frame(s.info.id, s.info.spec.name, t, "segment " + std::to_string(x.g) + " is missing");
                    }
                    one.reset();
                } catch (const sql::Failure& f) {
                    if (!f.damaged()) throw;
                    r.readable = false;
                    damage_.frame(s.info.id, s.info.spec.name, t, "its row cannot be read (" + f.problem() + ")");
                }
            }
        }
        // The key frames of deltas whose key is neither the one before this batch nor in it.
        b.keyBlobs.clear();
        for (std::size_t i = 0; i < b.used; ++i) {
            const SliceRow& r = b.rows[i];
            if (!r.readable || r.kt == x.fetchedKey) continue;
            x.fetchedKey = r.kt;
            if (r.t == r.kt) continue;
            try {
                fetchBlob(s, x.g, r.kt, b.keyBlobs[r.kt]);
            } catch (const Unreadable& e) {
                b.keyBlobs.erase(r.kt);
                keyDamaged(s, r.kt, e.what());
            }
        }
    }

    // Decodes quantity k of segment x's rows in time order and hands the wanted positions to use.
    // Runs on a decoding thread: damage is collected in x, not recorded.
    void decodeSlices(const SeriesR& s, std::size_t k, SliceSegment& x, const SliceBatch& b, codec::Decompressor& d,
                      const FrameSliceUse& use) {
        const TimeMs none = std::numeric_limits<TimeMs>::min();
        for (std::size_t i = 0; i < b.used; ++i) {
            const SliceRow& r = b.rows[i];
            if (!r.readable) continue;
            try {
                if (r.t == r.kt) {
                    x.keyT = none;
                    try {
                        segmentQuantity(s, x.g, k, r.blob, nullptr, x.key, d);
                    } catch (const Unreadable& e) {
                        x.badKey = r.kt;
                        x.badKeys.emplace_back(r.kt, e.what());
                        continue;
                    }
                    x.keyT = r.kt;
                    use(r.t, x.lo + static_cast<std::int64_t>(x.from), std::span<const std::int32_t>(x.key.data() + x.from, x.to - x.from));
                    continue;
                }
                if (x.keyT != r.kt) {
                    x.keyT = none;
                    const auto it = b.keyBlobs.find(r.kt);
                    if (r.kt == x.badKey || it == b.keyBlobs.end()) continue;   // recorded with its key frame
                    try {
                        segmentQuantity(s, x.g, k, it->second, nullptr, x.key, d);
                    } catch (const Unreadable& e) {
                        x.badKey = r.kt;
                        x.badKeys.emplace_back(r.kt, e.what());
                        continue;
                    }
                    x.keyT = r.kt;
                }
                segmentQuantity(s, x.g, k, r.blob, x.key.data(), x.cur, d);
                use(r.t, x.lo + static_cast<std::int64_t>(x.from), std::span<const std::int32_t>(x.cur.data() + x.from, x.to - x.from));
            } catch (const Unreadable& e) {
                x.badFrames.emplace_back(r.t, e.what());
            }
        }
    }

    // Adds one channel's frames in [t0, t1] (its segment only) to b.
    void addFrames(Bucketer& b, SeriesR& s, std::size_t k, std::int64_t pos, TimeMs t0, TimeMs t1) {
        forEachFrameValue(s, k, pos, t0, t1, [&b](TimeMs t, double value) { b.add(t, value); });
    }

    // Calls use(t, value) for quantity k of the asset at pos in every readable frame of [t0, t1],
    // in time order, decoding only the asset's segment (and each key frame once). A damaged
    // frame is recorded and skipped, and with a damaged key frame every frame that needs it.
    template <class Use>
    void forEachFrameValue(SeriesR& s, std::size_t k, std::int64_t pos, TimeMs t0, TimeMs t1, Use&& use) {
        const std::size_t g = static_cast<std::size_t>(pos / s.info.spec.segmentSize);
        const std::size_t i = static_cast<std::size_t>(pos % s.info.spec.segmentSize);
        const int id = s.info.id;
        // The times from the primary key's index alone, so that a damaged row costs only its frame.
        const std::vector<TimeMs> times = segmentTimes(s, g, t0, t1);
        sql::Stmt& row = stmt("SELECT key_t, data FROM frame WHERE series = ? AND seg = ? AND t = ?");
        std::vector<std::int32_t> key, cur;
        TimeMs keyT = std::numeric_limits<TimeMs>::min();
        // Damage is per frame in seriesAt but per segment here: a frame known damaged elsewhere
        // is still read in this segment (nothing readable is left out of a range).
        for (const TimeMs t : times) {
            TimeMs kt = t;
            try {
                row.bind(1, id).bind(2, static_cast<std::int64_t>(g)).bind(3, t);
                if (!row.step()) throw Unreadable("segment " + std::to_string(g) + " vanished while read");
                kt = row.i64(0);
                if (t == kt) {
                    keyT = std::numeric_limits<TimeMs>::min();
                    try {
                        segmentQuantity(s, g, k, row.blob(1), nullptr, key);
                    } catch (const Unreadable& e) {
                        row.reset();
                        keyDamaged(s, kt, e.what());
                        continue;
                    }
                    keyT = kt;
                } else {
                    one_.assign(row.blob(1).begin(), row.blob(1).end());
                    row.reset();
                    if (kt != keyT) {
                        keyT = std::numeric_limits<TimeMs>::min();
                        try {
                            fetchBlob(s, g, kt, keyBlob_);
                            segmentQuantity(s, g, k, keyBlob_, nullptr, key);
                        } catch (const Unreadable& e) {
                            keyDamaged(s, kt, e.what());
                            continue;
                        }
                        keyT = kt;
                    }
                    segmentQuantity(s, g, k, one_, key.data(), cur);
                }
                row.reset();
            } catch (const Unreadable& e) {
                row.reset();
                damage_.frame(id, s.info.spec.name, t, e.what());
                continue;
            } catch (const sql::Failure& e) {
                if (!e.damaged()) throw;
                damage_.frame(id, s.info.spec.name, t, "its row cannot be read (" + e.problem() + ")");
                continue;
            }
            if (i >= (t == kt ? key.size() : cur.size())) continue;
            use(t, (t == kt ? key[i] : cur[i]) * s.precision[k]);
        }
    }

    std::string signalName(const SignalInfo& s) const { return s.asset + ' ' + s.quantity; }

    void sampleRowsDamaged(const SignalInfo& s, const sql::Failure& e) {
        damage_.other(DamagedRange::What::SampleRows, 0, s.id, signalName(s), std::numeric_limits<TimeMs>::min(), std::numeric_limits<TimeMs>::max(),
                      std::string("its sample rows cannot be read (") + e.problem() + ")");
    }

    // The latest sample at or before t in the signal's readable chunks, into st (left as is if none).
    void latestChunkSample(const SignalInfo& info, TimeMs t, SignalState& st) {
        sql::Stmt& q = stmt("SELECT t0, t1, rowid FROM chunk WHERE signal = ? AND t0 <= ? ORDER BY t0 DESC LIMIT 1");
        while (true) {
            TimeMs c0 = 0, c1 = 0;
            std::int64_t rowid = 0;
            try {
                q.bind(1, info.id).bind(2, t);
                const bool found = q.step();
                if (found) {
                    c0 = q.i64(0);
                    c1 = q.i64(1);
                    rowid = q.i64(2);
                }
                q.reset();
                if (!found) return;
            } catch (const sql::Failure& e) {
                if (!e.damaged()) throw;
                damage_.other(DamagedRange::What::Index, 0, info.id, signalName(info), std::numeric_limits<TimeMs>::min(), t,
                              std::string("the index of its chunks is damaged (") + e.problem() + ")");
                return;
            }
            if (chunkData(info, c0, c1, rowid)) {
                const auto it = std::upper_bound(ct_.begin(), ct_.end(), t);
                if (it != ct_.begin()) {
                    const auto i = static_cast<std::size_t>(it - ct_.begin() - 1);
                    st = {info.id, ct_[i], cv_[i], true};
                }
                return;
            }
            t = c0 - 1;   // damaged: the chunk before it
        }
    }

    // Decodes the chunk at rowid (spanning [c0, c1]) into ct_, cv_; false if it is damaged
    // (recorded).
    bool chunkData(const SignalInfo& info, TimeMs c0, TimeMs c1, std::int64_t rowid) {
        if (damage_.chunkBad(info.id, c0)) return false;
        const std::string recovered = info.series != 0 ? " (its values are read from the frames)" : "";
        sql::Stmt& data = stmt("SELECT data FROM chunk WHERE rowid = ?");
        try {
            data.bind(1, rowid);
            if (!data.step()) throw Unreadable("it vanished while read");
            codec::decodeChunk(*dec_[0], data.blob(0), ct_, cv_);
            data.reset();
            return true;
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            damage_.chunk(info.id, signalName(info), c0, c1, "its row cannot be read (" + e.problem() + ")" + recovered);
        } catch (const std::exception& e) {   // Unreadable and the codec's errors
            data.reset();
            damage_.chunk(info.id, signalName(info), c0, c1, e.what() + recovered);
        }
        return false;
    }

    // Calls use(c0, c1, summary, rowid) for each chunk of the signal overlapping [t0, t1] (from
    // the last one starting at or before t0), from the covering index chunk_summary (stores from
    // before it read the table); returns the last chunk time (or t0 - 1).
    template <class Use> TimeMs forEachChunk(const SignalInfo& info, TimeMs t0, TimeMs t1, Use&& use) {
        TimeMs start = std::numeric_limits<TimeMs>::min(), last = t0 - 1;
        try {
            sql::Stmt& m = stmt("SELECT max(t0) FROM chunk WHERE signal = ? AND t0 <= ?");
            m.bind(1, info.id).bind(2, t0);
            if (m.step() && !m.isNull(0)) start = m.i64(0);
            m.reset();
            sql::Stmt& q = stmt("SELECT t0, t1, n, v_min, v_max, v_first, v_last, v_sum, rowid FROM chunk "
                                "WHERE signal = ? AND t0 >= ? AND t0 <= ? ORDER BY t0");
            q.bind(1, info.id).bind(2, start).bind(3, t1);
            std::vector<std::pair<Bucket, std::int64_t>> chunks;
            while (q.step()) {
                const TimeMs c0 = q.i64(0), c1 = q.i64(1);
                last = std::max(last, c1);
                if (c1 < t0) continue;
                chunks.push_back({Bucket{c0, c1, q.f64(3), q.f64(4), q.f64(5), q.f64(6),
                                         static_cast<std::uint32_t>(q.i64(2)), q.f64(7)},
                                  q.i64(8)});
            }
            q.reset();
            for (const auto& [summary, rowid] : chunks) use(summary, rowid);
        } catch (const sql::Failure& e) {
            if (!e.damaged()) throw;
            damage_.other(DamagedRange::What::Index, 0, info.id, signalName(info), t0, t1,
                          std::string("the index of its chunks is damaged (") + e.problem() + ")");
        }
        return last;
    }

    // Adds the chunks of a signal overlapping [t0, t1] to b (a summary when it fits a bucket,
    // else the decoded samples; damaged chunks leave a gap); returns the last chunk time (or t0 - 1).
    TimeMs addChunks(Bucketer& b, int sig, TimeMs t0, TimeMs t1) {
        const SignalInfo& info = signalById(sig);
        return forEachChunk(info, t0, t1, [&](const Bucket& summary, std::int64_t rowid) {
            if (b.addSummary(summary)) return;
            if (chunkData(info, summary.first, summary.last, rowid)) {
                for (std::size_t j = 0; j < ct_.size(); ++j) b.add(ct_[j], cv_[j]);
                return;
            }
            channelFramesFor(info, summary.first, summary.last, [&](TimeMs t, double v) { b.add(t, v); });
        });
    }

    // A damaged chunk of a columnar channel loses nothing: the frames hold the same values.
    template <class Use> void channelFramesFor(const SignalInfo& info, TimeMs c0, TimeMs c1, Use&& use) {
        if (info.series == 0) return;
        SeriesR& s = seriesById(info.series);
        forEachFrameValue(s, static_cast<std::size_t>(info.channel % static_cast<std::int64_t>(s.nq)),
                          info.channel / static_cast<std::int64_t>(s.nq), c0, c1, use);
    }

    std::string path_;
    sql::Db db_;
    Campus campus_;
    std::vector<SeriesR> series_;
    std::vector<SeriesInfo> seriesInfo_;
    std::vector<SignalInfo> signalInfo_;
    std::vector<Job> jobs_;
    std::unordered_map<std::string, int> signalByKey_;
    std::unordered_map<int, std::size_t> signalIndex_;
    std::map<std::string, sql::Stmt> stmts_;
    sql::Stmt frameAt_, blob_;
    std::vector<std::unique_ptr<codec::Decompressor>> dec_;
    std::vector<std::vector<std::uint8_t>> blobs_, keyBlobs_;
    std::vector<std::int32_t> scratch_[kThreads];
    std::vector<std::uint8_t> one_, keyBlob_;
    DamageLog damage_;
    std::vector<TimeMs> ct_;
    std::vector<double> cv_;
    std::int64_t dataVersion_ = 0;
    TimeSpan span_;
};

} // namespace

std::unique_ptr<StoreReader> StoreReader::open(const std::string& path) {
    return std::make_unique<Reader>(path);
}

Event eventOfRow(const sql::Stmt& q) {
    Event e;
    e.id = q.i64(0);
    e.start = q.i64(1);
    if (!q.isNull(2)) e.end = q.i64(2);
    e.severity = severityFromName(q.text(3)).value_or(Severity::Info);
    e.asset = q.text(4);
    e.kind = q.text(5);
    e.text = q.text(6);
    return e;
}

sql::Stmt& readerStatement(StoreReader& reader, const char* sql) {
    auto* r = dynamic_cast<Reader*>(&reader);
    if (!r) throw Error(reader.path(), "not a store reader of StoreReader::open");
    return r->statement(sql);
}

} // namespace twin
