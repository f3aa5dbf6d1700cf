// Operators' acknowledgements of the open store's alarms. They are kept in the store's review
// file (twin::ReviewFile, `<store>.review` beside it) for a recording and for a live store alike:
// the viewer never writes a store. Every viewer and wall of the same store shares the file; each
// reads it again every `pollMs` (1 s by default), so an acknowledgement made at a desk reaches a
// wall (which has no mouse) within a second.
//
// What can be acknowledged: events of severity warning and above (an info event is a message,
// not an alarm). Who: operatorName() - the "operatorName" setting if set, else the OS user name.
// When: the wall-clock time of the acknowledgement. Like every view, it must not outlive its
// session.
#pragma once

#include "twin/review_file.h"
#include "twin/session/session.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace views {

class AlarmAcks : public QObject {
    Q_OBJECT
public:
    explicit AlarmAcks(twin::Session& session, QObject* parent = nullptr);
    ~AlarmAcks() override;

    // Whether an event is an alarm an operator acknowledges (severity warning and above).
    static bool acknowledgeable(const twin::Event& e);
    // Who acknowledges from this program: QSettings "operatorName" if not empty, else the OS
    // user name ($USER, $LOGNAME, or the password database), else "operator".
    static QString operatorName();

    std::optional<twin::Acknowledgement> acknowledgement(std::int64_t eventId) const;
    bool acknowledged(std::int64_t eventId) const { return acks_.count(eventId) > 0; }
    const std::map<std::int64_t, twin::Acknowledgement>& all() const { return acks_; }

    // Acknowledges these events as operatorName() now (those already acknowledged keep their
    // first acknowledgement; events that are not acknowledgeable are skipped). Returns the number
    // newly acknowledged, -1 on failure (lastError(), errorOccurred(): names the review file).
    int acknowledge(const std::vector<twin::Event>& events);
    QString lastError() const { return lastError_; }
    // Where the acknowledgements are kept ("" when no store is open).
    QString path() const;

    void setPollMs(int ms);   // 0: no polling (reload() by hand)
    int pollMs() const { return pollMs_; }

public slots:
    // Reads the acknowledgements again; emits changed() when they differ.
    void reload();
    void reopen();

signals:
    void changed();
    void errorOccurred(const QString& message);

private:
    twin::Session& session_;
    std::unique_ptr<twin::ReviewFile> review_;
    std::map<std::int64_t, twin::Acknowledgement> acks_;
    QString openProblem_, lastError_;
    QTimer poll_;
    int pollMs_ = 1000;
};

} // namespace views
