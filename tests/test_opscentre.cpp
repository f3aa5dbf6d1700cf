// The operations centre's protocol without a network (docs/opscentre.md): a small-campus run
// written commit by commit, each commit read by the StoreTailer, encoded, cut into parts and fed
// to a Follower, whose replica must then hold exactly what the writer's store holds (through the
// StoreReader API); hostile and foreign bytes are rejected, counted and never applied.
#include "support/data_files.h"
#include "support/store_compare.h"

#include "twin/campus_file.h"
#include "twin/opscentre/bus_address.h"
#include "twin/opscentre/follower.h"
#include "twin/opscentre/snapshot.h"
#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"
#include "twin/sim/simulator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace twin;
using namespace twin::opscentre;

namespace {

// A writer's store, a tailer on it and the stream it "publishes" (the payloads in order).
struct Bus {
    std::vector<std::vector<std::uint8_t>> stream;   // stream sequence i + 1 at [i]
    Marks marks;
    std::uint64_t seq = 0;
    std::size_t maxPayload = 2048;   // small: a commit of frames goes out in several parts

    void publish(Kind kind, const Changes& c) {
        const auto body = encodeChanges(c);
        for (auto& part : splitIntoParts(kind, ++seq, body, maxPayload)) stream.push_back(std::move(part));
    }
    // What the store gained since the last call, if anything.
    bool tail(StoreTailer& t) {
        Changes c = t.since(marks);
        if (c.empty()) return false;
        marks = c.marks;
        publish(Kind::Commit, c);
        return true;
    }
    void feed(Follower& f, std::size_t from = 0) {
        for (std::size_t i = from; i < stream.size(); ++i) f.feed(stream[i], i + 1);
    }
};

// A short small-campus run, committed every simulated second, with events (one ended later)
// and a bookmark, tailed after every commit; `betweenCommitAndTail(s)` runs after second s is
// committed and before it is tailed.
void recordAndTail(const std::string& path, Bus& bus, int seconds = 12,
                   const std::function<void(int)>& betweenCommitAndTail = {}) {
    const Campus campus = loadCampusFile(testsupport::siteFile("small.json"));
    auto writer = StoreWriter::create(path, campus);
    sim::Simulator sim(campus, sim::scenario("turbine-trip", seconds));
    sim.attach(*writer);
    writer->commit();
    StoreTailer tailer(path);
    bus.publish(Kind::Campus, tailer.campus());
    std::int64_t open = 0;
    for (int s = 1; s <= seconds; ++s) {
        sim.run(s);
        if (s == 3) open = writer->addEvent({0, 1'000'000 + s * 1000, std::nullopt, Severity::Alarm, "", "test", "open"});
        if (s == 7) writer->endEvent(open, 1'000'000 + s * 1000);
        if (s == 5) writer->addBookmark({0, 1'000'000, "mark", "a note"});
        writer->commit();
        if (betweenCommitAndTail) betweenCommitAndTail(s);
        bus.tail(tailer);
    }
    writer->close();   // flushes the open chunks: the last commit
    bus.tail(tailer);
}

} // namespace

