// StoreWriter: WAL, prepared statements, batched transactions, segment-parallel encoding.
#include "codec.h"
#include "parallel.h"
#include "store_resume.h"
#include "store_schema.h"
#include "store_writer_state.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

namespace twin {

namespace {

using Clock = std::chrono::steady_clock;

// Undoes a catalogue change that fails half-way, unless released.
class Savepoint {
public:
    explicit Savepoint(sql::Db& db) : db_(db) { db_.exec("SAVEPOINT catalogue"); }
    void release() {
        db_.exec("RELEASE catalogue");
        done_ = true;
    }
    ~Savepoint() {
        if (done_) return;
        try {
            db_.exec("ROLLBACK TO catalogue; RELEASE catalogue");
        } catch (...) {
        }
    }

private:
    sql::Db& db_;
    bool done_ = false;
};

using writer::JobW;
using writer::Pending;
using writer::SeriesW;
using writer::SignalW;

class Writer final : public StoreWriter {
public:
    // resume: continue the existing store at `path` (it must hold `campus`); otherwise create it.
    Writer(const std::string& path, const Campus& campus, const WriterOptions& o, bool resume)
        : path_(path), campus_(campus), options_(o), db_(open(path, o, resume)) {
        if (resume) {
            adopt();
        } else {
            schema::create(db_);
            {
                sql::Stmt meta(db_, "INSERT INTO meta(key, value) VALUES(?, ?)");
                meta.bind(1, "format").bind(2, "colossus-twin-store").run();
                meta.bind(1, "schema_version").bind(2, std::to_string(kStoreSchemaVersion)).run();
                meta.bind(1, "time_unit").bind(2, "ms since 1970-01-01T00:00:00Z").run();
                meta.bind(1, "created_by").bind(2, "colossus-twin " COLOSSUS_VERSION).run();
            }
            schema::saveCampus(db_, campus);
        }
        db_.exec("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 256; "
                 "PRAGMA journal_size_limit = 67108864");
        insFrame_ = sql::Stmt(db_, "INSERT INTO frame(series, seg, t, key_t, data) VALUES(?, ?, ?, ?, ?)");
        insChunk_ = sql::Stmt(db_, "INSERT INTO chunk VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insSample_ = sql::Stmt(db_, "INSERT OR REPLACE INTO sample(signal, t, value) VALUES(?, ?, ?)");
        delSamples_ = sql::Stmt(db_, "DELETE FROM sample WHERE signal = ? AND t BETWEEN ? AND ?");
        for (int i = 0; i < std::max(1, o.threads); ++i) {
            compressors_.push_back(std::make_unique<codec::Compressor>(o.zstdLevel));
        }
    }

    ~Writer() override {
        try {
            close();
        } catch (...) {
            // Destructors must not throw; what was committed stays readable.
        }
    }

    const std::string& path() const override { return path_; }

    std::optional<TimeMs> lastFrameTime(int id) const override {
        for (const auto& s : series_)
            if (s.id == id) return s.lastT == std::numeric_limits<TimeMs>::min() ? std::nullopt : std::optional(s.lastT);
        throw Error(path_, "no series with id " + std::to_string(id));
    }

    int addSeries(const SeriesSpec& spec) override {
        requireOpen();
        if (spec.name.empty() || spec.quantities.empty())
            throw Error(path_, "series needs a name and at least one quantity");
        if (spec.keyInterval < 1 || spec.segmentSize < 1 || spec.periodMs < 1)
            throw Error(path_, "series '" + spec.name + "': key interval, segment size and period must be positive");
        for (const auto& q : spec.quantities)
            if (!(q.precision > 0) || !std::isfinite(q.precision))
                throw Error(path_, "series '" + spec.name + "', quantity '" + q.name + "': precision must be positive");
        // Declared again (a resumed store): the same series, or an error naming what differs.
        for (const auto& s : series_) {
            if (s.spec.name != spec.name) continue;
            const std::string diff = writer::specDifference(s.spec, spec);
            if (!diff.empty())
                throw Error(path_, "series '" + spec.name + "' already exists with another definition (" + diff + ")");
            return s.id;
        }
        SeriesW s;
        s.spec = spec;
        switch (spec.assetSet) {
        case AssetSet::Gpus: s.count = campus_.gpuCount(); break;
        case AssetSet::Racks:
            s.count = static_cast<std::int64_t>(campus_.racks().size());
            for (AssetIndex r : campus_.racks()) s.assetIds.push_back(campus_.assets[r].id);
            break;
        case AssetSet::Jobs:
            s.count = static_cast<std::int64_t>(jobs_.size());
            for (const auto& j : jobs_) s.assetIds.push_back(j.job.name);
            break;
        case AssetSet::List:
            for (const auto& id : spec.assets)
                if (campus_.find(id) == kNoAsset && !campus_.findGpu(id))
                    throw Error(path_, "series '" + spec.name + "': unknown asset '" + id + "'");
            s.count = static_cast<std::int64_t>(spec.assets.size());
            s.assetIds = spec.assets;
            break;
        }
        if (s.count == 0) throw Error(path_, "series '" + spec.name + "' has no assets");
        s.segments = static_cast<std::size_t>((s.count + spec.segmentSize - 1) / spec.segmentSize);
        const auto nq = spec.quantities.size();
        s.key.assign(nq, std::vector<std::int32_t>(s.count));
        s.cur.assign(nq, std::vector<std::int32_t>(s.count));

        begin();
        Savepoint sp(db_);
        sql::Stmt ins(db_, "INSERT INTO series(name, asset_set, asset_count, period_ms, key_interval, "
                           "segment_size, columnar) VALUES(?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, spec.name).bind(2, schema::assetSetName(spec.assetSet)).bind(3, s.count)
            .bind(4, spec.periodMs).bind(5, spec.keyInterval).bind(6, spec.segmentSize)
            .bind(7, spec.columnar ? 1 : 0).run();
        s.id = static_cast<int>(sqlite3_last_insert_rowid(db_.handle()));
        sql::Stmt q(db_, "INSERT INTO series_quantity VALUES(?, ?, ?, ?, ?)");
        for (std::size_t k = 0; k < nq; ++k)
            q.bind(1, s.id).bind(2, static_cast<int>(k)).bind(3, spec.quantities[k].name)
                .bind(4, spec.quantities[k].unit).bind(5, spec.quantities[k].precision).run();
        if (spec.assetSet == AssetSet::List) {
            sql::Stmt a(db_, "INSERT INTO series_asset VALUES(?, ?, ?)");
            for (std::size_t i = 0; i < spec.assets.size(); ++i)
                a.bind(1, s.id).bind(2, static_cast<std::int64_t>(i)).bind(3, spec.assets[i]).run();
        }
        if (spec.columnar) {
            if (spec.assetSet == AssetSet::Gpus)
                throw Error(path_, "series '" + spec.name + "': a GPU series cannot be columnar");
            sql::Stmt sig(db_, "INSERT INTO signal(asset, quantity, unit, series, channel) VALUES(?, ?, ?, ?, ?)");
            for (std::int64_t i = 0; i < s.count; ++i)
                for (std::size_t k = 0; k < nq; ++k) {
                    try {
                        sig.bind(1, s.assetIds[i]).bind(2, spec.quantities[k].name).bind(3, spec.quantities[k].unit)
                            .bind(4, s.id).bind(5, static_cast<std::int64_t>(i * nq + k)).run();
                    } catch (const Error&) {
                        throw Error(path_, "series '" + spec.name + "': signal '" + s.assetIds[i] + "' " +
                                               spec.quantities[k].name + " already exists");
                    }
                    s.channelSignal.push_back(static_cast<int>(sqlite3_last_insert_rowid(db_.handle())));
                }
            s.channels.resize(s.channelSignal.size());
        }
        sp.release();
        series_.push_back(std::move(s));
        return series_.back().id;
    }

    int addSignal(const std::string& asset, const std::string& quantity, const std::string& unit) override {
        requireOpen();
        if (campus_.find(asset) == kNoAsset && !campus_.findGpu(asset))
            throw Error(path_, "signal '" + quantity + "': unknown asset '" + asset + "'");
        for (const auto& s : signals_) {
            if (s.asset != asset || s.quantity != quantity) continue;
            if (s.unit != unit)
                throw Error(path_, "signal '" + asset + "' " + quantity + " already exists in unit '" + s.unit +
                                       "', not '" + unit + "'");
            return s.id;
        }
        begin();
        Savepoint sp(db_);
        sql::Stmt ins(db_, "INSERT INTO signal(asset, quantity, unit) VALUES(?, ?, ?)");
        try {
            ins.bind(1, asset).bind(2, quantity).bind(3, unit).run();
        } catch (const Error&) {
            throw Error(path_, "signal '" + asset + "' " + quantity + " already exists");
        }
        sp.release();
        SignalW s;
        s.id = static_cast<int>(sqlite3_last_insert_rowid(db_.handle()));
        s.asset = asset;
        s.quantity = quantity;
        s.unit = unit;
        signals_.push_back(std::move(s));
        return signals_.back().id;
    }

    int addJob(const Job& job) override {
        requireOpen();
        if (job.name.empty()) throw Error(path_, "a job needs a name");
        for (const auto& r : job.racks) {
            const AssetIndex a = campus_.find(r);
            if (a == kNoAsset || campus_.assets[a].kind != AssetKind::Rack)
                throw Error(path_, "job '" + job.name + "': '" + r + "' is not a rack of the campus");
        }
        for (const auto& j : jobs_) {
            if (j.job.name != job.name) continue;
            const std::string diff = writer::jobDifference(j.job, job);
            if (!diff.empty()) throw Error(path_, "job '" + job.name + "' already exists: " + diff);
            return j.id;
        }
        begin();
        Savepoint sp(db_);
        sql::Stmt ins(db_, "INSERT INTO job(name, gpus, step_period_s) VALUES(?, ?, ?)");
        try {
            ins.bind(1, job.name).bind(2, job.gpus).bind(3, job.stepPeriodS).run();
        } catch (const Error&) {
            throw Error(path_, "job '" + job.name + "' already exists");
        }
        const int id = static_cast<int>(sqlite3_last_insert_rowid(db_.handle()));
        sql::Stmt rack(db_, "INSERT OR IGNORE INTO job_rack(job, rack) VALUES(?, ?)");
        for (const auto& r : job.racks) rack.bind(1, id).bind(2, r).run();
        sp.release();
        JobW j{id, job};
        std::sort(j.job.racks.begin(), j.job.racks.end());
        j.job.racks.erase(std::unique(j.job.racks.begin(), j.job.racks.end()), j.job.racks.end());
        j.job.id = id;
        jobs_.push_back(std::move(j));
        return id;
    }

    void writeFrame(int id, TimeMs t, std::span<const std::span<const float>> values) override {
        requireOpen();
        SeriesW& s = seriesById(id);
        const auto nq = s.spec.quantities.size();
        if (values.size() != nq)
            throw Error(path_, "series '" + s.spec.name + "': frame has " + std::to_string(values.size()) +
                                   " quantities, expected " + std::to_string(nq));
        if (t <= s.lastT)
            throw Error(path_, "series '" + s.spec.name + "': sample at " + formatUtc(t) +
                                   " is not after the previous one (" + formatUtc(s.lastT) + "); refused");
        // Quantise and validate everything before writing anything.
        for (std::size_t k = 0; k < nq; ++k) {
            if (values[k].size() != static_cast<std::size_t>(s.count))
                throw Error(path_, "series '" + s.spec.name + "': quantity '" + s.spec.quantities[k].name +
                                       "' has " + std::to_string(values[k].size()) + " values, expected " +
                                       std::to_string(s.count));
            quantise(s, k, values[k], t);
        }
        const bool isKey = s.sinceKey == 0;
        if (isKey) s.keyT = t;
        begin();
        encoded_.resize(s.segments);
        parallelFor(s.segments >= 4 ? options_.threads : 1, s.segments, [&](std::size_t g, std::size_t w) {
            const std::size_t lo = g * s.spec.segmentSize;
            const std::size_t n = std::min<std::size_t>(s.spec.segmentSize, s.count - lo);
            std::vector<const std::int32_t*> q(nq), key;
            for (std::size_t k = 0; k < nq; ++k) q[k] = s.cur[k].data() + lo;
            if (!isKey) {
                key.resize(nq);
                for (std::size_t k = 0; k < nq; ++k) key[k] = s.key[k].data() + lo;
            }
            codec::encodeSegment(*compressors_[w], q, key, n, encoded_[g]);
        });
        for (std::size_t g = 0; g < s.segments; ++g) {
            insFrame_.bind(1, s.id).bind(2, static_cast<std::int64_t>(g)).bind(3, t).bind(4, s.keyT)
                .bindBlob(5, encoded_[g]).run();
            batchBytes_ += encoded_[g].size();
        }
        if (isKey) std::swap(s.key, s.cur);
        s.sinceKey = (s.sinceKey + 1) % s.spec.keyInterval;
        s.lastT = t;
        if (s.spec.columnar) {
            for (std::int64_t i = 0; i < s.count; ++i)
                for (std::size_t k = 0; k < nq; ++k) {
                    const std::size_t c = static_cast<std::size_t>(i) * nq + k;
                    Pending& p = s.channels[c];
                    p.t.push_back(t);
                    p.v.push_back(static_cast<double>(isKey ? s.key[k][i] : s.cur[k][i]) *
                                  s.spec.quantities[k].precision);
                    if (p.t.size() >= schema::kChunkSamples) writeChunk(s.channelSignal[c], p, false);
                }
        }
        maybeCommit();
    }

    void writeSample(int id, TimeMs t, double v) override {
        requireOpen();
        SignalW& s = signalById(id);
        if (!std::isfinite(v))
            throw Error(path_, "signal '" + s.asset + "' " + s.quantity + ": value at " + formatUtc(t) +
                                   " is " + (std::isnan(v) ? "NaN" : "infinite") + "; refused");
        if (t <= s.lastT)
            throw Error(path_, "signal '" + s.asset + "' " + s.quantity + ": sample at " + formatUtc(t) +
                                   " is not after the previous one (" + formatUtc(s.lastT) + "); refused");
        begin();
        s.lastT = t;
        s.pending.t.push_back(t);
        s.pending.v.push_back(v);
        if (s.pending.t.size() >= schema::kChunkSamples) writeChunk(s.id, s.pending, true);
        maybeCommit();
    }

    std::int64_t addEvent(const Event& e) override {
        requireOpen();
        if (e.text.empty()) throw Error(path_, "event at " + formatUtc(e.start) + " has no text");
        if (e.end && *e.end < e.start)
            throw Error(path_, "event '" + e.text + "' ends before it starts");
        begin();
        sql::Stmt ins(db_, "INSERT INTO event(t_start, t_end, severity, asset, kind, text) VALUES(?, ?, ?, ?, ?, ?)");
        ins.bind(1, e.start);
        if (e.end) ins.bind(2, *e.end); else ins.bindNull(2);
        ins.bind(3, severityName(e.severity)).bind(4, e.asset).bind(5, e.kind).bind(6, e.text).run();
        const auto id = sqlite3_last_insert_rowid(db_.handle());
        maybeCommit();
        return id;
    }

    void endEvent(std::int64_t id, TimeMs end) override {
        requireOpen();
        begin();
        sql::Stmt up(db_, "UPDATE event SET t_end = ? WHERE id = ? AND t_start <= ?");
        up.bind(1, end).bind(2, id).bind(3, end).run();
        if (sqlite3_changes(db_.handle()) != 1)
            throw Error(path_, "event " + std::to_string(id) + " does not exist or starts after " + formatUtc(end));
        maybeCommit();
    }

    std::int64_t addBookmark(const Bookmark& b) override {
        requireOpen();
        if (b.name.empty()) throw Error(path_, "bookmark at " + formatUtc(b.t) + " has no name");
        begin();
        sql::Stmt ins(db_, "INSERT INTO bookmark(t, name, note) VALUES(?, ?, ?)");
        ins.bind(1, b.t).bind(2, b.name).bind(3, b.note).run();
        const auto id = sqlite3_last_insert_rowid(db_.handle());
        maybeCommit();
        return id;
    }

    void commit() override {
        if (!inTx_) return;
        // Scalar samples not yet in a chunk go to plain rows so that this commit holds them.
        for (auto& s : signals_) {
            for (std::size_t i = s.pending.persisted; i < s.pending.t.size(); ++i)
                insSample_.bind(1, s.id).bind(2, s.pending.t[i]).bind(3, s.pending.v[i]).run();
            s.pending.persisted = s.pending.t.size();
        }
        db_.exec("COMMIT");
        inTx_ = false;
        batchBytes_ = 0;
    }

    void close() override {
        if (closed_) return;
        begin();
        for (auto& s : series_)
            for (std::size_t c = 0; c < s.channels.size(); ++c)
                if (!s.channels[c].t.empty()) writeChunk(s.channelSignal[c], s.channels[c], false);
        for (auto& s : signals_)
            if (!s.pending.t.empty()) writeChunk(s.id, s.pending, true);
        commit();
        closed_ = true;
    }

private:
    static sql::Db open(const std::string& path, const WriterOptions& o, bool resume) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (resume) {
            if (fs::is_directory(path, ec)) throw Error(path, "cannot be resumed: it is a folder, not a twin store");
            if (!fs::exists(path, ec)) throw Error(path, "cannot be resumed: no such store");
            return sql::Db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        }
        if (fs::exists(path, ec)) {
            if (!o.overwrite) throw Error(path, "already exists (choose another name or overwrite it)");
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
        }
        return sql::Db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    }

    // Resuming: the store must hold this campus; its series, signals and jobs are taken over as
    // they are, each series going on with a key frame after its last frame.
    void adopt() {
        writer::checkResumable(db_);
        const std::string diff = writer::campusDifference(schema::loadCampus(db_), campus_);
        if (!diff.empty()) throw Error(path_, "cannot be resumed with this campus: " + diff);
        schema::upgrade(db_);   // a schema 1 store gains what this program writes
        auto state = writer::loadWriterState(db_, campus_);
        series_ = std::move(state.series);
        signals_ = std::move(state.signals);
        jobs_ = std::move(state.jobs);
        endOrphanedEvents();
    }

    // Events the previous writer left open end where its data ended: that writer is gone and
    // cannot say when their conditions cleared (a condition still present is raised again by
    // the new writer, as a new event). Without data, at their own start.
    void endOrphanedEvents() {
        TimeMs last = std::numeric_limits<TimeMs>::min();
        for (const auto& s : series_) last = std::max(last, s.lastT);
        for (const auto& s : signals_) last = std::max(last, s.lastT);
        sql::Stmt end(db_, "UPDATE event SET t_end = max(t_start, ?) WHERE t_end IS NULL");
        end.bind(1, static_cast<std::int64_t>(last)).run();
    }

    void requireOpen() const {
        if (closed_) throw Error(path_, "the writer is closed");
    }

    void begin() {
        if (inTx_) return;
        db_.exec("BEGIN");
        inTx_ = true;
        batchStart_ = Clock::now();
    }

    void maybeCommit() {
        if (batchBytes_ >= kMaxBatchBytes ||
            Clock::now() - batchStart_ >= std::chrono::milliseconds(options_.maxBatchMs))
            commit();
    }

    SeriesW& seriesById(int id) {
        for (auto& s : series_)
            if (s.id == id) return s;
        throw Error(path_, "no series with id " + std::to_string(id));
    }
    SignalW& signalById(int id) {
        for (auto& s : signals_)
            if (s.id == id) return s;
        throw Error(path_, "no signal with id " + std::to_string(id));
    }

    std::string assetName(const SeriesW& s, std::int64_t i) const {
        return s.spec.assetSet == AssetSet::Gpus ? campus_.gpuId(i) : s.assetIds[i];
    }

    void quantise(SeriesW& s, std::size_t k, std::span<const float> v, TimeMs t) {
        const Quantity& q = s.spec.quantities[k];
        const double inv = 1.0 / q.precision;
        std::int32_t* out = s.cur[k].data();
        constexpr double lim = 2147483000.0;
        bool bad = false;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double x = static_cast<double>(v[i]) * inv;
            bad |= !(x > -lim && x < lim);   // NaN fails both comparisons
            out[i] = static_cast<std::int32_t>(std::lrint(x));
        }
        if (!bad) return;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double x = static_cast<double>(v[i]) * inv;
            if (!(x > -lim && x < lim))
                throw Error(path_, "series '" + s.spec.name + "': " + q.name + " of '" + assetName(s, i) +
                                       "' at " + formatUtc(t) + " is " +
                                       (std::isnan(v[i]) ? std::string("NaN")
                                                         : std::to_string(v[i]) + " (out of range)") +
                                       "; frame refused");
        }
    }

