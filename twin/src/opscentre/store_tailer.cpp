#include "twin/opscentre/store_tailer.h"

#include "row_io.h"
#include "../sqlite_db.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <set>

namespace twin::opscentre {

namespace {

std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string idList(const std::vector<std::int64_t>& ids) {
    std::string s;
    for (auto id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
    return s;
}

// A read transaction: every SELECT in it sees the same commit of the writer.
class ReadSnapshot {
public:
    explicit ReadSnapshot(sql::Db& db) : db_(db) { db_.exec("BEGIN"); }
    ~ReadSnapshot() {
        try {
            db_.exec("COMMIT");
        } catch (...) {
        }
    }

private:
    sql::Db& db_;
};

void addBlock(Changes& c, RowBlock&& b) {
    if (!b.values.empty()) c.blocks.push_back(std::move(b));
}

RowBlock rows(sql::Db& db, Table t, const std::string& tail) {
    RowBlock b;
    b.table = t;
    readRows(db, b, tail);
    return b;
}

// The catalogue rows beyond the marks (all of it from zero marks).
void readCatalogue(sql::Db& db, const Marks& from, Changes& c) {
    const std::string s = std::to_string(from.seriesId), g = std::to_string(from.signalId), j = std::to_string(from.jobId);
    addBlock(c, rows(db, Table::Series, "WHERE id > " + s + " ORDER BY id"));
    addBlock(c, rows(db, Table::SeriesQuantity, "WHERE series > " + s + " ORDER BY series, idx"));
    addBlock(c, rows(db, Table::SeriesAsset, "WHERE series > " + s + " ORDER BY series, pos"));
    addBlock(c, rows(db, Table::Signal, "WHERE id > " + g + " ORDER BY id"));
    addBlock(c, rows(db, Table::Job, "WHERE id > " + j + " ORDER BY id"));
    addBlock(c, rows(db, Table::JobRack, "WHERE job > " + j + " ORDER BY job, rack"));
}

void catalogueMarks(sql::Db& db, Marks& m) {
    m.seriesId = std::max(m.seriesId, db.scalar("SELECT coalesce(max(id), 0) FROM series"));
    m.signalId = std::max(m.signalId, db.scalar("SELECT coalesce(max(id), 0) FROM signal"));
    m.jobId = std::max(m.jobId, db.scalar("SELECT coalesce(max(id), 0) FROM job"));
}

} // namespace

StoreTailer::StoreTailer(const std::string& path)
    : path_(path), db_(std::make_unique<sql::Db>(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)) {
    if (db_->scalar("SELECT count(*) FROM sqlite_master WHERE name = 'frame'") == 0)
        throw Error(path, "not a twin store (no frame table)");
}

StoreTailer::~StoreTailer() = default;

Changes StoreTailer::campus() {
    ReadSnapshot snapshot(*db_);
    Changes c;
    c.publishedAtMs = wallMs();
    addBlock(c, rows(*db_, Table::Meta, "WHERE key NOT LIKE 'replica\\_%' ESCAPE '\\' ORDER BY key"));
    addBlock(c, rows(*db_, Table::GpuModel, "ORDER BY name"));
    addBlock(c, rows(*db_, Table::RackType, "ORDER BY name"));
    addBlock(c, rows(*db_, Table::UnitModel, "ORDER BY name"));
    addBlock(c, rows(*db_, Table::Asset, "ORDER BY idx"));
    addBlock(c, rows(*db_, Table::Site, "ORDER BY asset"));
    addBlock(c, rows(*db_, Table::Feed, "ORDER BY rowid"));
    readCatalogue(*db_, Marks{}, c);
    catalogueMarks(*db_, c.marks);
    return c;
}

Marks StoreTailer::now() {
    ReadSnapshot snapshot(*db_);
    Marks m;
    m.frameRowid = db_->scalar("SELECT coalesce(max(rowid), 0) FROM frame");
    m.chunkRowid = db_->scalar("SELECT coalesce(max(rowid), 0) FROM chunk");
    m.eventId = db_->scalar("SELECT coalesce(max(id), 0) FROM event");
    m.bookmarkId = db_->scalar("SELECT coalesce(max(id), 0) FROM bookmark");
    catalogueMarks(*db_, m);
    sql::Stmt open(*db_, "SELECT id FROM event WHERE t_end IS NULL ORDER BY id");
    while (open.step()) m.openEvents.push_back(open.i64(0));
    sql::Stmt last(*db_, "SELECT signal, max(t) FROM sample GROUP BY signal");
    while (last.step()) m.sampleT[last.i64(0)] = last.i64(1);
    return m;
}

Changes StoreTailer::since(const Marks& from, std::size_t frameBudget) {
    ReadSnapshot snapshot(*db_);
    Changes c;
    c.publishedAtMs = wallMs();
    Marks& m = c.marks;
    m = from;
    readCatalogue(*db_, from, c);
    catalogueMarks(*db_, m);

    {   // Frames by rowid, cut after the budget at the end of a frame (all its segments together).
        RowBlock b;
        b.table = Table::Frame;
        sql::Stmt q(*db_, "SELECT rowid, series, seg, t, key_t, data FROM frame WHERE rowid > ? ORDER BY rowid");
        q.bind(1, from.frameRowid);
        std::size_t bytes = 0;
        std::int64_t lastSeries = -1, lastT = 0;
        while (q.step()) {
            const std::int64_t series = q.i64(1), t = q.i64(3);
            if (bytes >= frameBudget && (series != lastSeries || t != lastT)) break;
            const auto data = q.blob(5);
            b.values.push_back(intValue(series));
            b.values.push_back(intValue(q.i64(2)));
            b.values.push_back(intValue(t));
            b.values.push_back(intValue(q.i64(4)));
            b.values.push_back(blobValue(data));
            bytes += data.size();
            m.frameRowid = q.i64(0);
            lastSeries = series;
            lastT = t;
        }
        addBlock(c, std::move(b));
    }
    {
        RowBlock b;
        b.table = Table::Chunk;
        readRows(*db_, b, "WHERE rowid > " + std::to_string(from.chunkRowid) + " ORDER BY rowid");
        m.chunkRowid = std::max(m.chunkRowid, db_->scalar("SELECT coalesce(max(rowid), 0) FROM chunk"));
        addBlock(c, std::move(b));
    }
    {   // Plain sample rows of scalar signals, after each signal's last published one.
        RowBlock b;
        b.table = Table::Sample;
        sql::Stmt signals(*db_, "SELECT DISTINCT signal FROM sample");
        std::vector<std::int64_t> ids;
        while (signals.step()) ids.push_back(signals.i64(0));
        sql::Stmt q(*db_, "SELECT t, value FROM sample WHERE signal = ? AND t > ? ORDER BY t");
        for (auto id : ids) {
            const auto it = m.sampleT.find(id);
            q.bind(1, id).bind(2, it == m.sampleT.end() ? std::numeric_limits<std::int64_t>::min() : it->second);
            while (q.step()) {
                b.values.push_back(intValue(id));
                b.values.push_back(intValue(q.i64(0)));
                b.values.push_back(realValue(q.f64(1)));
                m.sampleT[id] = q.i64(0);
            }
            q.reset();
        }
        addBlock(c, std::move(b));
    }
    {   // New events, and those published open that have an end now (the whole row again).
        RowBlock b;
        b.table = Table::Event;
        std::string where = "WHERE id > " + std::to_string(from.eventId);
        if (!from.openEvents.empty())
            where += " OR (id IN (" + idList(from.openEvents) + ") AND t_end IS NOT NULL)";
        readRows(*db_, b, where + " ORDER BY id");
        std::set<std::int64_t> open(from.openEvents.begin(), from.openEvents.end());
        for (std::size_t r = 0; r < b.rows(); ++r) {
            const Value& id = b.values[r * b.columns()];
            const Value& end = b.values[r * b.columns() + 2];
            if (end.type == Value::Type::Null) open.insert(id.i); else open.erase(id.i);
            m.eventId = std::max(m.eventId, id.i);
        }
        m.openEvents.assign(open.begin(), open.end());
        addBlock(c, std::move(b));
    }
    {
        RowBlock b;
        b.table = Table::Bookmark;
        readRows(*db_, b, "WHERE id > " + std::to_string(from.bookmarkId) + " ORDER BY id");
        for (std::size_t r = 0; r < b.rows(); ++r) m.bookmarkId = std::max(m.bookmarkId, b.values[r * b.columns()].i);
        addBlock(c, std::move(b));
    }
    return c;
}

} // namespace twin::opscentre
