// A strip chart for the operations-room wall: the same store channels as the strip charts
// (StripChart::Fetch, views/electrical/channel_sum.h) drawn with QPainter in large type on a dark
// background, over a window that ends at the clock's time (the last 15 minutes by default) and
// slides with it. Each series is a min/max band with its mean line, or a stacked area
// (generation by source: positive values stack up from zero, a charging battery down); a legend
// gives every series' value at the clock's time; reference lines (60 Hz nominal, the ±0.5 Hz
// limits) are dashed, under the data, and named in the legend or on the line.
// No interaction: a wall is watched, not driven.
#pragma once

#include "twin/session/session.h"

#include <QColor>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <vector>

namespace views {

class WallChart : public QWidget {
    Q_OBJECT
public:
    // Buckets of one channel over [t0, t1], at most n (the same type as StripChart::Fetch).
    using Fetch = std::function<std::vector<twin::Bucket>(twin::TimeMs t0, twin::TimeMs t1, int n)>;
    enum class Kind { Band, Stacked, Line };

    WallChart(twin::Session& session, const QString& unit, QWidget* parent = nullptr);

    void addSeries(const QString& name, const QColor& colour, Fetch fetch, Kind kind = Kind::Band);
    void clearSeries();
    // A dashed horizontal line. `always` (e.g. 60 Hz nominal): the vertical range always
    // includes it and the legend names it; else (a limit, e.g. ±0.5 Hz) it is drawn, labelled on
    // the line, only when the range set by the data reaches it, so a small excursion is not
    // squashed flat to show a limit far away.
    void addReference(double value, const QString& label, bool always = true);
    // Whether reference r was inside the range last drawn.
    bool referenceDrawn(int r) const;
    // The vertical range spans at least this much (a steady 60 Hz does not fill the chart with noise).
    void setMinimumSpan(double span) { minSpan_ = span; update(); }
    void setDecimals(int d) { decimals_ = d; update(); }
    // The time shown: [clock - window, clock], from the recording's start while it is shorter.
    void setWindowMs(twin::TimeMs ms);
    // The data has stopped coming (the wall's STALE): the series are drawn greyed (lilac, as stale
    // data everywhere) and the plot says so, so that old values are not read as current.
    void setStale(bool stale);
    bool stale() const { return stale_; }
    // A series' colour as drawn now.
    QColor drawnColour(int i) const;
    twin::TimeMs windowMs() const { return windowMs_; }

    // For tests and the wall.
    int seriesCount() const { return static_cast<int>(series_.size()); }
    QString seriesName(int i) const { return series_.at(static_cast<std::size_t>(i)).name; }
    const std::vector<twin::Bucket>& data(int i) const { return series_.at(static_cast<std::size_t>(i)).buckets; }
    // The value at the end of the range (the clock's time): the last bucket's last sample; NaN if none.
    double currentValue(int i) const;
    std::pair<twin::TimeMs, twin::TimeMs> range() const { return {t0_, t1_}; }
    QRect plotRect() const;
    static QColor background() { return QColor(14, 17, 22); }

public slots:
    void reload();

protected:
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    struct Series {
        QString name;
        QColor colour;
        Fetch fetch;
        Kind kind;
        std::vector<twin::Bucket> buckets;
    };
    struct LegendItem {
        QColor colour;
        QString name, value;
        bool dashed = false;   // a reference line
    };
    void scheduleReload();
    std::vector<LegendItem> legendItems() const;
    std::vector<QPoint> legendLayout(const std::vector<LegendItem>& items, int* height) const;
    int legendHeight() const;

    twin::Session& session_;
    QString unit_;
    std::vector<Series> series_;
    struct Reference {
        double value;
        QString label;
        bool always;
    };
    std::vector<Reference> references_;
    double drawnLo_ = 0, drawnHi_ = 0;   // the vertical range last drawn
    bool stale_ = false;
    double minSpan_ = 0;
    int decimals_ = 1;
    twin::TimeMs windowMs_ = 15 * 60 * 1000;
    twin::TimeMs t0_ = 0, t1_ = 0;
    QTimer reloadTimer_;
};

} // namespace views
