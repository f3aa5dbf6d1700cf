// Review files (bookmarks and notes beside a read-only recording) and slice export: persistence,
// the recording left byte for byte unchanged, identity and version checks, read-only folders,
// and slices that hold exactly the source's data over their range.
#include "support/data_files.h"
#include "support/expect_error.h"
#include "support/file_hash.h"
#include "support/folders.h"
#include "support/recordings.h"
#include "support/sql_file.h"

#include "twin/query/series_query.h"
#include "twin/campus_file.h"
#include "twin/review_file.h"
#include "twin/slice_export.h"
#include "twin/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace twin;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

bool exists(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

QString bucketText(const Bucket& b) {
    return QString("[%1..%2 n=%3 min=%4 max=%5 first=%6 last=%7 sum=%8]")
        .arg(b.first).arg(b.last).arg(b.count).arg(b.min, 0, 'g', 17).arg(b.max, 0, 'g', 17)
        .arg(b.firstValue, 0, 'g', 17).arg(b.lastValue, 0, 'g', 17).arg(b.sum, 0, 'g', 17);
}

// Exact equality of two reductions (every field).
void compareBuckets(const std::vector<Bucket>& a, const std::vector<Bucket>& b, const char* what) {
    QVERIFY2(a.size() == b.size(), qPrintable(QString("%1: %2 vs %3 buckets").arg(what).arg(a.size()).arg(b.size())));
    for (std::size_t i = 0; i < a.size(); ++i) {
        const bool same = a[i].first == b[i].first && a[i].last == b[i].last && a[i].count == b[i].count &&
                          a[i].min == b[i].min && a[i].max == b[i].max && a[i].firstValue == b[i].firstValue &&
                          a[i].lastValue == b[i].lastValue && a[i].sum == b[i].sum;
        QVERIFY2(same, qPrintable(QString("%1, bucket %2: %3 vs %4").arg(what).arg(i).arg(bucketText(a[i]), bucketText(b[i]))));
    }
}

} // namespace

