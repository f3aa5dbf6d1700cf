// The plant map: which Sparkplug B metric (group, edge node, device, metric name) or which plain
// MQTT topic with a JSON payload is which plant asset's quantity, with the scale and offset to the
// twin's unit. A CSV file (docs/ingest.md, "The plant map"):
//
//   kind,group,node,device,metric,topic,field,asset,quantity,scale,offset,stale_after
//   sparkplug,colossus,testsite,sub.gts,power_mw,,,testsite/sub/gts,power,1,0,
//   json,,,,,plant/*/power,value,*,power,0.001,0,30
//
// `*` in group / node / device / metric / topic matches any text (slashes included); an asset of
// `*` takes the text the first `*` matched. The first row that matches a message wins.
#pragma once

#include "twin/campus.h"
#include "twin/sim/plant_series.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::ingest {

// One quantity of one asset of a plant series: `series` is a sim::PlantSeries, `position` the
// asset's place in the series' list, `quantity` the index in the series' quantities.
struct PlantTarget {
    std::int16_t series = -1;
    std::int16_t quantity = 0;
    std::int32_t position = 0;
    bool operator==(const PlantTarget&) const = default;
};

struct PlantMapRow {
    enum class Kind { Sparkplug, Json } kind = Kind::Sparkplug;
    int line = 0;
    std::string group, node, device, metric;   // Sparkplug; device empty: a node metric
    std::string topic, field = "value";        // JSON
    std::string asset, quantity;
    double scale = 1, offset = 0;              // twin value = sent × scale + offset
    TimeMs staleAfterMs = -1;                  // -1: the default (Sparkplug: only by death; JSON: --plant-stale-after)
};

// Where each plant asset sits in the plant series (built from sim::plantAssets).
class PlantLayout {
public:
    explicit PlantLayout(const Campus& campus);
    // The target of `quantity` of asset `id`, or an error saying why there is none.
    std::optional<PlantTarget> target(std::string_view id, std::string_view quantity, std::string* why) const;
    const sim::PlantAssets& assets() const { return assets_; }
    // The asset list of each series (sim::PlantSeries order).
    const std::vector<AssetIndex>& seriesAssets(int series) const { return lists_[series]; }
    const Campus& campus() const { return campus_; }

private:
    const Campus& campus_;
    sim::PlantAssets assets_;
    std::vector<AssetIndex> lists_[sim::kPlantSeriesCount];
    std::vector<std::string> quantities_[sim::kPlantSeriesCount];   // quantity names of each series
    std::string seriesNames_[sim::kPlantSeriesCount];
    std::map<std::string, std::vector<std::pair<int, int>>, std::less<>> where_;   // id -> (series, position)
};

struct PlantMatch {
    PlantTarget target;
    double scale = 1, offset = 0;
    TimeMs staleAfterMs = -1;   // -1: the row sets none
    int line = 0;
    bool json = false;          // from a json row
};

class PlantMap {
public:
    // Throws twin::Error("FILE:LINE", "field 'F': ...") for the first bad line.
    static PlantMap load(const std::string& path, const PlantLayout& layout);
    static PlantMap parse(std::string_view text, const std::string& source, const PlantLayout& layout);
    // The map of what colossus-sim --sparkplug publishes for this campus (group `group`).
    static PlantMap defaultFor(const PlantLayout& layout, const std::string& group);
    void write(const std::string& path) const;
    std::string text() const;

    // The row for a Sparkplug metric (device empty for a node metric), or nullopt with *why set
    // when a pattern row matched but named no asset quantity, or empty when no row matched.
    std::optional<PlantMatch> matchSparkplug(std::string_view group, std::string_view node, std::string_view device,
                                             std::string_view metric, std::string* why) const;
    std::optional<PlantMatch> matchJson(std::string_view topic, std::string* field, std::string* why) const;

    // MQTT subscriptions covering the JSON rows' topics (a `*` level and all after it: `#`).
    std::vector<std::string> jsonSubscriptions() const;
    // Every target a literal row names (the assets whose quality can be other than missing), and
    // whether some pattern row may name any asset.
    std::vector<PlantMatch> literalTargets() const;
    bool hasPatternAssets() const;
    const std::vector<PlantMapRow>& rows() const { return rows_; }

private:
    explicit PlantMap(const PlantLayout& layout) : layout_(&layout) {}
    std::optional<PlantMatch> resolve(const PlantMapRow& row, const std::string& capture, std::string* why) const;
    const PlantLayout* layout_;
    std::vector<PlantMapRow> rows_;
    std::vector<std::optional<PlantTarget>> literal_;   // per row: its target when its asset is literal
};

// `*` matches any run of characters; the text the first `*` matched goes to *capture (if given
// and still empty).
bool globMatch(std::string_view pattern, std::string_view text, std::string* capture = nullptr);

} // namespace twin::ingest
