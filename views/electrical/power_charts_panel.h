// The electrical view's strip charts: six VTK charts (strip_chart.h) sharing one clock and one
// time range. Their data are the store's reduced ranges (StoreReader::seriesRange, one bucket
// of min, max and mean per pixel) of the "island", "bus", "source" and "megapack" series, summed
// per kind of source or per site (channel_sum.h), and the selection's channels
// (asset_channels.h). A clock move only moves their cursors; new data in a live store reloads
// them, at most once a second.
//   Frequency                 each island's frequency
//   Generation by source      turbines, Megapacks, solar and grid stacked (a charging Megapack
//                             below zero), with the campus load as a line over them
//   Megapack power and SoC    each site's Megapack power (MW) and mean state of charge (%)
//   Turbine output            every turbine's electrical output, one line each
//   Island load / generation  each island's load and generation
//   Selected asset            the selection's channels (the first two units, one per axis)
// Zooming or panning one chart moves all of them, and the pointer's crosshair is drawn on all of
// them (each legend reads its values there); the context menu of any chart adds a signal
// of the selected asset (on the right axis when its unit differs). The charts keep a readable
// height (kMinimumPlotHeight) and the panel scrolls rather than squash them. Colours: one
// palette for every screen (common/series_colours.h).
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <vector>

class QGridLayout;
class QScrollArea;

namespace views {

class StripChart;

class PowerChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PowerChartsPanel(twin::Session& session, QWidget* parent = nullptr);
    // A chart's plot is never squashed below this height (its legend and axes come on top).
    static constexpr int kMinimumPlotHeight = 150;
    QScrollArea* scrollArea() const { return scroll_; }

    StripChart* frequency() const { return frequency_; }
    StripChart* generationBySource() const { return sources_; }
    StripChart* megapacks() const { return megapacks_; }
    StripChart* turbines() const { return turbines_; }
    StripChart* loadAndGeneration() const { return load_; }
    StripChart* selected() const { return selected_; }
    std::vector<StripChart*> charts() const { return {frequency_, sources_, megapacks_, turbines_, load_, selected_}; }

    // Adds channel `index` of assetChannels(selection) to `chart` (what the context menu does).
    bool addSelectedChannel(StripChart* chart, int index);

protected:
    void resizeEvent(QResizeEvent* e) override;

private:
    void rebuild();
    void showSelected();
    void arrange(int columns);

    twin::Session& session_;
    QGridLayout* grid_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    int columns_ = 0;
    StripChart* frequency_ = nullptr;
    StripChart* sources_ = nullptr;
    StripChart* megapacks_ = nullptr;
    StripChart* turbines_ = nullptr;
    StripChart* load_ = nullptr;
    StripChart* selected_ = nullptr;
};

} // namespace views
