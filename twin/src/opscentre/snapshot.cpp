#include "twin/opscentre/snapshot.h"

#include "twin/opscentre/changes.h"

#include "../sqlite_db.h"
#include "../store_schema.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>
#include <random>

namespace twin::opscentre {

namespace {

QByteArray base64Url(const QByteArray& bytes) {
    return bytes.toBase64(QByteArray::Base64UrlEncoding);   // with padding, as NATS's clients write it
}

// A header as the object store keeps headers: {"Name": ["value"]}.
std::string headerValue(const QJsonObject& headers, const char* name) {
    const QJsonValue v = headers.value(QLatin1String(name));
    if (v.isArray() && !v.toArray().isEmpty() && v.toArray().first().isString())
        return v.toArray().first().toString().toStdString();
    if (v.isString()) return v.toString().toStdString();
    return {};
}

// A whole non-negative number of a JSON field (JSON numbers are doubles: exact to 2^53).
std::uint64_t count(const QJsonObject& o, const char* field, bool required = true) {
    const QJsonValue v = o.value(QLatin1String(field));
    if (v.isUndefined() && !required) return 0;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > 9007199254740992.0 || d != static_cast<double>(static_cast<std::uint64_t>(d)))
        throw WireError(std::string("snapshot description: '") + field + "' is not a whole number of at least 0");
    return static_cast<std::uint64_t>(d);
}

std::string text(const QJsonObject& o, const char* field) {
    const QJsonValue v = o.value(QLatin1String(field));
    if (!v.isString() || v.toString().isEmpty())
        throw WireError(std::string("snapshot description: '") + field + "' is missing or not text");
    return v.toString().toStdString();
}

std::uint64_t parseUnsigned(const std::string& s, const char* what) {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
        throw WireError(std::string("snapshot description: header ") + what + " is not a number: '" + s + "'");
    return std::stoull(s);
}

void removeStoreFiles(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

} // namespace

std::string snapshotBucket(const std::string& twin) { return "twin_" + twin; }
std::string objectStream(const std::string& bucket) { return "OBJ_" + bucket; }
std::string chunkSubject(const std::string& bucket, const std::string& nuid) { return "$O." + bucket + ".C." + nuid; }
std::string metaSubject(const std::string& bucket, const std::string& name) {
    return "$O." + bucket + ".M." + base64Url(QByteArray::fromStdString(name)).toStdString();
}

std::string newNuid() {
    static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id(22, '0');
    for (char& c : id) c = kDigits[rng() % 62];
    return id;
}

std::string encodeObjectMeta(const SnapshotMeta& m) {
    QJsonObject headers;
    headers["Twin-Stream-Seq"] = QJsonArray{QString::number(m.streamSeq)};
    headers["Twin-Published-At-Ms"] = QJsonArray{QString::number(m.publishedAtMs)};
    QJsonObject options;
    options["max_chunk_size"] = static_cast<double>(m.chunkSize);
    QJsonObject o;
    o["name"] = QString::fromStdString(m.name);
    o["description"] = QStringLiteral("colossus twin store, stream up to message %1").arg(m.streamSeq);
    o["headers"] = headers;
    o["options"] = options;
    o["bucket"] = QString::fromStdString(m.bucket);
    o["nuid"] = QString::fromStdString(m.nuid);
    o["size"] = static_cast<double>(m.size);
    o["mtime"] = QString::fromStdString(m.mtime);
    o["chunks"] = static_cast<double>(m.chunks);
    o["digest"] = QString::fromStdString(m.digest);
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

SnapshotMeta decodeObjectMeta(std::span<const std::uint8_t> json) {
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(json.data()), static_cast<qsizetype>(json.size())), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw WireError("snapshot description is not a JSON object" +
                        (error.error != QJsonParseError::NoError ? ": " + error.errorString().toStdString() : std::string()));
    const QJsonObject o = doc.object();
    if (o.value("deleted").toBool(false)) throw WireError("the snapshot was deleted");
    SnapshotMeta m;
    m.name = text(o, "name");
    m.bucket = text(o, "bucket");
    m.nuid = text(o, "nuid");
    m.size = count(o, "size");
    m.chunks = count(o, "chunks");
    m.mtime = o.value("mtime").toString().toStdString();
    m.digest = text(o, "digest");
    if (m.nuid.size() > 64 || m.nuid.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != std::string::npos)
        throw WireError("snapshot description: the nuid '" + m.nuid.substr(0, 64) + "' is not a NUID");
    const std::string prefix = "SHA-256=";
    if (m.digest.rfind(prefix, 0) != 0 ||
        QByteArray::fromBase64(QByteArray::fromStdString(m.digest.substr(prefix.size())), QByteArray::Base64UrlEncoding).size() != 32)
        throw WireError("snapshot description: the digest is not SHA-256 ('" + m.digest.substr(0, 80) + "')");
    const std::uint64_t chunkSize = count(o.value("options").toObject(), "max_chunk_size", false);
    if (chunkSize == 0 || chunkSize > (64u << 20))
        throw WireError("snapshot description: no chunk size (options.max_chunk_size) between 1 byte and 64 MiB");
    m.chunkSize = static_cast<std::uint32_t>(chunkSize);
    // Every chunk but the last is full, the last one is not empty.
    const std::uint64_t expected = (m.size + chunkSize - 1) / chunkSize;
    if (m.chunks != expected)
        throw WireError("snapshot description: " + std::to_string(m.chunks) + " chunks for " + std::to_string(m.size) +
                        " bytes in chunks of " + std::to_string(chunkSize) + " (expected " + std::to_string(expected) + ")");
    const QJsonObject headers = o.value("headers").toObject();
    m.streamSeq = parseUnsigned(headerValue(headers, "Twin-Stream-Seq"), "Twin-Stream-Seq");
    const std::string at = headerValue(headers, "Twin-Published-At-Ms");
    m.publishedAtMs = at.empty() ? 0 : static_cast<std::int64_t>(parseUnsigned(at, "Twin-Published-At-Ms"));
    return m;
}

struct Sha256Digest::Impl {
    QCryptographicHash hash{QCryptographicHash::Sha256};
};

Sha256Digest::Sha256Digest() : impl_(new Impl) {}
Sha256Digest::~Sha256Digest() { delete impl_; }

void Sha256Digest::add(std::span<const std::uint8_t> bytes) {
    impl_->hash.addData(QByteArrayView(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())));
}

