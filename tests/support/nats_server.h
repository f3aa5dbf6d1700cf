// A real NATS server with JetStream (Debian's nats-server 2.9, /usr/sbin/nats-server) as a child
// process of an opscentre test: on 127.0.0.1 and a free port, its JetStream files (store_dir) and
// log in the test's temporary folder, stopped when the test ends. It can be stopped and started
// again on the same port and store_dir (a server restart: the streams survive).
#pragma once

#include <QProcess>
#include <QString>

namespace testsupport {

class NatsServer {
public:
    static QString program() { return "/usr/sbin/nats-server"; }
    ~NatsServer();

    // Starts it in `dir` (a free port the first time, the same port after that; `config`, if
    // given, is written as nats.conf and passed with -c) and waits (at most 10 s) until it takes
    // connections. Empty, or why it did not start.
    QString start(const QString& dir, const QString& config = {});
    bool stop();                   // SIGTERM (JetStream flushes); true when it exited within 10 s
    bool kill();                   // SIGKILL (a server dying); true when it is gone within 10 s
    bool running() const { return process_.state() != QProcess::NotRunning; }
    int port() const { return port_; }
    QString url() const { return "nats://127.0.0.1:" + QString::number(port_); }
    QString log() const;           // the end of its log (3,000 characters), for failure messages

private:
    QProcess process_;
    QString logFile_;
    int port_ = 0;
};

} // namespace testsupport
