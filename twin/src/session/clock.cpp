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
    carryMs_ = 0;
    setTime(span_.empty ? t : std::clamp(t, span_.first, span_.last));
}

void Clock::play() {
    if (playing_) return;
    if (live_) setLive(false);
    if (!span_.empty && time_ >= span_.last) setTime(span_.first);   // replay from the start
    playing_ = true;
    carryMs_ = 0;
    elapsed_.start();
    timer_.start();
    emit playingChanged(true);
}

void Clock::pause() {
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
        if (!span_.empty) setTime(span_.last);
    }
    emit liveChanged(live_);
}

void Clock::setStepMs(TimeMs ms) { stepMs_ = std::max<TimeMs>(1, ms); }

void Clock::advance() {
    // Wall-clock time since the last update, times the speed: playback holds its speed even
    // when a frame takes longer than the timer's interval.
    carryMs_ += static_cast<double>(elapsed_.restart()) * speed_;
    const auto whole = static_cast<TimeMs>(carryMs_);
    if (whole == 0) return;
    carryMs_ -= static_cast<double>(whole);
    TimeMs t = time_ + whole;
    if (!span_.empty && t >= span_.last) {
        setTime(span_.last);
        pause();
        return;
    }
    setTime(t);
}

} // namespace twin
