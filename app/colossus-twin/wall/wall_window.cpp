#include "wall/wall_window.h"

#include "wall/wall_alarms.h"
#include "wall/wall_feed.h"
#include "wall/wall_totals.h"
#include "wall/wall_tour.h"

#include "campus3d/campus_view.h"
#include "common/colour_map.h"
#include "common/series_colours.h"
#include "common/time_format.h"
#include "electrical/channel_sum.h"
#include "electrical/one_line_diagram.h"
#include "wall/wall_chart.h"

#include "twin/query/electrical_signals.h"
#include "twin/sim/frequency_limits.h"

#include <QDateTime>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QShortcut>
#include <QStyle>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wall {

using namespace twin;

namespace {

// The colour ramp of the 3D view's racks with its quantity and range, for the 3D panel's caption.
class RampLegend : public QWidget {
public:
    explicit RampLegend(QWidget* parent = nullptr) : QWidget(parent) { setObjectName("wallRampLegend"); }
    void setQuantity(views::RackQuantity q) {
        q_ = q;
        updateGeometry();
        update();
    }
    QSize sizeHint() const override {
        const QFontMetrics fm(font());
        const views::QuantityRange r = views::rangeOf(q_);
        return {fm.horizontalAdvance(r.label + "  " + r.lowText + "  " + r.highText) + 7 * fm.height(), fm.height()};
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        const QFontMetrics fm(font());
        const views::QuantityRange r = views::rangeOf(q_);
        const int line = fm.height();
        int x = 0;
        // On a caption turned red (an alarm held) the dim grey would not read: white.
        const bool alarm = parentWidget() && parentWidget()->property("alarm").toBool();
        p.setPen(alarm ? QColor(Qt::white) : QColor(theme::kDim));
        const QString label = r.label + "  " + r.lowText;
        p.drawText(QPoint(x, (height() + fm.ascent() - fm.descent()) / 2), label);
        x += fm.horizontalAdvance(label + " ");
        const QRect bar(x, height() / 2 - line / 4, 6 * line, line / 2);
        QLinearGradient g(bar.topLeft(), bar.topRight());
        for (int i = 0; i <= 20; ++i) g.setColorAt(i / 20.0, views::qcolourAt(i / 20.0));
        p.fillRect(bar, g);
        p.drawText(QPoint(bar.right() + fm.horizontalAdvance(" "), (height() + fm.ascent() - fm.descent()) / 2), r.highText);
    }

private:
    views::RackQuantity q_ = views::RackQuantity::Power;
};

// A caption's right-hand text: elided in the middle when the caption is short of room (a QLabel
// would clip its start).
class ElidedLabel : public QLabel {
public:
    using QLabel::QLabel;

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setFont(font());
        p.setPen(palette().color(foregroundRole()));
        p.drawText(rect(), static_cast<int>(alignment()), fontMetrics().elidedText(text(), Qt::ElideMiddle, width()));
    }
};

QFont sized(const QFont& base, double px, bool bold = false) {
    QFont f = base;
    f.setPixelSize(std::max(8, static_cast<int>(std::lround(px))));
    f.setBold(bold);
    return f;
}


} // namespace

