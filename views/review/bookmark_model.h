// The bookmarks of the open recording as a table model: those of its review file (editable) and
// those recorded in the recording itself (read-only), sorted by time. It owns the
// twin::ReviewFile of the session's store (`<recording>.review` beside it, created on the first
// edit; the recording is never written) and reopens it whenever the session opens another store.
// The bookmarks panel edits through it and the timeline's track draws its markers from it.
//
// Every edit is one durable transaction of the review file (about 10 ms). A failed edit changes
// nothing, returns false / 0 and reports a message naming the review file (lastError(),
// errorOccurred()). Like every view, it must not outlive its session (the review file reads the
// recording through the session's reader).
#pragma once

#include "twin/review_file.h"
#include "twin/session/session.h"

#include <QAbstractTableModel>
#include <QString>

#include <memory>
#include <vector>

namespace views {

class BookmarkModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Name, Note, Origin, ColumnCount };
    // Data role giving a row's bookmark id (qint64).
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit BookmarkModel(twin::Session& session, QObject* parent = nullptr);
    ~BookmarkModel() override;

    twin::Session& session() const { return session_; }
    // The review file of the open store; null when no store is open or it could not be opened
    // (openProblem() says why: e.g. it belongs to another recording, or is corrupted).
    twin::ReviewFile* reviewFile() const { return review_.get(); }
    QString openProblem() const { return openProblem_; }
    // Where the review file is (or would be): "" when no store is open.
    QString reviewPath() const;
    // "" when an edit can be written, else why not, naming the review file.
    QString writeProblem() const;
    bool writable() const { return writeProblem().isEmpty(); }

    const std::vector<twin::ReviewBookmark>& bookmarks() const { return bookmarks_; }
    const twin::ReviewBookmark& bookmark(int row) const { return bookmarks_.at(static_cast<std::size_t>(row)); }
    int rowOf(std::int64_t id) const;   // -1 if absent

    // Edits of the review's own bookmarks (rows of origin Review). add() returns the new id, 0 on
    // failure; the others false on failure (a read-only bookmark of the recording included).
    std::int64_t add(twin::TimeMs t, const QString& name, const QString& note = {});
    bool rename(int row, const QString& name);
    bool setNote(int row, const QString& note);
    bool remove(int row);
    // "Bookmark N": N one more than the review's own bookmarks, raised until no bookmark has the name.
    QString nextDefaultName() const;
    QString lastError() const { return lastError_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

public slots:
    // Reads the bookmarks again (another program may share the file); resets only on a change.
    void reload();
    // Opens the review file of the session's current store again.
    void reopen();

signals:
    void errorOccurred(const QString& message);
    void reviewFileChanged();   // reopened (another store), or its problems changed

private:
    bool fail(const QString& message);
    bool editable(int row, const char* doing);

    twin::Session& session_;
    std::unique_ptr<twin::ReviewFile> review_;
    std::vector<twin::ReviewBookmark> bookmarks_;
    QString openProblem_;
    QString lastError_;
};

} // namespace views
