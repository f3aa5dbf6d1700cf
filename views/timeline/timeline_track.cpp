#include "timeline/timeline_track.h"

#include "common/asset_ref.h"
#include "common/time_axis.h"
#include "common/time_format.h"
#include "review/bookmark_model.h"
#include "timeline/event_style.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <limits>
#include <cmath>

namespace views {

using twin::TimeMs;

namespace {

constexpr int kMargin = 10;        // keeps the first and last tick label inside the widget
constexpr int kMarkerBandH = 18;   // markers sit in a band at the top, ticks below

} // namespace

TimelineTrack::TimelineTrack(twin::Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("track");
    setMouseTracking(true);   // tooltips follow the pointer
    setFocusPolicy(Qt::NoFocus);   // keys go to the TimelineWidget around it
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFixedHeight(64);
    connect(&session_, &twin::Session::opened, this, &TimelineTrack::reloadMarkers);
    connect(&session_, &twin::Session::dataGrew, this, &TimelineTrack::reloadMarkers);
    connect(&session_, &twin::Session::opened, this, &TimelineTrack::reloadDamage);
    connect(&session_, &twin::Session::damageFound, this, &TimelineTrack::reloadDamage);
    connect(&session_.clock(), &twin::Clock::timeChanged, this, qOverload<>(&QWidget::update));
    connect(&session_.clock(), &twin::Clock::spanChanged, this, &TimelineTrack::reloadBookmarks);
    connect(&session_.clock(), &twin::Clock::loopChanged, this, qOverload<>(&QWidget::update));
    connect(&session_.clock(), &twin::Clock::stopAtChanged, this, qOverload<>(&QWidget::update));
    reloadMarkers();
}

QColor TimelineTrack::bookmarkColour(bool recording) {
    return recording ? QColor(0x26, 0xa6, 0x9a) : QColor(0x66, 0xbb, 0x6a);
}

QColor TimelineTrack::loopColour() { return QColor(0xb3, 0x88, 0xff); }

QColor TimelineTrack::damageColour() { return QColor(0xc6, 0x28, 0x28); }

void TimelineTrack::reloadDamage() {
    damage_.clear();
    const twin::TimeSpan span = session_.clock().span();
    if (session_.isOpen() && !span.empty)
        for (twin::DamagedRange d : session_.reader().damage()) {
            if (d.last < span.first || d.first > span.last) continue;
            d.first = std::max(d.first, span.first);
            d.last = std::min(d.last, span.last);
            damage_.push_back(std::move(d));
        }
    update();
}

const twin::DamagedRange* TimelineTrack::damageAt(int x) const {
    for (const auto& d : damage_)
        if (x >= xAt(d.first) - kPickPx && x <= xAt(d.last) + kPickPx) return &d;
    return nullptr;
}

// Hatched over the span line and a little above it, at least 3 px wide so one frame shows.
void TimelineTrack::paintDamage(QPainter& p, const QRect& line) {
    if (damage_.empty()) return;
    p.save();
    const QColor c = damageColour();
    for (const auto& d : damage_) {
        const int x0 = xAt(d.first), x1 = std::max(xAt(d.last), x0 + 2);
        const QRect r(x0 - 1, line.top() - 4, x1 - x0 + 2, line.height() + 8);
        p.fillRect(r, c);
        p.fillRect(r, QBrush(QColor(0x1b, 0x1e, 0x23), Qt::BDiagPattern));
    }
    p.restore();
}

void TimelineTrack::setBookmarks(views::BookmarkModel* model) {
    if (bookmarkModel_) disconnect(bookmarkModel_, nullptr, this, nullptr);
    bookmarkModel_ = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &TimelineTrack::reloadBookmarks);
        connect(model, &QAbstractItemModel::layoutChanged, this, &TimelineTrack::reloadBookmarks);
        connect(model, &QAbstractItemModel::rowsInserted, this, &TimelineTrack::reloadBookmarks);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &TimelineTrack::reloadBookmarks);
        connect(model, &QAbstractItemModel::dataChanged, this, &TimelineTrack::reloadBookmarks);
        connect(model, &QObject::destroyed, this, &TimelineTrack::reloadBookmarks);
    }
    reloadBookmarks();
}

void TimelineTrack::reloadBookmarks() {
    bookmarks_.clear();
    const twin::TimeSpan span = session_.clock().span();
    if (bookmarkModel_ && !span.empty)
        for (const twin::ReviewBookmark& b : bookmarkModel_->bookmarks())
            if (b.t >= span.first && b.t <= span.last) bookmarks_.push_back(b);
    update();
}

const twin::ReviewBookmark* TimelineTrack::bookmarkAt(QPoint p) const {
    if (p.y() < bookmarkLaneTop() - 2 || p.y() > height()) return nullptr;
    const twin::ReviewBookmark* best = nullptr;
    double bestDistance = 0;
    for (const twin::ReviewBookmark& b : bookmarks_) {
        const double d = std::abs(xAtExact(b.t) - p.x());
        if (d <= kBookmarkPickPx && (!best || d < bestDistance)) {
            best = &b;
            bestDistance = d;
        }
    }
    return best;
}

