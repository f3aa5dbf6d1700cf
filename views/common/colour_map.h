// The fixed colour map of every view that colours assets by a quantity (docs/views.md).
// A value is first normalised to [0, 1] by the quantity's range, then mapped through the
// viridis ramp of assets/colour-maps.json: dark violet (0) - blue - teal - green - yellow (1),
// perceptually uniform and free of the alarm red and the stale lilac (common/hmi_colours.h). The
// ranges of the rack quantities come from the same file.
#pragma once

#include <QColor>
#include <QString>

#include <array>
#include <cstdint>

namespace views {

enum class RackQuantity { Power, Utilisation, InletTemperature, Health };

struct QuantityRange {
    QString label;   // for the legend: "Rack power, % of rated"
    double low = 0, high = 1;
    QString lowText, highText;
};

QuantityRange rangeOf(RackQuantity q);
QString nameOf(RackQuantity q);   // "power", "utilisation", "inlet_temperature", "health"

// RGBA8 for a normalised value (clamped); NaN gives grey (no data).
std::array<std::uint8_t, 4> colourAt(double normalised);
QColor qcolourAt(double normalised);

} // namespace views
