#include "review/bookmarks_panel.h"

#include "common/time_format.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QKeyEvent>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace views {

BookmarksPanel::BookmarksPanel(twin::Session& session, BookmarkModel* model, QWidget* parent)
    : QWidget(parent), session_(session), model_(model ? model : new BookmarkModel(session, this)) {
    setObjectName("bookmarksPanel");

    add_ = new QToolButton;
    add_->setObjectName("addBookmark");
    add_->setText("Add…");
    add_->setToolTip("Bookmark the clock's time, with a name and a note (Ctrl+B)");
    add_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    remove_ = new QToolButton;
    remove_->setObjectName("removeBookmark");
    remove_->setText("Delete");
    remove_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(add_, &QToolButton::clicked, this, &BookmarksPanel::add);
    connect(remove_, &QToolButton::clicked, this, &BookmarksPanel::removeSelected);

    table_ = new QTableView;
    table_->setObjectName("bookmarks");
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    // Double-click goes there; F2 or a click on a selected cell edits the name or note.
    table_->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->horizontalHeader()->setSectionResizeMode(BookmarkModel::Time, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(BookmarkModel::Name, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(BookmarkModel::Note, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(BookmarkModel::Origin, QHeaderView::ResizeToContents);
    table_->setColumnWidth(BookmarkModel::Name, 140);
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) { activateRow(i.row()); });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) { activateRow(i.row()); });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BookmarksPanel::updateButtons);
    table_->installEventFilter(this);   // Delete (an open cell editor gets its own keys)

    problem_ = new QLabel;
    problem_->setObjectName("problem");
    problem_->setWordWrap(true);
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problem_->setStyleSheet("QLabel { color: #ff6b6b; }");
    problem_->hide();
    file_ = new QLabel;
    file_->setObjectName("reviewFile");
    file_->setWordWrap(true);
    file_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    file_->setStyleSheet("QLabel { color: #9aa0a6; }");

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add_);
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(table_, 1);
    layout->addWidget(problem_);
    layout->addWidget(file_);

    connect(model_, &BookmarkModel::errorOccurred, this, &BookmarksPanel::showProblem);
    connect(model_, &BookmarkModel::reviewFileChanged, this, [this] {
        showProblem({});
        if (!model_->openProblem().isEmpty()) showProblem("The review file cannot be used: " + model_->openProblem());
        showReviewFile();
        updateButtons();
    });
    connect(model_, &QAbstractItemModel::modelReset, this, &BookmarksPanel::updateButtons);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &BookmarksPanel::updateButtons);
    if (!model_->openProblem().isEmpty()) showProblem("The review file cannot be used: " + model_->openProblem());
    showReviewFile();
    updateButtons();
}

bool BookmarksPanel::eventFilter(QObject* watched, QEvent* e) {
    if (watched == table_ && e->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(e);
        if (key->matches(QKeySequence::Delete) || key->key() == Qt::Key_Delete) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, e);
}

int BookmarksPanel::rowCount() const { return model_->rowCount(); }

int BookmarksPanel::selectedRow() const {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.front().row();
}

QString BookmarksPanel::problemText() const { return problem_->text(); }
QString BookmarksPanel::reviewFileText() const { return file_->text(); }

void BookmarksPanel::showProblem(const QString& message) {
    problem_->setText(message);
    problem_->setVisible(!message.isEmpty());
}

void BookmarksPanel::showReviewFile() {
    const QString path = model_->reviewPath();
    if (path.isEmpty()) {
        file_->setText("No recording open.");
        file_->setToolTip({});
        return;
    }
    QString text = "Review file: " + QFileInfo(path).fileName();
    const twin::ReviewFile* review = model_->reviewFile();
    if (review && !review->exists()) text += " (created with the first bookmark)";
    const QString why = model_->writeProblem();
    if (!why.isEmpty()) text += " — read-only: " + why;
    file_->setText(text);
    file_->setToolTip("Bookmarks and notes are kept in " + path +
                      ", beside the recording (which is never written). Copy it next to the recording to share them.");
}

void BookmarksPanel::updateButtons() {
    const bool open = session_.isOpen();
    add_->setEnabled(open);
    const int row = selectedRow();
    remove_->setEnabled(row >= 0);
    if (row >= 0 && model_->bookmark(row).readOnly())
        remove_->setToolTip("This bookmark is part of the recording itself: read-only");
    else
        remove_->setToolTip("Delete the selected bookmark (Delete)");
}

bool BookmarksPanel::add() {
    if (dialog_) {   // already asking
        dialog_->raise();
        dialog_->activateWindow();
        return true;
    }
    if (const QString why = model_->writeProblem(); !why.isEmpty()) {
        showProblem("Cannot add a bookmark: " + why);
        return false;
    }
    const twin::TimeMs t = session_.clock().time();   // the time of the request, even while playing

    auto* dialog = new QDialog(this);
    dialog->setObjectName("addBookmarkDialog");
    dialog->setWindowTitle("Add a bookmark");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* name = new QLineEdit(model_->nextDefaultName());
    name->setObjectName("bookmarkName");
    name->selectAll();
    auto* note = new QPlainTextEdit;
    note->setObjectName("bookmarkNote");
    note->setPlaceholderText("What happened here (optional)");
    note->setTabChangesFocus(true);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto* form = new QFormLayout(dialog);
    form->addRow("Time", new QLabel(formatUtcLong(t)));
    form->addRow("Name", name);
    form->addRow("Note", note);
    form->addRow(box);
    connect(name, &QLineEdit::textChanged, box, [box](const QString& text) {
        box->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    connect(box, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, t, name, note] { addBookmark(t, name->text(), note->toPlainText()); });
    dialog_ = dialog;
    dialog->open();
    return true;
}

std::int64_t BookmarksPanel::addBookmark(twin::TimeMs t, const QString& name, const QString& note) {
    const std::int64_t id = model_->add(t, name, note);
    if (id == 0) return 0;   // the model reported why (errorOccurred)
    showProblem({});
    showReviewFile();   // the file may have just been created
    if (const int row = model_->rowOf(id); row >= 0) {
        table_->selectRow(row);
        table_->scrollTo(model_->index(row, BookmarkModel::Name));
    }
    return id;
}

bool BookmarksPanel::removeRow(int row) {
    if (!model_->remove(row)) return false;
    showProblem({});
    return true;
}

bool BookmarksPanel::removeSelected() {
    const int row = selectedRow();
    if (row < 0) {
        showProblem("Select a bookmark to delete.");
        return false;
    }
    return removeRow(row);
}

void BookmarksPanel::activateRow(int row) {
    if (row < 0 || row >= rowCount()) return;
    const twin::TimeMs t = model_->bookmark(row).t;
    table_->selectRow(row);
    session_.clock().seek(t);
}

} // namespace views
