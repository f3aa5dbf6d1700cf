// colossus-sim on the command line: listings, every kind of bad argument (one line on stderr,
// the right exit status, no file left behind), runs that write a readable store, scenario
// files, --set after the scenario, and a --live run stopped by SIGINT.
#include "twin/query/series_query.h"
#include "twin/campus_file.h"
#include "twin/fabric.h"
#include "twin/sim/param_list.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <set>

using namespace twin;

namespace {

const QString kSim = QStringLiteral(TEST_BIN_DIR "/colossus-sim");
const QString kSmall = QStringLiteral(TEST_DATA_DIR "/sites/small.json");
const QString kScenarioDir = QStringLiteral(TEST_DATA_DIR "/scenarios");

struct Result {
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out, err;
};

Result runSim(const QStringList& args, int timeoutMs = 300'000, const QString& workingDir = {},
              const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    if (!workingDir.isEmpty()) p.setWorkingDirectory(workingDir);
    p.setProcessEnvironment(env);
    p.start(kSim, args);
    Result r;
    if (!p.waitForStarted() || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "colossus-sim did not start or finish: " + p.errorString();
        return r;
    }
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList lines(const QString& text) { return text.split('\n', Qt::SkipEmptyParts); }

TimeMs defaultStart() { return sim::Params{}.start; }

std::vector<Event> allEvents(StoreReader& r)
{
    return r.events(std::numeric_limits<TimeMs>::min() / 2, std::numeric_limits<TimeMs>::max() / 2);
}

} // namespace

class TestSimCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString tmp(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QVERIFY2(QFile::exists(kSim), qPrintable("not built: " + kSim));
    }

    void listScenarios()
    {
        const Result r = runSim({"--list-scenarios"});
        QCOMPARE(r.exitCode, 0);
        QStringList names;
        for (const QString& line : lines(r.out)) names << line.section(' ', 0, 0);
        const QStringList expected = {"steady-training", "turbine-trip",   "job-crash",   "cloud-passage",
                                      "cooling-failure", "megapack-fault", "no-megapacks",  "chiller-trip",
                                      "frontier-run",    "link-failure",   "link-flap",     "spine-failure"};
        QCOMPARE(names, expected);
        for (const QString& line : lines(r.out))   // each with its description
            QVERIFY2(line.section(' ', 1).trimmed().size() > 20, qPrintable(line));
    }

    void listParams()
    {
        const Result r = runSim({"--list-params"});
        QCOMPARE(r.exitCode, 0);
        const QStringList out = lines(r.out);
        const auto params = sim::listParams(sim::Params{});
        QCOMPARE(out.size(), static_cast<qsizetype>(params.size()) + 1);   // a header, then one line per key
        QVERIFY(out.indexOf(QRegularExpression("^tripAtS\\s+number\\s+-1$")) >= 0);
        QVERIFY(out.indexOf(QRegularExpression("^megapacks\\s+bool\\s+true$")) >= 0);
        QVERIFY(out.indexOf(QRegularExpression("^start\\s+time\\s+2026-07-15T16:00:00.000Z$")) >= 0);
    }

