#include "common/inspector_panel.h"

#include <cmath>

#include "common/asset_ref.h"
#include "common/state_words.h"
#include "common/time_format.h"

#include "twin/sim/series.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace views {

using twin::AssetIndex;
using twin::kNoAsset;

namespace {

enum ValueColumn { Quantity, Value, Unit, SampleTime, ValueColumns };

QLabel* richLabel(const QString& objectName) {
    auto* l = new QLabel;
    l->setObjectName(objectName);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    l->setTextInteractionFlags(Qt::TextBrowserInteraction);
    return l;
}

QString q(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

} // namespace

InspectorPanel::InspectorPanel(twin::Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("inspector");

    hint_ = new QLabel("Click an asset in the 3D view, the event list or the timeline");
    hint_->setObjectName("hint");
    hint_->setWordWrap(true);
    hint_->setAlignment(Qt::AlignCenter);
    hint_->setStyleSheet("QLabel { color: #80868b; padding: 24px; }");

    title_ = new QLabel;
    title_->setObjectName("title");
    title_->setWordWrap(true);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    title_->setFont(big);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    identity_ = new QLabel;
    identity_->setObjectName("identity");
    identity_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path_ = richLabel("computePath");
    electrical_ = richLabel("electrical");
    details_ = richLabel("details");
    for (QLabel* l : {path_, electrical_, details_}) connect(l, &QLabel::linkActivated, this, &InspectorPanel::follow);

    values_ = new QTableWidget(0, ValueColumns);
    values_->setObjectName("values");
    values_->setHorizontalHeaderLabels({"Quantity", "Value", "Unit", "Sample (UTC)"});
    values_->verticalHeader()->hide();
    values_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    values_->setSelectionMode(QAbstractItemView::NoSelection);
    values_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    values_->horizontalHeader()->setStretchLastSection(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(hint_);
    layout->addWidget(title_);
    layout->addWidget(identity_);
    layout->addWidget(path_);
    layout->addWidget(electrical_);
    layout->addWidget(details_);
    layout->addWidget(values_, 1);

    connect(&session_, &twin::Session::selectionChanged, this, &InspectorPanel::showSelection);
    connect(&session_, &twin::Session::opened, this, &InspectorPanel::showSelection);
    connect(&session_, &twin::Session::stateChanged, this, &InspectorPanel::showValues);
    showSelection();
}

QString InspectorPanel::titleText() const { return title_->text(); }

QString InspectorPanel::valueText(const QString& quantity) const {
    for (int r = 0; r < values_->rowCount(); ++r)
        if (values_->item(r, Quantity)->text() == quantity) return values_->item(r, Value)->text();
    return {};
}

void InspectorPanel::showSelection() {
    const twin::Selection s = session_.isOpen() ? session_.selection() : twin::Selection{};
    const bool empty = s.empty();
    hint_->setVisible(empty);
    for (QWidget* w : std::initializer_list<QWidget*>{title_, identity_, path_, electrical_, details_, values_})
        w->setVisible(!empty);
    if (empty) {
        title_->clear();
        values_->setRowCount(0);
        return;
    }
    title_->setText(views::selectionName(session_, s));
    identity_->setText(describe(s));
    path_->setText(computePath(s));
    path_->setVisible(!path_->text().isEmpty());   // jobs have no place in the tree
    const AssetIndex a = s.gpu >= 0 ? session_.campus().rackOfGpu(s.gpu) : s.asset;
    electrical_->setText(a == kNoAsset ? QString() : electrical(a));
    electrical_->setVisible(a != kNoAsset);

    const twin::Campus& campus = session_.campus();
    QStringList details;
    if (s.gpu >= 0) {
        const twin::Asset& rack = campus.assets[campus.rackOfGpu(s.gpu)];
        details << "Rack: " + link(campus.rackOfGpu(s.gpu));
        if (const twin::RackType* type = campus.rackType(rack.model)) details << "GPU model: " + q(type->gpuModel);
    } else if (s.asset != kNoAsset) {
        const twin::Asset& asset = campus.assets[s.asset];
        if (asset.kind == twin::AssetKind::Rack) {
            const twin::RackType* type = campus.rackType(asset.model);
            details << "Rack type: " + q(asset.model);
            if (type) details << "GPU model: " + q(type->gpuModel);
            details << QString("GPUs: %1").arg(asset.gpuCount);
        } else if (!asset.model.empty()) {
            details << "Model: " + q(asset.model);
        }
        if (asset.kind != twin::AssetKind::Rack && asset.gpuCount > 0)
            details << QString("GPUs below: %L1").arg(asset.gpuCount);
        if (asset.ratingMw > 0) details << "Rating: " + views::formatValue(asset.ratingMw) + " MW";
        if (asset.voltageKv > 0) details << "Voltage: " + views::formatValue(asset.voltageKv) + " kV";
    } else {
        for (const twin::Job& job : session_.reader().jobs())
            if (job.id == s.job)
                details << QString("GPUs: %L1").arg(job.gpus) << QString("Racks: %1").arg(job.racks.size())
                        << "Step period: " + views::formatValue(job.stepPeriodS) + " s";
    }
    details_->setText(details.join("<br>"));
    details_->setVisible(!details.isEmpty());
    showValues();
}

void InspectorPanel::showValues() {
    if (!session_.isOpen() || session_.selection().empty()) {
        values_->setRowCount(0);
        return;
    }
    const std::vector<twin::AssetValue> values = session_.valuesOf(session_.selection());
    values_->setRowCount(static_cast<int>(values.size()));
    auto cell = [this](int row, int column, const QString& text, Qt::Alignment align = Qt::AlignLeft) {
        QTableWidgetItem* item = values_->item(row, column);
        if (!item) values_->setItem(row, column, item = new QTableWidgetItem);
        if (item->text() != text) item->setText(text);   // playback: only what changed repaints
        item->setTextAlignment(align | Qt::AlignVCenter);
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int row = static_cast<int>(i);
        cell(row, Quantity, QString::fromStdString(values[i].quantity));
        cell(row, Value, stateName(values[i]).value_or(views::formatValue(values[i].value)), Qt::AlignRight);
        cell(row, Unit, QString::fromStdString(values[i].unit));
        cell(row, SampleTime, views::formatUtcClockMs(values[i].t));
    }
}

// State codes as words (common/state_words.h): sources and jobs.
std::optional<QString> InspectorPanel::stateName(const twin::AssetValue& v) {
    namespace series = twin::sim::series;
    const int code = static_cast<int>(std::clamp(std::lround(v.value), -1L, 255L));   // codes are bytes
    if (v.series == series::Source::name && v.quantity == series::quantityName<series::Source>(series::Source::State))
        return sourceStateWord(code);
    if (v.series == series::Job::name && v.quantity == series::quantityName<series::Job>(series::Job::State))
        return jobStateWord(code);
    return std::nullopt;
}

QString InspectorPanel::describe(const twin::Selection& s) const {
    const twin::Campus& campus = session_.campus();
    if (s.gpu >= 0) return QString::fromStdString(campus.gpuId(s.gpu)) + " · gpu";
    if (s.asset != kNoAsset) {
        const twin::Asset& a = campus.assets[s.asset];
        return QString::fromStdString(a.id) + " · " + QString::fromUtf8(twin::assetKindName(a.kind));
    }
    return QString("job #%1 · job").arg(s.job);
}

QString InspectorPanel::link(AssetIndex a) const {
    const twin::Asset& asset = session_.campus().assets[a];
    return QString("<a href=\"asset:%1\">%2</a>").arg(a).arg(q(asset.name));
}

QString InspectorPanel::computePath(const twin::Selection& s) const {
    // Site › Building › Hall › Row › Rack (› GPU), every level but the selection clickable.
    const twin::Campus& campus = session_.campus();
    AssetIndex a = s.gpu >= 0 ? campus.rackOfGpu(s.gpu) : s.asset;
    if (a == kNoAsset) return {};
    QStringList chain;
    if (s.gpu >= 0) chain << "<b>" + q(campus.gpuId(s.gpu).substr(campus.assets[a].id.size() + 1)) + "</b>";
    else {
        chain << "<b>" + q(campus.assets[a].name) + "</b>";
        a = campus.assets[a].parent;
    }
    for (; a != kNoAsset; a = campus.assets[a].parent) chain << link(a);
    std::reverse(chain.begin(), chain.end());
    return chain.join(" › ");
}

QString InspectorPanel::linkList(const std::vector<AssetIndex>& assets) const {
    if (assets.empty()) return QStringLiteral("—");
    const twin::Campus& campus = session_.campus();
    auto named = [&](AssetIndex x) {
        // Two units may share a name ("Turbine 1" of two models): then the id tells them apart.
        const auto same = std::count_if(assets.begin(), assets.end(),
                                        [&](AssetIndex y) { return campus.assets[y].name == campus.assets[x].name; });
        return same > 1 ? link(x) + " (" + q(campus.assets[x].id) + ")" : link(x);
    };
    QStringList parts;
    if (assets.size() <= kListedByName) {
        for (AssetIndex x : assets) parts << named(x);
        return parts.join(", ");
    }
    // The default campus feeds a rack from ~180 sources: name the few of a kind, count the many.
    std::map<twin::AssetKind, std::vector<AssetIndex>> byKind;
    for (AssetIndex x : assets) byKind[campus.assets[x].kind].push_back(x);
    for (const auto& [kind, members] : byKind) {
        if (members.size() <= 3) {
            for (AssetIndex x : members) parts << named(x);
        } else {
            QString kindName = QString::fromUtf8(twin::assetKindName(kind)).replace('_', ' ').replace("megapack", "Megapack");
            parts << QString("%1 %2").arg(members.size()).arg(kindName + (kindName.endsWith('s') ? "es" : "s"));
        }
    }
    return parts.join(", ") + QString(" (%1 in all)").arg(assets.size());
}

QString InspectorPanel::electrical(AssetIndex a) const {
    const twin::Campus& campus = session_.campus();
    QString text = "Fed by: " + linkList(campus.suppliers(a));
    if (!twin::isSource(campus.assets[a].kind)) text += "<br>Sources: " + linkList(campus.sourcesOf(a));
    if (!campus.supplied(a).empty()) text += "<br>Feeds: " + linkList(campus.supplied(a));
    return text;
}

void InspectorPanel::follow(const QString& target) {
    if (!target.startsWith("asset:")) return;
    bool ok = false;
    const int a = target.mid(6).toInt(&ok);
    if (ok && a >= 0 && a < static_cast<int>(session_.campus().assets.size())) session_.select({a});
}

} // namespace views
