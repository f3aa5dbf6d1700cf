// colossus-sim: runs the campus simulator for a scenario and records a twin store.
// `colossus-sim --help` describes the options; docs/physics.md the simulation.
#include "dcgm_exporter.h"
#include "nats_publisher.h"
#include "options.h"
#include "stop_signal.h"
#include "report.h"
#include "sparkplug_emitter.h"

#include "twin/campus_file.h"
#include "twin/data_paths.h"
#include "twin/error.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

using namespace colossus_sim;
using Clock = std::chrono::steady_clock;

namespace {

int fail(int status, const std::string& message)
{
    std::fflush(stdout);
    std::fprintf(stderr, "colossus-sim: %s\n", message.c_str());
    return status;
}

// Runs one recorded frame (1 / gpuHz seconds) at a time and then waits until the wall clock,
// times `speed`, has caught up, so that the store grows in step with real time. Each slice is
// committed at once so a viewer tailing the store sees it.
void runLive(twin::sim::Simulator& sim, twin::StoreWriter& writer, double durationS, double speed, double sliceS,
             const std::function<void(double)>& progress, SparkplugEmitter* emitter = nullptr,
             app_nats::NatsPublisher* publisher = nullptr)
{
    const auto started = Clock::now();
    for (long k = 1; !app_common::stopRequested(); ++k) {
        const double target = std::min(durationS, static_cast<double>(k) * sliceS);
        sim.run(target, &app_common::stopFlag(), progress);
        writer.commit();
        if (emitter) emitter->flush();
        if (publisher) publisher->poke();
        const auto due = started + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(sim.timeS() / speed));
        // Short naps: a stop signal is answered within 50 ms.
        for (auto now = Clock::now(); !app_common::stopRequested() && now < due; now = Clock::now())
            std::this_thread::sleep_for(std::min<Clock::duration>(due - now, std::chrono::milliseconds(50)));
        if (target >= durationS) break;
    }
}

