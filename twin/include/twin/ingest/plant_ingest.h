// The plant over MQTT, without the network: every message colossus-ingest's MQTT client receives
// goes to handle(): spBv1.0/... to the Sparkplug B host (sparkplug_host.h), other topics to the
// JSON rows of the plant map. Thread-safe: the MQTT thread hands messages in while the frame loop
// takes snapshots. docs/ingest.md, "Plant over MQTT".
#pragma once

#include "twin/ingest/plant_assembler.h"
#include "twin/ingest/plant_counts.h"
#include "twin/ingest/plant_map.h"
#include "twin/ingest/sparkplug_host.h"

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace twin::ingest {

struct PlantIngestOptions {
    TimeMs jsonStaleAfterMs = 30'000;        // JSON values older than this are stale (no death message)
    std::size_t maxPayloadBytes = 4u << 20;  // a larger payload is refused before it is parsed
    SparkplugHostOptions sparkplug;
};

class PlantIngest {
public:
    // `layout` and `map` must outlive this.
    PlantIngest(const PlantLayout& layout, const PlantMap& map, PlantIngestOptions options = {});

    // One MQTT message; returns what to publish back (rebirth requests).
    std::vector<MqttPublish> handle(std::string_view topic, std::string_view payload, TimeMs receivedMs);
    void snapshot(TimeMs t, PlantFrame& out);
    // The MQTT connection went down: every Sparkplug node is stale until born again.
    void brokerLost();
    // The counts since the last take.
    PlantCounts take();

    const PlantAssembler& assembler() const { return assembler_; }
    // The topics to subscribe to: spBv1.0/# and the JSON rows' topics.
    std::vector<std::string> subscriptions() const;
    int nodesOnline();

private:
    void handleJson(std::string_view topic, std::string_view payload, TimeMs receivedMs);

    const PlantMap& map_;
    PlantIngestOptions options_;
    std::mutex mutex_;
    PlantAssembler assembler_;
    SparkplugHost host_;
    PlantCounts counts_;
};

} // namespace twin::ingest
