#include "twin/ingest/inventory.h"

#include "twin/error.h"

#include "csv_line.h"

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace twin::ingest {

namespace {

constexpr std::array<std::string_view, 4> kColumns = {"host", "rack", "first_slot", "gpus"};

using csv::trim;

bool splitCsv(std::string_view line, std::vector<std::string>& out) { return csv::split(line, out); }
std::string quoteCsv(const std::string& s) { return csv::quote(s); }

} // namespace

Inventory Inventory::parse(std::string_view text, const std::string& source, const Campus& campus)
{
    Inventory inv;
    std::array<int, kColumns.size()> column{};   // field index of each required column
    bool haveHeader = false;
    std::vector<std::string> fields;
    std::vector<int> owner(static_cast<std::size_t>(campus.gpuCount()), 0);   // line holding each GPU
    int lineNo = 0;
    std::size_t width = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        if (line.empty() || line.front() == '#') continue;
        const auto fail = [&](const std::string& problem) -> Error {
            return Error(source + ":" + std::to_string(lineNo), problem);
        };
        if (!splitCsv(line, fields)) throw fail("unterminated quote");
        if (!haveHeader) {
            for (std::size_t c = 0; c < kColumns.size(); ++c) {
                column[c] = -1;
                for (std::size_t f = 0; f < fields.size(); ++f)
                    if (fields[f] == kColumns[c]) column[c] = static_cast<int>(f);
                if (column[c] < 0)
                    throw fail("header has no column '" + std::string(kColumns[c]) +
                               "' (expected host,rack,first_slot,gpus)");
            }
            width = fields.size();
            haveHeader = true;
            continue;
        }
        if (fields.size() != width)
            throw fail("expected " + std::to_string(width) + " fields as in the header, found " +
                       std::to_string(fields.size()));
        const auto field = [&](int c) -> const std::string& { return fields[column[c]]; };
        const auto fieldFail = [&](int c, const std::string& problem) {
            return fail("field '" + std::string(kColumns[c]) + "': " + problem);
        };
        const auto number = [&](int c, int min) {
            const std::string& s = field(c);
            int v = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < min)
                throw fieldFail(c, "'" + s + "' is not a whole number >= " + std::to_string(min));
            return v;
        };
        InventoryHost h;
        h.line = lineNo;
        h.host = field(0);
        if (h.host.empty()) throw fieldFail(0, "empty");
        if (const InventoryHost* dup = inv.find(h.host))
            throw fieldFail(0, "host '" + h.host + "' is already on line " + std::to_string(dup->line));
        h.rack = field(1);
        const AssetIndex r = campus.find(h.rack);
        if (r == kNoAsset || campus.assets[r].kind != AssetKind::Rack)
            throw fieldFail(1, "'" + h.rack + "' is not a rack of campus '" + campus.name + "'");
        h.firstSlot = number(2, 0);
        h.gpus = number(3, 1);
        const Asset& rack = campus.assets[r];
        if (h.firstSlot + static_cast<std::int64_t>(h.gpus) > rack.gpuCount)
            throw fieldFail(3, "slots " + std::to_string(h.firstSlot) + "-" +
                                   std::to_string(std::int64_t{h.firstSlot} + h.gpus - 1) +
                                   " are not all in rack '" + h.rack + "' (slots 0-" +
                                   std::to_string(rack.gpuCount - 1) + ")");
        h.gpuFirst = rack.gpuFirst + h.firstSlot;
        for (int d = 0; d < h.gpus; ++d) {
            int& o = owner[static_cast<std::size_t>(h.gpuFirst + d)];
            if (o != 0)
                throw fieldFail(2, "slot " + std::to_string(h.firstSlot + d) + " of rack '" + h.rack +
                                       "' is already held by the host on line " + std::to_string(o));
            o = lineNo;
        }
        inv.add(std::move(h));
    }
    if (!haveHeader) throw Error(source, "no header line (expected host,rack,first_slot,gpus)");
    return inv;
}

Inventory Inventory::load(const std::string& path, const Campus& campus)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot read the inventory file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path, campus);
}