void TimelineTrack::reloadMarkers() {
    markers_.clear();
    const twin::TimeSpan span = session_.clock().span();
    if (session_.isOpen() && !span.empty) markers_ = session_.reader().events(span.first, span.last);
    update();
}

int TimelineTrack::left() const { return kMargin; }
int TimelineTrack::usableWidth() const { return std::max(1, width() - 2 * kMargin); }

double TimelineTrack::xAtExact(TimeMs t) const {
    const twin::TimeSpan span = session_.clock().span();
    const TimeMs length = span.last - span.first;
    if (span.empty || length <= 0) return left();
    const double f = std::clamp(static_cast<double>(t - span.first) / static_cast<double>(length), 0.0, 1.0);
    return left() + f * usableWidth();
}

int TimelineTrack::xAt(TimeMs t) const { return static_cast<int>(std::lround(xAtExact(t))); }

TimeMs TimelineTrack::timeAt(int x) const {
    const twin::TimeSpan span = session_.clock().span();
    if (span.empty) return session_.clock().time();
    const double f = std::clamp(static_cast<double>(x - left()) / usableWidth(), 0.0, 1.0);
    return span.first + std::llround(f * static_cast<double>(span.last - span.first));
}

const twin::Event* TimelineTrack::markerAt(int x) const {
    // Markers often pile up (a trip, its frequency excursion, the standby start): prefer the
    // most severe within reach, then the nearest.
    const twin::Event* best = nullptr;
    double bestDistance = 0;
    for (const twin::Event& e : markers_) {
        const double d = std::abs(xAtExact(e.start) - x);
        if (d > kPickPx) continue;
        if (!best || e.severity > best->severity || (e.severity == best->severity && d < bestDistance)) {
            best = &e;
            bestDistance = d;
        }
    }
    return best;
}

void TimelineTrack::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || !session_.isOpen()) return QWidget::mousePressEvent(e);
    const int x = qRound(e->position().x());
    if (const twin::ReviewBookmark* b = bookmarkAt(e->position().toPoint())) {
        session_.clock().seek(b->t);
        return;
    }
    if (const twin::Event* marker = markerAt(x)) {
        const twin::Event event = *marker;   // seeking may reload markers
        session_.clock().seek(event.start);
        const views::AssetRef ref = views::resolveAsset(session_, event.asset);
        if (!ref.selection.empty()) session_.select(ref.selection);
        return;
    }
    dragging_ = true;
    session_.clock().seek(timeAt(x));
}

void TimelineTrack::mouseMoveEvent(QMouseEvent* e) {
    if (dragging_ && (e->buttons() & Qt::LeftButton)) session_.clock().seek(timeAt(qRound(e->position().x())));
    QWidget::mouseMoveEvent(e);
}

void TimelineTrack::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) dragging_ = false;
    QWidget::mouseReleaseEvent(e);
}

bool TimelineTrack::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        if (const twin::ReviewBookmark* b = bookmarkAt(help->pos()))
            QToolTip::showText(help->globalPos(), tooltipFor(*b), this);
        else if (const twin::Event* marker = markerAt(help->pos().x()))
            QToolTip::showText(help->globalPos(), tooltipFor(*marker), this);
        else if (const twin::DamagedRange* d = damageAt(help->pos().x()))
            QToolTip::showText(help->globalPos(),
                               QStringLiteral("<b>Damaged data</b> (skipped)<br>%1<br>%2 to %3<br>%4")
                                   .arg(QString::fromStdString(d->name).toHtmlEscaped(), views::formatUtcLong(d->first),
                                        views::formatUtcLong(d->last), QString::fromStdString(d->problem).toHtmlEscaped()),
                               this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

QString TimelineTrack::tooltipFor(const twin::Event& e) const {
    const views::AssetRef ref = views::resolveAsset(session_, e.asset);
    QString asset = ref.name.isEmpty() ? QStringLiteral("campus-wide") : ref.name;
    if (ref.name != QString::fromStdString(e.asset)) asset += " (" + QString::fromStdString(e.asset) + ")";
    return QStringLiteral("<b>%1</b> · <span style='color:%2'>%3</span><br>%4<br>%5")
        .arg(views::formatUtcLong(e.start), views::severityColour(e.severity).name(),
             QString::fromUtf8(twin::severityName(e.severity)), asset.toHtmlEscaped(),
             QString::fromStdString(e.text.empty() ? e.kind : e.text).toHtmlEscaped());
}

QString TimelineTrack::tooltipFor(const twin::ReviewBookmark& b) const {
    QString tip = QStringLiteral("<b>%1</b><br>%2").arg(QString::fromStdString(b.name).toHtmlEscaped(), views::formatUtcLong(b.t));
    if (!b.note.empty()) tip += "<br>" + QString::fromStdString(b.note).toHtmlEscaped().replace('\n', "<br>");
    tip += b.readOnly() ? QStringLiteral("<br><i>bookmark of the recording (read-only)</i>") : QStringLiteral("<br><i>bookmark</i>");
    return tip;
}

void TimelineTrack::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), QColor(0x1b, 0x1e, 0x23));
    if (!session_.isOpen() || session_.clock().span().empty) {
        p.setPen(QColor(0x9a, 0xa0, 0xa6));
        p.drawText(rect(), Qt::AlignCenter, "No recording");
        return;
    }
    const QRect markerBand(left(), 2, usableWidth(), kMarkerBandH);
    const QRect tickBand(left(), markerBand.bottom() + 4, usableWidth(), height() - markerBand.bottom() - 6);
    paintLoop(p);
    const QRect spanLine(left(), markerBand.bottom() + 2, usableWidth(), 3);
    p.fillRect(spanLine, QColor(0x3a, 0x40, 0x48));
    paintDamage(p, spanLine);
    paintTicks(p, tickBand);
    paintMarkers(p, markerBand);
    paintBookmarks(p);
    paintCursor(p);
}

