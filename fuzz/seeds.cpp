#include "seeds.h"

#include "fuzz_support.h"
#include "codec.h"
#include "ingest_bodies.h"   // tests/: remote-write bodies as a sender builds them
#include "wall/wall_layout.h"

#include "twin/ingest/inventory.h"
#include "twin/ingest/plant_map.h"
#include "twin/ingest/sparkplug_payload.h"
#include "twin/opscentre/changes.h"
#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"
#include "twin/review_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

// The targets, renamed from LLVMFuzzerTestOneInput when built into the smoke driver
// (fuzz/CMakeLists.txt).
extern "C" {
int fuzz_campus_file(const unsigned char*, std::size_t);
int fuzz_segment(const unsigned char*, std::size_t);
int fuzz_chunk(const unsigned char*, std::size_t);
int fuzz_review_file(const unsigned char*, std::size_t);
int fuzz_wall_layout(const unsigned char*, std::size_t);
int fuzz_remote_write(const unsigned char*, std::size_t);
int fuzz_exposition(const unsigned char*, std::size_t);
int fuzz_sparkplug(const unsigned char*, std::size_t);
int fuzz_plant_map(const unsigned char*, std::size_t);
int fuzz_inventory(const unsigned char*, std::size_t);
int fuzz_store(const unsigned char*, std::size_t);
int fuzz_opscentre(const unsigned char*, std::size_t);
}

