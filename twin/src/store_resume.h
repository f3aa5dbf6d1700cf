// Resuming a store (StoreWriter::resume, docs/store.md "Resuming a store"): the checks that an
// existing file may be continued with a campus, and the writer's state rebuilt from what the file
// holds, so that writing goes on after the last committed frame and sample.
#pragma once

#include "sqlite_db.h"
#include "store_writer_state.h"
#include "twin/campus.h"

#include <string>
#include <vector>

namespace twin::writer {

// Throws twin::Error naming the file unless `db` is a twin store of the schema version this
// writer writes.
void checkResumable(sql::Db& db);

// What differs first between the campus a store holds and the one given (for a one-line
// message), or "" when they are the same.
std::string campusDifference(const Campus& stored, const Campus& given);

// What differs first between a series as stored and as declared again, or "" when identical.
std::string specDifference(const SeriesSpec& stored, const SeriesSpec& given);
// What differs between a job as stored and as declared again, or "" when identical.
std::string jobDifference(const Job& stored, const Job& given);

struct WriterState {
    std::vector<SeriesW> series;       // each after its last frame; the next frame is a key frame
    std::vector<SignalW> signals;      // scalar signals, with their samples not yet in a chunk
    std::vector<JobW> jobs;            // in id order
};

// Everything the writer needs to continue the store. A columnar series' open chunks are rebuilt
// from its frames after each channel's last chunk; a scalar signal's from its `sample` rows after
// its last chunk. Throws twin::Error on a damaged catalogue or frame.
WriterState loadWriterState(sql::Db& db, const Campus& campus);

} // namespace twin::writer