WallWindow::WallWindow(Session& session, DataFeed& feed, ActiveAlarms& alarms, std::vector<PanelPlace> panels, int screen,
                       int screens, QWidget* parent)
    : QWidget(parent, Qt::Window | Qt::FramelessWindowHint), session_(session), feed_(feed), alarms_(alarms),
      panels_(std::move(panels)), screen_(screen), screens_(screens) {
    setObjectName("wallWindow");
    setWindowTitle("Colossus Twin — wall");
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(theme::kBackground));
    pal.setColor(QPalette::WindowText, QColor(theme::kText));
    pal.setColor(QPalette::Text, QColor(theme::kText));
    pal.setColor(QPalette::Base, QColor(theme::kPanel));
    setPalette(pal);
    setAutoFillBackground(true);
    setStyleSheet(QString("QLabel { color: %1; background: transparent; }"
                          "QFrame#wallHeader { background-color: %2; border: 1px solid %3; border-radius: 6px; }"
                          "QFrame[wallPanel=\"true\"] { background-color: %2; border: 1px solid %3; border-radius: 4px; }"
                          "QWidget#wallCaption { background-color: %4; }"
                          "QWidget#wallCaption[alarm=\"true\"] { background-color: %5; }"
                          "QLabel#wallCaptionTitle { color: #c9d1dc; }"
                          "QLabel#wallCaptionInfo { color: %6; }"
                          "QWidget#wallCaption[alarm=\"true\"] QLabel { color: white; }")
                      .arg(theme::kText, theme::kPanel, theme::kPanelBorder, theme::kCaption, theme::kAlarm, theme::kDim));

    // Header: campus | clock | badge, the clock centred on the screen.
    header_ = new QFrame(this);
    header_->setObjectName("wallHeader");
    auto* grid = new QGridLayout(header_);
    auto* left = new QVBoxLayout;
    left->setSpacing(0);
    campusName_ = new QLabel(header_);
    campusName_->setObjectName("wallCampus");
    source_ = new QLabel(header_);
    source_->setObjectName("wallSource");
    source_->setStyleSheet(QString("color: %1;").arg(theme::kDim));
    left->addStretch();
    left->addWidget(campusName_);
    left->addWidget(source_);
    left->addStretch();
    auto* middle = new QVBoxLayout;
    middle->setSpacing(0);
    clock_ = new QLabel(header_);
    clock_->setObjectName("wallClock");
    clock_->setAlignment(Qt::AlignCenter);
    clock_->setTextFormat(Qt::RichText);
    localClock_ = new QLabel(header_);
    localClock_->setObjectName("wallLocalClock");
    localClock_->setAlignment(Qt::AlignCenter);
    localClock_->setStyleSheet(QString("color: %1;").arg(theme::kDim));
    middle->addStretch();
    middle->addWidget(clock_);
    middle->addWidget(localClock_);
    middle->addStretch();
    badge_ = new QFrame(header_);
    badge_->setObjectName("wallBadge");
    auto* badgeLayout = new QVBoxLayout(badge_);
    badgeLayout->setSpacing(0);
    badgeWord_ = new QLabel(badge_);
    badgeWord_->setObjectName("wallBadgeWord");
    badgeWord_->setAlignment(Qt::AlignCenter);
    badgeDetail_ = new QLabel(badge_);
    badgeDetail_->setObjectName("wallBadgeDetail");
    badgeDetail_->setAlignment(Qt::AlignCenter);
    badgeLayout->addWidget(badgeWord_);
    badgeLayout->addWidget(badgeDetail_);
    grid->addLayout(left, 0, 0, Qt::AlignLeft | Qt::AlignVCenter);
    grid->addLayout(middle, 0, 1, Qt::AlignCenter);
    grid->addWidget(badge_, 0, 2, Qt::AlignRight | Qt::AlignVCenter);
    for (int c = 0; c < 3; ++c) grid->setColumnStretch(c, 1);

    for (const PanelPlace& p : panels_) frames_[p.panel] = makePanel(p.panel);

    connect(&session_.clock(), &Clock::timeChanged, this, &WallWindow::updateHeader);
    connect(&session_, &Session::opened, this, [this] {
        buildCharts();
        updateHeader();
        updateCaptions();
    });
    connect(&feed_, &DataFeed::changed, this, &WallWindow::updateBadge);
    connect(&alarms_, &ActiveAlarms::changed, this, &WallWindow::updateCaptions);
    auto* quit = new QShortcut(QKeySequence("Ctrl+Q"), this);
    connect(quit, &QShortcut::activated, this, &WallWindow::quitRequested);
    if (session_.isOpen()) buildCharts();
    resize(1920, 1080);
    applyScale();
    updateHeader();
    updateBadge();
    updateCaptions();
}

