// Remote-write bodies for the ingest tests, built the way a sender builds them: the protobuf
// library encodes the WriteRequest (labels sorted), snappy compresses it in block format.
#pragma once

#include "twin/store.h"

#include "remote_write.pb.h"

#include <snappy.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace ingest_test {

struct SeriesDef {
    std::vector<std::pair<std::string, std::string>> labels;   // any order: sorted when encoded
    std::vector<std::pair<twin::TimeMs, double>> samples;
};

// One dcgm-exporter series of device `device` on `host`.
inline SeriesDef series(const std::string& metric, const std::string& host, int device,
                        std::vector<std::pair<twin::TimeMs, double>> samples,
                        const std::string& hostLabel = "Hostname")
{
    return {{{"__name__", metric},
             {hostLabel, host},
             {"gpu", std::to_string(device)},
             {"UUID", "GPU-" + host + "-" + std::to_string(device)},
             {"modelName", "NVIDIA H100 80GB HBM3"}},
            std::move(samples)};
}

// The uncompressed protobuf bytes of a WriteRequest.
inline std::string protobufBytes(const std::vector<SeriesDef>& defs)
{
    twin::ingest::rw::WriteRequest req;
    for (const SeriesDef& d : defs) {
        auto* ts = req.add_timeseries();
        auto labels = d.labels;
        std::sort(labels.begin(), labels.end());
        for (const auto& [n, v] : labels) {
            auto* l = ts->add_labels();
            l->set_name(n);
            l->set_value(v);
        }
        for (const auto& [t, v] : d.samples) {
            auto* s = ts->add_samples();
            s->set_timestamp(t);
            s->set_value(v);
        }
    }
    std::string out;
    req.SerializeToString(&out);
    return out;
}

inline std::string snappyOf(const std::string& raw)
{
    std::string out;
    snappy::Compress(raw.data(), raw.size(), &out);
    return out;
}

inline std::string body(const std::vector<SeriesDef>& defs) { return snappyOf(protobufBytes(defs)); }

} // namespace ingest_test
