// colossus-sim's command line: what the user asked for, checked, before anything is loaded.
#pragma once

#include "twin/sim/simulator.h"

#include "bus_options.h"

#include <QStringList>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace colossus_sim {

// A bad argument: exit status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Action { Run, Help, Version, ListScenarios, ListParams, ListSites };

struct Options {
    Action action = Action::Run;
    std::string helpText;                       // Action::Help
    std::string site, scenario, scenarioFile, out;   // site, scenarioFile: paths (names resolved)
    double durationS = 0;
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> start;          // --start DATE: ms since the epoch (UTC)
    std::vector<std::pair<std::string, std::string>> sets;   // --set KEY=VALUE, in order
    bool force = false;
    bool live = false;
    double speed = 1;                           // --live: simulated seconds per wall second
    std::string exporterHost;                   // --dcgm-exporter HOST:PORT (empty: none)
    int exporterPort = 0;                       //   host k on PORT + k; 0: any free ports
    int exporterHosts = 1;                      // --exporter-hosts N
    std::string sparkplug;                      // --live: mqtt://HOST:PORT[/GROUP] to publish the plant to
    std::string publish;                        // nats://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/TWIN (or tls://): the store's stream
    app_nats::BusOptions bus;          // --replicas, --bus-ca, --bus-cert, --bus-key
};

// Throws UsageError with a one-line message.
Options parseOptions(const QStringList& arguments);

// The run's parameters: the scenario (or scenario file), then --seed and --start, then every --set.
// Throws UsageError.
twin::sim::Params buildParams(const Options& o);

} // namespace colossus_sim
