// The twin store: one SQLite file (*.twin) holding a complete twin — the expanded campus, the
// catalogue of signals, telemetry, events and bookmarks. Schema and encodings: docs/store.md.
//
// Telemetry comes in two shapes:
//  - dense series: the same quantities for every asset of a set (every GPU, every rack, a list
//    of plant assets), sampled together at one period. Stored as frames split into segments of
//    channels, quantised to the series' stated precision, delta-coded and zstd-compressed.
//    A "columnar" series also keeps per-channel chunks so a long range of one channel is cheap.
//  - scalar signals: one (asset, quantity) with samples at any times, stored as compressed chunks
//    by StoreWriter and as plain rows by any other SQLite client (table `sample`).
#pragma once

#include "twin/campus.h"
#include "twin/error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace twin {

// Time base: integer milliseconds since 1970-01-01T00:00:00Z (UTC).
using TimeMs = std::int64_t;
std::string formatUtc(TimeMs t);   // "2026-11-25T14:02:11.250Z"

// 2: the asset table's commissioned_ms (the build-out); stores of schema 1 still open (their
// assets have always been there) and are upgraded in place when resumed.
constexpr int kStoreSchemaVersion = 2;

struct Quantity {
    std::string name;     // "power"
    std::string unit;     // "W"
    double precision = 1; // quantisation step in `unit`: stored values are round(v / precision)
};

enum class AssetSet : std::uint8_t {
    Gpus,   // every GPU of the campus, by campus-wide GPU index
    Racks,  // every rack, in GPU order (Campus::racks())
    List,   // the asset ids in SeriesSpec::assets
    Jobs,   // every job of the store (table `job`), in id order; add the jobs first
};

// A training job: a name and the racks it runs on.
struct Job {
    int id = 0;                        // assigned by the store, from 1
    std::string name;
    std::vector<std::string> racks;    // rack asset ids
    std::int64_t gpus = 0;
    double stepPeriodS = 0;            // nominal training step
};

struct SeriesSpec {
    std::string name;                  // unique in the store: "gpu", "rack", "plant"
    AssetSet assetSet = AssetSet::List;
    std::vector<std::string> assets;   // AssetSet::List only
    std::vector<Quantity> quantities;
    TimeMs periodMs = 1000;            // nominal sampling period (documentation, decimation hints)
    int keyInterval = 30;              // a key frame every N frames; others are deltas to it
    int segmentSize = 8192;            // assets per segment (the unit of compression and reads)
    bool columnar = false;             // also keep per-channel chunks (fast long ranges)
};

struct SeriesInfo {
    int id = 0;
    SeriesSpec spec;
    std::int64_t assetCount = 0;
    std::vector<AssetIndex> assets;    // campus index of each asset (empty for Gpus)
};

struct SignalInfo {
    int id = 0;
    std::string asset;                 // asset id (or GPU id)
    std::string quantity;
    std::string unit;
    int series = 0;                    // columnar series channel: its series (0: a scalar signal)
    std::int64_t channel = -1;         //   and position * quantities + quantity
};

enum class Severity : std::uint8_t { Info, Warning, Alarm, Critical };
std::string_view severityName(Severity s);
std::optional<Severity> severityFromName(std::string_view name);

struct Event {
    std::int64_t id = 0;               // assigned by the store
    TimeMs start = 0;
    std::optional<TimeMs> end;         // unset: instantaneous or still active
    Severity severity = Severity::Info;
    std::string asset;                 // asset id, may be empty (campus-wide)
    std::string kind;                  // machine-readable: "turbine_trip", "soc_low", ...
    std::string text;                  // what an operator reads
};

struct Bookmark {
    std::int64_t id = 0;
    TimeMs t = 0;
    std::string name;
    std::string note;
};

struct TimeSpan {
    TimeMs first = 0, last = 0;
    bool empty = true;
};

// A reduced range: each bucket keeps the extremes of the samples that fall in it, so a spike of
// one sample survives any reduction.
struct Bucket {
    TimeMs first = 0, last = 0;        // times of the first and last sample in the bucket
    double min = 0, max = 0;
    double firstValue = 0, lastValue = 0;
    std::uint32_t count = 0;
    double sum = 0;                    // of the samples: mean = sum / count, energy = sum x period
};

