// A turbine-trip recording replayed in a Session, as the widget tests drive it: its span, its
// events, the trip among them, and the clock put back before each test function.
#pragma once

#include "twin/session/session.h"

#include <QObject>

#include <memory>
#include <string>
#include <vector>

namespace testsupport {

// Reads what the widget tests compare against from `session` (a turbine-trip recording of at least
// a minute, open): its span, every event as the reader gives them, the turbine trip. Fails the test
// (checks QTest::currentTestFailed() after) when the span is shorter or there is no trip.
void readTripReplay(twin::Session& session, twin::TimeSpan& span, std::vector<twin::Event>& events, twin::Event& trip);

// The clock paused at the start of `span`, replaying at 1x, no loop; nothing selected.
void rewind(twin::Session& session, const twin::TimeSpan& span);

// The base of a test class over a turbine-trip replay (test_common, test_timeline, test_review_ui):
// the session and what readTripReplay reads from it.
class ReplayTest : public QObject {
    Q_OBJECT

protected:
    std::unique_ptr<twin::Session> session_;
    twin::TimeSpan span_;
    std::vector<twin::Event> events_;   // every event of the store, as the reader gives them
    twin::Event trip_;

    twin::Clock& clock() { return session_->clock(); }
    const twin::Campus& campus() { return session_->campus(); }

    // A new session on the recording `path`, read with readTripReplay; the tripped unit must be a
    // turbine. Fails the test (in initTestCase: no test function runs) when any of it does not hold.
    void openTripReplay(const std::string& path);
};

} // namespace testsupport
