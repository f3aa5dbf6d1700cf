#include "options.h"

#include "twin/opscentre/bus_address.h"

#include "twin/data_paths.h"
#include "twin/error.h"
#include "twin/utc_time.h"

#include <QCommandLineParser>

#include <cmath>

namespace colossus_sim {

namespace {

constexpr double kMinSpeed = 0.1, kMaxSpeed = 1000;

const char* kDescription =
    "Runs the Colossus campus simulator for a scenario and records everything into a twin store.\n"
    "\n"
    "  colossus-sim --site colossus --scenario turbine-trip --duration 3600 --out trip.twin\n"
    "  colossus-sim --site data/sites/colossus.json --scenario-file turbine-trip-early \\\n"
    "               --duration 600 --set seed=7 --out run.twin --force\n"
    "  colossus-sim ... --live --speed 10    (writes in step with the wall clock, 10x real time)\n"
    "  colossus-sim ... --live --dcgm-exporter 127.0.0.1:9400 --exporter-hosts 8\n"
    "               (GPU metrics as dcgm-exporter serves them, one port per host)\n"
    "\n"
    "--site and --scenario-file take a file, or the bare name of one in the data directory's\n"
    "sites/ or scenarios/ folder (--list-sites). The data directory is $COLOSSUS_TWIN_DATA_DIR\n"
    "when set, else ../share/colossus-twin beside the program (installed), else the source tree's data/.\n"
    "\n"
    "SIGINT or SIGTERM stops the run cleanly: what was simulated so far stays in the store.\n"
    "Exit status: 0 done or stopped by a signal, 1 a failure while running (campus file, store),\n"
    "2 bad arguments (options, scenario, scenario file, --set, a unit or hall not on the campus,\n"
    "a site or scenario name not in the data directory).";

std::string str(const QString& s) { return s.toStdString(); }

// --dcgm-exporter HOST:PORT and --exporter-hosts N (dcgm_exporter.h).
void parseExporterOptions(const QCommandLineParser& parser, Options& o)
{
    if (parser.isSet("exporter-hosts") && !parser.isSet("dcgm-exporter"))
        throw UsageError("--exporter-hosts only applies with --dcgm-exporter");
    if (!parser.isSet("dcgm-exporter")) return;
    if (!o.live) throw UsageError("--dcgm-exporter needs --live (the endpoints serve the present)");
    const QString text = parser.value("dcgm-exporter");
    const auto colon = text.lastIndexOf(':');
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : 0;
    if (colon <= 0 || !ok || port < 0 || port > 65535)
        throw UsageError("--dcgm-exporter: '" + str(text) + "' is not HOST:PORT (e.g. 127.0.0.1:9400; port 0: any free ports)");
    o.exporterHost = str(text.left(colon));
    if (o.exporterHost.size() > 2 && o.exporterHost.front() == '[' && o.exporterHost.back() == ']')
        o.exporterHost = o.exporterHost.substr(1, o.exporterHost.size() - 2);
    o.exporterPort = port;
    if (parser.isSet("exporter-hosts")) {
        const QString n = parser.value("exporter-hosts").trimmed();
        o.exporterHosts = n.toInt(&ok);
        if (!ok || o.exporterHosts < 1 || o.exporterHosts > 256)
            throw UsageError("--exporter-hosts: '" + str(n) + "' is not a whole number from 1 to 256");
    }
}

double positiveNumber(const QString& option, const QString& text)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v <= 0)
        throw UsageError("--" + str(option) + ": '" + str(text) + "' is not a number of seconds > 0");
    return v;
}

std::string requiredValue(const QCommandLineParser& parser, const QString& option)
{
    if (!parser.isSet(option)) throw UsageError("missing --" + str(option) + " (see --help)");
    const QString v = parser.value(option);
    if (v.isEmpty()) throw UsageError("--" + str(option) + " needs a value");
    return str(v);
}

