#include "timeline_widget.h"

#include "time_format.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

using twin::Clock;

namespace {

const char* const kLiveStyle =
    "QToolButton { background: #d32f2f; color: white; font-weight: bold; padding: 4px 12px;"
    " border: 1px solid #ff6659; border-radius: 3px; }";
const char* const kReplayStyle =
    "QToolButton { background: #5f6368; color: #eceff1; padding: 4px 12px;"
    " border: 1px solid #80868b; border-radius: 3px; }";

} // namespace

const std::vector<double>& TimelineWidget::speeds() {
    static const std::vector<double> s = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 100, 300, 1000};
    return s;
}

TimelineWidget::TimelineWidget(twin::Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("timeline");
    setFocusPolicy(Qt::StrongFocus);
    Clock& clock = session_.clock();

    auto* controls = new QHBoxLayout;
    controls->setSpacing(4);
    auto* jumpStart = addButton("jumpStart", "Start", "Jump to the start (Home)");
    jumpStart->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    auto* stepBack = addButton("stepBack", "Step back", "One step back (Left)");
    stepBack->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    playPause_ = addButton("playPause", "Play", "Play / pause (Space)");
    auto* stepForward = addButton("stepForward", "Step forward", "One step forward (Right)");
    stepForward->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    auto* jumpEnd = addButton("jumpEnd", "End", "Jump to the end (End)");
    jumpEnd->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    for (auto* b : {jumpStart, stepBack, playPause_, stepForward, jumpEnd}) controls->addWidget(b);
    connect(jumpStart, &QToolButton::clicked, &clock, &Clock::jumpToStart);
    connect(stepBack, &QToolButton::clicked, &clock, &Clock::stepBackward);
    connect(playPause_, &QToolButton::clicked, &clock, &Clock::togglePlay);
    connect(stepForward, &QToolButton::clicked, &clock, &Clock::stepForward);
    connect(jumpEnd, &QToolButton::clicked, &clock, &Clock::jumpToEnd);

    speed_ = new QComboBox;
    speed_->setObjectName("speed");
    speed_->setToolTip("Playback speed");
    speed_->setFocusPolicy(Qt::ClickFocus);   // keep Left / Right for stepping
    for (double s : speeds()) speed_->addItem(QString::number(s) + "×", s);
    controls->addSpacing(8);
    controls->addWidget(speed_);
    connect(speed_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0) session_.clock().setSpeed(speed_->itemData(i).toDouble());
    });

    live_ = new QToolButton;
    live_->setObjectName("live");
    live_->setCheckable(true);
    live_->setFocusPolicy(Qt::NoFocus);
    live_->setToolTip("Follow the newest data (LIVE) or replay the recording");
    live_->setMinimumWidth(84);
    controls->addSpacing(8);
    controls->addWidget(live_);
    connect(live_, &QToolButton::toggled, &clock, &Clock::setLive);

    mode_ = new QLabel;
    mode_->setObjectName("mode");
    controls->addSpacing(8);
    controls->addWidget(mode_);
    controls->addStretch(1);

    // Times in a fixed-width font so that the labels do not jitter while playing.
    QFont mono("monospace");
    mono.setStyleHint(QFont::Monospace);
    utc_ = new QLabel;
    utc_->setObjectName("utc");
    utc_->setFont(mono);
    utc_->setToolTip("Time at the cursor, UTC");
    local_ = new QLabel;
    local_->setObjectName("local");
    local_->setFont(mono);
    local_->setToolTip("Time at the cursor, campus local time");
    controls->addWidget(utc_);
    controls->addSpacing(12);
    controls->addWidget(local_);

    track_ = new TimelineTrack(session_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 6);
    layout->setSpacing(4);
    layout->addLayout(controls);
    layout->addWidget(track_);

    connect(&clock, &Clock::playingChanged, this, &TimelineWidget::showPlaying);
    connect(&clock, &Clock::liveChanged, this, &TimelineWidget::showLive);
    connect(&clock, &Clock::speedChanged, this, &TimelineWidget::showSpeed);
    connect(&clock, &Clock::timeChanged, this, &TimelineWidget::showTime);
    connect(&session_, &twin::Session::opened, this, &TimelineWidget::showTime);   // a new time zone

    showPlaying(clock.playing());
    showLive(clock.live());
    showSpeed(clock.speed());
    showTime();
}

QToolButton* TimelineWidget::addButton(const QString& objectName, const QString& text, const QString& tip) {
    auto* b = new QToolButton;
    b->setObjectName(objectName);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setIconSize(QSize(20, 20));
    b->setFocusPolicy(Qt::NoFocus);   // Space must reach the timeline, not click a button
    return b;
}

void TimelineWidget::showPlaying(bool playing) {
    playPause_->setText(playing ? "Pause" : "Play");
    playPause_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TimelineWidget::showLive(bool live) {
    const QSignalBlocker block(live_);   // reflect the clock without calling it back
    live_->setChecked(live);
    live_->setText(live ? "● LIVE" : "REPLAY");
    live_->setStyleSheet(live ? kLiveStyle : kReplayStyle);
    showMode();
    track_->update();   // the cursor turns red when live
}

void TimelineWidget::showSpeed(double speed) {
    // The nearest offered speed (on a log scale); Clock clamps to the same range.
    int best = 0;
    for (int i = 1; i < speed_->count(); ++i)
        if (std::abs(std::log(speeds()[i] / speed)) < std::abs(std::log(speeds()[best] / speed))) best = i;
    const QSignalBlocker block(speed_);
    speed_->setCurrentIndex(best);
    showMode();
}

void TimelineWidget::showMode() {
    const Clock& clock = session_.clock();
    mode_->setText(clock.live() ? QStringLiteral("LIVE") : "REPLAY · " + views::formatSpeed(clock.speed()));
}

void TimelineWidget::showTime() {
    if (!session_.isOpen()) {
        utc_->setText("--");
        local_->setText("--");
        return;
    }
    const twin::TimeMs t = session_.clock().time();
    utc_->setText(views::formatUtcLong(t));
    local_->setText(views::formatLocal(t, session_.campus().timezone));
}

void TimelineWidget::keyPressEvent(QKeyEvent* e) {
    Clock& clock = session_.clock();
    switch (e->key()) {
    case Qt::Key_Space: clock.togglePlay(); break;
    case Qt::Key_Left: clock.stepBackward(); break;
    case Qt::Key_Right: clock.stepForward(); break;
    case Qt::Key_Home: clock.jumpToStart(); break;
    case Qt::Key_End: clock.jumpToEnd(); break;
    default: return QWidget::keyPressEvent(e);
    }
    e->accept();
}
