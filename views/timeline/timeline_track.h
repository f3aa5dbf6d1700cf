// The timeline's track: the store's span, tick labels (UTC), event markers coloured by
// severity, and the cursor at the clock's time. Press or drag to seek; press on a marker to
// jump to its event and select its asset.
// For incident review it also draws the clock's loop range (a shaded violet band with solid
// edges), a pending stop (playUntil: a dashed green line), and, given a bookmark model,
// bookmarks as ribbons in a lane along the bottom (green: the review's, teal: the recording's
// own), with their name and note as a tooltip; a press on a ribbon seeks to its bookmark.
// Damaged data that reads skipped (StoreReader::damage()) is drawn as dark red hatching over
// its interval on the span line, with what is damaged as a tooltip.
#pragma once

#include "review/bookmark_model.h"

#include "twin/review_file.h"
#include "twin/session/session.h"

#include <QPointer>
#include <QWidget>

#include <vector>

class QPainter;

namespace views {

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

    // Where bookmark markers come from (null: none drawn). The model must outlive the track or
    // be reset here; the track follows its changes.
    void setBookmarks(views::BookmarkModel* model);
    views::BookmarkModel* bookmarkModel() const { return bookmarkModel_; }
    // The bookmarks drawn (those of the model over the span), and the one a press at p would
    // pick (within kBookmarkPickPx across, in the bookmark lane), or nullptr.
    const std::vector<twin::ReviewBookmark>& bookmarkMarkers() const { return bookmarks_; }
    const twin::ReviewBookmark* bookmarkAt(QPoint p) const;
    // The bookmark lane (y range, for clicks and tests).
    int bookmarkLaneTop() const { return height() - kBookmarkLaneH - 2; }
    int bookmarkLaneBottom() const { return height() - 2; }

    static constexpr int kBookmarkPickPx = 6, kBookmarkLaneH = 13;
    static QColor bookmarkColour(bool recording = false);   // green (review), teal (recording)
    static QColor loopColour();                             // the loop band's edge colour
    static QColor damageColour();                           // damaged intervals
    // The damaged intervals drawn (clipped to the span), and the one under x, if any.
    const std::vector<twin::DamagedRange>& damageMarkers() const { return damage_; }
    const twin::DamagedRange* damageAt(int x) const;

    QSize sizeHint() const override { return {800, 64}; }
    QSize minimumSizeHint() const override { return {200, 56}; }

public slots:
    void reloadMarkers();
    void reloadBookmarks();
    void reloadDamage();

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
    void paintLoop(QPainter& p);
    void paintBookmarks(QPainter& p);
    void paintDamage(QPainter& p, const QRect& line);
    QString tooltipFor(const twin::Event& e) const;
    QString tooltipFor(const twin::ReviewBookmark& b) const;

    twin::Session& session_;
    std::vector<twin::Event> markers_;
    std::vector<twin::DamagedRange> damage_;
    QPointer<views::BookmarkModel> bookmarkModel_;
    std::vector<twin::ReviewBookmark> bookmarks_;
    bool dragging_ = false;
};

} // namespace views
