// Expanding a FabricSpec over a campus, and routing between GPUs (docs/fabric.md).
#include "twin/fabric.h"

#include "twin/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace twin {

namespace {

std::string padded(long long n, int width) {
    std::string s = std::to_string(n);
    if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
    return s;
}

int digits(long long n) { return std::max(2, static_cast<int>(std::to_string(std::max(0LL, n - 1)).size())); }

// ECMP's choice among n equal paths for a pair: a mix of both ends (splitmix64's finaliser).
int pick(std::int64_t from, std::int64_t to, std::uint64_t salt, int n) {
    std::uint64_t x = (static_cast<std::uint64_t>(from) * 0x9E3779B97F4A7C15ull) ^ (static_cast<std::uint64_t>(to) + salt);
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return static_cast<int>(x % static_cast<std::uint64_t>(n));
}

void check(bool ok, const std::string& source, const std::string& what) {
    if (!ok) throw Error(source, "fabric: " + what);
}

} // namespace

std::string fabricSpecJson(const FabricSpec& s) {
    nlohmann::json j = {{"gpus_per_server", s.gpusPerServer}, {"nic_gbps", s.nicGbps}, {"servers_per_leaf", s.serversPerLeaf},
                        {"servers_per_pod", s.serversPerPod}, {"spines_per_pod", s.spinesPerPod},
                        {"leaf_uplink_gbps", s.leafUplinkGbps}, {"core_planes", s.corePlanes},
                        {"cores_per_plane", s.coresPerPlane}, {"spine_uplink_gbps", s.spineUplinkGbps},
                        {"switch_ports_800g", s.switchPorts800g}, {"switch_model", s.switchModel}, {"optics", s.optics}};
    return j.dump();
}

FabricSpec fabricSpecFromJson(const std::string& text, const std::string& source) {
    FabricSpec s;
    try {
        const auto j = nlohmann::json::parse(text);
        auto count = [&](const char* key, int& v) {
            v = j.at(key).get<int>();
            if (v < 1) throw Error(source, std::string("fabric: ") + key + " must be positive");
        };
        auto gbps = [&](const char* key, double& v) {
            v = j.at(key).get<double>();
            if (!(v > 0)) throw Error(source, std::string("fabric: ") + key + " must be positive");
        };
        count("gpus_per_server", s.gpusPerServer);
        gbps("nic_gbps", s.nicGbps);
        count("servers_per_leaf", s.serversPerLeaf);
        count("servers_per_pod", s.serversPerPod);
        count("spines_per_pod", s.spinesPerPod);
        gbps("leaf_uplink_gbps", s.leafUplinkGbps);
        count("core_planes", s.corePlanes);
        count("cores_per_plane", s.coresPerPlane);
        gbps("spine_uplink_gbps", s.spineUplinkGbps);
        count("switch_ports_800g", s.switchPorts800g);
        s.switchModel = j.at("switch_model").get<std::string>();
        s.optics = j.at("optics").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(source, std::string("corrupted store: the fabric's description does not read: ") + e.what());
    }
    return s;
}

std::string_view switchTierName(SwitchTier t) {
    switch (t) {
    case SwitchTier::Leaf: return "leaf";
    case SwitchTier::Spine: return "spine";
    case SwitchTier::Core: return "core";
    }
    return "?";
}

