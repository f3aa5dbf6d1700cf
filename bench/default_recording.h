// The benchmarks' shared recording: 20 s of steady training on the default ~1M-GPU campus, made
// once in the temporary directory and made again when an older one no longer opens.
#pragma once

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <cstdio>
#include <filesystem>
#include <string>

inline std::string defaultRecording(const std::string& name) {
    const std::string store = (std::filesystem::temp_directory_path() / name).string();
    if (std::filesystem::exists(store)) {
        try {
            twin::StoreReader::open(store);
            return store;
        } catch (const twin::Error&) {   // e.g. written by an older schema
            std::filesystem::remove(store);
        }
    }
    std::fprintf(stderr, "recording 20 s of the default campus into %s\n", store.c_str());
    const twin::Campus campus = twin::loadCampusFile(std::string(COLOSSUS_SOURCE_DATA_DIR) + "/sites/colossus.json");
    auto w = twin::StoreWriter::create(store, campus);
    twin::sim::Simulator s(campus, twin::sim::scenario("steady-training", 20));
    s.attach(*w);
    s.run(20);
    w->close();
    return store;
}
