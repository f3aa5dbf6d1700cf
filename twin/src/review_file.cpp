// ReviewFile: a small SQLite file beside a read-only recording (rollback journal, every parameter
// bound, one transaction per edit). Format: docs/store.md, "Review files and slices".
#include "twin/review_file.h"

#include "sqlite_db.h"
#include "store_schema.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace twin {

namespace fs = std::filesystem;

namespace {

// A refusal decided here (not an SQLite failure): passed on as it is.
struct Refusal : Error {
    using Error::Error;
};

std::string folderOf(const std::string& path) {
    const auto parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// Why `path` (a file or a folder) cannot be written, or "" if it can.
std::string notWritable(const std::string& path) {
    if (::access(path.c_str(), W_OK) == 0) return {};
    return std::strerror(errno);
}

// The first line of an integrity check's report that names a problem, shortened.
std::string firstProblem(const std::string& report) {
    std::size_t at = 0;
    while (at < report.size()) {
        const auto end = std::min(report.find('\n', at), report.size());
        const std::string line = report.substr(at, end - at);
        if (!line.empty() && line.rfind("***", 0) != 0) return line.size() > 160 ? line.substr(0, 160) + "..." : line;
        at = end + 1;
    }
    return "integrity check failed";
}

std::string describe(const RecordingIdentity& r) {
    std::string s = "'" + r.fileName + "' (campus '" + r.campusName + "'";
    if (r.firstFrame) s += ", first frame at " + formatUtc(*r.firstFrame);
    return s + ")";
}

const char* const kCreateSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE recording(id INTEGER PRIMARY KEY CHECK(id = 1), file_name TEXT NOT NULL,
                       campus_name TEXT NOT NULL, first_frame_series TEXT, first_frame_t INTEGER,
                       fingerprint TEXT NOT NULL DEFAULT '');
CREATE TABLE bookmark(id INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL,
                      name TEXT NOT NULL CHECK(name <> ''), note TEXT NOT NULL DEFAULT '');
CREATE INDEX bookmark_t ON bookmark(t);
CREATE TABLE event_note(event INTEGER PRIMARY KEY, note TEXT NOT NULL CHECK(note <> ''));
)sql";

// Version 2: who acknowledged which alarm (event id of the recording) and when (ms since the epoch).
const char* const kCreateAcks = R"sql(
CREATE TABLE event_ack(event INTEGER PRIMARY KEY, by TEXT NOT NULL CHECK(by <> ''), at INTEGER NOT NULL);
)sql";

} // namespace

namespace {

// SHA-256 (hex) of the first segment of a series' frame at exactly t, "" if there is none.
// StoreReader::query takes no parameters: only integers (a series id, a time) enter the SQL text.
std::string frameFingerprint(StoreReader& recording, const std::string& seriesName, TimeMs t) {
    const int series = recording.findSeries(seriesName);
    if (series == 0) return {};
    const auto rows = recording.query("SELECT hex(data) FROM frame WHERE series = " + std::to_string(series) +
                                      " AND seg = 0 AND t = " + std::to_string(t));
    if (rows.empty() || rows[0].empty()) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArray::fromStdString(seriesName + '\n' + std::to_string(t) + '\n'));
    h.addData(QByteArray::fromStdString(rows[0][0]));
    return h.result().toHex().toStdString();
}

} // namespace

RecordingIdentity recordingIdentity(StoreReader& recording) {
    RecordingIdentity id;
    id.fileName = fs::path(recording.path()).filename().string();
    id.campusName = recording.campus().name;
    // The first frame of the lowest-numbered series that has frames: written once and never
    // changed (also while the recording grows), and it differs between recordings of real data.
    const auto rows = recording.query(
        "SELECT s.name, f.t FROM frame f JOIN series s ON s.id = f.series "
        "WHERE f.series = (SELECT min(series) FROM frame) AND f.seg = 0 ORDER BY f.t LIMIT 1");
    if (rows.empty() || rows[0].size() != 2 || rows[0][1].empty()) return id;
    try {
        id.firstFrame = std::stoll(rows[0][1]);
    } catch (const std::exception&) {
        return id;   // not an integer time: no frame to identify the recording by
    }
    id.firstFrameSeries = rows[0][0];
    id.fingerprint = frameFingerprint(recording, id.firstFrameSeries, *id.firstFrame);
    return id;
}

