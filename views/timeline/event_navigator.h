// Event navigation for incident review, over the session's events and its clock:
//  - previous / next event from the clock's time, counting only events at or above a minimum
//    severity (default Warning: warnings, alarms and critical events; setMinimumSeverity);
//  - jump: seek the clock to the event's start and select its asset (as a click on its marker or
//    its row in the event list does; a campus-wide event leaves the selection as it is);
//  - play to the next event: Clock::playUntil(its start); on arrival its asset is selected;
//  - the review window of an event, [start - 30 s, start + 120 s] by default (setReviewWindow),
//    clamped to the recording's span, which the clock can loop.
//
// Order: events by start time, then the most severe first, then by id. Events that share a
// start are visited one by one: after a jump to one of them, next / previous step to its
// neighbour in that order; otherwise next is the first event starting after the clock's time
// and previous the last one starting before it.
//
// The current event (whose window "loop review window" loops): the event last jumped to while
// the clock is within its review window; else, among the events whose window holds the clock's
// time, the latest that has started (or, if none has, the earliest to come); else the latest
// event before the clock's time, else the first event.
// While a review window loops, jumping to another event loops that event's window instead.
#pragma once

#include "twin/session/session.h"

#include <QObject>

#include <optional>
#include <vector>

namespace views {

class EventNavigator : public QObject {
    Q_OBJECT
public:
    explicit EventNavigator(twin::Session& session, QObject* parent = nullptr);

    static constexpr twin::TimeMs kDefaultBeforeMs = 30'000, kDefaultAfterMs = 120'000;

    twin::Severity minimumSeverity() const { return minimum_; }
    void setMinimumSeverity(twin::Severity s);
    twin::TimeMs windowBeforeMs() const { return beforeMs_; }
    twin::TimeMs windowAfterMs() const { return afterMs_; }
    void setReviewWindow(twin::TimeMs beforeMs, twin::TimeMs afterMs);   // negatives count as 0

    // The events navigated (at or above the minimum severity, over the span), in order.
    const std::vector<twin::Event>& events() const { return events_; }

    // Pure look-ups from a time: the last event starting before t, the first starting after t.
    std::optional<twin::Event> previousFrom(twin::TimeMs t) const;
    std::optional<twin::Event> nextFrom(twin::TimeMs t) const;
    // From the clock's time, stepping through events that share a start (see above).
    std::optional<twin::Event> previousEvent() const;
    std::optional<twin::Event> nextEvent() const;
    std::optional<twin::Event> currentEvent() const;
    // [start - before, start + after] clamped to the span.
    twin::TimeSpan reviewWindow(const twin::Event& e) const;
    bool looping() const { return session_.clock().hasLoop(); }

public slots:
    void jumpTo(const twin::Event& e);
    bool jumpToPrevious();              // false: none
    bool jumpToNext();
    bool playToNext();                  // false: no event after the clock's time
    bool setLoopReviewWindow(bool on);  // on: loops the current event's window; false if none
    void toggleLoopReviewWindow() { setLoopReviewWindow(!looping()); }
    void reload();

signals:
    void eventsChanged();
    void currentChanged();              // an event was jumped to (or reached by playToNext)
    void loopingChanged(bool looping);

private:
    int indexOf(std::int64_t id) const;
    int cursor() const;                 // index of the event jumped to if the clock is at its start, else -1
    void arrive(const twin::Event& e);  // select its asset, make it current

    twin::Session& session_;
    twin::Severity minimum_ = twin::Severity::Warning;
    twin::TimeMs beforeMs_ = kDefaultBeforeMs, afterMs_ = kDefaultAfterMs;
    std::vector<twin::Event> all_;      // every event over the span
    std::vector<twin::Event> events_;   // those navigated, in order
    std::optional<twin::Event> current_;   // the event last jumped to
    std::optional<twin::Event> pending_;   // playToNext's destination
};

} // namespace views
