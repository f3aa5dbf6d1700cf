#include "compare_window.h"

#include "common/series_colours.h"
#include "review/difference_fetch.h"

#include "common/hmi_colours.h"
#include "common/time_format.h"
#include "electrical/channel_sum.h"
#include "electrical/one_line_diagram.h"
#include "electrical/strip_chart.h"

#include "twin/query/electrical_signals.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace review {

using namespace twin;
using views::StripChart;

namespace {

const QColor kColourA = views::series::recordingColour(0);   // the open recording: solid, with its band
const QColor kColourB = views::series::recordingColour(1);   // the compared one: dashed, no band
const QColor kColourDiff = views::series::categorical(2);     // A − B

// Events worth aligning on: warnings and above, the first 500.
std::vector<Event> anchorCandidates(Session& s) {
    std::vector<Event> out;
    if (!s.isOpen()) return out;
    const TimeSpan sp = s.reader().span();
    for (const Event& e : s.reader().events(sp.first, sp.last))
        if (e.severity >= Severity::Warning && out.size() < 500) out.push_back(e);
    return out;
}

// The first alarm (or worse) of a recording, of a kind if one is given; nullptr if none.
const Event* firstAlarm(const std::vector<Event>& events, const std::string& kind = {}) {
    for (const Event& e : events)
        if (e.severity >= Severity::Alarm && (kind.empty() || e.kind == kind)) return &e;
    return nullptr;
}

// The asset id of the anchor event at t ("": the recording's start, or an event of no asset).
std::string anchorAssetId(const std::vector<Event>& events, TimeMs t) {
    for (const Event& e : events)
        if (e.start == t) return e.asset;
    return {};
}

// What the charts show of one recording (empty fetches where it lacks them), on the island of the
// anchor's asset (query::islandOf: the first island without one): its bus's frequency, its
// generation, its Megapacks' power.
struct CompareFetches {
    StripChart::Fetch frequency, generation, megapacks;
    QString island;   // its bus's name
};

CompareFetches compareFetches(Session& s, AssetIndex anchor) {
    CompareFetches out;
    StoreReader& r = s.reader();
    const query::ElectricalSignals electrical = query::electricalSignals(r);
    if (electrical.islands.empty()) return out;
    const std::size_t i = query::islandOf(r, electrical, anchor);
    const query::IslandSignals& island = electrical.islands[i];
    if (island.bus != kNoAsset) {   // by its site's name ("Colossus 2"), else its bus's
        const Asset& bus = s.campus().assets[static_cast<std::size_t>(island.bus)];
        out.island = QString::fromStdString(bus.site != kNoAsset ? s.campus().assets[static_cast<std::size_t>(bus.site)].name : bus.name);
    }
    if (!island.frequency.empty()) out.frequency = views::channelOf(r, island.frequency);
    if (!island.generation.empty()) out.generation = views::channelOf(r, island.generation);
    if (const query::ChannelGroup blocks = query::megapacksOf(r, electrical, i); !blocks.empty())
        out.megapacks = views::sumOfChannels(r, blocks);
    return out;
}

QString fileName(const Session& s) { return QFileInfo(QString::fromStdString(s.path())).fileName(); }

QString seconds(TimeMs ms, int decimals = 1) { return QString::number(static_cast<double>(ms) / 1000, 'f', decimals); }

// A signed difference: "+0.012", "−0.4" (a real minus sign), "0.0".
QString signedNumber(double v, int decimals) {
    const QString digits = QString::number(std::abs(v), 'f', decimals);
    if (digits.toDouble() == 0) return digits;
    return (v < 0 ? QString::fromUtf8("−") : QString("+")) + digits;
}

} // namespace

