// Recordings: a scenario simulated on a campus file of data/sites into a store, and the shared
// small-campus recordings.
//
// The shared recordings are made once per ctest run by twin-test-recordings
// (support/make_recordings.cpp), the setup of the ctest fixture `small_recordings`, into
// TEST_RECORDINGS_DIR in the build tree (removed again by the fixture's cleanup); the tests that
// use one say FIXTURES_REQUIRED small_recordings, so that `ctest -R test_x` makes them first too.
// They are written read-only: a test opens them as they are (StoreReader, Session and the app
// open stores read-only), or works on a copy in its own QTemporaryDir (copyRecording) when it
// changes the store or writes beside it (a review file, a slice next to the source).
#pragma once

#include "twin/campus.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <functional>
#include <string>

namespace testsupport {

// Simulates `params` for `seconds` on data/sites/`campusFile` into the store `out` (replaced if
// there); `beforeClose` may add to the store (events, bookmarks) before it is closed.
twin::sim::Summary recordScenario(
    const std::string& campusFile, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose = {});
// The same for a campus already loaded (and perhaps changed by the test).
twin::sim::Summary recordScenario(
    const twin::Campus& campus, const twin::sim::Params& params, double seconds, const std::string& out,
    const std::function<void(twin::StoreWriter&, const twin::Campus&, const twin::sim::Params&)>& beforeClose = {});

// The shared recordings, all of the small campus (data/sites/small.json) with the scenario's
// defaults (seed included) but for what is said.
namespace recordings {
inline constexpr char kTrip60[] = "trip-60.twin";                 // turbine-trip, 60 s (the largest unit trips at 20 s)
inline constexpr char kTrip30[] = "trip-30.twin";                 // turbine-trip, 30 s
inline constexpr char kTripEarly45[] = "trip-early-45.twin";      // turbine-trip, 45 s, tripAtS 15
inline constexpr char kTripLate45[] = "trip-late-45.twin";        // turbine-trip, 45 s, tripAtS 30
inline constexpr char kCrash60[] = "crash-60.twin";               // job-crash, 60 s, crashAtS 30
inline constexpr char kCompute60[] = "compute-60.twin";           // steady-training, 60 s, jobRacks 2,
                                                                  // gpuFailuresPerHour 240, stallS 10
inline constexpr char kIslanded120[] = "islanded-120.twin";       // steady-training, 120 s, gridImportLimitMw 0,
                                                                  // recordGpus false
inline constexpr char kTripEvents60[] = "trip-events-60.twin";    // turbine-trip, 60 s, six more events
                                                                  // (test_common, test_timeline)
inline constexpr char kTripReview60[] = "trip-review-60.twin";    // turbine-trip, 60 s, eight more events and
                                                                  // a bookmark of the recording (test_review_ui)
} // namespace recordings

// The path of shared recording `name` (recordings::k...); stops the test program with a message
// saying how to make it when it is not there.
std::string sharedRecording(const std::string& name);

// A writable copy of shared recording `name` at `to`; false if it could not be made.
bool copyRecording(const std::string& name, const std::string& to);

} // namespace testsupport
