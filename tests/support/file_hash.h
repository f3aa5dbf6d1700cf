// A file's bytes as one hash: "the recording is left byte for byte unchanged".
#pragma once

#include <QByteArray>

#include <string>

namespace testsupport {

// SHA-256 of the whole file; empty when it cannot be read.
QByteArray fileHash(const std::string& path);

} // namespace testsupport
