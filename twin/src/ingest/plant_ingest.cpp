#include "twin/ingest/plant_ingest.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::ingest {

PlantIngest::PlantIngest(const PlantLayout& layout, const PlantMap& map, PlantIngestOptions options)
    : map_(map), options_(options), assembler_(layout, map, options.jsonStaleAfterMs),
      host_(map, assembler_, options.sparkplug)
{
}

std::vector<std::string> PlantIngest::subscriptions() const
{
    std::vector<std::string> subs{std::string(sparkplug::kNamespace) + "/#"};
    for (const std::string& s : map_.jsonSubscriptions()) subs.push_back(s);
    return subs;
}

int PlantIngest::nodesOnline()
{
    std::lock_guard lock(mutex_);
    return host_.nodesOnline();
}

std::vector<MqttPublish> PlantIngest::handle(std::string_view topic, std::string_view payload, TimeMs receivedMs)
{
    std::vector<MqttPublish> publish;
    std::lock_guard lock(mutex_);
    ++counts_.messages;
    if (payload.size() > options_.maxPayloadBytes) {
        ++counts_.malformed;
        counts_.error(std::string(topic) + ": payload of " + std::to_string(payload.size()) + " bytes, over the " +
                      std::to_string(options_.maxPayloadBytes) + " taken: dropped");
        return publish;
    }
    if (topic.rfind(std::string(sparkplug::kNamespace) + "/", 0) == 0) {
        const auto parsed = sparkplug::parseTopic(topic);
        if (!parsed) {
            ++counts_.malformed;
            counts_.error(std::string(topic) + ": not a Sparkplug B topic (spBv1.0/GROUP/TYPE/NODE[/DEVICE])");
            return publish;
        }
        host_.handle(*parsed, topic, payload, receivedMs, counts_, publish);
        return publish;
    }
    handleJson(topic, payload, receivedMs);
    return publish;
}

// A bare number, or an object with the row's field (default "value") and an optional "ts" or
// "timestamp" in ms since the epoch (without: the time received). null: the quantity is stale.
void PlantIngest::handleJson(std::string_view topic, std::string_view payload, TimeMs receivedMs)
{
    std::string field, why;
    const auto match = map_.matchJson(topic, &field, &why);
    if (!match) {
        ++counts_.unmapped;
        counts_.notice(std::string(topic) + ": not in the plant map" + (why.empty() ? "" : " (" + why + ")"));
        return;
    }
    const std::string source = std::string(topic);
    const nlohmann::json doc = nlohmann::json::parse(payload.begin(), payload.end(), nullptr, false);
    if (doc.is_discarded()) {
        ++counts_.malformed;
        counts_.error(source + ": not JSON");
        return;
    }
    const nlohmann::json* value = &doc;
    TimeMs t = receivedMs;
    if (doc.is_object()) {
        const auto it = doc.find(field);
        if (it == doc.end()) {
            ++counts_.invalid;
            counts_.error(source + ": no field '" + field + "'");
            return;
        }
        value = &*it;
        for (const char* key : {"ts", "timestamp"}) {
            const auto ts = doc.find(key);
            if (ts == doc.end()) continue;
            if (!ts->is_number() || !std::isfinite(ts->get<double>()) || ts->get<double>() < 0 ||
                ts->get<double>() > 9.2e18) {
                ++counts_.invalid;
                counts_.error(source + ": '" + key + "' is not a time in ms since the epoch");
                return;
            }
            t = ts->get<TimeMs>();
            break;
        }
    }
    if (value->is_null()) {
        ++counts_.nulls;
        assembler_.markDead(match->target);
        return;
    }
    if (!value->is_number() && !value->is_boolean()) {
        ++counts_.invalid;
        counts_.error(source + ": '" + field + "' is " + value->type_name() + ", not a number");
        return;
    }
    const double v = value->is_boolean() ? (value->get<bool>() ? 1.0 : 0.0) : value->get<double>();
    assembler_.apply(*match, t, v, counts_, source);
}

void PlantIngest::brokerLost()
{
    std::lock_guard lock(mutex_);
    host_.brokerLost();
}

void PlantIngest::snapshot(TimeMs t, PlantFrame& out)
{
    std::lock_guard lock(mutex_);
    assembler_.snapshot(t, out);
}

PlantCounts PlantIngest::take()
{
    std::lock_guard lock(mutex_);
    PlantCounts c = counts_;
    counts_ = {};
    return c;
}

} // namespace twin::ingest
