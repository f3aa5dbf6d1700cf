#include "support/replay.h"

#include <QtTest>

#include <algorithm>

namespace testsupport {

void readTripReplay(twin::Session& session, twin::TimeSpan& span, std::vector<twin::Event>& events, twin::Event& trip) {
    span = session.clock().span();
    QVERIFY(!span.empty);
    QVERIFY(span.last - span.first >= 59'000);
    events = session.reader().events(span.first, span.last);
    const auto found = std::find_if(events.begin(), events.end(), [](const twin::Event& e) { return e.kind == "turbine_trip"; });
    QVERIFY(found != events.end());
    trip = *found;
}

void rewind(twin::Session& session, const twin::TimeSpan& span) {
    twin::Clock& clock = session.clock();
    clock.pause();
    clock.setLive(false);
    clock.clearLoop();
    clock.setSpeed(1);
    clock.seek(span.first);
    session.select({});
}

} // namespace testsupport
