// SQL on a store or any SQLite file through the sqlite3 C API, as another program (the sqlite3
// shell, Python) would write it: for data a test adds beside what the twin writes.
#pragma once

#include <cstdint>
#include <string>

namespace testsupport {

// Runs `sql` (one or more statements) on the SQLite file at `path`; a failure fails the test
// (QCOMPARE on the result code, SQLite's message on the log).
void sqliteExec(const std::string& path, const std::string& sql);

// The first column of the first row of `sql` as an integer (0 when there is no row).
std::int64_t sqliteScalar(const std::string& path, const std::string& sql);

} // namespace testsupport
