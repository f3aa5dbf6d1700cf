// What StoreWriter keeps per series and per scalar signal between calls: shared by the writer
// (store_writer.cpp) and by resuming, which rebuilds it from an existing store (store_resume.cpp).
#pragma once

#include "twin/store.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace twin::writer {

struct Pending {                       // samples of one channel not yet in a chunk
    std::vector<TimeMs> t;
    std::vector<double> v;
    std::size_t persisted = 0;         // how many of them are already rows of `sample`
};

struct SeriesW {
    int id = 0;
    SeriesSpec spec;
    std::int64_t count = 0;
    std::size_t segments = 0;
    std::vector<std::vector<std::int32_t>> key, cur;   // [q][asset], quantised
    TimeMs keyT = 0, lastT = std::numeric_limits<TimeMs>::min();
    int sinceKey = 0;                                  // 0: the next frame is a key frame
    std::vector<std::string> assetIds;                 // for messages (List / Racks / Jobs)
    std::vector<int> channelSignal;                    // columnar: signal id of [pos * nq + q]
    std::vector<Pending> channels;                     // columnar: open chunks
};

struct SignalW {
    int id = 0;
    std::string asset, quantity, unit;
    TimeMs lastT = std::numeric_limits<TimeMs>::min();
    Pending pending;
};

struct JobW {
    int id = 0;
    Job job;                           // as declared (racks in the store's order)
};

} // namespace twin::writer
