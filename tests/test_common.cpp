// views/common: time and value formats, asset references of events, and the inspector, driven
// like a user would against a simulated turbine trip on the small campus with extra events (the
// shared recording trip-events-60). Every check compares what a widget shows with what the store
// holds.
#include "common/asset_ref.h"
#include "common/inspector_panel.h"
#include "common/time_format.h"

#include "support/recordings.h"
#include "support/replay.h"
#include "support/widgets.h"

#include "twin/query/series_query.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <QLabel>
#include <QTableWidget>
#include <QtTest>

#include <algorithm>

using namespace twin;
using namespace views;
using namespace testsupport;

class TestCommon : public ReplayTest {
    Q_OBJECT

    // What the store holds for one quantity of a list series at t (no widget involved).
    double storedValue(const std::string& series, const std::string& quantity, AssetIndex asset, TimeMs t) {
        StoreReader& r = session_->reader();
        const SeriesInfo& info = twin::query::seriesInfo(r, r.findSeries(series));
        std::size_t q = 0;
        while (info.spec.quantities[q].name != quantity) ++q;
        const auto pos = std::find(info.assets.begin(), info.assets.end(), asset) - info.assets.begin();
        return r.seriesAt(info.id, t).values[q][static_cast<std::size_t>(pos)];
    }

private slots:
    void initTestCase() { openTripReplay(sharedRecording(recordings::kTripEvents60)); }

    void init() { rewind(*session_, span_); }

    // --- time and value formats --------------------------------------------------------

    void formatsTimes() {
        const TimeMs t = 1'784'131'200'000 + 2 * 60'000 + 11'250;   // 2026-07-15 16:02:11.250 UTC
        QCOMPARE(views::formatUtcLong(t), QString("2026-07-15 16:02:11.250 UTC"));
        QCOMPARE(views::formatUtcClock(t), QString("16:02:11"));
        QCOMPARE(views::formatLocal(t, "UTC"), QString("16:02:11 UTC"));
        QCOMPARE(views::formatLocal(t, ""), QString("16:02:11 UTC"));
        QCOMPARE(views::formatLocal(t, "America/Chicago"), QString("11:02:11 CDT"));   // summer: UTC-5
        const TimeMs winter = 1'768'492'800'000;   // 2026-01-15 16:00:00 UTC
        QCOMPARE(views::formatLocal(winter, "America/Chicago"), QString("10:00:00 CST"));   // UTC-6
        QCOMPARE(views::formatSpeed(2), QString("2.0×"));
        QCOMPARE(views::formatSpeed(0.25), QString("0.25×"));
        QCOMPARE(views::formatSpeed(300), QString("300×"));
        QCOMPARE(views::formatValue(700), QString("700"));
        QCOMPARE(views::formatValue(59.99812), QString("59.998"));
        QCOMPARE(views::formatValue(12.5), QString("12.5"));
        QCOMPARE(views::formatValue(0.0123456), QString("0.0123"));
    }

    void resolvesEventAssets() {
        const Asset& rack = campus().assets[campus().racks().front()];
        const views::AssetRef r = views::resolveAsset(*session_, rack.id);
        QCOMPARE(r.selection.asset, campus().racks().front());
        QCOMPARE(r.kind, QString("rack"));
        QCOMPARE(r.name, QString::fromStdString(rack.name));
        const views::AssetRef g = views::resolveAsset(*session_, campus().gpuId(5));
        QCOMPARE(g.selection.gpu, 5);
        QCOMPARE(g.kind, QString("gpu"));
        QVERIFY(!session_->reader().jobs().empty());
        const Job& job = session_->reader().jobs().front();
        const views::AssetRef j = views::resolveAsset(*session_, job.name);
        QCOMPARE(j.selection.job, job.id);
        QCOMPARE(j.kind, QString("job"));
        QVERIFY(views::resolveAsset(*session_, "").selection.empty());
        QVERIFY(views::resolveAsset(*session_, "no/such/asset").selection.empty());
    }

    // --- inspector -----------------------------------------------------------------------

