#include "sparkplug_emitter.h"

#include "mqtt_client.h"

#include "twin/ingest/plant_sparkplug_names.h"
#include "twin/ingest/sparkplug_payload.h"
#include "twin/sim/plant_series.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace colossus_sim {

namespace sp = twin::ingest::sparkplug;

namespace {

twin::TimeMs wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct MetricState {
    std::string name;
    std::uint64_t alias = 0;
    bool integer = false;   // the state code: Int32
    double value = 0, sent = 0;
    bool known = false, changed = false;
};

struct Device {
    std::string id;
    std::vector<MetricState> metrics;
};

struct Node {
    std::string name;
    std::vector<Device> devices;
    std::map<std::string, std::size_t> deviceIndex;
    std::unique_ptr<app_common::MqttClient> client;
    std::uint64_t bdSeq = 0;   // of the current session (the Will registered with it)
    std::uint64_t seq = 0;     // of the next message
    bool firstSession = true;
};

} // namespace

struct SparkplugEmitter::Impl {
    app_common::MqttUrl url;
    std::string group;
    std::vector<Node> nodes;
    // (series, position, quantity) -> (node, device, metric)
    struct Where { std::size_t node, device, metric; };
    std::map<std::string, std::vector<std::vector<Where>>> where;   // series name -> [position][quantity]
    std::mutex mutex;   // frames come on the simulator's thread, rebirths on the MQTT threads
    twin::TimeMs pendingT = -1;

    sp::Metric metricOf(const MetricState& m, bool birth, twin::TimeMs t) const {
        sp::Metric x = m.integer ? sp::int32Metric(birth ? m.name : std::string(), m.alias, static_cast<std::int32_t>(m.value))
                                 : sp::doubleMetric(birth ? m.name : std::string(), m.alias, m.value);
        if (!birth) x.datatype.reset();   // data by alias: the birth said the type
        x.timestamp = static_cast<std::uint64_t>(t);
        if (!m.known) x.isNull = true, x.kind = sp::ValueKind::None;
        return x;
    }

    std::string topic(sp::MessageType type, const Node& n, const std::string& device = {}) const {
        return sp::topicText({type, group, n.name, device});
    }

    // NBIRTH and every DBIRTH of node n (the caller holds the mutex).
    void birth(Node& n) {
        const twin::TimeMs t = pendingT >= 0 ? pendingT : wallMs();
        n.seq = 0;
        sp::Payload nb;
        nb.timestamp = static_cast<std::uint64_t>(t);
        nb.seq = n.seq++;
        nb.metrics.push_back(sp::uint64Metric(std::string(sp::kBdSeq), n.bdSeq));
        nb.metrics.push_back(sp::booleanMetric(std::string(sp::kRebirth), false));
        n.client->publish(topic(sp::MessageType::NBirth, n), sp::encode(nb), 0, false);
        for (Device& d : n.devices) {
            sp::Payload db;
            db.timestamp = static_cast<std::uint64_t>(t);
            db.seq = n.seq++ % 256;
            for (MetricState& m : d.metrics) {
                db.metrics.push_back(metricOf(m, true, t));
                m.sent = m.value;
                m.changed = false;
            }
            n.client->publish(topic(sp::MessageType::DBirth, n, d.id), sp::encode(db), 0, false);
        }
    }

    void flush();

    void onCommand(Node& n, std::string_view payload) {
        sp::Payload p;
        if (!sp::decode(payload, p)) return;
        for (const sp::Metric& m : p.metrics)
            if (m.name == sp::kRebirth && m.kind == sp::ValueKind::Boolean && m.bits) {
                std::lock_guard lock(mutex);
                birth(n);
                std::printf("colossus-sim: Sparkplug rebirth of edge node '%s' (asked by a host)\n", n.name.c_str());
                std::fflush(stdout);
                return;
            }
    }
};

