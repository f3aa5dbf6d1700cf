// An MQTT client for the programs (libmosquitto, Debian's libmosquitto-dev): connects in the
// background, reconnects by itself when the broker goes away or is not up yet (1 s, backing off
// to 10 s), and calls back on each (re)connection and message from its own network thread. (Its
// own loop rather than mosquitto_loop_start: libmosquitto 2.0's thread does not retry a first
// connection that failed.) colossus-ingest
// receives the plant with it, colossus-sim --sparkplug publishes the plant.
#pragma once

#include <atomic>
#include <string_view>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

struct mosquitto;
struct mosquitto_message;

namespace app_common {

// mqtt://HOST:PORT[/PATH] or mqtts://HOST:PORT[/PATH] (port default 1883 / 8883).
struct MqttUrl {
    bool tls = false;
    std::string host;
    int port = 1883;
    std::string path;   // without the leading '/'; "" if none
};
// Throws std::invalid_argument with a one-line message naming the URL.
MqttUrl parseMqttUrl(const std::string& text);

struct MqttWill {
    std::string topic, payload;
    int qos = 1;
    bool retain = false;
};

struct MqttConfig {
    MqttUrl url;
    std::string clientId;
    std::string user, password;   // empty user: none
    std::string caFile;           // mqtts: the CA that signed the broker's certificate
    int keepAliveS = 10;          // the broker sends the Will after 1.5 x this without us
    // Called before each connection attempt for the Will to register (none when it returns an
    // empty topic): a Sparkplug node's Will changes with each session (bdSeq).
    std::function<MqttWill()> will;
    // Called on libmosquitto's thread after each successful (re)connection: subscribe, birth.
    std::function<void()> onConnect;
    std::function<void(const std::string& topic, std::string_view payload)> onMessage;
    // Called on the network thread when an established connection is lost.
    std::function<void()> onConnectionLost;
    // A line about a connection going or failing (to print).
    std::function<void(const std::string& line)> onLog;
};

class MqttClient {
public:
    explicit MqttClient(MqttConfig config);   // throws std::runtime_error (bad TLS files, ...)
    ~MqttClient();                            // disconnects cleanly (no Will)
    MqttClient(const MqttClient&) = delete;
    MqttClient& operator=(const MqttClient&) = delete;

    void start();                             // connects in the background
    void stop();                              // disconnects cleanly and joins the thread
    // False when not connected or refused by libmosquitto.
    bool publish(const std::string& topic, std::string_view payload, int qos = 0, bool retain = false);
    bool subscribe(const std::string& pattern, int qos = 0);
    bool connected() const { return connected_.load(); }
    long connections() const { return connections_.load(); }

private:
    static void onConnectCb(mosquitto*, void* self, int rc);
    static void onDisconnectCb(mosquitto*, void* self, int rc);
    static void onMessageCb(mosquitto*, void* self, const ::mosquitto_message* m);
    void setWill();
    void log(const std::string& line);
    void run();   // the network thread

    MqttConfig config_;
    mosquitto* mosq_ = nullptr;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> refused_{false};   // the broker refused the last CONNECT (credentials)
    std::atomic<bool> connected_{false};
    std::atomic<long> connections_{0};
};

} // namespace app_common
