// Sanitized build only (COLOSSUS_SANITIZE, CMakeLists.txt): compiled into every program with
// views. Mesa unloads its software GL driver when the X display closes, before LeakSanitizer
// looks at exit: the blocks the driver's globals still held would then be reported as leaks
// from "<unknown module>" (two of 56 bytes under test_electrical), which no line of lsan.supp
// can match. Opening it once more with RTLD_NODELETE keeps it mapped, so they stay reachable.
#include <dlfcn.h>

namespace {
struct KeepGlDriver {
    KeepGlDriver() { dlopen("/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so", RTLD_LAZY | RTLD_NODELETE); }
} keepGlDriver;
} // namespace