namespace fuzz {

const std::vector<Target>& targets()
{
    static const std::vector<Target> all = {
        {"campus_file", fuzz_campus_file},   {"segment", fuzz_segment},
        {"chunk", fuzz_chunk},               {"review_file", fuzz_review_file},
        {"wall_layout", fuzz_wall_layout},   {"remote_write", fuzz_remote_write},
        {"exposition", fuzz_exposition},     {"sparkplug", fuzz_sparkplug},
        {"plant_map", fuzz_plant_map},       {"inventory", fuzz_inventory},
        {"store", fuzz_store},
        {"opscentre", fuzz_opscentre},
    };
    return all;
}

namespace {

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string bytes(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

// The first `n` lines of a text.
std::string head(const std::string& text, int n)
{
    std::size_t at = 0;
    for (int i = 0; i < n && at != std::string::npos; ++i) {
        at = text.find('\n', at);
        if (at != std::string::npos) ++at;
    }
    return at == std::string::npos ? text : text.substr(0, at);
}

std::vector<std::string> segments()
{
    twin::codec::Compressor c(1);
    std::vector<std::string> out;
    const std::size_t n = 96;
    std::vector<std::int32_t> a(n), b(n), key(n);
    for (std::size_t i = 0; i < n; ++i) {
        key[i] = 700 + static_cast<int>(i % 7) * 3;
        a[i] = static_cast<std::int32_t>(i * i);
        b[i] = key[i] + (i == 40 ? 100000 : 1);
    }
    std::vector<std::uint8_t> blob;
    const std::int32_t* q1[] = {key.data(), a.data()};
    twin::codec::encodeSegment(c, q1, {}, n, blob);
    out.push_back(bytes(blob));
    const std::int32_t* q2[] = {b.data(), key.data()};
    const std::int32_t* k2[] = {key.data(), key.data()};
    twin::codec::encodeSegment(c, q2, k2, n, blob);
    out.push_back(bytes(blob));
    return out;
}

std::vector<std::string> chunks()
{
    twin::codec::Compressor c(1);
    std::vector<std::int64_t> t;
    std::vector<double> v;
    for (int i = 0; i < 64; ++i) {
        t.push_back(1'790'000'000'000 + i * 1000 + (i % 5 == 0 ? 3 : 0));
        v.push_back(i % 9 == 0 ? -1.5 : 50.0 + i * 0.01);
    }
    std::vector<std::uint8_t> blob;
    twin::codec::encodeChunk(c, t, v, blob);
    std::vector<std::string> out{bytes(blob)};
    twin::codec::encodeChunk(c, std::span(t).first(1), std::span(v).first(1), blob);
    out.push_back(bytes(blob));
    return out;
}

std::string reviewFile()
{
    const std::string path = scratchDir() + "/seed.review";
    std::filesystem::remove(path);
    {
        auto review = twin::ReviewFile::openAt(path, tinyRecording());
        review->addBookmark(2'000, "trip", "turbine 3 tripped");
        review->addBookmark(5'000, "restored");
        review->setEventNote(1, "checked on site");
        review->acknowledge(1, "operator", 3'000);
    }
    return readFile(path);
}

std::vector<std::string> remoteWrite()
{
    using ingest_test::series;
    const auto defs = std::vector<ingest_test::SeriesDef>{
        series("DCGM_FI_DEV_POWER_USAGE", "h1", 0, {{1'790'000'000'000, 512.5}, {1'790'000'001'000, 530}}),
        series("DCGM_FI_DEV_GPU_TEMP", "h1", 1, {{1'790'000'000'000, 61}}),
        {{{"__name__", "up"}, {"job", "dcgm"}}, {{1'790'000'000'000, 1}}},
    };
    return {ingest_test::body(defs), ingest_test::body({})};
}

std::vector<std::string> exposition()
{
    return {
        "# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).\n"
        "# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n"
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",UUID=\"GPU-a\",Hostname=\"h1\",modelName=\"NVIDIA H100 80GB HBM3\"} 45\n"
        "DCGM_FI_DEV_POWER_USAGE{gpu=\"1\",Hostname=\"h1\"} 512.25 1790000000000\n"
        "rack_power_watts{rack=\"hall1/r001\",note=\"a \\\"quoted\\\" \\\\ value\\n\"} +Inf\n"
        "up NaN\n"
        "# EOF\n",
        "metric_without_labels 1e3\r\nother{} -0.5 -1\r\n",
    };
}

std::vector<std::string> sparkplug()
{
    namespace sp = twin::ingest::sparkplug;
    sp::Payload birth;
    birth.timestamp = 1'790'000'000'000;
    birth.seq = 0;
    birth.metrics = {sp::uint64Metric("bdSeq", 3), sp::booleanMetric("Node Control/Rebirth", false),
                     sp::doubleMetric("power", 1, 12000.5), sp::int32Metric("state", 2, -1)};
    sp::Payload data;
    data.timestamp = 1'790'000'001'000;
    data.seq = 1;
    sp::Metric m = sp::doubleMetric("", 1, 11950.0);
    m.name.clear();
    data.metrics = {m};
    return {sp::encode(birth), sp::encode(data), sp::rebirthRequest(1'790'000'000'000),
            "spBv1.0/colossus/DDATA/plant/gts01"};
}

std::vector<std::string> plantMap()
{
    static const twin::ingest::PlantLayout layout(smallCampus());
    const std::string text = twin::ingest::PlantMap::defaultFor(layout, "colossus").text();
    return {head(text, 12),
            "kind,topic,field,asset,quantity,scale,offset,stale_after\n"
            "json,plant/*/power,value,*,power,0.001,0,\n"
            "json,bess/soc,soc,testsite/bess01,soc,1,0,5\n"};
}

std::vector<std::string> inventory()
{
    const std::string csv = twin::ingest::Inventory::defaultFor(smallCampus(), 8).toCsv();
    return {head(csv, 10)};
}

// Patches of fuzz_store: none (the store as written), then 16 bytes at each 1/16 of the file.
std::vector<std::string> storePatches()
{
    std::vector<std::string> seeds{std::string()};
    const std::size_t size = telemetryStoreBytes().size();
    for (int k = 1; k < 16; ++k) {
        const std::uint32_t at = static_cast<std::uint32_t>(size / 16 * k);
        std::string p{static_cast<char>(at), static_cast<char>(at >> 8), static_cast<char>(at >> 16),
                      static_cast<char>(at >> 24), char(16)};
        for (int i = 0; i < 16; ++i) p += static_cast<char>(0x5a ^ (i * 37));
        seeds.push_back(p);
    }
    return seeds;
}

// The short run's commits as a publisher reads them: the change sets (bodies), and one of them as
// the parts it would go out in (a target input is fed both ways).
std::vector<std::string> opscentre()
{
    using namespace twin::opscentre;
    StoreTailer tailer(shortRunPath());
    const Changes all = tailer.since({});
    Marks half;
    half.frameRowid = all.marks.frameRowid / 2;
    const Changes rest = tailer.since(all.marks);   // nothing new: an empty commit with marks
    const auto body = encodeChanges(all);
    std::vector<std::string> seeds = {bytes(body), bytes(encodeChanges(tailer.since(half))), bytes(encodeChanges(rest))};
    for (const auto& part : splitIntoParts(Kind::Commit, 7, body, 2048)) {
        seeds.push_back(bytes(part));
        if (seeds.size() > 6) break;
    }
    return seeds;
}

std::vector<std::string> generated(const std::string& target)
{
    if (target == "campus_file")
        return {readFile(COLOSSUS_SOURCE_DATA_DIR "/sites/small.json")};
    if (target == "segment") return segments();
    if (target == "chunk") return chunks();
    if (target == "review_file") return {reviewFile()};
    if (target == "wall_layout") return {wall::toJson(wall::defaultLayout()).toStdString()};
    if (target == "remote_write") return remoteWrite();
    if (target == "exposition") return exposition();
    if (target == "sparkplug") return sparkplug();
    if (target == "plant_map") return plantMap();
    if (target == "inventory") return inventory();
    if (target == "store") return storePatches();
    if (target == "opscentre") return opscentre();
    return {};
}

} // namespace

std::vector<std::string> seedsFor(const std::string& target)
{
    std::vector<std::string> seeds = generated(target);
    const std::filesystem::path kept = std::filesystem::path(FUZZ_CORPUS_DIR) / target;
    if (std::filesystem::is_directory(kept)) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(kept))
            if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) seeds.push_back(readFile(f));
    }
    return seeds;
}

} // namespace fuzz
