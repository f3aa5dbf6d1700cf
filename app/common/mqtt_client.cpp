#include "mqtt_client.h"

#include <mosquitto.h>

#include <climits>

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
    mosquitto_reconnect_delay_set(mosq_, 1, 10, true);
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
    if (started_) return;
    setWill();
    // connect_async: a broker that is not up yet is retried by the loop thread.
    const int rc = mosquitto_connect_async(mosq_, config_.url.host.c_str(), config_.url.port, config_.keepAliveS);
    if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO)
        log("MQTT " + config_.url.host + ":" + std::to_string(config_.url.port) + ": " + mosquitto_strerror(rc) +
            " (retrying)");
    if (mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS) throw std::runtime_error("MQTT: cannot start its thread");
    started_ = true;
}

void MqttClient::stop()
{
    if (!started_) return;
    // Connected: a clean DISCONNECT (the broker then drops the Will), after which the loop thread
    // ends by itself. Not connected: the thread would retry for ever, so it is cancelled.
    const bool clean = connected_ && mosquitto_disconnect(mosq_) == MOSQ_ERR_SUCCESS;
    mosquitto_loop_stop(mosq_, !clean);
    started_ = false;
    connected_ = false;
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
        c->log("MQTT " + c->config_.url.host + ":" + std::to_string(c->config_.url.port) +
               ": connection refused: " + mosquitto_connack_string(rc));
        return;
    }
    c->connected_ = true;
    ++c->connections_;
    if (c->config_.onConnect) c->config_.onConnect();
}

void MqttClient::onDisconnectCb(mosquitto*, void* self, int rc)
{
    auto* c = static_cast<MqttClient*>(self);
    const bool was = c->connected_.exchange(false);
    if (rc != 0 && was)
        c->log("MQTT " + c->config_.url.host + ":" + std::to_string(c->config_.url.port) +
               ": connection lost (reconnecting)");
    c->setWill();   // the next session's Will (the loop thread reconnects after this)
}

void MqttClient::onMessageCb(mosquitto*, void* self, const mosquitto_message* m)
{
    auto* c = static_cast<MqttClient*>(self);
    if (!c->config_.onMessage || !m->topic) return;
    c->config_.onMessage(m->topic, std::string_view(static_cast<const char*>(m->payload),
                                                    static_cast<std::size_t>(m->payloadlen)));
}

} // namespace app_common