void TimelineTrack::paintTicks(QPainter& p, const QRect& band) {
    const twin::TimeSpan span = session_.clock().span();
    const int labelW = fontMetrics().horizontalAdvance("00:00:00") + 24;
    // The smallest step that leaves room for a label.
    const TimeMs step = tickStep(std::max<TimeMs>(1, span.last - span.first), static_cast<double>(usableWidth()) / labelW);
    p.setPen(QColor(0xb8, 0xbe, 0xc4));
    int free = std::numeric_limits<int>::min();   // labels never overlap: one that would is left out
    for (TimeMs t : ticks(span.first, span.last, step)) {
        const int x = xAt(t);
        p.drawLine(x, band.top(), x, band.top() + 5);
        // Labels near the ends slide inwards rather than being cut off.
        const int labelX = std::clamp(x - labelW / 2, 0, std::max(0, width() - labelW));
        if (labelX < free) continue;
        free = labelX + labelW;
        const QRect label(labelX, band.top() + 6, labelW, band.height() - 6);
        p.drawText(label, Qt::AlignHCenter | Qt::AlignTop, views::formatUtcClock(t));
    }
}

void TimelineTrack::paintMarkers(QPainter& p, const QRect& band) {
    // Least severe first, so an alarm is never hidden under an info marker.
    std::vector<const twin::Event*> order;
    order.reserve(markers_.size());
    for (const twin::Event& e : markers_) order.push_back(&e);
    std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->severity < b->severity; });
    for (const twin::Event* e : order) {
        const QColor c = views::severityColour(e->severity);
        const int x = xAt(e->start);
        if (e->end && *e->end > e->start) {   // a lasting event: a thin bar over its duration
            QColor bar = c;
            bar.setAlpha(110);
            p.fillRect(QRect(x, band.bottom() - 3, std::max(1, xAt(*e->end) - x), 3), bar);
        }
        const int h = e->severity >= twin::Severity::Alarm ? band.height() : band.height() * 2 / 3;
        p.fillRect(QRect(x - 1, band.bottom() - h + 1, 3, h), c);
    }
}

void TimelineTrack::paintLoop(QPainter& p) {
    const twin::Clock& clock = session_.clock();
    if (clock.hasLoop()) {
        const int x0 = xAt(clock.loop().first), x1 = xAt(clock.loop().last);
        QColor band = loopColour();
        band.setAlpha(60);
        p.fillRect(QRect(x0, 0, std::max(1, x1 - x0), height()), band);
        p.fillRect(QRect(x0, 0, 2, height()), loopColour());
        p.fillRect(QRect(x1 - 1, 0, 2, height()), loopColour());
    }
    if (const auto stop = clock.stopAt()) {
        const int x = xAt(*stop);
        p.save();
        p.setPen(QPen(QColor(0x9c, 0xcc, 0x65), 2, Qt::DashLine));
        p.drawLine(x, 0, x, height());
        p.restore();
    }
}

void TimelineTrack::paintBookmarks(QPainter& p) {
    // A ribbon per bookmark (a notch at its foot), its tip at the bookmark's time.
    const int top = bookmarkLaneTop(), bottom = bookmarkLaneBottom();
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    for (const twin::ReviewBookmark& b : bookmarks_) {
        const int x = xAt(b.t);
        const QPolygon ribbon({QPoint(x - 5, top), QPoint(x + 5, top), QPoint(x + 5, bottom), QPoint(x, bottom - 4),
                               QPoint(x - 5, bottom)});
        p.setPen(QPen(QColor(0x10, 0x12, 0x14), 1));
        p.setBrush(bookmarkColour(b.readOnly()));
        p.drawPolygon(ribbon);
    }
    p.restore();
}

void TimelineTrack::paintCursor(QPainter& p) {
    const int x = xAt(session_.clock().time());
    const QColor c = session_.clock().live() ? QColor(0xff, 0x3b, 0x30) : QColor(0x4f, 0xc3, 0xf7);
    p.fillRect(QRect(x - 1, 0, 2, height()), c);
    const QPolygon head({QPoint(x - 6, 0), QPoint(x + 6, 0), QPoint(x, 7)});
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawPolygon(head);
}

} // namespace views