SparkplugEmitter::SparkplugEmitter(const std::string& url, const twin::Campus& campus) : d(std::make_unique<Impl>())
{
    d->url = app_common::parseMqttUrl(url);
    if (d->url.tls) throw std::invalid_argument("'" + url + "': the emitter speaks mqtt:// only");
    d->group = d->url.path.empty() ? std::string(sp::kDefaultGroup) : d->url.path;
    if (d->group.find_first_of("/+#") != std::string::npos)
        throw std::invalid_argument("'" + url + "': the group '" + d->group + "' may not hold '/', '+' or '#'");
    const twin::sim::PlantAssets assets = twin::sim::plantAssets(campus);
    std::map<std::string, std::size_t> nodeIndex;
    for (int s = 0; s < twin::sim::kPlantSeriesCount; ++s) {
        const auto which = static_cast<twin::sim::PlantSeries>(s);
        const auto spec = twin::sim::plantSeriesSpec(which, campus, assets, 1000);
        auto& table = d->where[spec.name];
        for (const std::string& id : spec.assets) {
            const std::string nodeName = sp::edgeNodeOf(id), deviceId = sp::deviceOf(id);
            auto [nit, newNode] = nodeIndex.emplace(nodeName, d->nodes.size());
            if (newNode) d->nodes.emplace_back().name = nodeName;
            Node& node = d->nodes[nit->second];
            auto [dit, newDevice] = node.deviceIndex.emplace(deviceId, node.devices.size());
            if (newDevice) node.devices.emplace_back().id = deviceId;
            Device& device = node.devices[dit->second];
            std::vector<Impl::Where> row;
            for (std::size_t q = 0; q < spec.quantities.size(); ++q) {
                MetricState m;
                m.name = sp::metricName(which, static_cast<int>(q));
                std::uint64_t alias = 1;   // unique in the edge node: 1, 2, ... over its devices
                for (const Device& x : node.devices) alias += x.metrics.size();
                m.alias = alias;
                m.integer = spec.quantities[q].unit == "code";
                row.push_back({nit->second, dit->second, device.metrics.size()});
                device.metrics.push_back(m);
            }
            table.push_back(row);
        }
    }
    for (Node& n : d->nodes) {
        app_common::MqttConfig c;
        c.url = d->url;
        c.clientId = "colossus-sim-" + std::to_string(getpid()) + "-" + n.name;
        c.keepAliveS = 5;
        // Each session's Will is the NDEATH of its bdSeq; the NBIRTH of the session says the same.
        c.will = [this, &n] {
            if (!n.firstSession) ++n.bdSeq;
            n.firstSession = false;
            sp::Payload p;
            p.timestamp = static_cast<std::uint64_t>(wallMs());
            p.metrics.push_back(sp::uint64Metric(std::string(sp::kBdSeq), n.bdSeq));
            return app_common::MqttWill{d->topic(sp::MessageType::NDeath, n), sp::encode(p), 1, false};
        };
        c.onConnect = [this, &n] {
            n.client->subscribe(d->topic(sp::MessageType::NCmd, n), 1);
            std::lock_guard lock(d->mutex);
            d->birth(n);
        };
        c.onMessage = [this, &n](const std::string&, std::string_view payload) { d->onCommand(n, payload); };
        c.onLog = [](const std::string& line) {
            std::printf("colossus-sim: %s\n", line.c_str());
            std::fflush(stdout);
        };
        n.client = std::make_unique<app_common::MqttClient>(std::move(c));
    }
}

SparkplugEmitter::~SparkplugEmitter() { stop(); }

void SparkplugEmitter::start()
{
    for (Node& n : d->nodes) n.client->start();
}

void SparkplugEmitter::frame(std::string_view series, twin::TimeMs t, std::span<const std::span<const float>> values)
{
    const auto it = d->where.find(std::string(series));
    if (it == d->where.end()) return;
    std::lock_guard lock(d->mutex);
    if (d->pendingT >= 0 && t != d->pendingT) d->flush();   // a frame not flushed yet goes first
    d->pendingT = t;
    for (std::size_t i = 0; i < it->second.size(); ++i)
        for (std::size_t q = 0; q < it->second[i].size() && q < values.size(); ++q) {
            const Impl::Where& w = it->second[i][q];
            MetricState& m = d->nodes[w.node].devices[w.device].metrics[w.metric];
            m.value = values[q][i];
            if (!m.known || m.value != m.sent) m.changed = true;
            m.known = true;
        }
}

void SparkplugEmitter::flush()
{
    std::lock_guard lock(d->mutex);
    d->flush();
}

// The DDATA of what changed since it was last sent (the caller holds the mutex).
void SparkplugEmitter::Impl::flush()
{
    if (pendingT < 0) return;
    const twin::TimeMs t = pendingT;
    for (Node& n : nodes) {
        if (!n.client->connected()) continue;   // its births will carry the values
        for (Device& dev : n.devices) {
            sp::Payload p;
            for (MetricState& m : dev.metrics)
                if (m.changed) {
                    p.metrics.push_back(metricOf(m, false, t));
                    m.sent = m.value;
                    m.changed = false;
                }
            if (p.metrics.empty()) continue;
            p.timestamp = static_cast<std::uint64_t>(t);
            p.seq = n.seq++ % 256;
            n.client->publish(topic(sp::MessageType::DData, n, dev.id), sp::encode(p), 0, false);
        }
    }
}

void SparkplugEmitter::stop()
{
    bool said = false;
    for (Node& n : d->nodes) {
        if (!n.client) continue;
        if (n.client->connected()) {   // a clean end: the NDEATH that the Will would have been
            sp::Payload p;
            p.timestamp = static_cast<std::uint64_t>(wallMs());
            p.metrics.push_back(sp::uint64Metric(std::string(sp::kBdSeq), n.bdSeq));
            said = n.client->publish(d->topic(sp::MessageType::NDeath, n), sp::encode(p), 1, false) || said;
        }
    }
    if (said) std::this_thread::sleep_for(std::chrono::milliseconds(200));   // the NDEATHs leave before DISCONNECT
    for (Node& n : d->nodes)
        if (n.client) n.client->stop();
}

std::string SparkplugEmitter::describe() const
{
    std::size_t devices = 0;
    for (const Node& n : d->nodes) devices += n.devices.size();
    return "Sparkplug B to " + d->url.host + ":" + std::to_string(d->url.port) + ", group '" + d->group + "': " +
           std::to_string(d->nodes.size()) + " edge nodes, " + std::to_string(devices) + " devices";
}

} // namespace colossus_sim
