// Damaged stores (docs/store.md, "Damaged stores"): each class of damage (a blob cut short,
// replaced by noise, emptied or NULL, in a frame, a key frame or a chunk; a page of telemetry
// overwritten) opens, shows every undamaged time with the values it had before the damage, falls
// back to the latest readable data at a damaged time, and reports exactly what is damaged;
// checkStore / `colossus-twin --check` lists it; salvage writes a clean store with everything
// readable. Damage to what every read needs (the campus) still refuses the store.
#include "support/app_process.h"
#include "support/data_files.h"
#include "support/folders.h"
#include "support/sql_file.h"

#include "twin/campus_file.h"
#include "twin/store.h"
#include "twin/store_check.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <set>

using namespace twin;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;
constexpr int kFrames = 2600, kPeriodMs = 100, kKeyInterval = 5;
constexpr TimeMs kEnd = kT0 + (kFrames - 1) * kPeriodMs;
constexpr char kScalarAsset[] = "testsite";

enum class Target { DeltaFrame, KeyFrame, ScalarChunk, ChannelChunk };
enum class Damage { Cut, Noise, Empty, Null };

// The clean store: racks (dense), three plant assets in two segments (columnar: per-channel
// chunks too), one scalar signal in chunks of 1,024 samples. Values vary with asset and time.
void writeCleanStore(const std::string& path) {
    const Campus campus = loadCampusFile(siteFile("small.json"));
    auto w = StoreWriter::create(path, campus);
    SeriesSpec racks{"rack", AssetSet::Racks, {}, {{"power", "W", 1}, {"inlet_temperature", "degC", 0.01}}, kPeriodMs,
                     kKeyInterval, 4, false};
    std::vector<std::string> plantAssets;
    for (const auto& a : campus.assets)
        if (plantAssets.size() < 3 && a.kind != AssetKind::Rack && a.kind != AssetKind::Site && !a.id.empty())
            plantAssets.push_back(a.id);
    SeriesSpec plant{"plant", AssetSet::List, plantAssets, {{"power", "MW", 0.001}}, kPeriodMs, kKeyInterval, 2, true};
    const int r = w->addSeries(racks), p = w->addSeries(plant);
    const int g = w->addSignal(kScalarAsset, "irradiance", "W/m2");
    const std::size_t nr = campus.racks().size();
    std::vector<float> power(nr), inlet(nr), mw(3);
    for (int f = 0; f < kFrames; ++f) {
        const TimeMs t = kT0 + f * kPeriodMs;
        for (std::size_t i = 0; i < nr; ++i) {
            power[i] = static_cast<float>(100'000 + 1'000 * static_cast<int>(i) + (f * 37 + static_cast<int>(i) * 11) % 500);
            inlet[i] = static_cast<float>(25.0 + 0.01 * ((f * 7 + static_cast<int>(i)) % 300));
        }
        for (std::size_t i = 0; i < 3; ++i) mw[i] = static_cast<float>(10.0 + 0.001 * ((f * 13 + static_cast<int>(i) * 101) % 5000));
        const std::span<const float> rq[] = {power, inlet};
        const std::span<const float> pq[] = {mw};
        w->writeFrame(r, t, rq);
        w->writeFrame(p, t, pq);
        w->writeSample(g, t, 500.0 + (f % 97));
    }
    w->close();
}

std::string hex(TimeMs t) { return std::to_string(t); }

// Applies `damage` to the blob chosen by `where` (an SQL condition on its table).
void damageBlob(const std::string& path, const std::string& table, const std::string& where, Damage damage) {
    switch (damage) {
    case Damage::Cut: sqliteExec(path, "UPDATE " + table + " SET data = substr(data, 1, length(data) / 2) WHERE " + where); break;
    case Damage::Noise: sqliteExec(path, "UPDATE " + table + " SET data = randomblob(length(data)) WHERE " + where); break;
    case Damage::Empty: sqliteExec(path, "UPDATE " + table + " SET data = x'' WHERE " + where); break;
    case Damage::Null:
        // The schema forbids it; another program (or a damaged page) can still leave one.
        sqliteExec(path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'data BLOB NOT NULL', "
                         "'data BLOB') WHERE name = '" + table + "';");
        sqliteExec(path, "UPDATE " + table + " SET data = NULL WHERE " + where);
        break;
    }
}