QFrame* WallWindow::makePanel(const QString& name) {
    auto* frame = new QFrame(this);
    frame->setObjectName("wallPanel_" + name);
    frame->setProperty("wallPanel", true);
    frame->setMinimumSize(1, 1);
    auto* v = new QVBoxLayout(frame);
    v->setContentsMargins(1, 1, 1, 1);
    v->setSpacing(0);
    auto* caption = new QWidget(frame);
    caption->setObjectName("wallCaption");
    caption->setAttribute(Qt::WA_StyledBackground);
    auto* h = new QHBoxLayout(caption);
    auto* title = new QLabel(panelTitle(name), caption);
    title->setObjectName("wallCaptionTitle");
    auto* info = new ElidedLabel(caption);
    info->setObjectName("wallCaptionInfo");
    info->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    info->setMinimumWidth(1);
    info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    h->addWidget(title);
    h->addSpacing(12);
    h->addWidget(info, 1);
    captionInfo_[name] = info;
    v->addWidget(caption);

    QWidget* content = nullptr;
    if (name == "campus3d") {
        campus_ = new views::CampusView(session_, frame);
        campus_->setMinimumSize(1, 1);
        campus_->setFocusPolicy(Qt::NoFocus);
        auto* legend = new RampLegend(caption);
        legend_ = legend;
        h->addSpacing(12);
        h->addWidget(legend);
        content = campus_;
    } else if (name == "oneline") {
        // The overview level only (per-island blocks in large type, read from across the room),
        // in the ISA-101 dark greys of the wall; it fits itself to the panel.
        oneLine_ = new views::OneLineDiagram(session_, frame);
        oneLine_->setMinimumSize(1, 1);
        oneLine_->setFrameShape(QFrame::NoFrame);
        oneLine_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        oneLine_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        oneLine_->setFocusPolicy(Qt::NoFocus);
        oneLine_->setDark(true);
        oneLine_->setOverviewOnly(true);
        // Until a store opens, a note instead of an empty white page.
        auto* waiting = new QLabel("waiting for data", frame);
        waiting->setObjectName("wallOneLineWaiting");
        waiting->setAlignment(Qt::AlignCenter);
        waiting->setStyleSheet(QString("color: %1;").arg(theme::kDim));
        v->addWidget(waiting, 1);
        waiting->setVisible(!session_.isOpen());
        oneLine_->setVisible(session_.isOpen());
        connect(&session_, &Session::opened, this, [this, waiting] {
            waiting->hide();
            oneLine_->show();
        });
        content = oneLine_;
    } else if (name == "load_generation") {
        load_ = new views::WallChart(session_, "MW", frame);
        load_->setDecimals(1);
        content = load_;
    } else if (name == "frequency") {
        frequency_ = new views::WallChart(session_, "Hz", frame);
        frequency_->setDecimals(2);
        frequency_->setMinimumSpan(0.4);   // +-0.2 Hz: a steady 60 Hz is a flat line, not noise
        using namespace twin::sim;   // one place for the nominal frequency and its limits
        frequency_->addReference(kNominalHz, QString("%1 Hz nominal").arg(kNominalHz));
        frequency_->addReference(kNominalHz + kFrequencyAlarmHz, QString("+%1 Hz limit").arg(kFrequencyAlarmHz), false);
        frequency_->addReference(kNominalHz - kFrequencyAlarmHz, QString::fromUtf8("−%1 Hz limit").arg(kFrequencyAlarmHz), false);
        content = frequency_;
    } else if (name == "totals") {
        totals_ = new TotalsPanel(session_, frame);
        content = totals_;
    } else if (name == "alarms") {
        alarmsPanel_ = new AlarmsPanel(session_, alarms_, frame);
        content = alarmsPanel_;
    }
    if (content) v->addWidget(content, 1);
    return frame;
}

