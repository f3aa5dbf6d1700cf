// colossus-sim --live --dcgm-exporter HOST:PORT --exporter-hosts N: the simulator's GPUs served as
// NVIDIA dcgm-exporter serves a real host's, for N hosts of the campus's default inventory
// (twin::ingest::Inventory::defaultFor, as `colossus-ingest --write-inventory` writes it): one
// HTTP server per host, like real hosts, on PORT + k (PORT 0: any free ports, printed), each
// answering GET /metrics in the text exposition format with dcgm-exporter's label set (gpu, UUID,
// pci_bus_id, device, modelName, Hostname, DCGM_FI_DRIVER_VERSION): power, utilisation,
// temperature, the last XID and the total energy, from the latest recorded GPU frame. Scrapeable
// by colossus-ingest --scrape and by a Prometheus. docs/ingest.md, "Scraping targets".
#pragma once

#include "twin/campus.h"
#include "twin/ingest/inventory.h"
#include "twin/sim/simulator.h"

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib { class Server; }

namespace colossus_sim {

struct ExporterConfig {
    std::string host = "127.0.0.1";   // loopback unless asked
    int basePort = 9400;              // host k listens on basePort + k; 0: any free ports
    int hosts = 1;                    // the first N hosts of the default inventory
};

class DcgmExporter {
public:
    // Throws std::runtime_error when the campus has fewer hosts than asked.
    DcgmExporter(const twin::Campus& campus, ExporterConfig config);
    ~DcgmExporter();

    // Binds every port (throws std::runtime_error naming the address when one is taken).
    void bind();
    // Serves on threads of their own until stop(); prints one line per host with its URL.
    void start();
    void stop();
    // Takes the values of the served GPUs from a recorded frame (the simulator's thread).
    void update(const twin::sim::GpuTick& tick);

    struct Target {
        std::string host, url;
        std::int64_t gpuFirst = 0;
        int gpus = 0;
    };
    const std::vector<Target>& targets() const { return targets_; }

private:
    std::string metrics(std::size_t host);
    const twin::Campus& campus_;
    ExporterConfig config_;
    std::vector<twin::ingest::InventoryHost> hosts_;
    std::vector<std::string> models_;           // modelName per host
    std::vector<Target> targets_;
    std::vector<std::unique_ptr<httplib::Server>> servers_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    bool ready_ = false;                        // a frame was taken
    twin::TimeMs lastT_ = 0;
    // By served GPU (hosts in order, devices in order).
    std::vector<float> power_, util_, temp_;
    std::vector<int> xid_;
    std::vector<double> energyMj_;
};

// The exporter of --dcgm-exporter (null without it), its ports bound and fed by `sim`'s GPU
// frames. Throws std::runtime_error (a port taken, too many hosts).
struct Options;
std::unique_ptr<DcgmExporter> makeExporter(const Options& o, const twin::Campus& campus, twin::sim::Simulator& sim);

} // namespace colossus_sim
