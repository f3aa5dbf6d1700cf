#include "compute/gpu_cells.h"

#include "common/gpu_status.h"
#include "common/rack_values.h"
#include "common/series_lookup.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace twin;
using twin::sim::series::Gpu;

namespace views {

GpuCells::GpuCells(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("gpuCells");
    setMinimumSize(240, 200);
    connect(&session_, &Session::stateChanged, this, qOverload<>(&QWidget::update));
    connect(&session_, &Session::selectionChanged, this, qOverload<>(&QWidget::update));
}

void GpuCells::setRack(AssetIndex rack) {
    rack_ = rack;
    tdpW_ = 700;
    if (rack_ != kNoAsset) {
        const Campus& campus = session_.campus();
        const RackType* rt = campus.rackType(campus.assets[static_cast<std::size_t>(rack_)].model);
        if (const GpuModel* gm = rt ? campus.gpuModel(rt->gpuModel) : nullptr; gm && gm->tdpW > 0) tdpW_ = gm->tdpW;
    }
    update();
}

void GpuCells::setQuantity(RackQuantity q) {
    quantity_ = q;
    update();
}

int GpuCells::cellCount() const {
    return rack_ == kNoAsset ? 0 : static_cast<int>(session_.campus().assets[static_cast<std::size_t>(rack_)].gpuCount);
}

bool GpuCells::sample(int k, double& power, double& util, double& temp) const {
    if (k < 0 || k >= cellCount()) return false;
    const auto* p = valuesAtClock<Gpu>(session_, Gpu::Power);
    const auto* u = valuesAtClock<Gpu>(session_, Gpu::Utilisation);
    const auto* t = valuesAtClock<Gpu>(session_, Gpu::Temperature);
    if (!p || !u || !t) return false;
    const auto g = static_cast<std::size_t>(session_.campus().assets[static_cast<std::size_t>(rack_)].gpuFirst + k);
    power = (*p)[g];
    util = (*u)[g];
    temp = (*t)[g];
    return true;
}

QString GpuCells::cellText(int k) const {
    double power = 0, util = 0, temp = 0;
    if (!sample(k, power, util, temp)) return {};
    const QString first = gpuHealthy(power, util) ? QString::number(util, 'f', 0) + " %" : QString("failed");
    return first + "\n" + QString::number(power, 'f', 0) + " W\n" + QString::number(temp, 'f', 0) + QString::fromUtf8(" °C");
}

QColor GpuCells::cellColour(int k) const {
    double power = 0, util = 0, temp = 0;
    if (!sample(k, power, util, temp)) return qcolourAt(std::nan(""));
    return qcolourAt(normalisedGpuValue(power, util, temp, tdpW_, quantity_));
}

bool GpuCells::cellFailed(int k) const {
    double power = 0, util = 0, temp = 0;
    return sample(k, power, util, temp) && !gpuHealthy(power, util);
}

QRectF GpuCells::cellRect(int k) const {
    const int n = cellCount();
    if (k < 0 || k >= n) return {};
    const int rows = (n + kColumns - 1) / kColumns;
    const double w = width() / static_cast<double>(kColumns), h = height() / static_cast<double>(rows);
    return QRectF((k % kColumns) * w, (k / kColumns) * h, w, h).adjusted(1, 1, -1, -1);
}

int GpuCells::cellAt(const QPointF& pos) const {
    for (int k = 0; k < cellCount(); ++k)
        if (cellRect(k).contains(pos)) return k;
    return -1;
}

void GpuCells::mouseReleaseEvent(QMouseEvent* e) {
    const int k = cellAt(e->position());
    if (k < 0 || e->button() != Qt::LeftButton) return;
    Selection s;
    s.gpu = session_.campus().assets[static_cast<std::size_t>(rack_)].gpuFirst + k;
    session_.select(s);
}

void GpuCells::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(27, 30, 35));
    const std::int64_t first = rack_ == kNoAsset ? 0 : session_.campus().assets[static_cast<std::size_t>(rack_)].gpuFirst;
    const std::int64_t selected = session_.selection().gpu;
    QFont font = p.font();
    for (int k = 0; k < cellCount(); ++k) {
        const QRectF r = cellRect(k);
        const QColor fill = cellColour(k);
        p.fillRect(r, fill);
        // Text in black on light fills, white on dark ones.
        p.setPen(fill.lightnessF() > 0.55 ? Qt::black : Qt::white);
        font.setPixelSize(static_cast<int>(std::clamp(r.height() / 4.2, 7.0, 12.0)));
        p.setFont(font);
        if (r.width() >= 34) p.drawText(r, Qt::AlignCenter, cellText(k));
        if (cellFailed(k)) {
            p.setPen(QPen(QColor(230, 30, 30), 2.5));
            p.drawLine(r.topLeft() + QPointF(3, 3), r.bottomRight() - QPointF(3, 3));
            p.drawLine(r.topRight() + QPointF(-3, 3), r.bottomLeft() + QPointF(3, -3));
        }
        if (first + k == selected) {
            p.setPen(QPen(Qt::white, 3));
            p.drawRect(r.adjusted(1, 1, -1, -1));
        }
    }
}

} // namespace views
