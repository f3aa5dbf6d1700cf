#include "nats_snapshot.h"

#include <QDateTime>

#include <atomic>
#include <chrono>
#include <fstream>
#include <vector>

namespace app_nats {

using namespace twin::opscentre;

namespace {

// Asynchronous publishes that failed (the server refused or lost them): the upload is then void.
void countFailure(jsCtx*, jsPubAckErr*, void* closure) { static_cast<std::atomic<int>*>(closure)->fetch_add(1); }

std::atomic<int> gUploadFailures{0};   // one upload at a time per process (the publisher's worker)

bool isNotFound(natsStatus s, jsErrCode err) {
    return s == NATS_NOT_FOUND || err == JSNoMessageFoundErr || err == JSStreamNotFoundErr;
}

} // namespace

SnapshotStore::SnapshotStore(Bus& bus) : bus_(bus), bucket_(snapshotBucket(bus.address().twin)), stream_(objectStream(bucket_)) {
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    jo.PublishAsync.MaxPending = 64;   // 16 MiB of chunks in flight at most
    jo.PublishAsync.ErrHandler = &countFailure;
    jo.PublishAsync.ErrHandlerClosure = &gUploadFailures;
    if (const natsStatus s = natsConnection_JetStream(&js_, bus.connection(), &jo); s != NATS_OK)
        throw BusError(describe("no JetStream at " + bus.address().display(), s));
}

SnapshotStore::~SnapshotStore() { jsCtx_Destroy(js_); }

void SnapshotStore::ensureBucket(int replicas) {
    const std::string chunks = "$O." + bucket_ + ".C.>", metas = "$O." + bucket_ + ".M.>";
    const char* subjects[] = {chunks.c_str(), metas.c_str()};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = stream_.c_str();
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 2;
    cfg.Storage = js_FileStorage;
    cfg.Discard = js_DiscardNew;      // as NATS's object stores: never drop a chunk of a live object
    cfg.AllowRollup = true;           // a new description replaces the old one
    cfg.AllowDirect = true;
    cfg.Replicas = replicas;
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = js_AddStream(&si, js_, &cfg, nullptr, &err);
    jsStreamInfo_Destroy(si);
    if (s == NATS_OK || err == JSStreamNameExistErr) return;
    if (const std::string r = bus_.refusal(); !r.empty())
        throw BusError(bus_.address().display() + ": refused by the server: " + r + " (credentials without rights on the twin's snapshots)");
    jsStreamInfo* existing = nullptr;
    if (js_GetStreamInfo(&existing, js_, stream_.c_str(), nullptr, &err) == NATS_OK) {
        jsStreamInfo_Destroy(existing);
        return;   // made by someone else with another configuration: used as it is
    }
    throw BusError(describe("cannot create the snapshot bucket " + bucket_ + " at " + bus_.address().display(), s));
}

SnapshotMeta SnapshotStore::put(const std::string& file, std::uint64_t streamSeq, std::int64_t publishedAtMs) {
    const std::optional<SnapshotMeta> previous = [&]() -> std::optional<SnapshotMeta> {
        try {
            return latest();
        } catch (const WireError&) {
            return std::nullopt;   // a description that does not check is replaced below
        }
    }();
    SnapshotMeta m;
    m.bucket = bucket_;
    m.name = kSnapshotObject;
    m.nuid = newNuid();
    m.chunkSize = kSnapshotChunkSize;
    m.streamSeq = streamSeq;
    m.publishedAtMs = publishedAtMs;
    const std::string subject = chunkSubject(bucket_, m.nuid);
    auto dropChunks = [&](const std::string& nuid) {
        jsOptions o;
        jsOptions_Init(&o);
        const std::string s = chunkSubject(bucket_, nuid);
        o.Stream.Purge.Subject = s.c_str();
        jsErrCode err = static_cast<jsErrCode>(0);
        js_PurgeStream(js_, stream_.c_str(), &o, &err);
    };

    std::ifstream in(file, std::ios::binary);
    if (!in) throw BusError("cannot read the snapshot copy " + file);
    gUploadFailures = 0;
    Sha256Digest digest;
    std::vector<std::uint8_t> chunk(m.chunkSize);
    for (;;) {
        in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        digest.add({chunk.data(), n});
        const natsStatus s = js_PublishAsync(js_, subject.c_str(), chunk.data(), static_cast<int>(n), nullptr);
        if (s != NATS_OK) {
            dropChunks(m.nuid);
            throw BusError(describe("cannot upload the snapshot to " + bus_.address().display(), s));
        }
        m.size += n;
        ++m.chunks;
        if (n < chunk.size()) break;
    }
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 60000;
    const natsStatus done = js_PublishAsyncComplete(js_, &po);
    if (done != NATS_OK || gUploadFailures > 0) {
        dropChunks(m.nuid);
        throw BusError(done != NATS_OK ? describe("the snapshot's chunks were not acknowledged", done)
                                       : "the server refused " + std::to_string(gUploadFailures.load()) + " of the snapshot's chunks");
    }
    m.digest = digest.result();
    m.mtime = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();

    // The description last, as a rollup: it replaces the previous one, and until it is there the
    // previous snapshot stays whole.
    const std::string json = encodeObjectMeta(m);
    const std::string metaSubj = metaSubject(bucket_, m.name);
    natsMsg* msg = nullptr;
    natsStatus s = natsMsg_Create(&msg, metaSubj.c_str(), nullptr, json.data(), static_cast<int>(json.size()));
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Rollup", "sub");
    jsPubAck* ack = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    if (s == NATS_OK) s = js_PublishMsg(&ack, js_, msg, &po, &err);
    jsPubAck_Destroy(ack);
    natsMsg_Destroy(msg);
    if (s != NATS_OK) {
        dropChunks(m.nuid);
        throw BusError(describe("cannot publish the snapshot's description", s));
    }
    if (previous && previous->nuid != m.nuid) dropChunks(previous->nuid);
    return m;
}

std::optional<SnapshotMeta> SnapshotStore::latest() {
    natsMsg* msg = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetLastMsg(&msg, js_, stream_.c_str(), metaSubject(bucket_, kSnapshotObject).c_str(), nullptr, &err);
    if (isNotFound(s, err)) return std::nullopt;
    if (s != NATS_OK) {
        if (const std::string r = bus_.refusal(); !r.empty())
            throw BusError(bus_.address().display() + ": refused by the server: " + r + " (credentials without rights on the twin's snapshots)");
        throw BusError(describe("cannot look up the snapshot in " + bucket_, s));
    }
    const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
    const std::vector<std::uint8_t> json(data, data + natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    SnapshotMeta m = decodeObjectMeta(json);
    if (m.bucket != bucket_) throw WireError("snapshot description of another bucket ('" + m.bucket + "')");
    return m;
}

void SnapshotStore::get(const SnapshotMeta& m, const std::string& file, const std::function<void(std::uint64_t)>& progress,
                        int stallMs) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw BusError("cannot write the snapshot to " + file);
    if (m.chunks == 0) throw WireError("an empty snapshot");
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = stream_.c_str();
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverAll;
    natsSubscription* sub = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const std::string subject = chunkSubject(bucket_, m.nuid);
    if (const natsStatus s = js_SubscribeSync(&sub, js_, subject.c_str(), nullptr, &so, &err); s != NATS_OK)
        throw BusError(describe("cannot read the snapshot's chunks", s));
    struct Unsubscribe {
        natsSubscription* sub;
        ~Unsubscribe() {
            natsSubscription_Unsubscribe(sub);
            natsSubscription_Destroy(sub);
        }
    } unsubscribe{sub};
    Sha256Digest digest;
    std::uint64_t bytes = 0, chunks = 0;
    while (chunks < m.chunks) {
        natsMsg* msg = nullptr;
        const natsStatus s = natsSubscription_NextMsg(&msg, sub, stallMs);
        if (s == NATS_TIMEOUT)
            throw BusError("the snapshot stalled: chunk " + std::to_string(chunks + 1) + " of " + std::to_string(m.chunks) +
                           " did not come in " + std::to_string(stallMs / 1000) + " s (deleted, or the connection is lost)");
        if (s != NATS_OK) throw BusError(describe("the snapshot's download failed", s));
        jsMsgMetaData* meta = nullptr;
        const bool data = natsMsg_GetMetaData(&meta, msg) == NATS_OK;   // heartbeats have none
        jsMsgMetaData_Destroy(meta);
        if (data) {
            const auto n = static_cast<std::uint64_t>(natsMsg_GetDataLength(msg));
            const bool last = chunks + 1 == m.chunks;
            if (n == 0 || n > m.chunkSize || (!last && n != m.chunkSize) || bytes + n > m.size) {
                natsMsg_Destroy(msg);
                throw WireError("snapshot chunk " + std::to_string(chunks + 1) + " has " + std::to_string(n) +
                                " bytes, which does not fit its description");
            }
            const auto* p = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
            digest.add({p, static_cast<std::size_t>(n)});
            out.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
            bytes += n;
            ++chunks;
            if (progress) progress(bytes);
        }
        natsMsg_Destroy(msg);
    }
    out.close();
    if (!out) throw BusError("cannot write the snapshot to " + file);
    if (bytes != m.size) throw WireError("the snapshot has " + std::to_string(bytes) + " bytes, its description says " + std::to_string(m.size));
    if (digest.result() != m.digest) throw WireError("the snapshot's SHA-256 does not match its description (damaged or replaced)");
}

} // namespace app_nats