Fabric expandFabric(const Campus& campus, const FabricSpec& s, const std::string& source) {
    check(s.gpusPerServer >= 1 && s.gpusPerServer <= 64, source, "gpus_per_server must be 1 to 64");
    check(s.serversPerLeaf >= 1 && s.serversPerPod >= s.serversPerLeaf && s.serversPerPod % s.serversPerLeaf == 0, source,
          "servers_per_pod (" + std::to_string(s.serversPerPod) + ") must be a whole number of servers_per_leaf (" +
              std::to_string(s.serversPerLeaf) + ")");
    check(s.spinesPerPod >= 1 && s.corePlanes >= 1 && s.coresPerPlane >= 1 && s.spinesPerPod % s.corePlanes == 0, source,
          "spines_per_pod (" + std::to_string(s.spinesPerPod) + ") must be a whole number of core_planes (" +
              std::to_string(s.corePlanes) + ")");
    check(s.nicGbps > 0 && s.leafUplinkGbps > 0 && s.spineUplinkGbps > 0, source, "link speeds must be positive");

    Fabric f;
    f.spec = s;
    const int rails = s.gpusPerServer;
    const int leavesPerRailPerPod = s.serversPerPod / s.serversPerLeaf;
    const double leafSpineGbps = s.leafUplinkGbps / s.spinesPerPod;
    const double spineCoreGbps = s.spineUplinkGbps / s.coresPerPlane;
    const double cableGbps = 2 * s.nicGbps;   // the uplinks' cables: twice a NIC (800G for 400G NICs)
    // Clamped before the conversion: a hostile speed is not UB.
    auto cables = [&](double gbps) { return static_cast<int>(std::clamp(gbps / cableGbps + 0.5, 1.0, 1e6)); };

    // Servers, rack by rack, and the halls' pods.
    const auto& racks = campus.racks();
    f.rackFirstServer_.reserve(racks.size());
    AssetIndex hall = kNoAsset;
    std::vector<std::pair<AssetIndex, std::int64_t>> hallSizes;   // servers per hall, in order
    for (AssetIndex r : racks) {
        const Asset& rack = campus.assets[static_cast<std::size_t>(r)];
        check(rack.gpuCount % rails == 0, source,
              rack.id + " holds " + std::to_string(rack.gpuCount) + " GPUs, not a whole number of " + std::to_string(rails) +
                  "-GPU servers (gpus_per_server)");
        AssetIndex h = rack.parent;
        while (h != kNoAsset && campus.assets[static_cast<std::size_t>(h)].kind != AssetKind::Hall)
            h = campus.assets[static_cast<std::size_t>(h)].parent;
        if (h != hall || hallSizes.empty()) hallSizes.push_back({h, 0});
        hall = h;
        f.rackFirstServer_.push_back(static_cast<std::int64_t>(f.serverFirstGpu_.size()));
        for (std::int64_t k = 0; k < rack.gpuCount / rails; ++k) f.serverFirstGpu_.push_back(rack.gpuFirst + k * rails);
        hallSizes.back().second += rack.gpuCount / rails;
    }
    f.serverPod_.resize(f.serverFirstGpu_.size());

    // Leaves and spines, pod by pod within each hall.
    std::int64_t server = 0;
    int podsTotal = 0;
    for (const auto& [h, n] : hallSizes) podsTotal += static_cast<int>((n + s.serversPerPod - 1) / s.serversPerPod);
    // Bounded before anything is made: a file that asks for more is refused, not a memory blow-up.
    {
        constexpr double kMaxSwitches = 4e6, kMaxLinks = 16e6;
        double switchesWanted = double(s.corePlanes) * s.coresPerPlane, linksWanted = 0;
        for (const auto& [h, n] : hallSizes)
            for (std::int64_t first = 0; first < n; first += s.serversPerPod) {
                const double servers = double(std::min<std::int64_t>(s.serversPerPod, n - first));
                const double leaves = double(rails) * std::ceil(servers / s.serversPerLeaf);
                switchesWanted += leaves + s.spinesPerPod;
                linksWanted += leaves * s.spinesPerPod + double(s.spinesPerPod) * s.coresPerPlane;
            }
        check(switchesWanted <= kMaxSwitches && linksWanted <= kMaxLinks, source,
              "expands to " + std::to_string(static_cast<long long>(switchesWanted)) + " switches and " +
                  std::to_string(static_cast<long long>(linksWanted)) + " links, more than 4,000,000 / 16,000,000");
    }
    const int podDigits = digits(podsTotal);
    for (const auto& [h, n] : hallSizes) {
        const std::string hallId = h == kNoAsset ? "fabric" : campus.assets[static_cast<std::size_t>(h)].id;
        for (std::int64_t first = 0; first < n; first += s.serversPerPod) {
            FabricPod pod;
            pod.hall = h;
            pod.firstServer = server + first;
            pod.servers = std::min<std::int64_t>(s.serversPerPod, n - first);
            const int podIndex = static_cast<int>(f.pods.size());
            for (std::int64_t k = 0; k < pod.servers; ++k) f.serverPod_[static_cast<std::size_t>(pod.firstServer + k)] = podIndex;
            const std::string podId = hallId + "/pod" + padded(podIndex, podDigits);
            const int leavesPerRail = static_cast<int>((pod.servers + s.serversPerLeaf - 1) / s.serversPerLeaf);
            pod.firstLeaf = static_cast<int>(f.switches.size());
            pod.leaves = leavesPerRail * rails;
            const int leafDigits = digits(static_cast<long long>(leavesPerRailPerPod) * rails);
            // Leaf index within the pod: rail-major (rail r's leaves are r * leavesPerRail + j).
            for (int r = 0; r < rails; ++r)
                for (int j = 0; j < leavesPerRail; ++j)
                    f.switches.push_back({podId + "/leaf" + padded(r * leavesPerRail + j, leafDigits), SwitchTier::Leaf, h, podIndex, r, -1});
            pod.firstSpine = static_cast<int>(f.switches.size());
            pod.spines = s.spinesPerPod;
            for (int k = 0; k < s.spinesPerPod; ++k)
                f.switches.push_back({podId + "/spine" + padded(k, digits(s.spinesPerPod)), SwitchTier::Spine, h, podIndex, -1,
                                      k % s.corePlanes});
            for (int l = 0; l < pod.leaves; ++l)
                for (int k = 0; k < pod.spines; ++k)
                    f.links.push_back({pod.firstLeaf + l, pod.firstSpine + k, cables(leafSpineGbps), leafSpineGbps});
            f.pods.push_back(pod);
        }
        server += n;
    }

    // The core planes, across every hall and building.
    f.planeCores_.resize(static_cast<std::size_t>(s.corePlanes));
    for (int p = 0; p < s.corePlanes; ++p)
        for (int c = 0; c < s.coresPerPlane; ++c) {
            f.planeCores_[static_cast<std::size_t>(p)].push_back(static_cast<int>(f.switches.size()));
            f.switches.push_back({"fabric/core/plane" + padded(p, digits(s.corePlanes)) + "/core" + padded(c, digits(s.coresPerPlane)),
                                  SwitchTier::Core, kNoAsset, -1, -1, p});
        }
    for (const FabricPod& pod : f.pods)
        for (int k = 0; k < pod.spines; ++k) {
            const int sw = pod.firstSpine + k;
            for (int core : f.planeCores_[static_cast<std::size_t>(f.switches[static_cast<std::size_t>(sw)].plane)])
                f.links.push_back({sw, core, cables(spineCoreGbps), spineCoreGbps});
        }
    f.index();
    return f;
}

