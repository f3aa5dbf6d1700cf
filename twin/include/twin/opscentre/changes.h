// The operations centre's protocol (docs/opscentre.md): what one published commit carries — the
// rows a store gained, table by table, as SQLite holds them (frame and chunk blobs as stored, never
// re-encoded), and the publisher's high-water marks after it. Encoding and decoding only: no
// network, no file. Decoding checks everything (tables, column counts, value types, lengths) and
// throws WireError; hostile bytes never reach a store.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace twin::opscentre {

// A message that is not ours or not well formed: what() says what is wrong with it.
struct WireError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The tables a message may carry, in the order a replica applies them (the campus and the
// catalogue before the data that refers to them; chunks before samples, since a scalar chunk
// replaces the plain sample rows in its range). The numbers are on the wire: never renumber.
enum class Table : std::uint8_t {
    Meta = 1, GpuModel, RackType, UnitModel, Asset, Site, Feed,        // the campus (first message)
    Series, SeriesQuantity, SeriesAsset, Signal, Job, JobRack,          // the catalogue
    Frame, Chunk, Sample, Event, Bookmark,                              // the data
};
constexpr int kTableCount = 18;

enum class ColumnType : std::uint8_t { Int, Real, Text, Blob };
struct Column {
    const char* name;
    ColumnType type;
    bool nullable = false;
};
struct TableDef {
    Table table;
    const char* name;                  // the store's table (docs/store.md)
    std::vector<Column> columns;
    bool campus = false;               // written once, when the replica is created
};
// The definition of a table, nullptr for a number that names none.
const TableDef* tableDef(std::uint8_t table);
const TableDef& tableDef(Table table);
const std::vector<TableDef>& tableDefs();   // in Table order

// One SQLite value, kept exactly as stored.
struct Value {
    enum class Type : std::uint8_t { Null, Int, Real, Text, Blob };
    Type type = Type::Null;
    std::int64_t i = 0;
    double r = 0;
    std::string bytes;                 // Text and Blob
};

// Rows of one table: values row after row, columns() each.
struct RowBlock {
    Table table = Table::Meta;
    std::vector<Value> values;
    std::size_t columns() const { return tableDef(table).columns.size(); }
    std::size_t rows() const { return values.empty() ? 0 : values.size() / columns(); }
};

// Where a publisher stands in its store: everything up to these is published. A commit carries
// the marks after it, so that a publisher restarted (or another one) goes on from the stream's
// last commit without gaps or repeats.
struct Marks {
    std::int64_t frameRowid = 0, chunkRowid = 0;
    std::int64_t eventId = 0, bookmarkId = 0;
    std::int64_t seriesId = 0, signalId = 0, jobId = 0;
    std::vector<std::int64_t> openEvents;            // published without an end (it may come later)
    std::map<std::int64_t, std::int64_t> sampleT;    // signal -> time of its last published sample row
    bool operator==(const Marks&) const = default;
};

struct Changes {
    std::int64_t publishedAtMs = 0;   // the publisher's wall clock when it read the commit
    Marks marks;
    std::vector<RowBlock> blocks;
    bool empty() const;
    std::size_t rowCount() const;
};

std::vector<std::uint8_t> encodeChanges(const Changes& c);
// Throws WireError naming what is wrong (truncated, an unknown table, a value of the wrong type...).
Changes decodeChanges(std::span<const std::uint8_t> body);

} // namespace twin::opscentre
