// SIGINT and SIGTERM for the command-line programs (colossus-sim, colossus-ingest): the first
// signal sets a flag that their loops poll, so they close their store cleanly; SA_RESETHAND makes
// a second signal end the process the usual way.
#pragma once

#include <atomic>

namespace app_common {

void installStopHandler();
// Set once SIGINT or SIGTERM has arrived (the simulator takes it as its stop flag).
const std::atomic<bool>& stopFlag();
inline bool stopRequested() { return stopFlag().load(); }

} // namespace app_common
