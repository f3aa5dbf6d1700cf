#include "support/file_hash.h"

#include <QCryptographicHash>
#include <QFile>

namespace testsupport {

QByteArray fileHash(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace testsupport
