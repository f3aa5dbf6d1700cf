#include "store_commands.h"

#include "twin/store_check.h"

#include <cstdio>

namespace colossus_twin {

namespace {
constexpr int kDamaged = 2, kRefused = 3;
}

int checkCommand(const QString& store) {
    const auto check = twin::checkStore(store.toStdString());
    const std::string report = twin::describeCheck(check);
    switch (check.verdict) {
    case twin::StoreCheck::Verdict::Clean: std::fputs(report.c_str(), stdout); return 0;
    case twin::StoreCheck::Verdict::Damaged: std::fputs(report.c_str(), stdout); return kDamaged;
    case twin::StoreCheck::Verdict::Refused: std::fprintf(stderr, "colossus-twin: %s\n", check.refusal.c_str()); return kRefused;
    }
    return kRefused;
}

int salvageCommand(const QString& store, const QString& out) {
    try {
        auto source = twin::StoreReader::open(store.toStdString());
        const auto lost = twin::salvageStore(*source, out.toStdString());
        std::printf("%s: salvaged to %s\n", source->path().c_str(), out.toStdString().c_str());
        if (lost.empty()) {
            std::printf("nothing was damaged: the copy is complete\n");
            return 0;
        }
        std::printf("left out (damaged):\n");
        for (const auto& d : lost)
            std::printf("  %s %s %s%s: %s\n", d.what == twin::DamagedRange::What::Chunk ? "signal" : "series",
                        d.name.c_str(), twin::formatUtc(d.first).c_str(),
                        d.last != d.first ? (" to " + twin::formatUtc(d.last)).c_str() : "", d.problem.c_str());
        return kDamaged;
    } catch (const twin::Error& e) {
        std::fprintf(stderr, "colossus-twin: --salvage: %s\n", e.what());
        return 1;
    }
}

} // namespace colossus_twin
