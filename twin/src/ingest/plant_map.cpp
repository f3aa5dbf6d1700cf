#include "twin/ingest/plant_map.h"

#include "twin/error.h"
#include "twin/ingest/plant_sparkplug_names.h"

#include "csv_line.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace twin::ingest {

namespace {

constexpr std::array<std::string_view, 12> kColumns = {"kind",  "group", "node",     "device", "metric", "topic",
                                                        "field", "asset", "quantity", "scale",  "offset", "stale_after"};
enum Column { Kind, Group, Node, Device, Metric, Topic, Field, Asset, Quantity, Scale, Offset, StaleAfter };

// The quantity names of every plant series, for "is this a plant quantity at all".
bool isPlantQuantity(const Campus& campus, std::string_view q)
{
    const sim::PlantAssets none;
    for (int s = 0; s < sim::kPlantSeriesCount; ++s)
        for (const twin::Quantity& x : sim::plantSeriesSpec(static_cast<sim::PlantSeries>(s), campus, none, 1000).quantities)
            if (x.name == q) return true;
    return false;
}

bool parseNumber(const std::string& text, double& out)
{
    if (text.empty()) return false;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(out);
}

} // namespace

namespace {
// Whether `pattern` (`*`: any run) matches all of `text`, in O(pattern x text): on a mismatch only
// the last `*` takes one more character. (Recursing on every `*` took exponential time for a row
// of many stars: a fuzz_plant_map finding.)
bool starMatch(std::string_view pattern, std::string_view text)
{
    std::size_t p = 0, t = 0, star = std::string_view::npos, starText = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            starText = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}
} // namespace

bool globMatch(std::string_view pattern, std::string_view text, std::string* capture)
{
    const auto star = pattern.find('*');
    if (star == std::string_view::npos) return pattern == text;
    const std::string_view prefix = pattern.substr(0, star), rest = pattern.substr(star + 1);
    if (text.substr(0, prefix.size()) != prefix) return false;
    // The first `*` captures the shortest run after which the rest matches.
    for (std::size_t len = 0; prefix.size() + len <= text.size(); ++len) {
        if (starMatch(rest, text.substr(prefix.size() + len))) {
            if (capture && capture->empty()) *capture = std::string(text.substr(prefix.size(), len));
            return true;
        }
    }
    return false;
}

PlantLayout::PlantLayout(const Campus& campus) : campus_(campus), assets_(sim::plantAssets(campus))
{
    for (int s = 0; s < sim::kPlantSeriesCount; ++s) {
        std::vector<AssetIndex> scratch;
        lists_[s] = sim::plantSeriesAssets(static_cast<sim::PlantSeries>(s), assets_, scratch);
        for (std::size_t i = 0; i < lists_[s].size(); ++i)
            where_[campus.assets[lists_[s][i]].id].emplace_back(s, static_cast<int>(i));
        const auto spec = sim::plantSeriesSpec(static_cast<sim::PlantSeries>(s), campus, sim::PlantAssets{}, 1000);
        seriesNames_[s] = spec.name;
        for (const twin::Quantity& q : spec.quantities) quantities_[s].push_back(q.name);
    }
}

std::optional<PlantTarget> PlantLayout::target(std::string_view id, std::string_view quantity, std::string* why) const
{
    const auto it = where_.find(id);
    if (it == where_.end()) {
        if (why) *why = "'" + std::string(id) + "' is not a plant asset of campus '" + campus_.name + "'";
        return std::nullopt;
    }
    std::string offered;
    for (const auto& [s, position] : it->second) {
        for (std::size_t q = 0; q < quantities_[s].size(); ++q) {
            if (quantities_[s][q] == quantity)
                return PlantTarget{static_cast<std::int16_t>(s), static_cast<std::int16_t>(q), position};
            offered += (offered.empty() ? "" : ", ") + seriesNames_[s] + "." + quantities_[s][q];
        }
    }
    if (why) *why = "'" + std::string(quantity) + "' is not a quantity of '" + std::string(id) + "' (it has " + offered + ")";
    return std::nullopt;
}

PlantMap PlantMap::load(const std::string& path, const PlantLayout& layout)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot read the plant map");
    std::stringstream text;
    text << in.rdbuf();
    return parse(text.str(), path, layout);
}