void Fabric::index() {
    linksOf_.assign(switches.size(), {});
    linkByEnds_.clear();
    linkByEnds_.reserve(links.size());
    for (std::size_t i = 0; i < links.size(); ++i) {
        linksOf_[static_cast<std::size_t>(links[i].a)].push_back(static_cast<int>(i));
        linksOf_[static_cast<std::size_t>(links[i].b)].push_back(static_cast<int>(i));
        linkByEnds_.push_back({static_cast<std::uint64_t>(links[i].a) << 32 | static_cast<std::uint32_t>(links[i].b), static_cast<int>(i)});
    }
    std::sort(linkByEnds_.begin(), linkByEnds_.end());
    switchById_.clear();
    switchById_.reserve(switches.size());
    for (std::size_t i = 0; i < switches.size(); ++i) switchById_.push_back({switches[i].id, static_cast<int>(i)});
    std::sort(switchById_.begin(), switchById_.end());
}

std::int64_t Fabric::serverOfGpu(std::int64_t gpu) const {
    // Servers are in GPU order: the last server starting at or before the GPU.
    const auto it = std::upper_bound(serverFirstGpu_.begin(), serverFirstGpu_.end(), gpu);
    return static_cast<std::int64_t>(it - serverFirstGpu_.begin()) - 1;
}

int Fabric::railOfGpu(std::int64_t gpu) const {
    return static_cast<int>(gpu - serverFirstGpu_[static_cast<std::size_t>(serverOfGpu(gpu))]);
}

int Fabric::podOfGpu(std::int64_t gpu) const { return serverPod_[static_cast<std::size_t>(serverOfGpu(gpu))]; }