// The state of one dense series at a time: values[q][i] for quantity q and asset position i.
struct SeriesState {
    int series = 0;
    TimeMs t = 0;                      // time of the frame used (latest at or before the query)
    bool valid = false;                // false: no readable frame at or before the query time
    // The latest frame at or before the query time is damaged: `values` are those of the latest
    // readable frame before it (at t), or none (valid false). StoreReader::damage() says what.
    bool damaged = false;
    std::vector<std::vector<float>> values;
};

struct SignalState {
    int signal = 0;
    TimeMs t = 0;
    double value = 0;
    bool valid = false;
};

// The state of every asset at a time: the latest value of everything at or before it.
struct CampusState {
    TimeMs t = 0;
    std::vector<SeriesState> series;   // in SeriesInfo order
    std::vector<SignalState> signalValues;  // scalar signals (series == 0), in catalogue order
};

// A part of a store that could not be read (docs/store.md, "Damaged stores"): a frame of a
// series, the key frame that the following frames depend on (then [first, last] spans them all),
// or a chunk of a signal ([first, last] is its span). Reads skip it.
struct DamagedRange {
    // A frame; a key frame (and the frames that need it); a chunk; a signal's plain sample rows;
    // an index (the frames or chunks it leads to cannot be found, [first, last] as far as known).
    enum class What : std::uint8_t { Frame, KeyFrame, Chunk, SampleRows, Index };
    What what = What::Frame;
    int series = 0;                    // a frame's series (0 for a chunk)
    int signal = 0;                    // a chunk's signal (0 for a frame)
    std::string name;                  // the series' name, or "<asset> <quantity>" of the signal
    TimeMs first = 0, last = 0;        // the times that could not be read
    std::string problem;               // what is wrong, as found
};

// Thrown by StoreReader::frameQuantised for a frame that exists but cannot be read.
class DamagedData : public Error {
public:
    using Error::Error;
};

struct WriterOptions {
    bool overwrite = false;            // replace an existing file
    bool resume = false;               // create(): continue an existing file (as resume()) rather
                                       // than refuse it; a missing one is created. overwrite wins.
    int maxBatchMs = 1000;             // commit at least this often (wall clock); also every 32 MiB
    int zstdLevel = 1;
    int threads = 2;                   // encoding threads for large frames
};

class StoreWriter {
public:
    // Creates a new store holding `campus`. Throws twin::Error.
    static std::unique_ptr<StoreWriter> create(const std::string& path, const Campus& campus,
                                               const WriterOptions& options = {});
    // Reopens an existing store to continue it, also one left by a killed writer (what it had
    // committed). The store must hold `campus` (else twin::Error naming the file and what
    // differs). Its series, signals and jobs are kept: add*() with an identical definition returns
    // the existing id, a different one throws. Each series goes on after its last frame, starting
    // with a key frame; event ids go on. docs/store.md, "Resuming a store".
    static std::unique_ptr<StoreWriter> resume(const std::string& path, const Campus& campus,
                                               const WriterOptions& options = {});
    virtual ~StoreWriter() = default;

    virtual int addSeries(const SeriesSpec& spec) = 0;
    virtual int addSignal(const std::string& asset, const std::string& quantity,
                          const std::string& unit) = 0;
    virtual int addJob(const Job& job) = 0;

    // One frame of a series: values[q] holds assetCount values of quantity q. Times must
    // increase; NaN and infinities are refused (twin::Error, nothing written).
    virtual void writeFrame(int series, TimeMs t, std::span<const std::span<const float>> values) = 0;
    virtual void writeSample(int signal, TimeMs t, double value) = 0;
    // The time of the series' last frame (a resumed store: its last committed one), if any.
    virtual std::optional<TimeMs> lastFrameTime(int series) const = 0;
    virtual std::int64_t addEvent(const Event& event) = 0;
    virtual void endEvent(std::int64_t id, TimeMs end) = 0;
    virtual std::int64_t addBookmark(const Bookmark& bookmark) = 0;

    // Ends the batch in flight: everything written so far is durable and visible to readers.
    virtual void commit() = 0;
    // Flushes open chunks, commits and closes. Also done by the destructor.
    virtual void close() = 0;

    virtual const std::string& path() const = 0;
};

class StoreReader {
public:
    // Opens read-only. Throws twin::Error naming the file and the problem: only damage to what
    // every read needs (SQLite's header, the schema, the campus and catalogue tables) refuses a
    // store; a damaged frame or chunk is skipped when read (damage()).
    static std::unique_ptr<StoreReader> open(const std::string& path);
    virtual ~StoreReader() = default;