    void helpAndVersion()
    {
        const Result help = runSim({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* option : {"--site", "--scenario-file", "--duration", "--out", "--set", "--live", "--speed", "--start"})
            QVERIFY2(help.out.contains(option), option);
        const Result version = runSim({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(QRegularExpression("^colossus-sim \\d+\\.\\d+\\.\\d+\n$").match(version.out).hasMatch());
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        const QString out = tmp("bad.twin");
        const QStringList base = {"--site", kSmall, "--duration", "10"};
        QTest::newRow("missing --out") << (base + QStringList{"--scenario", "steady-training"}) << 2 << "--out";
        QTest::newRow("missing --duration")
            << QStringList{"--site", kSmall, "--scenario", "steady-training", "--out", out} << 2 << "--duration";
        QTest::newRow("missing scenario") << (base + QStringList{"--out", out}) << 2 << "--scenario";
        QTest::newRow("unknown scenario") << (base + QStringList{"--scenario", "meteor", "--out", out}) << 2
                                          << "unknown scenario 'meteor'";
        QTest::newRow("bad --duration")
            << QStringList{"--site", kSmall, "--scenario", "job-crash", "--duration", "ten", "--out", out} << 2
            << "--duration: 'ten'";
        QTest::newRow("negative --duration")
            << QStringList{"--site", kSmall, "--scenario", "job-crash", "--duration", "-5", "--out", out} << 2
            << "--duration";
        QTest::newRow("unknown --set key")
            << (base + QStringList{"--scenario", "steady-training", "--out", out, "--set", "tripAtZ=3"}) << 2
            << "tripAtZ: unknown parameter (did you mean tripAtS";
        QTest::newRow("bad --set number")
            << (base + QStringList{"--scenario", "steady-training", "--out", out, "--set", "socMin=low"}) << 2
            << "socMin: 'low' is not a number";
        QTest::newRow("bad --set bool")
            << (base + QStringList{"--scenario", "steady-training", "--out", out, "--set", "megapacks=perhaps"}) << 2
            << "megapacks: 'perhaps' is not a bool";
        QTest::newRow("--set without =")
            << (base + QStringList{"--scenario", "steady-training", "--out", out, "--set", "seed"}) << 2
            << "KEY=VALUE";
        QTest::newRow("scenario and scenario file")
            << (base + QStringList{"--scenario", "job-crash", "--scenario-file",
                                   kScenarioDir + "/turbine-trip-early.json", "--out", out})
            << 2 << "not both";
        QTest::newRow("bad --seed") << (base + QStringList{"--scenario", "job-crash", "--seed", "-1", "--out", out})
                                    << 2 << "--seed";
        QTest::newRow("--speed without --live")
            << (base + QStringList{"--scenario", "job-crash", "--speed", "5", "--out", out}) << 2 << "--live";
        QTest::newRow("--speed out of range")
            << (base + QStringList{"--scenario", "job-crash", "--live", "--speed", "5000", "--out", out}) << 2
            << "--speed: '5000'";
        QTest::newRow("bad --start")
            << (base + QStringList{"--scenario", "job-crash", "--start", "2026-02-30", "--out", out}) << 2
            << "--start: '2026-02-30' is not an ISO-8601 UTC date (2026-01-17) or date-time (2026-01-17T08:00:00Z)";
        QTest::newRow("unknown option") << (base + QStringList{"--scenario", "job-crash", "--frobnicate", "--out", out})
                                        << 2 << "frobnicate";
        QTest::newRow("missing scenario file")
            << (base + QStringList{"--scenario-file", tmp("nowhere.json"), "--out", out}) << 2 << "nowhere.json";
        QTest::newRow("unit not on the campus")
            << (base + QStringList{"--scenario", "turbine-trip", "--out", out, "--set", "tripUnit=nowhere/gt01"}) << 2
            << "nowhere/gt01";
        QTest::newRow("missing site file")
            << QStringList{"--site", tmp("no-such-site.json"), "--scenario", "steady-training", "--duration", "10",
                           "--out", out}
            << 1 << "no-such-site.json: cannot open file";
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QFile::remove(tmp("bad.twin"));   // each row on its own, whatever an earlier row left
        const Result r = runSim(args);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, exitCode);
        const QStringList err = lines(r.err);
        QCOMPARE(err.size(), 1);
        QVERIFY2(err[0].startsWith("colossus-sim: "), qPrintable(err[0]));
        QVERIFY2(err[0].contains(mentions), qPrintable(err[0]));
        QVERIFY2(!QFile::exists(tmp("bad.twin")), "a failed start left a store behind");
    }

    void existingOutNeedsForce()
    {
        const QString out = tmp("exists.twin");
        {
            QFile f(out);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a store");
        }
        const QStringList args = {"--site", kSmall, "--scenario", "steady-training", "--duration", "3", "--out", out};
        const Result refused = runSim(args);
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(lines(refused.err).size(), 1);
        QVERIFY2(refused.err.startsWith("colossus-sim: ") && refused.err.contains(out) &&
                     refused.err.contains("already exists") && refused.err.contains("--force"),
                 qPrintable(refused.err));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("not a store"));   // untouched

        const Result forced = runSim(args + QStringList{"--force"});
        QCOMPARE(forced.exitCode, 0);
        auto reader = StoreReader::open(out.toStdString());
        QVERIFY(!reader->span().empty);
    }

    void turbineTripRun()
    {
        const QString out = tmp("trip.twin");
        const Result r = runSim({"--site", kSmall, "--scenario", "turbine-trip", "--duration", "30", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));   // no progress bar: stderr is not a terminal
        QVERIFY2(r.out.contains("Peak load"), qPrintable(r.out));
        QVERIFY2(r.out.contains("turbine-trip"), qPrintable(r.out));
        QVERIFY2(r.out.contains(out), qPrintable(r.out));

        auto reader = StoreReader::open(out.toStdString());
        QCOMPARE(reader->campus().gpuCount(), std::int64_t{472});
        const TimeSpan span = reader->span();
        QVERIFY(!span.empty);
        QVERIFY2(span.first >= defaultStart() && span.first <= defaultStart() + 1000, formatUtc(span.first).c_str());
        QVERIFY2(std::abs((span.last - span.first) - 30'000) <= 1'000,
                 qPrintable(QString::number(span.last - span.first)));
        QVERIFY(reader->findSeries(twin::sim::series::Gpu::name) != 0);

        const auto events = allEvents(*reader);
        const auto trip = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY2(trip != events.end(), "no turbine_trip event");
        // The scenario places the trip a third of the way in: 10 s.
        QVERIFY2(std::abs(trip->start - (defaultStart() + 10'000)) <= 1'000, formatUtc(trip->start).c_str());
        const AssetIndex unit = reader->campus().find(trip->asset);
        QVERIFY2(unit != kNoAsset, trip->asset.c_str());
        QCOMPARE(reader->campus().assets[unit].kind, AssetKind::Turbine);
    }

    void setOverridesScenario()
    {
        const QString out = tmp("trip-set.twin");
        const Result r = runSim({"--site", kSmall, "--scenario", "turbine-trip", "--duration", "10", "--out", out,
                                 "--seed", "7", "--set", "tripAtS=3", "--set", "tripUnit=testsite/gts01"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("seed 7"), qPrintable(r.out));
        auto reader = StoreReader::open(out.toStdString());
        const auto events = allEvents(*reader);
        const auto trip = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        QVERIFY2(trip != events.end(), "no turbine_trip event");
        QCOMPARE(QString::fromStdString(trip->asset), QString("testsite/gts01"));
        QVERIFY2(std::abs(trip->start - (defaultStart() + 3'000)) <= 500, formatUtc(trip->start).c_str());
    }

    // --start DATE: the store's time begins there (an ISO-8601 UTC date: midnight UTC; the value
    // from Python's datetime), and --set start= still wins as the last word.
    void startDate()
    {
        const QString out = tmp("start.twin");
        const Result r = runSim({"--site", kSmall, "--scenario", "steady-training", "--duration", "3", "--out", out,
                                 "--start", "2025-10-01"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("2025-10-01T00:00:00.000Z"), qPrintable(r.out));
        QCOMPARE(StoreReader::open(out.toStdString())->span().first, TimeMs(1'759'276'800'000));
        const QString later = tmp("start-set.twin");
        const Result s = runSim({"--site", kSmall, "--scenario", "steady-training", "--duration", "3", "--out", later,
                                 "--start", "2025-10-01T06:00:00Z", "--set", "start=2025-10-02T00:00:00Z"});
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        QCOMPARE(StoreReader::open(later.toStdString())->span().first, TimeMs(1'759'363'200'000));
    }

    void scenarioFileRun()
    {
        const QString out = tmp("file.twin");
        const Result r = runSim({"--site", kSmall, "--scenario-file", kScenarioDir + "/steady-training-smoothing.json",
                                 "--duration", "5", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("steady-training"), qPrintable(r.out));
        auto reader = StoreReader::open(out.toStdString());
        const TimeSpan span = reader->span();
        QVERIFY(!span.empty);
        QVERIFY2(std::abs((span.last - span.first) - 5'000) <= 1'000,
                 qPrintable(QString::number(span.last - span.first)));
    }

    // Every example file loads, covers a named scenario, and names assets that exist on the
    // default campus.
    void scenarioFilesAreValid()
    {
        const QStringList files = QDir(kScenarioDir).entryList({"*.json"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 7);
        const Campus campus = loadCampusFile(TEST_DATA_DIR "/sites/colossus.json");
        const Fabric fabric = expandFabric(campus, *campus.fabric, "colossus.json");
        std::set<std::string> covered;
        for (const QString& name : files) {
            const std::string path = (kScenarioDir + "/" + name).toStdString();
            sim::Params p;
            try {
                p = sim::loadScenarioFile(path, 600);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
            covered.insert(p.scenario);
            QVERIFY2(p.scenario != "steady-training" || p.powerSmoothing, qPrintable(name));   // changes something
            for (const std::string* id : {&p.tripUnit, &p.coolingHall, &p.megapackBlock, &p.chillerTripHall})
                if (!id->empty()) QVERIFY2(campus.find(*id) != kNoAsset, qPrintable(name + ": " + QString::fromStdString(*id)));
            if (!p.spineFail.empty()) QVERIFY2(fabric.findSwitch(p.spineFail) >= 0, qPrintable(name));
            if (const auto tilde = p.linkFail.find('~'); !p.linkFail.empty())
                QVERIFY2(tilde != std::string::npos && fabric.findLink(fabric.findSwitch(p.linkFail.substr(0, tilde)),
                                                                       fabric.findSwitch(p.linkFail.substr(tilde + 1))) >= 0,
                         qPrintable(name));
        }
        for (const auto& s : sim::scenarios())
            QVERIFY2(covered.count(s.name), qPrintable(QString::fromStdString("no example file for " + s.name)));
    }

    // --site and --scenario-file take bare names, looked up in the data directory (for the build
    // tree: the source tree's data/), whatever the current directory; COLOSSUS_TWIN_DATA_DIR
    // overrides it; an unknown name says which folder was searched.
    void bareNamesFromAnotherDirectory()
    {
        QTemporaryDir elsewhere;
        QVERIFY(elsewhere.isValid());
        QVERIFY(!QFile::exists(elsewhere.filePath("small")) && !QFile::exists(elsewhere.filePath("small.json")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("COLOSSUS_TWIN_DATA_DIR");
        const QString dataDir = QDir::cleanPath(TEST_DATA_DIR);

        const QString out = tmp("named.twin");
        const Result r = runSim({"--site", "small", "--scenario-file", "steady-training-smoothing", "--duration", "3",
                                 "--out", out},
                                300'000, elsewhere.path(), env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("steady-training"), qPrintable(r.out));
        QCOMPARE(StoreReader::open(out.toStdString())->campus().gpuCount(), std::int64_t{472});

        const Result listed = runSim({"--list-sites"}, 30'000, elsewhere.path(), env);
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.startsWith("Data directory: " + dataDir + "\n"), qPrintable(listed.out));
        QVERIFY2(listed.out.contains(QRegularExpression("\n  small +" + QRegularExpression::escape(dataDir) +
                                                        "/sites/small.json\n")),
                 qPrintable(listed.out));
        QVERIFY2(listed.out.contains(dataDir + "/scenarios/turbine-trip-early.json"), qPrintable(listed.out));

        const Result unknown = runSim({"--site", "smal", "--scenario", "steady-training", "--duration", "3", "--out",
                                       tmp("unknown.twin")},
                                      30'000, elsewhere.path(), env);
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(lines(unknown.err).size(), 1);
        QVERIFY2(unknown.err.startsWith("colossus-sim: --site: smal: ") &&
                     unknown.err.contains(dataDir + "/sites") && unknown.err.contains("known: colossus, small"),
                 qPrintable(unknown.err));
        QVERIFY(!QFile::exists(tmp("unknown.twin")));
        const Result unknownScenario =
            runSim({"--site", "small", "--scenario-file", "nope", "--duration", "3", "--out", tmp("unknown.twin")},
                   30'000, elsewhere.path(), env);
        QCOMPARE(unknownScenario.exitCode, 2);
        QVERIFY2(unknownScenario.err.contains(dataDir + "/scenarios") && unknownScenario.err.contains("turbine-trip-early"),
                 qPrintable(unknownScenario.err));

        // An existing file in the current directory is a path first, a name second.
        QVERIFY(QFile::copy(kSmall, elsewhere.filePath("colossus")));
        const Result local = runSim({"--site", "colossus", "--scenario", "steady-training", "--duration", "2", "--out",
                                     tmp("local.twin")},
                                    300'000, elsewhere.path(), env);
        QVERIFY2(local.exitCode == 0, qPrintable(local.err));
        QCOMPARE(StoreReader::open(tmp("local.twin").toStdString())->campus().gpuCount(), std::int64_t{472});

        // COLOSSUS_TWIN_DATA_DIR replaces the data directory.
        QTemporaryDir ownData;
        QVERIFY(QDir(ownData.path()).mkpath("sites"));
        QVERIFY(QFile::copy(kSmall, ownData.filePath("sites/mine.json")));
        env.insert("COLOSSUS_TWIN_DATA_DIR", ownData.path());
        const Result own = runSim({"--site", "mine", "--scenario", "steady-training", "--duration", "2", "--out",
                                   tmp("own.twin")},
                                  300'000, elsewhere.path(), env);
        QVERIFY2(own.exitCode == 0, qPrintable(own.err));
        const Result notThere = runSim({"--site", "small", "--scenario", "steady-training", "--duration", "2", "--out",
                                        tmp("own2.twin")},
                                       30'000, elsewhere.path(), env);
        QCOMPARE(notThere.exitCode, 2);
        QVERIFY2(notThere.err.contains(QDir::cleanPath(ownData.path()) + "/sites") && notThere.err.contains("known: mine"),
                 qPrintable(notThere.err));
    }

    // Paced by the wall clock: 1.5 s at 20x is ~30 simulated seconds, then SIGINT stops it cleanly.
    void liveStopsOnSigint()
    {
        const QString out = tmp("live.twin");
        QProcess p;
        p.start(kSim, {"--site", kSmall, "--scenario", "steady-training", "--duration", "3600", "--out", out, "--live",
                       "--speed", "20"});
        QVERIFY(p.waitForStarted());
        QTest::qWait(1500);
        QCOMPARE(p.state(), QProcess::Running);
        {   // a viewer tailing the store already sees most of what was simulated
            auto tail = StoreReader::open(out.toStdString());
            const TimeSpan span = tail->span();
            QVERIFY(!span.empty);
            QVERIFY2(span.last - span.first >= 10'000, qPrintable(QString::number(span.last - span.first)));
        }
        QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
        QVERIFY2(p.waitForFinished(20'000), "did not stop on SIGINT");
        const QString stdoutText = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, qPrintable(QString::fromUtf8(p.readAllStandardError())));
        QVERIFY2(stdoutText.startsWith("stopped at "), qPrintable(stdoutText));
        QVERIFY(stdoutText.contains("Peak load"));

        auto reader = StoreReader::open(out.toStdString());
        const TimeSpan span = reader->span();
        QVERIFY(!span.empty);
        const TimeMs simulatedMs = span.last - span.first;
        QVERIFY2(simulatedMs >= 10'000 && simulatedMs <= 60'000, qPrintable(QString::number(simulatedMs)));
    }
};

QTEST_GUILESS_MAIN(TestSimCli)
#include "test_sim_cli.moc"
