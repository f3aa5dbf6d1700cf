// Temporary folders and paths in them; folders that cannot be written.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <string>

namespace testsupport {

// `name` inside `dir`, as a std::string path.
std::string pathIn(const QTemporaryDir& dir, const QString& name);

// Makes a folder unwritable, also for root (chattr +i); false if this system cannot.
bool makeReadOnly(const std::string& dir);
// Undoes makeReadOnly.
void makeWritable(const std::string& dir);

} // namespace testsupport
