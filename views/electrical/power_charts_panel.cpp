#include "electrical/power_charts_panel.h"

#include "common/asset_ref.h"
#include "common/series_colours.h"
#include "electrical/asset_channels.h"
#include "electrical/channel_sum.h"
#include "electrical/strip_chart.h"

#include "twin/query/electrical_signals.h"
#include "twin/sim/frequency_limits.h"

#include <QGridLayout>
#include <QMenu>
#include <QResizeEvent>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace views {

using namespace twin;

namespace {

QColor paletteColour(std::size_t i) { return series::categorical(i); }

QString siteName(const Campus& c, AssetIndex site) {
    return site == kNoAsset ? QString("campus") : QString::fromStdString(c.assets[site].name);
}

} // namespace

PowerChartsPanel::PowerChartsPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    // The charts scroll rather than shrink below a readable height (kMinimumPlotHeight).
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    scroll_ = new QScrollArea;
    scroll_->setObjectName("powerChartsScroll");
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll_);
    auto* inner = new QWidget;
    grid_ = new QGridLayout(inner);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(2);
    scroll_->setWidget(inner);
    frequency_ = new StripChart(session_, "Frequency", "Hz");
    // 60 Hz nominal always in range, the alarm limits (±0.5 Hz) drawn when the range reaches them.
    using namespace twin::sim;
    frequency_->addReference(kNominalHz, QString("%1 Hz nominal").arg(kNominalHz), true);
    frequency_->addReference(kNominalHz + kFrequencyAlarmHz, QString("+%1 Hz limit").arg(kFrequencyAlarmHz), false);
    frequency_->addReference(kNominalHz - kFrequencyAlarmHz, QString::fromUtf8("−%1 Hz limit").arg(kFrequencyAlarmHz), false);
    frequency_->setMinimumSpan(0.1);
    sources_ = new StripChart(session_, "Generation by source and load", "MW");
    sources_->setStacked(true);
    megapacks_ = new StripChart(session_, "Megapack power and state of charge", "MW");
    turbines_ = new StripChart(session_, "Turbine output", "MW");
    load_ = new StripChart(session_, "Island load and generation", "MW");
    selected_ = new StripChart(session_, "Selected asset", "");
    for (StripChart* c : charts()) c->setMinimumPlotHeight(kMinimumPlotHeight);
    arrange(3);
    for (StripChart* c : charts()) {
        // One crosshair for every chart: the pointer's time over any of them.
        connect(c, &StripChart::pointerTimeChanged, this, [this](TimeMs t, bool inside) {
            for (StripChart* other : charts()) other->setCrosshair(inside ? std::optional<TimeMs>(t) : std::nullopt);
        });
        // One time range for every chart.
        connect(c, &StripChart::rangeChangedByUser, this, [this, c](TimeMs a, TimeMs b) {
            for (StripChart* other : charts())
                if (other != c) other->setRange(a, b);
        });
        c->setMenuHook([this, c](QMenu& menu) {
            const auto channels = assetChannels(session_, session_.selection());
            if (channels.empty()) return;
            QMenu* add = menu.addMenu("Add " + selectionName(session_, session_.selection()));
            for (std::size_t i = 0; i < channels.size(); ++i)
                add->addAction(channels[i].quantity + " (" + channels[i].unit + ")", this,
                               [this, c, i] { addSelectedChannel(c, static_cast<int>(i)); });
        });
    }
    connect(&session_, &Session::opened, this, &PowerChartsPanel::rebuild);
    connect(&session_, &Session::selectionChanged, this, &PowerChartsPanel::showSelected);
    if (session_.isOpen()) rebuild();
}

// Three columns on a wide dock, two when narrower, one when narrow.
void PowerChartsPanel::arrange(int columns) {
    if (columns == columns_) return;
    columns_ = columns;
    const auto all = charts();
    for (StripChart* c : all) grid_->removeWidget(c);
    for (std::size_t i = 0; i < all.size(); ++i)
        grid_->addWidget(all[i], static_cast<int>(i) / columns, static_cast<int>(i) % columns);
    for (int i = 0; i < 3; ++i) {
        grid_->setColumnStretch(i, i < columns ? 1 : 0);
        grid_->setRowStretch(i, 0);
    }
    for (int i = 0; i < static_cast<int>(all.size() + columns - 1) / columns; ++i) grid_->setRowStretch(i, 1);
}

void PowerChartsPanel::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    const int w = e->size().width();
    arrange(w >= 1200 ? 3 : w >= 640 ? 2 : 1);
}

bool PowerChartsPanel::addSelectedChannel(StripChart* chart, int index) {
    auto channels = assetChannels(session_, session_.selection());
    if (index < 0 || index >= static_cast<int>(channels.size())) return false;
    auto& ch = channels[static_cast<std::size_t>(index)];
    StripChart::SeriesOptions o;
    o.unit = ch.unit;
    o.removable = true;
    o.overlay = true;   // on a stacked chart: a line over the stack
    chart->addSeries(ch.label, paletteColour(static_cast<std::size_t>(chart->seriesCount()) + 3), std::move(ch.fetch), o);
    return true;
}

