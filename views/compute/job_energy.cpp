#include "compute/job_energy.h"

#include "common/series_lookup.h"

using namespace twin;
using JobSeries = twin::sim::series::Job;

namespace views {

void JobEnergy::reset() { sums_.clear(); }

double JobEnergy::mwhAt(const Session& session, std::size_t position, TimeMs t) {
    const SeriesInfo* info = seriesInfo<JobSeries>(session);
    const int power = quantityIndex<JobSeries>(session, JobSeries::Power);
    if (!info || power < 0 || static_cast<std::int64_t>(position) >= info->assetCount) return 0;
    if (sums_.size() <= position) sums_.resize(position + 1);
    Sum& s = sums_[position];
    const TimeSpan span = session.reader().span();
    if (!s.valid || t < s.upTo) s = {span.first - 1, 0, true};   // backwards: start again
    if (t > s.upTo) {
        // One bucket: chunk summaries merge without decoding. Stop at the last sample read, so
        // that samples of [that, t] still being written (live) are read next time.
        for (const Bucket& b : session.reader().seriesRange(info->id, power, static_cast<std::int64_t>(position),
                                                            s.upTo + 1, t, 1)) {
            s.mws += b.sum * static_cast<double>(info->spec.periodMs) / 1000;
            s.upTo = b.last;
        }
    }
    return s.mws / 3600;
}

} // namespace views
