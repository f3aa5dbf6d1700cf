// Reading a table's rows into a RowBlock and writing a RowBlock into a table, column by column as
// changes.cpp defines them: the one place where the protocol meets SQL.
#pragma once

#include "twin/opscentre/changes.h"

namespace twin::sql {
class Db;
}

namespace twin::opscentre {

Value intValue(std::int64_t v);
Value realValue(double v);
Value blobValue(std::span<const std::uint8_t> v);

// Appends the rows of `SELECT <the block's columns> FROM <its table> <tail>`.
void readRows(sql::Db& db, RowBlock& block, const std::string& tail);
// INSERT `verb` (e.g. "OR IGNORE") INTO the block's table, every row.
void writeRows(sql::Db& db, const RowBlock& block, const char* verb);

} // namespace twin::opscentre
