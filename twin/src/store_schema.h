// The store's schema (version kStoreSchemaVersion) and what writer and reader share:
// creating the tables, and saving / loading the expanded campus. docs/store.md documents it.
#pragma once

#include "sqlite_db.h"
#include "twin/campus.h"
#include "twin/store.h"

namespace twin::schema {

// 'CTWN': PRAGMA application_id of every twin store.
constexpr int kApplicationId = 0x4354574E;
constexpr std::size_t kChunkSamples = 1024;   // samples per chunk of a scalar signal or channel

void create(sql::Db& db);
void saveCampus(sql::Db& db, const Campus& campus);
Campus loadCampus(sql::Db& db);
// Whether the asset table has commissioned_ms (schema 2 on; schema 1 stores lack it).
bool hasAssetCommissioning(sql::Db& db);
// Brings a store of an older schema to kStoreSchemaVersion in place (resuming it): schema 1 gains
// the asset table's commissioned_ms, NULL everywhere (always commissioned).
void upgrade(sql::Db& db);

std::string_view assetSetName(AssetSet s);
std::optional<AssetSet> assetSetFromName(std::string_view s);

} // namespace twin::schema
