// What the fuzz targets and the seed generator share: the small campus and a tiny recording made
// once per process (the review file needs a recording to belong to).
#pragma once

#include "twin/campus.h"
#include "twin/store.h"

#include <string>

namespace fuzz {

const twin::Campus& smallCampus();          // data/sites/small.json
// A folder of this process under the temporary folder (removed at exit).
const std::string& scratchDir();
// A store of the small campus with one bookmark and no frames, made on first use.
twin::StoreReader& tinyRecording();
const std::string& tinyRecordingPath();
// The bytes of a small store with telemetry (racks and plant series, key and delta frames, a
// columnar series with chunks, a scalar signal, an event), made on first use (fuzz_store).
const std::string& telemetryStoreBytes();
// A store of the small campus with 3 s of the turbine-trip scenario, an event and a bookmark,
// made on first use: what the opscentre target's replica follows and its seeds are cut from.
const std::string& shortRunPath();

} // namespace fuzz
