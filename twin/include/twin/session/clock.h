// The one clock that drives every view: the current time, play / pause, speed, live, and for
// incident review a loop range and a stop-at time.
//
// Loop (setLoop(t0, t1)): while playing, reaching t1 jumps back to t0, again and again. play()
// from outside [t0, t1) starts at t0. The loop is cleared by clearLoop(), by a seek (or step or
// jump) to a time outside [t0, t1] (a seek inside keeps it: scrubbing within the window is part
// of reviewing it), by going live, and by a span that no longer contains any of it.
// Stop-at (playUntil(t)): plays from the current time and pauses exactly at t (the time is set
// to t itself, not to the tick after it), then emits stopReached(t). It is cancelled by pause(),
// a seek, going live, or a setLoop that does not hold t; another playUntil replaces it. A t
// outside the loop clears the loop (the clock would otherwise never get there).
#pragma once

#include "twin/store.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>

namespace twin {

class Clock : public QObject {
    Q_OBJECT
public:
    explicit Clock(QObject* parent = nullptr);

    TimeMs time() const { return time_; }
    TimeSpan span() const { return span_; }
    bool playing() const { return playing_; }
    bool live() const { return live_; }
    double speed() const { return speed_; }
    TimeMs stepMs() const { return stepMs_; }

    // The loop range (empty: none) and the pending stop-at time (if any).
    TimeSpan loop() const { return loop_; }
    bool hasLoop() const { return !loop_.empty; }
    std::optional<TimeMs> stopAt() const { return stopAt_; }

    static constexpr double kMinSpeed = 0.1, kMaxSpeed = 1000;

public slots:
    // The recording's extent; in live mode a growing span moves the time to its end.
    void setSpan(const twin::TimeSpan& span);
    void seek(twin::TimeMs t);                 // clamped to the span; leaves live mode
    void play();
    void pause();
    void togglePlay();
    void setSpeed(double speed);               // clamped to [kMinSpeed, kMaxSpeed]
    void stepForward();                        // one step (stepMs, default 1 s); pauses
    void stepBackward();
    void jumpToStart();
    void jumpToEnd();
    void setLive(bool live);                   // follow the newest data
    void setStepMs(twin::TimeMs ms);
    // Loops [t0, t1] (given in either order, clamped to a non-empty span); an empty range after
    // clamping (t0 == t1) clears the loop instead. Leaves live mode; does not start playing
    // (while playing outside [t0, t1), the time moves to t0).
    void setLoop(twin::TimeMs t0, twin::TimeMs t1);
    void clearLoop();
    // Plays and pauses exactly at t (clamped to the span). Returns false and does nothing when
    // t is not after the current time or the span is empty.
    bool playUntil(twin::TimeMs t);

signals:
    void timeChanged(twin::TimeMs t);
    void spanChanged(const twin::TimeSpan& span);
    void playingChanged(bool playing);
    void liveChanged(bool live);
    void speedChanged(double speed);
    void loopChanged(const twin::TimeSpan& loop);           // loop.empty: no loop any more
    void stopAtChanged(bool pending, twin::TimeMs t);      // pending false: cancelled or reached
    void stopReached(twin::TimeMs t);                      // playUntil arrived and paused at t

private:
    void advance();
    void setTime(TimeMs t);
    void cancelStop();

    TimeMs time_ = 0;
    TimeSpan span_;
    bool playing_ = false, live_ = false;
    double speed_ = 1;
    TimeMs stepMs_ = 1000;
    TimeSpan loop_;                     // empty: no loop
    std::optional<TimeMs> stopAt_;
    double carryMs_ = 0;
    QTimer timer_;
    QElapsedTimer elapsed_;
};

} // namespace twin
