#include "fuzz_support.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>
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

const std::string& telemetryStoreBytes()
{
    static const std::string bytes = [] {
        const std::string p = scratchDir() + "/telemetry.twin";
        twin::WriterOptions options;
        options.overwrite = true;
        {
            auto w = twin::StoreWriter::create(p, smallCampus(), options);
            const int racks = w->addSeries({"rack", twin::AssetSet::Racks, {}, {{"power", "W", 1}}, 1000, 4, 4, false});
            std::vector<std::string> plantAssets;
            for (const auto& a : smallCampus().assets)
                if (plantAssets.size() < 3 && a.kind != twin::AssetKind::Rack && a.kind != twin::AssetKind::Site)
                    plantAssets.push_back(a.id);
            const int plant = w->addSeries({"plant", twin::AssetSet::List, plantAssets,
                                            {{"power", "MW", 0.001}, {"voltage", "kV", 0.01}}, 1000, 4, 2, true});
            const int irradiance = w->addSignal("testsite", "irradiance", "W/m2");
            const std::size_t n = smallCampus().racks().size();
            std::vector<float> p0(n), m0(3), m1(3);
            for (int f = 0; f < 24; ++f) {
                for (std::size_t i = 0; i < n; ++i) p0[i] = static_cast<float>(1000 + 10 * i + (f * 7) % 13);
                for (std::size_t i = 0; i < 3; ++i) {
                    m0[i] = static_cast<float>(5.0 + 0.001 * ((f * 31 + i) % 900));
                    m1[i] = static_cast<float>(13.8 + 0.01 * ((f + i) % 5));
                }
                const std::span<const float> rq[] = {p0};
                const std::span<const float> pq[] = {m0, m1};
                w->writeFrame(racks, 1'000 * f, rq);
                w->writeFrame(plant, 1'000 * f, pq);
                w->writeSample(irradiance, 1'000 * f, 400.0 + f);
            }
            w->addEvent({0, 3'000, 9'000, twin::Severity::Alarm, plantAssets[0], "breaker_open", "breaker opened"});
            w->close();
        }
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    return bytes;
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
