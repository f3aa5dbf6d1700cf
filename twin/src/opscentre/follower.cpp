#include "twin/opscentre/follower.h"

#include "row_io.h"
#include "../sqlite_db.h"
#include "../store_schema.h"

#include <filesystem>

namespace twin::opscentre {

namespace {

// A write transaction that rolls back unless committed.
class WriteTx {
public:
    explicit WriteTx(sql::Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }
    ~WriteTx() {
        if (done_) return;
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }

private:
    sql::Db& db_;
    bool done_ = false;
};

void setMeta(sql::Db& db, const char* key, const std::string& value) {
    sql::Stmt s(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    s.bind(1, key).bind(2, value).run();
}

std::string metaValue(sql::Db& db, const char* key) {
    sql::Stmt s(db, "SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    return s.step() ? s.text(0) : std::string();
}

bool isCampusTable(Table t) { return tableDef(t).campus; }

} // namespace

Replica::Replica(std::string path, std::string source) : path_(std::move(path)), source_(std::move(source)) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) return;
    db_ = std::make_unique<sql::Db>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    const std::string seq = metaValue(*db_, "replica_stream_seq");
    if (seq.empty()) {
        db_.reset();
        throw Error(path_, "is not a replica (no replica_stream_seq in its meta table); not overwritten");
    }
    streamSeq_ = std::stoull(seq);
    const std::string at = metaValue(*db_, "replica_published_at_ms");
    publishedAtMs_ = at.empty() ? 0 : std::stoll(at);
}

Replica::~Replica() = default;

void Replica::create(const Changes& campus) {
    bool hasAssets = false, hasMeta = false;
    for (const auto& b : campus.blocks) {
        hasAssets |= b.table == Table::Asset && b.rows() > 0;
        hasMeta |= b.table == Table::Meta && b.rows() > 0;
    }
    if (!hasAssets || !hasMeta) throw WireError("campus message without a campus (no meta or asset rows)");
    std::error_code ec;
    if (const auto dir = std::filesystem::path(path_).parent_path(); !dir.empty()) std::filesystem::create_directories(dir, ec);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ec);
    try {
        auto db = std::make_unique<sql::Db>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
        schema::create(*db);
        db->exec("PRAGMA synchronous = NORMAL");
        {
            WriteTx tx(*db);
            for (const auto& b : campus.blocks)
                if (isCampusTable(b.table)) writeRows(*db, b, b.table == Table::Meta ? "OR REPLACE" : "");
            setMeta(*db, "replica_of", source_);
            setMeta(*db, "replica_stream_seq", "0");
            tx.commit();
        }
        // The campus must load as a campus (what StoreReader will do with it).
        schema::loadCampus(*db);
        db_ = std::move(db);
    } catch (...) {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ec);
        throw;
    }
}

void Replica::checkReferences(const RowBlock& b) {
    const char* check = nullptr;
    switch (b.table) {
    case Table::Frame: check = "SELECT count(*) FROM series WHERE id = ?"; break;
    case Table::Chunk:
    case Table::Sample: check = "SELECT count(*) FROM signal WHERE id = ?"; break;
    default: return;
    }
    sql::Stmt q(*db_, check);
    std::int64_t last = -1;
    for (std::size_t r = 0; r < b.rows(); ++r) {
        const std::int64_t id = b.values[r * b.columns()].i;
        if (id == last) continue;
        q.bind(1, id);
        q.step();
        const bool known = q.i64(0) > 0;
        q.reset();
        if (!known)
            throw WireError(std::string("a ") + tableDef(b.table).name + " row of " +
                            (b.table == Table::Frame ? "series " : "signal ") + std::to_string(id) +
                            ", which the replica's catalogue does not hold");
        last = id;
    }
}

void Replica::apply(Kind kind, const Changes& c, std::uint64_t streamSeq) {
    if (!db_) {
        if (kind != Kind::Campus) throw WireError("a commit before any campus message");
        create(c);
    }
    WriteTx tx(*db_);
    for (const auto& b : c.blocks) {
        if (isCampusTable(b.table)) {
            if (kind != Kind::Campus) throw WireError(std::string("a commit with campus rows (") + tableDef(b.table).name + ")");
            continue;   // the campus is written once, when the replica is created
        }
        checkReferences(b);
        switch (b.table) {
        case Table::Series: case Table::SeriesQuantity: case Table::SeriesAsset:
        case Table::Signal: case Table::Job: case Table::JobRack:
            writeRows(*db_, b, "OR IGNORE");
            break;
        case Table::Chunk: {
            // As StoreWriter does: a scalar signal's chunk replaces its plain rows in its range.
            sql::Stmt del(*db_, "DELETE FROM sample WHERE signal = ?1 AND t BETWEEN ?2 AND ?3 AND "
                                "(SELECT series FROM signal WHERE id = ?1) IS NULL");
            for (std::size_t r = 0; r < b.rows(); ++r) {
                const Value* row = &b.values[r * b.columns()];
                del.bind(1, row[0].i).bind(2, row[1].i).bind(3, row[2].i).run();
            }
            writeRows(*db_, b, "OR REPLACE");
            break;
        }
        default: writeRows(*db_, b, "OR REPLACE"); break;
        }
    }
    setMeta(*db_, "replica_stream_seq", std::to_string(streamSeq));
    if (kind == Kind::Commit) setMeta(*db_, "replica_published_at_ms", std::to_string(c.publishedAtMs));
    tx.commit();
    streamSeq_ = streamSeq;
    if (kind == Kind::Commit) publishedAtMs_ = c.publishedAtMs;
}

Follower::Follower(std::string replicaPath, std::string source) : replica_(std::move(replicaPath), std::move(source)) {}

Follower::Fed Follower::reject(const std::string& why) {
    ++counts_.rejected;
    counts_.lastError = why;
    return Fed::Rejected;
}

Follower::Fed Follower::feed(std::span<const std::uint8_t> payload, std::uint64_t streamSeq) {
    if (replica_.exists() && streamSeq <= replica_.streamSeq()) {
        ++counts_.duplicates;
        return Fed::Duplicate;
    }
    try {
        auto whole = parts_.add(payload);
        if (!whole) return Fed::Partial;
        const Changes c = decodeChanges(whole->body);
        if (!replica_.exists() && whole->kind == Kind::Commit) {
            ++counts_.waiting;
            return Fed::Waiting;
        }
        replica_.apply(whole->kind, c, streamSeq);
        ++counts_.applied;
        return Fed::Applied;
    } catch (const std::exception& e) {   // WireError, twin::Error from SQLite (constraints)
        return reject(e.what());
    }
}

} // namespace twin::opscentre
