// Slice export: a time range of a recording as a new, complete twin store that opens on its own
// (to share an incident). docs/store.md, "Review files and slices".
#pragma once

#include "twin/error.h"
#include "twin/store.h"

#include <functional>
#include <string>

namespace twin {

class ReviewFile;

struct SliceOptions {
    bool overwrite = false;           // replace an existing file at outPath (only once the slice is complete)
    // false: events overlapping the range keep their original start and end, so the slice's
    // span() may reach outside [t0, t1] when an event crosses a boundary. true: their start and
    // end are clipped to [t0, t1].
    bool clipEvents = false;
    bool recordingBookmarks = true;   // copy the recording's bookmarks in [t0, t1]
    ReviewFile* review = nullptr;     // also copy this review's own bookmarks in [t0, t1] (it must
                                      // be the review of `source`)
    // false: leave out the series of every GPU (AssetSet::Gpus: "gpu" and an ingested store's
    // "gpu_quality"), by far the largest part of a recording; racks, plant, jobs and events stay.
    bool perGpuData = true;
    int zstdLevel = 1;                // as WriterOptions
    int threads = 2;
};

// The export was cancelled by its progress callback; the partial output was removed.
class SliceCancelled : public Error {
public:
    using Error::Error;
};

// Writes a new store at outPath holding the campus of `source`, every series (same specs; the
// per-GPU ones only with opts.perGpuData) with its frames in [t0, t1], every scalar signal with its samples in [t0, t1], the jobs, the events
// overlapping [t0, t1] and the bookmarks in [t0, t1]. Dense values are copied exactly as stored
// (the same quantised integers). Damaged frames and chunks are left out (source.damage() lists them). The slice is written to "<outPath>.part" and renamed to outPath
// once complete, so outPath never holds a partial slice.
//
// progress(fraction in [0, 1]) is called as the work advances (may be empty); returning false
// cancels: the partial file is removed and SliceCancelled is thrown.
// Throws twin::Error naming the file and the problem: outPath is the source (or its review
// file), it exists and overwrite is false, t1 <= t0 (empty range), the range lies outside the
// recording's span, the recording is empty, or the output cannot be written.
void exportSlice(StoreReader& source, const std::string& outPath, TimeMs t0, TimeMs t1,
                 const SliceOptions& opts = {}, std::function<bool(double fraction)> progress = {});

} // namespace twin