int Fabric::leafOfGpu(std::int64_t gpu) const {
    const std::int64_t server = serverOfGpu(gpu);
    const FabricPod& pod = pods[static_cast<std::size_t>(serverPod_[static_cast<std::size_t>(server)])];
    const int leavesPerRail = pod.leaves / spec.gpusPerServer;
    const int j = static_cast<int>((server - pod.firstServer) / spec.serversPerLeaf);
    return pod.firstLeaf + railOfGpu(gpu) * leavesPerRail + j;
}

std::string Fabric::gpuLinkId(const Campus& c, std::int64_t gpu) const {
    return c.gpuId(gpu) + "~" + switches[static_cast<std::size_t>(leafOfGpu(gpu))].id;
}

std::string Fabric::linkId(int link) const {
    const FabricLink& l = links[static_cast<std::size_t>(link)];
    return switches[static_cast<std::size_t>(l.a)].id + "~" + switches[static_cast<std::size_t>(l.b)].id;
}

int Fabric::findSwitch(const std::string& id) const {
    const auto it = std::lower_bound(switchById_.begin(), switchById_.end(), std::make_pair(id, -1));
    return it != switchById_.end() && it->first == id ? it->second : -1;
}

int Fabric::findLink(int a, int b) const {
    if (a > b) std::swap(a, b);
    const std::uint64_t key = static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint32_t>(b);
    const auto it = std::lower_bound(linkByEnds_.begin(), linkByEnds_.end(), std::make_pair(key, -1));
    return it != linkByEnds_.end() && it->first == key ? it->second : -1;
}

std::vector<FabricHop> Fabric::route(std::int64_t from, std::int64_t to) const { return route(from, to, {}); }

std::vector<FabricHop> Fabric::route(std::int64_t from, std::int64_t to, const std::vector<std::uint8_t>& linkDown) const {
    std::vector<FabricHop> hops;
    const int la = leafOfGpu(from), lb = leafOfGpu(to);
    if (la == lb) return hops;
    const int pa = switches[static_cast<std::size_t>(la)].pod, pb = switches[static_cast<std::size_t>(lb)].pod;
    const FabricPod& podA = pods[static_cast<std::size_t>(pa)];
    const FabricPod& podB = pods[static_cast<std::size_t>(pb)];
    auto up = [&](int link) { return linkDown.empty() || !linkDown[static_cast<std::size_t>(link)]; };
    // One equal-cost path: spine k of the pod, and across pods core c of k's plane.
    auto path = [&](int k, int c) {
        std::vector<FabricHop> p;
        const int spineA = podA.firstSpine + k;
        p.push_back({findLink(la, spineA), true});
        if (pa == pb) {
            p.push_back({findLink(lb, spineA), false});
            return p;
        }
        // Across pods: up to a core of the spine's plane, down through the same-numbered spine
        // of the other pod (it is in the same plane).
        const int core = planeCores_[static_cast<std::size_t>(switches[static_cast<std::size_t>(spineA)].plane)][static_cast<std::size_t>(c)];
        const int spineB = podB.firstSpine + k;
        p.push_back({findLink(spineA, core), true});
        p.push_back({findLink(spineB, core), false});
        p.push_back({findLink(lb, spineB), false});
        return p;
    };
    auto alive = [&](const std::vector<FabricHop>& p) {
        return std::all_of(p.begin(), p.end(), [&](const FabricHop& h) { return up(h.link); });
    };
    const int cores = pa == pb ? 1 : spec.coresPerPlane;
    // ECMP's hash picks the spine, then the core; a pair whose path is down is re-hashed over the
    // paths still up, so pairs that did not use a failed bundle keep their path (resilient hashing).
    hops = path(pick(from, to, 1, podA.spines), pa == pb ? 0 : pick(from, to, 2, cores));
    if (alive(hops)) return hops;
    std::vector<std::pair<int, int>> rest;
    for (int k = 0; k < podA.spines; ++k)
        for (int c = 0; c < cores; ++c)
            if (alive(path(k, c))) rest.push_back({k, c});
    if (rest.empty()) return {{-1, true}};
    const auto [k, c] = rest[static_cast<std::size_t>(pick(from, to, 3, static_cast<int>(rest.size())))];
    return path(k, c);
}

} // namespace twin
