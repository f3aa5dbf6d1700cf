// The RDMA fabric: the network that joins the campus's GPUs (docs/fabric.md).
//
// Like racks, the fabric is described parametrically (FabricSpec, the campus file's "fabric"
// object) and expanded here into switches and links with stable ids:
//  - each GPU has its own NIC, cabled to the leaf of its rail: a server's GPU slot r goes to a
//    rail-r leaf, which serves slot r of `serversPerLeaf` consecutive servers of its hall
//    (rail-optimised: same-slot GPUs of a pod are one hop apart);
//  - a pod is `serversPerPod` consecutive servers of a hall; its leaves connect to every spine
//    of the pod (one bundle of parallel links per leaf-spine pair);
//  - spine s of every pod connects to every core switch of plane s mod `corePlanes`; the cores
//    span halls and buildings (the third tier).
// A link here is a bundle: the parallel cables between two switches, carrying their summed
// capacity; traffic is spread over equal-cost paths (ECMP), so a bundle is what loads evenly.
// GPU-to-leaf cables are not listed one by one (a million of them): gpuLink() names them.
#pragma once

#include "twin/campus.h"
#include "twin/fabric_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twin {

enum class SwitchTier : std::uint8_t { Leaf, Spine, Core };
std::string_view switchTierName(SwitchTier t);   // "leaf", "spine", "core"

struct FabricSwitch {
    std::string id;                // "colossus2/hall3/pod02/leaf017", "fabric/core/plane05/core3"
    SwitchTier tier = SwitchTier::Leaf;
    AssetIndex hall = kNoAsset;    // leaves and spines: their hall; cores: none
    int pod = -1;                  // campus-wide pod index (leaves, spines); -1 for cores
    int rail = -1;                 // leaves: the GPU slot they serve
    int plane = -1;                // spines and cores: their core plane
};

struct FabricLink {
    int a = -1, b = -1;            // switch indices; a is the lower tier
    int cables = 1;                // parallel cables in the bundle
    double gbps = 0;               // the bundle's capacity
};

struct FabricPod {
    AssetIndex hall = kNoAsset;
    std::int64_t firstServer = 0;  // campus-wide server index
    std::int64_t servers = 0;
    int firstLeaf = 0, leaves = 0; // switch indices
    int firstSpine = 0, spines = 0;
};

// One hop of a route: a link and the direction it is crossed in (up: towards the cores).
struct FabricHop {
    int link = -1;                 // -1: a GPU's own cable (see the route's ends)
    bool up = true;
    bool operator==(const FabricHop&) const = default;
};

class Fabric {
public:
    FabricSpec spec;
    std::vector<FabricSwitch> switches;
    std::vector<FabricLink> links;
    std::vector<FabricPod> pods;

    // The campus's servers: GPU g is slot g mod gpusPerServer of server g / gpusPerServer within
    // its rack; servers never straddle racks (a rack's GPUs must be a multiple of the rails).
    std::int64_t serverCount() const { return static_cast<std::int64_t>(serverFirstGpu_.size()); }
    std::int64_t serverOfGpu(std::int64_t gpu) const;
    std::int64_t firstGpuOfServer(std::int64_t server) const { return serverFirstGpu_[static_cast<std::size_t>(server)]; }
    int railOfGpu(std::int64_t gpu) const;
    int podOfGpu(std::int64_t gpu) const;
    int leafOfGpu(std::int64_t gpu) const;            // switch index
    std::string gpuLinkId(const Campus& c, std::int64_t gpu) const;   // "<gpu id>~<leaf id>"

    std::string linkId(int link) const;               // "<a id>~<b id>", the lower tier first
    int findSwitch(const std::string& id) const;      // -1 if unknown
    int findLink(int a, int b) const;                 // the bundle between two switches, or -1
    const std::vector<int>& linksOf(int sw) const { return linksOf_[static_cast<std::size_t>(sw)]; }

    // The switch-to-switch links a message from GPU `from` to GPU `to` crosses, in order (the
    // GPUs' own cables excluded): none within a leaf, leaf-spine-leaf within a pod, leaf-spine-
    // core-spine-leaf across pods. Of the equal-cost paths, the one ECMP's hash of the pair picks
    // (deterministic: the same pair always takes the same path).
    std::vector<FabricHop> route(std::int64_t from, std::int64_t to) const;
    // The same with some bundles down (linkDown[link] != 0; empty: none): a pair whose hashed
    // path crosses one is re-hashed over the paths still up (resilient hashing: the others keep
    // theirs); no path left: a single hop with link -1.
    std::vector<FabricHop> route(std::int64_t from, std::int64_t to, const std::vector<std::uint8_t>& linkDown) const;

    // Called by expandFabric once the vectors are filled.
    void index();

private:
    std::vector<std::int64_t> serverFirstGpu_;   // per server
    std::vector<std::int32_t> serverPod_;        // per server: campus-wide pod
    std::vector<std::int64_t> rackFirstServer_;  // per rack (Campus::racks() order)
    std::vector<std::vector<int>> linksOf_;
    std::vector<std::vector<int>> planeCores_;   // per plane: core switch indices
    std::vector<std::pair<std::uint64_t, int>> linkByEnds_;   // sorted (a << 32 | b) -> link
    std::vector<std::pair<std::string, int>> switchById_;     // sorted
    friend Fabric expandFabric(const Campus&, const FabricSpec&, const std::string&);
};

// Expands `spec` over the campus's halls (each hall's racks in order, cut into pods). Throws
// twin::Error(source, ...) when the spec does not fit the campus (a rack whose GPUs are not a
// multiple of the rails, a pod that is not a whole number of leaves, a bundle below one cable).
Fabric expandFabric(const Campus& campus, const FabricSpec& spec, const std::string& source);

} // namespace twin