PlantMap PlantMap::parse(std::string_view text, const std::string& source, const PlantLayout& layout)
{
    PlantMap map(layout);
    std::array<int, kColumns.size()> column;
    column.fill(-1);
    bool haveHeader = false;
    std::vector<std::string> fields;
    std::size_t width = 0;
    int lineNo = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = csv::trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        if (line.empty() || line.front() == '#') continue;
        const auto fail = [&](const std::string& problem) { return Error(source + ":" + std::to_string(lineNo), problem); };
        if (!csv::split(line, fields)) throw fail("unterminated quote");
        if (!haveHeader) {
            for (std::size_t f = 0; f < fields.size(); ++f)
                for (std::size_t c = 0; c < kColumns.size(); ++c)
                    if (fields[f] == kColumns[c]) {
                        if (column[c] >= 0) throw fail("column '" + fields[f] + "' appears twice");
                        column[c] = static_cast<int>(f);
                    }
            for (Column c : {Kind, Asset, Quantity})
                if (column[c] < 0)
                    throw fail("the header has no column '" + std::string(kColumns[c]) +
                               "' (columns: kind,group,node,device,metric,topic,field,asset,quantity,scale,offset,"
                               "stale_after)");
            width = fields.size();
            haveHeader = true;
            continue;
        }
        if (fields.size() != width)
            throw fail(std::to_string(fields.size()) + " fields, the header has " + std::to_string(width));
        const auto get = [&](Column c) { return column[c] < 0 ? std::string() : fields[column[c]]; };
        const auto bad = [&](Column c, const std::string& problem) {
            return fail("field '" + std::string(kColumns[c]) + "': " + problem);
        };
        PlantMapRow row;
        row.line = lineNo;
        const std::string kind = get(Kind);
        if (kind == "sparkplug") row.kind = PlantMapRow::Kind::Sparkplug;
        else if (kind == "json") row.kind = PlantMapRow::Kind::Json;
        else throw bad(Kind, "'" + kind + "' is not sparkplug or json");
        bool pattern = false;
        if (row.kind == PlantMapRow::Kind::Sparkplug) {
            row.group = get(Group), row.node = get(Node), row.device = get(Device), row.metric = get(Metric);
            for (auto [c, v] : {std::pair{Group, &row.group}, {Node, &row.node}, {Metric, &row.metric}})
                if (v->empty()) throw bad(c, "empty (a Sparkplug row names group, node and metric)");
            for (auto [c, v] : {std::pair{Group, &row.group}, {Node, &row.node}, {Device, &row.device}})
                if (v->find_first_of("/+#") != std::string::npos)
                    throw bad(c, "'" + *v + "' holds '/', '+' or '#' (Sparkplug ids cannot; use '*' for any)");
            pattern = (row.group + row.node + row.device + row.metric).find('*') != std::string::npos;
        } else {
            row.topic = get(Topic);
            if (row.topic.empty()) throw bad(Topic, "empty (a json row names its MQTT topic)");
            if (row.topic.find_first_of("+#") != std::string::npos)
                throw bad(Topic, "'" + row.topic + "' holds an MQTT wildcard ('+', '#'): use '*'");
            if (row.topic.rfind("spBv1.0/", 0) == 0) throw bad(Topic, "spBv1.0/ topics are Sparkplug B: use a sparkplug row");
            if (!get(Field).empty()) row.field = get(Field);
            pattern = row.topic.find('*') != std::string::npos;
        }
        row.asset = get(Asset);
        row.quantity = get(Quantity);
        if (row.asset.empty()) throw bad(Asset, "empty");
        if (row.quantity.empty()) throw bad(Quantity, "empty");
        const auto stars = std::count(row.asset.begin(), row.asset.end(), '*');
        std::optional<PlantTarget> literal;
        if (stars > 1) throw bad(Asset, "'" + row.asset + "' has more than one '*'");
        if (stars == 1) {
            if (!pattern) throw bad(Asset, "'" + row.asset + "' takes what a '*' matched, but the row's names have no '*'");
            if (!isPlantQuantity(layout.campus(), row.quantity))
                throw bad(Quantity, "'" + row.quantity + "' is not a quantity of any plant series");
        } else {
            std::string why;
            literal = layout.target(row.asset, row.quantity, &why);
            if (!literal) throw bad(why.find("is not a plant asset") != std::string::npos ? Asset : Quantity, why);
        }
        if (const std::string s = get(Scale); !s.empty() && !parseNumber(s, row.scale))
            throw bad(Scale, "'" + s + "' is not a number");
        if (const std::string s = get(Offset); !s.empty() && !parseNumber(s, row.offset))
            throw bad(Offset, "'" + s + "' is not a number");
        if (const std::string s = get(StaleAfter); !s.empty()) {
            double v = 0;
            if (!parseNumber(s, v) || v <= 0) throw bad(StaleAfter, "'" + s + "' is not a number of seconds > 0");
            row.staleAfterMs = std::llround(v * 1000);
        }
        map.rows_.push_back(std::move(row));
        map.literal_.push_back(literal);
    }
    if (!haveHeader) throw Error(source, "empty plant map (no header line)");
    return map;
}

