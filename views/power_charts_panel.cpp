#include "power_charts_panel.h"

#include "strip_chart.h"

#include <QVBoxLayout>

namespace views {

using namespace twin;

namespace {

const QColor kPalette[] = {QColor(255, 180, 40), QColor(80, 200, 255), QColor(120, 230, 120), QColor(240, 110, 200)};

} // namespace

PowerChartsPanel::PowerChartsPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    frequency_ = new StripChart(session_, "Frequency", "Hz");
    load_ = new StripChart(session_, "Load and generation", "MW");
    soc_ = new StripChart(session_, "Megapack state of charge", "%");
    for (auto* c : {frequency_, load_, soc_}) layout->addWidget(c);
    connect(&session_, &Session::opened, this, &PowerChartsPanel::rebuild);
    if (session_.isOpen()) rebuild();
}

void PowerChartsPanel::rebuild() {
    for (auto* c : {frequency_, load_, soc_}) c->clearSeries();
    StoreReader& r = session_.reader();
    auto channel = [&r](int series, int quantity, std::int64_t pos) {
        return [&r, series, quantity, pos](TimeMs a, TimeMs b, int n) { return r.seriesRange(series, quantity, pos, a, b, n); };
    };
    // One bus per island: the "island" series lists them.
    const int island = r.findSeries("island"), bus = r.findSeries("bus"), mp = r.findSeries("megapack");
    for (const auto& s : r.series()) {
        if (s.id != island) continue;
        for (std::size_t i = 0; i < s.spec.assets.size(); ++i) {
            const QColor c = kPalette[i % std::size(kPalette)];
            const AssetIndex a = session_.campus().find(s.spec.assets[i]);
            const QString name = a == kNoAsset ? QString::fromStdString(s.spec.assets[i])
                                               : QString::fromStdString(session_.campus().assets[session_.campus().assets[a].site].name);
            const auto busPos = session_.positionIn("bus", a);
            if (bus && busPos >= 0) frequency_->addSeries(name, c, channel(bus, 0, busPos));
            load_->addSeries(name + " load", c, channel(island, 0, static_cast<std::int64_t>(i)));
            load_->addSeries(name + " generation", c.lighter(150), channel(island, 2, static_cast<std::int64_t>(i)));
        }
    }
    // The first Megapack block of each site that has them.
    for (const auto& s : r.series()) {
        if (s.id != mp) continue;
        std::vector<AssetIndex> sites;
        for (std::size_t i = 0; i < s.assets.size(); ++i) {
            const AssetIndex site = s.assets[i] == kNoAsset ? kNoAsset : session_.campus().assets[s.assets[i]].site;
            if (std::find(sites.begin(), sites.end(), site) != sites.end()) continue;
            sites.push_back(site);
            soc_->addSeries(QString::fromStdString(s.spec.assets[i]), kPalette[sites.size() % std::size(kPalette)],
                            channel(mp, 0, static_cast<std::int64_t>(i)));
        }
    }
}

} // namespace views
