#include "sqlite_db.h"

namespace twin::sql {

namespace {
std::string describe(sqlite3* db) {
    const int code = sqlite3_extended_errcode(db);
    const int primary = code & 0xff;
    std::string msg = sqlite3_errmsg(db);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return "corrupted store (" + msg + ")";
    if (code == SQLITE_IOERR_SHORT_READ)
        return "truncated store (" + msg + ")";
    if (primary == SQLITE_READONLY)
        return "the store is open read-only (" + msg + ")";
    return msg;
}
} // namespace

Db::Db(const std::string& path, int flags) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? describe(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(path, "cannot open: " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::fail(std::string_view what) const {
    throw Failure(path_, std::string(what) + ": " + describe(db_), sqlite3_extended_errcode(db_));
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        sqlite3_free(err);
        fail("SQL failed");
    }
}

std::int64_t Db::scalar(std::string_view sql) {
    Stmt s(*this, sql);
    return s.step() ? s.i64(0) : 0;
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK)
        db.fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::operator=(Stmt&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(s_);
        db_ = o.db_;
        s_ = o.s_;
        o.s_ = nullptr;
    }
    return *this;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(s_, i, v) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    if (sqlite3_bind_double(s_, i, v) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
    if (sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("bind");
    return *this;
}
Stmt& Stmt::bindBlob(int i, std::span<const std::uint8_t> v) {
    if (sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Stmt& Stmt::bindNull(int i) {
    if (sqlite3_bind_null(s_, i) != SQLITE_OK) db_->fail("bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Keep the message: reset() would overwrite it.
    const std::string sql = sqlite3_sql(s_) ? std::string(sqlite3_sql(s_)).substr(0, 60) : "";
    try {
        db_->fail("query '" + sql + "' failed");
    } catch (...) {
        sqlite3_reset(s_);
        throw;
    }
}

void Stmt::run() {
    while (step()) {}
    reset();
}

void Stmt::reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
}

std::string Stmt::text(int c) const {
    const auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string();
}

std::span<const std::uint8_t> Stmt::blob(int c) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))};
}

} // namespace twin::sql
