#include "twin/opscentre/changes.h"

#include "byte_io.h"

namespace twin::opscentre {

namespace {

using C = ColumnType;

std::vector<TableDef> makeDefs() {
    return {
        {Table::Meta, "meta", {{"key", C::Text}, {"value", C::Text}}, true},
        {Table::GpuModel, "gpu_model", {{"name", C::Text}, {"tdp_w", C::Real}, {"peak_tflops", C::Real}}, true},
        {Table::RackType, "rack_type",
         {{"name", C::Text}, {"gpu_model", C::Text}, {"gpus_per_rack", C::Int}, {"rated_kw", C::Real}, {"idle_kw", C::Real}},
         true},
        {Table::UnitModel, "unit_model",
         {{"name", C::Text}, {"rating_mw", C::Real}, {"energy_mwh", C::Real}, {"ramp_pct_per_min", C::Real},
          {"min_load_pct", C::Real}, {"start_s", C::Real}, {"inertia_s", C::Real}},
         true},
        {Table::Asset, "asset",
         {{"idx", C::Int}, {"id", C::Text}, {"name", C::Text}, {"kind", C::Text}, {"parent", C::Int, true},
          {"site", C::Int, true}, {"cx", C::Real, true}, {"cy", C::Real, true}, {"cz", C::Real, true},
          {"sx", C::Real, true}, {"sy", C::Real, true}, {"sz", C::Real, true}, {"yaw_deg", C::Real, true},
          {"model", C::Text}, {"units", C::Int}, {"rating_mw", C::Real}, {"energy_mwh", C::Real},
          {"voltage_kv", C::Real}, {"gpu_first", C::Int}, {"gpu_count", C::Int},
          {"commissioned_ms", C::Int, true}},   // wire version 2 on (store schema 2)
         true},
        {Table::Site, "site",
         {{"asset", C::Int}, {"lat_deg", C::Real}, {"lon_deg", C::Real}, {"origin_x", C::Real}, {"origin_y", C::Real}},
         true},
        {Table::Feed, "feed", {{"src", C::Int}, {"dst", C::Int}}, true},
        {Table::Series, "series",
         {{"id", C::Int}, {"name", C::Text}, {"asset_set", C::Text}, {"asset_count", C::Int}, {"period_ms", C::Int},
          {"key_interval", C::Int}, {"segment_size", C::Int}, {"columnar", C::Int}}},
        {Table::SeriesQuantity, "series_quantity",
         {{"series", C::Int}, {"idx", C::Int}, {"quantity", C::Text}, {"unit", C::Text}, {"precision", C::Real}}},
        {Table::SeriesAsset, "series_asset", {{"series", C::Int}, {"pos", C::Int}, {"asset", C::Text}}},
        {Table::Signal, "signal",
         {{"id", C::Int}, {"asset", C::Text}, {"quantity", C::Text}, {"unit", C::Text}, {"series", C::Int, true},
          {"channel", C::Int, true}}},
        {Table::Job, "job", {{"id", C::Int}, {"name", C::Text}, {"gpus", C::Int}, {"step_period_s", C::Real}}},
        {Table::JobRack, "job_rack", {{"job", C::Int}, {"rack", C::Text}}},
        {Table::Frame, "frame", {{"series", C::Int}, {"seg", C::Int}, {"t", C::Int}, {"key_t", C::Int}, {"data", C::Blob}}},
        {Table::Chunk, "chunk",
         {{"signal", C::Int}, {"t0", C::Int}, {"t1", C::Int}, {"n", C::Int}, {"v_min", C::Real}, {"v_max", C::Real},
          {"v_first", C::Real}, {"v_last", C::Real}, {"v_sum", C::Real}, {"data", C::Blob}}},
        {Table::Sample, "sample", {{"signal", C::Int}, {"t", C::Int}, {"value", C::Real}}},
        {Table::Event, "event",
         {{"id", C::Int}, {"t_start", C::Int}, {"t_end", C::Int, true}, {"severity", C::Text}, {"asset", C::Text},
          {"kind", C::Text}, {"text", C::Text}}},
        {Table::Bookmark, "bookmark", {{"id", C::Int}, {"t", C::Int}, {"name", C::Text}, {"note", C::Text}}},
    };
}

// Whether a value may stand in a column (a REAL column also takes an integer: SQLite converts it).
bool fits(const Value& v, const Column& c) {
    switch (v.type) {
    case Value::Type::Null: return c.nullable;
    case Value::Type::Int: return c.type == C::Int || c.type == C::Real;
    case Value::Type::Real: return c.type == C::Real;
    case Value::Type::Text: return c.type == C::Text;
    case Value::Type::Blob: return c.type == C::Blob;
    }
    return false;
}

constexpr std::uint32_t kBodyMagic = 0x31474843;   // "CHG1"

} // namespace

const std::vector<TableDef>& tableDefs() {
    static const std::vector<TableDef> defs = makeDefs();
    return defs;
}

const TableDef* tableDef(std::uint8_t table) {
    if (table < 1 || table > kTableCount) return nullptr;
    return &tableDefs()[table - 1];
}

const TableDef& tableDef(Table table) { return *tableDef(static_cast<std::uint8_t>(table)); }

bool Changes::empty() const { return rowCount() == 0; }

std::size_t Changes::rowCount() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.rows();
    return n;
}

