// A real Prometheus (Debian's 2.42, /usr/bin/prometheus) in agent mode as a child process of an
// ingest test: it scrapes and remote-writes as an operator's would, on a free port of 127.0.0.1,
// its files in the test's temporary folder, terminated when the test ends.
#pragma once

#include <QProcess>
#include <QString>

class QTemporaryDir;

namespace testsupport {

class PrometheusAgent {
public:
    static QString program() { return "/usr/bin/prometheus"; }
    ~PrometheusAgent();

    // Writes `config` as prometheus.yml in `dir` and starts the agent; empty, or why it did not start.
    QString start(const QTemporaryDir& dir, const QString& config);
    QString log() const;   // the end of its log (3,000 characters), for failure messages
    bool stop();           // SIGTERM; true when it exited within 10 s

private:
    QProcess process_;
    QString logFile_;
};

} // namespace testsupport
