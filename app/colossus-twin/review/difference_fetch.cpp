#include "review/difference_fetch.h"

#include <algorithm>

namespace review {

using namespace twin;

namespace {

double mean(const Bucket& k) { return k.count ? k.sum / k.count : k.firstValue; }
TimeMs middle(const Bucket& k) { return k.first + (k.last - k.first) / 2; }

} // namespace

views::StripChart::Fetch difference(views::StripChart::Fetch a, views::StripChart::Fetch b) {
    return [a = std::move(a), b = std::move(b)](TimeMs t0, TimeMs t1, int n) {
        const std::vector<Bucket> as = a(t0, t1, n), bs = b(t0, t1, n);
        std::vector<Bucket> out;
        if (bs.empty()) return out;
        for (const Bucket& k : as) {
            const TimeMs t = middle(k);
            // The first B bucket whose middle is at or after t.
            const auto it = std::lower_bound(bs.begin(), bs.end(), t, [](const Bucket& x, TimeMs v) { return middle(x) < v; });
            if (it == bs.end() || (it == bs.begin() && middle(*it) != t)) continue;   // outside B
            double vb = mean(*it);
            if (middle(*it) != t) {
                const Bucket& p = *(it - 1);
                const double f = static_cast<double>(t - middle(p)) / static_cast<double>(middle(*it) - middle(p));
                vb = mean(p) + f * (mean(*it) - mean(p));
            }
            const double d = mean(k) - vb;
            out.push_back(Bucket{k.first, k.last, d, d, d, d, 1, d});
        }
        return out;
    };
}

} // namespace review
