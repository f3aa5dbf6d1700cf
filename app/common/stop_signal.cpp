#include "stop_signal.h"

#include <csignal>

namespace {

// A lock-free atomic is async-signal-safe.
std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onStopSignal(int) { gStop.store(true); }

} // namespace

namespace app_common {

void installStopHandler() {
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;   // a second signal ends the process the usual way
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

const std::atomic<bool>& stopFlag() { return gStop; }

} // namespace app_common
