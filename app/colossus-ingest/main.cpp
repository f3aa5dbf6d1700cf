// colossus-ingest: receives GPU telemetry as Prometheus remote-write and records it into a twin
// store. `colossus-ingest --help` describes the options; docs/ingest.md the mapping, the quality
// codes and the HTTP answers.
#include "nats_publisher.h"
#include "options.h"
#include "stop_signal.h"
#include "plant_receiver.h"
#include "receiver.h"
#include "scraper.h"

#include "twin/campus_file.h"
#include "twin/error.h"
#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/gpu_series.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/plant_sparkplug_names.h"
#include "twin/ingest/rack_series.h"
#include "twin/ingest/remote_write_ingest.h"
#include "twin/store.h"

#include <QCoreApplication>

#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

using namespace colossus_ingest;
using twin::TimeMs;

namespace {

int fail(int status, const std::string& message)
{
    std::fflush(stdout);
    std::fprintf(stderr, "colossus-ingest: %s\n", message.c_str());
    return status;
}

TimeMs nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The first line of the token file, without surrounding white space.
std::string readToken(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) throw twin::Error(path, "cannot read the bearer token file");
    const auto b = line.find_first_not_of(" \t\r");
    const auto e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) throw twin::Error(path, "the bearer token file's first line is empty");
    return line.substr(b, e - b + 1);
}

int writeInventory(const Options& o)
{
    const twin::Campus campus = twin::loadCampusFile(o.site);
    const auto inv = twin::ingest::Inventory::defaultFor(campus, o.gpusPerHost);
    inv.write(o.writeInventory);
    std::printf("wrote %s: %zu hosts, %lld GPUs of %s (%d GPUs a host)\n", o.writeInventory.c_str(),
                inv.hosts().size(), static_cast<long long>(inv.gpuCount()), campus.name.c_str(), o.gpusPerHost);
    return 0;
}

int writePlantMap(const Options& o)
{
    const twin::Campus campus = twin::loadCampusFile(o.site);
    const twin::ingest::PlantLayout layout(campus);
    const auto map =
        twin::ingest::PlantMap::defaultFor(layout, std::string(twin::ingest::sparkplug::kDefaultGroup));
    map.write(o.writePlantMap);
    std::printf("wrote %s: %zu rows for the plant of %s (Sparkplug group '%s', as colossus-sim --sparkplug sends it)\n",
                o.writePlantMap.c_str(), map.rows().size(), campus.name.c_str(),
                std::string(twin::ingest::sparkplug::kDefaultGroup).c_str());
    return 0;
}

struct FrameStats {
    std::int64_t frames = 0, late = 0;
    twin::ingest::GpuFrame last;
    twin::ingest::RackFrame racks;
};

// The GPUs' part of the minute's line (remote-write and scrapes).
void appendGpuReport(std::string& line, const FrameStats& f, const ReceiverInterval& r, Scraper* scraper)
{
    line += " | GPUs " + std::to_string(f.last.good) + " good, " + std::to_string(f.last.stale) + " stale, " +
            std::to_string(f.last.missing) + " missing";
    if (f.racks.sensed) line += " | racks: " + std::to_string(f.racks.sensed) + " by a power sensor";
    line += " | " + (scraper && !r.counts.requests ? std::string("no remote-write") : twin::ingest::describe(r.counts));
    if (r.unauthorized || r.unsupported || r.tooLarge || r.busy || r.limited)
        line += " | answered 401 x" + std::to_string(r.unauthorized) + ", 413 x" + std::to_string(r.tooLarge) +
                ", 415 x" + std::to_string(r.unsupported) + ", 503 x" + std::to_string(r.busy + r.limited) +
                (r.limited ? " (" + std::to_string(r.limited) + " over the request rate)" : std::string());
    if (!r.firstError.empty()) line += " | first error: " + r.firstError;
    if (!r.firstNotice.empty()) line += " | first notice: " + r.firstNotice;
    if (scraper) line += describe(scraper->take(), scraper->targets());
}

