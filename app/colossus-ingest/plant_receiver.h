// The plant over MQTT in colossus-ingest: the MQTT client (subscribes to spBv1.0/# and the plant
// map's JSON topics, publishes the Sparkplug host STATE with its Will and the rebirth requests)
// feeding twin_ingest's PlantIngest, and the plant series written beside the GPU frames.
// docs/ingest.md, "Plant over MQTT".
#pragma once

#include "options.h"

#include "mqtt_client.h"

#include "twin/campus.h"
#include "twin/ingest/plant_ingest.h"
#include "twin/store.h"

#include <atomic>
#include <memory>
#include <string>

namespace colossus_ingest {

class PlantReceiver {
public:
    // Loads the plant map (the default one without --plant-map); throws twin::Error naming the
    // file, line and field, or std::runtime_error for the MQTT options.
    PlantReceiver(const Options& o, const twin::Campus& campus);
    ~PlantReceiver();

    void addSeries(twin::StoreWriter& store, twin::TimeMs periodMs);   // before the first frame
    void start();                                                      // connects in the background
    void stop();                                                       // STATE offline, disconnect
    void writeFrame(twin::TimeMs t);                                   // one frame of each plant series
    // "plant 12 good, 0 stale, 3 missing | MQTT connected, 4 nodes | 120 MQTT messages: ..."
    std::string report();
    std::string describeStart() const;

private:
    const Options& o_;
    twin::ingest::PlantLayout layout_;
    twin::ingest::PlantMap map_;
    std::unique_ptr<twin::ingest::PlantIngest> ingest_;
    std::unique_ptr<twin::ingest::PlantSeriesWriter> writer_;
    std::unique_ptr<app_common::MqttClient> client_;
    twin::ingest::PlantFrame frame_;
    std::atomic<twin::TimeMs> stateT_{0};   // this session's STATE timestamp (set on the MQTT thread)
};

} // namespace colossus_ingest
