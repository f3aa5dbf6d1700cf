// The GPUs of one rack as cells, 8 across (64 GPUs: 8 x 8; 72: 8 x 9): each shows utilisation,
// power and temperature at the clock's time, its fill coloured by a quantity as the 3D view's
// per-GPU cells are; failed GPUs carry a red cross. A click selects the GPU.
#pragma once

#include "common/colour_map.h"

#include "twin/session/session.h"

#include <QWidget>

namespace views {

class GpuCells : public QWidget {
    Q_OBJECT
public:
    static constexpr int kColumns = 8;

    explicit GpuCells(twin::Session& session, QWidget* parent = nullptr);

    void setRack(twin::AssetIndex rack);
    void setQuantity(RackQuantity q);
    int cellCount() const;
    // "97 %\n640 W\n65 °C", or "failed\n50 W\n31 °C"; "" for no data or no such cell.
    QString cellText(int gpuInRack) const;
    QColor cellColour(int gpuInRack) const;
    bool cellFailed(int gpuInRack) const;
    QRectF cellRect(int gpuInRack) const;
    int cellAt(const QPointF& pos) const;   // -1 if none

    QSize sizeHint() const override { return {440, 440}; }

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseReleaseEvent(QMouseEvent* e) override;

private:
    // The GPU's power, utilisation and temperature at the clock's time; false without data.
    bool sample(int gpuInRack, double& power, double& util, double& temp) const;

    twin::Session& session_;
    twin::AssetIndex rack_ = twin::kNoAsset;
    RackQuantity quantity_ = RackQuantity::Utilisation;
    double tdpW_ = 700;
};

} // namespace views
