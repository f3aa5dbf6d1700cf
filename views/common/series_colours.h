// One palette for chart series on every screen (desk charts, wall charts, compare): an island,
// a site or a kind of source has the same colour wherever it is drawn. The colours keep away
// (CIE76 ΔE >= 30 on a dark background) from the colours that mean something else: the alarm red,
// the warning amber, the stale lilac (hmi_colours.h) and the white time cursor.
#pragma once

#include "twin/campus.h"

#include <QColor>

#include <cstddef>
#include <vector>

namespace views::series {

// The i-th colour of the categorical palette (six, then repeated).
QColor categorical(std::size_t i);
const std::vector<QColor>& palette();

// An island, by its place in twin::query::electricalSignals' list (the same order on every screen).
QColor islandColour(std::size_t islandIndex);
// A site, by its place in campus.sites (kNoAsset or unknown: the last palette colour).
QColor siteColour(const twin::Campus& campus, twin::AssetIndex site);
// A kind of source (turbine, Megapack block, solar array, grid tie); others: the first colour.
QColor sourceColour(twin::AssetKind kind);
// The campus load, drawn as a line over the stacked sources.
QColor loadColour();
// Compare: the open recording (A) and the compared one (B).
QColor recordingColour(int which);

// Perceptual distance (CIE76 ΔE in L*a*b*) between two colours; tests keep palettes apart with it.
double colourDistance(const QColor& a, const QColor& b);
// Every colour with a meaning of its own (alarm, warning, stale, time cursor) a series must avoid.
std::vector<QColor> reservedColours();

} // namespace views::series
