#include "common/series_colours.h"

#include "common/hmi_colours.h"

#include <array>
#include <cmath>

namespace views::series {

const std::vector<QColor>& palette() {
    // Blue, pink, green, indigo, cyan, sand: told apart on the dark chart background, and no
    // red, amber, lilac or white (the header's rule; test_electrical checks it).
    static const std::vector<QColor> colours = {QColor(40, 160, 235), QColor(235, 100, 185), QColor(120, 200, 80),
                                                QColor(130, 130, 255), QColor(110, 215, 240), QColor(215, 200, 95)};
    return colours;
}

QColor categorical(std::size_t i) { return palette()[i % palette().size()]; }

QColor islandColour(std::size_t islandIndex) { return categorical(islandIndex); }

QColor siteColour(const twin::Campus& campus, twin::AssetIndex site) {
    for (std::size_t i = 0; i < campus.sites.size(); ++i)
        if (campus.sites[i].asset == site) return categorical(i);
    return palette().back();
}

QColor sourceColour(twin::AssetKind kind) {
    switch (kind) {
    case twin::AssetKind::Turbine: return QColor(40, 160, 235);         // blue
    case twin::AssetKind::MegapackBlock: return QColor(40, 200, 150);   // green-teal
    case twin::AssetKind::SolarArray: return QColor(200, 215, 70);      // yellow-green, not the warning amber
    case twin::AssetKind::GridTie: return QColor(230, 100, 180);        // pink
    default: return categorical(0);
    }
}

QColor loadColour() { return QColor(230, 120, 255); }   // violet: apart from every source and from the cursor

QColor recordingColour(int which) { return categorical(which == 0 ? 0 : 1); }

namespace {

std::array<double, 3> lab(const QColor& c) {
    auto lin = [](double u) { return u <= 0.04045 ? u / 12.92 : std::pow((u + 0.055) / 1.055, 2.4); };
    const double r = lin(c.redF()), g = lin(c.greenF()), b = lin(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

} // namespace

double colourDistance(const QColor& a, const QColor& b) {
    const auto p = lab(a), q = lab(b);
    return std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

std::vector<QColor> reservedColours() { return {hmi::kAlarm, hmi::kWarning, hmi::kStale, hmi::kTimeCursor}; }

} // namespace views::series
