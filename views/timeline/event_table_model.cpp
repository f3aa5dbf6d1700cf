#include "timeline/event_table_model.h"

#include "common/asset_ref.h"
#include "common/time_format.h"
#include "review/alarm_acks.h"
#include "timeline/event_style.h"

#include <QColor>
#include <QFont>

#include <algorithm>

namespace views {

EventTableModel::EventTableModel(const twin::Session& session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {}

bool EventTableModel::activeAt(const twin::Event& e, twin::TimeMs t) {
    return e.start <= t && (!e.end || *e.end > t);
}

EventTableModel::Row EventTableModel::makeRow(twin::Event e) const {
    Row r;
    const views::AssetRef ref = views::resolveAsset(session_, e.asset);
    r.fullTime = views::formatUtcLong(e.start);
    r.time = oneDay_ ? views::formatUtcClockMs(e.start) : r.fullTime;
    r.severity = QString::fromUtf8(twin::severityName(e.severity));
    r.asset = ref.name;
    r.assetId = QString::fromStdString(e.asset);
    r.assetKind = ref.kind;
    r.kind = QString::fromStdString(e.kind);
    r.text = QString::fromStdString(e.text);
    r.search = QStringList{r.text, r.assetId, r.asset, r.kind}.join('\n');
    r.active = activeAt(e, time_);
    r.event = std::move(e);
    return r;
}

namespace {

bool sameEvent(const twin::Event& a, const twin::Event& b) {
    return a.id == b.id && a.start == b.start && a.end == b.end && a.severity == b.severity && a.asset == b.asset &&
           a.kind == b.kind && a.text == b.text;
}

} // namespace

void EventTableModel::setEvents(std::vector<twin::Event> events) {
    // While tailing, the events already shown come first (the store orders them by start, then
    // id) and new ones follow: update and append rather than reset, so that the view keeps its
    // scroll position and selection.
    // One UTC day: the date is said once (in the tooltips), not on every row.
    bool oneDay = !events.empty();
    if (oneDay) {
        constexpr twin::TimeMs day = 86'400'000;
        const auto [lo, hi] = std::minmax_element(events.begin(), events.end(),
                                                  [](const twin::Event& a, const twin::Event& b) { return a.start < b.start; });
        oneDay = lo->start / day == hi->start / day && lo->start >= 0;
    }
    const bool sameFormat = oneDay == oneDay_;
    oneDay_ = oneDay;
    const bool grows = sameFormat && !rows_.empty() && events.size() >= rows_.size() &&
                       std::equal(rows_.begin(), rows_.end(), events.begin(),
                                  [](const Row& r, const twin::Event& e) { return r.event.id == e.id; });
    if (!grows) {
        beginResetModel();
        rows_.clear();
        rows_.reserve(events.size());
        for (twin::Event& e : events) rows_.push_back(makeRow(std::move(e)));
        endResetModel();
        return;
    }
    const std::size_t shown = rows_.size();
    for (std::size_t i = 0; i < shown; ++i) {
        if (sameEvent(rows_[i].event, events[i])) continue;   // e.g. an end was recorded
        rows_[i] = makeRow(std::move(events[i]));
        const int row = static_cast<int>(i);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (events.size() == shown) return;
    beginInsertRows({}, static_cast<int>(shown), static_cast<int>(events.size()) - 1);
    for (std::size_t i = shown; i < events.size(); ++i) rows_.push_back(makeRow(std::move(events[i])));
    endInsertRows();
}

void EventTableModel::setTime(twin::TimeMs t) {
    time_ = t;
    // Only the rows whose state changed repaint: playback calls this every frame.
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const bool active = activeAt(rows_[i].event, t);
        if (active == rows_[i].active) continue;
        rows_[i].active = active;
        const int row = static_cast<int>(i);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole, Qt::ForegroundRole});
    }
}

void EventTableModel::setAcks(const AlarmAcks* acks) {
    if (acks_) disconnect(acks_, nullptr, this, nullptr);
    acks_ = acks;
    auto repaint = [this] {
        if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    };
    if (acks_) connect(acks_, &AlarmAcks::changed, this, repaint);
    repaint();
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return r.time;
        case Severity: return r.severity;
        case Asset: return r.asset;
        case Kind: return r.kind;
        case Text: return r.text;
        case Ack:
            if (!AlarmAcks::acknowledgeable(r.event)) return {};
            return acks_ && acks_->acknowledged(r.event.id) ? QString::fromUtf8("✓") : QString::fromUtf8("●");
        }
        return {};
    case AckedRole: return acks_ && acks_->acknowledged(r.event.id);
    case Qt::TextAlignmentRole:
        if (index.column() == Ack) return int(Qt::AlignCenter);
        return {};
    case Qt::FontRole: {
        if (!r.active) return {};
        QFont f;
        f.setBold(true);
        return f;
    }
    case Qt::ForegroundRole:
        if (index.column() == Severity) return views::severityColour(r.event.severity);
        // An active alarm nobody has acknowledged stands out; an acknowledged one does not.
        if (index.column() == Ack && AlarmAcks::acknowledgeable(r.event))
            return r.active && !(acks_ && acks_->acknowledged(r.event.id)) ? views::severityColour(r.event.severity)
                                                                               : QColor(128, 128, 128);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Asset) return r.asset == r.assetId ? r.assetId : r.asset + "\n" + r.assetId;
        if (index.column() == Time)
            return r.event.end ? r.fullTime + "\nuntil " + views::formatUtcLong(*r.event.end) : r.fullTime;
        if (index.column() == Ack && AlarmAcks::acknowledgeable(r.event)) {
            if (const auto a = acks_ ? acks_->acknowledgement(r.event.id) : std::nullopt)
                return "Acknowledged by " + QString::fromStdString(a->by) + " at " + views::formatUtcLong(a->at);
            return QStringLiteral("Not acknowledged (Ctrl+K acknowledges the selected alarms)");
        }
        return index.column() == Text ? r.text : QVariant();
    case SortRole:
        if (index.column() == Time) return QVariant::fromValue<qlonglong>(r.event.start);
        if (index.column() == Severity) return static_cast<int>(r.event.severity);
        return data(index, Qt::DisplayRole);
    case SeverityRole: return static_cast<int>(r.event.severity);
    case AssetKindRole: return r.assetKind;
    case SearchRole: return r.search;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time: return QStringLiteral("Time (UTC)");
    case Severity: return QStringLiteral("Severity");
    case Asset: return QStringLiteral("Asset");
    case Kind: return QStringLiteral("Kind");
    case Ack: return QStringLiteral("Ack");
    case Text: return QStringLiteral("What happened");
    }
    return {};
}

} // namespace views
