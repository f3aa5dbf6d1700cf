#include "support/app_process.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace testsupport {

QString appProgram() { return QString(TEST_BIN_DIR) + "/colossus-twin"; }

QProcessEnvironment quietEnvironment() {
    static QTemporaryDir runtime;
    QFile::setPermissions(runtime.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_RUNTIME_DIR", runtime.path());
    return env;
}

int runApp(const QStringList& args, QString* err, int timeoutMs) {
    QProcess p;
    p.setProcessEnvironment(quietEnvironment());
    p.start(appProgram(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (err) *err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

} // namespace testsupport