class TestOpscentre : public QObject {
    Q_OBJECT
private slots:
    // Addresses: one server or a cluster's several, nats:// or tls://, credentials kept out of
    // display(); each malformed form refused with its reason.
    void busAddresses() {
        auto one = parseBusAddress("nats://bus.example:4222/colossus");
        QVERIFY(one);
        QCOMPARE(one->host, std::string("bus.example"));
        QCOMPARE(one->port, 4222);
        QVERIFY(one->moreServers.empty() && !one->tls);
        QCOMPARE(one->display(), std::string("nats://bus.example:4222/colossus"));

        auto cluster = parseBusAddress("nats://writer:s3cr,t@10.0.0.1:4222,10.0.0.2,bus-3.example:4333/demo");
        QVERIFY(cluster);
        QCOMPARE(cluster->user, std::string("writer"));
        QCOMPARE(cluster->password, std::string("s3cr,t"));   // a comma in the password is not a server
        QCOMPARE(cluster->servers().size(), std::size_t(3));
        QCOMPARE(cluster->moreServers.at(0).port, 4222);       // the default port
        QCOMPARE(cluster->moreServers.at(1).host, std::string("bus-3.example"));
        QCOMPARE(cluster->display(), std::string("nats://10.0.0.1:4222,10.0.0.2:4222,bus-3.example:4333/demo"));
        QCOMPARE(cluster->serverUrls(), (std::vector<std::string>{"nats://10.0.0.1:4222", "nats://10.0.0.2:4222",
                                                                  "nats://bus-3.example:4333"}));

        auto secure = parseBusAddress("tls://viewer@127.0.0.1:4443/demo");
        QVERIFY(secure && secure->tls);
        QCOMPARE(secure->display(), std::string("tls://127.0.0.1:4443/demo"));
        QCOMPARE(secure->serverUrl(), std::string("nats://127.0.0.1:4443"));   // libnats takes TLS from an option
        QVERIFY(looksLikeBusAddress("tls://x/y") && looksLikeBusAddress("nats://x/y") && !looksLikeBusAddress("x.twin"));

        const std::pair<const char*, const char*> bad[] = {
            {"http://a:4222/t", "does not start with nats:// or tls://"},
            {"nats://a:4222", "no /TWIN"},
            {"nats://a:4222/", "the twin's name"},
            {"nats://a:4222/a.b", "the twin's name"},                          // a subject separator
            {"nats://:pw@a:4222/t", "an empty user name"},
            {"nats://a:4222,,b:4222/t", "an empty server in the list"},
            {"nats://a:4222,/t", "an empty server in the list"},               // a trailing comma
            {"nats://a:4222,:4223/t", "no host"},
            {"nats://a:4222,b:x/t", "the port of b is not a number"},
            {"nats://a:4222,b:70000/t", "the port of b is out of range"},
            {"nats://a:4222,b:0/t", "the port of b is out of range"},
            {"nats://a:4222,nats://b:4222/t", "is not a name or an IPv4 address"},   // one scheme for all
            {"nats://a b:4222/t", "is not a name or an IPv4 address"},
            {"nats://a:4222,b,a:4222/t", "a:4222 is listed twice"},
        };
        for (const auto& [text, reason] : bad) {
            std::string why;
            QVERIFY2(!parseBusAddress(text, &why), text);
            QVERIFY2(why.find(reason) != std::string::npos, (std::string(text) + " -> " + why).c_str());
            QVERIFY2(why.find('\n') == std::string::npos, why.c_str());
        }
    }

    void partsRoundTrip() {
        std::vector<std::uint8_t> body(100'000);
        for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<std::uint8_t>(i * 7);
        const auto parts = splitIntoParts(Kind::Commit, 9, body, 30'000);
        QCOMPARE(parts.size(), std::size_t(4));
        for (const auto& p : parts) QVERIFY(p.size() <= 30'000);
        Reassembler r;
        std::optional<Assembled> whole;
        for (const auto& p : parts) {
            QVERIFY(!whole);
            whole = r.add(p);
        }
        QVERIFY(whole);
        QCOMPARE(whole->seq, std::uint64_t(9));
        QVERIFY(whole->body == body);
    }

    void replicaMatchesWriter() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("writer.twin").toStdString();
        Bus bus;
        recordAndTail(src, bus);
        QVERIFY(bus.seq > 12);
        QVERIFY(bus.stream.size() > 2 * bus.seq);   // parts: the 2 KiB limit cut the commits
        Follower f(dir.filePath("replica.twin").toStdString(), "test://bus");
        bus.feed(f);
        QCOMPARE(f.counts().rejected, std::uint64_t(0));
        QCOMPARE(f.replica().streamSeq(), std::uint64_t(bus.stream.size()));
        auto a = StoreReader::open(src);
        auto b = StoreReader::open(f.replica().path());
        QCOMPARE(QString::fromStdString(testsupport::storeDifference(*a, *b)), QString());
        QVERIFY(testsupport::frameCount(*b) >= 12);
        const auto events = b->events(0, std::numeric_limits<TimeMs>::max() / 2);
        const auto ended = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.text == "open"; });
        QVERIFY(ended != events.end());
        QCOMPARE(ended->end.value_or(0), TimeMs(1'007'000));   // its end came in a later commit
    }

