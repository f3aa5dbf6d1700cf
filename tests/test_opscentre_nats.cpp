// The operations centre end to end with a real NATS server (Debian's nats-server 2.9 with
// JetStream, on loopback, its files in a temporary folder): colossus-sim --live --publish writes a
// small-campus run and publishes it; followers (app_nats NatsFollower) keep replicas that must hold
// exactly the writer's frames, samples, events and jobs (compared through StoreReader); a follower
// started half-way catches up; foreign messages on the subject are rejected and counted; a server
// stopped for 5 s mid-run and started again leaves no gap; colossus-twin says in one line why it
// cannot follow. docs/opscentre.md.
#include "support/app_process.h"
#include "support/data_files.h"
#include "support/nats_server.h"
#include "support/replica_match.h"
#include "support/store_compare.h"

#include "main_window.h"
#include "nats_follower.h"
#include "remote_store.h"
#include "electrical/strip_chart.h"
#include "review/compare_window.h"
#include "wall/wall_app.h"
#include "wall/wall_window.h"
#include "twin/session/session.h"
#include "nats_publisher.h"
#include "nats_snapshot.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace twin;

using testsupport::waitForMatch;

namespace {

const QString kSim = QString(TEST_BIN_DIR) + "/colossus-sim";
const QString kIngest = QString(TEST_BIN_DIR) + "/colossus-ingest";

opscentre::BusAddress address(const testsupport::NatsServer& server, const std::string& twin) {
    return *opscentre::parseBusAddress(server.url().toStdString() + "/" + twin);
}

// colossus-sim on the small campus, live at `speed`, publishing to `url`.
void startSim(QProcess& sim, const QString& out, const QString& url, int durationS, double speed,
              const QStringList& more = {}) {
    sim.setProcessChannelMode(QProcess::MergedChannels);
    sim.start(kSim, QStringList{"--site", QString::fromStdString(testsupport::siteFile("small.json")), "--scenario",
                                "turbine-trip", "--duration", QString::number(durationS), "--live", "--speed",
                                QString::number(speed), "--out", out, "--publish", url} + more);
    sim.waitForStarted();
}


bool finish(QProcess& sim, QString* output) {
    // waitForFinished() is false for a process that has already finished (it may have while a
    // QTRY_ loop ran the event loop): then it is not waited for.
    const bool finished = sim.state() == QProcess::NotRunning || sim.waitForFinished(60000);
    const bool ok = finished && sim.exitStatus() == QProcess::NormalExit && sim.exitCode() == 0;
    *output = QString::fromUtf8(sim.readAll().right(2000));
    return ok;
}

} // namespace

