// What a GPU's sample says about it, in one place for every view (3D health colours too).
// A failed GPU has fallen off the bus: it reads 0 W and 0 %; an idle one still draws ~8 % of TDP.
#pragma once

namespace views {

constexpr double kFailedGpuMaxW = 1;    // at or below this with 0 % utilisation: failed

// Healthy: draws more than a failed GPU, or runs something.
inline bool gpuHealthy(double powerW, double utilisationPct) {
    return powerW > kFailedGpuMaxW || utilisationPct > 0;
}
// In use: a kernel ran in the last sample period (NVML utilisation above 0).
inline bool gpuInUse(double utilisationPct) { return utilisationPct > 0; }

} // namespace views
