// The campus totals as wall tiles: GPUs healthy and in use, IT and facility power, PUE and
// compute efficiency (the figures and formulas of views/compute/compute_totals.h), and the generation
// and load of the power plant (sum of every island's "generation" and "load"). Each value is
// drawn as large as its tile allows.
#pragma once

#include "compute/compute_totals.h"

#include "twin/session/session.h"

#include <QWidget>

namespace wall {

class TotalsPanel : public QWidget {
    Q_OBJECT
public:
    explicit TotalsPanel(twin::Session& session, QWidget* parent = nullptr);

    struct Tile {
        QString label;   // "GPUS HEALTHY"
        QString value;   // "471"
        QString unit;    // "of 472"
    };
    const std::vector<Tile>& tiles() const { return tiles_; }
    const views::Totals& totals() const { return totals_; }

    // The data has stopped coming (the wall's STALE): values are drawn greyed, not bright.
    void setStale(bool stale);
    bool stale() const { return stale_; }
    // The colour the tiles' values are drawn in now.
    QColor valueColour() const;

public slots:
    void refresh();

protected:
    void paintEvent(QPaintEvent* e) override;

private:
    twin::Session& session_;
    views::RackFacts facts_;
    views::Totals totals_;
    std::vector<Tile> tiles_;
    bool stale_ = false;
};

} // namespace wall
