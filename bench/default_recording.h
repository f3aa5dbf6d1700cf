// The benchmarks' shared recordings of the default ~1M-GPU campus, made once in the temporary
// directory and made again when an older one no longer opens:
//   defaultRecording    20 s of steady training, every GPU recorded
//   recording(...)      any scenario and length (e.g. a 24-hour plant-only day: 5 min, 2.6 GB)
#pragma once

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <cstdio>
#include <filesystem>
#include <string>

inline std::string recording(const std::string& name, const std::string& scenario, double seconds, bool recordGpus) {
    const std::string store = (std::filesystem::temp_directory_path() / name).string();
    if (std::filesystem::exists(store)) {
        try {
            twin::StoreReader::open(store);
            return store;
        } catch (const twin::Error&) {   // e.g. written by an older schema
            std::filesystem::remove(store);
        }
    }
    std::fprintf(stderr, "recording %.0f s of %s on the default campus%s into %s\n", seconds, scenario.c_str(),
                 recordGpus ? "" : " (plant, halls and jobs; no GPUs)", store.c_str());
    const twin::Campus campus = twin::loadCampusFile(std::string(COLOSSUS_SOURCE_DATA_DIR) + "/sites/colossus.json");
    auto w = twin::StoreWriter::create(store + ".part", campus, {.overwrite = true});
    twin::sim::Params params = twin::sim::scenario(scenario, seconds);
    params.recordGpus = recordGpus;
    twin::sim::Simulator s(campus, params);
    s.attach(*w);
    s.run(seconds);
    w->close();
    w.reset();
    std::filesystem::rename(store + ".part", store);   // an interrupted run leaves no half store
    return store;
}

inline std::string defaultRecording(const std::string& name) { return recording(name, "steady-training", 20, true); }
