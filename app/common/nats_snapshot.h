// A twin's snapshots in NATS's JetStream object store (docs/opscentre.md, "Snapshots"): the
// publisher puts a consistent copy of its store there now and then; a newcomer (or a replica the
// stream's retention has left behind) downloads the newest one, checks its size and SHA-256, and
// follows the stream from the message after it. The layout is NATS's own (ADR-20), so `nats
// object ls twin_<twin>` and any object store client see the snapshot. The format and the checks
// are in twin/opscentre/snapshot.h (no network there).
#pragma once

#include "nats_bus.h"

#include "twin/opscentre/snapshot.h"

#include <functional>
#include <optional>

namespace app_nats {

class SnapshotStore {
public:
    // The object store of the bus's twin (bucket twin_<twin>, stream OBJ_twin_<twin>).
    explicit SnapshotStore(Bus& bus);
    ~SnapshotStore();
    SnapshotStore(const SnapshotStore&) = delete;
    SnapshotStore& operator=(const SnapshotStore&) = delete;

    // Creates the bucket's stream unless it exists (file storage, rollup of descriptions allowed).
    void ensureBucket(int replicas = 1);

    // Uploads the store file `file` as the twin's snapshot, standing for the stream up to message
    // `streamSeq`, then removes the previous snapshot's chunks. Throws BusError.
    twin::opscentre::SnapshotMeta put(const std::string& file, std::uint64_t streamSeq, std::int64_t publishedAtMs);

    // The newest snapshot's description; nullopt when there is none (no bucket, no object).
    // Throws BusError (refused, unreachable) and WireError (a description that does not check).
    std::optional<twin::opscentre::SnapshotMeta> latest();

    // Downloads the snapshot into `file` (replaced), checking every chunk's size, the total and the
    // digest; `progress` gets the bytes so far. Throws WireError (the content does not check) and
    // BusError (no chunk for `stallMs`, the connection lost).
    void get(const twin::opscentre::SnapshotMeta& meta, const std::string& file,
             const std::function<void(std::uint64_t)>& progress = {}, int stallMs = 10000);

    const std::string& bucket() const { return bucket_; }

private:
    Bus& bus_;
    std::string bucket_, stream_;
    jsCtx* js_ = nullptr;   // its own context: asynchronous publishing waits on the context's acks
};

} // namespace app_nats
