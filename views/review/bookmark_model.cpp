#include "review/bookmark_model.h"

#include "common/time_format.h"

#include <QColor>
#include <QFont>

#include <algorithm>
#include <exception>

namespace views {

namespace {

bool same(const twin::ReviewBookmark& a, const twin::ReviewBookmark& b) {
    return a.id == b.id && a.t == b.t && a.name == b.name && a.note == b.note && a.origin == b.origin;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

} // namespace

BookmarkModel::BookmarkModel(twin::Session& session, QObject* parent) : QAbstractTableModel(parent), session_(session) {
    connect(&session_, &twin::Session::opened, this, &BookmarkModel::reopen);
    // A live recording may gain bookmarks of its own; reload() resets only when something changed.
    connect(&session_, &twin::Session::dataGrew, this, &BookmarkModel::reload);
    reopen();
}

BookmarkModel::~BookmarkModel() = default;

void BookmarkModel::reopen() {
    beginResetModel();
    review_.reset();
    bookmarks_.clear();
    openProblem_.clear();
    lastError_.clear();
    if (session_.isOpen()) {
        try {
            // Uses the session's reader (the recording stays open once, read-only); the session
            // replaces its reader only in open(), which is followed by opened() and so this.
            review_ = twin::ReviewFile::open(session_.reader());
        } catch (const std::exception& e) {
            openProblem_ = QString::fromUtf8(e.what());
        }
    }
    endResetModel();
    reload();
    emit reviewFileChanged();
}

void BookmarkModel::reload() {
    std::vector<twin::ReviewBookmark> now;
    if (review_) {
        try {
            now = review_->bookmarks();
        } catch (const std::exception& e) {
            fail(QString::fromUtf8(e.what()));
            return;
        }
    } else if (session_.isOpen()) {
        // Without a usable review file the recording's own bookmarks still show (read-only).
        for (const twin::Bookmark& b : session_.reader().bookmarks())
            now.push_back({-b.id, b.t, b.name, b.note, twin::BookmarkOrigin::Recording});
        std::stable_sort(now.begin(), now.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    }
    if (now.size() == bookmarks_.size() && std::equal(now.begin(), now.end(), bookmarks_.begin(), same)) return;
    beginResetModel();
    bookmarks_ = std::move(now);
    endResetModel();
}

QString BookmarkModel::reviewPath() const {
    if (review_) return q(review_->path());
    return session_.isOpen() ? q(twin::ReviewFile::sidecarPath(session_.path())) : QString();
}

QString BookmarkModel::writeProblem() const {
    if (!session_.isOpen()) return "no recording is open.";
    if (!review_) return "The review file cannot be used: " + openProblem_;
    const std::string why = review_->writeProblem();
    return why.empty() ? QString() : "Review file " + q(review_->path()) + ": " + q(why);
}

int BookmarkModel::rowOf(std::int64_t id) const {
    for (std::size_t i = 0; i < bookmarks_.size(); ++i)
        if (bookmarks_[i].id == id) return static_cast<int>(i);
    return -1;
}

bool BookmarkModel::fail(const QString& message) {
    lastError_ = message;
    emit errorOccurred(message);
    return false;
}

bool BookmarkModel::editable(int row, const char* doing) {
    if (row < 0 || row >= rowCount()) return fail(QString("Cannot %1: no such bookmark (row %2).").arg(doing).arg(row));
    const twin::ReviewBookmark& b = bookmark(row);
    if (b.readOnly())
        return fail(QString("Cannot %1 “%2”: it is a bookmark of the recording itself, which is read-only "
                            "(only the review's own bookmarks can be changed).")
                        .arg(doing, q(b.name)));
    if (!review_) return fail(QString("Cannot %1: ").arg(doing) + writeProblem());
    return true;
}

std::int64_t BookmarkModel::add(twin::TimeMs t, const QString& name, const QString& note) {
    if (const QString why = writeProblem(); !why.isEmpty()) {
        fail("Cannot add a bookmark: " + why);
        return 0;
    }
    if (name.trimmed().isEmpty()) {
        fail("Cannot add a bookmark: its name is empty.");
        return 0;
    }
    std::int64_t id = 0;
    try {
        id = review_->addBookmark(t, name.trimmed().toStdString(), note.toStdString());
    } catch (const std::exception& e) {
        fail("Cannot add the bookmark: " + QString::fromUtf8(e.what()));
        return 0;
    }
    lastError_.clear();
    reload();
    return id;
}

bool BookmarkModel::rename(int row, const QString& name) {
    if (!editable(row, "rename")) return false;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) return fail("Cannot rename the bookmark: a name cannot be empty.");
    twin::ReviewBookmark& b = bookmarks_[static_cast<std::size_t>(row)];
    if (q(b.name) == trimmed) return true;
    try {
        review_->renameBookmark(b.id, trimmed.toStdString());
    } catch (const std::exception& e) {
        return fail("Cannot rename the bookmark: " + QString::fromUtf8(e.what()));
    }
    b.name = trimmed.toStdString();
    lastError_.clear();
    emit dataChanged(index(row, Name), index(row, Name));
    return true;
}

bool BookmarkModel::setNote(int row, const QString& note) {
    if (!editable(row, "change the note of")) return false;
    twin::ReviewBookmark& b = bookmarks_[static_cast<std::size_t>(row)];
    if (q(b.note) == note) return true;
    try {
        review_->setBookmarkNote(b.id, note.toStdString());
    } catch (const std::exception& e) {
        return fail("Cannot change the note: " + QString::fromUtf8(e.what()));
    }
    b.note = note.toStdString();
    lastError_.clear();
    emit dataChanged(index(row, Note), index(row, Note));
    return true;
}

bool BookmarkModel::remove(int row) {
    if (!editable(row, "delete")) return false;
    try {
        review_->removeBookmark(bookmark(row).id);
    } catch (const std::exception& e) {
        return fail("Cannot delete the bookmark: " + QString::fromUtf8(e.what()));
    }
    beginRemoveRows({}, row, row);
    bookmarks_.erase(bookmarks_.begin() + row);
    endRemoveRows();
    lastError_.clear();
    return true;
}

QString BookmarkModel::nextDefaultName() const {
    const auto own = std::count_if(bookmarks_.begin(), bookmarks_.end(), [](const auto& b) { return !b.readOnly(); });
    for (auto n = own + 1;; ++n) {
        const std::string name = "Bookmark " + std::to_string(n);
        if (std::none_of(bookmarks_.begin(), bookmarks_.end(), [&](const auto& b) { return b.name == name; }))
            return q(name);
    }
}

int BookmarkModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(bookmarks_.size());
}

int BookmarkModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BookmarkModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const twin::ReviewBookmark& b = bookmark(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return formatUtcLong(b.t);
        case Name: return q(b.name);
        case Note: return q(b.note).replace('\n', QStringLiteral(" ⏎ "));
        case Origin: return b.readOnly() ? QStringLiteral("recording (read-only)") : QStringLiteral("review");
        }
        break;
    case Qt::EditRole:
        if (index.column() == Name) return q(b.name);
        if (index.column() == Note) return q(b.note);
        if (index.column() == Time) return QVariant::fromValue<qint64>(b.t);
        break;
    case Qt::ToolTipRole: {
        QString tip = "<b>" + q(b.name).toHtmlEscaped() + "</b> · " + formatUtcLong(b.t);
        if (!b.note.empty()) tip += "<br>" + q(b.note).toHtmlEscaped().replace('\n', "<br>");
        tip += b.readOnly() ? "<br><i>A bookmark of the recording itself: read-only.</i>"
                            : "<br><i>Double-click or Enter: go there. F2: edit. Delete: remove.</i>";
        return tip;
    }
    case Qt::ForegroundRole:
        if (b.readOnly()) return QColor(0x80, 0x86, 0x8b);
        break;
    case Qt::FontRole:
        if (b.readOnly()) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        break;
    case IdRole: return QVariant::fromValue<qint64>(b.id);
    }
    return {};
}

QVariant BookmarkModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time: return QStringLiteral("Time (UTC)");
    case Name: return QStringLiteral("Name");
    case Note: return QStringLiteral("Note");
    case Origin: return QStringLiteral("Origin");
    }
    return {};
}

Qt::ItemFlags BookmarkModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.row() < rowCount() && !bookmark(index.row()).readOnly() &&
        (index.column() == Name || index.column() == Note))
        f |= Qt::ItemIsEditable;
    return f;
}

bool BookmarkModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::EditRole) return false;
    if (index.column() == Name) return rename(index.row(), value.toString());
    if (index.column() == Note) return setNote(index.row(), value.toString());
    return false;
}

} // namespace views
