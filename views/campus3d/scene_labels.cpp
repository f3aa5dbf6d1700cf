#include "campus3d/scene_labels.h"

#include "twin/utc_time.h"

#include "common/gpu_status.h"
#include "common/hmi_colours.h"
#include "common/series_lookup.h"

#include "twin/query/series_query.h"
#include "twin/sim/series.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <map>

namespace views {

using namespace twin;
namespace series = twin::sim::series;

namespace {

constexpr const char* kFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

osgText::Font* labelFont() {
    static osg::ref_ptr<osgText::Font> font = [] {
        osg::ref_ptr<osgText::Font> f = osgText::readRefFontFile(kFontFile);
        return f ? f : osg::ref_ptr<osgText::Font>(osgText::Font::getDefaultFont());
    }();
    return font.get();
}

QString count(std::int64_t n) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(n)); }
QString megawatts(double mw) { return QLocale(QLocale::English).toString(mw, 'f', std::abs(mw) < 10 ? 1 : 0); }

// The site's own part of a name ("Colossus 1 · Main building" -> "Main building").
QString lastPart(const std::string& name) {
    const QString n = QString::fromStdString(name);
    const int dot = n.lastIndexOf(QString::fromUtf8(" · "));
    return dot < 0 ? n : n.mid(dot + 3);
}

} // namespace

SceneLabels::SceneLabels(const Campus& campus) : c_(campus), geode_(new osg::Geode) {
    // Sites sit above the middle of their buildings and plant, higher than anything there.
    std::map<AssetIndex, osg::BoundingBox> extent;
    for (const Asset& a : c_.assets)
        if (a.kind != AssetKind::Site && a.kind != AssetKind::Row && a.kind != AssetKind::Rack && a.site != kNoAsset) {
            extent[a.site].expandBy(osg::Vec3(a.box.cx, a.box.cy, 0));
            extent[a.site].expandBy(osg::Vec3(a.box.cx, a.box.cy, a.box.sz));
        }
    for (std::size_t i = 0; i < c_.assets.size(); ++i) {
        const Asset& a = c_.assets[i];
        Label l;
        l.asset = static_cast<AssetIndex>(i);
        osg::Vec4 colour(1, 1, 1, 1);
        QString text;
        switch (a.kind) {
        case AssetKind::Site: {
            const auto it = extent.find(l.asset);
            if (it == extent.end()) continue;
            l.priority = 3, l.pixelSize = 16;
            l.anchor = osg::Vec3(it->second.center().x(), it->second.center().y(), it->second.zMax() + 25);
            text = QString::fromStdString(a.name);
            break;
        }
        case AssetKind::Building:
            l.priority = 2, l.pixelSize = 14;
            text = QString::fromStdString(a.name);
            break;
        case AssetKind::Hall:
            // Halls sit side by side: their own part of the name ("Hall 3") keeps labels apart.
            l.priority = 1, l.pixelSize = 12, colour = {0.8f, 0.9f, 1, 1};
            text = lastPart(a.name);
            break;
        case AssetKind::Substation:
            l.priority = 1, l.pixelSize = 13, colour = {1, 0.85f, 0.5f, 1};
            text = QString::fromStdString(a.name);
            break;
        default: continue;
        }
        if (a.kind != AssetKind::Site) l.anchor = osg::Vec3(a.box.cx, a.box.cy, a.box.sz + 4);
        l.text = new osgText::Text;
        l.text->setFont(labelFont());
        l.text->setPosition(l.anchor);
        l.text->setCharacterSize(l.pixelSize);
        l.text->setCharacterSizeMode(osgText::Text::SCREEN_COORDS);   // readable at any distance
        l.text->setAxisAlignment(osgText::Text::SCREEN);
        l.text->setAlignment(osgText::Text::CENTER_BOTTOM);
        l.text->setColor(colour);
        l.text->setBackdropType(osgText::Text::DROP_SHADOW_BOTTOM_RIGHT);
        l.text->setBackdropColor(osg::Vec4(0, 0, 0, 0.9f));
        setText(l, text);
        geode_->addDrawable(l.text.get());
        labels_.push_back(std::move(l));
    }
    std::stable_sort(labels_.begin(), labels_.end(), [](const Label& a, const Label& b) { return a.priority > b.priority; });
    auto* ss = geode_->getOrCreateStateSet();
    ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    ss->setRenderBinDetails(100, "RenderBin");
    // Over everything, as screen text: a label moved off its anchor (slid in from the view's edge,
    // put below it) may sit where the ground or a building is nearer than its new world point.
    ss->setMode(GL_DEPTH_TEST, osg::StateAttribute::OFF | osg::StateAttribute::OVERRIDE);
}

