#include "twin/session/clock.h"

#include <algorithm>
#include <cmath>

namespace twin {

Clock::Clock(QObject* parent) : QObject(parent) {
    timer_.setInterval(16);   // about 60 updates a second while playing
    connect(&timer_, &QTimer::timeout, this, &Clock::advance);
}

void Clock::setSpan(const TimeSpan& span) {
    if (span.first == span_.first && span.last == span_.last && span.empty == span_.empty) return;
    const bool wasEmpty = span_.empty;
    span_ = span;
    emit spanChanged(span_);
    if (span_.empty) return;
    if (!loop_.empty) {   // keep the part of the loop inside the span, if any
        const TimeMs a = std::max(loop_.first, span_.first), b = std::min(loop_.last, span_.last);
        if (b <= a) {
            clearLoop();
        } else if (a != loop_.first || b != loop_.last) {
            loop_.first = a;
            loop_.last = b;
            emit loopChanged(loop_);
        }
    }
    if (live_ || wasEmpty)
        setTime(live_ ? span_.last : std::clamp(time_, span_.first, span_.last));
    else if (time_ < span_.first || time_ > span_.last)
        setTime(std::clamp(time_, span_.first, span_.last));
}

void Clock::setTime(TimeMs t) {
    if (t == time_) return;
    time_ = t;
    emit timeChanged(time_);
}

void Clock::seek(TimeMs t) {
    setLive(false);
    cancelStop();
    carryMs_ = 0;
    t = span_.empty ? t : std::clamp(t, span_.first, span_.last);
    if (!loop_.empty && (t < loop_.first || t > loop_.last)) clearLoop();   // left the loop: drop it
    setTime(t);
}

void Clock::play() {
    if (playing_) return;
    if (live_) setLive(false);
    if (!span_.empty && time_ >= span_.last) setTime(span_.first);   // replay from the start
    if (!loop_.empty && (time_ < loop_.first || time_ >= loop_.last)) setTime(loop_.first);   // play the loop
    playing_ = true;
    carryMs_ = 0;
    elapsed_.start();
    timer_.start();
    emit playingChanged(true);
}

void Clock::pause() {
    cancelStop();
    if (!playing_) return;
    playing_ = false;
    timer_.stop();
    emit playingChanged(false);
}

void Clock::togglePlay() { playing_ ? pause() : play(); }

void Clock::setSpeed(double speed) {
    speed = std::clamp(std::isfinite(speed) ? speed : 1.0, kMinSpeed, kMaxSpeed);
    if (speed == speed_) return;
    speed_ = speed;
    emit speedChanged(speed_);
}

void Clock::stepForward() {
    pause();
    seek(time_ + stepMs_);
}

void Clock::stepBackward() {
    pause();
    seek(time_ - stepMs_);
}

void Clock::jumpToStart() { seek(span_.first); }
void Clock::jumpToEnd() { seek(span_.last); }

void Clock::setLive(bool live) {
    if (live == live_) return;
    live_ = live;
    if (live_) {
        pause();
        clearLoop();
        if (!span_.empty) setTime(span_.last);
    }
    emit liveChanged(live_);
}

void Clock::setStepMs(TimeMs ms) { stepMs_ = std::max<TimeMs>(1, ms); }

void Clock::setLoop(TimeMs t0, TimeMs t1) {
    if (t1 < t0) std::swap(t0, t1);
    if (!span_.empty) {
        t0 = std::clamp(t0, span_.first, span_.last);
        t1 = std::clamp(t1, span_.first, span_.last);
    }
    if (t1 <= t0) return clearLoop();
    if (live_) setLive(false);   // a loop replays: it cannot follow the newest data
    if (stopAt_ && (*stopAt_ < t0 || *stopAt_ > t1)) cancelStop();   // it would never be reached
    if (loop_.empty || loop_.first != t0 || loop_.last != t1) {
        loop_ = TimeSpan{t0, t1, false};
        emit loopChanged(loop_);
    }
    if (playing_ && (time_ < t0 || time_ >= t1)) {   // playing elsewhere: go and play the loop
        carryMs_ = 0;
        setTime(t0);
    }
}

void Clock::clearLoop() {
    if (loop_.empty) return;
    loop_ = TimeSpan{};
    emit loopChanged(loop_);
}

bool Clock::playUntil(TimeMs t) {
    if (span_.empty) return false;
    t = std::clamp(t, span_.first, span_.last);
    if (t <= time_) return false;
    if (!loop_.empty && (t < loop_.first || t > loop_.last)) clearLoop();   // else never got there
    if (stopAt_ != t) {
        stopAt_ = t;
        emit stopAtChanged(true, t);
    }
    play();
    return true;
}

void Clock::cancelStop() {
    if (!stopAt_) return;
    const TimeMs t = *stopAt_;
    stopAt_.reset();
    emit stopAtChanged(false, t);
}

void Clock::advance() {
    // Wall-clock time since the last update, times the speed: playback holds its speed even
    // when a frame takes longer than the timer's interval.
    carryMs_ += static_cast<double>(elapsed_.restart()) * speed_;
    const auto whole = static_cast<TimeMs>(carryMs_);
    if (whole == 0) return;
    carryMs_ -= static_cast<double>(whole);
    TimeMs t = time_ + whole;
    if (stopAt_ && t >= *stopAt_) {   // playUntil: pause exactly at the stop
        const TimeMs stop = *stopAt_;
        setTime(stop);
        cancelStop();   // after the time is set: listeners see the stop reached, not cancelled
        pause();
        emit stopReached(stop);
        return;
    }
    if (!loop_.empty && t >= loop_.last) {   // the loop's end: back to its start
        carryMs_ = 0;
        setTime(loop_.first);
        return;
    }
    if (!span_.empty && t >= span_.last) {
        setTime(span_.last);
        pause();
        return;
    }
    setTime(t);
}

} // namespace twin
