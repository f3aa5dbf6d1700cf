// For twin's own queries (src/query/): SQL on the read-only connection of a store reader.
#pragma once

#include "sqlite_db.h"
#include "twin/store.h"

namespace twin {

// A prepared statement of `reader` (one from StoreReader::open), cached by the reader for its
// lifetime like its own; bind, step, then reset it. Throws twin::Error for another reader.
sql::Stmt& readerStatement(StoreReader& reader, const char* sql);

// The event of the current row of a statement whose first columns are the event table's
// id, t_start, t_end, severity, asset, kind, text.
Event eventOfRow(const sql::Stmt& q);

} // namespace twin
