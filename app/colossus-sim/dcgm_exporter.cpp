#include "dcgm_exporter.h"

#include "options.h"

#include <httplib.h>

#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace colossus_sim {

namespace {

constexpr const char* kDriverVersion = "550.54.15";
// The PCI buses of an HGX board's eight GPUs; further devices count on.
constexpr int kPciBus[] = {0x18, 0x2a, 0x3a, 0x5d, 0x9a, 0xab, 0xba, 0xdb};

// The shortest text that reads back as the same float: the receiver stores what was recorded.
std::string number(float v)
{
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
}

enum class Field { Temperature, Power, Energy, Utilisation, Xid };

struct Family {
    const char* name;
    const char* type;
    const char* help;
    Field field;
};

// dcgm-exporter's default fields that the simulator has, with its own help texts.
constexpr Family kFamilies[] = {
    {"DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).", Field::Temperature},
    {"DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W).", Field::Power},
    {"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy consumption since boot (in mJ).", Field::Energy},
    {"DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).", Field::Utilisation},
    {"DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered.", Field::Xid},
};

} // namespace

DcgmExporter::DcgmExporter(const twin::Campus& campus, ExporterConfig config)
    : campus_(campus), config_(std::move(config))
{
    const auto inventory = twin::ingest::Inventory::defaultFor(campus);
    if (config_.hosts < 1 || static_cast<std::size_t>(config_.hosts) > inventory.hosts().size())
        throw std::runtime_error("--exporter-hosts " + std::to_string(config_.hosts) + ": campus '" + campus.name +
                                 "' has " + std::to_string(inventory.hosts().size()) + " hosts of 8 GPUs");
    hosts_.assign(inventory.hosts().begin(), inventory.hosts().begin() + config_.hosts);
    std::size_t gpus = 0;
    for (const auto& h : hosts_) {
        const twin::Asset& rack = campus.assets[static_cast<std::size_t>(campus.find(h.rack))];
        const twin::RackType* rt = campus.rackType(rack.model);
        const twin::GpuModel* gm = rt ? campus.gpuModel(rt->gpuModel) : nullptr;
        models_.push_back("NVIDIA " + (gm ? gm->name : std::string("GPU")));
        gpus += static_cast<std::size_t>(h.gpus);
    }
    power_.assign(gpus, 0);
    util_.assign(gpus, 0);
    temp_.assign(gpus, 0);
    xid_.assign(gpus, 0);
    energyMj_.assign(gpus, 0);
}

DcgmExporter::~DcgmExporter()
{
    stop();
}

void DcgmExporter::bind()
{
    for (std::size_t k = 0; k < hosts_.size(); ++k) {
        auto server = std::make_unique<httplib::Server>();
        // Two workers: a Prometheus and colossus-ingest may both keep a connection open.
        server->new_task_queue = [] { return new httplib::ThreadPool(2); };
        server->set_keep_alive_timeout(2);
        server->set_socket_options([](socket_t sock) {   // no SO_REUSEPORT: a taken port is an error
            const int yes = 1;
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });
        server->Get("/metrics", [this, k](const httplib::Request&, httplib::Response& res) {
            std::string body = metrics(k);
            if (body.empty()) {
                res.status = 503;
                res.set_content("no GPU frame recorded yet\n", "text/plain");
                return;
            }
            res.set_content(std::move(body), "text/plain; version=0.0.4; charset=utf-8");
        });
        const int wanted = config_.basePort == 0 ? 0 : config_.basePort + static_cast<int>(k);
        const int port = wanted == 0 ? server->bind_to_any_port(config_.host)
                                     : (server->bind_to_port(config_.host, wanted) ? wanted : -1);
        if (port <= 0 || wanted > 65535)
            throw std::runtime_error("--dcgm-exporter " + config_.host + ":" + std::to_string(wanted) +
                                     ": cannot listen (address in use or not local?)");
        const std::string host = config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
        targets_.push_back({hosts_[k].host, "http://" + host + ":" + std::to_string(port) + "/metrics",
                            hosts_[k].gpuFirst, hosts_[k].gpus});
        servers_.push_back(std::move(server));
    }
}

