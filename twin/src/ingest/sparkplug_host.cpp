#include "twin/ingest/sparkplug_host.h"

#include <nlohmann/json.hpp>

namespace twin::ingest {

namespace sp = sparkplug;

namespace {

// Metrics every edge node has that are about Sparkplug itself, not the plant: never "unmapped".
bool isControlMetric(std::string_view name)
{
    return name == sp::kBdSeq || name.rfind("Node Control/", 0) == 0 || name.rfind("Device Control/", 0) == 0 ||
           name.rfind("Properties/", 0) == 0 || name.rfind("Node Info/", 0) == 0;
}

std::string metricLabel(const sp::Metric& m)
{
    if (!m.name.empty()) return "metric '" + m.name + "'";
    return m.alias ? "alias " + std::to_string(*m.alias) : std::string("a metric without name or alias");
}

} // namespace

SparkplugHost::SparkplugHost(const PlantMap& map, PlantAssembler& assembler, SparkplugHostOptions options)
    : map_(map), assembler_(assembler), options_(options)
{
}

std::string SparkplugHost::stateTopic(const std::string& hostId) { return std::string(sp::kNamespace) + "/STATE/" + hostId; }

std::string SparkplugHost::statePayload(bool online, TimeMs t)
{
    return nlohmann::json{{"online", online}, {"timestamp", t}}.dump();
}

void SparkplugHost::brokerLost()
{
    for (auto& [key, node] : nodes_) {
        node.alive = false;
        kill(node.self);
        for (auto& [name, device] : node.devices) kill(device);
    }
}

int SparkplugHost::nodesOnline() const
{
    int n = 0;
    for (const auto& [key, node] : nodes_) n += node.alive;
    return n;
}

void SparkplugHost::handle(const sp::Topic& topic, std::string_view topicText, std::string_view payload,
                           TimeMs receivedMs, PlantCounts& counts, std::vector<MqttPublish>& publish)
{
    using T = sp::MessageType;
    if (topic.type == T::State || topic.type == T::NCmd || topic.type == T::DCmd) {   // hosts' and commands
        ++counts.ignored;
        return;
    }
    sp::Payload p;
    if (!sp::decode(payload, p, options_.maxMetrics)) {
        ++counts.malformed;
        counts.error(std::string(topicText) + ": not a Sparkplug B payload (" + std::to_string(payload.size()) +
                     " bytes: malformed, truncated or over " + std::to_string(options_.maxMetrics) + " metrics)");
        return;
    }
    const std::string key = topic.group + "/" + topic.node;
    auto found = nodes_.find(key);
    if (found == nodes_.end()) {
        if (nodes_.size() >= options_.maxNodes) {   // a flood of made-up names must not grow without end
            ++counts.malformed;
            counts.error(std::string(topicText) + ": over " + std::to_string(options_.maxNodes) +
                         " edge nodes: not tracked");
            return;
        }
        found = nodes_.emplace(key, Node{}).first;
    }
    Node& node = found->second;
    switch (topic.type) {
    case T::NBirth: {
        node.alive = true;
        node.bdSeq.reset();
        for (const sp::Metric& m : p.metrics)
            if (m.name == sp::kBdSeq && m.kind == sp::ValueKind::Long) node.bdSeq = m.bits;
            else if (m.name == sp::kBdSeq && m.kind == sp::ValueKind::Int) node.bdSeq = m.bits;
        if (!node.bdSeq) counts.notice(std::string(topicText) + ": NBIRTH without bdSeq: any NDEATH will end it");
        node.lastSeq = p.seq ? static_cast<int>(*p.seq % 256) : 0;
        for (auto& [name, device] : node.devices) kill(device);   // they are born again after it
        node.self.clear();
        birth(node.self, topic, topicText, p, receivedMs, counts);
        ++counts.births;
        return;
    }
    case T::NDeath: {
        std::optional<std::uint64_t> bdSeq;
        for (const sp::Metric& m : p.metrics)
            if (m.name == sp::kBdSeq && (m.kind == sp::ValueKind::Long || m.kind == sp::ValueKind::Int)) bdSeq = m.bits;
        if (!node.alive || (node.bdSeq && bdSeq != node.bdSeq)) {
            ++counts.staleDeaths;
            counts.notice(std::string(topicText) + ": NDEATH with bdSeq " + (bdSeq ? std::to_string(*bdSeq) : "none") +
                          " ignored (the current birth's is " +
                          (node.alive && node.bdSeq ? std::to_string(*node.bdSeq) : "none: not alive") + ")");
            return;
        }
        node.alive = false;
        kill(node.self);
        for (auto& [name, device] : node.devices) kill(device);
        ++counts.deaths;
        return;
    }
    default: break;
    }
    // Everything else comes from a node that must be alive, and carries the node's seq.
    if (!node.alive) {
        ++counts.beforeBirth;
        counts.error(std::string(topicText) + ": " + sp::messageTypeName(topic.type) +
                     " from an edge node without a current NBIRTH: dropped, rebirth requested");
        askRebirth(node, topic, receivedMs, counts, publish);
        return;
    }
    checkSeq(node, topic, topicText, p, receivedMs, counts, publish);
    switch (topic.type) {
    case T::NData: data(node.self, topicText, p, receivedMs, node, topic, counts, publish); return;
    case T::DBirth: {
        if (!node.devices.count(topic.device) && node.devices.size() >= options_.maxNodes) {
            ++counts.malformed;
            counts.error(std::string(topicText) + ": over " + std::to_string(options_.maxNodes) +
                         " devices on the node: not tracked");
            return;
        }
        Table& device = node.devices[topic.device];
        device.clear();
        device.alive = true;
        birth(device, topic, topicText, p, receivedMs, counts);
        ++counts.births;
        return;
    }
    case T::DData: {
        const auto it = node.devices.find(topic.device);
        if (it == node.devices.end() || !it->second.alive) {
            ++counts.beforeBirth;
            counts.error(std::string(topicText) + ": DDATA from a device without a current DBIRTH: dropped, rebirth "
                         "requested");
            askRebirth(node, topic, receivedMs, counts, publish);
            return;
        }
        data(it->second, topicText, p, receivedMs, node, topic, counts, publish);
        return;
    }
    case T::DDeath: {
        const auto it = node.devices.find(topic.device);
        if (it != node.devices.end() && it->second.alive) {
            kill(it->second);
            ++counts.deaths;
        }
        return;
    }
    default: return;
    }
}

void SparkplugHost::birth(Table& table, const sp::Topic& topic, std::string_view where, const sp::Payload& p,
                          TimeMs receivedMs, PlantCounts& counts)
{
    table.alive = true;
    for (const sp::Metric& m : p.metrics) {
        if (m.name.empty()) {
            ++counts.invalid;
            counts.error(std::string(where) + ": a birth metric without a name (alias " +
                         (m.alias ? std::to_string(*m.alias) : std::string("none")) + "): skipped");
            continue;
        }
        MetricInfo info;
        info.name = m.name;
        info.datatype = m.datatype.value_or(0);
        if (!isControlMetric(m.name)) {
            std::string why;
            info.match = map_.matchSparkplug(topic.group, topic.node, topic.device, m.name, &why);
            if (!info.match) {
                ++counts.unmapped;
                counts.notice(std::string(where) + ": metric '" + m.name + "' is not in the plant map" +
                              (why.empty() ? "" : " (" + why + ")"));
            } else if (!sp::isNumeric(info.datatype)) {
                ++counts.invalid;
                counts.error(std::string(where) + ": metric '" + m.name + "' is mapped but its datatype " +
                             std::to_string(info.datatype) + " is not a number");
                info.match.reset();
            }
        }
        if (m.alias) table.byAlias[*m.alias] = info;
        table.byName[m.name] = info;
        if (info.match) apply(info, m, p, receivedMs, where, counts);
    }
}

void SparkplugHost::data(const Table& table, std::string_view where, const sp::Payload& p, TimeMs receivedMs,
                         Node& node, const sp::Topic& topic, PlantCounts& counts, std::vector<MqttPublish>& publish)
{
    for (const sp::Metric& m : p.metrics) {
        const MetricInfo* info = nullptr;
        if (m.alias) {
            if (const auto it = table.byAlias.find(*m.alias); it != table.byAlias.end()) info = &it->second;
        } else if (!m.name.empty()) {
            if (const auto it = table.byName.find(m.name); it != table.byName.end()) info = &it->second;
        }
        if (!info) {
            ++counts.unknownAlias;
            counts.error(std::string(where) + ": " + metricLabel(m) + " is not in the birth: dropped, rebirth requested");
            askRebirth(node, topic, receivedMs, counts, publish);
            continue;
        }
        if (info->match) apply(*info, m, p, receivedMs, where, counts);
    }
}

void SparkplugHost::apply(const MetricInfo& info, const sp::Metric& m, const sp::Payload& p, TimeMs receivedMs,
                          std::string_view where, PlantCounts& counts)
{
    const std::string source = std::string(where) + " metric '" + info.name + "'";
    if (m.isHistorical) {   // late values of the past: never the current state
        ++counts.ignored;
        return;
    }
    if (m.isNull) {
        ++counts.nulls;
        assembler_.markDead(info.match->target);
        return;
    }
    const std::uint32_t datatype = m.datatype.value_or(info.datatype);
    if (datatype != info.datatype) {
        ++counts.invalid;
        counts.error(source + ": datatype " + std::to_string(datatype) + ", its birth said " +
                     std::to_string(info.datatype));
        return;
    }
    const sp::NumberOrError n = sp::numberOf(m, datatype);
    if (!n.value) {
        ++counts.invalid;
        counts.error(source + ": " + n.error);
        return;
    }
    const std::uint64_t t = m.timestamp ? *m.timestamp : p.timestamp ? *p.timestamp : static_cast<std::uint64_t>(receivedMs);
    if (t > static_cast<std::uint64_t>(INT64_MAX)) {
        ++counts.invalid;
        counts.error(source + ": timestamp " + std::to_string(t) + " out of range");
        return;
    }
    assembler_.apply(*info.match, static_cast<TimeMs>(t), *n.value, counts, source);
}

void SparkplugHost::kill(Table& table)
{
    if (!table.alive) return;
    table.alive = false;
    for (const auto& [name, info] : table.byName)
        if (info.match) assembler_.markDead(info.match->target);
}

void SparkplugHost::checkSeq(Node& node, const sp::Topic& topic, std::string_view where, const sp::Payload& p,
                             TimeMs receivedMs, PlantCounts& counts, std::vector<MqttPublish>& publish)
{
    const int expected = (node.lastSeq + 1) % 256;
    const int got = p.seq && *p.seq < 256 ? static_cast<int>(*p.seq) : -1;
    if (got == expected) {
        node.lastSeq = got;
        return;
    }
    ++counts.seqGaps;
    counts.error(std::string(where) + ": seq " + (p.seq ? std::to_string(*p.seq) : std::string("missing")) +
                 ", expected " + std::to_string(expected) + ": rebirth requested");
    if (got >= 0) node.lastSeq = got;
    askRebirth(node, topic, receivedMs, counts, publish);
}

void SparkplugHost::askRebirth(Node& node, const sp::Topic& topic, TimeMs receivedMs, PlantCounts& counts,
                               std::vector<MqttPublish>& publish)
{
    if (node.lastRebirthAsk != INT64_MIN && receivedMs - node.lastRebirthAsk < options_.rebirthHoldoffMs) return;
    node.lastRebirthAsk = receivedMs;
    sp::Topic cmd;
    cmd.type = sp::MessageType::NCmd;
    cmd.group = topic.group;
    cmd.node = topic.node;
    publish.push_back({sp::topicText(cmd), sp::rebirthRequest(static_cast<std::uint64_t>(receivedMs)), 0, false});
    ++counts.rebirths;
}

} // namespace twin::ingest
