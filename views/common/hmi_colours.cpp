#include "common/hmi_colours.h"

#include "twin/sim/simulator.h"

namespace views::hmi {

using twin::sim::SourceState;

bool isAlarmState(int code) {
    return code == static_cast<int>(SourceState::Tripped) || code == static_cast<int>(SourceState::Faulted);
}

QColor plantStateColour(twin::AssetKind kind, int code) {
    if (code < 0) return kMissing;
    if (isAlarmState(code)) return kAlarm;
    const bool online = code == static_cast<int>(SourceState::Online);
    if (kind == twin::AssetKind::GridTie && !online) return kWarning;   // the grid is gone
    if (online) return kRunning;
    if (code == static_cast<int>(SourceState::Starting) || code == static_cast<int>(SourceState::Synchronising))
        return kTransition;
    return kStandby;
}

QColor withQuality(const QColor& c, twin::query::DataQuality q) {
    using twin::query::DataQuality;
    switch (q) {
    case DataQuality::Good: return c;
    case DataQuality::Stale: {
        constexpr double keep = 0.15;   // a trace of the value's colour: high and low still differ
        auto mix = [&](int a, int b) { return static_cast<int>(keep * a + (1 - keep) * b + 0.5); };
        return QColor(mix(c.red(), kStale.red()), mix(c.green(), kStale.green()), mix(c.blue(), kStale.blue()), c.alpha());
    }
    case DataQuality::Missing: return QColor(kMissing.red(), kMissing.green(), kMissing.blue(), c.alpha());
    }
    return c;
}

std::array<std::uint8_t, 4> rgba8(const QColor& c) {
    return {static_cast<std::uint8_t>(c.red()), static_cast<std::uint8_t>(c.green()), static_cast<std::uint8_t>(c.blue()),
            static_cast<std::uint8_t>(c.alpha())};
}

std::array<std::uint8_t, 4> withQuality(const std::array<std::uint8_t, 4>& c, twin::query::DataQuality q) {
    if (q == twin::query::DataQuality::Good) return c;
    return rgba8(withQuality(QColor(c[0], c[1], c[2], c[3]), q));
}

} // namespace views::hmi