// A file, or a bare name looked up in the data directory (twin/data_paths.h).
std::string dataFile(const char* option, const std::string& nameOrPath, const char* subdir)
{
    try {
        return twin::resolveDataFile(nameOrPath, subdir);
    } catch (const twin::Error& e) {
        throw UsageError(std::string("--") + option + ": " + e.what());
    }
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
        {"scenario", "Named scenario (--list-scenarios).", "NAME"},
        {"scenario-file", "Scenario file, or the name of one in the data directory, instead of --scenario.",
         "FILE|NAME"},
        {"duration", "Simulated time, seconds.", "SECONDS"},
        {"out", "Twin store to write (*.twin).", "FILE"},
        {"seed", "Random seed (default: the scenario's).", "N"},
        {"start", "When the simulation starts: an ISO-8601 UTC date (2026-01-17) or date-time "
                  "(2026-01-17T08:00:00Z); default 2026-07-15T16:00:00Z. Only what the campus file commissions "
                  "by then draws load or generates; later assets come in when the run passes their date.",
         "DATE"},
        {"set", "Sets a parameter after the scenario (repeatable; --list-params).", "KEY=VALUE"},
        {"force", "Overwrite an existing --out file."},
        {"live", "Write in step with the wall clock, for a viewer following the store."},
        {"speed", "With --live: simulated seconds per wall-clock second, 0.1 to 1000 (default 1).", "X"},
        {"dcgm-exporter", "With --live: serve the GPUs of --exporter-hosts hosts as dcgm-exporter does, host k on "
                          "PORT + k (PORT 0: any free ports, printed; docs/ingest.md).", "HOST:PORT"},
        {"exporter-hosts", "With --dcgm-exporter: the first N hosts of the default inventory, 1 to 256 (default 1).",
         "N"},
        {"sparkplug", "With --live: also publish the plant as Sparkplug B edge nodes to this MQTT broker (group "
                      "default colossus); the simulation starts at the wall clock unless --start (or --set start=...).",
         "mqtt://HOST:PORT[/GROUP]"},
        {"publish", "Also publish the store, commit by commit, to the twin's NATS JetStream stream for "
                    "followers (colossus-twin nats://HOST:PORT/TWIN; docs/opscentre.md).",
         "nats://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/TWIN"},
        {"list-scenarios", "Lists the named scenarios and exits."},
        {"list-params", "Lists every parameter with its default and exits."},
        {"list-sites", "Lists the campus and scenario files of the data directory and exits."},
    });
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
    if (parser.isSet(version)) o.action = Action::Version;
    else if (parser.isSet("list-scenarios")) o.action = Action::ListScenarios;
    else if (parser.isSet("list-params")) o.action = Action::ListParams;
    else if (parser.isSet("list-sites")) o.action = Action::ListSites;
    if (o.action != Action::Run) return o;

    o.site = dataFile("site", requiredValue(parser, "site"), "sites");
    if (parser.isSet("scenario") && parser.isSet("scenario-file"))
        throw UsageError("give either --scenario or --scenario-file, not both");
    if (parser.isSet("scenario-file"))
        o.scenarioFile = dataFile("scenario-file", requiredValue(parser, "scenario-file"), "scenarios");
    else if (parser.isSet("scenario")) o.scenario = requiredValue(parser, "scenario");
    else throw UsageError("missing --scenario NAME or --scenario-file FILE (see --list-scenarios)");
    if (!parser.isSet("duration")) throw UsageError("missing --duration SECONDS");
    o.durationS = positiveNumber("duration", parser.value("duration"));
    o.out = requiredValue(parser, "out");

    if (parser.isSet("seed")) {
        bool ok = false;
        const QString text = parser.value("seed").trimmed();
        o.seed = text.toULongLong(&ok);
        if (!ok || text.startsWith('-') || text.startsWith('+'))
            throw UsageError("--seed: '" + str(parser.value("seed")) + "' is not a whole number >= 0");
    }
    if (parser.isSet("start")) {
        const QString text = parser.value("start").trimmed();
        o.start = twin::parseUtcTime(str(text));
        if (!o.start)
            throw UsageError("--start: '" + str(text) + "' is not an ISO-8601 UTC date (2026-01-17) or date-time "
                             "(2026-01-17T08:00:00Z)");
    }
    for (const QString& set : parser.values("set")) {
        const auto eq = set.indexOf('=');
        if (eq <= 0) throw UsageError("--set expects KEY=VALUE, got '" + str(set) + "'");
        o.sets.emplace_back(str(set.left(eq).trimmed()), str(set.mid(eq + 1)));
    }
    o.force = parser.isSet("force");
    o.live = parser.isSet("live");
    if (parser.isSet("speed")) {
        if (!o.live) throw UsageError("--speed only applies with --live");
        bool ok = false;
        o.speed = parser.value("speed").trimmed().toDouble(&ok);
        if (!ok || !(o.speed >= kMinSpeed && o.speed <= kMaxSpeed))
            throw UsageError("--speed: '" + str(parser.value("speed")) + "' is not a number from 0.1 to 1000");
    }
    parseExporterOptions(parser, o);
    if (parser.isSet("sparkplug")) {
        if (!o.live) throw UsageError("--sparkplug only applies with --live");
        o.sparkplug = str(parser.value("sparkplug"));
        if (o.sparkplug.rfind("mqtt://", 0) != 0)
            throw UsageError("--sparkplug: '" + o.sparkplug + "' is not mqtt://HOST:PORT[/GROUP]");
    }
    if (parser.isSet("publish")) {
        std::string why;
        if (!twin::opscentre::parseBusAddress(str(parser.value("publish")), &why)) throw UsageError("--publish: " + why);
        o.publish = str(parser.value("publish"));
    }
    if (const std::string problem = app_nats::readBusOptions(parser, !o.publish.empty(), true, "with --publish", o.bus);
        !problem.empty())
        throw UsageError(problem);
    return o;
}

twin::sim::Params buildParams(const Options& o)
{
    twin::sim::Params p;
    try {
        p = o.scenarioFile.empty() ? twin::sim::scenario(o.scenario, o.durationS)
                                   : twin::sim::loadScenarioFile(o.scenarioFile, o.durationS);
    } catch (const twin::Error& e) {
        throw UsageError(o.scenarioFile.empty() ? "--scenario: " + e.problem() : std::string(e.what()));
    }
    if (o.seed) p.seed = *o.seed;
    if (o.start) p.start = *o.start;
    for (const auto& [key, value] : o.sets) {
        try {
            twin::sim::setParam(p, key, value);
        } catch (const twin::Error& e) {
            throw UsageError(e.what());
        }
    }
    return p;
}

} // namespace colossus_sim