void WallWindow::buildCharts() {
    if (!session_.isOpen()) return;
    StoreReader& r = session_.reader();
    const Campus& campus = session_.campus();
    const query::ElectricalSignals electrical = query::electricalSignals(r);
    auto siteName = [&](AssetIndex a) {
        if (a == kNoAsset) return QString("campus");
        const AssetIndex site = campus.assets[static_cast<std::size_t>(a)].site;
        return site == kNoAsset ? QString::fromStdString(campus.assets[static_cast<std::size_t>(a)].name)
                                : QString::fromStdString(campus.assets[static_cast<std::size_t>(site)].name);
    };
    if (frequency_) frequency_->clearSeries();
    if (load_) load_->clearSeries();
    for (std::size_t i = 0; frequency_ && i < electrical.islands.size(); ++i)
        if (const query::IslandSignals& island = electrical.islands[i]; !island.frequency.empty())
            frequency_->addSeries(siteName(island.bus), views::series::islandColour(i),
                                  views::channelOf(r, island.frequency));
    if (load_) {
        const std::pair<AssetKind, const char*> kinds[] = {{AssetKind::Turbine, "Turbines"},
                                                           {AssetKind::MegapackBlock, "Megapacks"},
                                                           {AssetKind::SolarArray, "Solar"},
                                                           {AssetKind::GridTie, "Grid"}};
        for (const auto& [kind, label] : kinds)
            if (const query::SourceKindSignals* k = electrical.source(kind))
                load_->addSeries(label, views::series::sourceColour(kind), views::sumOfChannels(r, k->power),
                                 views::WallChart::Kind::Stacked);
        if (!electrical.load.empty())
            load_->addSeries("Load", views::series::loadColour(), views::sumOfChannels(r, electrical.load),
                             views::WallChart::Kind::Line);
    }
    if (frequency_) frequency_->reload();
    if (load_) load_->reload();
}

int WallWindow::gap() const { return std::max(4, base_ / 2); }

QRect WallWindow::bodyRect() const {
    const int m = gap();
    const int top = header_->geometry().bottom() + 1 + m;
    return QRect(m, top, std::max(1, width() - 2 * m), std::max(1, height() - top - m));
}

QRect WallWindow::cellOf(const QString& name) const {
    const QSize grid = gridOf(panels_);
    for (const PanelPlace& p : panels_)
        if (p.panel == name) return cellRect(bodyRect(), grid, p, gap());
    return {};
}

QFrame* WallWindow::panelFrame(const QString& name) const {
    const auto it = frames_.find(name);
    return it == frames_.end() ? nullptr : it->second;
}

void WallWindow::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    applyScale();
}

