#include "electrical/one_line_overview.h"

#include "common/hmi_colours.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace views {

namespace {

const QString kNone = QString::fromUtf8("\xE2\x80\x94");   // an em dash: no data
const QString kDot = QString::fromUtf8(" \xC2\xB7 ");

QString fixed(const std::optional<double>& v, int decimals, const char* unit) {
    return (v ? QString::number(*v, 'f', decimals) : kNone) + " " + unit;
}

// Proportions, in units of the figures' pixel size.
constexpr double kPad = 0.7;          // inside a block
constexpr double kTitleScale = 1.15;  // the title's size
constexpr double kTitleLine = 1.6;    // the title's line, with the gap under it
constexpr double kRowLine = 1.3;
constexpr double kColumnGap = 1.0;    // between a caption and its value
constexpr double kMargin = 8;         // px between blocks and around them

QFont figureFont(double px, bool bold = false) {
    QFont f;
    f.setPixelSize(std::max(1, static_cast<int>(std::floor(px))));
    f.setBold(bold);
    return f;
}

} // namespace

std::vector<OverviewRow> overviewRows(const IslandFigures& f) {
    std::vector<OverviewRow> rows;
    rows.push_back({"Frequency", fixed(f.frequencyHz, 2, "Hz"), f.frequencyAbnormal() ? OverviewRow::Warning : OverviewRow::Normal});
    rows.push_back({"Generation", fixed(f.generationMw, 1, "MW")});
    rows.push_back({"Load", fixed(f.loadMw, 1, "MW")});
    if (f.megapacks > 0)
        rows.push_back({"Megapacks", fixed(f.megapackMw, 1, "MW") + kDot + (f.megapackSocPct ? QString::number(*f.megapackSocPct, 'f', 0) : kNone) + " %"});
    rows.push_back({"Sources running", QString("%1 of %2").arg(f.running).arg(f.sources)});
    rows.push_back({"Tripped", f.tripped > 0 ? QString::number(f.tripped) : QString("none"), f.tripped > 0 ? OverviewRow::Alarm : OverviewRow::Normal});
    rows.push_back({"Alarms", f.alarms > 0 ? QString::number(f.alarms) : QString("none"), f.alarms > 0 ? OverviewRow::Alarm : OverviewRow::Normal});
    return rows;
}

QString overviewTitle(const IslandFigures& f) {
    return f.quality == twin::query::DataQuality::Good ? f.title : f.title + kDot + twin::query::qualityWord(f.quality);
}

OverviewGeometry layoutOverview(const QSizeF& viewport, const std::vector<IslandFigures>& islands, double maxTextPx) {
    OverviewGeometry g;
    const int n = static_cast<int>(islands.size());
    if (n == 0 || viewport.isEmpty()) return g;
    // Widths and row count at 100 px, scaled linearly after.
    const QFontMetricsF fm(figureFont(100));
    double caption = 0, value = 0;
    std::size_t rows = 0;
    for (const IslandFigures& f : islands) {
        const std::vector<OverviewRow> r = overviewRows(f);
        rows = std::max(rows, r.size());
        for (const OverviewRow& row : r) {
            caption = std::max(caption, fm.horizontalAdvance(row.caption) / 100);
            value = std::max(value, fm.horizontalAdvance(row.value) / 100);
        }
    }
    const double perPxWide = caption + kColumnGap + value + 2 * kPad;
    const double perPxHigh = kTitleLine * kTitleScale + static_cast<double>(rows) * kRowLine + 2 * kPad;
    int bestColumns = 1;
    double best = 0;
    for (int columns = 1; columns <= n; ++columns) {
        const int gridRows = (n + columns - 1) / columns;
        const double w = (viewport.width() - kMargin * (columns + 1)) / columns;
        const double h = (viewport.height() - kMargin * (gridRows + 1)) / gridRows;
        const double px = std::min(w / perPxWide, h / perPxHigh);
        if (px > best + 0.01) best = px, bestColumns = columns;
    }
    g.textPx = std::max(1.0, std::min(best, maxTextPx));
    // Blocks as large as the type needs, centred in their cells (the figures stay together).
    const int gridRows = (n + bestColumns - 1) / bestColumns;
    const double cellW = (viewport.width() - kMargin * (bestColumns + 1)) / bestColumns;
    const double cellH = (viewport.height() - kMargin * (gridRows + 1)) / gridRows;
    const double blockW = std::min(cellW, std::max(perPxWide * g.textPx, cellW * 0.6));
    const double blockH = std::min(cellH, perPxHigh * g.textPx * 1.1);
    for (int i = 0; i < n; ++i) {
        const int col = i % bestColumns, row = i / bestColumns;
        const double x = kMargin + col * (cellW + kMargin) + (cellW - blockW) / 2;
        const double y = kMargin + row * (cellH + kMargin) + (cellH - blockH) / 2;
        g.blocks.emplace_back(x, y, blockW, blockH);
    }
    return g;
}

void paintOverview(QPainter& p, const OverviewGeometry& g, const std::vector<IslandFigures>& islands, const OneLinePalette& palette) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const double px = g.textPx;
    const QFont title = figureFont(px * kTitleScale, true), body = figureFont(px);
    for (std::size_t i = 0; i < islands.size() && i < g.blocks.size(); ++i) {
        const IslandFigures& f = islands[i];
        const QRectF b = g.blocks[i];
        const bool alarm = f.tripped > 0 || f.alarms > 0;
        // The block: the lane's grey, edged in red while anything in it is in alarm.
        p.setPen(alarm ? QPen(hmi::kAlarm, std::max(2.0, px / 6)) : QPen(palette.laneBorder, 1));
        p.setBrush(palette.lane);
        p.drawRoundedRect(b.adjusted(0.5, 0.5, -0.5, -0.5), px / 3, px / 3);
        const double pad = kPad * px;
        const QRectF inner = b.adjusted(pad, pad, -pad, -pad);
        const twin::query::DataQuality q = f.quality;
        auto ink = [&](OverviewRow::Role r) {
            const QColor c = r == OverviewRow::Alarm ? hmi::kAlarm : r == OverviewRow::Warning ? hmi::kWarning : palette.text;
            return hmi::withQuality(c, q);
        };
        p.setFont(title);
        p.setPen(ink(OverviewRow::Normal));
        const QRectF titleRect(inner.left(), inner.top(), inner.width(), px * kTitleScale * 1.25);
        p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(title).elidedText(overviewTitle(f), Qt::ElideRight, titleRect.width()));
        p.setFont(body);
        double y = inner.top() + px * kTitleScale * kTitleLine;
        for (const OverviewRow& row : overviewRows(f)) {
            const QRectF line(inner.left(), y, inner.width(), px * kRowLine);
            p.setPen(hmi::withQuality(palette.muted, q));
            p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, row.caption);
            p.setPen(ink(row.role));
            p.drawText(line, Qt::AlignRight | Qt::AlignVCenter, row.value);
            y += px * kRowLine;
        }
    }
    p.restore();
}

} // namespace views
