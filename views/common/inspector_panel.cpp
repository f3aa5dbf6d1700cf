#include "common/inspector_panel.h"

#include <cmath>

#include "common/asset_ref.h"
#include "common/asset_trend.h"
#include "common/hmi_colours.h"
#include "common/state_words.h"
#include "common/time_format.h"

#include "twin/query/events_query.h"
#include "twin/query/main_quantity.h"
#include "twin/sim/series.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
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
    hint_->setStyleSheet("QLabel { color: #80868b; padding: 2px 8px; }");   // one small line, not a panel
    hint_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

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
    events_ = richLabel("activeEvents");
    job_ = richLabel("job");
    for (QLabel* l : {path_, electrical_, details_, events_, job_})
        connect(l, &QLabel::linkActivated, this, &InspectorPanel::follow);
    trend_ = new AssetTrend(session_);

    values_ = new QTableWidget(0, ValueColumns);
    values_->setObjectName("values");
    values_->setHorizontalHeaderLabels({"Quantity", "Value", "Unit", "Sample (UTC)"});
    values_->verticalHeader()->hide();
    values_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    values_->setSelectionMode(QAbstractItemView::NoSelection);
    values_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    values_->horizontalHeader()->setStretchLastSection(true);

    // A short dock scrolls rather than squashing the parts over each other.
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->addWidget(title_);
    layout->addWidget(identity_);
    layout->addWidget(path_);
    layout->addWidget(electrical_);
    layout->addWidget(details_);
    layout->addWidget(trend_);
    layout->addWidget(job_);
    layout->addWidget(events_);
    layout->addWidget(values_, 1);
    values_->setMinimumHeight(150);   // a few rows at least
    scroll_ = new QScrollArea;
    scroll_->setObjectName("inspectorScroll");
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 4, 0, 0);
    outer->addWidget(hint_);
    outer->addWidget(scroll_, 1);
    outer->addStretch(0);   // nothing selected: the hint stays at the top

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
    scroll_->setVisible(!empty);
    if (empty) {
        title_->clear();
        values_->setRowCount(0);
        trend_->setSubject({});
        active_.clear();
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
    const twin::StoreReader& r = session_.reader();
    trend_->setSubject(s.gpu >= 0 ? twin::query::mainQuantityOfGpu(r, s.gpu)
                       : s.asset != kNoAsset ? twin::query::mainQuantityOf(r, s.asset)
                                             : twin::query::mainQuantityOfJob(r, s.job));
    showValues();
}

void InspectorPanel::showValues() {
    if (!session_.isOpen() || session_.selection().empty()) {
        values_->setRowCount(0);
        return;
    }
    showEvents();
    showJob();
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

QString InspectorPanel::eventsText() const { return events_->text(); }
QString InspectorPanel::jobText() const { return job_->isHidden() ? QString() : job_->text(); }

void InspectorPanel::showEvents() {
    const twin::Selection s = session_.selection();
    const twin::Campus& campus = session_.campus();
    // Its own events, and (assets) those of what it holds: ids are paths ("hall2/row05/rack03/gpu07").
    std::string id;
    if (s.gpu >= 0) id = campus.gpuId(s.gpu);
    else if (s.asset != kNoAsset) id = campus.assets[s.asset].id;
    else
        for (const twin::Job& j : session_.reader().jobs())
            if (j.id == s.job) id = j.name;
    active_.clear();
    if (!id.empty())
        for (twin::Event& e : twin::query::activeEventsAt(session_.reader(), session_.clock().time(), twin::Severity::Warning))
            if (e.asset == id || (s.job == 0 && e.asset.size() > id.size() && e.asset.starts_with(id) && e.asset[id.size()] == '/'))
                active_.push_back(std::move(e));
    QString text;
    if (active_.empty()) text = "<span style='color:#80868b'>No active warnings or alarms</span>";
    else {
        QStringList rows;
        for (std::size_t i = 0; i < active_.size() && i < static_cast<std::size_t>(kEventsListed); ++i) {
            const twin::Event& e = active_[i];
            const QColor colour = e.severity >= twin::Severity::Alarm ? hmi::kAlarm : hmi::kWarning;
            const QString who = e.asset == id ? QString() : " (" + resolveAsset(session_, e.asset).name.toHtmlEscaped() + ")";
            rows << QString("<span style='color:%1'>&#9632; %2</span> <a href=\"event:%3\">%4 %5</a>%6")
                        .arg(colour.name(), QString::fromStdString(std::string(twin::severityName(e.severity))))
                        .arg(e.id)
                        .arg(formatUtcClock(e.start), q(e.text), who);
        }
        if (active_.size() > static_cast<std::size_t>(kEventsListed))
            rows << QString("and %1 more").arg(active_.size() - static_cast<std::size_t>(kEventsListed));
        text = QString("<b>Active events (%1)</b><br>").arg(active_.size()) + rows.join("<br>");
    }
    if (events_->text() != text) events_->setText(text);
}

void InspectorPanel::showJob() {
    const twin::Selection s = session_.selection();
    const twin::Campus& campus = session_.campus();
    const AssetIndex rack = s.gpu >= 0 ? campus.rackOfGpu(s.gpu)
                            : s.asset != kNoAsset && campus.assets[s.asset].kind == twin::AssetKind::Rack ? s.asset
                                                                                                        : kNoAsset;
    job_->setVisible(rack != kNoAsset);
    if (rack == kNoAsset) return;
    namespace series = twin::sim::series;
    const twin::SeriesState* state = session_.series(series::Job::name);
    const std::string& rackId = campus.assets[rack].id;
    const auto& jobs = session_.reader().jobs();
    QStringList parts;
    for (std::size_t k = 0; k < jobs.size(); ++k) {
        if (std::find(jobs[k].racks.begin(), jobs[k].racks.end(), rackId) == jobs[k].racks.end()) continue;
        QString word;
        if (state && state->valid && k < state->values.at(series::Job::State).size())
            word = jobStateWord(static_cast<int>(std::lround(state->values[series::Job::State][k]))).value_or(QString());
        parts << QString("<a href=\"job:%1\">%2</a>").arg(jobs[k].id).arg(q(jobs[k].name)) + (word.isEmpty() ? QString() : " — " + word);
    }
    const QString text = "<b>Job</b>: " + (parts.isEmpty() ? QString("none") : parts.join(", "));
    if (job_->text() != text) job_->setText(text);
}

void InspectorPanel::follow(const QString& target) {
    if (target.startsWith("event:")) {
        const std::int64_t id = target.mid(6).toLongLong();
        for (const twin::Event& e : active_)
            if (e.id == id) session_.clock().seek(e.start);
        return;
    }
    if (target.startsWith("job:")) {
        twin::Selection s;
        s.job = target.mid(4).toInt();
        session_.select(s);
        return;
    }
    if (!target.startsWith("asset:")) return;
    bool ok = false;
    const int a = target.mid(6).toInt(&ok);
    if (ok && a >= 0 && a < static_cast<int>(session_.campus().assets.size())) session_.select({a});
}

} // namespace views
