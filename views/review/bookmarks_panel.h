// The review view: the bookmarks of the open recording, with time (UTC), name, note and origin,
// sorted by time. They come from the review file beside the recording (twin::ReviewFile,
// `<recording>.review`, the only file a view writes) and from the recording's own bookmarks
// (StoreReader::bookmarks()), both through BookmarkModel (review/bookmark_model.h), which the
// timeline shares to draw them.
//  - Add… (or add()) bookmarks the clock's time: a prompt asks for a name ("Bookmark N" offered)
//    and a note. When the review file cannot be written (e.g. the recording lies in a read-only
//    folder) the panel says why, naming the file, instead of prompting.
//  - Name and note are edited in place (F2, or a click on a selected cell).
//  - Delete (the key or the button) removes the selected bookmark.
//  - Double-click or Enter seeks the clock to a bookmark.
// Bookmarks of the recording itself are listed too, greyed and read-only (an attempt to change
// them says so). Everything is kept in the review file beside the recording
// (review/bookmark_model.h, twin/review_file.h); the recording is never written.
#pragma once

#include "review/bookmark_model.h"

#include "twin/session/session.h"

#include <QDialog>
#include <QPointer>
#include <QWidget>

class QLabel;
class QTableView;
class QToolButton;

namespace views {

class BookmarksPanel : public QWidget {
    Q_OBJECT
public:
    // `model` is shared with the timeline (it must outlive the panel); null: the panel makes its own.
    explicit BookmarksPanel(twin::Session& session, BookmarkModel* model = nullptr, QWidget* parent = nullptr);

    BookmarkModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    int rowCount() const;

    // Adds a bookmark without a prompt; its id, 0 on failure (shown in the panel).
    std::int64_t addBookmark(twin::TimeMs t, const QString& name, const QString& note = {});
    // Deletes a row (or the selected one); false on failure (shown).
    bool removeRow(int row);
    bool removeSelected();
    // Seeks to a row's bookmark and selects the row.
    void activateRow(int row);
    int selectedRow() const;   // -1: none

    // The last problem shown ("" if none) and what the review file line says.
    QString problemText() const;
    QString reviewFileText() const;
    // The open add prompt, or null (objectName "addBookmarkDialog"; fields "bookmarkName",
    // "bookmarkNote").
    QDialog* addDialog() const { return dialog_; }

public slots:
    // Prompts for a bookmark at the clock's time (non-blocking); false when it cannot be added
    // (no recording, review file not writable: the reason is shown instead).
    bool add();

protected:
    bool eventFilter(QObject* watched, QEvent* e) override;

private:
    void showProblem(const QString& message);
    void showReviewFile();
    void updateButtons();

    twin::Session& session_;
    BookmarkModel* model_ = nullptr;
    QTableView* table_ = nullptr;
    QToolButton* add_ = nullptr;
    QToolButton* remove_ = nullptr;
    QLabel* problem_ = nullptr;
    QLabel* file_ = nullptr;
    QPointer<QDialog> dialog_;
};

} // namespace views