    // A follower that stops half-way and resumes (a new Follower on the same file) catches up.
    void resumesHalfWay() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("writer.twin").toStdString();
        Bus bus;
        recordAndTail(src, bus);
        const std::string replica = dir.filePath("replica.twin").toStdString();
        const std::size_t half = bus.stream.size() / 2;
        {
            Follower f(replica, "test://bus");
            for (std::size_t i = 0; i < half; ++i) f.feed(bus.stream[i], i + 1);
        }
        Follower g(replica, "test://bus");
        QVERIFY(g.resumeFrom() > 1 && g.resumeFrom() <= half + 1);
        bus.feed(g, g.resumeFrom() - 1);
        bus.feed(g, 0);   // everything again: duplicates, ignored
        QCOMPARE(g.counts().rejected, std::uint64_t(0));
        QVERIFY(g.counts().duplicates >= bus.stream.size());
        auto a = StoreReader::open(src);
        auto b = StoreReader::open(replica);
        QCOMPARE(QString::fromStdString(testsupport::storeDifference(*a, *b)), QString());
    }

    // Foreign and hostile messages: rejected, counted, the replica as it was.
    void hostileMessagesRejected() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("writer.twin").toStdString();
        Bus bus;
        recordAndTail(src, bus, 4);
        Follower f(dir.filePath("replica.twin").toStdString(), "test://bus");
        bus.feed(f);
        const std::uint64_t seqBefore = f.replica().streamSeq();
        auto before = StoreReader::open(f.replica().path());
        const std::size_t framesBefore = testsupport::frameCount(*before);

        std::vector<std::vector<std::uint8_t>> bad;
        bad.push_back({});                                                           // empty
        bad.push_back(std::vector<std::uint8_t>{'{', '"', 'x', '"', ':', '1', '}'});   // someone's JSON
        std::vector<std::uint8_t> noise(5000);
        std::uint32_t x = 12345;
        for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1664525 + 1013904223) >> 24);
        bad.push_back(noise);
        // Ours, but: a flipped body byte (CRC), another version, a truncated single part.
        Changes c;
        c.marks.frameRowid = 1;
        RowBlock frame;
        frame.table = Table::Frame;
        for (std::int64_t v : {std::int64_t(1), std::int64_t(0), std::int64_t(5'000'000'000), std::int64_t(5'000'000'000)}) {
            Value i; i.type = Value::Type::Int; i.i = v;
            frame.values.push_back(i);
        }
        Value blob;
        blob.type = Value::Type::Blob;
        blob.bytes = "not a segment";
        frame.values.push_back(blob);
        c.blocks.push_back(frame);
        auto good = splitIntoParts(Kind::Commit, 1000, encodeChanges(c)).front();
        auto flipped = good;
        flipped.back() ^= 0x40;
        bad.push_back(flipped);
        auto version = good;
        version[4] = 99;
        bad.push_back(version);
        bad.push_back(std::vector<std::uint8_t>(good.begin(), good.begin() + good.size() / 2));
        // Well formed, but a frame of a series the catalogue does not hold.
        c.blocks[0].values[0].i = 77;
        bad.push_back(splitIntoParts(Kind::Commit, 1001, encodeChanges(c)).front());
        // Well formed, but a text where an integer belongs.
        c.blocks[0].values[0].type = Value::Type::Text;
        c.blocks[0].values[0].bytes = "1";
        bad.push_back(splitIntoParts(Kind::Commit, 1002, encodeChanges(c)).front());

        std::uint64_t seq = bus.stream.size();
        for (const auto& m : bad) QCOMPARE(int(f.feed(m, ++seq)), int(Follower::Fed::Rejected));
        QCOMPARE(f.counts().rejected, std::uint64_t(bad.size()));
        QVERIFY(!f.counts().lastError.empty());
        QCOMPARE(f.replica().streamSeq(), seqBefore);
        auto after = StoreReader::open(f.replica().path());
        QCOMPARE(testsupport::frameCount(*after), framesBefore);
        QVERIFY(after->frameTimes(1, 4'999'999'999, 5'000'000'001).empty());
    }

    // A snapshot copied while the writer runs holds at least the stream up to the message it names
    // (here one commit more: copied after a commit that was not tailed yet); installed as a replica
    // and followed from the next message, the replica equals the writer's store.
    void snapshotThenTailMatchesWriter() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("writer.twin").toStdString();
        const std::string copy = dir.filePath("store.twin.snapshot").toStdString();
        Bus bus;
        std::uint64_t snapSeq = 0;
        recordAndTail(src, bus, 12, [&](int s) {
            if (s != 6) return;
            snapSeq = bus.stream.size();
            copyStore(src, copy);
        });
        QVERIFY(snapSeq > 2 && snapSeq < bus.stream.size());
        SnapshotMeta meta;
        meta.streamSeq = snapSeq;
        meta.publishedAtMs = 1234;
        const std::string replica = dir.filePath("replica.twin").toStdString();
        installSnapshot(copy, replica, meta, "test://bus");
        QVERIFY(!QFile::exists(QString::fromStdString(copy)));
        Follower f(replica, "test://bus");
        QCOMPARE(f.replica().streamSeq(), snapSeq);
        QCOMPARE(f.resumeFrom(), snapSeq + 1);
        bus.feed(f, snapSeq);
        QCOMPARE(f.counts().rejected, std::uint64_t(0));
        QVERIFY(f.counts().applied >= 6);   // the commits after the snapshot's
        QCOMPARE(f.replica().streamSeq(), std::uint64_t(bus.stream.size()));
        auto a = StoreReader::open(src);
        auto b = StoreReader::open(replica);
        QCOMPARE(QString::fromStdString(testsupport::storeDifference(*a, *b)), QString());
        QVERIFY(testsupport::frameCount(*b) >= 12);
    }

    // A downloaded file that is not a twin store never replaces the replica.
    void snapshotThatIsNotAStoreIsRefused() {
        QTemporaryDir dir;
        const std::string src = dir.filePath("writer.twin").toStdString();
        Bus bus;
        recordAndTail(src, bus, 3);
        const std::string replica = dir.filePath("replica.twin").toStdString();
        {
            Follower f(replica, "test://bus");
            bus.feed(f);
        }
        const std::string junk = dir.filePath("junk.download").toStdString();
        QFile j(QString::fromStdString(junk));
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write(QByteArray(100000, 'x'));
        j.close();
        SnapshotMeta meta;
        meta.streamSeq = 999999;
        QVERIFY_THROWS_EXCEPTION(Error, installSnapshot(junk, replica, meta, "test://bus"));
        Follower g(replica, "test://bus");
        QCOMPARE(g.replica().streamSeq(), std::uint64_t(bus.stream.size()));
        auto a = StoreReader::open(src);
        auto b = StoreReader::open(replica);
        QCOMPARE(QString::fromStdString(testsupport::storeDifference(*a, *b)), QString());
    }

    // The object store's description: NATS's layout, read back exactly; hostile ones refused.
    void objectMetaRoundTripAndChecks() {
        Sha256Digest d;
        d.add(std::vector<std::uint8_t>{'a', 'b'});
        d.add(std::vector<std::uint8_t>{'c'});
        QCOMPARE(QString::fromStdString(d.result()), QString("SHA-256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0="));
        QCOMPARE(QString::fromStdString(metaSubject("twin_demo", kSnapshotObject)), QString("$O.twin_demo.M.c3RvcmUudHdpbg=="));
        QCOMPARE(QString::fromStdString(chunkSubject("twin_demo", "ABC")), QString("$O.twin_demo.C.ABC"));
        QCOMPARE(QString::fromStdString(objectStream(snapshotBucket("demo"))), QString("OBJ_twin_demo"));
        const std::string nuid = newNuid();
        QCOMPARE(nuid.size(), std::size_t(22));
        QVERIFY(nuid != newNuid());

        SnapshotMeta m;
        m.bucket = "twin_demo";
        m.name = kSnapshotObject;
        m.nuid = nuid;
        m.size = 600'000;
        m.chunkSize = kSnapshotChunkSize;
        m.chunks = 3;
        m.digest = d.result();
        m.mtime = "2026-12-02T15:00:00.000Z";
        m.streamSeq = 4242;
        m.publishedAtMs = 1'764'000'000'123;
        const std::string json = encodeObjectMeta(m);
        const auto bytes = [](const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); };
        const SnapshotMeta back = decodeObjectMeta(bytes(json));
        QCOMPARE(back.nuid, m.nuid);
        QCOMPARE(back.size, m.size);
        QCOMPARE(back.chunks, m.chunks);
        QCOMPARE(back.chunkSize, m.chunkSize);
        QCOMPARE(back.digest, m.digest);
        QCOMPARE(back.streamSeq, m.streamSeq);
        QCOMPARE(back.publishedAtMs, m.publishedAtMs);
        // What other object store clients read: the fields of NATS's ObjectInfo.
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
        QCOMPARE(o["name"].toString(), QString("store.twin"));
        QCOMPARE(o["bucket"].toString(), QString("twin_demo"));
        QCOMPARE(o["size"].toInteger(), qint64(600'000));
        QCOMPARE(o["options"].toObject()["max_chunk_size"].toInteger(), qint64(kSnapshotChunkSize));

        auto edited = [&](const std::function<void(QJsonObject&)>& edit) {
            QJsonObject e = o;
            edit(e);
            return bytes(QJsonDocument(e).toJson().toStdString());
        };
        const std::vector<std::vector<std::uint8_t>> bad = {
            bytes("not json"),
            bytes("[1, 2]"),
            edited([](QJsonObject& e) { e.remove("nuid"); }),
            edited([](QJsonObject& e) { e["nuid"] = "../../etc"; }),
            edited([](QJsonObject& e) { e["size"] = -5; }),
            edited([](QJsonObject& e) { e["size"] = 1.5; }),
            edited([](QJsonObject& e) { e["chunks"] = 1; }),           // 600,000 bytes are not one chunk
            edited([](QJsonObject& e) { e["chunks"] = 1e15; }),
            edited([](QJsonObject& e) { e["digest"] = "MD5=abc"; }),
            edited([](QJsonObject& e) { e["digest"] = "SHA-256=short"; }),
            edited([](QJsonObject& e) { e["deleted"] = true; }),
            edited([](QJsonObject& e) { e.remove("headers"); }),
            edited([](QJsonObject& e) { e["headers"] = QJsonObject{{"Twin-Stream-Seq", QJsonArray{"-1"}}}; }),
            edited([](QJsonObject& e) { e["options"] = QJsonObject{{"max_chunk_size", 0}}; }),
        };
        for (std::size_t i = 0; i < bad.size(); ++i) {
            bool refused = false;
            try {
                decodeObjectMeta(bad[i]);
            } catch (const WireError& e) {
                refused = std::string(e.what()).find("snapshot") != std::string::npos;
            }
            QVERIFY2(refused, qPrintable(QString("bad description %1 not refused with a reason naming the snapshot").arg(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestOpscentre)
#include "test_opscentre.moc"
