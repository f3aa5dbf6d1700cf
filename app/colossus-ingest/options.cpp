#include "options.h"

#include "scrape_options.h"

#include "twin/data_paths.h"
#include "twin/error.h"
#include "twin/opscentre/bus_address.h"

#include <QCommandLineParser>

#include <cmath>

namespace colossus_ingest {

namespace {

const char* kDescription =
    "Receives GPU telemetry as Prometheus remote-write (dcgm-exporter metrics, e.g. from a\n"
    "Prometheus in agent mode) and records it into a twin store, one frame per period.\n"
    "\n"
    "  colossus-ingest --write-inventory inventory.csv --site small\n"
    "  colossus-ingest --site small --inventory inventory.csv --out live.twin\n"
    "  colossus-ingest ... --listen 0.0.0.0:9201 --bearer-token-file token \\\n"
    "                  --tls-cert cert.pem --tls-key key.pem\n"
    "  colossus-ingest ... --scrape http://node-0001:9400/metrics --scrape-interval 15\n"
    "                  (pulls instead; with --scrape and no --listen, nothing listens)\n"
    "\n"
    "POST /api/v1/write answers 204 (taken), 400 (invalid data; the valid part was kept),\n"
    "401 (bearer token), 413 (too large), 415 (not snappy protobuf), 503 (the writer is behind:\n"
    "the sender retries). One line of counts per --report-every; SIGINT or SIGTERM closes the\n"
    "store cleanly. An existing --out is resumed: frames go on after its last one (its campus\n"
    "and --period must be those it was created with); --force replaces it instead.\n"
    "The inventory file, the metric alias table and the quality codes: docs/ingest.md.\n"
    "\n"
    "The plant over MQTT (Sparkplug B host application and JSON topics; --inventory optional):\n"
    "  colossus-ingest --write-plant-map plant.csv --site small\n"
    "  colossus-ingest --site small --mqtt mqtt://127.0.0.1:1883 --plant-map plant.csv --out live.twin\n"
    "\n"
    "Exit status: 0 stopped by a signal or done, 1 a failure (campus, inventory, plant map, store, port),\n"
    "2 bad arguments.";

std::string str(const QString& s) { return s.toStdString(); }

double number(const QCommandLineParser& parser, const char* option, double min, double max, const char* what)
{
    const QString text = parser.value(option);
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max)
        throw UsageError(std::string("--") + option + ": '" + str(text) + "' is not " + what);
    return v;
}

int wholeNumber(const QCommandLineParser& parser, const char* option, int min, int max)
{
    const std::string what = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    const double v = number(parser, option, min, max, what.c_str());
    if (v != std::floor(v)) throw UsageError(std::string("--") + option + ": '" + str(parser.value(option)) + "' is not " + what);
    return static_cast<int>(v);
}

std::string requiredValue(const QCommandLineParser& parser, const char* option)
{
    if (!parser.isSet(option)) throw UsageError(std::string("missing --") + option + " (see --help)");
    const QString v = parser.value(option);
    if (v.isEmpty()) throw UsageError(std::string("--") + option + " needs a value");
    return str(v);
}

void parseListen(const QString& text, Options& o)
{
    const auto colon = text.lastIndexOf(':');
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : 0;
    if (colon <= 0 || !ok || port < 0 || port > 65535)
        throw UsageError("--listen: '" + str(text) + "' is not HOST:PORT (e.g. 127.0.0.1:9201; port 0: any free port)");
    o.listenHost = str(text.left(colon));
    if (o.listenHost.size() > 2 && o.listenHost.front() == '[' && o.listenHost.back() == ']')
        o.listenHost = o.listenHost.substr(1, o.listenHost.size() - 2);   // [::1]:9201
    o.listenPort = port;
}

void parsePlantOptions(const QCommandLineParser& parser, Options& o)
{
    const char* needMqtt[] = {"mqtt-ca", "mqtt-user", "mqtt-password-file", "plant-map", "sparkplug-host-id",
                              "plant-stale-after"};
    if (!parser.isSet("mqtt")) {
        for (const char* option : needMqtt)
            if (parser.isSet(option)) throw UsageError(std::string("--") + option + " only applies with --mqtt");
        return;
    }
    o.mqtt = requiredValue(parser, "mqtt");
    const auto scheme = o.mqtt.find("://");
    if ((o.mqtt.rfind("mqtt://", 0) != 0 && o.mqtt.rfind("mqtts://", 0) != 0) ||
        o.mqtt.find('/', scheme + 3) != std::string::npos)
        throw UsageError("--mqtt: '" + o.mqtt + "' is not mqtt://HOST:PORT or mqtts://HOST:PORT");
    if (parser.isSet("mqtt-ca")) {
        if (o.mqtt.rfind("mqtts://", 0) != 0) throw UsageError("--mqtt-ca needs an mqtts:// broker");
        o.mqttCa = requiredValue(parser, "mqtt-ca");
    }
    if (parser.isSet("mqtt-user")) o.mqttUser = requiredValue(parser, "mqtt-user");
    if (parser.isSet("mqtt-password-file")) {
        if (o.mqttUser.empty()) throw UsageError("--mqtt-password-file needs --mqtt-user");
        o.mqttPasswordFile = requiredValue(parser, "mqtt-password-file");
    }
    if (parser.isSet("plant-map")) o.plantMap = requiredValue(parser, "plant-map");
    if (parser.isSet("sparkplug-host-id")) {
        o.sparkplugHostId = requiredValue(parser, "sparkplug-host-id");
        if (o.sparkplugHostId.find_first_of("/+#") != std::string::npos)
            throw UsageError("--sparkplug-host-id: '" + o.sparkplugHostId + "' may not hold '/', '+' or '#'");
    }
    if (parser.isSet("plant-stale-after"))
        o.plantStaleAfterMs =
            std::llround(1000 * number(parser, "plant-stale-after", 0.001, 86400, "a number of seconds > 0"));
}

} // namespace