void SceneLabels::setText(Label& l, const QString& text) {
    l.text->setText(text.toStdString(), osgText::String::ENCODING_UTF8);
    // Measured with the font osgText draws with, at its pixel size.
    QFont f("DejaVu Sans");
    f.setBold(true);
    f.setPixelSize(static_cast<int>(l.pixelSize));
    const QFontMetricsF fm(f);
    const QStringList lines = text.split('\n');
    double w = 0;
    for (const QString& line : lines) w = std::max(w, fm.horizontalAdvance(line));
    l.size = QSizeF(w + 6, lines.size() * l.pixelSize * 1.15 + 4);
}

void SceneLabels::update(const Session& session) {
    if (!session.isOpen()) return;
    const SeriesState* rack = seriesAtClock<series::Rack>(session);
    const SeriesState* gpu = seriesAtClock<series::Gpu>(session);
    const SeriesState* source = seriesAtClock<series::Source>(session);
    const SeriesState* bus = seriesAtClock<series::Bus>(session);
    struct Figures {
        double itKw = 0, genMw = 0, hz = std::nan("");
        std::int64_t gpusWorking = 0, tripped = 0;
        bool compute = false, plant = false;
    };
    std::map<AssetIndex, Figures> site;
    const auto& racks = c_.racks();
    // Series whose frames do not hold what the campus says (another writer's store) are left out.
    const auto holds = [](const SeriesState* s, std::size_t quantity, std::size_t n) {
        return s && s->valid && s->values.size() > quantity && s->values[quantity].size() >= n;
    };
    if (!holds(rack, series::Rack::Power, racks.size())) rack = nullptr;
    if (!holds(gpu, series::Gpu::Utilisation, static_cast<std::size_t>(c_.gpuCount()))) gpu = nullptr;
    const TimeMs now = session.clock().time();   // what is not built yet counts in no figure
    for (std::size_t r = 0; r < racks.size(); ++r) {
        const Asset& a = c_.assets[racks[r]];
        if (!a.commissionedAt(now)) continue;
        Figures& f = site[a.site];
        f.compute = true;
        if (rack && rack->valid) f.itKw += rack->values[series::Rack::Power][r];
        if (gpu && gpu->valid)
            for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g)
                f.gpusWorking += gpuInUse(gpu->values[series::Gpu::Utilisation][static_cast<std::size_t>(g)]);
    }
    if (source && source->valid) {
        const SeriesInfo* info = query::seriesOf<series::Source>(session.reader());
        if (info && !holds(source, series::Source::State, info->assets.size())) info = nullptr;
        for (std::size_t p = 0; info && p < info->assets.size(); ++p) {
            if (!c_.assets[info->assets[p]].commissionedAt(now)) continue;
            Figures& f = site[c_.assets[info->assets[p]].site];
            f.plant = true;
            f.genMw += source->values[series::Source::Power][p];
            f.tripped += hmi::isAlarmState(static_cast<int>(std::lround(source->values[series::Source::State][p])));
        }
    }
    if (bus && bus->valid) {
        const SeriesInfo* info = query::seriesOf<series::Bus>(session.reader());
        if (info && !holds(bus, series::Bus::Frequency, info->assets.size())) info = nullptr;
        for (std::size_t p = 0; info && p < info->assets.size(); ++p) {
            Figures& f = site[c_.assets[info->assets[p]].site];
            if (std::isnan(f.hz)) f.hz = bus->values[series::Bus::Frequency][p];
        }
    }
    // A building not built yet says from when (the build-out; it is drawn as an outline).
    for (Label& l : labels_) {
        if (l.priority != 2) continue;
        const Asset& a = c_.assets[l.asset];
        QString text = QString::fromStdString(a.name);
        if (!a.commissionedAt(now)) text += " (from " + QString::fromStdString(formatUtcDate(a.commissionedMs)) + ")";
        if (text != QString::fromStdString(l.text->getText().createUTF8EncodedString())) setText(l, text);
    }
    for (Label& l : labels_) {
        if (l.priority != 3) continue;
        const Figures& f = site[l.asset];
        QStringList lines{QString::fromStdString(c_.assets[l.asset].name)};
        if (f.compute && rack && rack->valid)
            lines << "IT " + megawatts(f.itKw / 1000) + " MW" + (gpu && gpu->valid ? QString::fromUtf8(" · ") + count(f.gpusWorking) + " GPUs working" : QString());
        if (f.plant) {
            QString line = "Gen " + megawatts(f.genMw) + " MW";
            if (!std::isnan(f.hz)) line += QString::fromUtf8(" · ") + QLocale::c().toString(f.hz, 'f', 2) + " Hz";
            if (f.tripped) line += QString::fromUtf8(" · ") + count(f.tripped) + (f.tripped == 1 ? " unit" : " units") + " tripped";
            lines << line;
        }
        const QString text = lines.join('\n');
        if (text != QString::fromStdString(l.text->getText().createUTF8EncodedString())) setText(l, text);
        // A site with a tripped unit: its label in the alarm colour.
        const QColor c = f.tripped ? hmi::kAlarm.lighter(130) : QColor(Qt::white);
        l.text->setColor(osg::Vec4(c.redF(), c.greenF(), c.blueF(), 1));
    }
}

