#include "compare_window.h"

#include "common/series_colours.h"
#include "common/time_format.h"
#include "electrical/channel_sum.h"
#include "electrical/one_line_diagram.h"
#include "electrical/strip_chart.h"

#include "twin/query/electrical_signals.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace review {

using namespace twin;
using views::StripChart;

namespace {

const QColor kColourA = views::series::recordingColour(0);   // the open recording
const QColor kColourB = views::series::recordingColour(1);   // the compared one

// Events worth aligning on: warnings and above, the first 500.
std::vector<Event> anchorCandidates(Session& s) {
    std::vector<Event> out;
    if (!s.isOpen()) return out;
    const TimeSpan sp = s.reader().span();
    for (const Event& e : s.reader().events(sp.first, sp.last))
        if (e.severity >= Severity::Warning && out.size() < 500) out.push_back(e);
    return out;
}

// The first alarm (or worse) of a recording, else its start.
TimeMs defaultAnchor(Session& s, const std::vector<Event>& events) {
    for (const Event& e : events)
        if (e.severity >= Severity::Alarm) return e.start;
    return s.clock().span().first;
}

// What the three charts show of one recording (empty fetches where it lacks them): the frequency
// of the first island's bus, the islands' generation, the Megapacks' power.
struct CompareFetches {
    StripChart::Fetch frequency, generation, megapacks;
};

CompareFetches compareFetches(Session& s) {
    CompareFetches out;
    StoreReader& r = s.reader();
    const query::ElectricalSignals electrical = query::electricalSignals(r);
    if (!electrical.islands.empty() && !electrical.islands.front().frequency.empty())
        out.frequency = views::channelOf(r, electrical.islands.front().frequency);
    if (!electrical.generation.empty()) out.generation = views::sumOfChannels(r, electrical.generation);
    if (const query::SourceKindSignals* blocks = electrical.source(AssetKind::MegapackBlock))
        out.megapacks = views::sumOfChannels(r, blocks->power);
    return out;
}

QString fileName(const Session& s) { return QFileInfo(QString::fromStdString(s.path())).fileName(); }

} // namespace

CompareWindow::CompareWindow(Session& a, QWidget* parent) : QWidget(parent, Qt::Window), a_(a), b_(std::make_unique<Session>()) {
    setObjectName("compareWindow");
    setWindowTitle("Compare recordings — Colossus Twin");
    resize(1500, 900);
    auto* layout = new QVBoxLayout(this);

    auto* bar = new QGridLayout;
    titleA_ = new QLabel;
    titleB_ = new QLabel("B: no recording — Open…");
    anchorBoxA_ = new QComboBox;
    anchorBoxB_ = new QComboBox;
    anchorBoxA_->setObjectName("anchorA");
    anchorBoxB_->setObjectName("anchorB");
    auto* open = new QPushButton("Open B…");
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Recording to compare", {}, "Twin stores (*.twin);;All files (*)");
        if (path.isEmpty()) return;
        if (QString e = openB(path); !e.isEmpty()) titleB_->setText("B: " + e.toHtmlEscaped());
    });
    offsetLabel_ = new QLabel;
    bar->addWidget(titleA_, 0, 0);
    bar->addWidget(new QLabel("aligned on"), 0, 1);
    bar->addWidget(anchorBoxA_, 0, 2);
    bar->addWidget(titleB_, 1, 0);
    bar->addWidget(new QLabel("aligned on"), 1, 1);
    bar->addWidget(anchorBoxB_, 1, 2);
    bar->addWidget(open, 1, 3);
    bar->addWidget(offsetLabel_, 0, 3);
    bar->setColumnStretch(0, 1);
    layout->addLayout(bar);

    auto* charts = new QHBoxLayout;
    frequency_ = new views::StripChart(a_, "Frequency", "Hz");
    generation_ = new views::StripChart(a_, "Generation", "MW");
    megapacks_ = new views::StripChart(a_, "Megapack power", "MW");
    for (auto* c : {frequency_, generation_, megapacks_}) {
        c->setMinimumHeight(220);
        charts->addWidget(c);
    }
    layout->addLayout(charts, 2);
    auto* diagrams = new QSplitter(Qt::Horizontal);
    diagramA_ = new views::OneLineDiagram(a_);
    diagramB_ = new views::OneLineDiagram(*b_);
    diagrams->addWidget(diagramA_);
    diagrams->addWidget(diagramB_);
    layout->addWidget(diagrams, 3);

    connect(anchorBoxA_, &QComboBox::activated, this, &CompareWindow::anchorChosen);
    connect(anchorBoxB_, &QComboBox::activated, this, &CompareWindow::anchorChosen);
    connect(&a_.clock(), &Clock::timeChanged, this, &CompareWindow::follow);
    connect(&a_, &Session::opened, this, [this] {
        fillAnchors(anchorBoxA_, a_, eventsA_);
        if (b_->isOpen()) setAnchors(defaultAnchor(a_, eventsA_), anchorB_);
    });
    if (a_.isOpen()) fillAnchors(anchorBoxA_, a_, eventsA_);
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::fillAnchors(QComboBox* box, Session& s, std::vector<Event>& events) {
    events = anchorCandidates(s);
    box->clear();
    if (!s.isOpen()) return;
    box->addItem("the start of the recording (" + views::formatUtcClock(s.clock().span().first) + ")");
    for (const Event& e : events)
        box->addItem(views::formatUtcClock(e.start) + "  " + QString::fromStdString(std::string(severityName(e.severity))) + "  " +
                     QString::fromStdString(e.text));
}

