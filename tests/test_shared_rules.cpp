// The rules the views share, each in one place: the time-axis tick steps (views/common/time_axis.h)
// and the words for the state codes of sources and jobs (views/common/state_words.h).
#include "common/state_words.h"
#include "common/time_axis.h"

#include "twin/sim/simulator.h"

#include <QDateTime>
#include <QTimeZone>
#include <QtTest>

#include <algorithm>

using twin::TimeMs;

class TestSharedRules : public QObject {
    Q_OBJECT

private slots:
    // The smallest round step that cuts the span into no more steps than fit.
    void tickSteps() {
        QCOMPARE(views::tickStep(60'000, 6), TimeMs(10'000));    // exactly 6 steps of 10 s
        QCOMPARE(views::tickStep(60'000, 7), TimeMs(10'000));
        QCOMPARE(views::tickStep(60'000, 5.9), TimeMs(15'000));
        QCOMPARE(views::tickStep(10'000, 14), TimeMs(1'000));
        QCOMPARE(views::tickStep(0, 5), TimeMs(1'000));
        QCOMPARE(views::tickStep(9'000'000, 1), TimeMs(10'800'000));   // 2.5 h: 3 h
        QCOMPARE(views::tickStep(86'400'000, 2), TimeMs(43'200'000));
        QCOMPARE(views::tickStep(10 * 86'400'000LL, 2), TimeMs(86'400'000));   // none fits: the largest
        // A minimum step (the wall labels no finer than 5 s).
        QCOMPARE(views::tickStep(10'000, 14, 5'000), TimeMs(5'000));
        QCOMPARE(views::tickStep(60'000, 6, 5'000), TimeMs(10'000));
    }

    // As the callers ask: the strip charts one tick per 110 px (at least two), the timeline a
    // label's width apart, the wall as many whole labels as fit.
    void tickStepsForWidths() {
        const auto strip = [](TimeMs span, int width) { return views::tickStep(span, std::max(2.0, width / 110.0)); };
        QCOMPARE(strip(3'600'000, 1280), TimeMs(600'000));   // an hour on 1280 px: every 10 min
        QCOMPARE(strip(3'600'000, 660), TimeMs(600'000));   // exactly 6 ticks
        QCOMPARE(strip(3'600'000, 650), TimeMs(900'000));
        QCOMPARE(strip(3'600'000, 150), TimeMs(1'800'000));   // narrow: still two ticks
        QCOMPARE(strip(86'400'000, 1920), TimeMs(7'200'000));
        const auto timeline = [](TimeMs span, int width, int labelW) { return views::tickStep(span, double(width) / labelW); };
        QCOMPARE(timeline(90'000, 1260, 80), TimeMs(10'000));
        QCOMPARE(timeline(90'000, 400, 80), TimeMs(30'000));
        QCOMPARE(timeline(3'600'000, 1260, 80), TimeMs(300'000));
        const auto wallChart = [](TimeMs span, int width, int labelW) { return views::tickStep(span, std::max(1, width / labelW), 5'000); };
        QCOMPARE(wallChart(15 * 60'000, 800, 110), TimeMs(300'000));   // 7 labels: 5 min
        QCOMPARE(wallChart(15 * 60'000, 1600, 110), TimeMs(120'000));
        QCOMPARE(wallChart(20'000, 1600, 110), TimeMs(5'000));
    }

    void ticksFallOnRoundTimes() {
        QCOMPARE(views::ticks(1'500, 10'000, 2'000), (std::vector<TimeMs>{2'000, 4'000, 6'000, 8'000, 10'000}));
        QCOMPARE(views::ticks(2'000, 3'999, 2'000), (std::vector<TimeMs>{2'000}));
        QVERIFY(views::ticks(2'001, 3'999, 2'000).empty());
        const TimeMs t = QDateTime(QDate(2026, 7, 15), QTime(16, 15), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(views::tickLabel(t, 300'000), QString("16:15"));
        QCOMPARE(views::tickLabel(t + 10'000, 10'000), QString("16:15:10"));
        QCOMPARE(views::tickLabel(t, 30'000), QString("16:15:00"));
    }

    void sourceStateWords() {
        using twin::sim::SourceState;
        const std::vector<std::pair<SourceState, QString>> words = {
            {SourceState::Offline, "offline"}, {SourceState::Starting, "starting"}, {SourceState::Synchronising, "synchronising"},
            {SourceState::Online, "online"},   {SourceState::Tripped, "tripped"},   {SourceState::Faulted, "faulted"}};
        for (const auto& [state, word] : words) {
            const int code = static_cast<int>(state);
            QCOMPARE(views::sourceStateWord(code).value_or("?"), word);
            // A running turbine says so; every other source is online.
            QCOMPARE(views::sourceStateWord(code, twin::AssetKind::Turbine).value_or("?"),
                     state == SourceState::Online ? QString("running") : word);
            for (auto kind : {twin::AssetKind::SolarArray, twin::AssetKind::GridTie, twin::AssetKind::MegapackBlock})
                QCOMPARE(views::sourceStateWord(code, kind).value_or("?"), word);
        }
        QVERIFY(!views::sourceStateWord(-1));
        QVERIFY(!views::sourceStateWord(6));
        QVERIFY(!views::sourceStateWord(6, twin::AssetKind::Turbine));
    }

    void jobStateWords() {
        using twin::sim::JobState;
        const std::vector<std::pair<JobState, QString>> words = {
            {JobState::Queued, "queued"},     {JobState::Ramping, "ramping"}, {JobState::Training, "training"},
            {JobState::Checkpointing, "checkpointing"}, {JobState::Stalled, "stalled"}, {JobState::Crashed, "crashed"}};
        for (const auto& [state, word] : words) QCOMPARE(views::jobStateWord(static_cast<int>(state)).value_or("?"), word);
        QVERIFY(!views::jobStateWord(-1));
        QVERIFY(!views::jobStateWord(6));
    }
};

QTEST_GUILESS_MAIN(TestSharedRules)
#include "test_shared_rules.moc"
