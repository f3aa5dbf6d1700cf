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

void ReplayTest::openTripReplay(const std::string& path) {
    session_ = std::make_unique<twin::Session>();
    session_->open(path);
    readTripReplay(*session_, span_, events_, trip_);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(campus().assets[campus().find(trip_.asset)].kind, twin::AssetKind::Turbine);
}

} // namespace testsupport
