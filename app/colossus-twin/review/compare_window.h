// Compare: a second recording (or a second incident of the same one) beside the open one,
// aligned on a chosen event of each and played together by the open session's one clock:
// B's time = A's time - A's anchor + B's anchor. Frequency, generation and Megapack power of
// both share charts on A's time axis (B shifted); each has its one-line diagram at its own time.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;

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

    // Anchors: the times of A and B that line up (by default the first alarm of each, else
    // their starts). Index i of anchorEvents(): an event's start; -1: the recording's start.
    void setAnchors(twin::TimeMs anchorA, twin::TimeMs anchorB);
    twin::TimeMs offset() const { return anchorB_ - anchorA_; }   // B's time - A's time
    const std::vector<twin::Event>& anchorEventsA() const { return eventsA_; }
    const std::vector<twin::Event>& anchorEventsB() const { return eventsB_; }

    views::StripChart* frequencyChart() const { return frequency_; }
    views::StripChart* generationChart() const { return generation_; }
    views::StripChart* megapackChart() const { return megapacks_; }

private:
    void fillAnchors(QComboBox* box, twin::Session& s, std::vector<twin::Event>& events);
    void anchorChosen();
    void rebuildCharts();
    void follow();   // B's clock to A's time + offset

    twin::Session& a_;
    std::unique_ptr<twin::Session> b_;
    twin::TimeMs anchorA_ = 0, anchorB_ = 0;
    std::vector<twin::Event> eventsA_, eventsB_;
    QLabel* titleA_ = nullptr;
    QLabel* titleB_ = nullptr;
    QLabel* offsetLabel_ = nullptr;
    QComboBox* anchorBoxA_ = nullptr;
    QComboBox* anchorBoxB_ = nullptr;
    views::StripChart* frequency_ = nullptr;
    views::StripChart* generation_ = nullptr;
    views::StripChart* megapacks_ = nullptr;
    views::OneLineDiagram* diagramA_ = nullptr;
    views::OneLineDiagram* diagramB_ = nullptr;
};

} // namespace review