    void writeChunk(int signal, Pending& p, bool deleteRows) {
        const auto [mn, mx] = std::minmax_element(p.v.begin(), p.v.end());
        codec::encodeChunk(*compressors_[0], p.t, p.v, chunkBuf_);
        insChunk_.bind(1, signal).bind(2, p.t.front()).bind(3, p.t.back())
            .bind(4, static_cast<std::int64_t>(p.t.size())).bind(5, *mn).bind(6, *mx)
            .bind(7, p.v.front()).bind(8, p.v.back()).bind(9, std::accumulate(p.v.begin(), p.v.end(), 0.0))
            .bindBlob(10, chunkBuf_).run();
        batchBytes_ += chunkBuf_.size();
        if (deleteRows && p.persisted > 0)
            delSamples_.bind(1, signal).bind(2, p.t.front()).bind(3, p.t.back()).run();
        p.t.clear();
        p.v.clear();
        p.persisted = 0;
    }

    static constexpr std::size_t kMaxBatchBytes = 32u << 20;

    std::string path_;
    Campus campus_;
    WriterOptions options_;
    sql::Db db_;
    sql::Stmt insFrame_, insChunk_, insSample_, delSamples_;
    std::vector<std::unique_ptr<codec::Compressor>> compressors_;
    std::vector<std::vector<std::uint8_t>> encoded_;
    std::vector<std::uint8_t> chunkBuf_;
    std::vector<SeriesW> series_;
    std::vector<SignalW> signals_;
    std::vector<JobW> jobs_;
    bool inTx_ = false, closed_ = false;
    std::size_t batchBytes_ = 0;
    Clock::time_point batchStart_;
};

} // namespace

std::unique_ptr<StoreWriter> StoreWriter::create(const std::string& path, const Campus& campus,
                                                 const WriterOptions& options) {
    std::error_code ec;
    const bool resume = options.resume && !options.overwrite && std::filesystem::exists(path, ec);
    return std::make_unique<Writer>(path, campus, options, resume);
}

std::unique_ptr<StoreWriter> StoreWriter::resume(const std::string& path, const Campus& campus,
                                                 const WriterOptions& options) {
    return std::make_unique<Writer>(path, campus, options, true);
}

} // namespace twin