Options parseOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(kDescription);
    const auto help = parser.addHelpOption();
    const auto version = parser.addVersionOption();
    parser.addOptions({
        {"site", "Campus file, or the name of one in the data directory (colossus, small).", "FILE|NAME"},
        {"inventory", "Inventory CSV: host,rack,first_slot,gpus (docs/ingest.md); optional with --mqtt.", "FILE"},
        {"out", "Twin store to write (*.twin).", "FILE"},
        {"publish", "Also publish the store, commit by commit, to the twin's NATS JetStream stream for "
                    "followers (colossus-twin nats://HOST:PORT/TWIN; docs/opscentre.md).",
         "nats://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/TWIN"},
        {"listen", "Address to listen on (default 127.0.0.1:9201; port 0: any free port).", "HOST:PORT"},
        {"period", "Seconds between frames, 0.1 to 3600 (default 1).", "SECONDS"},
        {"stale-after", "A value older than this is stale, seconds (default 90: 3 x a 30 s scrape).", "SECONDS"},
        {"report-every", "Seconds between lines of counts (default 60).", "SECONDS"},
        {"bearer-token-file", "Require 'Authorization: Bearer <the file's first line>'.", "FILE"},
        {"max-body-bytes", "Largest compressed body taken (default 16777216; decoded: 8 times that).", "N"},
        {"max-requests-per-second", "Answer 503 (retry later) to requests over this rate, a second's burst "
                                    "allowed (default 0: no limit).", "N"},
        {"tls-cert", "Serve HTTPS with this PEM certificate (with --tls-key).", "FILE"},
        {"tls-key", "The PEM private key of --tls-cert.", "FILE"},
        {"threads", "HTTP worker threads, and scrape workers, 1 to 64 (default 4).", "N"},
        {"force", "Replace an existing --out store instead of resuming it."},
        {"write-inventory", "Writes the default inventory of --site (hosts <rack id>-n<k>) and exits.", "FILE"},
        {"gpus-per-host", "With --write-inventory: GPUs per host, 1 to 72 (default 8).", "N"},
        {"mqtt", "Receive the plant over MQTT from this broker: Sparkplug B and JSON topics.", "mqtt[s]://HOST:PORT"},
        {"mqtt-ca", "With mqtts://: the CA certificate (PEM) of the broker (default: the system's).", "FILE"},
        {"mqtt-user", "MQTT user name.", "NAME"},
        {"mqtt-password-file", "MQTT password: the file's first line.", "FILE"},
        {"plant-map", "Plant map CSV: Sparkplug metrics and JSON topics to plant assets (default: the one of "
                      "--write-plant-map).", "FILE"},
        {"sparkplug-host-id", "Sparkplug host id of the STATE topic (default colossus-twin).", "ID"},
        {"plant-stale-after", "A JSON plant value older than this is stale, seconds (default 30).", "SECONDS"},
        {"write-plant-map", "Writes the default plant map of --site (what colossus-sim --sparkplug sends) and exits.",
         "FILE"},
    });
    parser.addOptions(scrapeOptions());
    parser.addOptions(app_nats::busCommandLineOptions(true));
    if (!parser.parse(arguments)) throw UsageError(str(parser.errorText()));
    if (!parser.positionalArguments().isEmpty())
        throw UsageError("unexpected argument '" + str(parser.positionalArguments().first()) + "' (see --help)");

    Options o;
    if (parser.isSet(help) || parser.isSet("help-all")) {
        o.action = Action::Help;
        o.helpText = str(parser.helpText());
        return o;
    }
    if (parser.isSet(version)) {
        o.action = Action::Version;
        return o;
    }
    try {
        o.site = twin::resolveDataFile(requiredValue(parser, "site"), "sites");
    } catch (const twin::Error& e) {
        throw UsageError(std::string("--site: ") + e.what());
    }
    if (parser.isSet("write-inventory")) {
        o.action = Action::WriteInventory;
        o.writeInventory = requiredValue(parser, "write-inventory");
        if (parser.isSet("gpus-per-host"))
            o.gpusPerHost = wholeNumber(parser, "gpus-per-host", 1, 72);
        return o;
    }
    if (parser.isSet("write-plant-map")) {
        o.action = Action::WritePlantMap;
        o.writePlantMap = requiredValue(parser, "write-plant-map");
        return o;
    }
    if (parser.isSet("gpus-per-host")) throw UsageError("--gpus-per-host only applies with --write-inventory");
    parsePlantOptions(parser, o);
    if (o.mqtt.empty() || parser.isSet("inventory")) o.inventory = requiredValue(parser, "inventory");
    o.out = requiredValue(parser, "out");
    if (parser.isSet("publish")) {
        std::string why;
        if (!twin::opscentre::parseBusAddress(str(parser.value("publish")), &why)) throw UsageError("--publish: " + why);
        o.publish = str(parser.value("publish"));
    }
    if (const std::string problem = app_nats::readBusOptions(parser, !o.publish.empty(), true, "with --publish", o.bus);
        !problem.empty())
        throw UsageError(problem);
    if (parser.isSet("listen")) parseListen(parser.value("listen"), o);
    if (parser.isSet("period"))
        o.periodMs = std::llround(1000 * number(parser, "period", 0.1, 3600, "a number of seconds from 0.1 to 3600"));
    if (parser.isSet("stale-after"))
        o.staleAfterMs = std::llround(1000 * number(parser, "stale-after", 0.001, 86400, "a number of seconds > 0"));
    if (parser.isSet("report-every"))
        o.reportEveryMs = std::llround(1000 * number(parser, "report-every", 0.1, 86400, "a number of seconds > 0"));
    if (parser.isSet("bearer-token-file")) o.bearerTokenFile = requiredValue(parser, "bearer-token-file");
    if (parser.isSet("max-body-bytes"))
        o.maxBodyBytes = static_cast<std::size_t>(wholeNumber(parser, "max-body-bytes", 1024, 1 << 30));
    if (parser.isSet("max-requests-per-second"))
        o.maxRequestsPerSecond = number(parser, "max-requests-per-second", 0, 1e6, "a number of requests from 0 to 1000000");
    if (parser.isSet("tls-cert") != parser.isSet("tls-key"))
        throw UsageError("--tls-cert and --tls-key go together");
    if (parser.isSet("tls-cert")) {
        o.tlsCert = requiredValue(parser, "tls-cert");
        o.tlsKey = requiredValue(parser, "tls-key");
    }
    if (parser.isSet("threads"))
        o.threads = wholeNumber(parser, "threads", 1, 64);
    o.force = parser.isSet("force");
    readScrapeOptions(parser, o);
    if (o.inventory.empty())   // a plant-only ingest has no HTTP receiver and scrapes nothing
        for (const char* option : {"listen", "bearer-token-file", "max-body-bytes", "max-requests-per-second", "tls-cert", "threads", "stale-after",
                                   "scrape", "scrape-file"})
            if (parser.isSet(option))
                throw UsageError(std::string("--") + option + " is for the GPUs: it needs --inventory");
    return o;
}

} // namespace colossus_ingest