void PowerChartsPanel::rebuild() {
    for (StripChart* c : charts()) c->clearSeries();
    StoreReader& r = session_.reader();
    const Campus& campus = session_.campus();
    const query::ElectricalSignals electrical = query::electricalSignals(r);
    // Islands: frequency of their first bus, load and generation.
    for (std::size_t i = 0; i < electrical.islands.size(); ++i) {
        const query::IslandSignals& island = electrical.islands[i];
        const QColor c = series::islandColour(i);
        const QString name = island.bus == kNoAsset ? QString::fromStdString(island.busId)
                                                    : siteName(campus, campus.assets[island.bus].site);
        if (!island.frequency.empty()) frequency_->addSeries(name, c, channelOf(r, island.frequency));
        if (!island.load.empty()) load_->addSeries(name + " load", c, channelOf(r, island.load));
        if (!island.generation.empty())
            load_->addSeries(name + " generation", c.darker(130), channelOf(r, island.generation));
    }
    if (query::seriesOf<twin::sim::series::Source>(r)) {
        // Generation by kind of source, stacked; the campus load over it.
        const std::pair<AssetKind, const char*> kinds[] = {{AssetKind::Turbine, "Turbines"},
                                                           {AssetKind::MegapackBlock, "Megapacks"},
                                                           {AssetKind::SolarArray, "Solar"},
                                                           {AssetKind::GridTie, "Grid"}};
        for (auto [kind, label] : kinds)
            if (const query::SourceKindSignals* k = electrical.source(kind))
                sources_->addSeries(label, series::sourceColour(kind), sumOfChannels(r, k->power));
        if (!electrical.load.empty()) {
            StripChart::SeriesOptions line;
            line.overlay = true;
            line.style = StripChart::Style::Line;
            line.unit = "MW";
            sources_->addSeries("Load", series::loadColour(), sumOfChannels(r, electrical.load), line);
        }
        // Each site's Megapacks: power on the left, mean state of charge on the right.
        if (const query::SourceKindSignals* blocks = electrical.source(AssetKind::MegapackBlock))
            for (std::size_t g = 0; g < blocks->powerBySite.size(); ++g)
                megapacks_->addSeries(siteName(campus, blocks->powerBySite[g].site) + " power",
                                      series::siteColour(campus, blocks->powerBySite[g].site),
                                      sumOfChannels(r, blocks->powerBySite[g].channels));
        StripChart::SeriesOptions right;
        right.unit = "%";
        right.style = StripChart::Style::Line;
        for (std::size_t g = 0; g < electrical.megapackSoc.size(); ++g) {
            const query::ChannelGroup& socs = electrical.megapackSoc[g].channels;
            megapacks_->addSeries(siteName(campus, electrical.megapackSoc[g].site) + " SoC",
                                  series::siteColour(campus, electrical.megapackSoc[g].site).darker(125),   // not lighter: near white is the cursor's
                                  sumOfChannels(r, socs, 1.0 / static_cast<double>(socs.positions.size())), right);
        }
        // Every turbine, coloured by site.
        StripChart::SeriesOptions thin;
        thin.style = StripChart::Style::Line;
        if (const query::SourceKindSignals* turbines = electrical.source(AssetKind::Turbine))
            for (std::size_t g = 0; g < turbines->powerBySite.size(); ++g) {
                const query::ChannelGroup& site = turbines->powerBySite[g].channels;
                const SeriesInfo& source = query::seriesInfo(r, site.series);
                thin.group = siteName(campus, turbines->powerBySite[g].site) + " turbines";
                for (std::int64_t p : site.positions)
                    turbines_->addSeries(QString::fromStdString(source.spec.assets[static_cast<std::size_t>(p)]),
                                         series::siteColour(campus, turbines->powerBySite[g].site),
                                         channelOf(r, {site.series, site.quantity, p}), thin);
            }
    }
    showSelected();
}

// The selection's channels: those in the unit of its first on the left axis, those in the
// unit of the next on the right.
void PowerChartsPanel::showSelected() {
    selected_->clearSeries();
    if (!session_.isOpen()) return;
    QString left, right;
    std::size_t colour = 0;
    for (auto& ch : assetChannels(session_, session_.selection())) {
        if (left.isEmpty()) left = ch.unit;
        else if (right.isEmpty() && ch.unit != left) right = ch.unit;
        if (ch.unit != left && ch.unit != right) continue;
        StripChart::SeriesOptions o;
        o.unit = ch.unit == left ? QString() : ch.unit;
        selected_->addSeries(ch.label, paletteColour(colour++), std::move(ch.fetch), o);
    }
    selected_->setUnit(left);
}

} // namespace views
