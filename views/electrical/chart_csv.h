// A strip chart's signals over its visible range as CSV (the context menu's "Export CSV…"):
// one row per bucket of the chart's grid (one per pixel) where any series has data, columns
//   time_utc (ISO-8601, milliseconds, Z), seconds (from the recording's start),
//   then per series "<name> min (<unit>)", "<name> mean (<unit>)", "<name> max (<unit>)";
// an empty cell where a series has no sample in that bucket. Hidden series are exported too.
#pragma once

#include <QString>

namespace views {

class StripChart;

QString chartCsv(const StripChart& chart);
// Writes chartCsv to path; false with a message if the file cannot be written.
bool writeChartCsv(const StripChart& chart, const QString& path, QString* error = nullptr);

} // namespace views
