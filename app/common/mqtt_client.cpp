#include "mqtt_client.h"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

namespace app_common {

namespace {

// mosquitto_lib_init once per process (it is not thread-safe; the programs start clients from
// their main thread).
void libraryInit()
{
    static const int once = [] { return mosquitto_lib_init(); }();
    (void)once;
}

} // namespace

MqttUrl parseMqttUrl(const std::string& text)
{
    MqttUrl u;
    std::string rest;
    if (text.rfind("mqtt://", 0) == 0) rest = text.substr(7);
    else if (text.rfind("mqtts://", 0) == 0) rest = text.substr(8), u.tls = true, u.port = 8883;
    else throw std::invalid_argument("'" + text + "' is not mqtt://HOST:PORT or mqtts://HOST:PORT");
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        u.path = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
    }
    std::string port;
    if (!rest.empty() && rest.front() == '[') {   // [::1]:1883
        const auto close = rest.find(']');
        if (close == std::string::npos) throw std::invalid_argument("'" + text + "': unclosed '[' in the host");
        u.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
    } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        u.host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    } else {
        u.host = rest;
    }
    if (u.host.empty()) throw std::invalid_argument("'" + text + "' has no host");
    if (!port.empty()) {
        std::size_t used = 0;
        int p = -1;
        try {
            p = std::stoi(port, &used);
        } catch (const std::exception&) {
        }
        if (used != port.size() || p < 1 || p > 65535)
            throw std::invalid_argument("'" + text + "': port '" + port + "' is not 1 to 65535");
        u.port = p;
    }
    return u;
}

MqttClient::MqttClient(MqttConfig config) : config_(std::move(config))
{
    libraryInit();
    mosq_ = mosquitto_new(config_.clientId.empty() ? nullptr : config_.clientId.c_str(), true, this);
    if (!mosq_) throw std::runtime_error("cannot create an MQTT client");
    mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_connect_callback_set(mosq_, &MqttClient::onConnectCb);
    mosquitto_disconnect_callback_set(mosq_, &MqttClient::onDisconnectCb);
    mosquitto_message_callback_set(mosq_, &MqttClient::onMessageCb);
    mosquitto_threaded_set(mosq_, true);   // publish() from other threads than the network one
    if (!config_.user.empty() &&
        mosquitto_username_pw_set(mosq_, config_.user.c_str(), config_.password.empty() ? nullptr : config_.password.c_str()) !=
            MOSQ_ERR_SUCCESS)
        throw std::runtime_error("MQTT: cannot set the user name and password");
    if (config_.url.tls) {
        const int rc = mosquitto_tls_set(mosq_, config_.caFile.empty() ? nullptr : config_.caFile.c_str(),
                                         config_.caFile.empty() ? "/etc/ssl/certs" : nullptr, nullptr, nullptr, nullptr);
        if (rc != MOSQ_ERR_SUCCESS)
            throw std::runtime_error("MQTT TLS: " + (config_.caFile.empty() ? std::string("/etc/ssl/certs") : config_.caFile) +
                                     ": " + mosquitto_strerror(rc));
    }
}

MqttClient::~MqttClient()
{
    stop();
    mosquitto_destroy(mosq_);
}

void MqttClient::setWill()
{
    mosquitto_will_clear(mosq_);
    if (!config_.will) return;
    const MqttWill w = config_.will();
    if (w.topic.empty()) return;
    mosquitto_will_set(mosq_, w.topic.c_str(), static_cast<int>(w.payload.size()), w.payload.data(), w.qos, w.retain);
}

void MqttClient::start()
{
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void MqttClient::run()
{
    bool socketUp = false, first = true, toldDown = false;
    int delayS = 1;
    const auto nap = [this](int seconds) {   // answers stop() within 50 ms
        for (int k = 0; k < seconds * 20 && !stopping_; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    };
    while (!stopping_) {
        if (!socketUp) {
            setWill();   // each session registers its own Will
            const int rc = first ? mosquitto_connect(mosq_, config_.url.host.c_str(), config_.url.port, config_.keepAliveS)
                                 : mosquitto_reconnect(mosq_);
            first = false;
            if (rc != MOSQ_ERR_SUCCESS) {
                if (!toldDown)
                    log("MQTT " + config_.url.host + ":" + std::to_string(config_.url.port) + ": " +
                        (rc == MOSQ_ERR_ERRNO ? std::string(std::strerror(errno)) : std::string(mosquitto_strerror(rc))) +
                        " (retrying)");
                toldDown = true;
                nap(delayS);
                delayS = std::min(delayS * 2, 10);
                continue;
            }
            socketUp = true;
        }
        if (mosquitto_loop(mosq_, 100, 1) != MOSQ_ERR_SUCCESS) {
            socketUp = false;
            if (connected_.exchange(false)) {
                log("MQTT " + config_.url.host + ":" + std::to_string(config_.url.port) + ": connection lost (reconnecting)");
                if (config_.onConnectionLost) config_.onConnectionLost();
            }
            if (refused_) {   // refused (credentials): retried, backing off, told once
                toldDown = true;
                nap(delayS);
                delayS = std::min(delayS * 2, 10);
            } else {
                nap(1);
            }
        } else if (connected_) {
            toldDown = false;
            delayS = 1;
        }
    }
    // A clean end: what was queued goes out, then DISCONNECT (the broker then drops the Will).
    if (socketUp && connected_) {
        mosquitto_disconnect(mosq_);
        for (int k = 0; k < 40 && mosquitto_loop(mosq_, 50, 1) == MOSQ_ERR_SUCCESS; ++k) {
        }
    }
    connected_ = false;
}

void MqttClient::stop()
{
    if (!thread_.joinable()) return;
    stopping_ = true;
    thread_.join();
}

bool MqttClient::publish(const std::string& topic, std::string_view payload, int qos, bool retain)
{
    if (payload.size() > static_cast<std::size_t>(INT_MAX)) return false;
    return mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos,
                             retain) == MOSQ_ERR_SUCCESS;
}

bool MqttClient::subscribe(const std::string& pattern, int qos)
{
    return mosquitto_subscribe(mosq_, nullptr, pattern.c_str(), qos) == MOSQ_ERR_SUCCESS;
}

void MqttClient::log(const std::string& line)
{
    if (config_.onLog) config_.onLog(line);
}

void MqttClient::onConnectCb(mosquitto*, void* self, int rc)
{
    auto* c = static_cast<MqttClient*>(self);
    if (rc != 0) {
        if (!c->refused_.exchange(true))
            c->log("MQTT " + c->config_.url.host + ":" + std::to_string(c->config_.url.port) +
                   ": connection refused: " + mosquitto_connack_string(rc) + " (retrying)");
        return;
    }
    c->refused_ = false;
    c->connected_ = true;
    ++c->connections_;
    if (c->config_.onConnect) c->config_.onConnect();
}

void MqttClient::onDisconnectCb(mosquitto*, void* self, int rc)
{
    auto* c = static_cast<MqttClient*>(self);
    if (c->connected_.exchange(false) && rc != 0)
        c->log("MQTT " + c->config_.url.host + ":" + std::to_string(c->config_.url.port) +
               ": connection lost (reconnecting)");
}

void MqttClient::onMessageCb(mosquitto*, void* self, const mosquitto_message* m)
{
    auto* c = static_cast<MqttClient*>(self);
    if (!c->config_.onMessage || !m->topic) return;
    c->config_.onMessage(m->topic, std::string_view(static_cast<const char*>(m->payload),
                                                    static_cast<std::size_t>(m->payloadlen)));
}

} // namespace app_common