CompareWindow::CompareWindow(Session& a, QWidget* parent) : QWidget(parent, Qt::Window), a_(a), b_(std::make_unique<Session>()) {
    setObjectName("compareWindow");
    setWindowTitle("Compare recordings — Colossus Twin");
    QSize size(1500, 900);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.95);
    resize(size);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);

    // Who is who (the legend), what each is aligned on, and B's offset.
    auto* bar = new QGridLayout;
    bar->setVerticalSpacing(2);
    titleA_ = new QLabel;
    titleB_ = new QLabel("B: no recording — Open…");
    titleA_->setObjectName("legendA");
    titleB_->setObjectName("legendB");
    anchorBoxA_ = new QComboBox;
    anchorBoxB_ = new QComboBox;
    anchorBoxA_->setObjectName("anchorA");
    anchorBoxB_->setObjectName("anchorB");
    for (QComboBox* box : {anchorBoxA_, anchorBoxB_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(30);
    }
    auto* open = new QPushButton("Open B…");
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Recording to compare", {}, "Twin stores (*.twin);;All files (*)");
        if (path.isEmpty()) return;
        if (QString e = openB(path); !e.isEmpty()) titleB_->setText("B: " + e.toHtmlEscaped());
    });
    offsetBox_ = new QDoubleSpinBox;
    offsetBox_->setObjectName("offsetSeconds");
    offsetBox_->setRange(-1e7, 1e7);
    offsetBox_->setDecimals(3);
    offsetBox_->setSingleStep(0.1);
    offsetBox_->setSuffix(" s");
    offsetBox_->setKeyboardTracking(false);   // one change when typing is done, not one per digit
    offsetBox_->setToolTip("B's time minus A's time: B is drawn and played at A's time + this offset");
    connect(offsetBox_, &QDoubleSpinBox::valueChanged, this, [this](double s) {
        const auto ms = static_cast<TimeMs>(std::llround(s * 1000));
        if (ms != offset_) setOffset(ms);
    });
    auto* offsetRow = new QHBoxLayout;
    offsetRow->addWidget(new QLabel("B offset"));
    offsetRow->addWidget(offsetBox_);
    const std::pair<const char*, TimeMs> nudges[] = {{"−1 s", -1000}, {"−0.1 s", -100}, {"+0.1 s", 100}, {"+1 s", 1000}};
    for (const auto& [text, ms] : nudges) {
        auto* nudge = new QPushButton(QString::fromUtf8(text));
        nudge->setObjectName(QString("nudge%1").arg(ms));
        nudge->setToolTip("Moves B by " + QString::fromUtf8(text) + " against A");
        connect(nudge, &QPushButton::clicked, this, [this, step = ms] { setOffset(offset_ + step); });
        offsetRow->addWidget(nudge);
    }
    offsetLabel_ = new QLabel;
    offsetLabel_->setObjectName("offsetLabel");
    offsetRow->addWidget(offsetLabel_, 1);
    offsetLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);   // never widens the window
    bar->addWidget(titleA_, 0, 0);
    bar->addWidget(new QLabel("aligned on"), 0, 1);
    bar->addWidget(anchorBoxA_, 0, 2);
    bar->addWidget(titleB_, 1, 0);
    bar->addWidget(new QLabel("aligned on"), 1, 1);
    bar->addWidget(anchorBoxB_, 1, 2);
    bar->addWidget(open, 1, 3);
    bar->addLayout(offsetRow, 2, 0, 1, 4);
    bar->setColumnStretch(0, 1);
    bar->setColumnStretch(2, 2);
    layout->addLayout(bar);

    // Why the alignment may be wrong: a side without an alarm (amber, ISA-101's "abnormal").
    warning_ = new QLabel;
    warning_->setObjectName("alignmentWarning");
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QString("QLabel { background: %1; color: #1b1b1b; padding: 4px 8px; font-weight: 600; }")
                                .arg(views::hmi::kWarning.name()));
    warning_->hide();
    layout->addWidget(warning_);

    auto* body = new QSplitter(Qt::Vertical);
    body->setChildrenCollapsible(false);
    auto* top = new QWidget;
    auto* topRow = new QHBoxLayout(top);
    topRow->setContentsMargins(0, 0, 0, 0);
    auto* charts = new QGridLayout;
    charts->setSpacing(4);
    frequency_ = new views::StripChart(a_, "Frequency", "Hz");
    difference_ = new views::StripChart(a_, QString::fromUtf8("Frequency A − B"), "Hz");
    generation_ = new views::StripChart(a_, "Generation", "MW");
    megapacks_ = new views::StripChart(a_, "Megapack power", "MW");
    frequency_->setObjectName("compareFrequency");
    difference_->setObjectName("compareDifference");
    int i = 0;
    for (auto* c : {frequency_, difference_, generation_, megapacks_}) {
        c->setMinimumHeight(140);
        charts->addWidget(c, i / 2, i % 2);
        ++i;
    }
    topRow->addLayout(charts, 1);

    figures_ = new QTableWidget(FigureRows, 4);
    figures_->setObjectName("figures");
    figures_->setHorizontalHeaderLabels({"Figure", "A", "B", QString::fromUtf8("A − B")});
    figures_->verticalHeader()->hide();
    figures_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    figures_->setSelectionMode(QAbstractItemView::NoSelection);
    figures_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    for (int c = 1; c < 4; ++c) figures_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Stretch);
    const char* rows[FigureRows][2] = {
        {"Nadir (Hz)", "The lowest frequency of the island within 60 s after the anchor"},
        {"Nadir at (s)", "When the lowest frequency came, in seconds after the anchor"},
        {"Max RoCoF (Hz/s)", "The steepest fall of the frequency over a 500 ms window (Hz/s, negative), within 60 s after the anchor"},
        {"Megapacks picked up (MW)", "The island's Megapacks' peak power within 10 s after the anchor minus their power just "
                                     "before it"},
        {"Recovered (s)", "When the frequency was back within 60 ± 0.05 Hz for good, in seconds after the anchor "
                          "(docs/physics.md)"},
    };
    for (int r = 0; r < FigureRows; ++r) {
        auto* item = new QTableWidgetItem(rows[r][0]);
        item->setToolTip(rows[r][1]);
        figures_->setItem(r, 0, item);
        for (int c = 1; c < 4; ++c) {
            auto* value = new QTableWidgetItem;
            value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            figures_->setItem(r, c, value);
        }
    }
    auto* side = new QVBoxLayout;
    side->setSpacing(2);
    islandLabel_ = new QLabel;
    islandLabel_->setObjectName("islandLabel");
    islandLabel_->setWordWrap(true);
    islandLabel_->setToolTip("Charts and figures are of the island of each anchor's asset (the first island for a "
                             "recording's start)");
    side->addWidget(islandLabel_);
    side->addWidget(figures_);
    auto* note = new QLabel("From each anchor (B's: A's + offset), over the next 60 s. RoCoF: the steepest fall over "
                            "500 ms. Pickup: the Megapacks' peak in 10 s minus their power before. Recovered: back "
                            "within 60 ± 0.05 Hz for good. Hover a figure for more.");
    note->setObjectName("figuresNote");
    note->setWordWrap(true);
    note->setMaximumWidth(460);
    note->setStyleSheet("QLabel { color: #6b7078; }");
    side->addWidget(note);
    side->addStretch(1);
    figures_->setMinimumWidth(380);
    figures_->setMaximumWidth(460);
    islandLabel_->setMaximumWidth(460);
    figures_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    figures_->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    figures_->setMaximumHeight(figures_->horizontalHeader()->sizeHint().height() + FigureRows * figures_->verticalHeader()->defaultSectionSize() + 4);
    topRow->addLayout(side);
    body->addWidget(top);

    auto* diagrams = new QSplitter(Qt::Horizontal);
    diagramA_ = new views::OneLineDiagram(a_);
    diagramB_ = new views::OneLineDiagram(*b_);
    diagrams->addWidget(diagramA_);
    diagrams->addWidget(diagramB_);
    body->addWidget(diagrams);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    body->setSizes({3000, 2000});   // the charts first: the diagrams' size hint would take half
    layout->addWidget(body, 1);

    connect(anchorBoxA_, &QComboBox::activated, this, &CompareWindow::anchorChosen);
    connect(anchorBoxB_, &QComboBox::activated, this, &CompareWindow::anchorChosen);
    connect(&a_.clock(), &Clock::timeChanged, this, &CompareWindow::follow);
    connect(&a_, &Session::opened, this, [this] {
        fillAnchors(anchorBoxA_, a_, eventsA_);
        if (!b_->isOpen()) return;
        const Event* alarm = firstAlarm(eventsA_);
        setAnchors(alarm ? alarm->start : a_.clock().span().first, anchorB_);
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
    // A on its first alarm; B on its first alarm of the same kind, else on its first alarm.
    const Event* alarmA = firstAlarm(eventsA_);
    const Event* alarmB = alarmA ? firstAlarm(eventsB_, alarmA->kind) : nullptr;
    if (!alarmB) alarmB = firstAlarm(eventsB_);
    setAnchors(alarmA ? alarmA->start : a_.clock().span().first, alarmB ? alarmB->start : b_->clock().span().first);
    return {};
}

QString CompareWindow::nameOf(bool sideB) const {
    const QString& source = sideB ? sourceB_ : sourceA_;
    return !source.isEmpty() ? source : fileName(sideB ? *b_ : a_);
}

QString CompareWindow::legendText(bool sideB) const { return (sideB ? titleB_ : titleA_)->text(); }

void CompareWindow::setSourceNames(const QString& nameA, const QString& nameB) {
    sourceA_ = nameA;
    sourceB_ = nameB;
    if (a_.isOpen() && b_->isOpen()) {
        const bool byHand = manualOffset_;
        const TimeMs offset = offset_;
        setAnchors(anchorA_, anchorB_);   // the legends, charts and warnings again, with the names
        if (byHand) setOffset(offset);
    }
}

void CompareWindow::setAnchors(TimeMs anchorA, TimeMs anchorB) {
    anchorA_ = anchorA;
    anchorB_ = anchorB;
    offset_ = anchorB - anchorA;
    manualOffset_ = false;
    // Show the choice in the boxes (index 0: the start).
    auto select = [](QComboBox* box, const std::vector<Event>& events, TimeMs t) {
        int index = 0;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].start == t) { index = static_cast<int>(i) + 1; break; }
        box->setCurrentIndex(index);
    };
    select(anchorBoxA_, eventsA_, anchorA);
    select(anchorBoxB_, eventsB_, anchorB);
    if (a_.isOpen())
        titleA_->setText("<span style='color:" + kColourA.name() + "'><b>A</b> &#x2014;&#x2014;&#x2014;</span> = " +
                         nameOf(false).toHtmlEscaped());
    if (b_->isOpen())
        titleB_->setText("<span style='color:" + kColourB.name() + "'><b>B</b> - - - -</span> = " + nameOf(true).toHtmlEscaped());
    alignmentChanged();
}

