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
#include "twin/ingest/huge_page_allocator.h"

#include <cstdint>
#include <string>
#include <string_view>
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

    // The receiver's lookup, for every sample, in no host order: hash first, prefetch() the
    // hashes of the series coming next, then lookup() each (docs/ingest.md, "Limits").
    struct HostRef {
        std::int64_t gpuFirst = 0;
        int gpus = 0;
        std::uint32_t index = 0;                 // in hosts()
    };
    static std::uint64_t hashOf(std::string_view host);
    void prefetch(std::uint64_t hash) const;
    bool lookup(std::string_view host, std::uint64_t hash, HostRef& out) const;

private:
    void add(InventoryHost h);
    // One cache line per host: what the lookup needs and the name itself when it fits (longer
    // names live in names_), so that a lookup costs one memory access.
    static constexpr std::size_t kInlineName = 40;
    struct alignas(64) Slot {
        std::uint64_t hash = 0;
        std::int64_t gpuFirst = 0;
        std::uint32_t index = 0;                 // host + 1; 0: an empty slot
        std::uint16_t gpus = 0;
        std::uint16_t length = 0;                // of the name
        char name[kInlineName] = {};             // the name, or (when longer) its offset in names_
    };
    static_assert(sizeof(Slot) == 64);
    std::string_view nameOf(const Slot& slot) const;
    void insert(const Slot& slot);
    std::vector<InventoryHost> hosts_;
    std::vector<Slot, detail::HugePageAllocator<Slot>> slots_;   // a power of two, at most half full
    std::string names_;                          // names longer than kInlineName
};

} // namespace twin::ingest
