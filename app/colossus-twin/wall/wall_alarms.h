// Active alarms on the wall: events of severity alarm or critical that started at or before the
// clock's time and have not ended by it (end unset, or after the time). The model follows the
// session; the panel lists them in large rows, most severe first, then newest.
#pragma once

#include "twin/session/session.h"

#include <QObject>
#include <QWidget>

#include <vector>

namespace wall {

// Active alarms at t, most severe first, then newest (start descending), then id descending.
std::vector<twin::Event> activeAlarmsAt(twin::StoreReader& reader, twin::TimeMs t);

class ActiveAlarms : public QObject {
    Q_OBJECT
public:
    explicit ActiveAlarms(twin::Session& session, QObject* parent = nullptr);

    const std::vector<twin::Event>& alarms() const { return alarms_; }
    twin::TimeMs time() const { return t_; }

public slots:
    // Recomputes (done whenever the session's state changes); emits changed() if the list differs.
    void refresh();

signals:
    void changed();

private:
    twin::Session& session_;
    std::vector<twin::Event> alarms_;
    twin::TimeMs t_ = 0;
};

class AlarmsPanel : public QWidget {
    Q_OBJECT
public:
    AlarmsPanel(twin::Session& session, ActiveAlarms& alarms, QWidget* parent = nullptr);

    // What each active alarm's row says, top to bottom ("16:02:11  ALARM  <asset name>  <text>");
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