void CompareWindow::setOffset(TimeMs offsetMs) {
    offset_ = offsetMs;
    manualOffset_ = true;
    alignmentChanged();
}

void CompareWindow::alignmentChanged() {
    const QSignalBlocker quiet(offsetBox_);
    offsetBox_->setValue(static_cast<double>(offset_) / 1000);
    const double s = static_cast<double>(offset_) / 1000;
    offsetLabel_->setText(QString("B runs %1 s %2 A%3")
                              .arg(std::abs(s), 0, 'f', 1)
                              .arg(s >= 0 ? "ahead of" : "behind")
                              .arg(manualOffset_ ? " (set by hand)" : " (from the anchors)"));
    updateWarning();
    rebuildCharts();
    updateFigures();
    follow();
}

QString CompareWindow::warningText() const { return warning_->text(); }
bool CompareWindow::warningShown() const { return !warning_->isHidden(); }

void CompareWindow::updateWarning() {
    QStringList problems;
    if (a_.isOpen() && b_->isOpen()) {
        auto alignedOn = [this](QComboBox* box, bool isB) {
            if (isB && manualOffset_) return QString("a hand-set offset of %1 s").arg(seconds(offset_, 3));
            return box->currentText();
        };
        const Event* alarmA = firstAlarm(eventsA_);
        const Event* alarmB = firstAlarm(eventsB_);
        if (!alarmA) problems << "A (" + nameOf(false) + ") has no alarm: aligned on " + alignedOn(anchorBoxA_, false) + ".";
        if (!alarmB) problems << "B (" + nameOf(true) + ") has no alarm: aligned on " + alignedOn(anchorBoxB_, true) + ".";
        if (alarmA && alarmB && !firstAlarm(eventsB_, alarmA->kind))
            problems << "A and B have no alarm in common (A's first: " + QString::fromStdString(alarmA->kind) + ", B's: " +
                            QString::fromStdString(alarmB->kind) + ").";
        if (!problems.isEmpty()) problems << "Check the alignment: choose the events to align, or set B's offset.";
    }
    warning_->setText(QString::fromUtf8("⚠ ") + problems.join(" "));
    warning_->setVisible(!problems.isEmpty());
}

