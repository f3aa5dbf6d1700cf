// The live writer child process: twin-test-writer (support/store_child_writer.cpp) grows a store
// of the small campus in another process, for the tailing, SIGKILL, live and stale-data tests.
#pragma once

#include "twin/store.h"

#include <QByteArray>
#include <QProcess>
#include <QString>

#include <optional>

namespace testsupport {

// The program's path in the build tree.
QString writerProgram();

// Starts twin-test-writer writing `store` (the small campus's GPUs): a frame every `periodMs`
// (0: as fast as it can), a commit every `framesPerCommit` frames, `maxFrames` frames (-1: until
// it is stopped). With `waitReady`, also waits (10 s at most) for its "ready" line: the store
// exists with its series. False, with the reason on the log, when it did not start or say ready.
// With `resume`, it continues an existing `store` after its last frame (StoreWriter::resume),
// writing `maxFrames` more.
bool startWriter(QProcess& writer, const QString& store, int periodMs, int framesPerCommit, int maxFrames = -1,
                 bool waitReady = true, bool resume = false);

// Kills the writer with SIGKILL (a crash in the middle of its work); true once it is gone (5 s).
bool killWriter(QProcess& writer);

// One "committed <frames> <last t>" line of the writer.
struct Commit {
    long frames = 0;
    twin::TimeMs t = 0;
};
// The commit a line reports; nothing for any other line ("ready").
std::optional<Commit> parseCommit(const QByteArray& line);

} // namespace testsupport
