#include "remote_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

namespace colossus_twin {

RemoteStore::RemoteStore(twin::opscentre::BusAddress address) : address_(std::move(address)) {}

QString RemoteStore::replicaPathFor(const twin::opscentre::BusAddress& a) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/replicas";
    return dir + "/" + QString::fromStdString(a.host + "_" + std::to_string(a.port) + "_" + a.twin) + ".twin";
}

QString RemoteStore::replicaPath() const { return replicaPathFor(address_); }

QString RemoteStore::start(int timeoutMs) {
    QDir().mkpath(QFileInfo(replicaPath()).path());
    try {
        follower_ = std::make_unique<app_nats::NatsFollower>(address_, replicaPath().toStdString());
        follower_->start();
    } catch (const std::exception& e) {   // BusError, or a file in the way of the replica
        return QString::fromStdString(e.what());
    }
    QElapsedTimer waited;
    waited.start();
    std::uint64_t downloaded = 0;
    while (!follower_->status().replicaReady) {
        if (const auto st = follower_->status(); st.refused)
            return QString::fromStdString(address_.display() + ": " + st.problem);
        // A snapshot that is still coming in is waited for as long as it makes progress.
        if (const auto st = follower_->status(); st.downloading && st.snapshotBytes != downloaded) {
            downloaded = st.snapshotBytes;
            waited.restart();
        }
        if (waited.elapsed() > timeoutMs) {
            const auto st = follower_->status();
            return QString::fromStdString(address_.display()) + ": no campus arrived in " +
                   QString::number(timeoutMs / 1000) + " s" +
                   (st.problem.empty() ? QString() : " (" + QString::fromStdString(st.problem) + ")");
        }
        QCoreApplication::processEvents();
        QThread::msleep(20);
    }
    return {};
}

QString RemoteStore::displayName() const { return QString::fromStdString(address_.display()); }

bool RemoteStore::connected() const { return follower_ && follower_->status().connected; }

QString RemoteStore::headerText() const {
    if (!follower_) return QString::fromStdString(address_.display());
    return QString::fromStdString(
        app_nats::NatsFollower::describe(address_, follower_->status(), QDateTime::currentMSecsSinceEpoch()));
}

} // namespace colossus_twin
