#include "wall/wall_totals.h"

#include "common/hmi_colours.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace wall {

using namespace twin;

namespace {

QString megawatts(double mw) {
    const QLocale c = QLocale::c();
    return c.toString(mw, 'f', std::abs(mw) < 10 ? 2 : std::abs(mw) < 100 ? 1 : 0);
}

QString count(std::int64_t n) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(n)); }

} // namespace

TotalsPanel::TotalsPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("wallTotals");
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(1, 1);
    connect(&session_, &Session::opened, this, [this] {
        facts_ = views::rackFactsOf(session_.campus());
        refresh();
    });
    connect(&session_, &Session::stateChanged, this, &TotalsPanel::refresh);
    if (session_.isOpen()) facts_ = views::rackFactsOf(session_.campus());
    refresh();
}

void TotalsPanel::refresh() {
    totals_ = views::computeTotals(session_, facts_);
    const QLocale c = QLocale::c();
    const bool ok = totals_.valid;
    const QString none = QString::fromUtf8("—");
    // GPUs whose telemetry is not fresh are said under the GPU figures (they count with old values).
    QString notFresh;
    if (ok && totals_.staleGpus) notFresh += QString::fromUtf8(" · ") + count(totals_.staleGpus) + " stale";
    if (ok && totals_.missingGpus) notFresh += QString::fromUtf8(" · ") + count(totals_.missingGpus) + " missing";
    tiles_ = {
        {"GPUS HEALTHY", ok ? count(totals_.healthyGpus) : none, ok ? "of " + count(totals_.gpus) + notFresh : QString()},
        {"GPUS IN USE", ok ? count(totals_.gpusInUse) : none,
         ok && totals_.gpus > 0 ? c.toString(100.0 * static_cast<double>(totals_.gpusInUse) / static_cast<double>(totals_.gpus), 'f', 1) + " %"
                                : QString()},
        {"IT POWER", ok ? megawatts(totals_.itMw) : none, ok ? "MW" : QString()},
        {"FACILITY POWER", ok ? megawatts(totals_.facilityMw) : none, ok ? "MW" : QString()},
        {"PUE", ok && totals_.pue > 0 ? c.toString(totals_.pue, 'f', 2) : none, QString()},
        {"EFFICIENCY", ok ? c.toString(totals_.gflopsPerWatt, 'f', 1) : none, ok ? "GFLOPS/W" : QString()},
    };
    update();
}

void TotalsPanel::setStale(bool stale) {
    if (stale == stale_) return;
    stale_ = stale;
    update();
}

QColor TotalsPanel::valueColour() const {
    const QColor bright(240, 244, 248);
    return stale_ ? views::hmi::withQuality(bright, twin::query::DataQuality::Stale) : bright;
}

void TotalsPanel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), QColor(18, 22, 27));
    const int n = static_cast<int>(tiles_.size());
    if (n == 0) return;
    const int line = QFontMetrics(font()).height();
    const int gap = std::max(4, line / 4);
    // Columns: the arrangement whose tiles come closest to 1.8:1.
    int columns = 1;
    double bestScore = 1e9;
    for (int c : {1, 2, 3, 6}) {
        const int rows = (n + c - 1) / c;
        const double w = (width() - gap * (c + 1.0)) / c, h = (height() - gap * (rows + 1.0)) / rows;
        if (w <= 0 || h <= 0) continue;
        const double score = std::abs(std::log((w / h) / 1.8));
        if (score < bestScore) bestScore = score, columns = c;
    }
    const int rows = (n + columns - 1) / columns;
    const double tw = (width() - gap * (columns + 1.0)) / columns, th = (height() - gap * (rows + 1.0)) / rows;
    for (int i = 0; i < n; ++i) {
        const Tile& t = tiles_[static_cast<std::size_t>(i)];
        const QRectF r(gap + (i % columns) * (tw + gap), gap + (i / columns) * (th + gap), tw, th);
        QPainterPath box;
        box.addRoundedRect(r, line / 4.0, line / 4.0);
        p.fillPath(box, QColor(26, 32, 40));
        const double pad = std::min(line / 2.0, r.width() / 12);
        // The label: small capitals at the top.
        QFont label = font();
        label.setPixelSize(std::max(8, std::min(static_cast<int>(line * 0.72), static_cast<int>(r.height() * 0.22))));
        label.setBold(true);
        label.setLetterSpacing(QFont::PercentageSpacing, 104);
        p.setFont(label);
        p.setPen(QColor(150, 160, 174));
        const QFontMetricsF lm(label);
        p.drawText(QPointF(r.left() + pad, r.top() + pad + lm.ascent()), lm.elidedText(t.label, Qt::ElideRight, r.width() - 2 * pad));
        // The value as large as fits below it, its unit after it at half the size.
        const double top = r.top() + pad + lm.height(), avail = r.width() - 2 * pad, height = r.bottom() - pad - top;
        QFont value = font();
        value.setBold(true);
        int px = std::max(8, static_cast<int>(std::min(height * 0.95, line * 2.6)));
        QFont unit = font();
        for (;; px = px * 9 / 10) {
            value.setPixelSize(px);
            unit.setPixelSize(std::max(8, px / 2));
            const double w = QFontMetricsF(value).horizontalAdvance(t.value) +
                             (t.unit.isEmpty() ? 0 : QFontMetricsF(unit).horizontalAdvance(" " + t.unit));
            if (w <= avail || px <= 9) break;
        }
        const QFontMetricsF vm(value);
        const double baseline = top + (height + vm.ascent() - vm.descent()) / 2;
        p.setFont(value);
        p.setPen(valueColour());
        p.drawText(QPointF(r.left() + pad, baseline), t.value);
        if (!t.unit.isEmpty()) {
            p.setFont(unit);
            p.setPen(QColor(170, 179, 191));
            p.drawText(QPointF(r.left() + pad + vm.horizontalAdvance(t.value), baseline), " " + t.unit);
        }
    }
}

} // namespace wall
