// The event list's filters: a minimum severity, an asset kind, and a case-insensitive text
// that must appear in the event's text, asset (id or name) or kind.
#pragma once

#include "twin/store.h"

#include <QSortFilterProxyModel>

namespace views {

class EventFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventFilter(QObject* parent = nullptr);

    void setMinimumSeverity(twin::Severity s);
    void setAssetKind(const QString& kind);   // "" : every kind
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    twin::Severity minimum_ = twin::Severity::Info;
    QString kind_, text_;
};

} // namespace views
