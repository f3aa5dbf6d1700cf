#include "twin/query/events_query.h"

#include "store_reader_sql.h"

#include <string>

namespace twin::query {

namespace {

// "CASE severity WHEN 'info' THEN 0 ... END": a severity's rank (NULL for a name not known).
std::string severityRankSql() {
    std::string sql = "CASE severity";
    for (auto s : {Severity::Info, Severity::Warning, Severity::Alarm, Severity::Critical})
        sql += " WHEN '" + std::string(severityName(s)) + "' THEN " + std::to_string(static_cast<int>(s));
    return sql + " END";
}

} // namespace

std::vector<Event> activeEventsAt(StoreReader& reader, TimeMs t, Severity atLeast) {
    // t_start <= ? uses the index event_start.
    static const std::string text = "SELECT id, t_start, t_end, severity, asset, kind, text, " + severityRankSql() +
                                    " AS sev_rank FROM event WHERE t_start <= ?1 AND (t_end IS NULL OR t_end > ?1) "
                                    "AND sev_rank >= ?2 ORDER BY sev_rank DESC, t_start DESC, id DESC";
    sql::Stmt& q = readerStatement(reader, text.c_str());
    q.bind(1, t).bind(2, static_cast<int>(atLeast));
    std::vector<Event> out;
    while (q.step()) out.push_back(eventOfRow(q));
    q.reset();
    return out;
}

} // namespace twin::query
