#include "nats_follower.h"

#include "nats_snapshot.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

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
    planStart();
    thread_ = std::thread([this] { run(); });
}

void NatsFollower::planStart() {
    std::uint64_t firstSeq = 0;
    {
        jsStreamInfo* si = nullptr;
        jsErrCode err = static_cast<jsErrCode>(0);
        if (js_GetStreamInfo(&si, bus_->js(), address_.stream().c_str(), nullptr, &err) == NATS_OK)
            firstSeq = si->State.FirstSeq;
        jsStreamInfo_Destroy(si);
    }
    const bool exists = follower_->replica().exists();
    const std::uint64_t have = follower_->replica().streamSeq();
    // The stream still holds everything after the replica: follow it (no download).
    if (exists && firstSeq <= have + 1) return;
    try {
        SnapshotStore store(*bus_);
        auto latest = store.latest();
        if (!latest) return;
        if (exists && latest->streamSeq <= have) return;   // older than what we hold
        snapshot_ = latest;
        std::lock_guard lock(mutex_);
        status_.replicaReady = false;   // replaced before anyone opens it
        status_.snapshotSize = latest->size;
    } catch (const std::exception& e) {   // refused, a description that does not check: the stream alone
        std::lock_guard lock(mutex_);
        status_.snapshotProblem = e.what();
        std::fprintf(stderr, "follower: %s: snapshot not used: %s\n", address_.display().c_str(), e.what());
    }
}

void NatsFollower::startFromSnapshot() {
    const SnapshotMeta meta = *snapshot_;
    snapshot_.reset();
    const std::string download = replicaPath_ + ".download";
    {
        std::lock_guard lock(mutex_);
        status_.downloading = true;
        status_.snapshotBytes = 0;
    }
    try {
        SnapshotStore store(*bus_);
        store.get(meta, download, [this](std::uint64_t bytes) {
            std::lock_guard lock(mutex_);
            status_.snapshotBytes = bytes;
        });
        follower_.reset();   // closes the old replica, if any, before it is replaced
        installSnapshot(download, replicaPath_, meta, address_.display());
        std::lock_guard lock(mutex_);
        status_.snapshotSeq = meta.streamSeq;
        status_.snapshotProblem.clear();
    } catch (const std::exception& e) {   // WireError (damaged), BusError (stalled), twin::Error (not a store)
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(download + suffix, ec);
        std::fprintf(stderr, "follower: %s: snapshot not used: %s; following the stream instead\n",
                     address_.display().c_str(), e.what());
        std::lock_guard lock(mutex_);
        status_.snapshotProblem = e.what();
    }
    if (!follower_) follower_ = std::make_unique<Follower>(replicaPath_, address_.display());
    std::lock_guard lock(mutex_);
    status_.downloading = false;
    status_.replicaReady = follower_->replica().exists();
    status_.streamSeq = follower_->replica().streamSeq();
    status_.lastCommitPublishedMs = follower_->replica().publishedAtMs();
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
    if (s.downloading) {
        char progress[96];
        std::snprintf(progress, sizeof progress, " · loading the snapshot, %.1f of %.1f MB", s.snapshotBytes / 1e6,
                      s.snapshotSize / 1e6);
        return text + progress;
    }
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
    if (snapshot_) startFromSnapshot();
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
            // losing one server), libnats' ordered consumer notices the silence sooner and makes
            // the consumer again, from the message after the last one received.
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
