#include "timeline/event_filter.h"

#include "timeline/event_table_model.h"

namespace views {

EventFilter::EventFilter(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(EventTableModel::SortRole);
    setDynamicSortFilter(true);
}

void EventFilter::setMinimumSeverity(twin::Severity s) {
    if (s == minimum_) return;
    minimum_ = s;
    invalidateFilter();
}

void EventFilter::setAssetKind(const QString& kind) {
    if (kind == kind_) return;
    kind_ = kind;
    invalidateFilter();
}

void EventFilter::setText(const QString& text) {
    const QString t = text.trimmed();
    if (t == text_) return;
    text_ = t;
    invalidateFilter();
}

bool EventFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (i.data(EventTableModel::SeverityRole).toInt() < static_cast<int>(minimum_)) return false;
    if (!kind_.isEmpty() && i.data(EventTableModel::AssetKindRole).toString() != kind_) return false;
    return text_.isEmpty() || i.data(EventTableModel::SearchRole).toString().contains(text_, Qt::CaseInsensitive);
}

} // namespace views
