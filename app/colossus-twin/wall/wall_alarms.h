// Active alarms on the wall: events of severity alarm or critical that started at or before the
// clock's time and have not ended by it (end unset, or after the time). The model follows the
// session; the panel lists them in large rows, most severe first, then newest. An acknowledged
// alarm (acknowledged at a desk: the wall has no mouse; it reads the store's review file every
// second through views::AlarmAcks) stays listed, marked "ACK <who>", until it clears.
#pragma once

#include "twin/review_file.h"
#include "twin/session/session.h"

#include <optional>

#include <QObject>
#include <QWidget>

#include <vector>

namespace views {
class AlarmAcks;
}

namespace wall {

// Active alarms at t, most severe first, then newest (start descending), then id descending.
std::vector<twin::Event> activeAlarmsAt(twin::StoreReader& reader, twin::TimeMs t);

class ActiveAlarms : public QObject {
    Q_OBJECT
public:
    explicit ActiveAlarms(twin::Session& session, QObject* parent = nullptr);

    const std::vector<twin::Event>& alarms() const { return alarms_; }
    twin::TimeMs time() const { return t_; }

    // The acknowledgements to show (null: none). changed() is emitted when they change too.
    void setAcks(views::AlarmAcks* acks);
    views::AlarmAcks* acks() const { return acks_; }
    std::optional<twin::Acknowledgement> acknowledgement(std::int64_t eventId) const;
    bool acknowledged(std::int64_t eventId) const { return acknowledgement(eventId).has_value(); }

public slots:
    // Recomputes (done whenever the session's state changes); emits changed() if the list differs.
    void refresh();

signals:
    void changed();

private:
    twin::Session& session_;
    std::vector<twin::Event> alarms_;
    twin::TimeMs t_ = 0;
    views::AlarmAcks* acks_ = nullptr;
};

class AlarmsPanel : public QWidget {
    Q_OBJECT
public:
    AlarmsPanel(twin::Session& session, ActiveAlarms& alarms, QWidget* parent = nullptr);

    // What each active alarm's row says, top to bottom ("16:02:11  ALARM  <asset name>  <text>",
    // then "  ACK <who>" once acknowledged);
    // the rows that do not fit end in a "+ N more" row.
    QStringList rowTexts() const;
    // The row rectangles as last painted (for tests: the severity bar is at their left).
    const std::vector<QRect>& rowRects() const { return rowRects_; }
    int severityBarWidth() const;

protected:
    void paintEvent(QPaintEvent* e) override;

private:
    twin::Session& session_;
    ActiveAlarms& alarms_;
    std::vector<QRect> rowRects_;
};

} // namespace wall
