// Named scenarios, parameters from text (--set KEY=VALUE) and scenario files (data/scenarios).
#include "twin/error.h"
#include "twin/sim/param_list.h"
#include "twin/sim/simulator.h"
#include "twin/utc_time.h"

#include "../json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace twin::sim {

namespace {

// ---- the parameter table -------------------------------------------------------------------

using Member = std::variant<double Params::*, bool Params::*, std::uint64_t Params::*, std::string Params::*,
                            TimeMs Params::*>;
struct Field {
    std::string_view key;
    Member member;
};

#define TWIN_PARAM(name) Field{#name, &Params::name}
constexpr std::array kFields{
    TWIN_PARAM(scenario), TWIN_PARAM(seed), TWIN_PARAM(start), TWIN_PARAM(stepS), TWIN_PARAM(plantHz),
    TWIN_PARAM(gpuHz), TWIN_PARAM(recordGpus),
    // compute
    TWIN_PARAM(jobRacks), TWIN_PARAM(stepPeriodMinS), TWIN_PARAM(stepPeriodMaxS), TWIN_PARAM(computeFraction),
    TWIN_PARAM(computeActivity), TWIN_PARAM(commActivity), TWIN_PARAM(checkpointEveryS), TWIN_PARAM(checkpointS),
    TWIN_PARAM(checkpointActivity), TWIN_PARAM(jobRampS), TWIN_PARAM(powerSmoothing), TWIN_PARAM(smoothedJobs), TWIN_PARAM(smoothingFloor),
    TWIN_PARAM(smoothingRampUpPerS), TWIN_PARAM(smoothingRampDownPerS), TWIN_PARAM(smoothingHysteresisS),
    TWIN_PARAM(smoothingGpuModels), TWIN_PARAM(rackStorage), TWIN_PARAM(rackStorageGpuModels),
    TWIN_PARAM(rackStoragePeakShare), TWIN_PARAM(rackStorageSeconds), TWIN_PARAM(workload),
    TWIN_PARAM(gpuFailuresPerHour), TWIN_PARAM(stallS), TWIN_PARAM(fabric), TWIN_PARAM(fabricStallS),
    // power plant
    TWIN_PARAM(megapacks), TWIN_PARAM(socMin), TWIN_PARAM(socMax), TWIN_PARAM(socTarget), TWIN_PARAM(roundTrip),
    TWIN_PARAM(droopPct), TWIN_PARAM(primaryLimitPct), TWIN_PARAM(governorS), TWIN_PARAM(loadDampingPctPerHz),
    TWIN_PARAM(gridImportLimitMw), TWIN_PARAM(syncS),
    // grid control, protection
    TWIN_PARAM(turbineS), TWIN_PARAM(frequencyMeasureS), TWIN_PARAM(megapackDroopPct), TWIN_PARAM(megapackInertiaS),
    TWIN_PARAM(agcS), TWIN_PARAM(loadInertiaS), TWIN_PARAM(protection), TWIN_PARAM(overspeedTripPct),
    TWIN_PARAM(uflsFirstHz), TWIN_PARAM(uflsStepHz), TWIN_PARAM(uflsStages), TWIN_PARAM(uflsStagePct),
    TWIN_PARAM(uflsRestoreS), TWIN_PARAM(protectionRestartS),
    // solar, heat
    TWIN_PARAM(peakIrradiance), TWIN_PARAM(supplyTemperature), TWIN_PARAM(coolingCop),
    TWIN_PARAM(chillerMw), TWIN_PARAM(chillerLagS), TWIN_PARAM(chillerRestartS), TWIN_PARAM(outdoorMeanC),
    TWIN_PARAM(outdoorSwingC), TWIN_PARAM(throttleTemperature),
    // incidents
    TWIN_PARAM(tripAtS), TWIN_PARAM(tripUnit), TWIN_PARAM(crashAtS), TWIN_PARAM(crashJob), TWIN_PARAM(cloudAtS),
    TWIN_PARAM(cloudDepth), TWIN_PARAM(cloudS), TWIN_PARAM(cloudEdgeS), TWIN_PARAM(coolingFailAtS),
    TWIN_PARAM(coolingHall), TWIN_PARAM(coolingCapacityLeft), TWIN_PARAM(chillerTripAtS), TWIN_PARAM(chillerTripHall), TWIN_PARAM(megapackFaultAtS),
    TWIN_PARAM(megapackBlock), TWIN_PARAM(gridLossAtS), TWIN_PARAM(linkFailAtS), TWIN_PARAM(linkFail),
    TWIN_PARAM(spineFailAtS), TWIN_PARAM(spineFail), TWIN_PARAM(tripRestartS), TWIN_PARAM(megapackRepairS),
    TWIN_PARAM(gridRestoreS), TWIN_PARAM(crashRestartS), TWIN_PARAM(coolingRepairS), TWIN_PARAM(fabricRepairS),
    TWIN_PARAM(fabricFlaps), TWIN_PARAM(fabricFlapEveryS), TWIN_PARAM(fabricFlapDownS),
};
#undef TWIN_PARAM

// The number of members of an aggregate: the most initialisers `T{...}` accepts. Keeps the
// table above complete when Params grows.
struct AnyValue {
    template <class T> operator T&() const&& noexcept;   // unevaluated only
};
template <class T, std::size_t... I> constexpr bool bracesAccept(std::index_sequence<I...>)
{
    return requires { T{(void(I), AnyValue{})...}; };
}
template <class T, std::size_t N = 0> constexpr std::size_t memberCount()
{
    if constexpr (bracesAccept<T>(std::make_index_sequence<N + 1>{})) return memberCount<T, N + 1>();
    else return N;
}
static_assert(memberCount<Params>() == kFields.size(),
              "twin::sim::Params changed: add the new member to kFields in scenarios.cpp");

// ---- text to values ------------------------------------------------------------------------

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string inQuotes(std::string_view s) { return "'" + std::string(s) + "'"; }

template <class T> bool parseWhole(std::string_view s, T& out)
{
    if (s.size() > 1 && s.front() == '+' && s[1] != '-') s.remove_prefix(1);   // from_chars refuses '+'
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

double parseDouble(std::string_view text)
{
    double v = 0;
    if (!parseWhole(trim(text), v)) throw std::invalid_argument(inQuotes(text) + " is not a number");
    if (!std::isfinite(v)) throw std::invalid_argument(inQuotes(text) + " is not a finite number");
    return v;
}

bool parseBool(std::string_view text)
{
    const std::string s = lower(trim(text));
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    throw std::invalid_argument(inQuotes(text) + " is not a bool (true/false, yes/no, on/off, 1/0)");
}

std::uint64_t parseUnsigned(std::string_view text)
{
    std::uint64_t v = 0;
    if (!parseWhole(trim(text), v))
        throw std::invalid_argument(inQuotes(text) + " is not a whole number from 0 to 18446744073709551615");
    return v;
}

TimeMs parseTime(std::string_view text)
{
    const std::string_view s = trim(text);
    std::int64_t ms = 0;
    if (parseWhole(s, ms)) return ms;
    if (const auto t = parseUtcTime(s)) return *t;   // twin/utc_time.h: the campus file's dates too
    throw std::invalid_argument(inQuotes(text) +
                                " is neither milliseconds since 1970 nor a UTC time like 2026-07-15T16:00:00Z");
}

std::string formatDouble(double v)
{
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);   // shortest text that reads back exactly
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

// ---- unknown keys --------------------------------------------------------------------------

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string unknownKeyProblem(const std::string& key)
{
    const std::string k = lower(key);
    std::vector<std::string> close, all;
    for (const Field& f : kFields) {
        const std::string name = lower(f.key);
        all.emplace_back(f.key);
        const bool contains = k.size() >= 3 && (name.find(k) != std::string::npos || k.find(name) != std::string::npos);
        if (contains || editDistance(k, name) <= std::max<std::size_t>(2, name.size() / 4)) close.emplace_back(f.key);
    }
    if (!close.empty()) return "unknown parameter (did you mean " + join(close) + "?)";
    return "unknown parameter (known: " + join(all) + ")";
}

// ---- scenario files ------------------------------------------------------------------------

// A parameter value of a scenario file as setParam() text.
std::string paramText(const std::string& path, const std::string& key, const nlohmann::json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    throw Error(path, "params." + key + ": expected a number, a bool or a string, got " +
                          (v.is_null() ? std::string("null") : v.is_array() ? "an array" : "an object"));
}

const std::vector<ScenarioInfo> kScenarios = {
    {"steady-training", "a normal training day: every job training and checkpointing, Megapacks smoothing the load"},
    {"turbine-trip", "the largest turbine online trips at peak load, a third of the way in; restarted 120 s later"},
    {"job-crash", "the largest training job dies at once, a third of the way in; requeued 300 s later"},
    {"cloud-passage", "a cloud shades the solar farms a quarter of the way in"},
    {"cooling-failure", "one hall's cooling loop fails a fifth of the way in; its GPUs heat up and throttle; repaired 900 s later"},
    {"megapack-fault", "a Megapack block drops out a third of the way in; back in service 600 s later"},
    {"no-megapacks", "the steady training day with the batteries switched off, to compare against"},
    {"chiller-trip", "one hall's chiller plant trips a fifth of the way in: no heat rejected until it restarts 300 s later; the coolant warms, GPUs may throttle"},
    {"frontier-run", "one synchronous job per building (100k+ GPUs on the default campus), Llama 3's failure rate, checkpoints every 10 min"},
    {"link-failure", "the fabric bundle carrying most of the largest job's bytes fails a third of the way in: the jobs crossing it stall, then go on re-routed; repaired 600 s later"},
    {"link-flap", "the fabric bundle carrying most of the largest job's bytes flaps a third of the way in: down for 2 s every 30 s, 5 times; each time the jobs crossing it stall"},
    {"spine-failure", "the spine carrying most of the largest job's bytes fails a third of the way in: the jobs crossing it stall, then go on over the pod's other spines; repaired 600 s later"},
};

} // namespace

// Each scenario's recovery from its incident (docs/physics.md, "Recovery and alarms"): the alarm
// ends when the condition clears, so a long enough recording shows the whole lifecycle.
// - A tripped turbine is restarted 120 s after its trip (the operator reads the trip log and
//   resets the lockout; a flame-out leaves the unit sound), then takes its own start time
//   (start_s: 600 s on the default campus) and synchronisation (syncS): back online ~12.5 min
//   after the trip on the default campus, ~5 min on the small one.
// - A crashed job is requeued and restarts from its last checkpoint 300 s later (node health
//   checks, job launch and checkpoint load), then ramps over jobRampS.
// - A failed cooling loop is back at full capacity 900 s later (standby pump and chiller
//   brought in by hand); the halls cool down and throttling ends by itself after that.
// - A faulted Megapack block is reset remotely and back in service 600 s later.
// - A failed fabric link or spine is replaced and back in service 600 s later (a spare optic or
//   line card swapped by hand); the jobs' paths then return to their hashed ones.
constexpr double kTripRestartS = 120, kCrashRestartS = 300, kCoolingRepairS = 900, kMegapackRepairS = 600,
                 kFabricRepairS = 600;

const std::vector<ScenarioInfo>& scenarios() { return kScenarios; }

Params scenario(const std::string& name, double durationS)
{
    Params p;
    p.scenario = name;
    if (name == "steady-training") {
    } else if (name == "turbine-trip") {
        p.tripAtS = std::max(5.0, durationS / 3);
        p.tripRestartS = kTripRestartS;
    } else if (name == "job-crash") {
        p.crashAtS = std::max(5.0, durationS / 3);
        p.crashRestartS = kCrashRestartS;
    } else if (name == "cloud-passage") {
        p.cloudAtS = std::max(5.0, durationS / 4);
        p.cloudS = std::min(240.0, std::max(10.0, durationS / 3));
        p.cloudEdgeS = std::min(30.0, p.cloudS / 4);
    } else if (name == "cooling-failure") {
        p.coolingFailAtS = std::max(5.0, durationS / 5);
        p.coolingRepairS = kCoolingRepairS;
    } else if (name == "megapack-fault") {
        p.megapackFaultAtS = std::max(5.0, durationS / 3);
        p.megapackRepairS = kMegapackRepairS;
    } else if (name == "no-megapacks") {
        p.megapacks = false;
    } else if (name == "chiller-trip") {
        p.chillerTripAtS = std::max(5.0, durationS / 5);   // restarts after chillerRestartS by itself
    } else if (name == "frontier-run") {
        p.workload = "frontier";
    } else if (name == "link-failure") {
        p.linkFailAtS = std::max(5.0, durationS / 3);
        p.fabricRepairS = kFabricRepairS;
    } else if (name == "link-flap") {
        p.linkFailAtS = std::max(5.0, durationS / 3);
        p.fabricFlaps = 5;
    } else if (name == "spine-failure") {
        p.spineFailAtS = std::max(5.0, durationS / 3);
        p.fabricRepairS = kFabricRepairS;
    } else {
        std::vector<std::string> known;
        for (const auto& s : kScenarios) known.push_back(s.name);
        throw Error("scenario", "unknown scenario " + inQuotes(name) + " (known: " + join(known) + ")");
    }
    return p;
}

void setParam(Params& p, const std::string& key, const std::string& value)
{
    const auto field = std::find_if(kFields.begin(), kFields.end(), [&](const Field& f) { return f.key == key; });
    if (field == kFields.end()) throw Error("--set " + key, unknownKeyProblem(key));
    try {
        std::visit(
            [&](auto member) {
                auto& target = p.*member;
                using T = std::remove_reference_t<decltype(target)>;
                if constexpr (std::is_same_v<T, double>) target = parseDouble(value);
                else if constexpr (std::is_same_v<T, bool>) target = parseBool(value);
                else if constexpr (std::is_same_v<T, std::uint64_t>) target = parseUnsigned(value);
                else if constexpr (std::is_same_v<T, TimeMs>) target = parseTime(value);
                else target = value;
            },
            field->member);
    } catch (const std::invalid_argument& e) {
        throw Error("--set " + key, e.what());
    }
}

std::vector<ParamInfo> listParams(const Params& p)
{
    std::vector<ParamInfo> out;
    for (const Field& f : kFields) {
        ParamInfo info{std::string(f.key), "", ""};
        std::visit(
            [&](auto member) {
                const auto& v = p.*member;
                using T = std::remove_cvref_t<decltype(v)>;
                if constexpr (std::is_same_v<T, double>) info = {info.key, "number", formatDouble(v)};
                else if constexpr (std::is_same_v<T, bool>) info = {info.key, "bool", v ? "true" : "false"};
                else if constexpr (std::is_same_v<T, std::uint64_t>) info = {info.key, "integer", std::to_string(v)};
                else if constexpr (std::is_same_v<T, TimeMs>) info = {info.key, "time", formatUtc(v)};
                else info = {info.key, "text", v};
            },
            f.member);
        out.push_back(std::move(info));
    }
    return out;
}

Params loadScenarioFile(const std::string& path, double durationS)
{
    const std::string text = readTextFile(path);
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(path, jsonSyntaxMessage(text, e));
    }
    if (!root.is_object()) throw Error(path, "expected an object {\"scenario\": NAME, \"params\": {...}}");
    for (const auto& [key, value] : root.items())
        if (key != "scenario" && key != "description" && key != "params")
            throw Error(path, "unknown field '" + key + "' (known: scenario, description, params)");
    const auto name = root.find("scenario");
    if (name == root.end() || !name->is_string()) throw Error(path, "\"scenario\" must name a scenario");
    if (const auto d = root.find("description"); d != root.end() && !d->is_string())
        throw Error(path, "\"description\" must be a string");

    Params p;
    try {
        p = scenario(name->get<std::string>(), durationS);
    } catch (const Error& e) {
        throw Error(path, e.problem());
    }
    const auto params = root.find("params");
    if (params == root.end()) return p;
    if (!params->is_object()) throw Error(path, "\"params\" must be an object {KEY: VALUE, ...}");
    for (const auto& [key, value] : params->items()) {
        try {
            setParam(p, key, paramText(path, key, value));
        } catch (const Error& e) {
            if (e.file() == path) throw;
            throw Error(path, "params." + key + ": " + e.problem());
        }
    }
    return p;
}

} // namespace twin::sim