PlantMap PlantMap::defaultFor(const PlantLayout& layout, const std::string& group)
{
    PlantMap map(layout);
    int line = 1;
    for (int s = 0; s < sim::kPlantSeriesCount; ++s) {
        const auto which = static_cast<sim::PlantSeries>(s);
        const auto spec = sim::plantSeriesSpec(which, layout.campus(), layout.seriesAssets(s), 1000);
        for (std::size_t i = 0; i < spec.assets.size(); ++i)
            for (std::size_t q = 0; q < spec.quantities.size(); ++q) {
                PlantMapRow row;
                row.line = ++line;
                row.group = group;
                row.node = sparkplug::edgeNodeOf(spec.assets[i]);
                row.device = sparkplug::deviceOf(spec.assets[i]);
                row.metric = sparkplug::metricName(which, static_cast<int>(q));
                row.asset = spec.assets[i];
                row.quantity = spec.quantities[q].name;
                map.rows_.push_back(row);
                map.literal_.push_back(
                    PlantTarget{static_cast<std::int16_t>(s), static_cast<std::int16_t>(q), static_cast<std::int32_t>(i)});
            }
    }
    return map;
}

std::string PlantMap::text() const
{
    std::string out = "kind,group,node,device,metric,topic,field,asset,quantity,scale,offset,stale_after\n";
    const auto num = [](double v) {
        std::ostringstream s;
        s.precision(17);
        s << v;
        return s.str();
    };
    for (const PlantMapRow& r : rows_) {
        const bool sp = r.kind == PlantMapRow::Kind::Sparkplug;
        out += std::string(sp ? "sparkplug" : "json") + "," + csv::quote(r.group) + "," + csv::quote(r.node) + "," +
               csv::quote(r.device) + "," + csv::quote(r.metric) + "," + csv::quote(r.topic) + "," +
               (sp ? std::string() : csv::quote(r.field)) + "," + csv::quote(r.asset) + "," + csv::quote(r.quantity) +
               "," + num(r.scale) + "," + num(r.offset) + "," +
               (r.staleAfterMs > 0 ? num(static_cast<double>(r.staleAfterMs) / 1000) : std::string()) + "\n";
    }
    return out;
}

void PlantMap::write(const std::string& path) const
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text();
    out.close();
    if (!out) throw Error(path, "cannot write the plant map");
}

std::optional<PlantMatch> PlantMap::resolve(const PlantMapRow& row, const std::string& capture, std::string* why) const
{
    const std::size_t k = static_cast<std::size_t>(&row - rows_.data());
    PlantMatch m{{}, row.scale, row.offset, row.staleAfterMs, row.line, row.kind == PlantMapRow::Kind::Json};
    if (literal_[k]) {
        m.target = *literal_[k];
        return m;
    }
    std::string asset = row.asset;
    asset.replace(asset.find('*'), 1, capture);
    std::string problem;
    const auto t = layout_->target(asset, row.quantity, &problem);
    if (!t) {
        if (why) *why = "plant map line " + std::to_string(row.line) + ": " + problem;
        return std::nullopt;
    }
    m.target = *t;
    return m;
}

std::optional<PlantMatch> PlantMap::matchSparkplug(std::string_view group, std::string_view node,
                                                   std::string_view device, std::string_view metric,
                                                   std::string* why) const
{
    for (const PlantMapRow& r : rows_) {
        if (r.kind != PlantMapRow::Kind::Sparkplug) continue;
        std::string capture;
        if (!globMatch(r.group, group, &capture) || !globMatch(r.node, node, &capture) ||
            !globMatch(r.device, device, &capture) || !globMatch(r.metric, metric, &capture))
            continue;
        return resolve(r, capture, why);
    }
    return std::nullopt;
}

std::optional<PlantMatch> PlantMap::matchJson(std::string_view topic, std::string* field, std::string* why) const
{
    for (const PlantMapRow& r : rows_) {
        std::string capture;
        if (r.kind != PlantMapRow::Kind::Json || !globMatch(r.topic, topic, &capture)) continue;
        if (field) *field = r.field;
        return resolve(r, capture, why);
    }
    return std::nullopt;
}

std::vector<std::string> PlantMap::jsonSubscriptions() const
{
    std::vector<std::string> subs;
    for (const PlantMapRow& r : rows_) {
        if (r.kind != PlantMapRow::Kind::Json) continue;
        std::string s = r.topic;
        if (const auto star = s.find('*'); star != std::string::npos) {
            const auto slash = s.rfind('/', star);
            s = (slash == std::string::npos ? std::string() : s.substr(0, slash + 1)) + "#";
        }
        if (std::find(subs.begin(), subs.end(), s) == subs.end()) subs.push_back(s);
    }
    return subs;
}

std::vector<PlantMatch> PlantMap::literalTargets() const
{
    std::vector<PlantMatch> out;
    for (std::size_t k = 0; k < rows_.size(); ++k)
        if (literal_[k]) out.push_back({*literal_[k], rows_[k].scale, rows_[k].offset, rows_[k].staleAfterMs, rows_[k].line,
                           rows_[k].kind == PlantMapRow::Kind::Json});
    return out;
}

bool PlantMap::hasPatternAssets() const
{
    for (std::size_t k = 0; k < rows_.size(); ++k)
        if (!literal_[k]) return true;
    return false;
}

} // namespace twin::ingest
