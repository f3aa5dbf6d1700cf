// A TCP port on 127.0.0.1 that nobody listens on now (the kernel picks it), for a server a test
// starts as a child process. 0 when none could be had.
#pragma once

namespace testsupport {

int freePort();

} // namespace testsupport
