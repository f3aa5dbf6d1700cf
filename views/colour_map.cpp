#include "colour_map.h"

#include <algorithm>
#include <cmath>

namespace views {

namespace {
// Control points of the ramp (normalised value, r, g, b).
constexpr double kRamp[][4] = {
    {0.00, 0.19, 0.07, 0.23}, {0.15, 0.27, 0.41, 0.88}, {0.30, 0.11, 0.75, 0.85},
    {0.45, 0.22, 0.91, 0.47}, {0.60, 0.67, 0.97, 0.21}, {0.75, 0.98, 0.73, 0.22},
    {0.88, 0.96, 0.39, 0.07}, {1.00, 0.65, 0.05, 0.01},
};
} // namespace

std::array<std::uint8_t, 4> colourAt(double v) {
    if (!std::isfinite(v)) return {110, 110, 110, 255};
    v = std::clamp(v, 0.0, 1.0);
    std::size_t i = 1;
    while (i + 1 < std::size(kRamp) && kRamp[i][0] < v) ++i;
    const auto& a = kRamp[i - 1];
    const auto& b = kRamp[i];
    const double t = (v - a[0]) / (b[0] - a[0]);
    auto ch = [&](int k) { return static_cast<std::uint8_t>(std::lround(255 * (a[k] + (b[k] - a[k]) * t))); };
    return {ch(1), ch(2), ch(3), 255};
}

QColor qcolourAt(double v) {
    const auto c = colourAt(v);
    return QColor(c[0], c[1], c[2], c[3]);
}

QuantityRange rangeOf(RackQuantity q) {
    switch (q) {
    case RackQuantity::Power: return {"Rack power, % of rated", 0, 1, "0 %", "100 %"};
    case RackQuantity::Utilisation: return {"GPU utilisation, rack mean", 0, 100, "0 %", "100 %"};
    case RackQuantity::InletTemperature: return {"Coolant inlet temperature", 20, 60, "20 °C", "60 °C"};
    case RackQuantity::Health: return {"Healthy GPUs, % of the rack", 0.9, 1, "90 %", "100 %"};
    }
    return {};
}

QString nameOf(RackQuantity q) {
    switch (q) {
    case RackQuantity::Power: return "power";
    case RackQuantity::Utilisation: return "utilisation";
    case RackQuantity::InletTemperature: return "inlet_temperature";
    case RackQuantity::Health: return "health";
    }
    return {};
}

} // namespace views
