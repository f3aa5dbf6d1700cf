#include "timeline/event_navigator.h"

#include "common/asset_ref.h"

#include <algorithm>

using twin::Event;
using twin::TimeMs;

namespace views {

namespace {

// Navigation order: by start, the most severe first, then by id.
bool before(const Event& a, const Event& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.id < b.id;
}

bool holds(const twin::TimeSpan& s, TimeMs t) { return !s.empty && t >= s.first && t <= s.last; }

} // namespace

EventNavigator::EventNavigator(twin::Session& session, QObject* parent) : QObject(parent), session_(session) {
    twin::Clock& clock = session_.clock();
    connect(&session_, &twin::Session::opened, this, [this] {
        current_.reset();
        pending_.reset();
        session_.clock().clearLoop();   // a loop of the previous recording means nothing here
        reload();
    });
    connect(&session_, &twin::Session::dataGrew, this, &EventNavigator::reload);
    connect(&clock, &twin::Clock::loopChanged, this, [this](const twin::TimeSpan& loop) { emit loopingChanged(!loop.empty); });
    connect(&clock, &twin::Clock::stopReached, this, [this](TimeMs t) {
        if (pending_ && pending_->start == t) {
            const Event e = *pending_;
            pending_.reset();
            arrive(e);
        }
    });
    connect(&clock, &twin::Clock::stopAtChanged, this, [this](bool pending, TimeMs t) {
        // Cancelled before getting there (a pause, a seek): forget where playToNext was going.
        if (!pending && pending_ && session_.clock().time() != t) pending_.reset();
    });
    reload();
}

void EventNavigator::setMinimumSeverity(twin::Severity s) {
    if (s == minimum_) return;
    minimum_ = s;
    reload();
}

void EventNavigator::setReviewWindow(TimeMs beforeMs, TimeMs afterMs) {
    beforeMs = std::max<TimeMs>(0, beforeMs);
    afterMs = std::max<TimeMs>(0, afterMs);
    if (beforeMs == beforeMs_ && afterMs == afterMs_) return;
    // A loop of the current event's window follows the new window.
    twin::Clock& clock = session_.clock();
    std::optional<twin::TimeSpan> oldWindow;
    if (current_ && clock.hasLoop()) oldWindow = reviewWindow(*current_);
    beforeMs_ = beforeMs;
    afterMs_ = afterMs;
    if (oldWindow && clock.loop().first == oldWindow->first && clock.loop().last == oldWindow->last) {
        const twin::TimeSpan w = reviewWindow(*current_);
        if (!w.empty) clock.setLoop(w.first, w.last);
    }
}

void EventNavigator::reload() {
    all_.clear();
    const twin::TimeSpan span = session_.clock().span();
    if (session_.isOpen() && !span.empty) all_ = session_.reader().events(span.first, span.last);
    events_.clear();
    std::copy_if(all_.begin(), all_.end(), std::back_inserter(events_), [this](const Event& e) { return e.severity >= minimum_; });
    std::sort(events_.begin(), events_.end(), before);
    emit eventsChanged();
}

int EventNavigator::indexOf(std::int64_t id) const {
    for (std::size_t i = 0; i < events_.size(); ++i)
        if (events_[i].id == id) return static_cast<int>(i);
    return -1;
}

int EventNavigator::cursor() const {
    if (!current_) return -1;
    const int i = indexOf(current_->id);
    return i >= 0 && events_[static_cast<std::size_t>(i)].start == session_.clock().time() ? i : -1;
}

std::optional<Event> EventNavigator::previousFrom(TimeMs t) const {
    const auto it = std::lower_bound(events_.begin(), events_.end(), t, [](const Event& e, TimeMs v) { return e.start < v; });
    if (it == events_.begin()) return std::nullopt;
    return *std::prev(it);
}

std::optional<Event> EventNavigator::nextFrom(TimeMs t) const {
    const auto it = std::upper_bound(events_.begin(), events_.end(), t, [](TimeMs v, const Event& e) { return v < e.start; });
    if (it == events_.end()) return std::nullopt;
    return *it;
}

std::optional<Event> EventNavigator::previousEvent() const {
    if (const int c = cursor(); c >= 0) return c > 0 ? std::optional<Event>(events_[static_cast<std::size_t>(c - 1)]) : std::nullopt;
    return previousFrom(session_.clock().time());
}

std::optional<Event> EventNavigator::nextEvent() const {
    if (const int c = cursor(); c >= 0)
        return c + 1 < static_cast<int>(events_.size()) ? std::optional<Event>(events_[static_cast<std::size_t>(c + 1)]) : std::nullopt;
    return nextFrom(session_.clock().time());
}

twin::TimeSpan EventNavigator::reviewWindow(const Event& e) const {
    TimeMs a = e.start - beforeMs_, b = e.start + afterMs_;
    const twin::TimeSpan span = session_.clock().span();
    if (!span.empty) {
        a = std::clamp(a, span.first, span.last);
        b = std::clamp(b, span.first, span.last);
    }
    return twin::TimeSpan{a, b, b <= a};
}

std::optional<Event> EventNavigator::currentEvent() const {
    const TimeMs t = session_.clock().time();
    if (current_ && holds(reviewWindow(*current_), t)) return current_;
    const Event* started = nullptr;    // the latest that has started, its window holding t
    const Event* upcoming = nullptr;   // the earliest to come, its window holding t
    const Event* last = nullptr;       // the latest before t
    for (const Event& e : events_) {   // in order: strict comparisons keep the most severe of a pile
        if (e.start <= t && (!last || e.start > last->start)) last = &e;
        if (!holds(reviewWindow(e), t)) continue;
        if (e.start <= t) {
            if (!started || e.start > started->start) started = &e;
        } else if (!upcoming) {
            upcoming = &e;
        }
    }
    if (started) return *started;
    if (upcoming) return *upcoming;
    if (last) return *last;
    if (!events_.empty()) return events_.front();
    return std::nullopt;
}

void EventNavigator::arrive(const Event& e) {
    current_ = e;
    const AssetRef ref = resolveAsset(session_, e.asset);
    if (!ref.selection.empty()) session_.select(ref.selection);
    emit currentChanged();
}

void EventNavigator::jumpTo(const Event& event) {
    const Event e = event;   // a copy: the caller's may live in a list that seeking reloads
    twin::Clock& clock = session_.clock();
    const bool wasLooping = clock.hasLoop();
    pending_.reset();
    clock.seek(e.start);   // leaves live mode, cancels a stop, drops a loop it leaves
    arrive(e);
    if (wasLooping) {
        const twin::TimeSpan w = reviewWindow(e);
        if (!w.empty) clock.setLoop(w.first, w.last);
    }
}

bool EventNavigator::jumpToPrevious() {
    const auto e = previousEvent();
    if (!e) return false;
    jumpTo(*e);
    return true;
}

bool EventNavigator::jumpToNext() {
    const auto e = nextEvent();
    if (!e) return false;
    jumpTo(*e);
    return true;
}

bool EventNavigator::playToNext() {
    const auto e = nextEvent();
    if (!e) return false;
    twin::Clock& clock = session_.clock();
    if (e->start <= clock.time()) {   // the next of a pile at this very time: nothing to play
        jumpTo(*e);
        return true;
    }
    pending_ = *e;
    if (!clock.playUntil(e->start)) {
        pending_.reset();
        return false;
    }
    return true;
}

bool EventNavigator::setLoopReviewWindow(bool on) {
    twin::Clock& clock = session_.clock();
    if (!on) {
        clock.clearLoop();
        return true;
    }
    const auto e = currentEvent();
    if (!e) return false;
    const twin::TimeSpan w = reviewWindow(*e);
    if (w.empty) return false;
    current_ = *e;   // the window looped is this event's, wherever the clock goes within it
    clock.setLoop(w.first, w.last);
    return true;
}

} // namespace views
