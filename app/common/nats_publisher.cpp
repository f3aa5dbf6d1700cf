#include "nats_publisher.h"

#include "nats_snapshot.h"

#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"

#include <cstdio>
#include <filesystem>
#include <random>

namespace app_nats {

using namespace twin::opscentre;
using Clock = std::chrono::steady_clock;

namespace {

// One message of the stream by sequence; nullptr when there is none (deleted, dropped by retention).
natsMsg* streamMessage(Bus& bus, std::uint64_t seq) {
    natsMsg* m = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetMsg(&m, bus.js(), bus.address().stream().c_str(), seq, nullptr, &err);
    if (s == NATS_OK) return m;
    if (s == NATS_NOT_FOUND || err == JSNoMessageFoundErr) return nullptr;
    throw BusError(describe("cannot read the stream", s));
}

std::span<const std::uint8_t> bytesOf(natsMsg* m) {
    return {reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(m)), static_cast<std::size_t>(natsMsg_GetDataLength(m))};
}

// The stream's last whole commit, put back together from its parts: where a publisher goes on
// from. Walks back over what is not one (a commit cut short by a publisher that died between
// parts, someone else's message on the subject), at most kLookBack messages.
std::optional<Assembled> lastCommit(Bus& bus) {
    constexpr std::uint64_t kLookBack = 10000;
    natsMsg* last = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    const natsStatus s = js_GetLastMsg(&last, bus.js(), bus.address().stream().c_str(),
                                       bus.address().commitSubject().c_str(), nullptr, &err);
    if (s == NATS_NOT_FOUND || err == JSNoMessageFoundErr) return std::nullopt;
    if (s != NATS_OK) throw BusError(describe("cannot read the stream's last commit", s));
    const std::uint64_t lastSeq = natsMsg_GetSequence(last);
    natsMsg_Destroy(last);
    const std::string subject = bus.address().commitSubject();
    for (std::uint64_t q = lastSeq; q >= 1 && q + kLookBack > lastSeq; --q) {
        natsMsg* m = streamMessage(bus, q);
        if (!m) continue;
        std::optional<PartHeader> h;
        if (subject == natsMsg_GetSubject(m)) {
            try {
                h = decodePartHeader(bytesOf(m));
            } catch (const WireError&) {
            }
        }
        natsMsg_Destroy(m);
        if (!h || h->part + 1 != h->parts || h->part >= q) continue;   // not the end of a commit
        try {
            Reassembler r;
            std::optional<Assembled> whole;
            for (std::uint64_t p = q - h->part; p <= q; ++p) {
                natsMsg* part = streamMessage(bus, p);
                if (!part) break;
                whole = r.add(bytesOf(part));
                natsMsg_Destroy(part);
            }
            if (whole && whole->kind == Kind::Commit) {
                decodeChanges(whole->body);   // it must decode: its marks are what we go on from
                return whole;
            }
        } catch (const WireError&) {
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<SnapshotPolicy> parseSnapshotEvery(const std::string& text, std::string* why) {
    SnapshotPolicy p;
    if (text == "auto") return p;
    if (text == "off") {
        p.enabled = false;
        return p;
    }
    if (!text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string::npos) {
        const int s = std::stoi(text);
        if (s >= 1 && s <= 86400) {
            p.minIntervalS = p.maxIntervalS = s;
            return p;
        }
    }
    if (why) *why = "'" + text + "' is not auto, off or a number of seconds from 1 to 86400";
    return std::nullopt;
}

NatsPublisher::NatsPublisher(BusAddress address, std::string storePath, Retention retention, SnapshotPolicy snapshots)
    : address_(std::move(address)), storePath_(std::move(storePath)), retention_(retention), snapshots_(snapshots) {}

NatsPublisher::~NatsPublisher() { stop(0); }

void NatsPublisher::start() {
    bus_ = std::make_unique<Bus>(address_, "colossus publisher " + address_.twin);
    bus_->ensureStream(retention_);
    retention_ = bus_->streamLimits(retention_);   // what the snapshots must keep ahead of
    thread_ = std::thread([this] { run(); });
}

void NatsPublisher::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_one();
}

void NatsPublisher::stop(int drainMs) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !thread_.joinable()) return;
        stopping_ = true;
        drainUntil_ = Clock::now() + std::chrono::milliseconds(drainMs);
    }
    wake_.notify_one();
    thread_.join();
    if (snapshotThread_.joinable()) snapshotThread_.join();   // a snapshot in progress finishes
}