int run(const Options& o)
{
    twin::sim::Params params;
    try {
        params = buildParams(o);
    } catch (const UsageError& e) {
        return fail(2, e.what());
    }
    // A plant published live pretends to be a real one: its times are the wall clock's, so that a
    // receiver does not see it as old (unless --start or --set start= says otherwise).
    const bool startSet = std::any_of(o.sets.begin(), o.sets.end(), [](const auto& kv) { return kv.first == "start"; });
    if (!o.sparkplug.empty() && !startSet && !o.start)
        params.start = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count() / 1000 * 1000;
    std::error_code ec;
    if (!o.force && std::filesystem::exists(o.out, ec))
        return fail(1, o.out + ": already exists (--force overwrites it)");

    const twin::Campus campus = twin::loadCampusFile(o.site);
    // Built before the store, so that a parameter the campus cannot honour (an unknown unit,
    // hall or block) leaves no file behind; that is a bad argument too.
    std::optional<twin::sim::Simulator> built;
    try {
        built.emplace(campus, params);
    } catch (const twin::Error& e) {
        return fail(2, e.what());
    }
    twin::sim::Simulator& sim = *built;
    const auto exporter = makeExporter(o, campus, sim);   // its ports bound before the store is made
    std::unique_ptr<SparkplugEmitter> emitter;
    if (!o.sparkplug.empty()) {
        try {
            emitter = std::make_unique<SparkplugEmitter>(o.sparkplug, campus);
        } catch (const std::invalid_argument& e) {
            return fail(2, std::string("--sparkplug: ") + e.what());
        }
        sim.observeFrames([&emitter](std::string_view series, twin::TimeMs t,
                                     std::span<const std::span<const float>> values) {
            emitter->frame(series, t, values);
        });
    }

    twin::WriterOptions writerOptions;
    writerOptions.overwrite = o.force;
    if (o.live) writerOptions.maxBatchMs = 100;   // a viewer sees new data within half a second
    app_common::installStopHandler();
    auto writer = twin::StoreWriter::create(o.out, campus, writerOptions);
    sim.attach(*writer);
    writer->commit();   // the catalogue, before a publisher reads it
    std::unique_ptr<app_nats::NatsPublisher> publisher;
    if (!o.publish.empty()) {
        auto address = *twin::opscentre::parseBusAddress(o.publish);
        o.bus.applyTo(address);
        publisher = std::make_unique<app_nats::NatsPublisher>(address, o.out, app_nats::Retention{.replicas = o.bus.replicas},
                                                            o.bus.snapshots);
        try {
            publisher->start();
        } catch (const app_nats::BusError& e) {
            return fail(1, std::string("--publish: ") + e.what());
        }
        std::printf("colossus-sim: publishing to %s\n", twin::opscentre::parseBusAddress(o.publish)->display().c_str());
        std::fflush(stdout);
    }
    if (exporter) exporter->start();

    ProgressBar bar(o.durationS);
    const auto progress = [&bar](double simulatedS) { bar.update(simulatedS); };
    const auto started = Clock::now();
    if (emitter) {
        emitter->start();
        std::printf("colossus-sim: %s\n", emitter->describe().c_str());
        std::fflush(stdout);
    }
    if (o.live)   // with --sparkplug one plant frame at a time, so that each goes out in real time
        runLive(sim, *writer, o.durationS, o.speed,
                emitter ? 1 / params.plantHz : params.gpuHz > 0 ? 1 / params.gpuHz : 1.0, progress, emitter.get(), publisher.get());
    else
        sim.run(o.durationS, &app_common::stopFlag(), progress);
    const double wallS = std::chrono::duration<double>(Clock::now() - started).count();
    bar.finish(sim.timeS());
    if (exporter) exporter->stop();
    if (emitter) emitter->stop();
    writer->close();
    if (publisher) {   // what is left, then a line on what went out
        publisher->stop();
        const auto st = publisher->stats();
        std::printf("published %llu commits (%llu messages, %.1f MB), %llu snapshots (%.1f MB)%s%s\n",
                    static_cast<unsigned long long>(st.commits), static_cast<unsigned long long>(st.parts),
                    static_cast<double>(st.bytes) / 1e6, static_cast<unsigned long long>(st.snapshots),
                    static_cast<double>(st.snapshotBytes) / 1e6, st.lastError.empty() ? "" : "; last error: ", st.lastError.c_str());
    }

    if (app_common::stopRequested()) std::printf("stopped at %.1f s of %.1f s (signal)\n", sim.timeS(), o.durationS);
    printSummary({campus, params, sim.summary(), o.durationS, wallS, o.out});
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("colossus-sim");
    QCoreApplication::setApplicationVersion(COLOSSUS_VERSION);

    Options options;
    try {
        options = parseOptions(QCoreApplication::arguments());
    } catch (const UsageError& e) {
        return fail(2, e.what());
    }
    switch (options.action) {
    case Action::Help: std::fputs(options.helpText.c_str(), stdout); return 0;
    case Action::Version: std::printf("colossus-sim %s\n", COLOSSUS_VERSION); return 0;
    case Action::ListScenarios: printScenarios(); return 0;
    case Action::ListParams: printParams(); return 0;
    case Action::ListSites: {
        if (printSites()) return 0;
        std::string looked;
        for (const auto& dir : twin::dataDirCandidates()) looked += (looked.empty() ? "" : ", ") + dir;
        return fail(1, "no data directory (looked in " + looked + "; set COLOSSUS_TWIN_DATA_DIR)");
    }
    case Action::Run: break;
    }
    int status;
    try {
        status = run(options);
    } catch (const std::exception& e) {   // twin::Error names the file and the problem
        status = fail(1, e.what());
    }
    app_nats::closeLibrary();   // the publisher is gone: libnats' threads end before exit
    return status;
}