class TestOpscentreNats : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("XDG_CACHE_HOME", (dir_.path() + "/cache").toUtf8());   // the replicas of RemoteStore
        const QString error = server_.start(dir_.path());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // One writer, three followers from the start and one from half-way: four identical replicas;
    // then foreign messages on the subject: rejected, counted, the replicas unchanged.
    void threeFollowersAndOneLate() {
        const auto a = address(server_, "small");
        std::vector<std::unique_ptr<app_nats::NatsFollower>> followers;
        for (int i = 0; i < 3; ++i) {
            followers.push_back(std::make_unique<app_nats::NatsFollower>(
                a, dir_.filePath(QString("follower%1.twin").arg(i)).toStdString()));
            followers.back()->start();
        }
        const std::string writer = dir_.filePath("writer.twin").toStdString();
        QProcess sim;
        const int durationS = 20;
        startSim(sim, QString::fromStdString(writer), QString::fromStdString(a.display()), durationS, 4);
        // Half-way: the writer's store spans half the run.
        const QDeadlineTimer half(30000);
        bool halfWay = false;
        while (!halfWay && !half.hasExpired()) {
            QThread::msleep(100);
            try {
                auto r = StoreReader::open(writer);
                const TimeSpan sp = r->span();
                halfWay = !sp.empty && sp.last - sp.first >= durationS * 1000 / 2;
            } catch (const std::exception&) {
            }
        }
        QVERIFY(halfWay);
        QVERIFY(sim.state() == QProcess::Running);   // really half-way: the writer goes on
        followers.push_back(std::make_unique<app_nats::NatsFollower>(a, dir_.filePath("late.twin").toStdString()));
        followers.back()->start();
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        QVERIFY2(output.contains("published"), qPrintable(output));
        for (const auto& f : followers) {
            const std::string diff = waitForMatch(writer, *f);
            QVERIFY2(diff.empty(), diff.c_str());
            QCOMPARE(f->status().counts.rejected, std::uint64_t(0));
        }
        auto w = StoreReader::open(writer);
        QVERIFY(testsupport::frameCount(*w) >= std::size_t(durationS));   // there was something to compare
        QVERIFY(!w->events(0, std::numeric_limits<TimeMs>::max() / 2).empty());
        QVERIFY(!w->jobs().empty());

        // Someone else's messages on the twin's subject.
        app_nats::Bus bus(a, "intruder");
        const std::uint64_t before = followers[0]->status().streamSeq;
        const std::string json = R"({"power": 1e9})";
        std::string fake = "CTWN";
        fake += std::string(64, '\x01');   // our magic, then nonsense
        for (const std::string& m : {json, fake})
            QCOMPARE(int(natsConnection_Publish(bus.connection(), a.commitSubject().c_str(), m.data(), int(m.size()))),
                     int(NATS_OK));
        natsConnection_Flush(bus.connection());
        const QDeadlineTimer counted(10000);
        while (!counted.hasExpired() && followers[0]->status().counts.rejected < 2) QThread::msleep(50);
        for (const auto& f : followers) {
            QTRY_COMPARE_WITH_TIMEOUT(f->status().counts.rejected, std::uint64_t(2), 10000);
            QVERIFY(!f->status().counts.lastError.empty());
            const std::string diff = waitForMatch(writer, *f, 1000);
            QVERIFY2(diff.empty(), diff.c_str());
        }
        QCOMPARE(followers[0]->status().streamSeq, before);   // nothing applied
    }

    // colossus-twin nats://... on the command line, the desk and the wall: the twin published by
    // the test above, followed into a replica in the user's cache folder and drawn.
    void deskAndWallFollow() {
        const QString url = QString::fromStdString(address(server_, "small").display());
        const QString desk = dir_.filePath("desk.png"), wall = dir_.filePath("wall.png");
        QString err;
        QCOMPARE(testsupport::runApp({url, "--screenshot", desk, "--size", "800x600"}, &err, 60000), 0);
        QVERIFY2(QFileInfo(desk).size() > 0, qPrintable(err));
        QCOMPARE(testsupport::runApp({"--wall", url, "--screenshot", wall, "--size", "800x600"}, &err, 60000), 0);
        QVERIFY2(QFileInfo(wall).size() > 0, qPrintable(err));
        // colossus-twin's replica (the same path for the desk and the wall, resumed by the second).
        const QString replica = dir_.path() + "/cache/Colossus Twin/colossus-twin/replicas/127.0.0.1_" +
                                QString::number(server_.port()) + "_small.twin";
        QVERIFY2(QFileInfo::exists(replica), qPrintable(replica));
        auto r = StoreReader::open(replica.toStdString());
        QVERIFY(testsupport::frameCount(*r) > 0);
        QCOMPARE(QString::fromStdString(r->query("SELECT value FROM meta WHERE key = 'replica_of'").at(0).at(0)), url);

        // --compare with a followed twin, second and first: one screenshot each, exit 0.
        const QString local = dir_.filePath("writer.twin");
        const QString compareShot = dir_.filePath("compare.png");
        QCOMPARE(testsupport::runApp({local, "--compare", url, "--screenshot", compareShot, "--size", "800x600"}, &err, 60000), 0);
        QVERIFY2(QFileInfo(dir_.filePath("compare-compare.png")).size() > 0, qPrintable(err));
        QCOMPARE(testsupport::runApp({url, "--compare", local, "--screenshot", compareShot, "--size", "800x600"}, &err, 60000), 0);
        // An unreachable second twin: one line, exit 1.
        QCOMPARE(testsupport::runApp({local, "--compare", "nats://127.0.0.1:1/small"}, &err, 30000), 1);
        QVERIFY2(err.startsWith("colossus-twin: cannot connect to nats://127.0.0.1:1/small"), qPrintable(err));
        QCOMPARE(err.count('\n'), 0);
        // The compare window as main.cpp composes it: the followed side's legend names its source.
        colossus_twin::RemoteStore remote(address(server_, "small"));
        QCOMPARE(remote.start(15000), QString());
        twin::Session session;
        MainWindow window(session);
        QVERIFY(window.openStore(local, false));
        window.compareWith(remote.replicaPath());
        QVERIFY(window.compareWindow());
        window.compareWindow()->setSourceNames({}, remote.displayName());
        QVERIFY2(window.compareWindow()->legendText(true).endsWith("= " + url), qPrintable(window.compareWindow()->legendText(true)));
        QVERIFY2(window.compareWindow()->legendText(false).endsWith("= writer.twin"), qPrintable(window.compareWindow()->legendText(false)));
        QCOMPARE(window.compareWindow()->frequencyChart()->seriesName(1), "B " + url);
    }

    // The server stopped for 5 s mid-run and started again (its JetStream files kept): the
    // follower says it is disconnected, then resumes without a gap; the writer's backlog goes out.
    void resumesAfterServerRestart() {
        const auto a = address(server_, "restart");
        app_nats::NatsFollower follower(a, dir_.filePath("restart-follower.twin").toStdString());
        follower.start();
        const std::string writer = dir_.filePath("restart-writer.twin").toStdString();
        QProcess sim;
        startSim(sim, QString::fromStdString(writer), QString::fromStdString(a.display()), 32, 2);   // 16 s
        // The desk window on the same twin, as colossus-twin nats://... composes it (main.cpp).
        colossus_twin::RemoteStore remote(a);
        QCOMPARE(remote.start(15000), QString());
        QVERIFY(remote.replicaPath().startsWith(dir_.path() + "/cache/"));
        twin::Session session;
        MainWindow window(session);
        QVERIFY(window.openStore(remote.replicaPath(), false));
        session.clock().setLive(true);
        window.setRemoteSource([&remote] { return MainWindow::RemoteSourceState{remote.headerText(), remote.connected()}; });
        // The wall on it too (colossus-twin --wall nats://...): its title line names the source.
        twin::Session wallSession;
        wall::WallOptions wallOptions;
        wallOptions.store = remote.replicaPath();
        wallOptions.screens = 1;
        wallOptions.tourPeriodMs = 0;
        wallOptions.remoteSource = [&remote] { return wall::RemoteSource{remote.headerText(), remote.connected()}; };
        wall::WallApp wallApp(wallSession, wallOptions);
        QCOMPARE(wallApp.start(), QString());
        wall::WallWindow* wallWindow = wallApp.windows().front();
        QTRY_VERIFY_WITH_TIMEOUT(follower.status().streamSeq > 2, 15000);   // following
        QTRY_VERIFY_WITH_TIMEOUT(window.headerTitle()->text().contains(QString::fromStdString(a.display()) + " · up to date"), 5000);
        QVERIFY(window.headerMode()->text().contains("LIVE"));
        QTRY_VERIFY_WITH_TIMEOUT(wallWindow->sourceText().startsWith(QString::fromStdString(a.display()) + " · up to date"), 5000);
        QVERIFY2(!wallWindow->sourceText().contains(".twin"), qPrintable(wallWindow->sourceText()));   // not the replica's file
        QTRY_COMPARE_WITH_TIMEOUT(wallWindow->badgeWord(), QString::fromUtf8("● LIVE"), 5000);

        QVERIFY(server_.stop());
        QTRY_VERIFY_WITH_TIMEOUT(!follower.status().connected, 5000);
        const std::string text = app_nats::NatsFollower::describe(a, follower.status(), 0);
        QVERIFY2(QString::fromStdString(text).contains("DISCONNECTED"), text.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(window.headerMode()->text().contains("DISCONNECTED"), 5000);
        QVERIFY(window.headerTitle()->text().contains("DISCONNECTED, showing what it has"));
        QTRY_COMPARE_WITH_TIMEOUT(wallWindow->sourceText(), QString::fromStdString(a.display()) + " · DISCONNECTED, showing what it has", 3000);
        QTRY_COMPARE_WITH_TIMEOUT(wallWindow->badgeWord(), QString::fromUtf8("⚠ DISCONNECTED"), 3000);
        QVERIFY(wallWindow->badgeDetail().contains("DISCONNECTED"));
        const std::uint64_t during = follower.status().streamSeq;
        QTest::qWait(5000);
        QCOMPARE(follower.status().streamSeq, during);
        QVERIFY(session.isOpen());   // the window keeps what it has
        const QString error = server_.start(dir_.path());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        const std::string diff = waitForMatch(writer, follower);
        const auto st = follower.status();
        QVERIFY2(diff.empty(), (diff + " (follower at " + std::to_string(st.streamSeq) + ", " +
                                (st.connected ? "connected" : "disconnected") + ", " + st.problem + ")\n" +
                                output.toStdString()).c_str());
        QVERIFY(follower.status().connected);
        QCOMPARE(follower.status().counts.rejected, std::uint64_t(0));
        // The window's replica too, and its header and badge back to normal.
        auto w = StoreReader::open(writer);
        QTRY_COMPARE_WITH_TIMEOUT(session.clock().span().last, w->span().last, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.headerMode()->text().contains("LIVE"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.headerTitle()->text().contains(" · up to date"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(wallWindow->sourceText().startsWith(QString::fromStdString(a.display()) + " · up to date"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(wallWindow->badgeWord(), QString::fromUtf8("● LIVE"), 5000);
    }

    // A publisher stopped and another started on the same store (a writer's program restarted):
    // the second goes on from the stream's last commit, past a foreign message at the end of the
    // stream: it publishes only what is new, and the follower's replica equals the store.
    void publisherGoesOnFromTheStream() {
        const auto a = address(server_, "resumed");
        const std::string path = dir_.filePath("resumed.twin").toStdString();
        const Campus campus = loadCampusFile(testsupport::siteFile("small.json"));
        auto writer = StoreWriter::create(path, campus);
        sim::Simulator sim(campus, sim::scenario("turbine-trip", 10));
        sim.attach(*writer);
        writer->commit();
        std::uint64_t firstCommits = 0, firstBytes = 0;
        {
            app_nats::NatsPublisher first(a, path);
            first.start();
            for (int s = 1; s <= 8; ++s) {
                sim.run(s);
                writer->commit();
                first.poke();
                QThread::msleep(150);
            }
            first.stop();
            firstCommits = first.stats().commits;
            firstBytes = first.stats().bytes;
            QVERIFY(firstCommits >= 3);
        }
        {
            app_nats::Bus bus(a, "intruder");
            const std::string junk = "not a commit";
            natsConnection_Publish(bus.connection(), a.commitSubject().c_str(), junk.data(), int(junk.size()));
            natsConnection_Flush(bus.connection());
        }
        for (int s = 9; s <= 10; ++s) {   // written while no publisher runs
            sim.run(s);
            writer->commit();
        }
        writer->close();
        app_nats::NatsPublisher second(a, path);
        second.start();
        app_nats::NatsFollower follower(a, dir_.filePath("resumed-follower.twin").toStdString());
        follower.start();
        const std::string diff = waitForMatch(path, follower);
        QVERIFY2(diff.empty(), diff.c_str());
        second.stop();
        // The campus again and the 2 s of backlog (and the chunks close() wrote), not the 8 s
        // published before again (everything again would be more than the first published).
        QVERIFY2(second.stats().bytes < firstBytes,
                 qPrintable(QString("%1 bytes after %2").arg(second.stats().bytes).arg(firstBytes)));
        QCOMPARE(follower.status().counts.rejected, std::uint64_t(1));
    }

    // The stream's retention drops its head during the run (an operator's small MaxBytes): a
    // newcomer starts from the newest snapshot in the object store and the stream's tail, and its
    // replica equals the writer's store; a snapshot that does not check is not used, and a
    // follower then goes on from the stream alone.
    void newcomerStartsFromSnapshot() {
        const auto a = address(server_, "snap");
        {
            app_nats::Bus bus(a, "operator");
            bus.ensureStream({3600, 48 * 1024});
        }
        const std::string writer = dir_.filePath("snap-writer.twin").toStdString();
        QProcess sim;
        startSim(sim, QString::fromStdString(writer), QString::fromStdString(a.display()), 24, 4, {"--snapshot-every", "1"});
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        const auto made = QRegularExpression(R"(, (\d+) snapshots)").match(output);
        QVERIFY2(made.hasMatch() && made.captured(1).toInt() >= 2, qPrintable(output));

        app_nats::Bus bus(a, "checker");
        jsStreamInfo* si = nullptr;
        QCOMPARE(int(js_GetStreamInfo(&si, bus.js(), a.stream().c_str(), nullptr, nullptr)), int(NATS_OK));
        const std::uint64_t firstSeq = si->State.FirstSeq, lastSeq = si->State.LastSeq;
        jsStreamInfo_Destroy(si);
        QVERIFY2(firstSeq > 2, qPrintable(QString("the stream still starts at %1").arg(firstSeq)));   // the head is gone
        app_nats::SnapshotStore store(bus);
        const auto snap = store.latest();
        QVERIFY(snap);
        QVERIFY2(snap->streamSeq + 1 >= firstSeq && snap->streamSeq <= lastSeq,
                 qPrintable(QString("snapshot at %1, stream %2..%3").arg(snap->streamSeq).arg(firstSeq).arg(lastSeq)));

        app_nats::NatsFollower newcomer(a, dir_.filePath("snap-newcomer.twin").toStdString());
        newcomer.start();
        const std::string diff = waitForMatch(writer, newcomer);
        QVERIFY2(diff.empty(), (diff + " / " + newcomer.status().snapshotProblem).c_str());
        QCOMPARE(newcomer.status().snapshotSeq, snap->streamSeq);
        QCOMPARE(newcomer.status().counts.rejected, std::uint64_t(0));
        {
            auto r = StoreReader::open(newcomer.replicaPath());
            const auto rows = r->query("SELECT value FROM meta WHERE key = 'replica_snapshot'");
            QVERIFY(!rows.empty() && QString::fromStdString(rows.at(0).at(0)).contains(QString::fromStdString(snap->digest)));
        }
        newcomer.stop();

        // A description whose digest does not match its chunks: refused with the reason, and the
        // newcomer goes on from the stream (whose head is gone: it waits for a campus message).
        auto forged = *snap;
        forged.digest = "SHA-256=" + std::string(43, 'A') + "=";
        const std::string json = opscentre::encodeObjectMeta(forged);
        natsMsg* msg = nullptr;
        QCOMPARE(int(natsMsg_Create(&msg, opscentre::metaSubject(forged.bucket, forged.name).c_str(), nullptr, json.data(),
                                    int(json.size()))), int(NATS_OK));
        natsMsgHeader_Set(msg, "Nats-Rollup", "sub");
        jsPubAck* ack = nullptr;
        QCOMPARE(int(js_PublishMsg(&ack, bus.js(), msg, nullptr, nullptr)), int(NATS_OK));
        jsPubAck_Destroy(ack);
        natsMsg_Destroy(msg);
        app_nats::NatsFollower misled(a, dir_.filePath("snap-misled.twin").toStdString());
        misled.start();
        QTRY_VERIFY_WITH_TIMEOUT(!misled.status().snapshotProblem.empty(), 15000);
        QVERIFY2(QString::fromStdString(misled.status().snapshotProblem).contains("SHA-256 does not match"),
                 misled.status().snapshotProblem.c_str());
        QCOMPARE(misled.status().snapshotSeq, std::uint64_t(0));
        QVERIFY(!QFileInfo::exists(dir_.filePath("snap-misled.twin.download")));
        QVERIFY(!misled.status().downloading);
    }

    // colossus-ingest --publish: its store (frames every 200 ms, no GPU reporting) followed exactly.
    void ingestPublishes() {
        const auto a = address(server_, "ingest");
        const QString inventory = dir_.filePath("inventory.csv");
        QCOMPARE(QProcess::execute(kIngest, {"--write-inventory", inventory, "--site", "small"}), 0);
        const std::string writer = dir_.filePath("ingest.twin").toStdString();
        QProcess ingest;
        ingest.setProcessChannelMode(QProcess::MergedChannels);
        ingest.start(kIngest, {"--site", "small", "--inventory", inventory, "--out", QString::fromStdString(writer),
                               "--listen", "127.0.0.1:0", "--period", "0.2", "--publish",
                               QString::fromStdString(a.display())});
        QVERIFY(ingest.waitForStarted());
        app_nats::NatsFollower follower(a, dir_.filePath("ingest-follower.twin").toStdString());
        follower.start();
        QThread::msleep(2000);
        ingest.terminate();   // SIGTERM: it closes the store and publishes what is left
        QVERIFY(ingest.waitForFinished(20000));
        QCOMPARE(ingest.exitCode(), 0);
        const std::string diff = waitForMatch(writer, follower);
        QVERIFY2(diff.empty(), (diff + "\n" + ingest.readAll().toStdString()).c_str());
        auto w = StoreReader::open(writer);
        QVERIFY(testsupport::frameCount(*w) >= 5);
    }

    // colossus-twin nats://... with no server there: one line, exit 1.
    void unreachableServerOneLine() {
        QString err;
        const int code = testsupport::runApp({"nats://127.0.0.1:1/small"}, &err, 30000);
        QCOMPARE(code, 1);
        QVERIFY2(err.startsWith("colossus-twin: cannot connect to nats://127.0.0.1:1/small"), qPrintable(err));
        QCOMPARE(err.count('\n'), 0);
    }

    // Per-role credentials (the sample configuration of docs/opscentre.md): the writer publishes,
    // the viewer follows; a wrong password, or the writer's credentials used to follow, or the
    // viewer's to publish: refused, in one line where a person reads it.
    void credentials() {
        QTemporaryDir dir;
        testsupport::NatsServer secured;
        QString config;
        {
            QFile f(QString(TEST_SOURCE_DIR) + "/../docs/opscentre-server.conf");
            QVERIFY2(f.open(QIODevice::ReadOnly), "docs/opscentre-server.conf");
            config = QString::fromUtf8(f.readAll());
        }
        const QString error = secured.start(dir.path(), config);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString host = "127.0.0.1:" + QString::number(secured.port());
        const auto viewer = *opscentre::parseBusAddress(("nats://viewer:viewer-secret@" + host + "/demo").toStdString());
        app_nats::NatsFollower follower(viewer, dir.filePath("viewer.twin").toStdString());
        follower.start();
        const std::string writer = dir.filePath("writer.twin").toStdString();
        QProcess sim;
        startSim(sim, QString::fromStdString(writer), "nats://writer:writer-secret@" + host + "/demo", 6, 6);
        QString output;
        QVERIFY2(finish(sim, &output), qPrintable(output));
        const std::string diff = waitForMatch(writer, follower);
        QVERIFY2(diff.empty(), (diff + " / " + follower.status().problem).c_str());

        // The viewer may not publish on the twin's subjects (the server says so; nothing is stored).
        app_nats::Bus asViewer(viewer, "viewer publishing");
        jsPubAck* ack = nullptr;
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 2000;
        const std::string junk = "junk";
        QVERIFY(js_Publish(&ack, asViewer.js(), viewer.commitSubject().c_str(), junk.data(), int(junk.size()), &po,
                           nullptr) != NATS_OK);
        jsPubAck_Destroy(ack);
        QTRY_VERIFY_WITH_TIMEOUT(!asViewer.refusal().empty(), 5000);
        QThread::msleep(500);
        QCOMPARE(follower.status().counts.rejected, std::uint64_t(0));

        QString err;
        QCOMPARE(testsupport::runApp({"nats://viewer:wrong@" + host + "/demo"}, &err, 30000), 1);
        qInfo("%s", qPrintable(err));
        QCOMPARE(err, "colossus-twin: cannot connect to nats://" + host + "/demo: Authorization Violation");
        QCOMPARE(err.count('\n'), 0);
        QVERIFY2(!err.contains("wrong"), qPrintable(err));   // the password is not repeated
        QCOMPARE(testsupport::runApp({"nats://writer:writer-secret@" + host + "/demo"}, &err, 30000), 1);
        qInfo("%s", qPrintable(err));
        QVERIFY2(err.contains("refused by the server") && err.contains("Permissions Violation", Qt::CaseInsensitive),
                 qPrintable(err));
        QCOMPARE(err.count('\n'), 0);
    }

    // A server whose JetStream storage cannot reserve the stream's 8 GiB (max_file_store 64 MB):
    // the writer says so and what to change, in one line, exit 1 (libnats says only "Error").
    void fullJetStreamStorage() {
        QTemporaryDir dir;
        testsupport::NatsServer small;
        const QString error = small.start(dir.path(), "jetstream {\n  max_file_store: 64MB\n}\n");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString url = "nats://127.0.0.1:" + QString::number(small.port()) + "/full";
        QProcess sim;
        startSim(sim, dir.filePath("full.twin"), url, 4, 4);
        QVERIFY(sim.waitForFinished(20000));
        const QString out = QString::fromUtf8(sim.readAll()).trimmed();
        qInfo("%s", qPrintable(out));
        QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sim.exitCode(), 1);
        QVERIFY2(out.startsWith("colossus-sim: --publish: cannot create stream TWIN_full at " + url +
                                ": the server's JetStream storage cannot reserve another 8192 MiB (JetStream error 100") &&
                     out.contains("raise max_file_store"),
                 qPrintable(out));
        QCOMPARE(out.count('\n'), 0);
    }

    void cleanupTestCase() { server_.stop(); }

private:
    QTemporaryDir dir_;
    testsupport::NatsServer server_;
};

QTEST_MAIN(TestOpscentreNats)
#include "test_opscentre_nats.moc"
