// colossus-twin run as a program (the command line: screenshots, error lines and exit codes).
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace testsupport {

// The program's path in the build tree.
QString appProgram();

// The environment with XDG_RUNTIME_DIR set to a private folder: Qt warns on stderr when it is
// unset, and the error tests read stderr.
QProcessEnvironment quietEnvironment();

// Runs colossus-twin with `args` in the quiet environment; its exit code (-1: still running after
// `timeoutMs`, killed; -2: crashed), its stderr (trimmed) in *err.
int runApp(const QStringList& args, QString* err = nullptr, int timeoutMs = 60000);

} // namespace testsupport
