// Compare: a second recording (or a second incident of the same one) beside the open one,
// aligned on a chosen event of each and played together by the open session's one clock:
// B's time = A's time + offset, the offset being B's anchor - A's anchor, or set by hand (a spin
// box in seconds and nudge buttons). By default each is aligned on its first alarm (B on its
// first alarm of the same kind as A's when it has one); a side without an alarm falls back to
// its recording's start, and a warning bar says so.
// Charts on A's time axis (B shifted), of the island of each anchor's asset (a side aligned on
// its start: the other side's anchor's; neither: the first island): frequency, A − B frequency, generation, Megapack power;
// A drawn solid with its min-max band, B dashed without one (so it never hides A). A table of
// figures (twin/query/incident_figures.h) for A, B and A − B; each one-line diagram at its own time.
#pragma once

#include "twin/query/incident_figures.h"
#include "twin/session/session.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace views {
class OneLineDiagram;
class StripChart;
}

namespace review {

class CompareWindow : public QWidget {
    Q_OBJECT
public:
    explicit CompareWindow(twin::Session& a, QWidget* parent = nullptr);
    ~CompareWindow() override;

    // Opens recording B (read-only); "" or the error (naming the file).
    QString openB(const QString& path);
    twin::Session& sessionB() { return *b_; }
    // What the legend, the charts and the warnings call each side: a followed twin's source
    // (nats://HOST:PORT/TWIN) rather than its replica's file name. Empty: the file name.
    void setSourceNames(const QString& nameA, const QString& nameB);
    QString legendText(bool sideB) const;   // the legend's line of a side, as shown

    // Anchors: the times of A and B that line up. Index i of anchorEvents(): an event's start;
    // -1: the recording's start. Sets the offset to anchorB - anchorA.
    void setAnchors(twin::TimeMs anchorA, twin::TimeMs anchorB);
    // B's time - A's time, by hand (the anchor boxes stay as they were).
    void setOffset(twin::TimeMs offsetMs);
    twin::TimeMs offset() const { return offset_; }
    bool offsetSetByHand() const { return manualOffset_; }
    twin::TimeMs anchorA() const { return anchorA_; }
    // B's time aligned with A's anchor: what B's figures are measured from.
    twin::TimeMs anchorB() const { return anchorA_ + offset_; }
    const std::vector<twin::Event>& anchorEventsA() const { return eventsA_; }
    const std::vector<twin::Event>& anchorEventsB() const { return eventsB_; }

    // The alignment warning ("" when both sides have a common alarm to align on).
    QString warningText() const;
    bool warningShown() const;

    // The figures of each side, from its anchor (empty until both are open).
    const std::optional<twin::query::IncidentFigures>& figuresA() const { return figuresA_; }
    const std::optional<twin::query::IncidentFigures>& figuresB() const { return figuresB_; }
    // The figures table's text at a row (Figure) and column (FigureColumn).
    enum Figure { NadirHz, NadirAfter, MaxRocof, MegapackPickup, Recovery, FigureRows };
    enum FigureColumn { ColumnA = 1, ColumnB = 2, ColumnDifference = 3 };
    QString figureText(Figure row, FigureColumn column) const;

    views::StripChart* frequencyChart() const { return frequency_; }
    views::StripChart* differenceChart() const { return difference_; }
    views::StripChart* generationChart() const { return generation_; }
    views::StripChart* megapackChart() const { return megapacks_; }

    static constexpr twin::TimeMs kRocofWindowMs = 500;   // the figures' RoCoF window

private:
    void fillAnchors(QComboBox* box, twin::Session& s, std::vector<twin::Event>& events);
    void anchorChosen();
    void alignmentChanged();   // the offset changed: labels, warning, charts, figures, B's clock
    void rebuildCharts();
    void updateFigures();
    void updateWarning();
    void follow();   // B's clock to A's time + offset
    twin::AssetIndex measuredAsset(bool sideA);   // whose island a side's charts and figures show

    QString nameOf(bool sideB) const;   // the source name, else the file name

    twin::Session& a_;
    std::unique_ptr<twin::Session> b_;
    QString sourceA_, sourceB_;
    twin::TimeMs anchorA_ = 0, anchorB_ = 0, offset_ = 0;
    bool manualOffset_ = false;
    std::vector<twin::Event> eventsA_, eventsB_;
    std::optional<twin::query::IncidentFigures> figuresA_, figuresB_;
    QLabel* titleA_ = nullptr;
    QLabel* titleB_ = nullptr;
    QLabel* offsetLabel_ = nullptr;
    QLabel* islandLabel_ = nullptr;
    QLabel* warning_ = nullptr;
    QComboBox* anchorBoxA_ = nullptr;
    QComboBox* anchorBoxB_ = nullptr;
    QDoubleSpinBox* offsetBox_ = nullptr;
    QTableWidget* figures_ = nullptr;
    views::StripChart* frequency_ = nullptr;
    views::StripChart* difference_ = nullptr;
    views::StripChart* generation_ = nullptr;
    views::StripChart* megapacks_ = nullptr;
    views::OneLineDiagram* diagramA_ = nullptr;
    views::OneLineDiagram* diagramB_ = nullptr;
};

} // namespace review
