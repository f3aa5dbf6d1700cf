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

std::string_view assetSetName(AssetSet s);
std::optional<AssetSet> assetSetFromName(std::string_view s);

} // namespace twin::schema
