#include "support/child_writer.h"

#include "support/data_files.h"

#include <QElapsedTimer>
#include <QtGlobal>

#include <csignal>

namespace testsupport {

QString writerProgram() { return QString(TEST_BIN_DIR) + "/twin-test-writer"; }

bool startWriter(QProcess& writer, const QString& store, int periodMs, int framesPerCommit, int maxFrames, bool waitReady,
                 bool resume) {
    QStringList args = {QString::fromStdString(siteFile("small.json")), store, QString::number(periodMs),
                        QString::number(framesPerCommit)};
    if (maxFrames >= 0 || resume) args << QString::number(maxFrames);
    if (resume) args << "resume";
    writer.start(writerProgram(), args);
    if (!writer.waitForStarted()) {
        qWarning("twin-test-writer did not start: %s", qPrintable(writer.errorString()));
        return false;
    }
    if (!waitReady) return true;
    QElapsedTimer t;
    t.start();
    while (!writer.canReadLine() && t.elapsed() < 10000) writer.waitForReadyRead(100);
    const QByteArray line = writer.readLine().trimmed();
    if (line != "ready") {
        qWarning("twin-test-writer said '%s', not 'ready': %s", line.constData(), writer.readAllStandardError().constData());
        return false;
    }
    return true;
}

bool killWriter(QProcess& writer) {
    ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
    return writer.waitForFinished(5000);
}

std::optional<Commit> parseCommit(const QByteArray& line) {
    const auto parts = line.trimmed().split(' ');
    if (parts.size() != 3 || parts[0] != "committed") return std::nullopt;
    return Commit{parts[1].toLong(), parts[2].toLongLong()};
}

} // namespace testsupport
