#include "fabric_model.h"

#include "compute_model.h"

#include "twin/error.h"

#include <algorithm>
#include <cstdio>

namespace twin::sim {

namespace {

constexpr double kGradientBytes = 1e9;   // the times scale with it; only their ratios are used

// The link carrying most of a job's bytes (both directions).
int busiestLink(const JobTraffic& t) {
    int best = -1;
    double most = -1;
    for (const auto& l : t.links)
        if (l.up + l.down > most) most = l.up + l.down, best = l.link;
    return best;
}

} // namespace

FabricModel::FabricModel(const Campus& campus, const FabricSpec& spec, const std::vector<JobRt>& jobs)
    : fabric_(expandFabric(campus, spec, "fabric")) {
    const auto& racks = campus.racks();
    for (const JobRt& j : jobs) {
        if (j.racks.empty()) {
            servers_.push_back({0, 0});
            continue;
        }
        const std::int64_t first = fabric_.serverOfGpu(campus.assets[static_cast<std::size_t>(racks[static_cast<std::size_t>(j.racks.front())])].gpuFirst);
        servers_.push_back({first, j.gpus / spec.gpusPerServer});
    }
    for (const auto& [first, n] : servers_) traffic_.push_back(ringAllReduce(fabric_, first, n, kGradientBytes));
    base_ = communicationSeconds(fabric_, traffic_);
}

FabricModel::Change FabricModel::failLink(const std::string& id, int job) {
    int link = -1;
    if (id.empty()) {
        if (job >= 0 && job < static_cast<int>(traffic_.size())) link = busiestLink(traffic_[static_cast<std::size_t>(job)]);
        if (link < 0) throw Error("scenario", "linkFail: the job crosses no fabric link (it fits on one leaf)");
    } else {
        const auto tilde = id.find('~');
        if (tilde != std::string::npos)
            link = fabric_.findLink(fabric_.findSwitch(id.substr(0, tilde)), fabric_.findSwitch(id.substr(tilde + 1)));
        if (link < 0) throw Error("scenario", "linkFail: no fabric link '" + id + "' (<switch id>~<switch id>)");
    }
    Change c;
    c.asset = fabric_.linkId(link);
    c.text = "fabric link " + c.asset + " down";
    return apply(std::move(c), {link});
}

FabricModel::Change FabricModel::failSpine(const std::string& id, int job) {
    int sw = -1;
    if (id.empty()) {
        // The spine whose bundles carry most of the job's bytes.
        std::vector<double> bytes(fabric_.switches.size(), 0);
        if (job >= 0 && job < static_cast<int>(traffic_.size()))
            for (const auto& l : traffic_[static_cast<std::size_t>(job)].links)
                for (int end : {fabric_.links[static_cast<std::size_t>(l.link)].a, fabric_.links[static_cast<std::size_t>(l.link)].b})
                    if (fabric_.switches[static_cast<std::size_t>(end)].tier == SwitchTier::Spine) bytes[static_cast<std::size_t>(end)] += l.up + l.down;
        const auto it = std::max_element(bytes.begin(), bytes.end());
        if (it == bytes.end() || *it <= 0) throw Error("scenario", "spineFail: the job crosses no spine");
        sw = static_cast<int>(it - bytes.begin());
    } else {
        sw = fabric_.findSwitch(id);
        if (sw < 0 || fabric_.switches[static_cast<std::size_t>(sw)].tier != SwitchTier::Spine)
            throw Error("scenario", "spineFail: no spine '" + id + "'");
    }
    Change c;
    c.asset = fabric_.switches[static_cast<std::size_t>(sw)].id;
    c.text = "fabric spine " + c.asset + " down (" + std::to_string(fabric_.linksOf(sw).size()) + " bundles)";
    return apply(std::move(c), fabric_.linksOf(sw));
}

FabricModel::Change FabricModel::repair() {
    faults_.linkDown.clear();
    Change c;
    for (std::size_t j = 0; j < servers_.size(); ++j)
        traffic_[j] = ringAllReduce(fabric_, servers_[j].first, servers_[j].second, kGradientBytes);
    c.commScale = scales();
    return c;
}

std::vector<double> FabricModel::scales() const {
    const auto now = communicationSeconds(fabric_, traffic_);
    std::vector<double> out;
    for (std::size_t j = 0; j < now.size(); ++j) out.push_back(base_[j] > 0 ? now[j] / base_[j] : 1);
    return out;
}

FabricModel::Change FabricModel::apply(Change c, const std::vector<int>& downed) {
    if (faults_.linkDown.empty()) faults_.linkDown.assign(fabric_.links.size(), 0);
    for (std::size_t j = 0; j < traffic_.size(); ++j)
        for (const auto& l : traffic_[j].links)
            if (std::find(downed.begin(), downed.end(), l.link) != downed.end()) {
                c.crossing.push_back(static_cast<int>(j));
                break;
            }
    for (int l : downed) faults_.linkDown[static_cast<std::size_t>(l)] = 1;
    // Only the crossing jobs' rings change paths (resilient hashing); the others keep theirs,
    // but may share links with the re-routed ones: every job's time is recomputed.
    for (int j : c.crossing)
        traffic_[static_cast<std::size_t>(j)] = ringAllReduce(fabric_, servers_[static_cast<std::size_t>(j)].first,
                                                              servers_[static_cast<std::size_t>(j)].second, kGradientBytes, faults_);
    c.commScale = scales();
    char buf[96];
    std::snprintf(buf, sizeof buf, ": %zu job%s crossed it", c.crossing.size(), c.crossing.size() == 1 ? "" : "s");
    c.text += buf;
    return c;
}

} // namespace twin::sim
