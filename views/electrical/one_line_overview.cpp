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
    using twin::query::worse;
    const twin::query::DataQuality sources = worse(f.sourceQuality, f.megapackQuality);
    std::vector<OverviewRow> rows;
    rows.push_back({"Frequency", fixed(f.frequencyHz, 2, "Hz"), f.frequencyAbnormal() ? OverviewRow::Warning : OverviewRow::Normal,
                    f.frequencyQuality});
    rows.push_back({"Generation", fixed(f.generationMw, 1, "MW"), OverviewRow::Normal, sources});
    rows.push_back({"Load", fixed(f.loadMw, 1, "MW")});
    if (f.megapacks > 0)
        rows.push_back({"Megapacks",
                        fixed(f.megapackMw, 1, "MW") + kDot + (f.megapackSocPct ? QString::number(*f.megapackSocPct, 'f', 0) : kNone) + " %",
                        OverviewRow::Normal, f.megapackQuality});
    if (f.co2TPerH) rows.push_back({"CO₂ (turbines)", fixed(f.co2TPerH, 1, "t/h"), OverviewRow::Normal, f.sourceQuality});
    rows.push_back({"Sources running", QString("%1 of %2").arg(f.running).arg(f.sources), OverviewRow::Normal, f.sourceQuality});
    rows.push_back({"Tripped", f.tripped > 0 ? QString::number(f.tripped) : QString("none"),
                    f.tripped > 0 ? OverviewRow::Alarm : OverviewRow::Normal, sources});
    rows.push_back({"Alarms", f.alarms > 0 ? QString::number(f.alarms) : QString("none"), f.alarms > 0 ? OverviewRow::Alarm : OverviewRow::Normal});
    return rows;
}

QString overviewTitle(const IslandFigures& f) {
    return f.quality == twin::query::DataQuality::Good ? f.title : f.title + kDot + twin::query::qualityWord(f.quality);
}

namespace {

// A title on `lines` lines (1 or 2): split at the " · " nearest its middle.
QStringList titleLines(const QString& title, int lines) {
    if (lines < 2) return {title};
    const QStringList parts = title.split(kDot);
    if (parts.size() < 2) return {title};
    int best = 1;
    double bestDiff = 1e9;
    for (int k = 1; k < parts.size(); ++k) {
        const double diff = std::abs(parts.mid(0, k).join(kDot).size() - parts.mid(k).join(kDot).size());
        if (diff < bestDiff) bestDiff = diff, best = k;
    }
    return {parts.mid(0, best).join(kDot) + QString::fromUtf8(" \xC2\xB7"), parts.mid(best).join(kDot)};
}

} // namespace

