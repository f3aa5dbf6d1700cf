#include "twin/session/session.h"

#include "twin/query/series_query.h"

namespace twin {

Session::Session(QObject* parent) : QObject(parent) {
    qRegisterMetaType<twin::Selection>();
    qRegisterMetaType<twin::TimeSpan>();
    qRegisterMetaType<twin::TimeMs>("twin::TimeMs");
    connect(&clock_, &Clock::timeChanged, this, &Session::recompute);
    tail_.setInterval(50);   // live data shows within 50 ms of its commit, plus a frame
    connect(&tail_, &QTimer::timeout, this, &Session::refresh);
}

Session::~Session() = default;

void Session::open(const std::string& path) {
    auto reader = StoreReader::open(path);   // throws: the old store stays open
    reader_ = std::move(reader);
    damageSeen_ = 0;
    selection_ = {};
    const TimeSpan span = reader_->span();
    clock_.pause();
    clock_.setSpan(span);
    clock_.seek(span.empty ? 0 : span.first);
    recompute();
    tail_.start();
    emit opened();
    emit selectionChanged(selection_);
}

const std::string& Session::path() const { return reader_ ? reader_->path() : emptyPath_; }

void Session::noticeDamage() {
    if (!reader_ || reader_->damage().size() == damageSeen_) return;
    damageSeen_ = reader_->damage().size();
    emit damageFound();
}

void Session::refresh() {
    if (!reader_) return;
    noticeDamage();
    if (!reader_->refresh()) return;
    clock_.setSpan(reader_->span());
    emit dataGrew();
    recompute();
}

void Session::recompute() {
    if (!reader_) return;
    reader_->stateAt(clock_.time(), state_);
    emit stateChanged();
    noticeDamage();
}

void Session::select(const Selection& s) {
    if (s == selection_) return;
    selection_ = s;
    emit selectionChanged(selection_);
}

const SeriesState* Session::series(const std::string& name) const {
    if (!reader_) return nullptr;
    const int id = reader_->findSeries(name);
    for (const auto& s : state_.series)
        if (s.series == id && id != 0) return &s;
    return nullptr;
}

std::int64_t Session::positionIn(const std::string& name, AssetIndex asset) const {
    if (!reader_) return -1;
    const SeriesInfo* s = query::seriesNamed(*reader_, name);
    return s ? query::positionIn(campus(), *s, asset) : -1;
}

std::vector<AssetValue> Session::valuesOf(const Selection& sel) const {
    std::vector<AssetValue> out;
    if (!reader_) return out;
    for (const SeriesState& st : state_.series) {
        const SeriesInfo* found = query::findSeriesInfo(*reader_, st.series);
        if (!found || !st.valid) continue;
        const SeriesInfo& info = *found;
        std::int64_t pos = -1;
        if (info.spec.assetSet == AssetSet::Gpus) {
            pos = sel.gpu;
        } else if (info.spec.assetSet == AssetSet::Jobs) {
            for (std::size_t j = 0; j < reader_->jobs().size(); ++j)
                if (reader_->jobs()[j].id == sel.job) pos = static_cast<std::int64_t>(j);
        } else if (sel.gpu < 0) {
            pos = positionIn(info.spec.name, sel.asset);
        }
        if (pos < 0 || pos >= info.assetCount) continue;
        for (std::size_t q = 0; q < info.spec.quantities.size(); ++q)
            out.push_back({info.spec.name, info.spec.quantities[q].name, info.spec.quantities[q].unit,
                           st.values[q][static_cast<std::size_t>(pos)], st.t});
    }
    return out;
}

} // namespace twin
