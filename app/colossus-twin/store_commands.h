// colossus-twin --check STORE and --salvage OUT STORE: a damaged recording examined and rescued
// from a shell, without a display (twin/store_check.h does the work).
#pragma once

#include <QString>

namespace colossus_twin {

// Prints the check's report; returns the exit status: 0 clean, 2 damaged, 3 cannot be opened.
int checkCommand(const QString& store);
// Writes the readable part of `store` to `out`; prints what was left out. Returns 0 when nothing
// was lost, 2 when something was left out, 1 when the salvage failed (one line on stderr).
int salvageCommand(const QString& store, const QString& out);

} // namespace colossus_twin