void DcgmExporter::start()
{
    for (auto& s : servers_) threads_.emplace_back([server = s.get()] { server->listen_after_bind(); });
    for (const Target& t : targets_)
        std::printf("colossus-sim: dcgm-exporter for %s (GPUs %lld-%lld) on %s\n", t.host.c_str(),
                    static_cast<long long>(t.gpuFirst), static_cast<long long>(t.gpuFirst + t.gpus - 1), t.url.c_str());
    std::fflush(stdout);
}

void DcgmExporter::stop()
{
    for (auto& s : servers_) s->stop();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void DcgmExporter::update(const twin::sim::GpuTick& tick)
{
    std::lock_guard lock(mutex_);
    std::size_t i = 0;
    const double dtMs = ready_ ? static_cast<double>(tick.t - lastT_) : 0;
    for (const auto& h : hosts_)
        for (std::int64_t g = h.gpuFirst; g < h.gpuFirst + h.gpus; ++g, ++i) {
            const auto gi = static_cast<std::size_t>(g);
            power_[i] = tick.power[gi];
            util_[i] = tick.utilisation[gi];
            temp_[i] = tick.temperature[gi];
            xid_[i] = tick.failed[gi] ? 79 : 0;
            energyMj_[i] += static_cast<double>(tick.power[gi]) * dtMs;   // W x ms = mJ
        }
    lastT_ = tick.t;
    ready_ = true;
}

std::string DcgmExporter::metrics(std::size_t k)
{
    const auto& h = hosts_[k];
    std::size_t first = 0;
    for (std::size_t j = 0; j < k; ++j) first += static_cast<std::size_t>(hosts_[j].gpus);
    std::vector<std::string> labels;
    for (int d = 0; d < h.gpus; ++d) {
        char buf[320];
        const int bus = d < 8 ? kPciBus[d] : 0xdb + d - 7;
        std::snprintf(buf, sizeof buf,
                      "{gpu=\"%d\",UUID=\"GPU-%08llx-5a1e-4c0d-9e37-%012llx\",pci_bus_id=\"00000000:%02X:00.0\","
                      "device=\"nvidia%d\",modelName=\"%s\",Hostname=\"%s\",DCGM_FI_DRIVER_VERSION=\"%s\"} ",
                      d, static_cast<unsigned long long>(h.gpuFirst + d), static_cast<unsigned long long>(k), bus & 0xff,
                      d, models_[k].c_str(), h.host.c_str(), kDriverVersion);
        labels.emplace_back(buf);
    }
    std::lock_guard lock(mutex_);
    if (!ready_) return {};
    std::string out;
    out.reserve(static_cast<std::size_t>(h.gpus) * 5 * 320);
    for (const Family& f : kFamilies) {
        out += std::string("# HELP ") + f.name + " " + f.help + "\n# TYPE " + f.name + " " + f.type + "\n";
        for (int d = 0; d < h.gpus; ++d) {
            const std::size_t i = first + static_cast<std::size_t>(d);
            out += f.name;
            out += labels[static_cast<std::size_t>(d)];
            switch (f.field) {
            case Field::Temperature: out += number(temp_[i]); break;
            case Field::Power: out += number(power_[i]); break;
            case Field::Energy: out += std::to_string(static_cast<long long>(energyMj_[i])); break;
            case Field::Utilisation: out += number(util_[i]); break;
            case Field::Xid: out += std::to_string(xid_[i]); break;
            }
            out += '\n';
        }
    }
    return out;
}

std::unique_ptr<DcgmExporter> makeExporter(const Options& o, const twin::Campus& campus, twin::sim::Simulator& sim)
{
    if (o.exporterHost.empty()) return nullptr;
    auto exporter = std::make_unique<DcgmExporter>(campus, ExporterConfig{o.exporterHost, o.exporterPort, o.exporterHosts});
    exporter->bind();
    sim.onGpuTick([e = exporter.get()](const twin::sim::GpuTick& tick) { e->update(tick); });
    return exporter;
}

} // namespace colossus_sim
