#include "twin/utc_time.h"

#include "twin/store.h"

#include <cstdio>

namespace twin {

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int daysInMonth(int y, int m) {
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly n digits at text[at...]; advances `at`.
bool digits(std::string_view text, std::size_t& at, int n, int& out) {
    if (at + static_cast<std::size_t>(n) > text.size()) return false;
    out = 0;
    for (int k = 0; k < n; ++k) {
        const char c = text[at + static_cast<std::size_t>(k)];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    at += static_cast<std::size_t>(n);
    return true;
}

bool expect(std::string_view text, std::size_t& at, char c) {
    if (at >= text.size() || text[at] != c) return false;
    ++at;
    return true;
}

} // namespace

std::optional<TimeMs> parseUtcTime(std::string_view text) {
    std::size_t at = 0;
    int y = 0, mo = 0, d = 0;
    if (!digits(text, at, 4, y) || !expect(text, at, '-') || !digits(text, at, 2, mo) || !expect(text, at, '-') ||
        !digits(text, at, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return std::nullopt;
    const std::int64_t day = daysFromCivil(y, mo, d);
    if (at == text.size()) return day * 86'400'000;
    int h = 0, mi = 0, s = 0, ms = 0;
    // RFC 3339 also allows 't' and a space between date and time, and 'z'.
    const bool separator = at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ');
    if (!separator) return std::nullopt;
    ++at;
    if (!digits(text, at, 2, h) || !expect(text, at, ':') || !digits(text, at, 2, mi))
        return std::nullopt;
    if (at < text.size() && text[at] == ':') {
        ++at;
        if (!digits(text, at, 2, s)) return std::nullopt;
        if (at < text.size() && text[at] == '.') {
            ++at;
            int scale = 100, n = 0;
            while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
                ms += (text[at] - '0') * scale;   // digits past the millisecond are dropped
                scale /= 10;
                ++at;
                ++n;
            }
            if (n == 0) return std::nullopt;
        }
    }
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
    std::int64_t offsetMin = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int sign = text[at] == '-' ? -1 : 1;
        ++at;
        int oh = 0, om = 0;
        if (!digits(text, at, 2, oh) || !expect(text, at, ':') || !digits(text, at, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMin = sign * (oh * 60 + om);
    } else {
        return std::nullopt;   // no zone
    }
    if (at != text.size()) return std::nullopt;
    return ((day * 24 + h) * 60 + mi - offsetMin) * 60'000 + s * 1000 + ms;
}

std::string formatUtcDate(TimeMs t) {
    if (t % 86'400'000 != 0) return formatUtc(t);
    const std::string full = formatUtc(t);
    return full.substr(0, 10);
}

} // namespace twin