    virtual const std::string& path() const = 0;
    virtual const Campus& campus() const = 0;
    virtual const std::vector<SeriesInfo>& series() const = 0;
    virtual const std::vector<SignalInfo>& signalCatalogue() const = 0;

    // First and last time of any telemetry or event.
    virtual TimeSpan span() = 0;
    // Live tailing: looks for data committed since the last call (cheap; call it on a timer).
    // Returns true when the span grew or the catalogue changed.
    virtual bool refresh() = 0;

    // The state of everything at t. `out` is reused between calls (no reallocation).
    virtual void stateAt(TimeMs t, CampusState& out) = 0;
    virtual void seriesAt(int series, TimeMs t, SeriesState& out) = 0;
    virtual SignalState signalAt(int signal, TimeMs t) = 0;
    CampusState stateAt(TimeMs t) { CampusState s; stateAt(t, s); return s; }
    SeriesState seriesAt(int series, TimeMs t) { SeriesState s; seriesAt(series, t, s); return s; }

    // One channel over [t0, t1] in at most maxPoints buckets keeping min and max.
    // Channel: quantity q of asset position i in a series, or a scalar signal.
    virtual std::vector<Bucket> seriesRange(int series, int quantity, std::int64_t position,
                                            TimeMs t0, TimeMs t1, int maxPoints) = 0;
    virtual std::vector<Bucket> signalRange(int signal, TimeMs t0, TimeMs t1, int maxPoints) = 0;

    virtual std::vector<Event> events(TimeMs t0, TimeMs t1) = 0;   // overlapping [t0, t1]
    virtual std::vector<Bookmark> bookmarks() = 0;
    virtual const std::vector<Job>& jobs() const = 0;

    // The damage found so far, each damaged frame, key frame or chunk once, in the order it was
    // found. Reads find it as they go; twin::checkStore (twin/store_check.h) reads everything.
    virtual const std::vector<DamagedRange>& damage() const = 0;

    // Lookups: a series by name, a signal by asset and quantity (0 if absent).
    virtual int findSeries(const std::string& name) const = 0;
    virtual int findSignal(const std::string& asset, const std::string& quantity) const = 0;

    // Runs one SQL statement on the read-only connection and returns its rows as text (for a
    // SQL console and for checks); anything that would write fails with twin::Error.
    virtual std::vector<std::vector<std::string>> query(const std::string& sql) = 0;

    // --- Raw access, without reduction (slice export; docs/store.md "Review files and slices") ---
    // Times of the frames of a series in [t0, t1], ascending.
    virtual std::vector<TimeMs> frameTimes(int series, TimeMs t0, TimeMs t1) = 0;
    // The frame of a series at exactly t as stored: out[q][i] = round(value / precision of q) for
    // quantity q of asset position i (value = out[q][i] * precision). Throws twin::Error if the
    // series has no frame at t, DamagedData if it (or its key frame) cannot be read. `out` is
    // reused between calls.
    virtual void frameQuantised(int series, TimeMs t, std::vector<std::vector<std::int32_t>>& out) = 0;
    // Every sample of a signal in [t0, t1] in time order (a scalar signal: its chunks and rows of
    // `sample`, a row winning over a chunk sample at the same time; a channel of a columnar
    // series: its values as doubles, value = stored integer * precision). Damaged chunks and
    // frames are skipped (damage()).
    virtual void signalSamples(int signal, TimeMs t0, TimeMs t1, std::vector<TimeMs>& t,
                               std::vector<double>& v) = 0;

    // One quantity of the positions [first, first + count) of a dense series in every frame of
    // [t0, t1], for reductions over many assets at once (twin/query/rack_heat_map.h): each frame
    // is read once, only the segments holding those positions are decoded, and of them only that
    // quantity (each key frame once). use(t, lo, values) gets the stored integers of positions
    // lo ... lo + values.size() - 1 in one segment of the frame at t (value = values[i] x
    // precision). Calls for one segment come in time order, one at a time; different segments
    // are decoded on up to two threads, so calls for different segments (disjoint positions) may
    // run at once. A damaged segment, or one whose key frame is damaged, is skipped and recorded
    // (damage()). Throws twin::Error for a quantity or positions the series does not have.
    using FrameSliceUse = std::function<void(TimeMs t, std::int64_t lo, std::span<const std::int32_t> values)>;
    virtual void frameSlices(int series, int quantity, std::int64_t first, std::int64_t count, TimeMs t0,
                             TimeMs t1, const FrameSliceUse& use) = 0;
};

} // namespace twin
