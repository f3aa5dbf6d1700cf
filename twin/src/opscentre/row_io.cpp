#include "row_io.h"

#include "../sqlite_db.h"

#include <algorithm>

namespace twin::opscentre {

Value intValue(std::int64_t v) {
    Value x;
    x.type = Value::Type::Int;
    x.i = v;
    return x;
}

Value realValue(double v) {
    Value x;
    x.type = Value::Type::Real;
    x.r = v;
    return x;
}

Value blobValue(std::span<const std::uint8_t> v) {
    Value x;
    x.type = Value::Type::Blob;
    x.bytes.assign(reinterpret_cast<const char*>(v.data()), v.size());
    return x;
}

namespace {

std::string columnList(const TableDef& def) {
    std::string s;
    for (const auto& c : def.columns) s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
}

// The columns to SELECT from a store's campus table: a nullable column that a store of an older
// schema lacks (schema 1: asset.commissioned_ms) reads as NULL, which means what its absence did.
std::string sourceColumns(sql::Db& db, const TableDef& def) {
    if (!def.campus) return columnList(def);
    std::vector<std::string> present;
    sql::Stmt info(db, std::string("SELECT name FROM pragma_table_info('") + def.name + "')");
    while (info.step()) present.push_back(info.text(0));
    std::string s;
    for (const auto& c : def.columns) {
        const bool there = std::find(present.begin(), present.end(), c.name) != present.end();
        s += (s.empty() ? "" : ", ") + (there || !c.nullable ? std::string(c.name) : "NULL AS " + std::string(c.name));
    }
    return s;
}

} // namespace

void readRows(sql::Db& db, RowBlock& block, const std::string& tail) {
    const TableDef& def = tableDef(block.table);
    sql::Stmt q(db, "SELECT " + sourceColumns(db, def) + " FROM " + def.name + " " + tail);
    while (q.step()) {
        for (int i = 0; i < static_cast<int>(def.columns.size()); ++i) {
            Value v;
            if (!q.isNull(i)) {
                switch (def.columns[i].type) {
                case ColumnType::Int: v = intValue(q.i64(i)); break;
                case ColumnType::Real: v = realValue(q.f64(i)); break;
                case ColumnType::Text: v.type = Value::Type::Text; v.bytes = q.text(i); break;
                case ColumnType::Blob: v = blobValue(q.blob(i)); break;
                }
            }
            block.values.push_back(std::move(v));
        }
    }
}

void writeRows(sql::Db& db, const RowBlock& block, const char* verb) {
    const TableDef& def = tableDef(block.table);
    std::string marks;
    for (std::size_t i = 0; i < def.columns.size(); ++i) marks += i ? ", ?" : "?";
    sql::Stmt ins(db, std::string("INSERT ") + verb + " INTO " + def.name + "(" + columnList(def) + ") VALUES(" + marks + ")");
    const std::size_t cols = def.columns.size();
    for (std::size_t r = 0; r < block.rows(); ++r) {
        for (std::size_t c = 0; c < cols; ++c) {
            const Value& v = block.values[r * cols + c];
            const int i = static_cast<int>(c) + 1;
            switch (v.type) {
            case Value::Type::Null: ins.bindNull(i); break;
            case Value::Type::Int: ins.bind(i, v.i); break;
            case Value::Type::Real: ins.bind(i, v.r); break;
            case Value::Type::Text: ins.bind(i, std::string_view(v.bytes)); break;
            case Value::Type::Blob:
                ins.bindBlob(i, {reinterpret_cast<const std::uint8_t*>(v.bytes.data()), v.bytes.size()});
                break;
            }
        }
        ins.run();
    }
}

} // namespace twin::opscentre