// What each source brought since the last line. `gpus`: the GPU path runs (an inventory given).
void printReport(const FrameStats& f, bool gpus, Receiver* receiver, Scraper* scraper, PlantReceiver* plant,
                 const char* prefix = "")
{
    std::string line = prefix + twin::formatUtc(nowMs()) + " " + std::to_string(f.frames) + " frames";
    if (f.late) line += " (" + std::to_string(f.late) + " ticks missed)";
    if (gpus) appendGpuReport(line, f, receiver ? receiver->take() : ReceiverInterval{}, scraper);
    if (plant) line += " | " + plant->report();   // after the GPUs' part, whose layout stays as it was
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

int run(const Options& o)
{
    const twin::Campus campus = twin::loadCampusFile(o.site);
    // Either source alone is allowed: the GPUs (remote-write, scrapes) need an inventory, the
    // plant --mqtt.
    std::optional<twin::ingest::Inventory> inventory;
    if (!o.inventory.empty()) inventory.emplace(twin::ingest::Inventory::load(o.inventory, campus));
    std::unique_ptr<PlantReceiver> plant;
    if (!o.mqtt.empty()) plant = std::make_unique<PlantReceiver>(o, campus);   // a bad plant map stops here
    std::error_code ec;
    const bool resuming = !o.force && std::filesystem::exists(o.out, ec);   // same campus, else refused
    const std::string token = o.bearerTokenFile.empty() ? std::string() : readToken(o.bearerTokenFile);

    // The GPU path: assemblers, remote-write and scrape decoding, the receiver and the scraper.
    std::unique_ptr<twin::ingest::FrameAssembler> assembler;
    std::unique_ptr<twin::ingest::RackAssembler> racks;
    std::unique_ptr<twin::ingest::RemoteWriteIngest> ingest;
    std::unique_ptr<twin::ingest::ScrapeIngest> scrapeIngest;
    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Scraper> scraper;
    // The writer is behind when no frame was written for three periods (at least 3 s): senders
    // then get 503 and retry the batch later, rather than having it dropped.
    std::atomic<TimeMs> lastFrameDone{nowMs()};
    const TimeMs behindAfter = std::max<TimeMs>(3 * o.periodMs, 3000);
    int port = 0;
    if (inventory) {
        assembler = std::make_unique<twin::ingest::FrameAssembler>(campus, twin::ingest::AssemblerOptions{o.staleAfterMs});
        racks = std::make_unique<twin::ingest::RackAssembler>(campus, twin::ingest::AssemblerOptions{o.staleAfterMs});
        ingest = std::make_unique<twin::ingest::RemoteWriteIngest>(
            *inventory, *assembler,
            twin::ingest::DecodeLimits{.maxBodyBytes = o.maxBodyBytes, .maxDecodedBytes = 8 * o.maxBodyBytes}, racks.get());
        scrapeIngest = std::make_unique<twin::ingest::ScrapeIngest>(*inventory, *assembler, racks.get(),
                                                                     twin::ingest::ExpositionLimits{.maxBodyBytes = o.maxBodyBytes});
        if (!o.scrapeUrls.empty())
            scraper = std::make_unique<Scraper>(
                ScrapeConfig{o.scrapeUrls, o.scrapeIntervalMs, o.scrapeTimeoutMs, o.scrapeCa,
                             o.scrapeBearerTokenFile.empty() ? std::string() : readToken(o.scrapeBearerTokenFile),
                             o.threads},
                *scrapeIngest);
        if (o.listen) {
            ReceiverConfig config;
            config.host = o.listenHost;
            config.port = o.listenPort;
            config.threads = o.threads;
            config.maxBodyBytes = o.maxBodyBytes;
            config.bearerToken = token;
            config.tlsCert = o.tlsCert;
            config.tlsKey = o.tlsKey;
            config.writerBehind = [&] { return nowMs() - lastFrameDone.load() > behindAfter; };
            config.maxRequestsPerSecond = o.maxRequestsPerSecond;
            receiver = std::make_unique<Receiver>(config, *ingest);
            port = receiver->bind();   // before the store: a port in use leaves no file behind
        }
    }

    twin::WriterOptions writerOptions;
    writerOptions.overwrite = o.force;
    writerOptions.resume = true;
    auto store = twin::StoreWriter::create(o.out, campus, writerOptions);
    std::optional<twin::ingest::GpuSeriesWriter> series;
    std::optional<twin::ingest::RackSeriesWriter> rackSeries;
    if (inventory) {
        series.emplace(*store, o.periodMs);
        rackSeries.emplace(*store, campus, racks->halls(), o.periodMs);
    }
    if (plant) plant->addSeries(*store, o.periodMs);
    if (resuming) {
        const auto last = series ? store->lastFrameTime(series->gpuSeries()) : std::nullopt;
        std::printf("colossus-ingest: resuming %s%s\n", o.out.c_str(),
                    series ? (" after its last frame (" + (last ? twin::formatUtc(*last) : std::string("none yet")) + ")").c_str()
                           : "");
    }
    std::unique_ptr<app_nats::NatsPublisher> publisher;
    if (!o.publish.empty()) {
        store->commit();   // the catalogue, before the publisher reads it
        auto address = *twin::opscentre::parseBusAddress(o.publish);
        o.bus.applyTo(address);
        publisher = std::make_unique<app_nats::NatsPublisher>(address, o.out, app_nats::Retention{.replicas = o.bus.replicas},
                                                            o.bus.snapshots);
        try {
            publisher->start();
        } catch (const app_nats::BusError& e) {
            return fail(1, std::string("--publish: ") + e.what());
        }
        std::printf("colossus-ingest: publishing to %s\n", address.display().c_str());
    }
    app_common::installStopHandler();
    if (inventory) {
        if (receiver) receiver->start();
        if (scraper) scraper->start();
        const std::string listening = receiver ? std::string("listening on ") + (receiver->tls() ? "https" : "http") +
                                                     "://" + o.listenHost + ":" + std::to_string(port) + "/api/v1/write" +
                                                     (token.empty() ? "" : " (bearer token)")
                                               : std::string("not listening");
        const std::string scraping = scraper ? "; scraping " + std::to_string(scraper->targets()) + " targets every " +
                                                   std::to_string(o.scrapeIntervalMs) + " ms"
                                             : std::string();
        std::printf("colossus-ingest: %s%s; %lld of %lld GPUs of %s on %zu hosts; a frame every %lld ms into %s\n",
                    listening.c_str(), scraping.c_str(), static_cast<long long>(inventory->gpuCount()),
                    static_cast<long long>(campus.gpuCount()), campus.name.c_str(), inventory->hosts().size(),
                    static_cast<long long>(o.periodMs), o.out.c_str());
    }
    if (plant) {
        plant->start();
        std::printf("colossus-ingest: %s; a frame every %lld ms into %s\n", plant->describeStart().c_str(),
                    static_cast<long long>(o.periodMs), o.out.c_str());
    }
    std::fflush(stdout);

    FrameStats stats;
    int status = 0;
    TimeMs nextReport = nowMs() + o.reportEveryMs;
    const bool gpus = inventory.has_value();
    try {
        TimeMs tick = (nowMs() / o.periodMs + 1) * o.periodMs;   // frames on whole periods of UTC
        while (!app_common::stopRequested()) {
            // Short naps: a stop signal is answered within 50 ms.
            for (TimeMs now = nowMs(); !app_common::stopRequested() && now < tick; now = nowMs())
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min<TimeMs>(tick - now, 50)));
            if (app_common::stopRequested()) break;
            if (gpus) {
                assembler->snapshot(tick, stats.last);
                series->write(stats.last);
                racks->snapshot(stats.last, stats.racks);
                rackSeries->write(stats.racks);
            }
            if (plant) plant->writeFrame(tick);
            store->commit();   // a viewer tailing the store sees each frame
            if (publisher) publisher->poke();
            ++stats.frames;
            const TimeMs done = nowMs();
            lastFrameDone.store(done);
            const TimeMs next = (done / o.periodMs + 1) * o.periodMs;
            stats.late += (next - tick) / o.periodMs - 1;   // ticks skipped while writing
            tick = next;
            if (done >= nextReport) {
                printReport(stats, gpus, receiver.get(), scraper.get(), plant.get());
                stats.frames = stats.late = 0;
                nextReport = done + o.reportEveryMs;
            }
        }
    } catch (const std::exception& e) {   // the store refused a write (disk full, ...)
        status = fail(1, e.what());
    }
    if (scraper) scraper->stop();
    if (receiver) receiver->stop();
    if (plant) plant->stop();
    printReport(stats, gpus, receiver.get(), scraper.get(), plant.get(), "last: ");
    store->close();
    if (publisher) publisher->stop();   // what is left goes out first
    std::printf("colossus-ingest: %s closed\n", o.out.c_str());
    return status;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("colossus-ingest");
    QCoreApplication::setApplicationVersion(COLOSSUS_VERSION);
    std::signal(SIGPIPE, SIG_IGN);   // a sender that hangs up must not end the process

    Options options;
    try {
        options = parseOptions(QCoreApplication::arguments());
    } catch (const UsageError& e) {
        return fail(2, e.what());
    }
    try {
        switch (options.action) {
        case Action::Help: std::fputs(options.helpText.c_str(), stdout); return 0;
        case Action::Version: std::printf("colossus-ingest %s\n", COLOSSUS_VERSION); return 0;
        case Action::WriteInventory: return writeInventory(options);
        case Action::WritePlantMap: return writePlantMap(options);
        case Action::Run: {
            const int status = run(options);
            app_nats::closeLibrary();   // the publisher is gone: libnats' threads end before exit
            return status;
        }
        }
    } catch (const std::exception& e) {   // twin::Error names the file and the problem
        app_nats::closeLibrary();
        return fail(1, e.what());
    }
    return 0;
}