void WallWindow::applyScale() {
    // 20 px on a 1080-line screen, 40 px on 4K: about 1/54 of the height.
    base_ = std::clamp(static_cast<int>(std::lround(height() / 54.0)), 11, 96);
    const QFont f = sized(font(), base_);
    // Every widget of a panel explicitly: under a style sheet, fonts do not propagate to children.
    for (auto& [name, frame] : frames_) {
        frame->setFont(f);
        for (QWidget* w : frame->findChildren<QWidget*>()) w->setFont(f);
    }
    const int m = gap();
    campusName_->setFont(sized(f, base_ * 1.45, true));
    source_->setFont(sized(f, base_ * 0.8));
    clock_->setFont(sized(f, base_ * 2.3, true));
    localClock_->setFont(sized(f, base_ * 0.9));
    badgeWord_->setFont(sized(f, base_ * 1.55, true));
    badgeDetail_->setFont(sized(f, base_ * 0.8));
    badge_->layout()->setContentsMargins(base_, base_ / 8, base_, base_ / 6);
    // As tall as its tallest column (the clock over the local time), and at least 4.2 lines.
    auto lineOf = [](QLabel* l) { return QFontMetrics(l->font()).height(); };
    const int vMargin = std::max(2, base_ / 4);
    const int content = std::max({lineOf(clock_) + lineOf(localClock_), lineOf(campusName_) + lineOf(source_),
                                  lineOf(badgeWord_) + lineOf(badgeDetail_) + base_ / 8 + base_ / 6,
                                  static_cast<int>(base_ * 3.4)});
    header_->layout()->setContentsMargins(base_, vMargin, base_ / 2, vMargin);
    header_->setGeometry(m, m, width() - 2 * m, std::max(static_cast<int>(base_ * 4.2), content + 2 * vMargin + 2));
    // Wide enough for the longest word, so the badge does not jump as it changes.
    badge_->setMinimumWidth(QFontMetrics(badgeWord_->font()).horizontalAdvance("WAITING FOR DATA") + 2 * base_ + 4);
    badge_->setMaximumWidth(std::max(badge_->minimumWidth(), header_->width() / 3 - base_));
    badge_->setMinimumHeight(static_cast<int>(base_ * 3.4));
    for (auto& [name, frame] : frames_) {
        auto* caption = frame->findChild<QWidget*>("wallCaption");
        caption->layout()->setContentsMargins(base_ / 2, base_ / 6, base_ / 2, base_ / 6);
        caption->findChild<QLabel*>("wallCaptionTitle")->setFont(sized(f, base_ * 0.85, true));
        captionInfo_[name]->setFont(sized(f, base_ * 0.85));
    }
    // The diagram's overview: its figures up to 2.4 times the base size (48 px on 1080 lines).
    if (oneLine_) oneLine_->setOverviewMaxTextPx(base_ * 2.4);
    if (legend_) {
        legend_->setFont(sized(f, base_ * 0.75));
        legend_->setMinimumWidth(legend_->sizeHint().width());
        legend_->setMinimumHeight(QFontMetrics(legend_->font()).height());
    }
    placePanels();
    updateBadge();
    updateHeader();
}

void WallWindow::placePanels() {
    const QSize grid = gridOf(panels_);
    for (const PanelPlace& p : panels_) frames_[p.panel]->setGeometry(cellRect(bodyRect(), grid, p, gap()));
}

void WallWindow::setQuantity(views::RackQuantity q) {
    if (campus_) campus_->setQuantity(q);
    if (auto* legend = static_cast<RampLegend*>(legend_)) {
        legend->setQuantity(q);
        applyScale();
    }
}

void WallWindow::setTour(WallTour* tour) {
    tour_ = tour;
    if (tour) connect(tour, &WallTour::changed, this, &WallWindow::updateCaptions);
    updateCaptions();
}

QString WallWindow::clockText() const {
    if (!session_.isOpen() || session_.clock().span().empty) return "--:--:-- UTC";
    const TimeMs t = session_.clock().time();
    return views::formatUtcClock(t) + " UTC · " + views::formatLocal(t, session_.campus().timezone);
}

void WallWindow::updateHeader() {
    const bool data = session_.isOpen() && !session_.clock().span().empty;
    const TimeMs t = data ? session_.clock().time() : 0;
    const QString campus = session_.isOpen() ? QString::fromStdString(session_.campus().name) : QString("Colossus Twin");
    campusName_->setText(campus);
    QString source = remoteSource_ ? remoteSource_().text : QFileInfo(feed_.path()).fileName();
    if (screens_ > 1) source += QString(" · screen %1 of %2").arg(screen_ + 1).arg(screens_);
    source_->setText(source);
    const int unitPx = std::max(8, base_);
    clock_->setText(QString("%1<span style=\"font-size:%2px; font-weight:400; color:%3\">&nbsp;UTC</span>")
                        .arg(data ? views::formatUtcClock(t) : QString("--:--:--"))
                        .arg(unitPx)
                        .arg(theme::kDim));
    localClock_->setText(data ? views::formatLocal(t, session_.campus().timezone) + QString::fromUtf8(" · ") +
                                    QDateTime::fromMSecsSinceEpoch(t, QTimeZone::utc()).toString("ddd d MMM yyyy")
                              : QString("no data yet"));
}

QString WallWindow::sourceText() const { return source_->text(); }