void CompareWindow::rebuildCharts() {
    for (auto* c : {frequency_, difference_, generation_, megapacks_}) c->clearSeries();
    if (!a_.isOpen() || !b_->isOpen()) return;
    const TimeMs off = offset();
    StripChart::SeriesOptions solid, dashed;
    dashed.style = StripChart::Style::Line;   // no band: B never hides A's
    dashed.dashed = true;
    const QString nameA = "A " + nameOf(false), nameB = "B " + nameOf(true);
    auto add = [&](views::StripChart* chart, const StripChart::Fetch& a, const StripChart::Fetch& b) {
        if (a) chart->addSeries(nameA, kColourA, a, solid);
        if (b) chart->addSeries(nameB, kColourB, views::shifted(b, off), dashed);
    };
    CompareFetches ours = compareFetches(a_, measuredAsset(true)), theirs = compareFetches(*b_, measuredAsset(false));
    islandLabel_->setText("Island measured: A " + (ours.island.isEmpty() ? QString("—") : ours.island) + ", B " +
                          (theirs.island.isEmpty() ? QString("—") : theirs.island));
    add(frequency_, ours.frequency, theirs.frequency);
    add(generation_, ours.generation, theirs.generation);
    add(megapacks_, ours.megapacks, theirs.megapacks);
    if (ours.frequency && theirs.frequency) {
        StripChart::SeriesOptions line;
        line.style = StripChart::Style::Line;
        difference_->addSeries(QString::fromUtf8("A − B"), kColourDiff,
                               difference(ours.frequency, views::shifted(theirs.frequency, off)), line);
    }
}

