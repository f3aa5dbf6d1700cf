#include "support/prometheus_agent.h"

#include "support/free_port.h"

#include <QFile>
#include <QTemporaryDir>

namespace testsupport {

PrometheusAgent::~PrometheusAgent() {
    if (process_.state() != QProcess::NotRunning) stop();
}

QString PrometheusAgent::start(const QTemporaryDir& dir, const QString& config) {
    if (!QFile::exists(program())) return program() + " is missing (Debian package prometheus: scripts/setup)";
    QFile file(dir.filePath("prometheus.yml"));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) return file.fileName() + ": cannot write";
    file.close();
    const int port = freePort();
    if (port <= 0) return "no free port";
    logFile_ = dir.filePath("prometheus.log");
    process_.setProcessChannelMode(QProcess::MergedChannels);
    process_.setStandardOutputFile(logFile_);
    process_.start(program(), {"--enable-feature=agent", "--config.file=" + file.fileName(),
                               "--storage.agent.path=" + dir.filePath("agent"),
                               "--web.listen-address=127.0.0.1:" + QString::number(port)});
    return process_.waitForStarted() ? QString() : program() + " did not start: " + process_.errorString();
}

QString PrometheusAgent::log() const {
    QFile f(logFile_);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(3000)) : QString();
}

bool PrometheusAgent::stop() {
    process_.terminate();
    return process_.waitForFinished(10000);
}

} // namespace testsupport
