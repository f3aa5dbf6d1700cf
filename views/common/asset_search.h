// Find anything by name or id: a line edit with a completer over every asset of the campus,
// every job, and GPU ids ("<rack id>/gpu07", when typed out to the rack's id and "/gpu").
// Matching is case-insensitive, on the full text or any part of it: exact matches come first,
// then prefixes, then the rest. Choosing a result selects it and asks for the 3D view to fly there.
#pragma once

#include "twin/session/session.h"

#include <QLineEdit>

#include <string>
#include <vector>

class QCompleter;
class QStandardItemModel;

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
    };

    explicit AssetSearch(twin::Session& session, QWidget* parent = nullptr);

    // At most `limit` results for `text`, best first.
    std::vector<Result> find(const QString& text, int limit) const;
    // Selects a result and emits chosen and flyToRequested.
    void choose(const Result& r);

signals:
    void chosen(const views::AssetSearch::Result& r);
    void flyToRequested(const QString& assetId);

private:
    void reindex();
    void showResults(const QString& text);

    twin::Session& session_;
    std::vector<std::string> assetIds_, assetNames_, jobKeys_;   // lower case, by asset / job index
    std::vector<Result> shown_;
    QCompleter* completer_ = nullptr;
    QStandardItemModel* model_ = nullptr;
};

} // namespace views