PublisherStats NatsPublisher::stats() const {
    std::lock_guard lock(mutex_);
    PublisherStats s = stats_;
    s.connected = bus_ && bus_->connected();
    return s;
}

void NatsPublisher::run() {
    std::unique_ptr<StoreTailer> tailer;
    Marks marks;
    std::uint64_t seq = 0;
    bool resumed = false, campusOut = false;
    // Message ids are unique to this run: a restarted publisher that could not find where it
    // stopped starts its numbers again, and the server must not take those for duplicates.
    const std::string runId = address_.twin + "-" + std::to_string(std::random_device{}()) + "-" +
                              std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    // The campus again every 10 minutes: a newcomer finds one within the stream's retention.
    constexpr auto kCampusEvery = std::chrono::minutes(10);
    Clock::time_point campusAt;
    const std::size_t maxPayload = static_cast<std::size_t>(natsConnection_GetMaxPayload(bus_->connection()));
    auto fail = [this](const std::string& why) {
        std::lock_guard lock(mutex_);
        if (stats_.lastError != why) std::fprintf(stderr, "publisher: %s (retrying)\n", why.c_str());
        stats_.lastError = why;
    };
    std::int64_t lastPublishedAtMs = 0;
    auto publish = [&](Kind kind, const Changes& c) {
        const auto body = encodeChanges(c);
        const auto parts = splitIntoParts(kind, seq + 1, body, maxPayload > 8192 ? maxPayload - 4096 : maxPayload / 2);
        const std::uint32_t crc = crc32(body);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::string subject = kind == Kind::Campus ? address_.campusSubject() : address_.commitSubject();
            // The message id lets the server drop a part published twice (a retry after a lost ack).
            // It names the content too (the body's CRC): a retry that read more than the attempt
            // it repeats (the store grew meanwhile) is a different message, not a duplicate.
            const std::string id = runId + "-" + std::to_string(seq + 1) + "-" + std::to_string(crc) + "-" + std::to_string(i);
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = id.c_str();
            po.MaxWait = 5000;
            jsPubAck* ack = nullptr;
            jsErrCode err = static_cast<jsErrCode>(0);
            const natsStatus s = js_Publish(&ack, bus_->js(), subject.c_str(), parts[i].data(),
                                            static_cast<int>(parts[i].size()), &po, &err);
            const std::uint64_t streamSeq = s == NATS_OK && ack ? ack->Sequence : 0;
            jsPubAck_Destroy(ack);
            if (s != NATS_OK) throw BusError(describe("cannot publish to " + address_.display(), s));
            std::lock_guard lock(mutex_);
            stats_.lastStreamSeq = std::max(stats_.lastStreamSeq, streamSeq);
        }
        ++seq;
        if (kind == Kind::Commit) lastPublishedAtMs = c.publishedAtMs;
        std::lock_guard lock(mutex_);
        ++stats_.commits;
        stats_.parts += parts.size();
        stats_.bytes += body.size();
        stats_.lastError.clear();
    };

    for (;;) {
        bool stopping;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return poked_ || stopping_; });
            poked_ = false;
            stopping = stopping_;
        }
        try {
            if (!tailer) tailer = std::make_unique<StoreTailer>(storePath_);
            if (!resumed) {
                if (auto last = lastCommit(*bus_)) {
                    marks = decodeChanges(last->body).marks;
                    seq = last->seq;
                }
                resumed = true;
            }
            if (!campusOut || Clock::now() - campusAt >= kCampusEvery) {
                publish(Kind::Campus, tailer->campus());
                campusOut = true;
                campusAt = Clock::now();
            }
            // Everything there is (a backlog comes in budget-sized commits).
            for (;;) {
                Changes c = tailer->since(marks);
                if (c.empty() && c.marks == marks) break;
                publish(Kind::Commit, c);
                marks = c.marks;
            }
            if (stopping) {
                if (lastPublishedAtMs > 0) snapshotAtStop(lastPublishedAtMs);
                return;
            }
            if (lastPublishedAtMs > 0) {
                std::unique_lock lock(mutex_);
                const std::uint64_t streamSeq = stats_.lastStreamSeq, bytesSince = stats_.bytes - bytesAtSnapshot_;
                lock.unlock();
                maybeSnapshot(streamSeq, lastPublishedAtMs, bytesSince);
            }
        } catch (const std::exception& e) {
            fail(e.what());
            if (stopping && Clock::now() >= drainUntil_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
}

void NatsPublisher::maybeSnapshot(std::uint64_t streamSeq, std::int64_t publishedAtMs, std::uint64_t bytesSince) {
    if (!snapshots_.enabled || snapshotRunning_ || streamSeq == 0) return;
    const auto now = Clock::now();
    const bool first = snapshotAt_ == Clock::time_point{};
    const double sinceS = first ? 1e18 : std::chrono::duration<double>(now - snapshotAt_).count();
    if (!first && sinceS < snapshots_.minIntervalS) return;
    std::error_code ec;
    const auto fileBytes = [&](const std::string& p) {
        const auto n = std::filesystem::file_size(p, ec);
        return ec ? std::uintmax_t{0} : n;
    };
    const std::uint64_t storeBytes = fileBytes(storePath_) + fileBytes(storePath_ + "-wal");
    // Half the store: a newcomer replays at most about half of what it gets, and each snapshot is
    // about twice the last, so all of them add up to less than twice the final store.
    const bool due = bytesSince >= storeBytes / 2 || bytesSince >= static_cast<std::uint64_t>(retention_.maxBytes / 2) ||
                     (!first && sinceS >= retention_.maxAgeS / 2.0) ||
                     (snapshots_.maxIntervalS > 0 && sinceS >= snapshots_.maxIntervalS);
    if (!due) return;
    if (snapshotThread_.joinable()) snapshotThread_.join();
    snapshotAt_ = now;
    snapshotRunning_ = true;
    snapshotThread_ = std::thread([this, streamSeq, publishedAtMs] { snapshot(streamSeq, publishedAtMs); });
}

void NatsPublisher::snapshotAtStop(std::int64_t publishedAtMs) {
    if (!snapshots_.enabled) return;
    if (snapshotThread_.joinable()) snapshotThread_.join();   // a snapshot in progress first
    std::uint64_t streamSeq, bytesSince;
    {
        std::lock_guard lock(mutex_);
        streamSeq = stats_.lastStreamSeq;
        bytesSince = stats_.bytes - bytesAtSnapshot_;
    }
    // The run's last messages would be the first the retention drops: a newcomer after the writer
    // stopped must not find a gap between the newest snapshot and the stream.
    if (streamSeq == 0 || bytesSince < static_cast<std::uint64_t>(retention_.maxBytes / 2)) return;
    snapshotRunning_ = true;
    snapshot(streamSeq, publishedAtMs);
}

void NatsPublisher::snapshot(std::uint64_t streamSeq, std::int64_t publishedAtMs) {
    // The copy is taken after message streamSeq was published, so it holds at least what the
    // stream holds up to it; a follower applies the messages after it on top (applying is
    // idempotent, so rows the copy has already are written again unchanged).
    std::uint64_t bytesBefore;
    {
        std::lock_guard lock(mutex_);
        bytesBefore = stats_.bytes;
    }
    const std::string copy = storePath_ + ".snapshot";
    try {
        twin::opscentre::copyStore(storePath_, copy);
        SnapshotStore store(*bus_);
        store.ensureBucket(retention_.replicas);   // on a cluster, as many copies as the stream
        const auto meta = store.put(copy, streamSeq, publishedAtMs);
        std::lock_guard lock(mutex_);
        ++stats_.snapshots;
        stats_.snapshotBytes += meta.size;
        bytesAtSnapshot_ = bytesBefore;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "publisher: snapshot not published: %s (tried again later)\n", e.what());
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(copy + suffix, ec);
    snapshotRunning_ = false;
}

} // namespace app_nats
