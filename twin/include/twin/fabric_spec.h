// The RDMA fabric as the campus file describes it (its "fabric" object, docs/fabric.md): the
// parameters twin/fabric.h expands into switches and links. Defaults: NVIDIA Spectrum-X with
// SN5600 switches (64 x 800G ports), a 400G NIC per GPU, three tiers, non-blocking.
#pragma once

#include <string>

namespace twin {

struct FabricSpec {
    int gpusPerServer = 8;          // rails: one NIC per GPU, slot r on rail r
    double nicGbps = 400;           // each GPU's NIC and its cable to the leaf
    int serversPerLeaf = 64;        // servers a leaf serves on its rail: 64 x 400G down
    int serversPerPod = 256;        // servers under one set of spines: 4 leaves per rail, 32 leaves
    int spinesPerPod = 32;          // each leaf: one 800G cable to each spine
    double leafUplinkGbps = 25600;  // a leaf's ports towards the spines, summed: 32 x 800G
    int corePlanes = 32;            // spine s of each pod joins the core groups of plane s
    int coresPerPlane = 4;          // core groups per plane (each stands for several switches)
    double spineUplinkGbps = 25600; // a spine's ports towards its plane's cores, summed: 32 x 800G
    int switchPorts800g = 64;       // SN5600: 64 x 800G (128 x 400G); sizes the physical core tier
    std::string switchModel = "SN5600";
    std::string optics;             // documentation only: "800G OSFP", shown in the inspector
};

// The spec as the store keeps it (meta key "fabric"): JSON with the campus file's field names.
// fabricSpecFromJson throws twin::Error(source, ...) on text that is not such an object.
std::string fabricSpecJson(const FabricSpec& spec);
FabricSpec fabricSpecFromJson(const std::string& text, const std::string& source);

} // namespace twin
