// The wall's data watchdog: is the picture live, a replay, stale, or still waiting for its store?
//
//   WAITING FOR DATA  the store does not exist yet (or cannot be opened yet): polled every
//                     pollMs (1 s) until it opens; then live.
//   LIVE              the clock follows the newest data and the store grew within staleAfterMs.
//   STALE             live, but the store has not grown for staleAfterMs (10 s by default,
//                     --stale-after): "no data since HH:MM:SS UTC (N s)", the time of the newest
//                     data and how long ago (wall clock) the store last grew.
//   REPLAY            the clock does not follow the newest data (--at): no staleness.
//
// When the store is opened, "last grew" starts at the store file's modification time (its
// write-ahead log's if newer), so a recording that ended an hour ago shows as stale at once.
#pragma once

#include "twin/session/session.h"

#include <QObject>
#include <QString>
#include <QTimer>

namespace wall {

class DataFeed : public QObject {
    Q_OBJECT
public:
    enum class State { Waiting, Live, Stale, Replay };

    struct Options {
        int staleAfterMs = 10'000;
        int pollMs = 1'000;
    };

    DataFeed(twin::Session& session, QString path, Options options, QObject* parent = nullptr);

    // Opens the store if it exists, else starts waiting for it. Returns the error when the file
    // exists but cannot be opened (it is then polled like a missing one).
    QString start();

    State state() const { return state_; }
    const QString& path() const { return path_; }
    const Options& options() const { return options_; }
    // "LIVE", "REPLAY", "STALE", "WAITING FOR DATA".
    QString word() const;
    // The line under it: "no data since 16:02:11 UTC (12 s)", the path waited for, the replay speed.
    QString detail() const;
    // word · detail, e.g. "STALE · no data since 16:02:11 UTC (12 s)".
    QString statusText() const;
    // The last error opening the store (while waiting), empty if none.
    const QString& lastError() const { return lastError_; }
    // When the store last grew (ms since the epoch, wall clock); 0 before it opened.
    qint64 lastGrowthMs() const { return lastGrowthMs_; }

    // "12 s", "5 min", "2 h 05 min".
    static QString formatAge(qint64 ms);

public slots:
    // Re-evaluates the state now (also done on a timer).
    void check();

signals:
    void changed();   // the state or its text changed

private:
    void poll();
    void onOpened();

    twin::Session& session_;
    QString path_;
    Options options_;
    State state_ = State::Waiting;
    QString lastError_, shown_;
    qint64 lastGrowthMs_ = 0;
    QTimer poll_, check_;
};

} // namespace wall