QString CompareWindow::openB(const QString& path) {
    try {
        b_->open(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    fillAnchors(anchorBoxB_, *b_, eventsB_);
    setAnchors(defaultAnchor(a_, eventsA_), defaultAnchor(*b_, eventsB_));
    return {};
}

void CompareWindow::setAnchors(TimeMs anchorA, TimeMs anchorB) {
    anchorA_ = anchorA;
    anchorB_ = anchorB;
    // Show the choice in the boxes (index 0: the start).
    auto select = [](QComboBox* box, const std::vector<Event>& events, TimeMs t) {
        int index = 0;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].start == t) { index = static_cast<int>(i) + 1; break; }
        box->setCurrentIndex(index);
    };
    select(anchorBoxA_, eventsA_, anchorA);
    select(anchorBoxB_, eventsB_, anchorB);
    if (a_.isOpen()) titleA_->setText("<b style='color:" + kColourA.name() + "'>A</b>: " + fileName(a_).toHtmlEscaped());
    if (b_->isOpen()) titleB_->setText("<b style='color:" + kColourB.name() + "'>B</b>: " + fileName(*b_).toHtmlEscaped());
    const double seconds = static_cast<double>(offset()) / 1000;
    offsetLabel_->setText(QString("B runs %1 s %2 A").arg(std::abs(seconds), 0, 'f', 1).arg(seconds >= 0 ? "ahead of" : "behind"));
    rebuildCharts();
    follow();
}

void CompareWindow::anchorChosen() {
    auto anchorOf = [](QComboBox* box, const std::vector<Event>& events, Session& s) {
        const int i = box->currentIndex();
        return i >= 1 && i <= static_cast<int>(events.size()) ? events[static_cast<std::size_t>(i - 1)].start : s.clock().span().first;
    };
    if (!a_.isOpen() || !b_->isOpen()) return;
    setAnchors(anchorOf(anchorBoxA_, eventsA_, a_), anchorOf(anchorBoxB_, eventsB_, *b_));
}

void CompareWindow::rebuildCharts() {
    for (auto* c : {frequency_, generation_, megapacks_}) c->clearSeries();
    if (!a_.isOpen() || !b_->isOpen()) return;
    const TimeMs off = offset();
    auto add = [&](views::StripChart* chart, StripChart::Fetch a, StripChart::Fetch b) {
        if (a) chart->addSeries("A " + fileName(a_), kColourA, std::move(a));
        if (b) chart->addSeries("B " + fileName(*b_), kColourB, views::shifted(std::move(b), off));
    };
    CompareFetches ours = compareFetches(a_), theirs = compareFetches(*b_);
    add(frequency_, std::move(ours.frequency), std::move(theirs.frequency));
    add(generation_, std::move(ours.generation), std::move(theirs.generation));
    add(megapacks_, std::move(ours.megapacks), std::move(theirs.megapacks));
}

void CompareWindow::follow() {
    if (!a_.isOpen() || !b_->isOpen()) return;
    b_->clock().seek(a_.clock().time() + offset());
}

} // namespace review
