// A Sparkplug B host application's state machine, without a network: fed each message (topic,
// payload, time received), it keeps every edge node's birth (bdSeq, the alias tables of the node
// and its devices), checks seq continuity, turns metrics into plant values through the plant map
// and says what to publish back (rebirth requests). docs/ingest.md, "Plant over MQTT".
//
// Rules (Sparkplug 3.0):
// - NBIRTH: a new birth of the node (its bdSeq, seq 0); its devices are dead until their DBIRTH.
// - NDATA / DBIRTH / DDATA / DDEATH: seq must be the previous one + 1 (mod 256). A gap asks for a
//   rebirth at once (no reorder wait: one MQTT session delivers a publisher's messages in order,
//   so a gap is a lost message, not a late one); the message's own values are still taken.
// - Data from a node or device without a valid birth, or by an alias its birth did not define:
//   dropped, and a rebirth is asked. Rebirth requests go out at most once per node per holdoff.
// - NDEATH: taken only when its bdSeq is that of the current birth (an older session's Will that
//   the broker delivers late must not kill the new one); all the node's quantities turn stale.
//   DDEATH: the device's.
#pragma once

#include "twin/ingest/plant_assembler.h"
#include "twin/ingest/plant_counts.h"
#include "twin/ingest/plant_map.h"
#include "twin/ingest/sparkplug_payload.h"

#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace twin::ingest {

struct MqttPublish {
    std::string topic, payload;
    int qos = 0;
    bool retain = false;
};

struct SparkplugHostOptions {
    std::size_t maxMetrics = 100'000;    // a payload with more is refused as malformed
    TimeMs rebirthHoldoffMs = 5'000;     // at most one rebirth request per node in this time
    std::size_t maxNodes = 10'000;       // edge nodes (and devices per node) tracked; more are refused
};

class SparkplugHost {
public:
    SparkplugHost(const PlantMap& map, PlantAssembler& assembler, SparkplugHostOptions options = {});

    // One Sparkplug message (`topic` parsed from `topicText`). Appends what to publish.
    void handle(const sparkplug::Topic& topic, std::string_view topicText, std::string_view payload, TimeMs receivedMs,
                PlantCounts& counts, std::vector<MqttPublish>& publish);

    // The host's STATE topic and payload (Sparkplug 3.0: retained JSON, the Will says offline).
    static std::string stateTopic(const std::string& hostId);
    static std::string statePayload(bool online, TimeMs t);

    // The connection to the broker was lost: what happened meanwhile is unknown, so every node is
    // dead (its quantities stale) until its next birth (its next data asks for one).
    void brokerLost();

    // Edge nodes with a current birth (for the report and the tests).
    int nodesOnline() const;

private:
    struct MetricInfo {
        std::string name;
        std::uint32_t datatype = 0;
        std::optional<PlantMatch> match;
    };
    struct Table {
        bool alive = false;
        std::unordered_map<std::uint64_t, MetricInfo> byAlias;
        std::unordered_map<std::string, MetricInfo> byName;
        void clear() { alive = false, byAlias.clear(), byName.clear(); }
    };
    struct Node {
        bool alive = false;
        std::optional<std::uint64_t> bdSeq;
        int lastSeq = -1;
        TimeMs lastRebirthAsk = INT64_MIN;
        Table self;
        std::map<std::string, Table> devices;
    };
    void birth(Table& table, const sparkplug::Topic& topic, std::string_view where, const sparkplug::Payload& p,
               TimeMs receivedMs, PlantCounts& counts);
    void data(const Table& table, std::string_view where, const sparkplug::Payload& p, TimeMs receivedMs,
              Node& node, const sparkplug::Topic& topic, PlantCounts& counts, std::vector<MqttPublish>& publish);
    void apply(const MetricInfo& info, const sparkplug::Metric& m, const sparkplug::Payload& p, TimeMs receivedMs,
               std::string_view where, PlantCounts& counts);
    void kill(Table& table);
    void checkSeq(Node& node, const sparkplug::Topic& topic, std::string_view where, const sparkplug::Payload& p,
                  TimeMs receivedMs, PlantCounts& counts, std::vector<MqttPublish>& publish);
    void askRebirth(Node& node, const sparkplug::Topic& topic, TimeMs receivedMs, PlantCounts& counts,
                    std::vector<MqttPublish>& publish);

    const PlantMap& map_;
    PlantAssembler& assembler_;
    SparkplugHostOptions options_;
    std::map<std::string, Node> nodes_;   // "group/node"
};

} // namespace twin::ingest
