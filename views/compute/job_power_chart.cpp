#include "compute/job_power_chart.h"

#include "common/series_lookup.h"

#include <QPainter>

#include <algorithm>
#include <map>

using namespace twin;
using twin::sim::series::Island;
using JobSeries = twin::sim::series::Job;

namespace views {

namespace {
const QColor kJobColour(110, 190, 255), kCampusColour(255, 170, 70);
} // namespace

JobPowerChart::JobPowerChart(Session& session, QWidget* parent) : PainterChart(session, {46, 52, 18, 18}, parent) {
    setObjectName("jobPowerChart");
    setMinimumSize(240, 110);
    connect(&session_, &Session::opened, this, [this] { setJob(-1); });
    connect(&session_, &Session::dataGrew, this, &JobPowerChart::reload);
    connect(&session_, &Session::stateChanged, this, qOverload<>(&QWidget::update));   // the cursor
}

void JobPowerChart::setJob(int position) {
    position_ = position;
    reload();
}

void JobPowerChart::fetch() {
    job_.clear();
    campus_.clear();
    if (!session_.isOpen()) return;
    span_ = session_.reader().span();
    setTimeRange(span_.first, span_.last);
    if (span_.empty) return;
    const int n = plotWidth();
    StoreReader& r = session_.reader();
    if (const SeriesInfo* job = seriesInfo<JobSeries>(session_); job && position_ >= 0 && position_ < job->assetCount)
        for (const Bucket& b : r.seriesRange(job->id, quantityIndex<JobSeries>(session_, JobSeries::Power), position_,
                                             span_.first, span_.last, n))
            job_.push_back({(b.first + b.last) / 2, b.sum / b.count});
    // Campus load: the islands' loads added bucket by bucket (buckets are keyed by their index,
    // the same for every island over the same range).
    if (const SeriesInfo* island = seriesInfo<Island>(session_)) {
        const int load = quantityIndex<Island>(session_, Island::Load);
        const TimeMs width = std::max<TimeMs>((span_.last - span_.first + 1 + n - 1) / n, 1);
        std::map<TimeMs, std::pair<double, TimeMs>> sum;   // bucket index -> (MW, mid time)
        for (std::int64_t pos = 0; load >= 0 && pos < island->assetCount; ++pos)
            for (const Bucket& b : r.seriesRange(island->id, load, pos, span_.first, span_.last, n)) {
                auto& s = sum[(b.first - span_.first) / width];
                s.first += b.sum / b.count;
                s.second = (b.first + b.last) / 2;
            }
        for (const auto& [k, s] : sum) campus_.push_back({s.second, s.first});
    }
}

void JobPowerChart::paintPlot(QPainter& p, const QRectF& plot) {
    if (span_.empty || (job_.empty() && campus_.empty())) {
        drawNote(p, plot, position_ < 0 ? "Select a job" : "No job data");
        return;
    }
    auto scaleOf = [](const std::vector<Point>& c) {
        double top = 0;
        for (const Point& pt : c) top = std::max(top, pt.mw);
        return top > 0 ? top * 1.1 : 1.0;
    };
    const double jobTop = scaleOf(job_), campusTop = scaleOf(campus_);
    auto curve = [&](const std::vector<Point>& c, double top, const QColor& colour) {
        QPolygonF line;
        for (const Point& pt : c) line << QPointF(xAt(plot, pt.t), yAt(plot, pt.mw, top));
        drawCurve(p, line, colour);
    };
    p.setRenderHint(QPainter::Antialiasing);
    curve(campus_, campusTop, kCampusColour);
    curve(job_, jobTop, kJobColour);

    // Scales: job MW left, campus MW right; the recording's ends below.
    p.setPen(kJobColour);
    drawLeftValue(p, plot.top(), QString::number(jobTop, 'f', 1));
    drawLeftValue(p, plot.bottom(), "0");
    // The two titles share the width above the plot, each elided in its half (a narrow dock).
    const double half = plot.width() / 2.0 - 4;
    const auto title = [&](const QString& text) { return p.fontMetrics().elidedText(text, Qt::ElideRight, static_cast<int>(half)); };
    p.drawText(QRectF(plot.left(), 2, half, 14), Qt::AlignLeft | Qt::AlignVCenter, title("Job power, MW"));
    p.setPen(kCampusColour);
    drawRightValue(p, plot, plot.top(), QString::number(campusTop, 'f', 0));
    drawRightValue(p, plot, plot.bottom(), "0");
    p.drawText(QRectF(plot.right() - half, 2, half, 14), Qt::AlignRight | Qt::AlignVCenter, title("Campus load, MW"));
    drawTimeEnds(p, plot);
    drawCursor(p, plot);
}

} // namespace views