OverviewGeometry layoutOverview(const QSizeF& viewport, const std::vector<IslandFigures>& islands, double maxTextPx) {
    OverviewGeometry g;
    const int n = static_cast<int>(islands.size());
    if (n == 0 || viewport.isEmpty()) return g;
    // Widths and row count at 100 px, scaled linearly after.
    const QFontMetricsF fm(figureFont(100)), tm(figureFont(100 * kTitleScale, true));
    double caption = 0, value = 0, title = 0, title2 = 0;
    std::size_t rows = 0;
    for (const IslandFigures& f : islands) {
        const std::vector<OverviewRow> r = overviewRows(f);
        rows = std::max(rows, r.size());
        for (const OverviewRow& row : r) {
            caption = std::max(caption, fm.horizontalAdvance(row.caption) / 100);
            value = std::max(value, fm.horizontalAdvance(row.value) / 100);
        }
        title = std::max(title, tm.horizontalAdvance(overviewTitle(f)) / 100);
        for (const QString& line : titleLines(overviewTitle(f), 2)) title2 = std::max(title2, tm.horizontalAdvance(line) / 100);
    }
    struct Choice {
        double px = 0;
        int columns = 1, rowColumns = 1, titleLines = 1;
        double perPxWide = 1, perPxHigh = 1;
    } best;
    const double column = caption + kColumnGap + value;
    for (int columns = 1; columns <= n; ++columns)
        for (int rc = 1; rc <= 3; ++rc)
            for (int tl = 1; tl <= 2; ++tl) {
                const int gridRows = (n + columns - 1) / columns;
                const double w = (viewport.width() - kMargin * (columns + 1)) / columns;
                const double h = (viewport.height() - kMargin * (gridRows + 1)) / gridRows;
                const int rowsPerColumn = static_cast<int>((rows + rc - 1) / rc);
                // A title wider than the block must wrap (two lines), or lose its end.
                const double wide = std::max(rc * column + (rc - 1) * kColumnGap * 1.5, (tl == 1 ? title : title2) * 0.98) + 2 * kPad;
                const double high = (kTitleLine + (tl - 1) * 1.2) * kTitleScale + rowsPerColumn * kRowLine + 2 * kPad;
                const double px = std::min(w / wide, h / high);
                // Prefer one column of rows and one title line unless the other gives larger type.
                if (px > best.px * 1.05) best = {px, columns, rc, tl, wide, high};
            }
    g.textPx = std::max(1.0, std::min(best.px, maxTextPx));
    g.rowColumns = best.rowColumns;
    g.titleLines = best.titleLines;
    // Blocks as large as the type needs, centred in their cells (the figures stay together).
    const int columns = best.columns;
    const int gridRows = (n + columns - 1) / columns;
    const double cellW = (viewport.width() - kMargin * (columns + 1)) / columns;
    const double cellH = (viewport.height() - kMargin * (gridRows + 1)) / gridRows;
    const double blockW = std::min(cellW, std::max(best.perPxWide * g.textPx * 1.05, std::min(cellW, best.perPxWide * g.textPx * 1.6)));
    const double blockH = std::min(cellH, best.perPxHigh * g.textPx * 1.08);
    for (int i = 0; i < n; ++i) {
        const int col = i % columns, row = i / columns;
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
        auto ink = [&](OverviewRow::Role r, twin::query::DataQuality q) {
            const QColor c = r == OverviewRow::Alarm ? hmi::kAlarm : r == OverviewRow::Warning ? hmi::kWarning : palette.text;
            return hmi::withQuality(c, q);
        };
        p.setFont(title);
        p.setPen(ink(OverviewRow::Normal, f.quality));
        const QFontMetricsF tfm(title);
        double y = inner.top();
        const QStringList lines = titleLines(overviewTitle(f), tfm.horizontalAdvance(overviewTitle(f)) > inner.width() ? g.titleLines : 1);
        for (const QString& line : lines) {
            const QRectF r(inner.left(), y, inner.width(), px * kTitleScale * 1.2);
            p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, tfm.elidedText(line, Qt::ElideRight, r.width()));
            y += px * kTitleScale * 1.2;
        }
        p.setFont(body);
        y = inner.top() + (kTitleLine + (lines.size() - 1) * 1.2) * kTitleScale * px;
        const std::vector<OverviewRow> rows = overviewRows(f);
        const int rc = std::max(1, g.rowColumns);
        const int perColumn = static_cast<int>((rows.size() + rc - 1) / rc);
        const double gap = kColumnGap * 1.5 * px;
        const double colW = (inner.width() - (rc - 1) * gap) / rc;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const int c = static_cast<int>(k) / std::max(1, perColumn), r = static_cast<int>(k) % std::max(1, perColumn);
            const QRectF line(inner.left() + c * (colW + gap), y + r * px * kRowLine, colW, px * kRowLine);
            p.setPen(hmi::withQuality(palette.muted, rows[k].quality));
            p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, rows[k].caption);
            p.setPen(ink(rows[k].role, rows[k].quality));
            p.drawText(line, Qt::AlignRight | Qt::AlignVCenter, rows[k].value);
        }
    }
    p.restore();
}

} // namespace views
