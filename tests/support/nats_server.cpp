#include "support/nats_server.h"

#include "support/free_port.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace testsupport {

namespace {
bool accepts(int port) {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(s);
    return ok;
}
} // namespace

NatsServer::~NatsServer() {
    if (process_.state() != QProcess::NotRunning) stop();
}

QString NatsServer::start(const QString& dir, const QString& config) {
    if (!QFile::exists(program())) return program() + " is missing (Debian package nats-server: scripts/setup)";
    if (port_ == 0) port_ = freePort();
    if (port_ <= 0) return "no free port";
    QStringList args{"-a", "127.0.0.1", "-p", QString::number(port_), "-js", "-sd", dir + "/jetstream"};
    if (!config.isEmpty()) {
        QFile file(dir + "/nats.conf");
        if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) return file.fileName() + ": cannot write";
        args << "-c" << file.fileName();
    }
    logFile_ = dir + "/nats-server.log";
    process_.setProcessChannelMode(QProcess::MergedChannels);
    process_.setStandardOutputFile(logFile_, QIODevice::Append);
    process_.start(program(), args);
    if (!process_.waitForStarted()) return program() + " did not start: " + process_.errorString();
    // Ready when it accepts a connection (it binds after loading its JetStream files).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (process_.state() == QProcess::NotRunning) return "nats-server exited: " + log();
        if (accepts(port_)) return {};
        QThread::msleep(50);
    }
    return "nats-server did not listen on port " + QString::number(port_) + " within 10 s: " + log();
}

QString NatsServer::log() const {
    QFile f(logFile_);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(3000)) : QString();
}

bool NatsServer::stop() {
    process_.terminate();
    return process_.waitForFinished(10000);
}

bool NatsServer::kill() {
    process_.kill();
    return process_.waitForFinished(10000);
}

} // namespace testsupport
