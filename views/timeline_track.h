// The timeline's track: the store's span, tick labels (UTC), event markers coloured by
// severity, and the cursor at the clock's time. Press or drag to seek; press on a marker to
// jump to its event and select its asset.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <vector>

class QPainter;

class TimelineTrack : public QWidget {
    Q_OBJECT
public:
    explicit TimelineTrack(twin::Session& session, QWidget* parent = nullptr);

    // Pixel <-> time over the span (clamped to it); for painting, picking and tests.
    twin::TimeMs timeAt(int x) const;
    int xAt(twin::TimeMs t) const;
    // The events drawn: every event of the store overlapping its span.
    const std::vector<twin::Event>& markers() const { return markers_; }
    // The marker a press at x would pick (within kPickPx), or nullptr.
    const twin::Event* markerAt(int x) const;

    static constexpr int kPickPx = 4;

    QSize sizeHint() const override { return {800, 64}; }
    QSize minimumSizeHint() const override { return {200, 56}; }

public slots:
    void reloadMarkers();

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    bool event(QEvent* e) override;

private:
    double xAtExact(twin::TimeMs t) const;
    int left() const;
    int usableWidth() const;
    void paintTicks(QPainter& p, const QRect& band);
    void paintMarkers(QPainter& p, const QRect& band);
    void paintCursor(QPainter& p);
    QString tooltipFor(const twin::Event& e) const;

    twin::Session& session_;
    std::vector<twin::Event> markers_;
    bool dragging_ = false;
};
