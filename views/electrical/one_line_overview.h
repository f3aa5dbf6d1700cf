// The one-line diagram's overview level (an ISA-101 level-1 display): one block per electrical
// island with its key figures in large type, laid out in the view's pixels so that they stay
// readable whatever the size of the diagram behind them. Greys when normal; red only for tripped
// sources and active alarms (the block's edge too), amber for a frequency out of 60 ± 0.5 Hz;
// a row whose values are stale or missing drawn in the quality colours (common/hmi_colours.h),
// the worst quality said in the block's title.
#pragma once

#include "electrical/one_line_islands.h"
#include "electrical/one_line_palette.h"

#include <QRectF>
#include <QSizeF>
#include <QString>

#include <vector>

class QPainter;

namespace views {

struct OverviewRow {
    enum Role { Normal, Warning, Alarm };
    QString caption, value;
    Role role = Normal;
    twin::query::DataQuality quality = twin::query::DataQuality::Good;   // of the values behind it
};

// What a block says, row by row ("Frequency" "59.98 Hz", "Generation" "612.3 MW", ...), each
// with the quality of the values behind it (drawn in its colours: lilac stale, grey missing).
std::vector<OverviewRow> overviewRows(const IslandFigures& f);
QString overviewTitle(const IslandFigures& f);   // the sites, and the quality when not good

struct OverviewGeometry {
    std::vector<QRectF> blocks;   // in the viewport's pixels, one per island
    double textPx = 0;            // pixel size of the figures (the title is a little larger)
    int rowColumns = 1;           // a block's rows side by side in this many columns (a wide, low view)
    int titleLines = 1;           // 2: titles too long for a line wrap at " · "
};

// The arrangement (blocks in one column, one row or a grid; each block's rows in one or more
// columns) that gives the largest type, at most `maxTextPx`.
OverviewGeometry layoutOverview(const QSizeF& viewport, const std::vector<IslandFigures>& islands, double maxTextPx);
void paintOverview(QPainter& p, const OverviewGeometry& g, const std::vector<IslandFigures>& islands, const OneLinePalette& palette);

} // namespace views