void CompareWindow::updateFigures() {
    figuresA_.reset();
    figuresB_.reset();
    for (int r = 0; r < FigureRows; ++r)
        for (int c = 1; c < 4; ++c) figures_->item(r, c)->setText({});
    if (!a_.isOpen() || !b_->isOpen()) return;
    query::IncidentOptions options;
    options.rocofWindowMs = kRocofWindowMs;
    options.asset = measuredAsset(true);
    figuresA_ = query::incidentFigures(a_.reader(), anchorA_, options);
    options.asset = measuredAsset(false);
    figuresB_ = query::incidentFigures(b_->reader(), anchorB(), options);
    struct Cell {
        bool ok;
        double v;
    };
    auto row = [&](Figure f, const query::IncidentFigures& x) -> Cell {
        switch (f) {
        case NadirHz: return {x.hasFrequency, x.nadirHz};
        case NadirAfter: return {x.hasFrequency, static_cast<double>(x.nadirAfterMs) / 1000};
        case MaxRocof: return {x.hasFrequency, x.maxRocofHzPerS};
        case MegapackPickup: return {x.hasMegapacks, x.megapackPickupMw};
        case Recovery: return {x.hasFrequency && x.recoveredAfterMs.has_value(), static_cast<double>(x.recoveredAfterMs.value_or(0)) / 1000};
        default: return {false, 0};
        }
    };
    const int decimals[FigureRows] = {3, 1, 3, 1, 1};
    for (int r = 0; r < FigureRows; ++r) {
        const auto f = static_cast<Figure>(r);
        const Cell a = row(f, *figuresA_), b = row(f, *figuresB_);
        auto text = [&](const Cell& c, const query::IncidentFigures& x) {
            if (c.ok) return QString::number(c.v, 'f', decimals[r]);
            if (f == Recovery && x.hasFrequency) return "> " + seconds(x.windowEnd - (&x == &*figuresA_ ? anchorA_ : anchorB()), 0);
            return QString::fromUtf8("—");
        };
        figures_->item(r, ColumnA)->setText(text(a, *figuresA_));
        figures_->item(r, ColumnB)->setText(text(b, *figuresB_));
        figures_->item(r, ColumnDifference)->setText(a.ok && b.ok ? signedNumber(a.v - b.v, decimals[r]) : QString::fromUtf8("—"));
    }
}

// The anchor's asset, else the other side's (so that a side aligned on its start is measured on
// the same island as the other), in this side's campus; kNoAsset: the first island.
AssetIndex CompareWindow::measuredAsset(bool sideA) {
    std::string id = sideA ? anchorAssetId(eventsA_, anchorA_) : anchorAssetId(eventsB_, anchorB_);
    if (id.empty()) id = sideA ? anchorAssetId(eventsB_, anchorB_) : anchorAssetId(eventsA_, anchorA_);
    return (sideA ? a_ : *b_).campus().find(id);
}

QString CompareWindow::figureText(Figure row, FigureColumn column) const { return figures_->item(row, column)->text(); }

void CompareWindow::anchorChosen() {
    auto anchorOf = [](QComboBox* box, const std::vector<Event>& events, Session& s) {
        const int i = box->currentIndex();
        return i >= 1 && i <= static_cast<int>(events.size()) ? events[static_cast<std::size_t>(i - 1)].start : s.clock().span().first;
    };
    if (!a_.isOpen() || !b_->isOpen()) return;
    setAnchors(anchorOf(anchorBoxA_, eventsA_, a_), anchorOf(anchorBoxB_, eventsB_, *b_));
}

void CompareWindow::follow() {
    if (!a_.isOpen() || !b_->isOpen()) return;
    b_->clock().seek(a_.clock().time() + offset());
}

} // namespace review