void WallWindow::setRemoteSource(std::function<RemoteSource()> source) {
    remoteSource_ = std::move(source);
    auto* tick = new QTimer(this);   // the source's state changes without the clock moving
    connect(tick, &QTimer::timeout, this, [this] {
        updateHeader();
        updateBadge();
    });
    tick->start(1000);
    updateHeader();
    updateBadge();
}

QString WallWindow::badgeWord() const { return badgeWord_->text(); }
QString WallWindow::badgeDetail() const { return badgeDetail_->toolTip(); }

void WallWindow::updateBadge() {
    const char* bg = theme::kWaiting;
    const char* fg = "#ffffff";
    switch (feed_.state()) {
    case DataFeed::State::Live: bg = theme::kLive, fg = "#04150a"; break;
    case DataFeed::State::Replay: bg = theme::kReplay; break;
    case DataFeed::State::Stale: bg = theme::kStale, fg = "#1a1200"; break;
    case DataFeed::State::Waiting: break;
    }
    QString word = feed_.state() == DataFeed::State::Live ? QString::fromUtf8("● LIVE") : feed_.word();
    QString detail = feed_.detail();
    // A followed source that is away: said as such (the data shown is what the replica holds).
    if (remoteSource_) {
        if (const RemoteSource remote = remoteSource_(); !remote.connected) {
            word = QString::fromUtf8("⚠ DISCONNECTED");
            detail = remote.text;
            bg = theme::kStale, fg = "#1a1200";
        }
    }
    badge_->setStyleSheet(QString("QFrame#wallBadge { background-color: %1; border-radius: %2px; }"
                                  "QFrame#wallBadge QLabel { color: %3; background: transparent; }")
                              .arg(bg)
                              .arg(std::max(4, base_ / 3))
                              .arg(fg));
    // STALE greys the values themselves, not only the badge: they are no longer current.
    const bool stale = feed_.state() == DataFeed::State::Stale;
    if (totals_) totals_->setStale(stale);
    if (load_) load_->setStale(stale);
    if (frequency_) frequency_->setStale(stale);
    badgeWord_->setText(word);
    badgeDetail_->setToolTip(detail);   // the whole text (tests read it); the label may elide it
    const int room = std::max(40, badge_->maximumWidth() - 2 * base_ - 4);
    badgeDetail_->setText(QFontMetrics(badgeDetail_->font()).elidedText(detail, Qt::ElideMiddle, room));
}

void WallWindow::updateCaptions() {
    const auto& alarms = alarms_.alarms();
    auto setAlarm = [](QLabel* info, bool on) {
        QWidget* caption = info->parentWidget();
        if (caption->property("alarm").toBool() == on) return;
        caption->setProperty("alarm", on);
        caption->style()->unpolish(caption);
        caption->style()->polish(caption);
        for (QLabel* l : caption->findChildren<QLabel*>()) {
            l->style()->unpolish(l);
            l->style()->polish(l);
        }
        caption->update();
        for (QWidget* c : caption->findChildren<QWidget*>()) c->update();
    };
    if (auto it = captionInfo_.find("alarms"); it != captionInfo_.end()) {
        it->second->setText(alarms.empty() ? QString("none") : QString("%1 active").arg(alarms.size()));
        setAlarm(it->second, !alarms.empty());
    }
    if (auto it = captionInfo_.find("campus3d"); it != captionInfo_.end()) {
        const bool holding = tour_ && tour_->mode() == WallTour::Mode::Holding;
        it->second->setText(tour_ ? tour_->caption() : QString());
        setAlarm(it->second, holding);
    }
    if (auto it = captionInfo_.find("load_generation"); it != captionInfo_.end() && load_)
        it->second->setText(QString("last %1 min").arg(load_->windowMs() / 60000));
    if (auto it = captionInfo_.find("frequency"); it != captionInfo_.end() && frequency_)
        it->second->setText(QString("last %1 min").arg(frequency_->windowMs() / 60000));
}

void WallWindow::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_N && tour_) {   // the next viewpoint of the tour
        tour_->next();
        return;
    }
    QWidget::keyPressEvent(e);
}

} // namespace wall
