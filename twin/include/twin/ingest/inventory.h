// The inventory: which GPUs of the campus each host holds, read from a CSV file in the shape of
// a DCIM export (docs/ingest.md, "The inventory file"):
//
//   host,rack,first_slot,gpus
//   node-0001,colossus1/hall1/row01/rack01,0,8
//
// A host's device index d (dcgm-exporter's `gpu` label, 0 ... gpus-1) is the GPU in slot
// first_slot + d of its rack, i.e. campus-wide GPU rack.gpuFirst + first_slot + d.
#pragma once

#include "twin/campus.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace twin::ingest {

struct InventoryHost {
    std::string host;
    std::string rack;            // rack asset id
    int firstSlot = 0;           // the rack slot of device index 0
    int gpus = 0;
    std::int64_t gpuFirst = 0;   // campus-wide GPU index of device index 0
    int line = 0;                // line in the file it came from (0: built)
};

class Inventory {
public:
    // Reads a file. Throws twin::Error "<file>:<line>: field '<name>': <problem>" for the first
    // bad line (unknown rack, slots outside the rack or claimed twice, duplicate host, ...).
    static Inventory load(const std::string& path, const Campus& campus);
    static Inventory parse(std::string_view text, const std::string& source, const Campus& campus);

    // Every rack's GPUs on hosts of `gpusPerHost` (the last host of a rack takes what is left),
    // named defaultHostName(rack id, k) with k from 1.
    static Inventory defaultFor(const Campus& campus, int gpusPerHost = 8);
    static std::string defaultHostName(std::string_view rackId, int k);

    std::string toCsv() const;
    void write(const std::string& path) const;   // throws twin::Error

    const InventoryHost* find(std::string_view host) const;   // nullptr if unknown
    const std::vector<InventoryHost>& hosts() const { return hosts_; }
    std::int64_t gpuCount() const;               // GPUs covered by the inventory

private:
    void add(InventoryHost h);
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::vector<InventoryHost> hosts_;
    std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> byHost_;
};

} // namespace twin::ingest
