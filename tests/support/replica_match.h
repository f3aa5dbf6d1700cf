// Waiting for a follower's replica to hold what the writer's store holds (the opscentre tests):
// compared through the store API (store_compare.h) every 200 ms until they match or the time is
// up. Header-only: the tests that use it link app_nats, the support library does not.
#pragma once

#include "support/store_compare.h"

#include "nats_follower.h"

#include "twin/store.h"

#include <QDeadlineTimer>
#include <QThread>

#include <string>

namespace testsupport {

// "" when `follower`'s replica equals `writer`, else the last difference seen.
inline std::string waitForMatch(const std::string& writer, const app_nats::NatsFollower& follower, int timeoutMs = 20000) {
    auto a = twin::StoreReader::open(writer);
    std::string diff = "no replica";
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (follower.status().replicaReady) {
            auto b = twin::StoreReader::open(follower.replicaPath());
            diff = storeDifference(*a, *b);
            if (diff.empty()) return diff;
        }
        QThread::msleep(200);
    }
    return diff;
}

} // namespace testsupport
