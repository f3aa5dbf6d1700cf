// A job's ring all-reduce on the fabric and the resulting communication times (docs/fabric.md,
// "Collectives").
#include "twin/fabric_traffic.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace twin {

void FabricFaults::failSwitch(const Fabric& f, int sw) {
    if (linkDown.empty()) linkDown.assign(f.links.size(), 0);
    for (int l : f.linksOf(sw)) linkDown[static_cast<std::size_t>(l)] = 1;
}

JobTraffic ringAllReduce(const Fabric& f, std::int64_t firstServer, std::int64_t servers, double gradientBytes,
                         const FabricFaults& faults) {
    JobTraffic t;
    t.firstServer = firstServer;
    t.servers = servers;
    if (servers < 2 || gradientBytes <= 0) return t;   // one server: NVLink only
    const int rails = f.spec.gpusPerServer;
    // Each rail's ring carries 1/rails of the gradients; a member sends 2(k-1)/k of its share.
    t.bytesPerRing = 2.0 * static_cast<double>(servers - 1) / static_cast<double>(servers) * gradientBytes / rails;
    t.nicBytes = t.bytesPerRing;
    std::unordered_map<int, std::size_t> at;   // link -> position in t.links
    for (int r = 0; r < rails; ++r)
        for (std::int64_t i = 0; i < servers; ++i) {
            const std::int64_t from = f.firstGpuOfServer(firstServer + i) + r;
            const std::int64_t to = f.firstGpuOfServer(firstServer + (i + 1) % servers) + r;
            for (const FabricHop& h : f.route(from, to, faults.linkDown)) {
                if (h.link < 0) {
                    t.partitioned = true;
                    continue;
                }
                auto [it, added] = at.try_emplace(h.link, t.links.size());
                if (added) t.links.push_back({h.link, 0, 0});
                (h.up ? t.links[it->second].up : t.links[it->second].down) += t.bytesPerRing;
            }
        }
    return t;
}

std::vector<double> communicationSeconds(const Fabric& f, const std::vector<JobTraffic>& jobs, double efficiency) {
    // Every link direction's bytes from all jobs, then each job's slowest link direction.
    std::unordered_map<int, std::pair<double, double>> total;
    for (const JobTraffic& j : jobs)
        for (const JobTraffic::Load& l : j.links) {
            auto& t = total[l.link];
            t.first += l.up;
            t.second += l.down;
        }
    std::vector<double> out;
    out.reserve(jobs.size());
    const double nicBytesPerS = f.spec.nicGbps * 1e9 / 8 * efficiency;
    for (const JobTraffic& j : jobs) {
        double s = j.nicBytes / nicBytesPerS;
        for (const JobTraffic::Load& l : j.links) {
            const auto& t = total[l.link];
            const double bytesPerS = f.links[static_cast<std::size_t>(l.link)].gbps * 1e9 / 8 * efficiency;
            if (l.up > 0) s = std::max(s, t.first / bytesPerS);
            if (l.down > 0) s = std::max(s, t.second / bytesPerS);
        }
        out.push_back(j.partitioned ? std::numeric_limits<double>::infinity() : s);
    }
    return out;
}

} // namespace twin
