// The inspector: the selection (an asset, a GPU or a job) in detail. Name, id, kind; its place
// in the compute tree (each level clickable) and in the electrical graph (what feeds it, its
// sources), both from the open store's campus; rack and GPU figures; its main quantity's trend
// over the last minutes (common/asset_trend.h); its active events at the clock's time (its own
// and those of what it holds, warnings and worse; each seeks to its start); a rack's or GPU's
// job (a link that selects the job); and every value recorded for it at the clock's time
// (Session::valuesOf, from the session's state). It follows the session's selection and clock.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QScrollArea;
class QTableWidget;

namespace views {

class AssetTrend;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPanel(twin::Session& session, QWidget* parent = nullptr);

    // For tests: the value cell of a quantity ("" if absent) and the title.
    QString valueText(const QString& quantity) const;
    QString titleText() const;
    AssetTrend* trend() const { return trend_; }
    QString eventsText() const;   // the active events' list (rich text)
    QString jobText() const;      // the job line (rich text; "" when hidden)
    // The selection's active events at the clock's time, as listed (most severe first).
    const std::vector<twin::Event>& activeEvents() const { return active_; }
    static constexpr int kEventsListed = 5;

private:
    void showSelection();   // everything (the selection changed)
    void showValues();      // the values only (the clock's time or the data changed)
    void showEvents();      // the active events at the clock's time
    void showJob();         // a rack's or GPU's job at the clock's time
    static std::optional<QString> stateName(const twin::AssetValue& v);
    QString describe(const twin::Selection& s) const;
    QString computePath(const twin::Selection& s) const;
    QString electrical(twin::AssetIndex a) const;
    QString link(twin::AssetIndex a) const;
    // Assets as links by name; a long list names the few of each kind and counts the rest.
    QString linkList(const std::vector<twin::AssetIndex>& assets) const;
    static constexpr std::size_t kListedByName = 8;
    void follow(const QString& link);

    twin::Session& session_;
    QLabel* hint_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* identity_ = nullptr;
    QLabel* path_ = nullptr;
    QLabel* electrical_ = nullptr;
    QLabel* details_ = nullptr;
    QLabel* events_ = nullptr;
    QLabel* job_ = nullptr;
    AssetTrend* trend_ = nullptr;
    QTableWidget* values_ = nullptr;
    std::vector<twin::Event> active_;
};

} // namespace views
