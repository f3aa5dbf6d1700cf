// Whether two stores hold the same twin, through the store API only (StoreReader): the catalogue,
// every frame of every series as stored (frameTimes, frameQuantised), every sample of every
// signal (signalSamples), the events, the jobs and the bookmarks. For the opscentre's replicas.
#pragma once

#include "twin/store.h"

#include <string>

namespace testsupport {

// "" when they match, else the first difference found, in words.
std::string storeDifference(twin::StoreReader& a, twin::StoreReader& b);

// Frames of all series together (a count that a test can check grows).
std::size_t frameCount(twin::StoreReader& s);

} // namespace testsupport
