// A thin RAII layer over the SQLite C API: every failure becomes a twin::Error naming the file.
#pragma once

#include "twin/error.h"

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace twin::sql {

class Db;

// A failed SQLite call: its file, what failed and SQLite's extended result code.
class Failure : public Error {
public:
    Failure(const std::string& file, const std::string& problem, int code) : Error(file, problem), code_(code) {}
    int code() const { return code_; }
    // The file's content is damaged (SQLITE_CORRUPT, SQLITE_NOTADB, a short read), as opposed to
    // a busy or locked database, a full disk or a misuse.
    bool damaged() const {
        const int primary = code_ & 0xff;
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || code_ == SQLITE_IOERR_SHORT_READ;
    }

private:
    int code_;
};

class Stmt {
public:
    Stmt() = default;
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
    Stmt& operator=(Stmt&& o) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bindBlob(int i, std::span<const std::uint8_t> v);
    Stmt& bindNull(int i);

    bool step();          // true: a row is ready; false: done. Throws on error.
    void run();           // step() to completion, then reset()
    void reset();

    std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
    double f64(int c) const { return sqlite3_column_double(s_, c); }
    bool isNull(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    std::string text(int c) const;
    std::span<const std::uint8_t> blob(int c) const;
    int columns() const { return sqlite3_column_count(s_); }

private:
    Db* db_ = nullptr;
    sqlite3_stmt* s_ = nullptr;
};

class Db {
public:
    // flags: SQLITE_OPEN_* ; throws twin::Error(path, ...) on failure (sql::Failure after opening).
    Db(const std::string& path, int flags);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    std::int64_t scalar(std::string_view sql);   // first column of the first row (0 if none)
    [[noreturn]] void fail(std::string_view what) const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

} // namespace twin::sql