std::string Inventory::defaultHostName(std::string_view rackId, int k)
{
    return std::string(rackId) + "-n" + std::to_string(k);
}

Inventory Inventory::defaultFor(const Campus& campus, int gpusPerHost)
{
    Inventory inv;
    for (AssetIndex r : campus.racks()) {
        const Asset& rack = campus.assets[r];
        int k = 1;
        for (std::int64_t slot = 0; slot < rack.gpuCount; slot += gpusPerHost, ++k) {
            InventoryHost h;
            h.host = defaultHostName(rack.id, k);
            h.rack = rack.id;
            h.firstSlot = static_cast<int>(slot);
            h.gpus = static_cast<int>(std::min<std::int64_t>(gpusPerHost, rack.gpuCount - slot));
            h.gpuFirst = rack.gpuFirst + slot;
            inv.add(std::move(h));
        }
    }
    return inv;
}

void Inventory::add(InventoryHost h)
{
    if (h.host.size() > 0xffff) throw Error(h.host.substr(0, 40) + "...", "host name longer than 65535 bytes");
    if (h.gpus > 0xffff) throw Error(h.host, "more than 65535 GPUs on one host");
    if ((hosts_.size() + 1) * 2 > slots_.size()) {   // grow, keeping the table at most half full
        decltype(slots_) old(std::max<std::size_t>(64, slots_.size() * 2));
        old.swap(slots_);
        for (const Slot& s : old)
            if (s.index) insert(s);
    }
    Slot slot;
    slot.hash = hashOf(h.host);
    slot.gpuFirst = h.gpuFirst;
    slot.index = static_cast<std::uint32_t>(hosts_.size() + 1);
    slot.gpus = static_cast<std::uint16_t>(h.gpus);
    slot.length = static_cast<std::uint16_t>(h.host.size());
    if (h.host.size() <= kInlineName) {
        std::memcpy(slot.name, h.host.data(), h.host.size());
    } else {
        const auto offset = static_cast<std::uint64_t>(names_.size());
        std::memcpy(slot.name, &offset, sizeof offset);
        names_ += h.host;
    }
    insert(slot);
    hosts_.push_back(std::move(h));
}

void Inventory::insert(const Slot& slot)
{
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = slot.hash & mask;
    while (slots_[i].index) i = (i + 1) & mask;
    slots_[i] = slot;
}

std::string_view Inventory::nameOf(const Slot& slot) const
{
    if (slot.length <= kInlineName) return {slot.name, slot.length};
    std::uint64_t offset = 0;
    std::memcpy(&offset, slot.name, sizeof offset);
    return std::string_view(names_).substr(offset, slot.length);
}

std::uint64_t Inventory::hashOf(std::string_view host)
{
    return std::hash<std::string_view>{}(host);
}

void Inventory::prefetch(std::uint64_t hash) const
{
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
}

bool Inventory::lookup(std::string_view host, std::uint64_t hash, HostRef& out) const
{
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask; slots_[i].index; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.hash != hash || s.length != host.size() || nameOf(s) != host) continue;
        out = {s.gpuFirst, s.gpus, s.index - 1};
        return true;
    }
    return false;
}

const InventoryHost* Inventory::find(std::string_view host) const
{
    HostRef ref;
    return lookup(host, hashOf(host), ref) ? &hosts_[ref.index] : nullptr;
}

std::int64_t Inventory::gpuCount() const
{
    std::int64_t n = 0;
    for (const auto& h : hosts_) n += h.gpus;
    return n;
}

std::string Inventory::toCsv() const
{
    std::string out = "host,rack,first_slot,gpus\n";
    for (const auto& h : hosts_)
        out += quoteCsv(h.host) + "," + quoteCsv(h.rack) + "," + std::to_string(h.firstSlot) + "," +
               std::to_string(h.gpus) + "\n";
    return out;
}

void Inventory::write(const std::string& path) const
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path, "cannot write the inventory file");
    out << toCsv();
    out.flush();
    if (!out) throw Error(path, "write failed");
}

} // namespace twin::ingest