    void inspectorHintWhenNothingSelected() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        QVERIFY(child<QLabel>(&p, "hint")->isVisible());
        QCOMPARE(child<QLabel>(&p, "hint")->text(), QString("Click an asset in the 3D view, the event list or the timeline"));
        QCOMPARE(p.titleText(), QString());
        QCOMPARE(child<QTableWidget>(&p, "values")->rowCount(), 0);
    }

    void inspectorShowsTheStoredValues() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        const AssetIndex turbine = campus().find(trip_.asset);
        session_->select({turbine});
        QVERIFY(!child<QLabel>(&p, "hint")->isVisible());
        QCOMPARE(p.titleText(), QString::fromStdString(campus().assets[turbine].name));

        const TimeMs before = trip_.start - 3'000, after = trip_.start + 5'000;
        QStringList shown;
        for (TimeMs t : {before, after}) {
            clock().seek(t);
            const double stored = storedValue("source", "power", turbine, t);
            QCOMPARE(p.valueText("power"), views::formatValue(stored));
            const auto values = session_->valuesOf(session_->selection());
            const auto v = std::find_if(values.begin(), values.end(), [](const AssetValue& a) { return a.quantity == "power"; });
            QVERIFY(v != values.end());
            QCOMPARE(p.valueText("power"), views::formatValue(v->value));
            QCOMPARE(p.valueText("mechanical_power"),
                     views::formatValue(storedValue("turbine", "mechanical_power", turbine, t)));
            shown << p.valueText("power");
            // The state as a word, from the store's code.
            QCOMPARE(p.valueText("state"), t == before ? QString("online") : QString("tripped"));
        }
        QVERIFY2(shown[0] != shown[1], qPrintable(shown.join(" / ")));   // it tripped in between
        QCOMPARE(shown[1], QString("0"));
        QCOMPARE(p.valueText("no_such_quantity"), QString());
        // Units and the sample's time sit beside the value.
        auto* table = child<QTableWidget>(&p, "values");
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 0)->text() == "power") {
                QCOMPARE(table->item(r, 2)->text(), QString("MW"));
                QCOMPARE(table->item(r, 3)->text(), views::formatUtcClockMs(after));   // 10 Hz: a sample at it
            }
    }

    void inspectorShowsARacksPlace() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        const AssetIndex rack = campus().racks().front();
        const Asset& a = campus().assets[rack];
        session_->select({rack});
        QCOMPARE(p.titleText(), QString::fromStdString(a.name));
        const QString details = child<QLabel>(&p, "details")->text();
        QVERIFY2(details.contains("test-a64") && details.contains("TGPU-A") && details.contains("GPUs: 64"), qPrintable(details));
        const QString path = child<QLabel>(&p, "computePath")->text();
        for (AssetIndex up = a.parent; up != kNoAsset; up = campus().assets[up].parent)
            QVERIFY2(path.contains(QString("asset:%1").arg(up)), qPrintable(path));
        const QString electrical = child<QLabel>(&p, "electrical")->text();
        for (AssetIndex s : campus().sourcesOf(rack))
            QVERIFY(electrical.contains(QString::fromStdString(campus().assets[s].name).toHtmlEscaped()));
        QVERIFY(!campus().suppliers(rack).empty());
        QVERIFY(electrical.contains(QString("asset:%1").arg(campus().suppliers(rack).front())));
        // A level of the path is a link that selects it.
        emit child<QLabel>(&p, "computePath")->linkActivated(QString("asset:%1").arg(a.parent));
        QCOMPARE(session_->selection().asset, a.parent);
        QCOMPARE(p.titleText(), QString::fromStdString(campus().assets[a.parent].name));
        // The rack's own power, at the clock's time.
        session_->select({rack});
        clock().seek(span_.first + 30'000);
        const auto& racks = twin::query::seriesInfo(session_->reader(), session_->reader().findSeries(twin::sim::series::Rack::name));
        QCOMPARE(racks.spec.quantities[0].name, std::string("power"));
        QCOMPARE(p.valueText("power"),
                 views::formatValue(session_->reader().seriesAt(racks.id, span_.first + 30'000).values[0][0]));
    }

    void inspectorShowsAGpu() {
        InspectorPanel p(*session_);
        const std::int64_t gpu = 3;
        Selection s;
        s.gpu = gpu;
        session_->select(s);
        clock().seek(span_.first + 20'000);
        QCOMPARE(p.titleText(), QString::fromStdString(campus().gpuId(gpu)));
        QVERIFY(child<QLabel>(&p, "details")->text().contains(QString("asset:%1").arg(campus().rackOfGpu(gpu))));
        const int series = session_->reader().findSeries(twin::sim::series::Gpu::name);
        const float stored = session_->reader().seriesAt(series, span_.first + 20'000).values[0][gpu];
        QCOMPARE(p.valueText("power"), views::formatValue(stored));
        QVERIFY(stored > 0);
    }

    void inspectorShowsAJob() {
        InspectorPanel p(*session_);
        const auto& jobs = session_->reader().jobs();
        QVERIFY(!jobs.empty());
        Selection s;
        s.job = jobs.back().id;
        session_->select(s);
        const TimeMs t = span_.first + 30'000;
        clock().seek(t);
        QCOMPARE(p.titleText(), QString::fromStdString(jobs.back().name));
        const int series = session_->reader().findSeries(twin::sim::series::Job::name);
        const float stored = session_->reader().seriesAt(series, t).values[0][jobs.size() - 1];
        QCOMPARE(p.valueText("power"), views::formatValue(stored));
        QVERIFY(stored > 0);
    }
};

QTEST_MAIN(TestCommon)
#include "test_common.moc"
