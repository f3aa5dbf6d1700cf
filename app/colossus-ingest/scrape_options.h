// colossus-ingest's scrape options (--scrape, --scrape-file, --scrape-interval, --scrape-timeout,
// --scrape-ca, --scrape-bearer-token-file), kept apart from the receiver's.
#pragma once

#include "options.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

namespace colossus_ingest {

QList<QCommandLineOption> scrapeOptions();
// Fills o's scrape fields; throws UsageError. Without --listen, scraping turns the remote-write
// receiver off (nothing listens unless asked).
void readScrapeOptions(const QCommandLineParser& parser, Options& o);

} // namespace colossus_ingest
