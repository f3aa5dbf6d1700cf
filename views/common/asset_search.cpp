#include "common/asset_search.h"

#include <QCompleter>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScreen>
#include <QStandardItemModel>
#include <QTreeView>

#include <algorithm>

using namespace twin;

namespace views {

namespace {

constexpr int kShown = 20;
constexpr int kResultRole = Qt::UserRole + 1;   // index into shown_
constexpr int kIdRole = Qt::UserRole + 2;       // what the line edit shows once chosen

std::string lowerCase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// 0: the id or the name is the text; 1: one starts with it; 2: either contains it; 3: no match.
int rank(const std::string& id, const std::string& name, const std::string& text) {
    if (id == text || name == text) return 0;
    if (id.starts_with(text) || name.starts_with(text)) return 1;
    if (id.find(text) != std::string::npos || name.find(text) != std::string::npos) return 2;
    return 3;
}

} // namespace

AssetSearch::AssetSearch(Session& session, QWidget* parent) : QLineEdit(parent), session_(session) {
    setObjectName("assetSearch");
    setPlaceholderText("Find an asset, GPU or job");
    setClearButtonEnabled(true);
    model_ = new QStandardItemModel(this);
    completer_ = new QCompleter(model_, this);
    completer_->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    completer_->setCompletionRole(kIdRole);
    completer_->setCompletionColumn(NameColumn);
    completer_->setMaxVisibleItems(12);
    // Columns, not one line elided to "Rack 03 — colossus1/hall…": a header and a column each.
    popup_ = new QTreeView;
    popup_->setObjectName("searchResults");
    popup_->setRootIsDecorated(false);
    popup_->setUniformRowHeights(true);
    popup_->setSelectionBehavior(QAbstractItemView::SelectRows);
    popup_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    popup_->header()->setStretchLastSection(false);
    popup_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    completer_->setPopup(popup_);
    setCompleter(completer_);
    connect(this, &QLineEdit::textEdited, this, &AssetSearch::showResults);
    connect(completer_, qOverload<const QModelIndex&>(&QCompleter::activated), this, [this](const QModelIndex& i) {
        const int k = i.sibling(i.row(), NameColumn).data(kResultRole).toInt();
        if (k >= 0 && k < static_cast<int>(shown_.size())) choose(shown_[static_cast<std::size_t>(k)]);
    });
    connect(this, &QLineEdit::returnPressed, this, [this] {
        const auto results = find(text(), 1);
        if (!results.empty()) choose(results.front());
    });
    connect(&session_, &Session::opened, this, &AssetSearch::reindex);
    if (session_.isOpen()) reindex();
}

void AssetSearch::reindex() {
    assetIds_.clear();
    assetNames_.clear();
    jobKeys_.clear();
    for (const Asset& a : session_.campus().assets) {
        assetIds_.push_back(lowerCase(a.id));
        assetNames_.push_back(lowerCase(a.name));
    }
    for (const Job& j : session_.reader().jobs()) jobKeys_.push_back(lowerCase(j.name));
}

std::vector<AssetSearch::Result> AssetSearch::find(const QString& query, int limit) const {
    std::vector<Result> out;
    const std::string text = lowerCase(query.trimmed().toStdString());
    if (text.empty() || limit <= 0 || !session_.isOpen()) return out;
    const Campus& campus = session_.campus();
    const auto idOf = [](const std::string& s) { return QString::fromStdString(s); };

    // GPUs: "<rack id>/gpu07" in full, or the GPUs of a rack from "<rack id>/gpu" on.
    if (const auto slash = text.rfind("/gpu"); slash != std::string::npos) {
        const AssetIndex rack = campus.find(text.substr(0, slash));
        if (rack != kNoAsset && campus.assets[static_cast<std::size_t>(rack)].kind == AssetKind::Rack) {
            const Asset& r = campus.assets[static_cast<std::size_t>(rack)];
            std::vector<std::int64_t> gpus;
            if (const auto exact = campus.findGpu(text)) gpus.push_back(*exact);
            for (std::int64_t g = r.gpuFirst; g < r.gpuFirst + r.gpuCount; ++g)
                if (campus.gpuId(g).starts_with(text) && (gpus.empty() || gpus.front() != g)) gpus.push_back(g);
            for (std::int64_t g : gpus) {
                if (static_cast<int>(out.size()) >= limit) break;
                Selection s;
                s.gpu = g;
                const QString id = idOf(campus.gpuId(g));
                out.push_back({id, idOf(r.name) + QString::fromUtf8(" · GPU ") + id.section("gpu", -1), "gpu", s, idOf(r.id),
                               locationOf(rack)});
            }
            return out;
        }
    }

    // Assets and jobs, ranked; ties keep the campus's order (parents before children).
    struct Hit {
        int rank;
        bool job;
        std::size_t index;
    };
    std::vector<Hit> hits;
    for (std::size_t i = 0; i < assetIds_.size(); ++i)
        if (const int r = rank(assetIds_[i], assetNames_[i], text); r < 3) hits.push_back({r, false, i});
    for (std::size_t i = 0; i < jobKeys_.size(); ++i)
        if (const int r = rank(jobKeys_[i], jobKeys_[i], text); r < 3) hits.push_back({r, true, i});
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.rank < b.rank; });
    if (hits.size() > static_cast<std::size_t>(limit)) hits.resize(static_cast<std::size_t>(limit));

    for (const Hit& h : hits) {
        if (h.job) {
            const Job& j = session_.reader().jobs()[h.index];
            const QString name = idOf(j.name);
            out.push_back({name, name + QString(" (%1 GPUs)").arg(j.gpus), "job", Selection{kNoAsset, -1, j.id},
                           j.racks.empty() ? QString() : idOf(j.racks.front()),
                           j.racks.empty() ? QString() : locationOf(campus.find(j.racks.front()))});
        } else {
            const Asset& a = campus.assets[h.index];
            out.push_back({idOf(a.id), idOf(a.name), QString::fromUtf8(assetKindName(a.kind).data(),
                                                                        static_cast<int>(assetKindName(a.kind).size())),
                           Selection{static_cast<AssetIndex>(h.index)}, idOf(a.id), locationOf(static_cast<AssetIndex>(h.index))});
        }
    }
    return out;
}

