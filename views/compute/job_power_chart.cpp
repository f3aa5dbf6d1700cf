#include "compute/job_power_chart.h"

#include "common/series_lookup.h"
#include "common/time_format.h"

#include <QPainter>

#include <algorithm>
#include <map>

using namespace twin;
using twin::sim::series::Island;
using JobSeries = twin::sim::series::Job;

namespace views {

namespace {
constexpr double kLeft = 46, kRight = 52, kTop = 18, kBottom = 18;
const QColor kJobColour(110, 190, 255), kCampusColour(255, 170, 70);
} // namespace

JobPowerChart::JobPowerChart(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
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

QRectF JobPowerChart::plotRect() const {
    return QRectF(kLeft, kTop, std::max(1.0, width() - kLeft - kRight), std::max(1.0, height() - kTop - kBottom));
}

void JobPowerChart::resizeEvent(QResizeEvent*) { reload(); }

void JobPowerChart::reload() {
    job_.clear();
    campus_.clear();
    if (!session_.isOpen()) return;
    span_ = session_.reader().span();
    const int n = std::max(1, static_cast<int>(plotRect().width()));
    StoreReader& r = session_.reader();
    if (span_.empty) {
        update();
        return;
    }
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
    update();
}

void JobPowerChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(27, 30, 35));
    const QRectF plot = plotRect();
    p.setPen(QColor(70, 75, 82));
    p.drawRect(plot);
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    if (span_.empty || (job_.empty() && campus_.empty())) {
        p.setPen(QColor(150, 150, 150));
        p.drawText(plot, Qt::AlignCenter, position_ < 0 ? "Select a job" : "No job data");
        return;
    }
    const double span = static_cast<double>(std::max<TimeMs>(span_.last - span_.first, 1));
    auto x = [&](TimeMs t) { return plot.left() + plot.width() * static_cast<double>(t - span_.first) / span; };
    auto scaleOf = [](const std::vector<Point>& c) {
        double top = 0;
        for (const Point& pt : c) top = std::max(top, pt.mw);
        return top > 0 ? top * 1.1 : 1.0;
    };
    const double jobTop = scaleOf(job_), campusTop = scaleOf(campus_);
    auto curve = [&](const std::vector<Point>& c, double top, const QColor& colour) {
        QPolygonF line;
        for (const Point& pt : c) line << QPointF(x(pt.t), plot.bottom() - plot.height() * std::clamp(pt.mw / top, 0.0, 1.0));
        p.setPen(QPen(colour, 1.5));
        p.drawPolyline(line);
    };
    p.setRenderHint(QPainter::Antialiasing);
    curve(campus_, campusTop, kCampusColour);
    curve(job_, jobTop, kJobColour);

    // Scales: job MW left, campus MW right; the recording's ends below.
    p.setPen(kJobColour);
    p.drawText(QRectF(0, plot.top() - 7, kLeft - 4, 14), Qt::AlignRight | Qt::AlignVCenter, QString::number(jobTop, 'f', 1));
    p.drawText(QRectF(0, plot.bottom() - 7, kLeft - 4, 14), Qt::AlignRight | Qt::AlignVCenter, "0");
    p.drawText(QRectF(plot.left(), 2, 200, 14), Qt::AlignLeft | Qt::AlignVCenter, "Job power, MW");
    p.setPen(kCampusColour);
    p.drawText(QRectF(plot.right() + 4, plot.top() - 7, kRight - 4, 14), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(campusTop, 'f', 0));
    p.drawText(QRectF(plot.right() + 4, plot.bottom() - 7, kRight - 4, 14), Qt::AlignLeft | Qt::AlignVCenter, "0");
    p.drawText(QRectF(plot.right() - 200, 2, 200, 14), Qt::AlignRight | Qt::AlignVCenter, "Campus load, MW");
    p.setPen(QColor(170, 175, 182));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, 120, 14), Qt::AlignLeft, formatUtcClock(span_.first));
    p.drawText(QRectF(plot.right() - 120, plot.bottom() + 2, 120, 14), Qt::AlignRight, formatUtcClock(span_.last));

    const double xc = x(session_.clock().time());
    p.setPen(QPen(QColor(255, 80, 80), 1.5));
    p.drawLine(QPointF(xc, plot.top()), QPointF(xc, plot.bottom()));
}

} // namespace views