void SceneLabels::declutter(const std::function<QPointF(const osg::Vec3&)>& project, const QSizeF& viewport) {
    const QRectF view(QPointF(0, 0), viewport);
    std::vector<QRectF> placed;
    for (Label& l : labels_) {
        const QPointF p = project(l.anchor);
        QRectF r(p.x() - l.size.width() / 2, p.y() - l.size.height(), l.size.width(), l.size.height());
        bool show = std::isfinite(p.x()) && std::isfinite(p.y()) && view.contains(p);
        // A label whose anchor is in view but whose text would run off its edge is slid in (an
        // asset near the view's side keeps its name), or put below its anchor at the top.
        if (show) {
            if (r.left() < view.left()) r.moveLeft(view.left());
            if (r.right() > view.right()) r.moveRight(view.right());
            if (r.top() < view.top()) r.moveTop(p.y() + 2);
        }
        // Lift a label that would cover one already placed above it, a few times at most.
        for (int tries = 0; show && tries < 3; ++tries) {
            const auto hit = std::find_if(placed.begin(), placed.end(), [&](const QRectF& o) { return o.intersects(r); });
            if (hit == placed.end()) break;
            if (tries == 2 || l.priority < 3) show = false;   // only sites are worth moving
            else r.moveBottom(hit->top() - 2);
        }
        show = show && view.contains(r.topLeft()) && view.contains(r.bottomRight());
        l.shown = show;
        l.text->setNodeMask(show ? ~0u : 0u);
        if (!show) continue;
        // Where it was moved to (lifted, slid in): its anchor moved so that it projects there.
        osg::Vec3 at = l.anchor;
        const QPointF want(r.center().x(), r.bottom());
        if (std::abs(want.x() - p.x()) > 0.5 || std::abs(want.y() - p.y()) > 0.5) {
            // Where the label's bottom centre must project. Raised in perspective a point also
            // drifts sideways, so solve for a move up (world z) and across (world x or y, whichever
            // moves on screen more sideways), a few times to take in the projection's curvature.
            for (int pass = 0; pass < 3; ++pass) {
                const QPointF q = project(at);
                const QPointF ex = project(at + osg::Vec3(1, 0, 0)) - q, ey = project(at + osg::Vec3(0, 1, 0)) - q;
                const QPointF ez = project(at + osg::Vec3(0, 0, 1)) - q;
                const bool useX = std::abs(ex.x()) >= std::abs(ey.x());
                const QPointF eh = useX ? ex : ey;
                const double det = eh.x() * ez.y() - ez.x() * eh.y();
                if (!std::isfinite(det) || std::abs(det) < 1e-12) break;
                const double dx = want.x() - q.x(), dy = want.y() - q.y();
                const double u = (dx * ez.y() - ez.x() * dy) / det, w = (eh.x() * dy - eh.y() * dx) / det;
                if (!std::isfinite(u) || !std::isfinite(w)) break;
                at += useX ? osg::Vec3(static_cast<float>(u), 0, static_cast<float>(w))
                           : osg::Vec3(0, static_cast<float>(u), static_cast<float>(w));
            }
        }
        l.text->setPosition(at);
        l.drawnAt = project(at);
        l.rect = r;
        placed.push_back(r);
    }
}

std::vector<SceneLabels::Placed> SceneLabels::visible() const {
    std::vector<Placed> out;
    for (const Label& l : labels_)
        if (l.shown) out.push_back({l.asset, QString::fromStdString(l.text->getText().createUTF8EncodedString()), l.rect, l.drawnAt});
    return out;
}

QString SceneLabels::siteText(AssetIndex site) const {
    for (const Label& l : labels_)
        if (l.asset == site) return QString::fromStdString(l.text->getText().createUTF8EncodedString());
    return {};
}

} // namespace views
