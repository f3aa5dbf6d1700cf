#include "compute/compute_totals.h"

#include "twin/query/data_quality.h"

#include "common/gpu_status.h"
#include "common/series_lookup.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

using namespace twin;
using twin::sim::series::Gpu, twin::sim::series::Hall, twin::sim::series::Rack;

namespace views {

Totals computeTotals(const Session& session, const RackFacts& facts) {
    Totals out;
    if (!session.isOpen()) return out;
    const Campus& campus = session.campus();
    out.t = session.state().t;
    // The build-out: GPUs of racks not commissioned at the clock's time are not there yet.
    const TimeMs now = session.clock().time();
    for (AssetIndex r : campus.racks())
        if (campus.assets[static_cast<std::size_t>(r)].commissionedAt(now)) out.gpus += campus.assets[static_cast<std::size_t>(r)].gpuCount;
    const auto quality = twin::query::countQualities(session.series(twin::query::qualitySeriesName(Gpu::name)));
    out.staleGpus = quality.stale;
    out.missingGpus = quality.missing;
    const auto* power = valuesAtClock<Gpu>(session, Gpu::Power);
    const auto* util = valuesAtClock<Gpu>(session, Gpu::Utilisation);
    const auto* rackKw = valuesAtClock<Rack>(session, Rack::Power);
    if (!power || !util || !rackKw || facts.peakTflops.size() != campus.racks().size()) return out;
    out.valid = true;

    const auto& racks = campus.racks();
    double itKw = 0;
    for (std::size_t r = 0; r < racks.size(); ++r) {
        const Asset& a = campus.assets[static_cast<std::size_t>(racks[r])];
        if (!a.commissionedAt(now)) continue;
        itKw += (*rackKw)[r];
        double utilSum = 0;   // % x GPUs in use of this rack
        for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
            const float u = (*util)[static_cast<std::size_t>(g)];
            out.healthyGpus += gpuHealthy((*power)[static_cast<std::size_t>(g)], u);
            if (gpuInUse(u)) {
                ++out.gpusInUse;
                utilSum += u;
            }
        }
        out.sustainedTflops += utilSum / 100 * facts.peakTflops[r];
    }
    out.itMw = itKw / 1000;
    if (const auto* cooling = valuesAtClock<Hall>(session, Hall::CoolingPower))
        for (float mw : *cooling) out.coolingMw += mw;
    out.facilityMw = out.itMw + out.coolingMw;
    out.pue = out.itMw > 0 ? out.facilityMw / out.itMw : 0;
    // TFLOPS per MW = 1e12 FLOPS / 1e6 W = 1e6 FLOPS/W = 1e-3 GFLOPS/W.
    out.gflopsPerWatt = out.facilityMw > 0 ? out.sustainedTflops / out.facilityMw * 1e-3 : 0;
    return out;
}

namespace {
QLabel* figure(const char* name) {
    auto* l = new QLabel;
    l->setObjectName(name);
    l->setTextFormat(Qt::RichText);
    return l;
}
} // namespace

ComputeTotals::ComputeTotals(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("computeTotals");
    gpus_ = figure("gpus");
    power_ = figure("power");
    efficiency_ = figure("efficiency");
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->addWidget(gpus_);
    layout->addSpacing(24);
    layout->addWidget(power_);
    layout->addSpacing(24);
    layout->addWidget(efficiency_);
    layout->addStretch();
    connect(&session_, &Session::opened, this, [this] {
        facts_ = rackFactsOf(session_.campus());
        refresh();
    });
    connect(&session_, &Session::stateChanged, this, &ComputeTotals::refresh);
    if (session_.isOpen()) facts_ = rackFactsOf(session_.campus());
    refresh();
}

void ComputeTotals::refresh() {
    totals_ = computeTotals(session_, facts_);
    if (!totals_.valid) {
        gpus_->setText("GPUs: no data at this time");
        power_->clear();
        efficiency_->clear();
        return;
    }
    const QLocale c = QLocale::c();
    auto count = [&](std::int64_t n) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(n)); };
    gpus_->setText(QString("GPUs healthy <b>%1</b> / %2 &nbsp; in use <b>%3</b>")
                       .arg(count(totals_.healthyGpus), count(totals_.gpus), count(totals_.gpusInUse)));
    power_->setText(QString("IT <b>%1 MW</b> &nbsp; facility <b>%2 MW</b> &nbsp; PUE <b>%3</b>")
                        .arg(c.toString(totals_.itMw, 'f', 1), c.toString(totals_.facilityMw, 'f', 1),
                             c.toString(totals_.pue, 'f', 3)));
    efficiency_->setText(QString("<b>%1 GFLOPS/W</b> (BF16, dense peak × utilisation / facility power)")
                             .arg(c.toString(totals_.gflopsPerWatt, 'f', 1)));
}

} // namespace views
