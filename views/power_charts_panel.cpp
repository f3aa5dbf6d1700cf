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
    sources_ = new StripChart(session_, "Generation by source (stacked)", "MW");
    sources_->setStacked(true);
    soc_ = new StripChart(session_, "Megapack state of charge", "%");
    selected_ = new StripChart(session_, "Selected asset", "");
    for (auto* c : {frequency_, load_, sources_, soc_, selected_}) layout->addWidget(c);
    connect(&session_, &Session::opened, this, &PowerChartsPanel::rebuild);
    connect(&session_, &Session::selectionChanged, this, &PowerChartsPanel::showSelected);
    if (session_.isOpen()) rebuild();
}

// The sum of several channels of one series, bucket by bucket on a common grid: the envelope
// [sum of minima, sum of maxima] and the sum of the means.
StripChart::Fetch sumOf(StoreReader& r, int series, std::vector<std::int64_t> positions) {
    return [&r, series, positions](TimeMs a, TimeMs b, int n) {
        const TimeMs width = std::max<TimeMs>(1, (b - a + n) / std::max(1, n));
        std::vector<Bucket> grid(static_cast<std::size_t>((b - a) / width + 1));
        std::vector<std::uint8_t> filled(grid.size(), 0);
        for (std::int64_t p : positions)
            for (const Bucket& k : r.seriesRange(series, 0, p, a, b, n)) {
                const auto i = static_cast<std::size_t>((k.first - a) / width);
                if (i >= grid.size() || k.count == 0) continue;
                Bucket& g = grid[i];
                if (!filled[i]) g = Bucket{k.first, k.last, 0, 0, 0, 0, 1, 0}, filled[i] = 1;
                g.min += k.min;
                g.max += k.max;
                g.sum += k.sum / k.count;
                g.first = std::min(g.first, k.first);
                g.last = std::max(g.last, k.last);
            }
        std::vector<Bucket> out;
        for (std::size_t i = 0; i < grid.size(); ++i)
            if (filled[i]) out.push_back(grid[i]);
        return out;
    };
}

void PowerChartsPanel::rebuild() {
    for (auto* c : {frequency_, load_, sources_, soc_, selected_}) c->clearSeries();
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
    // Generation by kind of source, stacked.
    const int source = r.findSeries("source");
    for (const auto& s : r.series()) {
        if (s.id != source) continue;
        const std::pair<AssetKind, const char*> kinds[] = {{AssetKind::Turbine, "Turbines"},
                                                           {AssetKind::MegapackBlock, "Megapacks"},
                                                           {AssetKind::SolarArray, "Solar"},
                                                           {AssetKind::GridTie, "Grid"}};
        int colour = 0;
        for (auto [kind, label] : kinds) {
            std::vector<std::int64_t> positions;
            for (std::size_t i = 0; i < s.assets.size(); ++i)
                if (s.assets[i] != kNoAsset && session_.campus().assets[s.assets[i]].kind == kind)
                    positions.push_back(static_cast<std::int64_t>(i));
            if (!positions.empty()) sources_->addSeries(label, kPalette[colour++ % std::size(kPalette)], sumOf(r, source, positions));
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

// Every recorded channel of the selected asset with the unit of its first one (one axis).
void PowerChartsPanel::showSelected() {
    selected_->clearSeries();
    if (!session_.isOpen()) return;
    const Selection sel = session_.selection();
    if (sel.asset == kNoAsset) return;
    StoreReader& r = session_.reader();
    std::string unit;
    int colour = 0;
    for (const auto& s : r.series()) {
        if (s.spec.assetSet == AssetSet::Gpus || s.spec.assetSet == AssetSet::Jobs) continue;
        const auto pos = session_.positionIn(s.spec.name, sel.asset);
        if (pos < 0) continue;
        for (std::size_t q = 0; q < s.spec.quantities.size(); ++q) {
            const auto& quantity = s.spec.quantities[q];
            if (quantity.unit == "code") continue;
            if (unit.empty()) unit = quantity.unit;
            if (quantity.unit != unit) continue;
            const int id = s.id, qi = static_cast<int>(q);
            selected_->addSeries(QString::fromStdString(quantity.name), kPalette[colour++ % std::size(kPalette)],
                                 [&r, id, qi, pos](TimeMs a, TimeMs b, int n) { return r.seriesRange(id, qi, pos, a, b, n); });
        }
    }
}

} // namespace views