std::vector<TimeMs> framesOf(StoreReader& r, int series) { return r.frameTimes(series, kT0, kEnd); }

bool sameValues(const SeriesState& a, const SeriesState& b) { return a.values == b.values; }

std::vector<std::pair<TimeMs, double>> samplesOf(StoreReader& r, int signal) {
    std::vector<TimeMs> t;
    std::vector<double> v;
    r.signalSamples(signal, kT0, kEnd, t, v);
    std::vector<std::pair<TimeMs, double>> out;
    for (std::size_t i = 0; i < t.size(); ++i) out.emplace_back(t[i], v[i]);
    return out;
}

struct ProcessResult {
    int code = -1;
    QString out, err;
};

// colossus-twin without a display (these commands need none).
ProcessResult runHeadless(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = quietEnvironment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    p.setProcessEnvironment(env);
    p.start(appProgram(), args);
    ProcessResult r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestStoreDamage : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string clean_;
    std::unique_ptr<StoreReader> c_;
    int rack_ = 0, plant_ = 0, scalar_ = 0, channel_ = 0;

    std::string copyOfClean(const QString& name) {
        const std::string to = pathIn(dir_, name);
        fs::copy_file(clean_, to, fs::copy_options::overwrite_existing);
        return to;
    }

    // The chunk of `signal` starting at its second chunk's t0 (a chunk with one before it).
    std::pair<TimeMs, TimeMs> secondChunk(int signal) {
        const auto rows = c_->query("SELECT t0, t1 FROM chunk WHERE signal = " + std::to_string(signal) + " ORDER BY t0 LIMIT 1 OFFSET 1");
        if (rows.empty()) return {0, 0};
        return {std::stoll(rows[0][0]), std::stoll(rows[0][1])};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        clean_ = pathIn(dir_, "clean.twin");
        writeCleanStore(clean_);
        c_ = StoreReader::open(clean_);
        rack_ = c_->findSeries("rack");
        plant_ = c_->findSeries("plant");
        scalar_ = c_->findSignal(kScalarAsset, "irradiance");
        const auto& plantAssets = c_->series()[1].spec.assets;
        channel_ = c_->findSignal(plantAssets.at(1), "power");   // position 1: the plant's first segment holds 0, 1
        QVERIFY(rack_ > 0 && plant_ > 0 && scalar_ > 0 && channel_ > 0);
        QCOMPARE(framesOf(*c_, rack_).size(), std::size_t(kFrames));
        // Two full chunks and the rest: the damaged chunk has neighbours on both sides.
        QCOMPARE(c_->query("SELECT count(*) FROM chunk WHERE signal = " + std::to_string(scalar_))[0][0], std::string("3"));
        QVERIFY(c_->damage().empty());
    }

    void damagedBlobOpensAndSkipsIt_data() {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("damage");
        const std::pair<const char*, Target> targets[] = {{"delta frame", Target::DeltaFrame}, {"key frame", Target::KeyFrame},
                                                          {"scalar chunk", Target::ScalarChunk}, {"channel chunk", Target::ChannelChunk}};
        const std::pair<const char*, Damage> damages[] = {{"cut", Damage::Cut}, {"noise", Damage::Noise},
                                                          {"empty", Damage::Empty}, {"NULL", Damage::Null}};
        for (const auto& [tn, t] : targets)
            for (const auto& [dn, d] : damages)
                QTest::newRow((std::string(tn) + ", " + dn).c_str()) << static_cast<int>(t) << static_cast<int>(d);
    }

    void damagedBlobOpensAndSkipsIt() {
        QFETCH(int, target);
        QFETCH(int, damage);
        const auto tg = static_cast<Target>(target);
        const std::string path = copyOfClean(QString("damaged-%1-%2.twin").arg(target).arg(damage));
        // The frames a damaged frame makes unreadable: itself, or for a key frame every frame that needs it.
        const TimeMs tDelta = kT0 + 1203 * kPeriodMs, tKey = kT0 + 1200 * kPeriodMs;
        std::set<TimeMs> lost;
        int series = 0;
        std::pair<TimeMs, TimeMs> chunk{0, 0};
        switch (tg) {
        case Target::DeltaFrame:
            series = rack_;
            lost = {tDelta};
            damageBlob(path, "frame", "series = " + std::to_string(rack_) + " AND seg = 1 AND t = " + hex(tDelta), static_cast<Damage>(damage));
            break;
        case Target::KeyFrame:
            series = rack_;
            for (int i = 0; i < kKeyInterval; ++i) lost.insert(tKey + i * kPeriodMs);
            damageBlob(path, "frame", "series = " + std::to_string(rack_) + " AND seg = 1 AND t = " + hex(tKey), static_cast<Damage>(damage));
            break;
        case Target::ScalarChunk:
        case Target::ChannelChunk: {
            const int sig = tg == Target::ScalarChunk ? scalar_ : channel_;
            chunk = secondChunk(sig);
            QVERIFY(chunk.second > chunk.first);
            damageBlob(path, "chunk", "signal = " + std::to_string(sig) + " AND t0 = " + hex(chunk.first), static_cast<Damage>(damage));
            break;
        }
        }

        auto d = StoreReader::open(path);   // opens: the damage is local
        QVERIFY(d->damage().empty());       // nothing read yet

        // Every frame of every series: the same values as before the damage, or at a lost time
        // the latest readable frame before it, flagged.
        for (const int s : {rack_, plant_}) {
            const auto times = framesOf(*c_, s);
            TimeMs lastReadable = 0;
            for (const TimeMs t : times) {
                const auto got = d->seriesAt(s, t);
                QVERIFY(got.valid);
                if (s == series && lost.count(t)) {
                    QVERIFY2(got.damaged, qPrintable(QString("frame at %1 not flagged").arg(t)));
                    QCOMPARE(got.t, lastReadable);
                    QVERIFY(sameValues(got, c_->seriesAt(s, lastReadable)));
                } else {
                    QVERIFY(!got.damaged);
                    QCOMPARE(got.t, t);
                    QVERIFY2(sameValues(got, c_->seriesAt(s, t)), qPrintable(QString("values differ at %1").arg(t)));
                    lastReadable = t;
                }
            }
        }
        // A dense (not columnar) channel's range leaves a gap exactly at the lost frames of its
        // segment (racks 4 to 6: the damaged segment 1), none in the other segment; the columnar
        // plant's ranges come from its chunks and are complete.
        for (const std::int64_t pos : {1, 5}) {
            const auto before = c_->seriesRange(rack_, 0, pos, kT0, kEnd, kFrames * 2);
            const auto after = d->seriesRange(rack_, 0, pos, kT0, kEnd, kFrames * 2);
            std::vector<Bucket> expected;
            for (const auto& b : before)
                if (!(series == rack_ && pos == 5 && lost.count(b.first))) expected.push_back(b);
            QCOMPARE(after.size(), expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                QCOMPARE(after[i].first, expected[i].first);
                QCOMPARE(after[i].max, expected[i].max);
            }
        }
        QCOMPARE(d->seriesRange(plant_, 0, 1, kT0, kEnd, kFrames * 2).size(), std::size_t(kFrames));

        // Samples: a damaged scalar chunk's samples are gone, nothing else; a columnar channel's
        // damaged chunk loses nothing (its frames hold the same values).
        for (const int sig : {scalar_, channel_}) {
            auto expected = samplesOf(*c_, sig);
            if (tg == Target::ScalarChunk && sig == scalar_)
                std::erase_if(expected, [&](const auto& s) { return s.first >= chunk.first && s.first <= chunk.second; });
            QCOMPARE(samplesOf(*d, sig), expected);
        }
        if (tg == Target::ScalarChunk) {
            // Inside the damaged chunk, the latest value is the last sample before it.
            const auto at = d->signalAt(scalar_, chunk.first + 10 * kPeriodMs);
            QVERIFY(at.valid);
            QCOMPARE(at.t, chunk.first - kPeriodMs);
            QCOMPARE(at.value, c_->signalAt(scalar_, chunk.first - kPeriodMs).value);
        }

        // Reported once, exactly.
        const auto& found = d->damage();
        QCOMPARE(found.size(), std::size_t(1));
        const DamagedRange& r = found[0];
        switch (tg) {
        case Target::DeltaFrame:
            QCOMPARE(r.what, DamagedRange::What::Frame);
            QCOMPARE(r.series, rack_);
            QCOMPARE(r.name, std::string("rack"));
            QCOMPARE(r.first, tDelta);
            QCOMPARE(r.last, tDelta);
            break;
        case Target::KeyFrame:
            QCOMPARE(r.what, DamagedRange::What::KeyFrame);
            QCOMPARE(r.series, rack_);
            QCOMPARE(r.first, *lost.begin());
            QCOMPARE(r.last, *lost.rbegin());
            break;
        case Target::ScalarChunk:
        case Target::ChannelChunk:
            QCOMPARE(r.what, DamagedRange::What::Chunk);
            QCOMPARE(r.signal, tg == Target::ScalarChunk ? scalar_ : channel_);
            QCOMPARE(r.first, chunk.first);
            QCOMPARE(r.last, chunk.second);
            QCOMPARE(QString::fromStdString(r.problem).contains("read from the frames"), tg == Target::ChannelChunk);
            break;
        }
        QVERIFY(!r.problem.empty());

        // The check lists exactly that.
        const auto check = checkStore(path);
        QCOMPARE(check.verdict, StoreCheck::Verdict::Damaged);
        QCOMPARE(check.frames, std::int64_t(2 * kFrames));
        QCOMPARE(check.damagedFrames, static_cast<std::int64_t>(lost.size()));
        QCOMPARE(check.damagedChunks, std::int64_t(tg == Target::ScalarChunk || tg == Target::ChannelChunk ? 1 : 0));
        QCOMPARE(check.damage.size(), std::size_t(1));
        if (!lost.empty()) {
            QCOMPARE(check.damage[0].series, rack_);
            QCOMPARE(check.damage[0].first, *lost.begin());
            QCOMPARE(check.damage[0].last, *lost.rbegin());
        } else {
            QCOMPARE(check.damage[0].first, chunk.first);
            QCOMPARE(check.damage[0].last, chunk.second);
        }
        const QString report = QString::fromStdString(describeCheck(check));
        QVERIFY2(report.contains(lost.empty() ? "chunk" : "series 'rack' frames " + QString::fromStdString(formatUtc(*lost.begin()))),
                 qPrintable(report));

        // Salvage: a clean store holding every readable frame and sample.
        const std::string out = pathIn(dir_, QString("salvaged-%1-%2.twin").arg(target).arg(damage));
        const auto left = salvageStore(*StoreReader::open(path), out);
        // A columnar channel's chunk is rebuilt from the frames: the salvage leaves nothing out.
        QCOMPARE(left.size(), std::size_t(tg == Target::ChannelChunk ? 0 : 1));
        QCOMPARE(checkStore(out).verdict, StoreCheck::Verdict::Clean);
        auto s = StoreReader::open(out);
        for (const int id : {rack_, plant_}) {
            auto expected = framesOf(*c_, id);
            if (id == series) std::erase_if(expected, [&](TimeMs t) { return lost.count(t) != 0; });
            QCOMPARE(framesOf(*s, s->findSeries(id == rack_ ? "rack" : "plant")), expected);
            std::vector<std::vector<std::int32_t>> a, b;
            for (const TimeMs t : expected) {
                c_->frameQuantised(id, t, a);
                s->frameQuantised(s->findSeries(id == rack_ ? "rack" : "plant"), t, b);
                QVERIFY(a == b);
            }
        }
        QCOMPARE(samplesOf(*s, s->findSignal(kScalarAsset, "irradiance")), samplesOf(*d, scalar_));
        for (const auto& ch : c_->signalCatalogue())
            if (ch.id == channel_) QCOMPARE(samplesOf(*s, s->findSignal(ch.asset, "power")), samplesOf(*c_, channel_));
    }

    // A page of telemetry overwritten with noise, as a bad sector would: the frames on it are
    // reported, every other frame reads as before.
    void damagedPageOfFramesOpens() {
        const std::string path = copyOfClean("page.twin");
        // A leaf page of the frame table in the middle of the file.
        std::int64_t page = 0, pageSize = 0;
        {
            auto r = StoreReader::open(clean_);
            const auto leaves = r->query("SELECT pageno FROM dbstat WHERE name = 'frame' AND pagetype = 'leaf' ORDER BY pageno");
            QVERIFY2(leaves.size() >= 3, "the frame table needs several leaf pages");
            page = std::stoll(leaves[leaves.size() / 2][0]);
            pageSize = std::stoll(r->query("PRAGMA page_size")[0][0]);
        }
        {
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray noise(static_cast<int>(pageSize), '\0');
            for (int i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 11);
            QVERIFY(f.seek((page - 1) * pageSize));
            QCOMPARE(f.write(noise), static_cast<qint64>(pageSize));
        }
        auto d = StoreReader::open(path);
        std::set<std::pair<int, TimeMs>> flagged;
        for (const int s : {rack_, plant_})
            for (const TimeMs t : framesOf(*c_, s)) {
                const auto got = d->seriesAt(s, t);
                if (got.damaged) {
                    flagged.insert({s, t});
                    continue;
                }
                QCOMPARE(got.t, t);
                QVERIFY2(sameValues(got, c_->seriesAt(s, t)), qPrintable(QString("values differ at %1").arg(t)));
            }
        QVERIFY2(!flagged.empty(), "a damaged page of frames went unnoticed");
        QVERIFY(flagged.size() < std::size_t(kFrames));
        // The check counts the same frames, and SQLite's own check agrees that the file is damaged.
        const auto check = checkStore(path);
        QCOMPARE(check.verdict, StoreCheck::Verdict::Damaged);
        QCOMPARE(check.damagedFrames, static_cast<std::int64_t>(flagged.size()));
        QVERIFY(!check.sqliteProblems.empty());
        std::int64_t inRanges = 0;
        for (const auto& r : check.damage)
            if (r.what == DamagedRange::What::Frame)
                for (const auto& [s, t] : flagged) inRanges += (s == r.series && t >= r.first && t <= r.last);
        QCOMPARE(inRanges, static_cast<std::int64_t>(flagged.size()));
        const std::string out = pathIn(dir_, "page-salvaged.twin");
        salvageStore(*StoreReader::open(path), out);
        const auto again = checkStore(out);
        QCOMPARE(again.verdict, StoreCheck::Verdict::Clean);
        QCOMPARE(again.frames, static_cast<std::int64_t>(2 * kFrames - static_cast<int>(flagged.size())));
    }

    // What every read needs is still refused, naming the file.
    void damagedCampusIsRefused() {
        const std::string path = copyOfClean("campus.twin");
        sqliteExec(path, "DELETE FROM asset WHERE idx % 2 = 1");
        const auto check = checkStore(path);
        QCOMPARE(check.verdict, StoreCheck::Verdict::Refused);
        QVERIFY2(QString::fromStdString(check.refusal).contains(QString::fromStdString(path)), check.refusal.c_str());
    }

    // colossus-twin --check and --salvage, without a display: the report, the exit status by severity.
    void checkAndSalvageOnTheCommandLine() {
        const QString clean = QString::fromStdString(clean_);
        auto r = runHeadless({"--check", clean});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("clean"), qPrintable(r.out + r.err));

        const std::string path = copyOfClean("cli.twin");
        const TimeMs t = kT0 + 777 * kPeriodMs;
        damageBlob(path, "frame", "series = " + std::to_string(rack_) + " AND seg = 0 AND t = " + hex(t), Damage::Noise);
        r = runHeadless({"--check", QString::fromStdString(path)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.contains("1 of " + QString::number(2 * kFrames) + " frames"), qPrintable(r.out));
        QVERIFY2(r.out.contains("series 'rack' frames " + QString::fromStdString(formatUtc(t)) + ":"), qPrintable(r.out));

        const QString out = QString::fromStdString(pathIn(dir_, "cli-salvaged.twin"));
        r = runHeadless({"--salvage", out, QString::fromStdString(path)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.contains("rack") && r.out.contains(QString::fromStdString(formatUtc(t))), qPrintable(r.out));
        r = runHeadless({"--check", out});
        QCOMPARE(r.code, 0);
        // A salvage never replaces a file.
        r = runHeadless({"--salvage", out, QString::fromStdString(path)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));

        const std::string refused = copyOfClean("cli-refused.twin");
        sqliteExec(refused, "DELETE FROM asset WHERE idx % 2 = 1");
        r = runHeadless({"--check", QString::fromStdString(refused)});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QString::fromStdString(refused)), qPrintable(r.err));
        r = runHeadless({"--check"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--check needs a STORE"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestStoreDamage)
#include "test_store_damage.moc"
