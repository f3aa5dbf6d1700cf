// Review files: bookmarks, notes, event annotations and alarm acknowledgements kept beside a
// read-only recording (or a live store, which the viewer never writes either).
//
// The viewer opens recordings read-only and leaves their bytes unchanged, so review work lives in
// its own small SQLite file, by default `<recording>.review` beside the recording
// (trip.twin -> trip.twin.review). The file is created on the first write, not on open: a
// review of a recording in a read-only folder can still be opened and read (it lists the
// recording's own bookmarks); a write there fails with a twin::Error naming the review file.
//
// A review file records the identity of its recording (file name, campus name, series, time and
// hash of its first frame) and refuses to be used with another one. Format: docs/store.md,
// "Review files and slices".
//
// Not thread-safe: use one ReviewFile from one thread. Several ReviewFile objects (or programs)
// may share a file: every call reads or writes the file itself, nothing is cached.
#pragma once

#include "twin/error.h"
#include "twin/store.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace twin {

enum class BookmarkOrigin : std::uint8_t {
    Review,      // kept in the review file: can be renamed, annotated, moved, removed
    Recording,   // part of the recording itself (StoreReader::bookmarks()): read-only
};

struct ReviewBookmark {
    // > 0: the bookmark's id in the review file. <= 0: a bookmark of the recording, id = minus its
    // id there (so an id never names a bookmark of the other origin).
    std::int64_t id = 0;
    TimeMs t = 0;
    std::string name;
    std::string note;
    BookmarkOrigin origin = BookmarkOrigin::Review;
    bool readOnly() const { return origin == BookmarkOrigin::Recording; }
};

// An operator's acknowledgement of an alarm (an event of the recording, by its id there).
struct Acknowledgement {
    std::int64_t event = 0;
    std::string by;     // who: the operator's name (the OS user name unless set otherwise)
    TimeMs at = 0;      // when: the wall-clock time of the acknowledgement (ms since the epoch, UTC)
};

// What ties a review file to its recording.
struct RecordingIdentity {
    std::string fileName;              // "trip.twin" (no folder)
    std::string campusName;            // Campus::name
    // The first frame of the lowest-numbered series that has frames (unset: no frame yet) and a
    // SHA-256 (hex) of its first segment. A review file accepts a recording that holds that frame.
    std::string firstFrameSeries;      // series name
    std::optional<TimeMs> firstFrame;  // its time
    std::string fingerprint;
};

class ReviewFile {
public:
    // 1: bookmarks, event notes. 2: + alarm acknowledgements (table event_ack). A version-1 file
    // opens and reads as one without acknowledgements; the first acknowledgement written to it
    // adds the table and raises its version to 2.
    static constexpr int kSchemaVersion = 2;
    static constexpr int kApplicationId = 0x43545256;   // 'CTRV'

    // `<recordingPath>.review`.
    static std::string sidecarPath(const std::string& recordingPath);

    // The review of a recording at its default place (sidecarPath). The first form opens the
    // recording itself (read-only); the second uses the caller's reader, which must outlive the
    // ReviewFile. Throws twin::Error naming the file: the recording cannot be opened, or the review
    // file exists but is not a review file, is corrupted, has a newer schema version, or belongs to
    // another recording.
    static std::unique_ptr<ReviewFile> open(const std::string& recordingPath);
    static std::unique_ptr<ReviewFile> open(StoreReader& recording);
    // The same with the review file given explicitly (e.g. elsewhere when the recording's folder
    // is read-only).
    static std::unique_ptr<ReviewFile> openAt(const std::string& reviewPath, const std::string& recordingPath);
    static std::unique_ptr<ReviewFile> openAt(const std::string& reviewPath, StoreReader& recording);

    ~ReviewFile();
    ReviewFile(const ReviewFile&) = delete;
    ReviewFile& operator=(const ReviewFile&) = delete;

    const std::string& path() const;             // the review file (it may not exist yet)
    const std::string& recordingPath() const;
    const RecordingIdentity& identity() const;   // of the recording
    StoreReader& recording();
    bool exists() const;                         // the review file has been created
    // Whether a write would be possible (the file, or its folder when it does not exist yet, is
    // writable): lets a GUI disable editing up front. writeProblem() says why not ("" if writable).
    bool writable() const;
    std::string writeProblem() const;

    // Bookmarks of the review and of the recording, sorted by time (recording first at equal
    // times, then by id); the second form only those with t in [t0, t1].
    std::vector<ReviewBookmark> bookmarks();
    std::vector<ReviewBookmark> bookmarks(TimeMs t0, TimeMs t1);
    std::optional<ReviewBookmark> bookmark(std::int64_t id);

    // Edits of the review's own bookmarks (id > 0). Each is one transaction, durable on return.
    // Refused with twin::Error naming the review file: an empty name, an unknown id, a bookmark of
    // the recording (read-only), or a file that cannot be created or written.
    std::int64_t addBookmark(TimeMs t, const std::string& name, const std::string& note = {});
    void renameBookmark(std::int64_t id, const std::string& name);
    void setBookmarkNote(std::int64_t id, const std::string& note);
    void moveBookmark(std::int64_t id, TimeMs t);
    void removeBookmark(std::int64_t id);

    // A note on an event of the recording (by its id in the recording). An empty note removes it.
    void setEventNote(std::int64_t eventId, const std::string& note);
    std::string eventNote(std::int64_t eventId);           // "" if none
    std::map<std::int64_t, std::string> eventNotes();      // every annotated event

    // Acknowledges an alarm: who and when. The first acknowledgement of an event stands (an
    // event acknowledged again keeps its first who and when; returns false then, true when this
    // call recorded it). Refused with twin::Error naming the review file: an empty name, or a file
    // that cannot be created or written.
    bool acknowledge(std::int64_t eventId, const std::string& by, TimeMs at);
    std::optional<Acknowledgement> acknowledgement(std::int64_t eventId);
    std::map<std::int64_t, Acknowledgement> acknowledgements();   // every acknowledged event
    // The file's schema version (0: not created yet).
    int schemaVersion();

private:
    struct Impl;
    explicit ReviewFile(std::unique_ptr<Impl> impl);
    static std::unique_ptr<ReviewFile> make(const std::string& reviewPath, StoreReader& recording,
                                            std::unique_ptr<StoreReader> owned);
    std::unique_ptr<Impl> d_;
};

// The identity a review file would record for this recording.
RecordingIdentity recordingIdentity(StoreReader& recording);

} // namespace twin
