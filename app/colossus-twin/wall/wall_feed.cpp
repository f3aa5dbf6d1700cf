#include "wall/wall_feed.h"

#include "common/time_format.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>

namespace wall {

using namespace twin;

DataFeed::DataFeed(Session& session, QString path, Options options, QObject* parent)
    : QObject(parent), session_(session), path_(std::move(path)), options_(options) {
    options_.staleAfterMs = std::max(1, options_.staleAfterMs);
    options_.pollMs = std::max(10, options_.pollMs);
    poll_.setInterval(options_.pollMs);
    connect(&poll_, &QTimer::timeout, this, &DataFeed::poll);
    // Often enough that STALE shows within a tenth of the delay, and its age ticks every second.
    check_.setInterval(std::clamp(options_.staleAfterMs / 10, 50, 500));
    connect(&check_, &QTimer::timeout, this, &DataFeed::check);
    connect(&session_, &Session::opened, this, &DataFeed::onOpened);
    connect(&session_, &Session::dataGrew, this, [this] {
        lastGrowthMs_ = QDateTime::currentMSecsSinceEpoch();
        check();
    });
    connect(&session_.clock(), &Clock::liveChanged, this, &DataFeed::check);
    connect(&session_.clock(), &Clock::playingChanged, this, &DataFeed::check);
    connect(&session_.clock(), &Clock::speedChanged, this, &DataFeed::check);
}

QString DataFeed::start() {
    check_.start();
    if (session_.isOpen()) {
        onOpened();
        return {};
    }
    poll();
    if (!session_.isOpen()) poll_.start();
    check();
    return QFileInfo::exists(path_) ? lastError_ : QString();
}

void DataFeed::poll() {
    if (session_.isOpen()) {
        poll_.stop();
        return;
    }
    if (!QFileInfo::exists(path_)) {
        lastError_.clear();
        check();
        return;
    }
    try {
        session_.open(path_.toStdString());   // onOpened() runs from Session::opened
        lastError_.clear();
        poll_.stop();
    } catch (const std::exception& e) {
        // A store still being created, or not a store: keep trying, say why on the wall.
        lastError_ = QString::fromStdString(e.what());
    }
    check();
}

void DataFeed::onOpened() {
    poll_.stop();
    // The store last grew when it was last written: the file, or its write-ahead log.
    qint64 written = 0;
    for (const QString& f : {path_, path_ + "-wal"}) {
        const QFileInfo info(f);
        if (info.exists()) written = std::max(written, info.lastModified().toMSecsSinceEpoch());
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    lastGrowthMs_ = written > 0 ? std::min(now, written) : now;
    check();
}

void DataFeed::check() {
    State s = State::Waiting;
    if (session_.isOpen()) {
        if (!session_.clock().live()) s = State::Replay;
        else if (QDateTime::currentMSecsSinceEpoch() - lastGrowthMs_ > options_.staleAfterMs) s = State::Stale;
        else s = State::Live;
    }
    const State was = state_;
    state_ = s;
    const QString text = statusText();   // the age in it ticks every second
    if (s == was && text == shown_) return;
    shown_ = text;
    emit changed();
}

QString DataFeed::word() const {
    switch (state_) {
    case State::Waiting: return "WAITING FOR DATA";
    case State::Live: return "LIVE";
    case State::Stale: return "STALE";
    case State::Replay: return "REPLAY";
    }
    return {};
}

QString DataFeed::formatAge(qint64 ms) {
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s < 120) return QString("%1 s").arg(s);
    if (s < 3600) return QString("%1 min").arg(s / 60);
    return QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

QString DataFeed::detail() const {
    switch (state_) {
    case State::Waiting: return lastError_.isEmpty() ? path_ : path_ + " — " + lastError_;
    case State::Live: return "following the newest data";
    case State::Stale: {
        const TimeSpan sp = session_.clock().span();
        const QString age = formatAge(QDateTime::currentMSecsSinceEpoch() - lastGrowthMs_);
        return sp.empty ? QString("no data yet (%1)").arg(age)
                        : QString("no data since %1 UTC (%2)").arg(views::formatUtcClock(sp.last), age);
    }
    case State::Replay: {
        const Clock& c = session_.clock();
        return c.playing() ? "playing at " + views::formatSpeed(c.speed()) : QString("paused");
    }
    }
    return {};
}

QString DataFeed::statusText() const { return word() + " · " + detail(); }

} // namespace wall