std::string Sha256Digest::result() const { return "SHA-256=" + base64Url(impl_->hash.result()).toStdString(); }

void copyStore(const std::string& from, const std::string& to) {
    sql::Db source(from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    removeStoreFiles(to);
    sql::Db target(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    sqlite3_backup* backup = sqlite3_backup_init(target.handle(), "main", source.handle(), "main");
    if (!backup) target.fail("cannot start copying " + from);
    // All pages in one step: one read transaction, so the copy is one commit's state.
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw sql::Failure(from, std::string("cannot copy the store: ") + sqlite3_errstr(rc), rc);
}

void installSnapshot(const std::string& downloaded, const std::string& replicaPath, const SnapshotMeta& meta,
                     const std::string& source) {
    {
        sql::Db db(downloaded, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        schema::loadCampus(db);   // throws when it is not a twin store with a campus
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("BEGIN IMMEDIATE");
        sql::Stmt set(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        set.bind(1, "replica_of").bind(2, source).run();
        set.bind(1, "replica_stream_seq").bind(2, std::to_string(meta.streamSeq)).run();
        set.bind(1, "replica_published_at_ms").bind(2, std::to_string(meta.publishedAtMs)).run();
        set.bind(1, "replica_snapshot").bind(2, meta.mtime + " " + meta.digest).run();
        db.exec("COMMIT");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::error_code ec;
    if (const auto dir = std::filesystem::path(replicaPath).parent_path(); !dir.empty())
        std::filesystem::create_directories(dir, ec);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(replicaPath + suffix, ec);
    std::filesystem::rename(downloaded, replicaPath, ec);
    if (ec) throw Error(replicaPath, "cannot put the snapshot in place: " + ec.message());
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(downloaded + suffix, ec);
}

} // namespace twin::opscentre
