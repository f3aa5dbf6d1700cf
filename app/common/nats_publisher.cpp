#include "nats_publisher.h"

#include "twin/opscentre/store_tailer.h"
#include "twin/opscentre/wire.h"

#include <cstdio>

namespace app_nats {

using namespace twin::opscentre;
using Clock = std::chrono::steady_clock;

namespace {

// The stream's last commit, put back together from its parts: where a publisher goes on from.
std::optional<Assembled> lastCommit(Bus& bus) {
    natsMsg* last = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_GetLastMsg(&last, bus.js(), bus.address().stream().c_str(), bus.address().commitSubject().c_str(),
                                 nullptr, &err);
    if (s == NATS_NOT_FOUND || err == JSNoMessageFoundErr) return std::nullopt;
    if (s != NATS_OK) throw BusError(describe("cannot read the stream's last commit", s));
    const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(last));
    const PartHeader h = decodePartHeader({data, static_cast<std::size_t>(natsMsg_GetDataLength(last))});
    const std::uint64_t lastSeq = natsMsg_GetSequence(last);
    natsMsg_Destroy(last);
    Reassembler r;
    std::optional<Assembled> whole;
    for (std::uint64_t q = lastSeq - h.part; q <= lastSeq; ++q) {
        natsMsg* m = nullptr;
        s = js_GetMsg(&m, bus.js(), bus.address().stream().c_str(), q, nullptr, &err);
        if (s != NATS_OK) throw BusError(describe("cannot read the stream's last commit", s));
        whole = r.add({reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(m)),
                       static_cast<std::size_t>(natsMsg_GetDataLength(m))});
        natsMsg_Destroy(m);
    }
    return whole;
}

} // namespace

NatsPublisher::NatsPublisher(BusAddress address, std::string storePath, Retention retention)
    : address_(std::move(address)), storePath_(std::move(storePath)), retention_(retention) {}

NatsPublisher::~NatsPublisher() { stop(0); }

void NatsPublisher::start() {
    bus_ = std::make_unique<Bus>(address_, "colossus publisher " + address_.twin);
    bus_->ensureStream(retention_);
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
    // The campus again every 10 minutes: a newcomer finds one within the stream's retention.
    constexpr auto kCampusEvery = std::chrono::minutes(10);
    Clock::time_point campusAt;
    const std::size_t maxPayload = static_cast<std::size_t>(natsConnection_GetMaxPayload(bus_->connection()));
    auto fail = [this](const std::string& why) {
        std::lock_guard lock(mutex_);
        if (stats_.lastError != why) std::fprintf(stderr, "publisher: %s (retrying)\n", why.c_str());
        stats_.lastError = why;
    };
    auto publish = [&](Kind kind, const Changes& c) {
        const auto body = encodeChanges(c);
        const auto parts = splitIntoParts(kind, seq + 1, body, maxPayload > 8192 ? maxPayload - 4096 : kDefaultMaxPayload);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::string subject = kind == Kind::Campus ? address_.campusSubject() : address_.commitSubject();
            // The message id lets the server drop a part published twice (a retry after a lost ack).
            const std::string id = address_.twin + "-" + std::to_string(seq + 1) + "-" + std::to_string(i);
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = id.c_str();
            po.MaxWait = 5000;
            jsPubAck* ack = nullptr;
            jsErrCode err = static_cast<jsErrCode>(0);
            const natsStatus s = js_Publish(&ack, bus_->js(), subject.c_str(), parts[i].data(),
                                            static_cast<int>(parts[i].size()), &po, &err);
            jsPubAck_Destroy(ack);
            if (s != NATS_OK) throw BusError(describe("cannot publish to " + address_.display(), s));
        }
        ++seq;
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
            if (stopping) return;
        } catch (const std::exception& e) {
            fail(e.what());
            if (stopping && Clock::now() >= drainUntil_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
}

} // namespace app_nats
