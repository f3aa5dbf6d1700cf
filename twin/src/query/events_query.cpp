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
    while (q.step()) {
        Event e;
        e.id = q.i64(0);
        e.start = q.i64(1);
        if (!q.isNull(2)) e.end = q.i64(2);
        e.severity = static_cast<Severity>(q.i64(7));
        e.asset = q.text(4);
        e.kind = q.text(5);
        e.text = q.text(6);
        out.push_back(std::move(e));
    }
    q.reset();
    return out;
}

} // namespace twin::query
