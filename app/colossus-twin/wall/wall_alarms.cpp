#include "wall/wall_alarms.h"

#include "common/asset_ref.h"
#include "common/time_format.h"
#include "review/alarm_acks.h"
#include "timeline/event_style.h"

#include "twin/query/events_query.h"

#include <QPainter>

#include <algorithm>

namespace wall {

using namespace twin;

std::vector<Event> activeAlarmsAt(StoreReader& reader, TimeMs t) {
    return query::activeEventsAt(reader, t, Severity::Alarm);
}

ActiveAlarms::ActiveAlarms(Session& session, QObject* parent) : QObject(parent), session_(session) {
    connect(&session_, &Session::opened, this, &ActiveAlarms::refresh);
    connect(&session_, &Session::stateChanged, this, &ActiveAlarms::refresh);
    refresh();
}

void ActiveAlarms::refresh() {
    std::vector<Event> now;
    if (session_.isOpen()) {
        t_ = session_.clock().time();
        try {
            now = activeAlarmsAt(session_.reader(), t_);
        } catch (const std::exception& e) {
            qWarning("wall: cannot read the active alarms: %s", e.what());
            return;   // keep what is shown
        }
    }
    auto same = [](const Event& a, const Event& b) { return a.id == b.id && a.end == b.end && a.text == b.text; };
    if (now.size() == alarms_.size() && std::equal(now.begin(), now.end(), alarms_.begin(), same)) return;
    alarms_ = std::move(now);
    emit changed();
}

void ActiveAlarms::setAcks(views::AlarmAcks* acks) {
    if (acks_) disconnect(acks_, nullptr, this, nullptr);
    acks_ = acks;
    if (acks_) connect(acks_, &views::AlarmAcks::changed, this, &ActiveAlarms::changed);
    emit changed();
}

std::optional<Acknowledgement> ActiveAlarms::acknowledgement(std::int64_t eventId) const {
    return acks_ ? acks_->acknowledgement(eventId) : std::nullopt;
}

// ---- the panel --------------------------------------------------------------------------------

AlarmsPanel::AlarmsPanel(Session& session, ActiveAlarms& alarms, QWidget* parent)
    : QWidget(parent), session_(session), alarms_(alarms) {
    setObjectName("wallAlarms");
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(1, 1);
    connect(&alarms_, &ActiveAlarms::changed, this, qOverload<>(&QWidget::update));
}

namespace {

QString severityWord(Severity s) { return s == Severity::Critical ? "CRITICAL" : "ALARM"; }

QString assetName(const Session& session, const Event& e) {
    if (e.asset.empty()) return "campus";
    return views::resolveAsset(session, e.asset).name;
}

} // namespace

int AlarmsPanel::severityBarWidth() const { return std::max(6, QFontMetrics(font()).height() / 3); }

QStringList AlarmsPanel::rowTexts() const {
    QStringList out;
    for (const Event& e : alarms_.alarms()) {
        QString row = views::formatUtcClock(e.start) + "  " + severityWord(e.severity) + "  " + assetName(session_, e) +
                      "  " + QString::fromStdString(e.text);
        if (const auto a = alarms_.acknowledgement(e.id)) row += "  ACK " + QString::fromStdString(a->by);
        out << row;
    }
    return out;
}

namespace {

// Words wrapped to `width`, at most `maxLines` lines, the last elided if the text goes on.
QStringList wrap(const QString& text, const QFontMetrics& fm, int width, int maxLines) {
    QStringList lines;
    QString current;
    const QStringList words = text.split(' ', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString candidate = current.isEmpty() ? words[i] : current + ' ' + words[i];
        if (fm.horizontalAdvance(candidate) <= width || current.isEmpty()) {
            current = candidate;
            continue;
        }
        if (static_cast<int>(lines.size()) == maxLines - 1) {   // the last line: the rest, elided
            current = candidate;
            for (qsizetype j = i + 1; j < words.size(); ++j) current += ' ' + words[j];
            break;
        }
        lines << current;
        current = words[i];
    }
    if (!current.isEmpty()) lines << fm.elidedText(current, Qt::ElideRight, width);
    return lines;
}

} // namespace

void AlarmsPanel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), QColor(18, 22, 27));
    rowRects_.clear();
    const QFontMetrics fm(font());
    const int line = fm.height();
    const int pad = line / 3;
    const auto& alarms = alarms_.alarms();
    if (alarms.empty()) {
        QFont big = font();
        big.setPixelSize(std::max(8, static_cast<int>(line * 1.1)));
        big.setBold(true);
        p.setFont(big);
        // No alarms is good news, not an alarm state: green; no data yet is neither: neutral grey.
        p.setPen(session_.isOpen() ? QColor(60, 200, 100) : QColor(154, 164, 177));
        p.drawText(rect().adjusted(pad, pad, -pad, -pad), Qt::AlignCenter | Qt::TextWordWrap,
                   session_.isOpen() ? QString::fromUtf8("✓  No active alarms") : QString("No data yet"));
        return;
    }
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bm(bold);
    const int bar = severityBarWidth();
    const int gap = std::max(2, line / 4);
    const int x = pad + bar + pad;
    const int w = std::max(1, width() - x - 2 * pad);
    const int moreH = line + 2 * pad;
    int y = pad;
    for (std::size_t i = 0; i < alarms.size(); ++i) {
        const Event& e = alarms[i];
        // time SEVERITY / the asset / what happened (up to two lines).
        const QStringList text = wrap(QString::fromStdString(e.text), fm, w, 2);
        const int rowH = 2 * pad + 2 * line + static_cast<int>(text.size()) * line;
        const bool last = i + 1 == alarms.size();
        if (y + rowH > height() - pad || (!last && y + rowH + gap + moreH > height() - pad)) {
            // No room for this one and a "+ N more" row after it: say how many are left.
            const QRect row(pad, y, width() - 2 * pad, moreH);
            rowRects_.push_back(row);
            p.setFont(bold);
            p.setPen(QColor(233, 237, 242));
            p.drawText(row, Qt::AlignCenter, QString("+ %1 more").arg(alarms.size() - i));
            break;
        }
        const QColor c = views::severityColour(e.severity);
        const QRect row(pad, y, width() - 2 * pad, rowH);
        rowRects_.push_back(row);
        const auto ack = alarms_.acknowledgement(e.id);
        QColor tint = c;
        tint.setAlpha(ack ? 18 : 45);   // acknowledged: still listed, less loud
        p.fillRect(row, tint);
        p.fillRect(QRect(row.left(), row.top(), bar, row.height()), c);
        int ty = row.top() + pad + fm.ascent();
        p.setFont(bold);
        const QString time = views::formatUtcClock(e.start) + " UTC";
        p.setPen(QColor(233, 237, 242));
        p.drawText(QPoint(x, ty), time);
        p.setPen(c.lighter(130));
        const int sx = x + bm.horizontalAdvance(time + "   ");
        p.drawText(QPoint(sx, ty), severityWord(e.severity));
        if (ack) {
            p.setPen(QColor(154, 164, 177));
            p.drawText(QPoint(sx + bm.horizontalAdvance(severityWord(e.severity) + "   "), ty),
                       bm.elidedText("ACK " + QString::fromStdString(ack->by), Qt::ElideRight,
                                     std::max(1, x + w - sx - bm.horizontalAdvance(severityWord(e.severity) + "   "))));
        }
        ty += line;
        p.setPen(QColor(240, 244, 248));
        p.drawText(QPoint(x, ty), bm.elidedText(assetName(session_, e), Qt::ElideMiddle, w));
        p.setFont(font());
        p.setPen(QColor(205, 211, 219));
        for (const QString& l : text) {
            ty += line;
            p.drawText(QPoint(x, ty), l);
        }
        y += rowH + gap;
    }
}

} // namespace wall