// The site, building and hall above an asset (itself excluded), by name; a name that repeats the
// level above ("Colossus 1 · Hall 1" under "Colossus 1") without it: "Colossus 1 / Main building / Hall 1".
QString AssetSearch::locationOf(AssetIndex a) const {
    const Campus& campus = session_.campus();
    if (a == kNoAsset) return {};
    std::vector<const Asset*> levels;
    for (AssetIndex up = campus.assets[static_cast<std::size_t>(a)].parent; up != kNoAsset;
         up = campus.assets[static_cast<std::size_t>(up)].parent) {
        const Asset& u = campus.assets[static_cast<std::size_t>(up)];
        if (u.kind == AssetKind::Site || u.kind == AssetKind::Building || u.kind == AssetKind::Hall) levels.insert(levels.begin(), &u);
    }
    QStringList names;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        std::string name = levels[i]->name;
        if (i > 0) {
            const std::string prefix = levels[i - 1]->name + " · ";   // the name above, as written in it
            const std::string site = campus.assets[static_cast<std::size_t>(levels[0]->site)].name + " · ";
            if (name.starts_with(prefix) && name.size() > prefix.size()) name = name.substr(prefix.size());
            else if (name.starts_with(site) && name.size() > site.size()) name = name.substr(site.size());
        }
        names << QString::fromStdString(name);
    }
    return names.join(" / ");
}

QString AssetSearch::shownText(int row, Column column) const {
    const QStandardItem* item = model_->item(row, column);
    return item ? item->text() : QString();
}

void AssetSearch::showResults(const QString& text) {
    shown_ = find(text, kShown);
    model_->clear();
    model_->setHorizontalHeaderLabels({"Name", "Id", "Kind", "Location"});
    for (std::size_t k = 0; k < shown_.size(); ++k) {
        const Result& r = shown_[k];
        auto* name = new QStandardItem(r.name);
        name->setData(static_cast<int>(k), kResultRole);
        name->setData(r.id, kIdRole);
        QString kind = r.kind;
        model_->appendRow({name, new QStandardItem(r.id), new QStandardItem(kind.replace('_', ' ')),
                           new QStandardItem(r.location.isEmpty() ? QString::fromUtf8("—") : r.location)});
    }
    if (shown_.empty()) return;
    // As wide as the columns need (within the screen), under the field.
    popup_->header()->resizeSections(QHeaderView::ResizeToContents);
    int wanted = 2 * popup_->frameWidth() + 24;   // the frame and a vertical scroll bar
    for (int c = 0; c < Columns; ++c) wanted += popup_->header()->sectionSize(c);
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const int room = screen ? screen->availableGeometry().width() - 16 : 1200;
    // The line edit's own completion asks again without a width: the minimum holds for both.
    const int w = std::clamp(wanted, width(), std::max(width(), room));
    popup_->setMinimumWidth(w);
    completer_->complete(QRect(0, 0, w, height()));
}

void AssetSearch::choose(const Result& r) {
    session_.select(r.selection);
    emit chosen(r);
    if (!r.flyTo.isEmpty()) emit flyToRequested(r.flyTo);
}

} // namespace views