struct ReviewFile::Impl {
    std::string path, recPath;
    std::unique_ptr<StoreReader> owned;
    StoreReader* rec = nullptr;
    RecordingIdentity id;
    bool defaultPlace = false;            // path is sidecarPath(recPath)
    std::unique_ptr<sql::Db> db;          // null while the file does not exist (or is empty)
    bool dbReadOnly = false;
    bool initialised = false;             // the schema exists (not a fresh or empty file)

    // --- opening and checking ---

    // Opens the file if it exists and is not empty; checks it when it is initialised.
    void attach() {
        std::error_code ec;
        const auto st = fs::status(path, ec);
        if (st.type() == fs::file_type::not_found) return;
        if (ec) throw Refusal(path, "cannot be checked (" + ec.message() + ")");
        if (fs::is_directory(st)) throw Refusal(path, "is a folder, not a review file");
        if (!fs::is_regular_file(st)) throw Refusal(path, "is not a regular file, not a review file");
        const auto size = fs::file_size(path, ec);
        if (ec) throw Refusal(path, "cannot be checked (" + ec.message() + ")");
        if (size == 0) return;   // an empty file (e.g. creation interrupted): initialised by the first write
        {
            std::ifstream in(path, std::ios::binary);
            if (!in) throw Refusal(path, "cannot be read (" + std::string(std::strerror(errno)) + ")");
            unsigned char h[100] = {};
            in.read(reinterpret_cast<char*>(h), sizeof h);
            if (in.gcount() < 100 || std::memcmp(h, "SQLite format 3", 16) != 0)
                throw Refusal(path, "is not a review file (not an SQLite database)");
            // The application id (header offset 68): refuse a recording or another program's file
            // before opening it for writing.
            const auto app = static_cast<std::int64_t>((std::uint32_t(h[68]) << 24) | (std::uint32_t(h[69]) << 16) |
                                                       (std::uint32_t(h[70]) << 8) | std::uint32_t(h[71]));
            if (app == schema::kApplicationId) throw Refusal(path, "is a twin store (a recording), not a review file");
            if (app != 0 && app != kApplicationId)
                throw Refusal(path, "is not a Colossus Twin review file (an SQLite database of another program)");
        }
        openDb(false);
        check();
    }

