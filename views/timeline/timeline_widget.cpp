#include "timeline/timeline_widget.h"

#include "common/time_format.h"
#include "timeline/event_style.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace views {

using twin::Clock;

namespace {

const char* const kLiveStyle =
    "QToolButton { background: #d32f2f; color: white; font-weight: bold; padding: 4px 12px;"
    " border: 1px solid #ff6659; border-radius: 3px; }";
const char* const kReplayStyle =
    "QToolButton { background: #5f6368; color: #eceff1; padding: 4px 12px;"
    " border: 1px solid #80868b; border-radius: 3px; }";

enum class NavIcon { Previous, Next, PlayToNext, Loop };

// The review buttons' icons: a triangle for the direction beside an amber event marker, and a
// circular arrow for the loop.
QIcon navIcon(NavIcon kind, const QColor& ink) {
    QPixmap pm(40, 40);
    pm.setDevicePixelRatio(2);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    const QColor marker = views::severityColour(twin::Severity::Warning);
    auto triangle = [&](double x0, double x1) {   // pointing from x0 towards x1
        p.setBrush(ink);
        p.drawPolygon(QPolygonF({QPointF(x0, 4), QPointF(x1, 10), QPointF(x0, 16)}));
    };
    switch (kind) {
    case NavIcon::Previous:
        p.fillRect(QRectF(3, 3, 3, 14), marker);
        triangle(17, 8);
        break;
    case NavIcon::Next:
        triangle(3, 12);
        p.fillRect(QRectF(14, 3, 3, 14), marker);
        break;
    case NavIcon::PlayToNext:
        triangle(1, 9);
        p.fillRect(QRectF(10, 9, 4, 2), ink);
        p.fillRect(QRectF(15.5, 3, 3, 14), marker);
        break;
    case NavIcon::Loop: {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(ink, 2, Qt::SolidLine, Qt::RoundCap));
        p.drawArc(QRectF(3.5, 3.5, 13, 13), 60 * 16, 290 * 16);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawPolygon(QPolygonF({QPointF(10, 0.5), QPointF(15.5, 4), QPointF(10, 7.5)}));
        break;
    }
    }
    return QIcon(pm);
}

QString describe(const twin::Event& e) {
    return views::formatUtcClock(e.start) + " · " + QString::fromUtf8(twin::severityName(e.severity)) + " · " +
           QString::fromStdString(e.text.empty() ? e.kind : e.text).toHtmlEscaped();
}

QString severityWords(twin::Severity s) {
    switch (s) {
    case twin::Severity::Info: return "any severity";
    case twin::Severity::Warning: return "warning or above";
    case twin::Severity::Alarm: return "alarm or above";
    case twin::Severity::Critical: return "critical";
    }
    return {};
}

QString durationWords(twin::TimeMs ms) {
    if (ms % 60'000 == 0) return QString("%1 min").arg(ms / 60'000);
    return QString("%1 s").arg(static_cast<double>(ms) / 1000.0);
}

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

    // Incident review: event navigation and the review window's loop.
    navigator_ = new views::EventNavigator(session_, this);
    const QColor ink = palette().color(QPalette::ButtonText);
    prevEvent_ = addButton("prevEvent", "Previous event", {});
    prevEvent_->setIcon(navIcon(NavIcon::Previous, ink));
    nextEvent_ = addButton("nextEvent", "Next event", {});
    nextEvent_->setIcon(navIcon(NavIcon::Next, ink));
    playToNext_ = addButton("playToNext", "Play to next event", {});
    playToNext_->setIcon(navIcon(NavIcon::PlayToNext, ink));
    loop_ = addButton("loopReview", "Loop review window", {});
    loop_->setIcon(navIcon(NavIcon::Loop, ink));
    loop_->setCheckable(true);
    controls->addSpacing(8);
    for (auto* b : {prevEvent_, nextEvent_, playToNext_, loop_}) controls->addWidget(b);
    connect(prevEvent_, &QToolButton::clicked, navigator_, &views::EventNavigator::jumpToPrevious);
    connect(nextEvent_, &QToolButton::clicked, navigator_, &views::EventNavigator::jumpToNext);
    connect(playToNext_, &QToolButton::clicked, navigator_, &views::EventNavigator::playToNext);
    connect(loop_, &QToolButton::clicked, navigator_, [this](bool on) {
        if (!navigator_->setLoopReviewWindow(on)) showNavigation();   // nothing to loop: uncheck
    });
    connect(navigator_, &views::EventNavigator::loopingChanged, this, [this](bool looping) {
        const QSignalBlocker block(loop_);
        loop_->setChecked(looping);
        showNavigation();
    });
    connect(navigator_, &views::EventNavigator::eventsChanged, this, &TimelineWidget::showNavigation);
    connect(navigator_, &views::EventNavigator::currentChanged, this, &TimelineWidget::showNavigation);

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
    // It repeats the LIVE button and adds the speed: the first thing to give way in a narrow
    // window, so that the times at the right stay whole.
    mode_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    mode_->setMinimumWidth(0);
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
    // UTC above local time: the row keeps room for the review buttons in a narrow window.
    utc_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    local_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* times = new QVBoxLayout;
    times->setSpacing(0);
    times->addWidget(utc_);
    times->addWidget(local_);
    controls->addLayout(times);

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
    connect(&clock, &Clock::timeChanged, this, &TimelineWidget::showNavigation);
    connect(&session_, &twin::Session::opened, this, &TimelineWidget::showTime);   // a new time zone

    showPlaying(clock.playing());
    showLive(clock.live());
    showSpeed(clock.speed());
    showTime();
    showNavigation();
}

void TimelineWidget::showNavigation() {
    const QString events = severityWords(navigator_->minimumSeverity());
    const auto prev = navigator_->previousEvent();
    const auto next = navigator_->nextEvent();
    const auto current = navigator_->currentEvent();
    prevEvent_->setEnabled(prev.has_value());
    nextEvent_->setEnabled(next.has_value());
    playToNext_->setEnabled(next.has_value());
    loop_->setEnabled(current.has_value() || navigator_->looping());
    prevEvent_->setToolTip(QString("Jump to the previous event (%1) and select its asset ([)<br>%2")
                               .arg(events, prev ? describe(*prev) : QString("none before")));
    nextEvent_->setToolTip(QString("Jump to the next event (%1) and select its asset (])<br>%2")
                               .arg(events, next ? describe(*next) : QString("none after")));
    playToNext_->setToolTip(QString("Play, and pause exactly at the next event (%1) (Shift+])<br>%2")
                                .arg(events, next ? describe(*next) : QString("none after")));
    loop_->setToolTip(QString("Loop the review window of the current event: %1 before to %2 after it (L)<br>%3")
                          .arg(durationWords(navigator_->windowBeforeMs()), durationWords(navigator_->windowAfterMs()),
                               current ? describe(*current) : QString("no event")));
    const QSignalBlocker block(loop_);
    loop_->setChecked(navigator_->looping());
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
    case Qt::Key_BracketLeft: navigator_->jumpToPrevious(); break;
    case Qt::Key_BracketRight:   // Shift+] where the layout still reports ']'
        if (e->modifiers() & Qt::ShiftModifier) navigator_->playToNext();
        else navigator_->jumpToNext();
        break;
    case Qt::Key_BraceRight: navigator_->playToNext(); break;   // Shift+] on a US layout
    case Qt::Key_L:
        if (e->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return QWidget::keyPressEvent(e);
        navigator_->toggleLoopReviewWindow();
        break;
    default: return QWidget::keyPressEvent(e);
    }
    e->accept();
}

} // namespace views
