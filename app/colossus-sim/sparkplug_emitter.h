// colossus-sim --sparkplug: publishes the simulated plant as Sparkplug B edge nodes, the way a
// plant's gateways would (docs/ingest.md, "Plant over MQTT"): one edge node per site, each on
// its own MQTT connection with its NDEATH as the Will (bdSeq counts the sessions), one device per
// plant asset (turbine, Megapack block, solar array, grid tie, bus, transformer, feeder), metrics
// named by twin/ingest/plant_sparkplug_names.h. NBIRTH and DBIRTHs on each connection and on a
// rebirth request (NCMD Node Control/Rebirth), then DDATA of the values that changed, each plant
// frame, stamped with the simulated time.
#pragma once

#include "twin/campus.h"
#include "twin/store.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colossus_sim {

class SparkplugEmitter {
public:
    // `url`: mqtt://HOST:PORT[/GROUP] (GROUP default "colossus"). Throws std::invalid_argument
    // for a bad URL.
    SparkplugEmitter(const std::string& url, const twin::Campus& campus);
    ~SparkplugEmitter();

    void start();   // connects every edge node in the background
    // A frame the simulator recorded (Simulator::observeFrames); plant series only are taken.
    void frame(std::string_view series, twin::TimeMs t, std::span<const std::span<const float>> values);
    void flush();   // publishes the DDATA of the frame taken
    void stop();    // each node's NDEATH (a clean end), then disconnects
    std::string describe() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace colossus_sim
