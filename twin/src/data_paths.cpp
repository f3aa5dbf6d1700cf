#include "twin/data_paths.h"

#include "twin/error.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace twin {

namespace {

// Where the installed programs' data lies relative to their bin/ folder: set by twin/CMakeLists.txt
// from GNUInstallDirs, the same variables packaging/ installs the data with.
#ifndef COLOSSUS_DATA_DIR_FROM_BIN
#error "COLOSSUS_DATA_DIR_FROM_BIN is set by twin/CMakeLists.txt"
#endif

QString programDir()
{
    if (QCoreApplication::instance()) return QCoreApplication::applicationDirPath();
    // No application object (a library user): the running executable, links resolved.
    const QFileInfo exe(QStringLiteral("/proc/self/exe"));
    return QFileInfo(exe.canonicalFilePath()).absolutePath();
}

bool hasSites(const QString& dir) { return !dir.isEmpty() && QFileInfo(dir + "/sites").isDir(); }

std::string joinNames(const std::vector<std::string>& names)
{
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? "none" : s;
}

} // namespace

std::vector<std::string> dataDirCandidates()
{
    std::vector<std::string> dirs;
    const QString fromEnv = qEnvironmentVariable("COLOSSUS_TWIN_DATA_DIR");
    if (!fromEnv.isEmpty()) dirs.push_back(QDir::cleanPath(QDir(fromEnv).absolutePath()).toStdString());
    const QString installed = programDir();
    if (!installed.isEmpty())
        dirs.push_back(QDir::cleanPath(installed + "/" COLOSSUS_DATA_DIR_FROM_BIN).toStdString());
    dirs.push_back(QDir::cleanPath(QStringLiteral(COLOSSUS_SOURCE_DATA_DIR)).toStdString());
    return dirs;
}

std::string dataDir()
{
    const QString fromEnv = qEnvironmentVariable("COLOSSUS_TWIN_DATA_DIR");
    if (!fromEnv.isEmpty()) return QDir::cleanPath(QDir(fromEnv).absolutePath()).toStdString();
    for (const auto& dir : dataDirCandidates())
        if (hasSites(QString::fromStdString(dir))) return dir;
    return {};
}

std::vector<std::string> dataFileNames(const std::string& subdir)
{
    std::vector<std::string> names;
    const std::string dir = dataDir();
    if (dir.empty()) return names;
    const QDir d(QString::fromStdString(dir + "/" + subdir));
    for (const QFileInfo& f : d.entryInfoList({"*.json"}, QDir::Files | QDir::Readable, QDir::Name))
        names.push_back(f.completeBaseName().toStdString());
    return names;
}

std::string resolveDataFile(const std::string& nameOrPath, const std::string& subdir)
{
    const QString given = QString::fromStdString(nameOrPath);
    if (given.isEmpty() || given.contains('/') || QFileInfo(given).isFile()) return nameOrPath;

    const std::string dir = dataDir();
    if (dir.empty()) {
        std::string looked;
        for (const auto& d : dataDirCandidates()) looked += (looked.empty() ? "" : ", ") + d;
        throw Error(nameOrPath, "no such file, and no data directory to look the name up in (looked in " + looked +
                                    "; set COLOSSUS_TWIN_DATA_DIR)");
    }
    const QString folder = QString::fromStdString(dir + "/" + subdir);
    const QString file = folder + "/" + (given.endsWith(".json") ? given : given + ".json");
    if (QFileInfo(file).isFile()) return file.toStdString();
    throw Error(nameOrPath, "no such file, nor a name in " + folder.toStdString() + " (known: " +
                                joinNames(dataFileNames(subdir)) + ")");
}

} // namespace twin
