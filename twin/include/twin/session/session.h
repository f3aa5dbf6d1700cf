// A session: one open store, its clock, the state at the clock's time, and the selection.
// Views read everything through it and never open the database themselves
// (store -> clock -> state at t -> views).
#pragma once

#include "twin/session/clock.h"
#include "twin/store.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>

namespace twin {

// What is selected: an asset, a GPU (campus-wide index), or a job.
struct Selection {
    AssetIndex asset = kNoAsset;
    std::int64_t gpu = -1;
    int job = 0;                       // store job id, 0: none
    bool empty() const { return asset == kNoAsset && gpu < 0 && job == 0; }
    bool operator==(const Selection&) const = default;
};

// A value of one quantity of one asset at the clock's time.
struct AssetValue {
    std::string series;                // the series it comes from ("source", "job", ...)
    std::string quantity, unit;
    double value = 0;
    TimeMs t = 0;                      // time of the sample used
};

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    // Opens a store read-only; throws twin::Error. Replaces any open store.
    void open(const std::string& path);
    bool isOpen() const { return reader_ != nullptr; }
    const std::string& path() const;

    StoreReader& reader() const { return *reader_; }
    const Campus& campus() const { return reader_->campus(); }
    Clock& clock() { return clock_; }
    const Clock& clock() const { return clock_; }

    // The state of everything at the clock's time (recomputed when the time or data changes).
    const CampusState& state() const { return state_; }
    // One series' state by name, or nullptr.
    const SeriesState* series(const std::string& name) const;
    // Position of an asset in a series (List / Racks / Jobs), -1 if absent.
    std::int64_t positionIn(const std::string& series, AssetIndex asset) const;
    // Every recorded value of an asset (or GPU) at the clock's time.
    std::vector<AssetValue> valuesOf(const Selection& s) const;

    const Selection& selection() const { return selection_; }
    // The build-out: whether asset `a` is commissioned at the clock's time (docs/campus.md).
    bool commissioned(AssetIndex a) const { return campus().commissionedAt(a, clock_.time()); }

public slots:
    void select(const twin::Selection& s);
    // Looks for data committed by a writer (live tailing); runs on a 50 ms timer too.
    void refresh();

signals:
    void opened();
    void stateChanged();               // after the state at the clock's time was recomputed
    void selectionChanged(const twin::Selection& s);
    void dataGrew();                   // the store's span grew (live)
    // Reads found more damaged data (StoreReader::damage(); the state skips it). Checked after
    // each state and on the tail timer, so damage found by any view's range reads shows too.
    void damageFound();

private:
    void recompute();

    std::unique_ptr<StoreReader> reader_;
    Clock clock_;
    CampusState state_;
    Selection selection_;
    QTimer tail_;
    std::string emptyPath_;
    std::size_t damageSeen_ = 0;
    void noticeDamage();
};

} // namespace twin

Q_DECLARE_METATYPE(twin::Selection)
