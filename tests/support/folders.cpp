#include "support/folders.h"

#include <QFile>
#include <QProcess>

#include <unistd.h>

namespace testsupport {

std::string pathIn(const QTemporaryDir& dir, const QString& name) { return dir.filePath(name).toStdString(); }

bool makeReadOnly(const std::string& dir) {
    if (::geteuid() != 0) return QFile::setPermissions(QString::fromStdString(dir), QFile::ReadOwner | QFile::ExeOwner);
    return QProcess::execute("chattr", {"+i", QString::fromStdString(dir)}) == 0;
}

void makeWritable(const std::string& dir) {
    if (::geteuid() == 0) QProcess::execute("chattr", {"-i", QString::fromStdString(dir)});
    QFile::setPermissions(QString::fromStdString(dir), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

} // namespace testsupport
