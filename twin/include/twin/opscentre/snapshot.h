// Snapshots of a twin store for the operations centre (docs/opscentre.md, "Snapshots"): a
// consistent copy of the writer's store, kept in NATS's JetStream object store so that a newcomer
// starts from the newest snapshot and the stream's tail instead of the stream's first message.
// This is the part without a network: the object store's layout (NATS ADR-20: stream OBJ_<bucket>,
// chunks on $O.<bucket>.C.<nuid>, the object's description as JSON on $O.<bucket>.M.<name>),
// the description read back with every field checked, the SHA-256 digest, the consistent copy
// (SQLite's backup API) and turning a downloaded copy into a replica.
#pragma once

#include "twin/opscentre/changes.h"   // WireError

#include <cstdint>
#include <span>
#include <string>

namespace twin::opscentre {

// One snapshot as the object store describes it. streamSeq and publishedAtMs travel in the
// object's headers (Twin-Stream-Seq, Twin-Published-At-Ms): other object store clients show them
// and ignore them.
struct SnapshotMeta {
    std::string bucket;              // the twin's bucket: snapshotBucket(twin)
    std::string name;                // the object's name: kSnapshotObject
    std::string nuid;                // names the chunks' subject
    std::uint64_t size = 0;          // bytes of the store file
    std::uint64_t chunks = 0;
    std::uint32_t chunkSize = 0;     // every chunk but the last has exactly this size
    std::string digest;              // "SHA-256=" and the digest in base64url
    std::string mtime;               // RFC 3339, UTC
    std::uint64_t streamSeq = 0;     // the snapshot holds at least the stream up to this message
    std::int64_t publishedAtMs = 0;  // the publisher's clock when it read that message's commit
};

constexpr const char* kSnapshotObject = "store.twin";
// Chunks of at most 256 KiB: well under a server's default 1 MiB payload.
constexpr std::uint32_t kSnapshotChunkSize = 256 * 1024;

std::string snapshotBucket(const std::string& twin);                    // "twin_<twin>"
std::string objectStream(const std::string& bucket);                    // "OBJ_<bucket>"
std::string chunkSubject(const std::string& bucket, const std::string& nuid);    // $O.<bucket>.C.<nuid>
std::string metaSubject(const std::string& bucket, const std::string& name);     // $O.<bucket>.M.<base64url(name)>
std::string newNuid();                                                   // 22 random base62 characters

// The description as the object store keeps it (JSON).
std::string encodeObjectMeta(const SnapshotMeta& m);
// Throws WireError naming what is wrong: not JSON, a missing or mistyped field, sizes that do
// not add up (chunks × chunk size against the size), a digest that is not SHA-256, a deleted object.
SnapshotMeta decodeObjectMeta(std::span<const std::uint8_t> json);

// SHA-256 over bytes given piece by piece, written as the object store writes it.
class Sha256Digest {
public:
    Sha256Digest();
    ~Sha256Digest();
    Sha256Digest(const Sha256Digest&) = delete;
    Sha256Digest& operator=(const Sha256Digest&) = delete;
    void add(std::span<const std::uint8_t> bytes);
    std::string result() const;      // "SHA-256=<base64url>"
private:
    struct Impl;
    Impl* impl_;
};

// A consistent copy of the store at `from` (one read transaction: SQLite's backup API; the writer
// goes on meanwhile) into a new file `to`. Throws twin::Error naming the file.
void copyStore(const std::string& from, const std::string& to);

// Makes the downloaded copy at `downloaded` the replica at `replicaPath`: checks that it opens as a
// twin store (schema, campus), records where it comes from and the stream position it stands for
// (replica_of, replica_stream_seq, replica_published_at_ms), then moves it in place of any older
// replica. Throws twin::Error and leaves `replicaPath` as it was when it cannot.
void installSnapshot(const std::string& downloaded, const std::string& replicaPath, const SnapshotMeta& meta,
                     const std::string& source);

} // namespace twin::opscentre
