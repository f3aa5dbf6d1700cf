#include "plant_receiver.h"

#include "twin/error.h"
#include "twin/ingest/plant_sparkplug_names.h"

#include <chrono>
#include <cstdio>
#include <fstream>

namespace colossus_ingest {

namespace {

twin::TimeMs nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string firstLine(const std::string& path, const char* what)
{
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) throw twin::Error(path, std::string("cannot read the ") + what);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

twin::ingest::PlantMap loadMap(const Options& o, const twin::ingest::PlantLayout& layout)
{
    if (o.plantMap.empty())
        return twin::ingest::PlantMap::defaultFor(layout, std::string(twin::ingest::sparkplug::kDefaultGroup));
    return twin::ingest::PlantMap::load(o.plantMap, layout);
}

} // namespace

PlantReceiver::PlantReceiver(const Options& o, const twin::Campus& campus)
    : o_(o), layout_(campus), map_(loadMap(o, layout_))
{
    twin::ingest::PlantIngestOptions options;
    options.jsonStaleAfterMs = o.plantStaleAfterMs;
    ingest_ = std::make_unique<twin::ingest::PlantIngest>(layout_, map_, options);

    app_common::MqttConfig c;
    try {
        c.url = app_common::parseMqttUrl(o.mqtt);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--mqtt: ") + e.what());
    }
    c.clientId = "colossus-ingest-" + o.sparkplugHostId;
    c.user = o.mqttUser;
    if (!o.mqttPasswordFile.empty()) c.password = firstLine(o.mqttPasswordFile, "MQTT password file");
    c.caFile = o.mqttCa;
    const std::string stateTopic = twin::ingest::SparkplugHost::stateTopic(o.sparkplugHostId);
    // Sparkplug 3.0: the Will and the online STATE carry the same timestamp, that of the session.
    c.will = [this, stateTopic] {
        stateT_ = nowMs();
        return app_common::MqttWill{stateTopic, twin::ingest::SparkplugHost::statePayload(false, stateT_), 1, true};
    };
    c.onConnect = [this, stateTopic] {
        for (const std::string& s : ingest_->subscriptions()) client_->subscribe(s, 0);
        client_->publish(stateTopic, twin::ingest::SparkplugHost::statePayload(true, stateT_), 1, true);
    };
    c.onMessage = [this](const std::string& topic, std::string_view payload) {
        for (const twin::ingest::MqttPublish& p : ingest_->handle(topic, payload, nowMs()))
            client_->publish(p.topic, p.payload, p.qos, p.retain);
    };
    c.onConnectionLost = [this] { ingest_->brokerLost(); };
    c.onLog = [](const std::string& line) {
        std::printf("colossus-ingest: %s\n", line.c_str());
        std::fflush(stdout);
    };
    client_ = std::make_unique<app_common::MqttClient>(std::move(c));
}

PlantReceiver::~PlantReceiver() { stop(); }

void PlantReceiver::addSeries(twin::StoreWriter& store, twin::TimeMs periodMs)
{
    writer_ = std::make_unique<twin::ingest::PlantSeriesWriter>(store, ingest_->assembler(), periodMs);
}

void PlantReceiver::start() { client_->start(); }

void PlantReceiver::stop()
{
    if (!client_) return;
    if (client_->connected())   // a clean stop sends no Will: say offline ourselves
        client_->publish(twin::ingest::SparkplugHost::stateTopic(o_.sparkplugHostId),
                         twin::ingest::SparkplugHost::statePayload(false, stateT_), 1, true);
    client_->stop();
}

void PlantReceiver::writeFrame(twin::TimeMs t)
{
    ingest_->snapshot(t, frame_);
    if (writer_) writer_->write(frame_);
}

std::string PlantReceiver::report()
{
    const twin::ingest::PlantCounts c = ingest_->take();
    std::string line = "plant " + std::to_string(frame_.good) + " good, " + std::to_string(frame_.stale) + " stale, " +
                       std::to_string(frame_.missing) + " missing | MQTT " +
                       (client_->connected() ? "connected" : "not connected") + ", " +
                       std::to_string(ingest_->nodesOnline()) + " edge nodes online | " + twin::ingest::describe(c);
    if (!c.firstError.empty()) line += " | first MQTT error: " + c.firstError;
    if (!c.firstNotice.empty()) line += " | first MQTT notice: " + c.firstNotice;
    return line;
}

std::string PlantReceiver::describeStart() const
{
    std::size_t written = ingest_->assembler().writtenSeries().size();
    return "MQTT " + o_.mqtt + " (Sparkplug host '" + o_.sparkplugHostId + "'), plant map " +
           (o_.plantMap.empty() ? std::string("(default)") : o_.plantMap) + ": " + std::to_string(map_.rows().size()) +
           " rows, " + std::to_string(written) + " plant series";
}

} // namespace colossus_ingest
