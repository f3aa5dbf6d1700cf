// What a training job's collectives put on the fabric, and how long they take (docs/fabric.md,
// "Collectives"). A job is a range of whole servers; each step it all-reduces its gradients
// with NCCL-style rail-aligned rings: one ring per rail, through slot r of each of the job's
// servers in order (inside a server, NVLink reduces across the rails first: not this fabric).
// A ring all-reduce of S bytes over k members sends 2(k-1)/k x S per member to its successor.
// Links are full duplex: a bundle's two directions are loaded and timed separately.
#pragma once

#include "twin/fabric.h"

#include <cstdint>
#include <vector>

namespace twin {

// Which bundles are down (failed cables, a failed switch's bundles): ECMP leaves them out.
struct FabricFaults {
    std::vector<std::uint8_t> linkDown;   // per link; empty: none

    bool down(int link) const { return !linkDown.empty() && linkDown[static_cast<std::size_t>(link)] != 0; }
    void failSwitch(const Fabric& f, int sw);   // every bundle of the switch
};

struct JobTraffic {
    std::int64_t firstServer = 0, servers = 0;   // the job's servers (campus-wide server index)
    double bytesPerRing = 0;                      // bytes each ring member sends per step: 2(k-1)/k x S / rails
    // Bytes per step per link and direction (sparse: link index, up bytes, down bytes).
    struct Load {
        int link;
        double up, down;
    };
    std::vector<Load> links;
    double nicBytes = 0;                          // bytes each GPU's NIC sends per step
    bool partitioned = false;                     // some ring edge has no path left (every spine's bundle down)
};

// The traffic of one step of a job over servers [firstServer, firstServer + servers) that
// all-reduces `gradientBytes` (per GPU, the whole model's gradients) per step; routes avoid
// `faults`' bundles (ECMP among the spines and cores whose bundles are up).
JobTraffic ringAllReduce(const Fabric& f, std::int64_t firstServer, std::int64_t servers, double gradientBytes,
                         const FabricFaults& faults = {});

// The communication time of one step (seconds) of each job when they all communicate at once:
// every link direction's bytes from all jobs divided by its capacity x `efficiency` (Spectrum-X:
// 0.95 of line rate), a job taking as long as the most loaded link direction it uses, or its
// NICs when slower. Jobs that do not share a link do not slow each other.
std::vector<double> communicationSeconds(const Fabric& f, const std::vector<JobTraffic>& jobs, double efficiency = 0.95);

} // namespace twin
