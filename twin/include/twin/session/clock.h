// The one clock that drives every view: the current time, play / pause, speed, live.
#pragma once

#include "twin/store.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

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

signals:
    void timeChanged(twin::TimeMs t);
    void spanChanged(const twin::TimeSpan& span);
    void playingChanged(bool playing);
    void liveChanged(bool live);
    void speedChanged(double speed);

private:
    void advance();
    void setTime(TimeMs t);

    TimeMs time_ = 0;
    TimeSpan span_;
    bool playing_ = false, live_ = false;
    double speed_ = 1;
    TimeMs stepMs_ = 1000;
    double carryMs_ = 0;
    QTimer timer_;
    QElapsedTimer elapsed_;
};

} // namespace twin
