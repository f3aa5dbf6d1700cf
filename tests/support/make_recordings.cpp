// twin-test-recordings DIR [NAME...]: the shared small-campus recordings of support/recordings.h,
// made once per ctest run (the setup of the fixture small_recordings, tests/CMakeLists.txt) into
// DIR, written read-only. Without NAMEs: every one, in a DIR emptied first. Each is the recording
// its tests simulated for themselves before: same campus file, scenario, parameters, duration
// and seed, and the same events and bookmarks added by hand.
#include "support/events.h"
#include "support/recordings.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

using namespace twin;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

// The first events both event lists below add, in this order: on a rack, a GPU, a bus, the campus.
void addFirstEvents(StoreWriter& w, const Campus& c, const sim::Params& p) {
    addEvent(w, p.start, 5'000, 8'000, Severity::Info, c.assets[c.racks().front()].id, "door_open", "Rack door opened");
    addEvent(w, p.start, 12'000, {}, Severity::Warning, c.gpuId(7), "gpu_ecc", "Correctable ECC errors rising");
    addEvent(w, p.start, 25'000, 27'000, Severity::Alarm, c.assets[c.assetsOfKind(AssetKind::Bus).front()].id, "voltage_low",
             "Bus voltage low");
    addEvent(w, p.start, 30'000, {}, Severity::Info, "", "operator_note", "Shift change");
}

// One of each severity on each sort of asset an event can name (test_common, test_timeline).
void addListEvents(StoreWriter& w, const Campus& c, const sim::Params& p) {
    addFirstEvents(w, c, p);
    addEvent(w, p.start, 40'000, 50'000, Severity::Critical, c.assets[c.assetsOfKind(AssetKind::Hall).front()].id,
             "coolant_leak", "Coolant leak under the floor");
    addEvent(w, p.start, 45'000, {}, Severity::Warning, c.assets[c.sites.front().asset].id + "/job01", "job_slow",
             "Step time 20% above nominal");
}

// For event navigation (test_review_ui): one of each severity on each sort of asset, two sharing a
// start (a pile), and a bookmark of the recording's own.
void addReviewEventsAndBookmark(StoreWriter& w, const Campus& c, const sim::Params& p) {
    addFirstEvents(w, c, p);
    addEvent(w, p.start, 33'000, {}, Severity::Warning, c.assets[c.racks().back()].id, "rack_hot", "Rack inlet hot");
    addEvent(w, p.start, 33'000, {}, Severity::Critical, c.assets[c.assetsOfKind(AssetKind::Hall).back()].id, "coolant_leak",
             "Leak");
    addEvent(w, p.start, 45'000, {}, Severity::Warning, c.assets[c.sites.front().asset].id + "/job01", "job_slow",
             "Step time 20% above nominal");
    addEvent(w, p.start, 52'000, {}, Severity::Warning, "", "campus_note", "Campus-wide warning");
    Bookmark b;
    b.t = p.start + 20'000;
    b.name = "Recorded mark";
    b.note = "written by the recorder";
    w.addBookmark(b);
}

void make(const std::string& name, const std::string& out) {
    namespace r = recordings;
    if (name == r::kTrip60) {
        recordScenario("small.json", sim::scenario("turbine-trip", 60), 60, out);
    } else if (name == r::kTrip30) {
        recordScenario("small.json", sim::scenario("turbine-trip", 30), 30, out);
    } else if (name == r::kTripEarly45 || name == r::kTripLate45) {
        auto p = sim::scenario("turbine-trip", 45);
        p.tripAtS = name == r::kTripEarly45 ? 15 : 30;
        recordScenario("small.json", p, 45, out);
    } else if (name == r::kCrash60) {
        auto p = sim::scenario("job-crash", 60);
        p.crashAtS = 30;
        recordScenario("small.json", p, 60, out);
    } else if (name == r::kCompute60) {
        sim::Params p = sim::scenario("steady-training", 60);
        p.jobRacks = 2;               // several jobs on 7 racks
        p.gpuFailuresPerHour = 240;   // about 4 failures in the minute
        p.stallS = 10;                // the jobs they stall restart within the minute
        recordScenario("small.json", p, 60, out);
    } else if (name == r::kIslanded120) {
        // No grid import: the Megapack block discharges to carry the load and charges when the
        // turbines have room (both signs occur in two minutes).
        sim::Params p = sim::scenario("steady-training", 120);
        p.gridImportLimitMw = 0;
        p.recordGpus = false;
        recordScenario("small.json", p, 120, out);
    } else if (name == r::kTripEvents60) {
        recordScenario("small.json", sim::scenario("turbine-trip", 60), 60, out, addListEvents);
    } else if (name == r::kTripReview60) {
        recordScenario("small.json", sim::scenario("turbine-trip", 60), 60, out, addReviewEventsAndBookmark);
    } else {
        throw std::runtime_error(name + ": no such shared recording (support/recordings.h lists them)");
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [NAME...]\n", argv[0]);
        return 2;
    }
    const fs::path dir = argv[1];
    std::vector<std::string> names(argv + 2, argv + argc);
    try {
        if (names.empty()) {
            namespace r = recordings;
            names = {r::kTrip60,   r::kTrip30,      r::kTripEarly45,   r::kTripLate45,   r::kCrash60,
                     r::kCompute60, r::kIslanded120, r::kTripEvents60, r::kTripReview60};
            fs::remove_all(dir);   // nothing of an earlier run (-wal, -shm, review files) left
        }
        fs::create_directories(dir);
        for (const std::string& name : names) {
            const auto started = std::chrono::steady_clock::now();
            const fs::path out = dir / name, part = dir / (name + ".part");
            make(name, part.string());
            fs::remove(out);
            fs::rename(part, out);
            fs::permissions(out, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
            std::printf("%s: %.1f s, %ju bytes\n", out.c_str(),
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                        static_cast<std::uintmax_t>(fs::file_size(out)));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "twin-test-recordings: %s\n", e.what());
        return 1;
    }
    return 0;
}
