// The electrical strip charts, one clock with every other view: frequency of each island,
// load and generation of each island, and the state of charge of the Megapack blocks.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

namespace views {

class StripChart;

class PowerChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PowerChartsPanel(twin::Session& session, QWidget* parent = nullptr);

    StripChart* frequency() const { return frequency_; }
    StripChart* loadAndGeneration() const { return load_; }
    StripChart* stateOfCharge() const { return soc_; }
    StripChart* generationBySource() const { return sources_; }
    StripChart* selected() const { return selected_; }

private:
    void rebuild();
    void showSelected();

    twin::Session& session_;
    StripChart* frequency_ = nullptr;
    StripChart* load_ = nullptr;
    StripChart* soc_ = nullptr;
    StripChart* sources_ = nullptr;
    StripChart* selected_ = nullptr;
};

} // namespace views
