#include "fuzz_support.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace fuzz {

const twin::Campus& smallCampus()
{
    static const twin::Campus campus = twin::loadCampusFile(COLOSSUS_SOURCE_DATA_DIR "/sites/small.json");
    return campus;
}

namespace {
struct Scratch {
    std::string dir;
    Scratch()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "colossus-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data())) std::abort();
        dir = pattern;
    }
    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};
} // namespace

const std::string& scratchDir()
{
    static const Scratch scratch;
    return scratch.dir;
}

const std::string& tinyRecordingPath()
{
    static const std::string path = [] {
        const std::string p = scratchDir() + "/tiny.twin";
        twin::WriterOptions options;
        options.overwrite = true;
        auto writer = twin::StoreWriter::create(p, smallCampus(), options);
        writer->addBookmark({0, 1'000, "start", "a bookmark of the recording"});
        writer->close();
        return p;
    }();
    return path;
}

const std::string& shortRunPath()
{
    static const std::string path = [] {
        const std::string p = scratchDir() + "/short-run.twin";
        twin::WriterOptions options;
        options.overwrite = true;
        auto writer = twin::StoreWriter::create(p, smallCampus(), options);
        twin::sim::Simulator sim(smallCampus(), twin::sim::scenario("turbine-trip", 3));
        sim.attach(*writer);
        sim.run(3);
        writer->addEvent({0, 1'000, std::nullopt, twin::Severity::Alarm, "", "fuzz", "an open event"});
        writer->addBookmark({0, 1'000, "start", "a bookmark"});
        writer->close();
        return p;
    }();
    return path;
}

twin::StoreReader& tinyRecording()
{
    static const std::unique_ptr<twin::StoreReader> reader = twin::StoreReader::open(tinyRecordingPath());
    return *reader;
}

} // namespace fuzz
