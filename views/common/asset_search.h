// Find anything by name or id: a line edit with a completer over every asset of the campus,
// every job, and GPU ids ("<rack id>/gpu07", when typed out to the rack's id and "/gpu").
// Matching is case-insensitive, on the full text or any part of it: exact matches come first,
// then prefixes, then the rest. Results drop down in columns (name, id, kind, location), each
// wide enough for its text. Choosing a result selects it and asks for the 3D view to fly there.
#pragma once

#include "twin/session/session.h"

#include <QLineEdit>

#include <string>
#include <vector>

class QCompleter;
class QStandardItemModel;
class QTreeView;

namespace views {

class AssetSearch : public QLineEdit {
    Q_OBJECT
public:
    struct Result {
        QString id;                  // asset id, GPU id or job name
        QString name;                // what a reader sees
        QString kind;                // an AssetKind name, "gpu" or "job"
        twin::Selection selection;   // what choosing it selects
        QString flyTo;               // the asset id the 3D view flies to (a GPU's rack, a job's first rack)
        QString location;            // "Site / Building / Hall" above it (a GPU's rack's, a job's first rack's)
    };
    enum Column { NameColumn, IdColumn, KindColumn, LocationColumn, Columns };

    explicit AssetSearch(twin::Session& session, QWidget* parent = nullptr);

    // At most `limit` results for `text`, best first.
    std::vector<Result> find(const QString& text, int limit) const;
    // Selects a result and emits chosen and flyToRequested.
    void choose(const Result& r);
    // The results shown (after typing): their cells' texts, and the drop-down list.
    QString shownText(int row, Column column) const;
    int shownCount() const { return static_cast<int>(shown_.size()); }
    QTreeView* resultsView() const { return popup_; }

signals:
    void chosen(const views::AssetSearch::Result& r);
    void flyToRequested(const QString& assetId);

private:
    void reindex();
    void showResults(const QString& text);
    QString locationOf(twin::AssetIndex a) const;

    twin::Session& session_;
    std::vector<std::string> assetIds_, assetNames_, jobKeys_;   // lower case, by asset / job index
    std::vector<Result> shown_;
    QCompleter* completer_ = nullptr;
    QStandardItemModel* model_ = nullptr;
    QTreeView* popup_ = nullptr;
};

} // namespace views
