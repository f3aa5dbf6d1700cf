#include "common/colour_map.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <vector>

// Resources of a static library are registered by hand (outside any namespace, as Qt requires).
static void registerColourMapResource() { Q_INIT_RESOURCE(colour_maps); }

namespace views {

namespace {

// The ramp and the quantities' ranges come from assets/colour-maps.json, compiled in as a resource.
struct ColourMaps {
    std::vector<std::array<double, 4>> ramp;   // normalised value, r, g, b (0..1)
    std::array<std::uint8_t, 4> noData{};
    std::map<QString, QuantityRange> ranges;   // by nameOf(RackQuantity)
};

// The resource is part of the program: a broken file is a build error, so it stops loudly.
[[noreturn]] void broken(const char* why) {
    qFatal("assets/colour-maps.json (:/assets/colour-maps.json): %s", why);
    std::abort();
}

ColourMaps load() {
    registerColourMapResource();
    QFile f(":/assets/colour-maps.json");
    if (!f.open(QIODevice::ReadOnly)) broken("missing from the program");
    QJsonParseError err;
    const QJsonObject root = QJsonDocument::fromJson(f.readAll(), &err).object();
    if (err.error != QJsonParseError::NoError) broken(qPrintable(err.errorString()));
    ColourMaps m;
    const QJsonObject ramp = root["ramp"].toObject();
    for (const QJsonValue p : ramp["points"].toArray()) {
        const QJsonArray a = p.toArray();
        if (a.size() != 4) broken("a ramp point is not [value, r, g, b]");
        m.ramp.push_back({a[0].toDouble(), a[1].toDouble(), a[2].toDouble(), a[3].toDouble()});
    }
    if (m.ramp.size() < 2) broken("the ramp needs at least two points");
    const QJsonArray grey = ramp["noData"].toArray();
    if (grey.size() != 3) broken("noData is not [r, g, b]");
    m.noData = {static_cast<std::uint8_t>(grey[0].toInt()), static_cast<std::uint8_t>(grey[1].toInt()),
                static_cast<std::uint8_t>(grey[2].toInt()), 255};
    const QJsonObject qs = root["rackQuantities"].toObject();
    for (auto it = qs.begin(); it != qs.end(); ++it) {
        const QJsonObject q = it.value().toObject();
        m.ranges[it.key()] = {q["label"].toString(), q["low"].toDouble(),
                              q["high"].toDouble(), q["lowText"].toString(), q["highText"].toString()};
    }
    return m;
}

const ColourMaps& maps() {
    static const ColourMaps m = load();
    return m;
}

} // namespace

std::array<std::uint8_t, 4> colourAt(double v) {
    const auto& ramp = maps().ramp;
    if (!std::isfinite(v)) return maps().noData;
    v = std::clamp(v, 0.0, 1.0);
    std::size_t i = 1;
    while (i + 1 < ramp.size() && ramp[i][0] < v) ++i;
    const auto& a = ramp[i - 1];
    const auto& b = ramp[i];
    const double t = (v - a[0]) / (b[0] - a[0]);
    auto ch = [&](int k) { return static_cast<std::uint8_t>(std::lround(255 * (a[k] + (b[k] - a[k]) * t))); };
    return {ch(1), ch(2), ch(3), 255};
}

QColor qcolourAt(double v) {
    const auto c = colourAt(v);
    return QColor(c[0], c[1], c[2], c[3]);
}

QuantityRange rangeOf(RackQuantity q) {
    const auto& ranges = maps().ranges;
    const auto it = ranges.find(nameOf(q));
    if (it == ranges.end()) broken(qPrintable("no range for rack quantity " + nameOf(q)));
    return it->second;
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