    void openDb(bool create) {
        try {
            db = std::make_unique<sql::Db>(path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                                                     SQLITE_OPEN_NOMUTEX);
        } catch (const Error&) {
            if (create) throw;
            // Not writable at all (e.g. no permission to open for writing): read only.
            db = std::make_unique<sql::Db>(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
        }
        dbReadOnly = sqlite3_db_readonly(db->handle(), "main") == 1;
    }

    // Checks application id, version, integrity and the recording's identity. Sets initialised.
    void check() {
        initialised = false;
        try {
            const auto app = db->scalar("PRAGMA application_id");
            const auto version = db->scalar("PRAGMA user_version");
            if (app == schema::kApplicationId)
                throw Refusal(path, "is a twin store (a recording), not a review file");
            if (app != kApplicationId) {
                // A fresh SQLite file without any table is treated as an empty review file.
                if (app == 0 && version == 0 && db->scalar("SELECT count(*) FROM sqlite_schema") == 0) return;
                throw Refusal(path, "is not a Colossus Twin review file (an SQLite database of another program)");
            }
            if (version > kSchemaVersion)
                throw Refusal(path, "was written by a newer Colossus Twin (review file version " +
                                        std::to_string(version) + ", this program reads up to version " +
                                        std::to_string(kSchemaVersion) + "); update Colossus Twin to open it");
            if (version < 1)
                throw Refusal(path, "has an unknown review file version " + std::to_string(version));
            {
                sql::Stmt q(*db, "PRAGMA quick_check(3)");
                if (q.step() && q.text(0) != "ok") throw Refusal(path, "is corrupted (" + firstProblem(q.text(0)) + ")");
            }
            RecordingIdentity stored;
            {
                sql::Stmt q(*db, "SELECT file_name, campus_name, first_frame_series, first_frame_t, fingerprint "
                                 "FROM recording WHERE id = 1");
                if (!q.step()) throw Refusal(path, "is damaged: it does not say which recording it belongs to");
                stored.fileName = q.text(0);
                stored.campusName = q.text(1);
                stored.firstFrameSeries = q.text(2);
                if (!q.isNull(3)) stored.firstFrame = q.i64(3);
                stored.fingerprint = q.text(4);
            }
            checkIdentity(stored);
        } catch (const Refusal&) {
            throw;
        } catch (const Error& e) {
            fail("reading it", e);
        }
        initialised = true;
    }

    void checkIdentity(const RecordingIdentity& stored) {
        if (!id.firstFrame) id = recordingIdentity(*rec);   // a live recording may have frames by now
        const bool sameCampus = stored.campusName == id.campusName;
        // The recording must hold the very frame the review file recorded (whatever its first
        // frame is now: a series added later cannot change the answer).
        const bool sameData =
            !stored.firstFrame ||
            (!stored.fingerprint.empty() &&
             frameFingerprint(*rec, stored.firstFrameSeries, *stored.firstFrame) == stored.fingerprint);
        // At the default place the file's name already follows the recording's: a recording
        // renamed together with its review file keeps it.
        const bool sameName = stored.fileName == id.fileName || defaultPlace;
        if (sameCampus && sameData && sameName) return;
        std::string msg = "belongs to another recording: " + describe(stored) + ", not to " + describe(id);
        if (sameCampus && sameData)
            msg += " (the two look alike: if this is the same recording under a new name, rename its review file to '" +
                   id.fileName + ".review' too)";
        throw Refusal(path, msg);
    }

    // Notices a file created, initialised or deleted by another program since the last call.
    void sync() {
        forgetIfDeleted();
        if (!db) {
            attach();
            return;
        }
        if (!initialised) check();
    }

    // A review file deleted while open: start again (the next write creates a new one) rather
    // than write into the deleted file.
    void forgetIfDeleted() {
        std::error_code ec;
        if (db && !fs::exists(path, ec) && !ec) {
            db.reset();
            dbReadOnly = false;
            initialised = false;
        }
    }

    // --- errors ---

    [[noreturn]] void fail(const std::string& doing, const Error& e) const {
        const int code = db ? sqlite3_extended_errcode(db->handle()) : SQLITE_OK;
        const std::string msg = db ? sqlite3_errmsg(db->handle()) : e.problem();
        std::string why;
        switch (code & 0xff) {
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_AUTH: why = "the file or its folder is read-only (" + msg + ")"; break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: why = "the file is corrupted (" + msg + ")"; break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: why = "the file is locked by another program (" + msg + "); try again"; break;
        case SQLITE_FULL: why = "the disk is full"; break;
        case SQLITE_IOERR: why = "input/output error (" + msg + ")"; break;
        default: why = e.problem();
        }
        throw Error(path, doing + " failed: " + why);
    }

    // --- writing ---

    std::string writeProblem() const {
        const std::string folder = folderOf(path);
        std::error_code ec;
        const bool fileExists = fs::exists(path, ec);
        if (!fileExists) {
            if (!fs::is_directory(folder, ec)) return "it cannot be created: folder '" + folder + "' does not exist";
            if (const auto e = notWritable(folder); !e.empty())
                return "it cannot be created: folder '" + folder + "' is not writable (" + e + ")";
            return {};
        }
        if (dbReadOnly) return "the file is read-only";
        if (const auto e = notWritable(path); !e.empty()) return "the file is read-only (" + e + ")";
        // A rollback journal is created beside the file for every transaction.
        if (const auto e = notWritable(folder); !e.empty())
            return "its folder '" + folder + "' is not writable (" + e + ")";
        return {};
    }

    // Runs body in one write transaction, creating and initialising the file if needed.
    template <typename F> void write(const std::string& doing, F&& body) {
        forgetIfDeleted();
        if (const auto why = writeProblem(); !why.empty()) throw Refusal(path, doing + " failed: " + why);
        if (!db) {
            try {
                openDb(true);
            } catch (const Error& e) {
                throw Error(path, doing + " failed: the file cannot be created (" + e.problem() + ")");
            }
        }
        try {
            db->exec("BEGIN IMMEDIATE");
        } catch (const Error& e) {
            fail(doing, e);
        }
        try {
            if (db->scalar("PRAGMA application_id") == 0 && db->scalar("PRAGMA user_version") == 0 &&
                db->scalar("SELECT count(*) FROM sqlite_schema") == 0)
                initialise();
            else if (!initialised)
                check();
            syncIdentity();
            body(*db);
            db->exec("COMMIT");
        } catch (const Refusal&) {
            rollback();
            throw;
        } catch (const Error& e) {
            try {
                fail(doing, e);
            } catch (...) {
                rollback();
                throw;
            }
        }
        initialised = true;
    }

    void rollback() {
        if (db && !sqlite3_get_autocommit(db->handle())) {
            try {
                db->exec("ROLLBACK");
            } catch (...) {
            }
        }
    }

    void initialise() {
        // Both pragmas write the database header: they are part of the transaction.
        db->exec("PRAGMA application_id = " + std::to_string(kApplicationId) + "; PRAGMA user_version = " +
                 std::to_string(kSchemaVersion));
        db->exec(kCreateSchema);
        db->exec(kCreateAcks);
        sql::Stmt meta(*db, "INSERT INTO meta(key, value) VALUES(?, ?)");
        meta.bind(1, "format").bind(2, "colossus-twin-review").run();
        meta.bind(1, "schema_version").bind(2, std::to_string(kSchemaVersion)).run();
        meta.bind(1, "time_unit").bind(2, "ms since 1970-01-01T00:00:00Z").run();
        meta.bind(1, "created_by").bind(2, "colossus-twin " COLOSSUS_VERSION).run();
        sql::Stmt rec(*db, "INSERT INTO recording(id, file_name, campus_name, first_frame_series, first_frame_t, "
                           "fingerprint) VALUES(1, ?, ?, ?, ?, ?)");
        rec.bind(1, id.fileName).bind(2, id.campusName);
        if (id.firstFrame) rec.bind(3, id.firstFrameSeries).bind(4, *id.firstFrame); else rec.bindNull(3).bindNull(4);
        rec.bind(5, id.fingerprint).run();
    }

    // A version-1 file gains the acknowledgement table (inside the caller's transaction).
    void upgrade() {
        if (db->scalar("PRAGMA user_version") >= 2) return;
        db->exec(kCreateAcks);
        db->exec("PRAGMA user_version = 2");
        sql::Stmt meta(*db, "INSERT INTO meta(key, value) VALUES('schema_version', '2') "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        meta.run();
    }

    bool hasAcks(sql::Db& d) {
        return d.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'event_ack'") > 0;
    }

    // Records the recording's current name (renamed together with the review file) and, once the
    // recording has frames, its first frame.
    void syncIdentity() {
        if (!id.firstFrame) id = recordingIdentity(*rec);
        sql::Stmt up(*db, "UPDATE recording SET file_name = ?, "
                          "fingerprint = CASE WHEN first_frame_t IS NULL THEN ? ELSE fingerprint END, "
                          "first_frame_series = CASE WHEN first_frame_t IS NULL THEN ? ELSE first_frame_series END, "
                          "first_frame_t = coalesce(first_frame_t, ?) WHERE id = 1");
        up.bind(1, id.fileName).bind(2, id.fingerprint);
        if (id.firstFrame) up.bind(3, id.firstFrameSeries).bind(4, *id.firstFrame); else up.bindNull(3).bindNull(4);
        up.run();
    }

    // --- reading ---

    template <typename F> void read(F&& body) {
        sync();
        if (!db || !initialised) return;
        try {
            body(*db);
        } catch (const Refusal&) {
            throw;
        } catch (const Error& e) {
            fail("reading it", e);
        }
    }

    std::vector<ReviewBookmark> list(std::optional<std::pair<TimeMs, TimeMs>> range) {
        std::vector<ReviewBookmark> out;
        for (const auto& b : rec->bookmarks())
            if (!range || (b.t >= range->first && b.t <= range->second))
                out.push_back({-b.id, b.t, b.name, b.note, BookmarkOrigin::Recording});
        read([&](sql::Db& d) {
            sql::Stmt q(d, range ? "SELECT id, t, name, note FROM bookmark WHERE t BETWEEN ? AND ? ORDER BY t, id"
                                 : "SELECT id, t, name, note FROM bookmark ORDER BY t, id");
            if (range) q.bind(1, range->first).bind(2, range->second);
            while (q.step()) out.push_back({q.i64(0), q.i64(1), q.text(2), q.text(3), BookmarkOrigin::Review});
        });
        std::stable_sort(out.begin(), out.end(), [](const ReviewBookmark& a, const ReviewBookmark& b) {
            if (a.t != b.t) return a.t < b.t;
            if (a.origin != b.origin) return a.origin == BookmarkOrigin::Recording;
            return std::abs(a.id) < std::abs(b.id);
        });
        return out;
    }

    // Refuses an id that is not one of the review's bookmarks.
    void requireEditable(std::int64_t bid, const std::string& doing) {
        if (bid <= 0) {
            std::string name;
            for (const auto& b : rec->bookmarks())
                if (-b.id == bid) name = " '" + b.name + "'";
            throw Refusal(path, doing + " failed: bookmark" + name + " is part of the recording " + recPath +
                                    " and is read-only");
        }
    }

    void updateOne(sql::Db& d, sql::Stmt& st, std::int64_t bid, const std::string& doing) {
        st.run();
        if (sqlite3_changes(d.handle()) != 1)
            throw Refusal(path, doing + " failed: no bookmark with id " + std::to_string(bid));
    }
};

ReviewFile::ReviewFile(std::unique_ptr<Impl> impl) : d_(std::move(impl)) {}
ReviewFile::~ReviewFile() = default;

std::string ReviewFile::sidecarPath(const std::string& recordingPath) { return recordingPath + ".review"; }

std::unique_ptr<ReviewFile> ReviewFile::make(const std::string& reviewPath, StoreReader& rec,
                                             std::unique_ptr<StoreReader> owned) {
    if (reviewPath.empty()) throw Error(rec.path(), "no review file name given");
    auto d = std::make_unique<Impl>();
    d->path = reviewPath;
    d->recPath = rec.path();
    d->owned = std::move(owned);
    d->rec = &rec;
    d->defaultPlace = reviewPath == sidecarPath(rec.path());
    std::error_code ec;
    if (fs::exists(reviewPath, ec) && fs::equivalent(reviewPath, rec.path(), ec))
        throw Error(reviewPath, "is the recording itself, not a review file");
    d->id = recordingIdentity(rec);
    d->attach();
    return std::unique_ptr<ReviewFile>(new ReviewFile(std::move(d)));
}

std::unique_ptr<ReviewFile> ReviewFile::open(const std::string& recordingPath) {
    return openAt(sidecarPath(recordingPath), recordingPath);
}

std::unique_ptr<ReviewFile> ReviewFile::open(StoreReader& recording) {
    return openAt(sidecarPath(recording.path()), recording);
}

std::unique_ptr<ReviewFile> ReviewFile::openAt(const std::string& reviewPath, const std::string& recordingPath) {
    auto reader = StoreReader::open(recordingPath);
    StoreReader& r = *reader;
    return make(reviewPath, r, std::move(reader));
}

std::unique_ptr<ReviewFile> ReviewFile::openAt(const std::string& reviewPath, StoreReader& recording) {
    return make(reviewPath, recording, nullptr);
}

const std::string& ReviewFile::path() const { return d_->path; }
const std::string& ReviewFile::recordingPath() const { return d_->recPath; }
const RecordingIdentity& ReviewFile::identity() const { return d_->id; }
StoreReader& ReviewFile::recording() { return *d_->rec; }

bool ReviewFile::exists() const {
    std::error_code ec;
    return fs::exists(d_->path, ec);
}

bool ReviewFile::writable() const { return d_->writeProblem().empty(); }
std::string ReviewFile::writeProblem() const { return d_->writeProblem(); }

std::vector<ReviewBookmark> ReviewFile::bookmarks() { return d_->list(std::nullopt); }

std::vector<ReviewBookmark> ReviewFile::bookmarks(TimeMs t0, TimeMs t1) {
    return d_->list(std::make_pair(t0, t1));
}

std::optional<ReviewBookmark> ReviewFile::bookmark(std::int64_t bid) {
    if (bid <= 0) {
        for (const auto& b : d_->rec->bookmarks())
            if (-b.id == bid) return ReviewBookmark{-b.id, b.t, b.name, b.note, BookmarkOrigin::Recording};
        return std::nullopt;
    }
    std::optional<ReviewBookmark> out;
    d_->read([&](sql::Db& d) {
        sql::Stmt q(d, "SELECT id, t, name, note FROM bookmark WHERE id = ?");
        q.bind(1, bid);
        if (q.step()) out = ReviewBookmark{q.i64(0), q.i64(1), q.text(2), q.text(3), BookmarkOrigin::Review};
    });
    return out;
}

std::int64_t ReviewFile::addBookmark(TimeMs t, const std::string& name, const std::string& note) {
    const std::string doing = "adding bookmark '" + name + "' at " + formatUtc(t);
    if (name.empty()) throw Refusal(d_->path, "adding a bookmark at " + formatUtc(t) + " failed: it needs a name");
    std::int64_t bid = 0;
    d_->write(doing, [&](sql::Db& d) {
        sql::Stmt ins(d, "INSERT INTO bookmark(t, name, note) VALUES(?, ?, ?)");
        ins.bind(1, t).bind(2, name).bind(3, note).run();
        bid = sqlite3_last_insert_rowid(d.handle());
    });
    return bid;
}

void ReviewFile::renameBookmark(std::int64_t bid, const std::string& name) {
    const std::string doing = "renaming bookmark " + std::to_string(bid) + " to '" + name + "'";
    d_->requireEditable(bid, doing);
    if (name.empty()) throw Refusal(d_->path, doing + " failed: a bookmark needs a name");
    d_->write(doing, [&](sql::Db& d) {
        sql::Stmt up(d, "UPDATE bookmark SET name = ? WHERE id = ?");
        up.bind(1, name).bind(2, bid);
        d_->updateOne(d, up, bid, doing);
    });
}

void ReviewFile::setBookmarkNote(std::int64_t bid, const std::string& note) {
    const std::string doing = "changing the note of bookmark " + std::to_string(bid);
    d_->requireEditable(bid, doing);
    d_->write(doing, [&](sql::Db& d) {
        sql::Stmt up(d, "UPDATE bookmark SET note = ? WHERE id = ?");
        up.bind(1, note).bind(2, bid);
        d_->updateOne(d, up, bid, doing);
    });
}

void ReviewFile::moveBookmark(std::int64_t bid, TimeMs t) {
    const std::string doing = "moving bookmark " + std::to_string(bid) + " to " + formatUtc(t);
    d_->requireEditable(bid, doing);
    d_->write(doing, [&](sql::Db& d) {
        sql::Stmt up(d, "UPDATE bookmark SET t = ? WHERE id = ?");
        up.bind(1, t).bind(2, bid);
        d_->updateOne(d, up, bid, doing);
    });
}

void ReviewFile::removeBookmark(std::int64_t bid) {
    const std::string doing = "removing bookmark " + std::to_string(bid);
    d_->requireEditable(bid, doing);
    d_->write(doing, [&](sql::Db& d) {
        sql::Stmt del(d, "DELETE FROM bookmark WHERE id = ?");
        del.bind(1, bid);
        d_->updateOne(d, del, bid, doing);
    });
}

void ReviewFile::setEventNote(std::int64_t eventId, const std::string& note) {
    const std::string doing = "annotating event " + std::to_string(eventId);
    d_->write(doing, [&](sql::Db& d) {
        if (note.empty()) {
            sql::Stmt del(d, "DELETE FROM event_note WHERE event = ?");
            del.bind(1, eventId).run();
        } else {
            sql::Stmt up(d, "INSERT INTO event_note(event, note) VALUES(?, ?) "
                            "ON CONFLICT(event) DO UPDATE SET note = excluded.note");
            up.bind(1, eventId).bind(2, note).run();
        }
    });
}

bool ReviewFile::acknowledge(std::int64_t eventId, const std::string& by, TimeMs at) {
    const std::string doing = "acknowledging event " + std::to_string(eventId);
    if (by.empty()) throw Refusal(d_->path, doing + " failed: it needs the name of who acknowledges");
    bool recorded = false;
    d_->write(doing, [&](sql::Db& d) {
        d_->upgrade();
        sql::Stmt ins(d, "INSERT INTO event_ack(event, by, at) VALUES(?, ?, ?) ON CONFLICT(event) DO NOTHING");
        ins.bind(1, eventId).bind(2, by).bind(3, at).run();
        recorded = sqlite3_changes(d.handle()) == 1;
    });
    return recorded;
}

std::optional<Acknowledgement> ReviewFile::acknowledgement(std::int64_t eventId) {
    std::optional<Acknowledgement> out;
    d_->read([&](sql::Db& d) {
        if (!d_->hasAcks(d)) return;
        sql::Stmt q(d, "SELECT by, at FROM event_ack WHERE event = ?");
        q.bind(1, eventId);
        if (q.step()) out = Acknowledgement{eventId, q.text(0), q.i64(1)};
    });
    return out;
}

std::map<std::int64_t, Acknowledgement> ReviewFile::acknowledgements() {
    std::map<std::int64_t, Acknowledgement> out;
    d_->read([&](sql::Db& d) {
        if (!d_->hasAcks(d)) return;
        sql::Stmt q(d, "SELECT event, by, at FROM event_ack ORDER BY event");
        while (q.step()) out.emplace(q.i64(0), Acknowledgement{q.i64(0), q.text(1), q.i64(2)});
    });
    return out;
}

int ReviewFile::schemaVersion() {
    int v = 0;
    d_->read([&](sql::Db& d) { v = static_cast<int>(d.scalar("PRAGMA user_version")); });
    return v;
}

std::string ReviewFile::eventNote(std::int64_t eventId) {
    std::string out;
    d_->read([&](sql::Db& d) {
        sql::Stmt q(d, "SELECT note FROM event_note WHERE event = ?");
        q.bind(1, eventId);
        if (q.step()) out = q.text(0);
    });
    return out;
}

std::map<std::int64_t, std::string> ReviewFile::eventNotes() {
    std::map<std::int64_t, std::string> out;
    d_->read([&](sql::Db& d) {
        sql::Stmt q(d, "SELECT event, note FROM event_note ORDER BY event");
        while (q.step()) out.emplace(q.i64(0), q.text(1));
    });
    return out;
}

} // namespace twin
