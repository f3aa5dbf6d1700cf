// The operations-room wall's layout: which panels, where, on which screen. A layout is a JSON
// file (docs/views.md, "Operations-room wall"), so a control room can keep its own:
//
//   {"format": "colossus-twin-wall-layout", "version": 1, "name": "default",
//    "panels": [{"panel": "campus3d", "screen": 0, "row": 0, "column": 0, "row_span": 2, "column_span": 2},
//               ...]}
//
// Each screen's panels sit on their own grid of equal cells: as many columns as the rightmost
// panel reaches (column + column_span) and as many rows as the lowest one (row + row_span).
#pragma once

#include <QByteArray>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace wall {

// One panel at its place.
struct PanelPlace {
    QString panel;          // one of panelNames()
    int screen = 0;         // 0: the first screen
    int row = 0, column = 0;
    int rowSpan = 1, columnSpan = 1;
    bool operator==(const PanelPlace&) const = default;
};

struct Layout {
    QString name;
    std::vector<PanelPlace> panels;
    bool operator==(const Layout&) const = default;
};

// "campus3d", "oneline", "load_generation", "frequency", "totals", "alarms".
const QStringList& panelNames();
// What a panel's caption says ("3D CAMPUS", ...); the name itself for an unknown one.
QString panelTitle(const QString& panel);

// The built-in layout: every panel on one screen, on a grid of 4 columns and 3 rows (the 3D
// campus 2 x 2, the one-line diagram and the alarms tall beside it, the charts and totals below).
Layout defaultLayout();

// Limits a layout file may not exceed (a typo such as "row": 300 is an error, not a wall of
// 300 rows).
constexpr int kMaxScreens = 16;
constexpr int kMaxGrid = 24;

// JSON text of a layout (indented, one panel per object, keys in a fixed order).
QByteArray toJson(const Layout& layout);
// A layout from JSON text, or nullopt with *error set to the problem (without a file name).
std::optional<Layout> fromJson(const QByteArray& text, QString* error);
// Checks names, numbers and overlaps; returns the first problem, or an empty string.
QString validate(const Layout& layout);

// Reads a layout file; on failure nullopt and *error = "FILE: problem".
std::optional<Layout> loadLayout(const QString& file, QString* error);
// Writes a layout file; returns "FILE: problem", or an empty string on success.
QString saveLayout(const Layout& layout, const QString& file);

// How many screens the layout uses (the highest screen index + 1; 0 for no panels).
int screensUsed(const Layout& layout);
// Grid size of a set of panels: width = columns, height = rows.
QSize gridOf(const std::vector<PanelPlace>& panels);

// The panels each of `screenCount` screens shows (result index = screen). A layout that uses
// more screens than there are folds the extra screens onto the last one, each to the right of
// what is there (its columns shifted), so on one screen every panel goes to it. Screens the
// layout does not use get no entry (the result has min(screensUsed, screenCount) entries;
// one may be empty if the layout skips a screen index).
std::vector<std::vector<PanelPlace>> assignToScreens(const Layout& layout, int screenCount);

// The rectangle of a panel's cell in `area` for a grid of `grid` (columns x rows), with `gap`
// pixels between cells. Cells are equal (to a pixel) and the grid fills the area exactly.
QRect cellRect(const QRect& area, QSize grid, const PanelPlace& place, int gap);

} // namespace wall
