// The colours of states, after ISA-101's high-performance HMI (docs/views.md, "Colours"): greys
// for normal states, so that the few things in colour are the ones that need the operator — red for
// an alarm (tripped, faulted), amber for an abnormal but not tripped condition (a lost grid tie).
// Data quality is drawn on top of any colour: stale values in lilac, missing ones in the no-data
// grey, in every view (3D, one-line diagram, wall).
#pragma once

#include "twin/campus.h"
#include "twin/query/data_quality.h"

#include <QColor>

#include <array>
#include <cstdint>

namespace views::hmi {

// Equipment in a normal state: greys (on a light or a dark background alike).
inline const QColor kRunning(0x5f, 0x65, 0x6d);      // on, generating / supplying
inline const QColor kStandby(0xb4, 0xb8, 0xbe);      // off or ready, and normal
inline const QColor kTransition(0x8f, 0x95, 0x9c);   // starting, synchronising
// Abnormal: the only saturated colours.
inline const QColor kAlarm(0xd3, 0x2f, 0x2f);        // tripped, faulted, over rating
inline const QColor kWarning(0xf2, 0xa9, 0x00);      // abnormal, not tripped
// The time cursor on every chart: white, edged in black, so that no series can be taken for it
// (no series is white: the palettes keep away from it).
inline const QColor kTimeCursor(0xff, 0xff, 0xff);
inline const QColor kTimeCursorEdge(0x00, 0x00, 0x00);
// Data quality.
inline const QColor kStale(0xb6, 0xa4, 0xe0);        // lilac: used for nothing else
inline const QColor kMissing(0x6e, 0x6e, 0x6e);      // the colour map's no-data grey

// A plant unit's colour from its kind and the "source" series' state code (twin::sim::SourceState;
// -1 when not recorded): running dark grey, standby light grey, starting mid grey, tripped or
// faulted red; a grid tie that is not connected is abnormal (amber).
QColor plantStateColour(twin::AssetKind kind, int stateCode);
bool isAlarmState(int stateCode);   // tripped or faulted

// `colour` as drawn for data of quality `q`: unchanged when good, mostly lilac when stale (a
// trace of the value's colour stays), the no-data grey when missing.
QColor withQuality(const QColor& colour, twin::query::DataQuality q);
std::array<std::uint8_t, 4> withQuality(const std::array<std::uint8_t, 4>& rgba, twin::query::DataQuality q);

std::array<std::uint8_t, 4> rgba8(const QColor& c);

} // namespace views::hmi
