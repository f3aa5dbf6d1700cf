#include "review/alarm_acks.h"

#include <QDateTime>
#include <QSettings>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

namespace views {

AlarmAcks::AlarmAcks(twin::Session& session, QObject* parent) : QObject(parent), session_(session) {
    connect(&session_, &twin::Session::opened, this, &AlarmAcks::reopen);
    connect(&poll_, &QTimer::timeout, this, &AlarmAcks::reload);
    reopen();
    poll_.start(pollMs_);
}

AlarmAcks::~AlarmAcks() = default;

bool AlarmAcks::acknowledgeable(const twin::Event& e) { return e.severity >= twin::Severity::Warning; }

QString AlarmAcks::operatorName() {
    const QString set = QSettings().value("operatorName").toString().trimmed();
    if (!set.isEmpty()) return set;
    for (const char* var : {"USER", "LOGNAME"}) {
        const QString v = qEnvironmentVariable(var).trimmed();
        if (!v.isEmpty()) return v;
    }
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return "operator";
}

void AlarmAcks::reopen() {
    review_.reset();
    openProblem_.clear();
    if (session_.isOpen()) {
        try {
            review_ = twin::ReviewFile::open(session_.reader());
        } catch (const std::exception& e) {
            openProblem_ = QString::fromUtf8(e.what());
        }
    }
    const bool had = !acks_.empty();
    acks_.clear();
    reload();
    if (had && acks_.empty()) emit changed();
}

void AlarmAcks::reload() {
    if (!review_) {
        // A store opened while its review file could not be (e.g. a live store's folder that
        // appeared later): try again at the next poll.
        if (session_.isOpen() && openProblem_.isEmpty()) reopen();
        return;
    }
    std::map<std::int64_t, twin::Acknowledgement> now;
    try {
        now = review_->acknowledgements();
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        return;   // keep what is shown
    }
    const bool same = now.size() == acks_.size() &&
                      std::equal(now.begin(), now.end(), acks_.begin(), [](const auto& a, const auto& b) {
                          return a.first == b.first && a.second.by == b.second.by && a.second.at == b.second.at;
                      });
    if (same) return;
    acks_ = std::move(now);
    emit changed();
}

std::optional<twin::Acknowledgement> AlarmAcks::acknowledgement(std::int64_t eventId) const {
    const auto it = acks_.find(eventId);
    if (it == acks_.end()) return std::nullopt;
    return it->second;
}

int AlarmAcks::acknowledge(const std::vector<twin::Event>& events) {
    auto fail = [this](const QString& m) {
        lastError_ = m;
        emit errorOccurred(m);
        return -1;
    };
    if (!session_.isOpen()) return fail("Cannot acknowledge: no store is open.");
    if (!review_) return fail("Cannot acknowledge: the review file cannot be used: " + openProblem_);
    const std::string by = operatorName().toStdString();
    const twin::TimeMs at = QDateTime::currentMSecsSinceEpoch();
    int n = 0;
    try {
        for (const twin::Event& e : events)
            if (acknowledgeable(e) && !acknowledged(e.id) && review_->acknowledge(e.id, by, at)) ++n;
    } catch (const std::exception& e) {
        reload();
        return fail(QString::fromUtf8(e.what()));
    }
    reload();
    return n;
}

QString AlarmAcks::path() const {
    if (review_) return QString::fromStdString(review_->path());
    return session_.isOpen() ? QString::fromStdString(twin::ReviewFile::sidecarPath(session_.path())) : QString();
}

void AlarmAcks::setPollMs(int ms) {
    pollMs_ = std::max(0, ms);
    poll_.stop();
    if (pollMs_ > 0) poll_.start(pollMs_);
}

} // namespace views
