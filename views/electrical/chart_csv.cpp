#include "electrical/chart_csv.h"

#include "electrical/strip_chart.h"

#include <QDateTime>
#include <QFile>
#include <QTimeZone>
#include <QLocale>

#include <algorithm>
#include <map>

namespace views {

using namespace twin;

namespace {

QString field(const QString& s) {
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n')) return s;
    return '"' + QString(s).replace("\"", "\"\"") + '"';
}

QString number(double v) { return QLocale::c().toString(v, 'g', 12); }

} // namespace

QString chartCsv(const StripChart& chart) {
    const auto [a, b] = chart.range();
    const int n = std::max(1, chart.fetchPoints());
    // The store's grid (twin's Bucketer): buckets of ceil((b - a + 1) / n) ms from a.
    const TimeMs width = std::max<TimeMs>(1, (b - a + n) / n);
    QStringList header{"time_utc", "seconds"};
    for (int i = 0; i < chart.seriesCount(); ++i)
        for (const char* part : {"min", "mean", "max"})
            header << field(chart.seriesName(i) + " " + part + " (" + chart.seriesUnit(i) + ")");
    // Row (bucket index) -> per series the bucket in it.
    std::map<TimeMs, std::vector<const Bucket*>> rows;
    for (int i = 0; i < chart.seriesCount(); ++i)
        for (const Bucket& k : chart.data(i)) {
            TimeMs cell = (k.first - a) / width;
            auto& row = rows[cell];
            if (row.empty()) row.resize(static_cast<std::size_t>(chart.seriesCount()), nullptr);
            row[static_cast<std::size_t>(i)] = &k;
        }
    QString out = header.join(',') + "\n";
    const TimeMs origin = chart.origin();
    for (const auto& [cell, buckets] : rows) {
        const TimeMs t = a + cell * width;
        QStringList line{QDateTime::fromMSecsSinceEpoch(t, QTimeZone::utc()).toString("yyyy-MM-ddTHH:mm:ss.zzzZ"),
                         QLocale::c().toString(static_cast<double>(t - origin) / 1000, 'f', 3)};
        for (const Bucket* k : buckets) {
            if (!k) {
                line << "" << "" << "";
                continue;
            }
            line << number(k->min) << number(k->count ? k->sum / k->count : k->firstValue) << number(k->max);
        }
        out += line.join(',') + "\n";
    }
    return out;
}

bool writeChartCsv(const StripChart& chart, const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = "Cannot write " + path + ": " + f.errorString();
        return false;
    }
    f.write(chartCsv(chart).toUtf8());
    return true;
}

} // namespace views
