#include "common/time_format.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>

namespace views {

namespace {

QDateTime utc(twin::TimeMs t) { return QDateTime::fromMSecsSinceEpoch(t, QTimeZone::utc()); }

QString trimZeros(QString s) {
    if (!s.contains('.')) return s;
    while (s.endsWith('0')) s.chop(1);
    if (s.endsWith('.')) s.chop(1);
    return s;
}

} // namespace

QString formatUtcLong(twin::TimeMs t) { return utc(t).toString("yyyy-MM-dd HH:mm:ss.zzz") + " UTC"; }

QString formatUtcClock(twin::TimeMs t) { return utc(t).toString("HH:mm:ss"); }

QString formatUtcClockMs(twin::TimeMs t) { return utc(t).toString("HH:mm:ss.zzz"); }

QString formatLocal(twin::TimeMs t, const std::string& ianaTimeZone) {
    QTimeZone zone(QByteArray::fromStdString(ianaTimeZone));
    if (ianaTimeZone.empty() || !zone.isValid()) zone = QTimeZone::utc();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(t, zone);
    // QTimeZone::utc() abbreviates as "UTC"; IANA zones give "CDT", "CST", ...
    return local.toString("HH:mm:ss") + ' ' + zone.abbreviation(local);
}

QString formatSpeed(double speed) {
    if (speed >= 10) return QString::number(std::lround(speed)) + "×";
    // Keep one decimal at least ("2.0×" reads as a speed), two where needed ("0.25×").
    QString s = trimZeros(QString::number(speed, 'f', 2));
    if (!s.contains('.')) s += ".0";
    return s + "×";
}

QString formatValue(double v) {
    if (!std::isfinite(v)) return QString::number(v);
    if (std::abs(v - std::round(v)) < 1e-9) return QString::number(static_cast<long long>(std::llround(v)));
    if (std::abs(v) >= 1) return trimZeros(QString::number(v, 'f', 3));
    return QString::number(v, 'g', 3);
}

} // namespace views