std::vector<std::uint8_t> encodeChanges(const Changes& c) {
    ByteWriter w;
    w.u32(kBodyMagic);
    w.i64(c.publishedAtMs);
    const Marks& m = c.marks;
    for (std::int64_t x : {m.frameRowid, m.chunkRowid, m.eventId, m.bookmarkId, m.seriesId, m.signalId, m.jobId})
        w.i64(x);
    w.u32(static_cast<std::uint32_t>(m.openEvents.size()));
    for (auto id : m.openEvents) w.i64(id);
    w.u32(static_cast<std::uint32_t>(m.sampleT.size()));
    for (const auto& [signal, t] : m.sampleT) {
        w.i64(signal);
        w.i64(t);
    }
    w.u32(static_cast<std::uint32_t>(c.blocks.size()));
    for (const auto& b : c.blocks) {
        w.u8(static_cast<std::uint8_t>(b.table));
        w.u32(static_cast<std::uint32_t>(b.rows()));
        for (const Value& v : b.values) {
            w.u8(static_cast<std::uint8_t>(v.type));
            switch (v.type) {
            case Value::Type::Null: break;
            case Value::Type::Int: w.i64(v.i); break;
            case Value::Type::Real: w.f64(v.r); break;
            case Value::Type::Text:
            case Value::Type::Blob: w.bytes(v.bytes); break;
            }
        }
    }
    return w.take();
}

Changes decodeChanges(std::span<const std::uint8_t> body) {
    ByteReader r(body, "commit body");
    if (r.u32() != kBodyMagic) throw WireError("commit body: not a change set (wrong magic)");
    Changes c;
    c.publishedAtMs = r.i64();
    Marks& m = c.marks;
    for (std::int64_t* x : {&m.frameRowid, &m.chunkRowid, &m.eventId, &m.bookmarkId, &m.seriesId, &m.signalId, &m.jobId})
        *x = r.i64();
    const std::uint32_t nOpen = r.count(8);
    for (std::uint32_t i = 0; i < nOpen; ++i) m.openEvents.push_back(r.i64());
    const std::uint32_t nSignals = r.count(16);
    for (std::uint32_t i = 0; i < nSignals; ++i) {
        const std::int64_t signal = r.i64();
        m.sampleT[signal] = r.i64();
    }
    const std::uint32_t nBlocks = r.count(5);
    std::uint8_t previous = 0;
    for (std::uint32_t b = 0; b < nBlocks; ++b) {
        const std::uint8_t t = r.u8();
        const TableDef* def = tableDef(t);
        if (!def) throw WireError("commit body: block " + std::to_string(b) + " names no table (" + std::to_string(t) + ")");
        if (t <= previous) throw WireError(std::string("commit body: table '") + def->name + "' out of order");
        previous = t;
        RowBlock block;
        block.table = def->table;
        const std::size_t cols = def->columns.size();
        const std::uint32_t rows = r.count(cols);   // every value takes at least a byte
        block.values.resize(static_cast<std::size_t>(rows) * cols);
        for (std::size_t i = 0; i < block.values.size(); ++i) {
            Value& v = block.values[i];
            const std::uint8_t type = r.u8();
            if (type > static_cast<std::uint8_t>(Value::Type::Blob))
                throw WireError("commit body: table '" + std::string(def->name) + "': unknown value type " + std::to_string(type));
            v.type = static_cast<Value::Type>(type);
            switch (v.type) {
            case Value::Type::Null: break;
            case Value::Type::Int: v.i = r.i64(); break;
            case Value::Type::Real: v.r = r.f64(); break;
            case Value::Type::Text:
            case Value::Type::Blob: v.bytes = r.bytes(); break;
            }
            const Column& col = def->columns[i % cols];
            if (!fits(v, col))
                throw WireError("commit body: table '" + std::string(def->name) + "', column '" + col.name +
                                "': a value of the wrong type");
        }
        c.blocks.push_back(std::move(block));
    }
    if (!r.atEnd()) throw WireError("commit body: " + std::to_string(r.left()) + " bytes after the last table");
    return c;
}

} // namespace twin::opscentre
