// The publisher's side of the opscentre protocol, without a network: reads what a twin store
// gained since a set of high-water marks (rowids of frames and chunks, ids of events, bookmarks
// and catalogue rows, the last sample time of each scalar signal, the events still open). Any
// writer's store works — StoreWriter's, a third party's, one killed and resumed — and a
// publisher that was away (the bus down, the program restarted) publishes the backlog on return.
#pragma once

#include "twin/opscentre/changes.h"

#include <memory>
#include <string>

namespace twin::sql {
class Db;
}

namespace twin::opscentre {

class StoreTailer {
public:
    // Opens the store read-only; throws twin::Error.
    explicit StoreTailer(const std::string& path);
    ~StoreTailer();

    // The campus (meta and the campus tables) and the whole catalogue: a newcomer's first message.
    Changes campus();
    // What the store holds beyond `from`, read in one snapshot; its marks are where the next read
    // starts. Frames stop after about `frameBudget` bytes of frame data (at a frame's end), the
    // rest comes with the next call. Empty when there is nothing new.
    Changes since(const Marks& from, std::size_t frameBudget = 64u << 20);
    // The marks of everything the store holds now (a publisher that starts at the end).
    Marks now();

private:
    std::string path_;
    std::unique_ptr<sql::Db> db_;
};

} // namespace twin::opscentre