class TestReview : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string src_;           // turbine-trip on the small campus (30 s), plus a scalar signal, events, bookmarks
    std::string busId_;
    TimeSpan span_;
    TimeMs t0_ = 0, t1_ = 0;    // the slice range of the slice tests

    std::string tmp(const std::string& name) { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

    // A copy of the source recording (its own review files start empty).
    std::string copyOfSource(const std::string& name) {
        const std::string path = tmp(name);
        std::error_code ec;
        fs::copy_file(src_, path, fs::copy_options::overwrite_existing, ec);
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        src_ = tmp("trip.twin");   // a copy of the shared trip-30: the test adds to it
        QVERIFY(copyRecording(recordings::kTrip30, src_));
        TimeSpan sim;
        {
            auto r = StoreReader::open(src_);
            sim = r->span();
            busId_ = r->campus().assets[r->campus().assetsOfKind(AssetKind::Bus).front()].id;
        }
        QVERIFY(!sim.empty);
        const TimeMs s = sim.first;
        // What another program may add to a recording: a scalar signal as plain rows, an event
        // that crosses the slice's start, one after its end, an open one inside, two bookmarks.
        std::string sql = "BEGIN; INSERT INTO signal(asset, quantity, unit) VALUES('" + busId_ + "', 'voltage', 'kV');";
        for (int i = 0; i < 300; ++i)
            sql += "INSERT INTO sample(signal, t, value) SELECT id, " + std::to_string(s + 50 + i * 100) + ", " +
                   std::to_string(13.8 + 0.001 * (i % 17)) + " FROM signal WHERE quantity = 'voltage';";
        sql += "INSERT INTO event(t_start, t_end, severity, asset, kind, text) VALUES(" + std::to_string(s + 2000) +
               ", " + std::to_string(s + 8000) + ", 'warning', '', 'test_cross', 'crosses the slice start');";
        sql += "INSERT INTO event(t_start, t_end, severity, asset, kind, text) VALUES(" + std::to_string(s + 20000) +
               ", " + std::to_string(s + 21000) + ", 'info', '', 'test_after', 'after the slice');";
        sql += "INSERT INTO event(t_start, severity, asset, kind, text) VALUES(" + std::to_string(s + 6000) +
               ", 'alarm', '', 'test_open', 'open event inside');";
        sql += "INSERT INTO bookmark(t, name, note) VALUES(" + std::to_string(s + 12000) + ", 'trip aftermath', 'look here');";
        sql += "INSERT INTO bookmark(t, name, note) VALUES(" + std::to_string(s + 25000) + ", 'late', '');";
        sql += "COMMIT;";
        sqliteExec(src_, sql);
        auto r = StoreReader::open(src_);
        span_ = r->span();
        t0_ = span_.first + 5250;
        t1_ = span_.first + 17'250;
        QVERIFY(r->findSignal(busId_, "voltage") > 0);
        QCOMPARE(r->bookmarks().size(), std::size_t(2));
    }

    // --- review files ---

    void openDoesNotCreateAndListsRecordingBookmarks() {
        const std::string rec = copyOfSource("open.twin");
        auto rv = ReviewFile::open(rec);
        QCOMPARE(rv->path(), rec + ".review");
        auto list = rv->bookmarks();
        QCOMPARE(list.size(), std::size_t(2));
        QVERIFY(list[0].readOnly());
        QCOMPARE(list[0].origin, BookmarkOrigin::Recording);
        QVERIFY(list[0].id <= 0);
        QCOMPARE(list[0].name, std::string("trip aftermath"));
        QCOMPARE(list[0].note, std::string("look here"));
        QVERIFY(rv->eventNotes().empty());
        QVERIFY(!rv->exists());
        QVERIFY(!exists(rec + ".review"));
        QVERIFY(rv->writable());
        QCOMPARE(rv->identity().fileName, std::string("open.twin"));
        QVERIFY(rv->identity().firstFrame.has_value());
        QCOMPARE(rv->identity().fingerprint.size(), std::size_t(64));
    }

    void bookmarksSurviveReopenRenameRemove() {
        const std::string rec = copyOfSource("marks.twin");
        const TimeMs s = span_.first;
        std::int64_t a = 0, b = 0, c = 0;
        {
            auto rv = ReviewFile::open(rec);
            b = rv->addBookmark(s + 20'000, "second", "after the trip");
            a = rv->addBookmark(s + 3'000, "first", "before the trip");
            c = rv->addBookmark(s + 12'000, "same time as the recording's", "");
            QVERIFY(a > 0 && b > 0 && c > 0 && a != b && b != c);
            QVERIFY(rv->exists());
        }
        {
            auto rv = ReviewFile::open(rec);
            const auto list = rv->bookmarks();
            QCOMPARE(list.size(), std::size_t(5));
            // Sorted by time; at equal times the recording's first.
            const std::vector<std::string> names = {"first", "trip aftermath", "same time as the recording's", "second", "late"};
            for (std::size_t i = 0; i < names.size(); ++i) QCOMPARE(list[i].name, names[i]);
            QCOMPARE(list[0].id, a);
            QCOMPARE(list[0].t, s + 3'000);
            QCOMPARE(list[0].note, std::string("before the trip"));
            QCOMPARE(list[0].origin, BookmarkOrigin::Review);
            QVERIFY(list[1].readOnly());
            QCOMPARE(list[3].note, std::string("after the trip"));
            QCOMPARE(rv->bookmarks(s + 10'000, s + 21'000).size(), std::size_t(3));
            QCOMPARE(rv->bookmark(b)->name, std::string("second"));
            QVERIFY(!rv->bookmark(9999).has_value());
            QCOMPARE(rv->bookmark(list[1].id)->name, std::string("trip aftermath"));

            rv->renameBookmark(a, "first look");
            rv->setBookmarkNote(a, "governor response");
            rv->moveBookmark(b, s + 22'000);
            rv->removeBookmark(c);
            // Refusals: the recording's bookmarks, unknown ids, empty names.
            expectError([&] { rv->renameBookmark(list[1].id, "x"); }, rv->path(), "read-only");
            expectError([&] { rv->removeBookmark(list[1].id); }, rv->path(), "read-only");
            expectError([&] { rv->renameBookmark(c, "gone"); }, rv->path(), "no bookmark with id");
            expectError([&] { rv->removeBookmark(c); }, rv->path(), "no bookmark with id");
            expectError([&] { rv->renameBookmark(a, ""); }, rv->path(), "needs a name");
            expectError([&] { rv->addBookmark(s, ""); }, rv->path(), "needs a name");
        }
        auto rv = ReviewFile::open(rec);
        const auto list = rv->bookmarks();
        QCOMPARE(list.size(), std::size_t(4));
        QCOMPARE(list[0].name, std::string("first look"));
        QCOMPARE(list[0].note, std::string("governor response"));
        QCOMPARE(list[2].name, std::string("second"));
        QCOMPARE(list[2].t, s + 22'000);
        for (const auto& x : list) QVERIFY(x.id != c);
        // A removed id is not reused.
        QVERIFY(rv->addBookmark(s, "again") > c);
        // The review file deleted while open: the recording's bookmarks remain, a new file starts.
        QVERIFY(fs::remove(rv->path()));
        QCOMPARE(rv->bookmarks().size(), std::size_t(2));
        rv->addBookmark(s + 1, "fresh start");
        QCOMPARE(ReviewFile::open(rec)->bookmarks().size(), std::size_t(3));
    }

    void eventNotes() {
        const std::string rec = copyOfSource("notes.twin");
        {
            auto rv = ReviewFile::open(rec);
            rv->setEventNote(3, "first note");
            rv->setEventNote(3, "changed note");
            rv->setEventNote(5, "another");
            rv->setEventNote(7, "to remove");
            rv->setEventNote(7, "");
        }
        auto rv = ReviewFile::open(rec);
        QCOMPARE(rv->eventNote(3), std::string("changed note"));
        QCOMPARE(rv->eventNote(7), std::string());
        const auto all = rv->eventNotes();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all.at(5), std::string("another"));
    }

    // An acknowledgement (who, when) is kept in the review file and read back after a restart;
    // the first one of an event stands.
    void acknowledgementsSurviveReopen() {
        const std::string rec = copyOfSource("acks.twin");
        const QByteArray before = fileHash(rec);
        const TimeMs at = 1'790'000'123'456;
        {
            auto rv = ReviewFile::open(rec);
            QVERIFY(!rv->acknowledgement(3));
            QVERIFY(rv->acknowledge(3, "alice", at));
            QVERIFY(!rv->acknowledge(3, "bob", at + 5000));   // already acknowledged: kept
            QVERIFY(rv->acknowledge(5, "bob", at + 7000));
            expectError([&] { rv->acknowledge(6, "", at); }, rv->path(), "name of who acknowledges");
        }
        auto rv = ReviewFile::open(rec);   // as after a restart of the program
        QCOMPARE(rv->schemaVersion(), 2);
        const auto a = rv->acknowledgement(3);
        QVERIFY(a);
        QCOMPARE(a->by, std::string("alice"));
        QCOMPARE(a->at, at);
        const auto all = rv->acknowledgements();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all.at(5).by, std::string("bob"));
        QCOMPARE(all.at(5).at, at + 7000);
        QVERIFY(!rv->acknowledgement(6));
        QCOMPARE(fileHash(rec), before);   // the recording is never written
    }

    // A review file of version 1 (no acknowledgement table) opens and reads as one without
    // acknowledgements; the first acknowledgement adds the table and raises the version to 2.
    void versionOneReviewFileOpensAndUpgrades() {
        const std::string rec = copyOfSource("v1.twin");
        const std::string review = ReviewFile::sidecarPath(rec);
        {
            auto rv = ReviewFile::open(rec);
            rv->addBookmark(span_.first + 1000, "kept");
            rv->setEventNote(4, "a note");
        }
        // What version 1 wrote: the same without event_ack.
        sqliteExec(review, "DROP TABLE event_ack; PRAGMA user_version = 1; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        {
            auto rv = ReviewFile::open(rec);
            QCOMPARE(rv->schemaVersion(), 1);
            QVERIFY(rv->acknowledgements().empty());
            QVERIFY(!rv->acknowledgement(4));
            QCOMPARE(rv->bookmarks().size(), std::size_t(3));
            QVERIFY(rv->acknowledge(4, "carol", 1'790'000'000'000));
        }
        auto rv = ReviewFile::open(rec);
        QCOMPARE(rv->schemaVersion(), 2);
        QCOMPARE(rv->acknowledgement(4)->by, std::string("carol"));
        QCOMPARE(rv->eventNote(4), std::string("a note"));
        QCOMPARE(rv->bookmarks().size(), std::size_t(3));
    }

    // A live store: the acknowledgement goes to the review file beside it (the viewer never
    // writes the store) while the writer goes on, and is read back once everything restarted.
    void liveStoreAcknowledgementsSurviveRestart() {
        const std::string live = tmp("live.twin");
        const Campus campus = loadCampusFile(siteFile("small.json"));
        const TimeMs t0 = 1'790'000'000'000;
        WriterOptions wo;
        wo.overwrite = true;
        auto w = StoreWriter::create(live, campus, wo);
        const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 256, false});
        std::vector<float> power(static_cast<std::size_t>(campus.gpuCount()), 400.f);
        const std::span<const float> q[] = {power};
        w->writeFrame(gpu, t0, q);
        const auto alarm = w->addEvent({0, t0 + 500, std::nullopt, Severity::Alarm, campus.assets[campus.racks().front()].id,
                                        "rack_hot", "Rack inlet hot"});
        w->commit();
        {
            auto reader = StoreReader::open(live);
            auto rv = ReviewFile::open(*reader);
            QCOMPARE(rv->path(), live + ".review");
            QVERIFY(rv->acknowledge(alarm, "dave", t0 + 2000));
            // The writer goes on meanwhile.
            w->writeFrame(gpu, t0 + 1000, q);
            w->endEvent(alarm, t0 + 1500);
            w->commit();
            QCOMPARE(rv->acknowledgement(alarm)->by, std::string("dave"));
        }
        w->close();
        w.reset();
        auto reader = StoreReader::open(live);
        QVERIFY(reader->query("SELECT name FROM sqlite_schema WHERE name = 'event_ack'").empty());
        auto rv = ReviewFile::open(*reader);
        const auto a = rv->acknowledgement(alarm);
        QVERIFY(a);
        QCOMPARE(a->by, std::string("dave"));
        QCOMPARE(a->at, t0 + 2000);
    }

    void recordingBytesUnchanged() {
        const std::string rec = copyOfSource("bytes.twin");
        const QByteArray before = fileHash(rec);
        QVERIFY(!before.isEmpty());
        {
            auto reader = StoreReader::open(rec);
            auto rv = ReviewFile::open(*reader);
            const auto id = rv->addBookmark(span_.first + 1000, "mark", "note");
            rv->renameBookmark(id, "renamed");
            rv->setEventNote(1, "checked");
            rv->addBookmark(span_.first + 2000, "another");
            rv->removeBookmark(id);
            QCOMPARE(rv->bookmarks().size(), std::size_t(3));
        }
        QCOMPARE(fileHash(rec), before);
        QVERIFY(exists(rec + ".review"));
        QVERIFY(!exists(rec + ".review-journal"));
    }

    void otherRecordingRefused() {
        const std::string rec = copyOfSource("mine.twin");
        {
            auto rv = ReviewFile::open(rec);
            rv->addBookmark(span_.first + 1000, "mine");
        }
        const std::string sidecar = ReviewFile::sidecarPath(rec);
        // Another recording of the same campus, an hour later.
        const std::string other = tmp("other.twin");
        sim::Params p = sim::scenario("steady-training", 10);
        p.start += 3'600'000;
        recordScenario("small.json", p, 10, other);
        expectError([&] { ReviewFile::openAt(sidecar, other); }, sidecar, "belongs to another recording");
        // Also at the other recording's default place (copied there by mistake).
        std::error_code ec;
        fs::copy_file(sidecar, other + ".review", ec);
        QVERIFY(!ec);
        expectError([&] { ReviewFile::open(other); }, other + ".review", "belongs to another recording");
        // The same recording under another name, given the review file explicitly: refused with a hint.
        const std::string renamed = copyOfSource("renamed.twin");
        expectError([&] { ReviewFile::openAt(sidecar, renamed); }, sidecar,
                    "rename its review file to 'renamed.twin.review' too");
        // Renamed together with its review file: accepted, and the new name is recorded.
        fs::copy_file(sidecar, renamed + ".review", ec);
        QVERIFY(!ec);
        {
            auto rv = ReviewFile::open(renamed);
            QCOMPARE(rv->bookmarks().size(), std::size_t(3));
            rv->addBookmark(span_.first + 2000, "after renaming");
        }
        auto rv = ReviewFile::openAt(renamed + ".review", renamed);
        QCOMPARE(rv->bookmarks().size(), std::size_t(4));
        // The recording itself is not a review file.
        expectError([&] { ReviewFile::openAt(rec, rec); }, rec, "recording itself");
        expectError([&] { ReviewFile::openAt(other, rec); }, other, "twin store");
    }

    void badReviewFilesRefused() {
        const std::string rec = copyOfSource("bad.twin");
        const std::string good = tmp("good.review");
        {
            auto rv = ReviewFile::openAt(good, rec);
            rv->addBookmark(span_.first, "bookmark 0", std::string(300, 'n'));
        }
        // Enough rows for several pages (one transaction: each edit of the API is durable, ~10 ms).
        std::string rows = "BEGIN;";
        for (int i = 1; i < 200; ++i)
            rows += "INSERT INTO bookmark(t, name, note) VALUES(" + std::to_string(span_.first + i) + ", 'bookmark " +
                    std::to_string(i) + "', '" + std::string(300, 'n') + "');";
        sqliteExec(good, rows + "COMMIT;");
        QCOMPARE(ReviewFile::openAt(good, rec)->bookmarks().size(), std::size_t(202));
        auto copy = [&](const std::string& name) {
            const std::string p = tmp(name);
            std::error_code ec;
            fs::copy_file(good, p, fs::copy_options::overwrite_existing, ec);
            return p;
        };
        // A newer version.
        const std::string newer = copy("newer.review");
        sqliteExec(newer, "PRAGMA user_version = " + std::to_string(ReviewFile::kSchemaVersion + 1));
        expectError([&] { ReviewFile::openAt(newer, rec); }, newer,
                    "newer Colossus Twin (review file version " + std::to_string(ReviewFile::kSchemaVersion + 1));
        // Another program's SQLite file.
        const std::string foreign = tmp("foreign.review");
        sqliteExec(foreign, "CREATE TABLE x(a); INSERT INTO x VALUES(1)");
        expectError([&] { ReviewFile::openAt(foreign, rec); }, foreign, "not a Colossus Twin review file");
        // Not SQLite at all.
        const std::string text = tmp("text.review");
        {
            std::ofstream(text) << std::string(200, 'x');
        }
        expectError([&] { ReviewFile::openAt(text, rec); }, text, "not an SQLite database");
        // Corrupted pages.
        const std::string corrupt = copy("corrupt.review");
        {
            std::fstream f(corrupt, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(4096 * 3);
            const std::string junk(4096 * 4, '\x5a');
            f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        }
        expectError([&] { ReviewFile::openAt(corrupt, rec); }, corrupt, "corrupt");
        // A folder.
        expectError([&] { ReviewFile::openAt(dir_.path().toStdString(), rec); }, dir_.path().toStdString(), "folder");
        // A missing recording.
        expectError([&] { ReviewFile::open(tmp("missing.twin")); }, tmp("missing.twin"), "no such file");
        // An empty file (creation interrupted) is a new review file.
        const std::string empty = tmp("empty.review");
        {
            std::ofstream e(empty);
        }
        auto rv = ReviewFile::openAt(empty, rec);
        QCOMPARE(rv->bookmarks().size(), std::size_t(2));
        rv->addBookmark(span_.first, "first in an empty file");
        QCOMPARE(ReviewFile::openAt(empty, rec)->bookmarks().size(), std::size_t(3));
    }

    void readOnlyFolder() {
        const std::string folder = tmp("ro");
        fs::create_directories(folder);
        const std::string rec = folder + "/trip.twin";
        std::error_code ec;
        fs::copy_file(src_, rec, ec);
        QVERIFY(!ec);
        const QByteArray before = fileHash(rec);
        // A review file in a folder that does not exist cannot be created: a clear error.
        const std::string nowhere = tmp("no-such-folder/x.review");
        {
            auto rv = ReviewFile::openAt(nowhere, rec);
            QVERIFY(!rv->writable());
            expectError([&] { rv->addBookmark(span_.first, "x"); }, nowhere, "does not exist");
        }
        if (!makeReadOnly(folder)) QSKIP("cannot make a folder read-only here (chattr unavailable)");
        struct Restore {
            std::string dir;
            ~Restore() { makeWritable(dir); }
        } restore{folder};
        {
            auto rv = ReviewFile::open(rec);   // opens the recording too, read-only
            QCOMPARE(rv->bookmarks().size(), std::size_t(2));
            QVERIFY(!rv->writable());
            QVERIFY(QString::fromStdString(rv->writeProblem()).contains("not writable"));
            expectError([&] { rv->addBookmark(span_.first, "x"); }, rec + ".review", "not writable");
            QVERIFY(!exists(rec + ".review"));
            // The recording reads normally.
            QVERIFY(rv->recording().stateAt(span_.first + 3000).series.front().valid);
        }
        // An existing review file in a read-only folder is read, not written.
        makeWritable(folder);
        {
            auto rv = ReviewFile::open(rec);
            rv->addBookmark(span_.first + 500, "written before");
        }
        QVERIFY(makeReadOnly(folder));
        auto rv = ReviewFile::open(rec);
        QCOMPARE(rv->bookmarks().size(), std::size_t(3));
        QVERIFY(!rv->writable());
        expectError([&] { rv->addBookmark(span_.first, "y"); }, rec + ".review", "not writable");
        QCOMPARE(rv->bookmarks().size(), std::size_t(3));
        rv.reset();
        makeWritable(folder);
        QCOMPARE(fileHash(rec), before);
    }

    // --- slices ---

    void sliceHoldsExactlyTheRange() {
        const std::string out = tmp("slice.twin");
        auto src = StoreReader::open(src_);
        // Review bookmarks inside and outside the range travel with SliceOptions::review.
        const std::string rec = copyOfSource("sliced.twin");
        auto reader = StoreReader::open(rec);
        auto rv = ReviewFile::open(*reader);
        rv->addBookmark(span_.first + 6000, "review inside", "n1");
        rv->addBookmark(span_.first + 28'000, "review outside");
        SliceOptions o;
        o.review = rv.get();
        std::vector<double> fractions;
        QElapsedTimer timer;
        timer.start();
        exportSlice(*reader, out, t0_, t1_, o, [&](double f) {
            fractions.push_back(f);
            return true;
        });
        const auto ms = timer.elapsed();
        std::int64_t frames = 0;
        for (const auto& s : src->series()) frames += static_cast<std::int64_t>(src->frameTimes(s.id, t0_, t1_).size());
        qInfo("slice export of %.1f s of the small campus (%lld frames of %zu series, %lld GPUs): %lld ms, %lld bytes",
              (t1_ - t0_) / 1000.0, static_cast<long long>(frames), src->series().size(),
              static_cast<long long>(src->campus().gpuCount()), static_cast<long long>(ms),
              static_cast<long long>(fs::file_size(out)));
        QVERIFY(!exists(out + ".part"));
        QVERIFY(!fractions.empty());
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));

        auto sl = StoreReader::open(out);
        // Campus, catalogue, jobs.
        QCOMPARE(sl->campus().name, src->campus().name);
        QCOMPARE(sl->campus().assets.size(), src->campus().assets.size());
        QCOMPARE(sl->campus().gpuCount(), src->campus().gpuCount());
        QCOMPARE(sl->series().size(), src->series().size());
        for (std::size_t i = 0; i < src->series().size(); ++i) {
            const auto& a = src->series()[i];
            const auto& b = sl->series()[i];
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.spec.name, a.spec.name);
            QCOMPARE(b.spec.assetSet, a.spec.assetSet);
            QCOMPARE(b.spec.assets, a.spec.assets);
            QCOMPARE(b.spec.periodMs, a.spec.periodMs);
            QCOMPARE(b.spec.keyInterval, a.spec.keyInterval);
            QCOMPARE(b.spec.segmentSize, a.spec.segmentSize);
            QCOMPARE(b.spec.columnar, a.spec.columnar);
            QCOMPARE(b.assetCount, a.assetCount);
            QCOMPARE(b.spec.quantities.size(), a.spec.quantities.size());
            for (std::size_t k = 0; k < a.spec.quantities.size(); ++k) {
                QCOMPARE(b.spec.quantities[k].name, a.spec.quantities[k].name);
                QCOMPARE(b.spec.quantities[k].unit, a.spec.quantities[k].unit);
                QCOMPARE(b.spec.quantities[k].precision, a.spec.quantities[k].precision);
            }
        }
        QCOMPARE(sl->signalCatalogue().size(), src->signalCatalogue().size());
        for (std::size_t i = 0; i < src->signalCatalogue().size(); ++i) {
            const auto& a = src->signalCatalogue()[i];
            const auto& b = sl->signalCatalogue()[i];
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.asset, a.asset);
            QCOMPARE(b.quantity, a.quantity);
            QCOMPARE(b.unit, a.unit);
            QCOMPARE(b.series, a.series);
            QCOMPARE(b.channel, a.channel);
        }
        QCOMPARE(sl->jobs().size(), src->jobs().size());
        for (std::size_t j = 0; j < src->jobs().size(); ++j) {
            QCOMPARE(sl->jobs()[j].name, src->jobs()[j].name);
            QCOMPARE(sl->jobs()[j].racks, src->jobs()[j].racks);
            QCOMPARE(sl->jobs()[j].gpus, src->jobs()[j].gpus);
            QCOMPARE(sl->jobs()[j].stepPeriodS, src->jobs()[j].stepPeriodS);
        }

        // Every frame in the range and none outside, with exactly the stored integers.
        const TimeMs wide0 = span_.first - 60'000, wide1 = span_.last + 60'000;
        std::vector<std::vector<std::int32_t>> qa, qb;
        for (const auto& s : src->series()) {
            const auto times = src->frameTimes(s.id, t0_, t1_);
            QVERIFY(!times.empty());
            QCOMPARE(sl->frameTimes(s.id, wide0, wide1), times);
            for (const TimeMs t : times) {
                src->frameQuantised(s.id, t, qa);
                sl->frameQuantised(s.id, t, qb);
                QVERIFY2(qa == qb, qPrintable(QString::fromStdString("series " + s.spec.name + " at " + formatUtc(t))));
            }
        }

        // Channels: a GPU, a rack, plant signals, the scalar signal: the same samples over the
        // range and none outside it.
        constexpr int kAll = 1'000'000;   // 1 ms buckets: one sample each
        const int gpu = src->findSeries(twin::sim::series::Gpu::name), rack = src->findSeries(twin::sim::series::Rack::name);
        QVERIFY(gpu && rack);
        for (std::int64_t pos : {std::int64_t(0), src->campus().gpuCount() / 2, src->campus().gpuCount() - 1})
            for (int k = 0; k < 3; ++k)
                compareBuckets(src->seriesRange(gpu, k, pos, t0_, t1_, kAll), sl->seriesRange(gpu, k, pos, wide0, wide1, kAll),
                               "gpu");
        const auto racks = static_cast<std::int64_t>(src->campus().racks().size());
        for (int k = 0; k < 3; ++k)
            compareBuckets(src->seriesRange(rack, k, racks - 1, t0_, t1_, kAll),
                           sl->seriesRange(rack, k, racks - 1, wide0, wide1, kAll), "rack");
        const std::string turbine = src->campus().assets[src->campus().assetsOfKind(AssetKind::Turbine).front()].id;
        std::vector<int> channels = {src->findSignal(turbine, "power"), src->findSignal(busId_, "frequency"),
                                    src->findSignal(busId_, "voltage")};
        for (const int sig : channels) {
            QVERIFY(sig > 0);
            const auto a = src->signalRange(sig, t0_, t1_, kAll);
            QVERIFY(a.size() > 10);
            compareBuckets(a, sl->signalRange(sig, wide0, wide1, kAll), "signal");
            std::vector<TimeMs> ta, tb;
            std::vector<double> va, vb;
            src->signalSamples(sig, t0_, t1_, ta, va);
            sl->signalSamples(sig, wide0, wide1, tb, vb);
            QCOMPARE(tb, ta);
            QCOMPARE(vb, va);
            QCOMPARE(ta.size(), a.size());
        }
        const int voltage = channels[2];
        QCOMPARE(sl->findSignal(busId_, "voltage"), voltage);

        // The state at times inside the range (once every series has a frame in it).
        for (const TimeMs t : {t0_ + 1500, (t0_ + t1_) / 2 + 37, t1_ - 1, t1_}) {
            const CampusState a = src->stateAt(t), b = sl->stateAt(t);
            QCOMPARE(b.series.size(), a.series.size());
            for (std::size_t i = 0; i < a.series.size(); ++i) {
                QVERIFY(a.series[i].valid && b.series[i].valid);
                QCOMPARE(b.series[i].t, a.series[i].t);
                QVERIFY(b.series[i].values == a.series[i].values);
            }
            QCOMPARE(b.signalValues.size(), a.signalValues.size());
            for (std::size_t i = 0; i < a.signalValues.size(); ++i) {
                QCOMPARE(b.signalValues[i].valid, a.signalValues[i].valid);
                QCOMPARE(b.signalValues[i].t, a.signalValues[i].t);
                QCOMPARE(b.signalValues[i].value, a.signalValues[i].value);
            }
        }
        // Before the range the slice has nothing.
        QVERIFY(!sl->seriesAt(gpu, t0_ - 1).valid);
        QVERIFY(!sl->signalAt(voltage, t0_ - 1).valid);

        // Events overlapping the range, original times kept.
        const auto want = src->events(t0_, t1_);
        const auto got = sl->events(wide0, wide1);
        QCOMPARE(got.size(), want.size());
        bool crossing = false;
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(got[i].start, want[i].start);
            QCOMPARE(got[i].end, want[i].end);
            QCOMPARE(got[i].severity, want[i].severity);
            QCOMPARE(got[i].asset, want[i].asset);
            QCOMPARE(got[i].kind, want[i].kind);
            QCOMPARE(got[i].text, want[i].text);
            QVERIFY(got[i].kind != "test_after");
            crossing |= got[i].kind == "test_cross";
        }
        QVERIFY(crossing);
        bool open = false;
        for (const auto& e : got) open |= e.kind == "test_open" && !e.end;
        QVERIFY(open);
        // Hence the span: telemetry within [t0, t1], widened by events crossing its ends (the
        // test's event starts before t0).
        TimeMs first = t1_, last = t0_;
        for (const auto& s : sl->series()) {
            const auto times = sl->frameTimes(s.id, wide0, wide1);
            QVERIFY(times.front() >= t0_ && times.back() <= t1_);
            first = std::min(first, times.front());
            last = std::max(last, times.back());
        }
        for (const auto& sig : sl->signalCatalogue()) {
            std::vector<TimeMs> ts;
            std::vector<double> vs;
            sl->signalSamples(sig.id, wide0, wide1, ts, vs);
            if (ts.empty()) continue;
            QVERIFY(ts.front() >= t0_ && ts.back() <= t1_);
            first = std::min(first, ts.front());
            last = std::max(last, ts.back());
        }
        for (const auto& e : want) {
            first = std::min(first, e.start);
            last = std::max(last, e.end.value_or(e.start));
        }
        const auto sp = sl->span();
        QVERIFY(first <= span_.first + 2000);
        QCOMPARE(sp.first, first);
        QCOMPARE(sp.last, last);

        // Bookmarks in range: the recording's and the review's.
        const auto marks = sl->bookmarks();
        QCOMPARE(marks.size(), std::size_t(2));
        QCOMPARE(marks[0].name, std::string("review inside"));
        QCOMPARE(marks[0].note, std::string("n1"));
        QCOMPARE(marks[0].t, span_.first + 6000);
        QCOMPARE(marks[1].name, std::string("trip aftermath"));

        // Where it comes from.
        const auto meta = sl->query("SELECT key, value FROM meta WHERE key LIKE 'slice_%' ORDER BY key");
        QCOMPARE(meta.size(), std::size_t(4));
        QCOMPARE(meta[0][1], std::string("original times"));
        QCOMPARE(meta[1][1], std::string("sliced.twin"));
        QCOMPARE(meta[2][1], std::to_string(t0_));
        QCOMPARE(meta[3][1], std::to_string(t1_));

        // A slice of the slice is the same again (it opens and exports on its own).
        const std::string again = tmp("slice-of-slice.twin");
        exportSlice(*sl, again, t0_, t1_);
        auto sl2 = StoreReader::open(again);
        for (const auto& s : sl->series()) QCOMPARE(sl2->frameTimes(s.id, wide0, wide1), sl->frameTimes(s.id, wide0, wide1));
        compareBuckets(sl2->seriesRange(gpu, 0, 5, wide0, wide1, kAll), sl->seriesRange(gpu, 0, 5, wide0, wide1, kAll), "gpu again");
    }

    void sliceClipsEventsOnRequest() {
        auto src = StoreReader::open(src_);
        const std::string out = tmp("clipped.twin");
        SliceOptions o;
        o.clipEvents = true;
        o.recordingBookmarks = false;
        exportSlice(*src, out, t0_, t1_, o);
        auto sl = StoreReader::open(out);
        const auto sp = sl->span();
        QVERIFY(!sp.empty);
        QVERIFY(sp.first >= t0_ && sp.last <= t1_);
        const auto events = sl->events(sp.first, sp.last);
        QCOMPARE(events.size(), src->events(t0_, t1_).size());
        bool crossing = false;
        for (const auto& e : events)
            if (e.kind == "test_cross") {
                crossing = true;
                QCOMPARE(e.start, t0_);
                QCOMPARE(*e.end, span_.first + 8000);
            }
        QVERIFY(crossing);
        QVERIFY(sl->bookmarks().empty());
    }

    void sliceOfChunkedScalarSignals() {
        // Scalar signals as StoreWriter keeps them (compressed chunks), plus a hand-added row.
        const Campus campus = loadCampusFile(siteFile("small.json"));
        const std::string path = tmp("scalars.twin");
        const TimeMs k0 = 1'780'000'000'000;
        const std::string bus = campus.assets[campus.assetsOfKind(AssetKind::Bus).front()].id;
        {
            auto w = StoreWriter::create(path, campus);
            const int freq = w->addSignal(bus, "frequency", "Hz");
            const int load = w->addSignal(bus, "load", "MW");
            const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 64, false});
            std::vector<float> g(static_cast<std::size_t>(campus.gpuCount()));
            for (int i = 0; i < 5000; ++i) {
                w->writeSample(freq, k0 + i * 10, 60.0 + 0.01 * std::sin(i * 0.013) + 1e-9 * i);
                w->writeSample(load, k0 + i * 10, 100.0 + std::cos(i * 0.007));
                if (i % 100 == 0) {
                    for (std::size_t x = 0; x < g.size(); ++x) g[x] = static_cast<float>(300 + (x * 7 + i) % 400);
                    const std::span<const float> q[] = {g};
                    w->writeFrame(gpu, k0 + i * 10, q);
                }
            }
            w->close();
        }
        // Another program's row at the time of a chunked sample: it wins (as in signalAt).
        sqliteExec(path, "INSERT INTO sample(signal, t, value) SELECT id, " + std::to_string(k0 + 20'000) +
                             ", 99.5 FROM signal WHERE quantity = 'load'");
        auto src = StoreReader::open(path);
        const int freq = src->findSignal(bus, "frequency"), load = src->findSignal(bus, "load");
        QCOMPARE(src->signalAt(load, k0 + 20'000).value, 99.5);
        const TimeMs a = k0 + 12'345, b = k0 + 34'567;
        const std::string out = tmp("scalars-slice.twin");
        exportSlice(*src, out, a, b);
        auto sl = StoreReader::open(out);
        std::vector<TimeMs> ta, tb;
        std::vector<double> va, vb;
        for (const int sig : {freq, load}) {
            src->signalSamples(sig, a, b, ta, va);
            sl->signalSamples(sig, k0 - 1000, k0 + 100'000, tb, vb);
            QCOMPARE(ta.size(), std::size_t(34'567 / 10 - 12'345 / 10));
            QCOMPARE(tb, ta);
            QCOMPARE(vb, va);   // full doubles, exactly
            QVERIFY(std::is_sorted(ta.begin(), ta.end()));
            QCOMPARE(ta.front(), k0 + 12'350);
            QCOMPARE(ta.back(), k0 + 34'560);
        }
        compareBuckets(src->signalRange(freq, a, b, 1'000'000), sl->signalRange(freq, k0, k0 + 100'000, 1'000'000), "freq");
        compareBuckets(src->signalRange(freq, a, b, 77), sl->signalRange(freq, a, b, 77), "freq reduced");
        QCOMPARE(sl->signalAt(load, k0 + 20'000).value, 99.5);
        QCOMPARE(sl->signalAt(load, k0 + 20'010).value, src->signalAt(load, k0 + 20'010).value);
        // A columnar channel's samples are its frames' values.
        auto trip = StoreReader::open(src_);
        const int rackPower = trip->findSignal(trip->campus().assets[trip->campus().racks()[1]].id, "power");
        trip->signalSamples(rackPower, t0_, t1_, ta, va);
        const auto buckets = trip->signalRange(rackPower, t0_, t1_, 1'000'000);
        QCOMPARE(ta.size(), buckets.size());
        for (std::size_t i = 0; i < ta.size(); ++i) {
            QCOMPARE(ta[i], buckets[i].first);
            QCOMPARE(va[i], buckets[i].min);
        }
    }

    void cancelRemovesTheFile() {
        auto src = StoreReader::open(src_);
        const std::string out = tmp("cancelled.twin");
        int calls = 0;
        try {
            exportSlice(*src, out, t0_, t1_, {}, [&](double f) {
                ++calls;
                return f < 0.3;
            });
            QFAIL("no SliceCancelled");
        } catch (const SliceCancelled& e) {
            QVERIFY(QString(e.what()).contains(QString::fromStdString(out)));
            QVERIFY(QString(e.what()).contains("cancelled"));
        }
        QVERIFY(calls > 1);
        QVERIFY(!exists(out));
        QVERIFY(!exists(out + ".part"));
        QVERIFY(!exists(out + ".part-wal"));
        // Cancelling the replacement of an existing slice leaves that slice as it was.
        const std::string kept = tmp("kept.twin");
        exportSlice(*src, kept, t0_, t0_ + 3000);
        const QByteArray before = fileHash(kept);
        SliceOptions o;
        o.overwrite = true;
        bool cancelled = false;
        try {
            exportSlice(*src, kept, t0_, t1_, o, [](double f) { return f < 0.5; });
        } catch (const SliceCancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(fileHash(kept), before);
        // And overwriting, when not cancelled, replaces it.
        exportSlice(*src, kept, t0_, t1_, o);
        QVERIFY(fileHash(kept) != before);
        QCOMPARE(StoreReader::open(kept)->frameTimes(src->findSeries(twin::sim::series::Gpu::name), span_.first, span_.last),
                 src->frameTimes(src->findSeries(twin::sim::series::Gpu::name), t0_, t1_));
    }

    void badRangesAndTargetsRefused() {
        auto src = StoreReader::open(src_);
        const std::string out = tmp("refused.twin");
        expectError([&] { exportSlice(*src, out, t0_, t0_); }, src_, "empty");
        expectError([&] { exportSlice(*src, out, t1_, t0_); }, src_, "empty");
        expectError([&] { exportSlice(*src, out, span_.last + 1, span_.last + 60'000); }, src_, "outside the recording");
        expectError([&] { exportSlice(*src, out, span_.first - 60'000, span_.first - 1); }, src_, "outside the recording");
        expectError([&] { exportSlice(*src, src_, t0_, t1_); }, src_, "is the recording being exported");
        const std::string sameViaDot = dir_.path().toStdString() + "/./trip.twin";
        expectError([&] { exportSlice(*src, sameViaDot, t0_, t1_); }, sameViaDot, "is the recording being exported");
        SliceOptions overwrite;
        overwrite.overwrite = true;
        expectError([&] { exportSlice(*src, src_, t0_, t1_, overwrite); }, src_, "is the recording being exported");
        expectError([&] { exportSlice(*src, src_ + ".review", t0_, t1_); }, src_ + ".review", "review file");
        const std::string existing = tmp("existing.twin");
        {
            std::ofstream(existing) << "x";
        }
        expectError([&] { exportSlice(*src, existing, t0_, t1_); }, existing, "already exists");
        expectError([&] { exportSlice(*src, dir_.path().toStdString(), t0_, t1_); }, dir_.path().toStdString(), "folder");
        expectError([&] { exportSlice(*src, tmp("no-such-folder/x.twin"), t0_, t1_); }, tmp("no-such-folder/x.twin"),
                    "does not exist");
        // A review of another recording is refused as a source of bookmarks.
        const std::string other = copyOfSource("other-review.twin");
        auto rv = ReviewFile::open(other);
        SliceOptions o;
        o.review = rv.get();
        expectError([&] { exportSlice(*src, out, t0_, t1_, o); }, rv->path(), "is the review of");
        QVERIFY(!exists(out));
        QVERIFY(!exists(out + ".part"));
        QVERIFY(!exists(tmp("no-such-folder")));
        // The source is unchanged by all of it (the range it had, the files it had).
        QCOMPARE(StoreReader::open(src_)->span().first, span_.first);
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "test_review.moc"
