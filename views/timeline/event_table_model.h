// The store's events as a table: time (UTC), what happened, acknowledgement, severity, asset,
// kind — the message second, where a narrow dock still shows it, and the acknowledgement a
// narrow column after it. Times are the clock time of day when the recording lies within one UTC
// day (the date in the tooltip), else date and time. Events active at the clock's time are
// bold. The Ack column: "✓" for an acknowledged alarm (who and when in its tooltip), "●" for an
// alarm not yet acknowledged (warning and above; in the severity's colour while it is active,
// grey after), nothing for info events.
#pragma once

#include "twin/session/session.h"

#include <QAbstractTableModel>

#include <vector>

namespace views {

class AlarmAcks;

class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Ack next to the time, so that it shows in a narrow Events dock (1280x720) too.
    enum Column { Time, Ack, Text, Severity, Asset, Kind, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,   // time in ms, severity as a number, else the text
        SeverityRole,                  // int(twin::Severity)
        AssetKindRole,                 // an AssetKind name, "gpu", "job" or ""
        SearchRole,                    // text, asset id and name, kind: what the text filter reads
        AckedRole,                     // bool: acknowledged (alarms only)
    };

    explicit EventTableModel(const twin::Session& session, QObject* parent = nullptr);

    // Replaces the events (names are resolved through the session's campus and jobs).
    void setEvents(std::vector<twin::Event> events);
    // Marks the events active at t (start <= t and end unset or after t).
    void setTime(twin::TimeMs t);
    // The acknowledgements shown in the Ack column (null: none); repaints that column on changes.
    void setAcks(const AlarmAcks* acks);

    const twin::Event& event(int row) const { return rows_[static_cast<std::size_t>(row)].event; }
    static bool activeAt(const twin::Event& e, twin::TimeMs t);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        twin::Event event;
        QString time, fullTime, severity, asset, assetId, assetKind, kind, text, search;
        bool active = false;
    };
    Row makeRow(twin::Event e) const;

    const twin::Session& session_;
    std::vector<Row> rows_;
    bool oneDay_ = false;   // every event starts on one UTC day: times without the date
    twin::TimeMs time_ = 0;
    const AlarmAcks* acks_ = nullptr;
};

} // namespace views
