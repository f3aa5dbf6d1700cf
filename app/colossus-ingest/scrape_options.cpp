#include "scrape_options.h"

#include <QFile>
#include <QUrl>

#include <cmath>

namespace colossus_ingest {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

std::int64_t milliseconds(const QCommandLineParser& parser, const char* option, double min, double max)
{
    bool ok = false;
    const double v = parser.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max)
        throw UsageError(std::string("--") + option + ": '" + str(parser.value(option)) + "' is not a number of seconds from " +
                         QString::number(min).toStdString() + " to " + QString::number(max).toStdString());
    return std::llround(v * 1000);
}

void addTarget(const QString& text, const std::string& where, Options& o)
{
    const QUrl u(text.trimmed(), QUrl::StrictMode);
    if (!u.isValid() || (u.scheme() != "http" && u.scheme() != "https") || u.host().isEmpty())
        throw UsageError(where + "'" + str(text) + "' is not an http:// or https:// URL (e.g. http://node-0001:9400/metrics)");
    o.scrapeUrls.push_back(str(text.trimmed()));
}

} // namespace

QList<QCommandLineOption> scrapeOptions()
{
    return {
        {"scrape", "Scrape this target's text metrics (repeatable; docs/ingest.md).", "URL"},
        {"scrape-file", "Scrape every URL of this file (one a line; # comments).", "FILE"},
        {"scrape-interval", "Seconds between a target's scrapes, 0.1 to 3600 (default 15).", "SECONDS"},
        {"scrape-timeout", "A scrape's time limit, seconds (default 10, at most the interval).", "SECONDS"},
        {"scrape-ca", "https targets: verify their certificates against these PEM CAs.", "FILE"},
        {"scrape-bearer-token-file", "Send 'Authorization: Bearer <the file's first line>' to targets.", "FILE"},
    };
}

void readScrapeOptions(const QCommandLineParser& parser, Options& o)
{
    for (const QString& url : parser.values("scrape")) addTarget(url, "--scrape: ", o);
    if (parser.isSet("scrape-file")) {
        const QString path = parser.value("scrape-file");
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) throw UsageError("--scrape-file: " + str(path) + ": cannot read it");
        int line = 0;
        while (!f.atEnd()) {
            const QString text = QString::fromUtf8(f.readLine()).trimmed();
            ++line;
            if (text.isEmpty() || text.startsWith('#')) continue;
            addTarget(text, str(path) + ":" + std::to_string(line) + ": ", o);
        }
        if (o.scrapeUrls.empty()) throw UsageError("--scrape-file: " + str(path) + ": no URL in it");
    }
    const bool scraping = !o.scrapeUrls.empty();
    for (const char* option : {"scrape-interval", "scrape-timeout", "scrape-ca", "scrape-bearer-token-file"})
        if (parser.isSet(option) && !scraping)
            throw UsageError(std::string("--") + option + " only applies with --scrape or --scrape-file");
    if (!scraping) return;
    if (parser.isSet("scrape-interval")) o.scrapeIntervalMs = milliseconds(parser, "scrape-interval", 0.1, 3600);
    o.scrapeTimeoutMs = std::min<std::int64_t>(o.scrapeTimeoutMs, o.scrapeIntervalMs);
    if (parser.isSet("scrape-timeout"))
        o.scrapeTimeoutMs = milliseconds(parser, "scrape-timeout", 0.01, static_cast<double>(o.scrapeIntervalMs) / 1000);
    o.scrapeCa = str(parser.value("scrape-ca"));
    o.scrapeBearerTokenFile = str(parser.value("scrape-bearer-token-file"));
    o.listen = parser.isSet("listen");
}

} // namespace colossus_ingest
