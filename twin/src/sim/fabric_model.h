// The RDMA fabric in the simulator (docs/fabric.md, "In the simulator"): each job's step
// all-reduces over rail rings on the campus's fabric; the job's communicate phase is
// calibrated to the step parameters with the fabric whole, and stretches in proportion to its
// collective's time when links or spines fail (ECMP re-hashes around them). The jobs whose
// rings crossed a failed bundle stall while the transport retransmits and re-routes.
#pragma once

#include "twin/fabric_traffic.h"
#include "twin/sim/simulator.h"

#include <string>
#include <vector>

namespace twin::sim {

struct JobRt;

class FabricModel {
public:
    // `jobs`: the compute model's jobs (their racks, Campus::racks() positions).
    FabricModel(const Campus& campus, const FabricSpec& spec, const std::vector<JobRt>& jobs);

    // What a failure or a repair did: the bundles' ids, the event's text, which jobs crossed what
    // failed (they stall), and every job's communicate phase as a multiple of its unimpaired one.
    struct Change {
        std::string asset, text;
        std::vector<int> crossing;
        std::vector<double> commScale;
    };
    // A bundle by id ("<a>~<b>"), or "" for the one carrying most of job `job`'s bytes.
    Change failLink(const std::string& id, int job);
    // A spine by id, or "" for the spine carrying most of job `job`'s bytes.
    Change failSpine(const std::string& id, int job);
    Change repair();   // every bundle up again

    const Fabric& fabric() const { return fabric_; }

private:
    Change apply(Change c, const std::vector<int>& downed);
    std::vector<double> scales() const;   // every job's communication time now / fabric whole

    Fabric fabric_;
    FabricFaults faults_;
    std::vector<std::pair<std::int64_t, std::int64_t>> servers_;   // per job: first server, count
    std::vector<JobTraffic> traffic_;
    std::vector<double> base_;                                      // communication seconds, fabric whole
};

} // namespace twin::sim
