// A turbine-trip recording replayed in a Session, as the widget tests drive it: its span, its
// events, the trip among them, and the clock put back before each test function.
#pragma once

#include "twin/session/session.h"

#include <vector>

namespace testsupport {

// Reads what the widget tests compare against from `session` (a turbine-trip recording of at least
// a minute, open): its span, every event as the reader gives them, the turbine trip. Fails the test
// (checks QTest::currentTestFailed() after) when the span is shorter or there is no trip.
void readTripReplay(twin::Session& session, twin::TimeSpan& span, std::vector<twin::Event>& events, twin::Event& trip);

// The clock paused at the start of `span`, replaying at 1x, no loop; nothing selected.
void rewind(twin::Session& session, const twin::TimeSpan& span);

} // namespace testsupport
