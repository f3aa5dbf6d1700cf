#include "nats_follower.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace app_nats {

using namespace twin::opscentre;

NatsFollower::NatsFollower(BusAddress address, std::string replicaPath)
    : address_(std::move(address)), replicaPath_(std::move(replicaPath)) {}

NatsFollower::~NatsFollower() { stop(); }

void NatsFollower::start() {
    follower_ = std::make_unique<Follower>(replicaPath_, address_.display());
    {
        std::lock_guard lock(mutex_);
        status_.replicaReady = follower_->replica().exists();
        status_.streamSeq = follower_->replica().streamSeq();
    }
    bus_ = std::make_unique<Bus>(address_, "colossus follower " + address_.twin);
    thread_ = std::thread([this] { run(); });
}

void NatsFollower::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

FollowStatus NatsFollower::status() const {
    std::lock_guard lock(mutex_);
    FollowStatus s = status_;
    s.connected = bus_ && bus_->connected();
    if (s.connected) s.server = bus_->connectedServer();
    return s;
}

std::string NatsFollower::describe(const BusAddress& a, const FollowStatus& s, std::int64_t nowMs) {
    std::string text = a.display();
    if (!s.connected) return text + " · DISCONNECTED, showing what it has";
    if (!s.problem.empty()) return text + " · " + s.problem;
    if (s.pending > 0) return text + " · " + std::to_string(s.pending) + " messages behind";
    if (s.lastCommitPublishedMs == 0) return text + " · waiting for the first commit";
    char age[64];
    std::snprintf(age, sizeof age, " · up to date (commit %.1f s ago)",
                  std::max<std::int64_t>(0, nowMs - s.lastCommitPublishedMs) / 1000.0);
    return text + age;
}

void NatsFollower::run() {
    natsSubscription* sub = nullptr;
    std::uint64_t reconnectsSeen = bus_->reconnects();
    auto setProblem = [this](const std::string& p) {
        std::lock_guard lock(mutex_);
        status_.problem = p;
    };
    auto unsubscribe = [&sub] {
        if (!sub) return;
        natsSubscription_Unsubscribe(sub);
        natsSubscription_Destroy(sub);
        sub = nullptr;
    };
    while (!stop_) {
        // After a reconnection (the server restarted: its consumers are gone), from the replica's place.
        if (const auto r = bus_->reconnects(); r != reconnectsSeen) {
            reconnectsSeen = r;
            unsubscribe();
        }
        if (!sub) {
            if (!bus_->connected()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            jsSubOptions so;
            jsSubOptions_Init(&so);
            const std::string stream = address_.stream();
            so.Stream = stream.c_str();
            so.Ordered = true;
            so.Config.DeliverPolicy = js_DeliverByStartSequence;
            so.Config.OptStartSeq = follower_->resumeFrom();
            // The server's heartbeat every second (libnats' default for an ordered consumer is 5 s):
            // when the server holding the consumer dies while this connection stays up (a cluster
            // losing one server), libnats notices the silence within about 2 s and makes the
            // consumer again on a live server, from the message after the last one received.
            so.Config.Heartbeat = 1'000'000'000ll;
            jsErrCode err = static_cast<jsErrCode>(0);
            const natsStatus s =
                js_SubscribeSync(&sub, bus_->js(), address_.allSubjects().c_str(), nullptr, &so, &err);
            if (s != NATS_OK) {
                sub = nullptr;
                if (const std::string refusal = bus_->refusal(); !refusal.empty()) {
                    std::lock_guard lock(mutex_);
                    status_.refused = true;
                    status_.problem = "refused by the server: " + refusal + " (credentials without subscribe rights on this twin)";
                } else {
                    setProblem(err == JSStreamNotFoundErr || s == NATS_NOT_FOUND ? "no stream " + stream + " yet"
                                                                                 : app_nats::describe("cannot subscribe", s));
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                continue;
            }
            setProblem("");
        }
        natsMsg* msg = nullptr;
        const natsStatus s = natsSubscription_NextMsg(&msg, sub, 200);
        if (s == NATS_TIMEOUT) {
            std::lock_guard lock(mutex_);
            status_.pending = 0;
            continue;
        }
        if (s != NATS_OK) {   // the subscription is gone (connection closed, consumer deleted): again
            setProblem(app_nats::describe("subscription lost", s));
            unsubscribe();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        jsMsgMetaData* meta = nullptr;
        std::uint64_t seq = 0, pending = 0;
        if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
            seq = meta->Sequence.Stream;
            pending = meta->NumPending;
            jsMsgMetaData_Destroy(meta);
        }
        if (seq > 0) {   // a control message (heartbeat, flow control) has no stream sequence
            const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
            const auto fed = follower_->feed({data, static_cast<std::size_t>(natsMsg_GetDataLength(msg))}, seq);
            if (fed == Follower::Fed::Rejected)
                std::fprintf(stderr, "follower: message %llu rejected: %s\n", static_cast<unsigned long long>(seq),
                             follower_->counts().lastError.c_str());
            std::lock_guard lock(mutex_);
            status_.replicaReady = follower_->replica().exists();
            status_.streamSeq = follower_->replica().streamSeq();
            status_.lastCommitPublishedMs = follower_->replica().publishedAtMs();
            status_.pending = pending;
            status_.counts = follower_->counts();
        }
        natsMsg_Destroy(msg);
    }
    unsubscribe();
}

} // namespace app_nats
