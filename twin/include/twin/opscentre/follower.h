// The follower's side of the opscentre protocol, without a network: feed it the stream's messages
// in order (payload and stream sequence) and it keeps a replica — a normal twin store, written
// with the store's own schema code, that StoreReader opens and refresh()es like any live file.
// A commit is applied whole in one transaction together with the stream sequence it ends at, so
// the replica always says where to resume. A message that is not ours, malformed, or that does
// not fit the replica is rejected and counted, never applied (docs/opscentre.md).
#pragma once

#include "twin/opscentre/changes.h"
#include "twin/opscentre/wire.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace twin::sql {
class Db;
}

namespace twin::opscentre {

// The replica file: created from a Campus message, then one transaction per commit.
class Replica {
public:
    // Opens `path` if it is a replica already (to resume it), else waits for a campus message.
    // `source` (the stream's address) is recorded in the replica's meta table.
    Replica(std::string path, std::string source);
    ~Replica();

    bool exists() const { return db_ != nullptr; }
    const std::string& path() const { return path_; }
    std::uint64_t streamSeq() const { return streamSeq_; }         // of the last message applied
    std::int64_t publishedAtMs() const { return publishedAtMs_; }  // of the last commit applied

    // Applies a whole message; throws (WireError, twin::Error) and changes nothing when it cannot.
    void apply(Kind kind, const Changes& changes, std::uint64_t streamSeq);

private:
    void create(const Changes& campus);
    void checkReferences(const RowBlock& b);

    std::string path_, source_;
    std::unique_ptr<sql::Db> db_;
    std::uint64_t streamSeq_ = 0;
    std::int64_t publishedAtMs_ = 0;
};

struct FollowCounts {
    std::uint64_t applied = 0;      // messages (campus or commit) applied
    std::uint64_t rejected = 0;     // not ours, malformed, or not applicable: never applied
    std::uint64_t duplicates = 0;   // at or before the replica's stream sequence: already in it
    std::uint64_t waiting = 0;      // commits before any campus (the replica cannot exist yet)
    std::string lastError;          // why the last rejected message was rejected
};

class Follower {
public:
    Follower(std::string replicaPath, std::string source);

    enum class Fed { Partial, Applied, Duplicate, Rejected, Waiting };
    // One message of the stream, `streamSeq` its sequence there. Never throws for bad bytes.
    Fed feed(std::span<const std::uint8_t> payload, std::uint64_t streamSeq);

    // The stream sequence to (re)start a subscription at: after the last one applied.
    std::uint64_t resumeFrom() const { return replica_.streamSeq() + 1; }
    const Replica& replica() const { return replica_; }
    const FollowCounts& counts() const { return counts_; }

private:
    Fed reject(const std::string& why);

    Replica replica_;
    Reassembler parts_;
    FollowCounts counts_;
};

} // namespace twin::opscentre
