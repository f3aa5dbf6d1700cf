#include "scraper.h"

#include <httplib.h>

#include <QUrl>

#include <charconv>
#include <chrono>
#include <stdexcept>

namespace colossus_ingest {

namespace {

twin::TimeMs nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// httplib's error in words a reader of the report line understands.
std::string whyFailed(httplib::Error e)
{
    switch (e) {
    case httplib::Error::Connection: return "connection refused or host unreachable";
    case httplib::Error::ConnectionTimeout: return "connect timed out";
    case httplib::Error::Read: return "read failed (connection closed or timed out)";
    case httplib::Error::Write: return "sending the request failed";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "cannot load the CA certificates (--scrape-ca)";
    case httplib::Error::SSLServerVerification: return "TLS certificate not verified (--scrape-ca)";
    default: return "HTTP client error: " + httplib::to_string(e);
    }
}

} // namespace

struct Scraper::Target {
    std::string url, path;
    std::unique_ptr<httplib::Client> client;   // one connection kept alive per target
    twin::ingest::ScrapeTargetState state;
    twin::TimeMs due = 0;
    bool busy = false;                         // being scraped by a worker
    bool scraped = false, up = false;
    std::string why;                           // the last failure
};

Scraper::Scraper(ScrapeConfig config, twin::ingest::ScrapeIngest& ingest)
    : config_(std::move(config)), ingest_(ingest)
{
    const twin::TimeMs start = nowMs();
    for (const std::string& url : config_.urls) {
        const QUrl u(QString::fromStdString(url), QUrl::StrictMode);
        const std::string scheme = u.scheme().toStdString();
        if (!u.isValid() || (scheme != "http" && scheme != "https") || u.host().isEmpty())
            throw std::runtime_error(url + ": not an http:// or https:// URL");
        auto t = std::make_unique<Target>();
        t->url = url;
        t->path = u.path(QUrl::FullyEncoded).isEmpty() ? "/" : u.path(QUrl::FullyEncoded).toStdString();
        if (u.hasQuery()) t->path += "?" + u.query(QUrl::FullyEncoded).toStdString();
        const std::string host = u.host().contains(':') ? "[" + u.host().toStdString() + "]" : u.host().toStdString();
        const int port = u.port(scheme == "https" ? 443 : 80);
        t->client = std::make_unique<httplib::Client>(scheme + "://" + host + ":" + std::to_string(port));
        const auto timeout = std::chrono::milliseconds(config_.timeoutMs);
        t->client->set_connection_timeout(timeout);
        t->client->set_read_timeout(timeout);
        t->client->set_write_timeout(timeout);
        t->client->set_keep_alive(true);
        t->client->set_decompress(false);   // the body's size limit is on what arrives
        if (scheme == "https") {
            if (!config_.caFile.empty()) t->client->set_ca_cert_path(config_.caFile);
            t->client->enable_server_certificate_verification(true);
        }
        // Spread over the interval like Prometheus, so that targets are not all scraped at once.
        t->due = start + static_cast<twin::TimeMs>(std::hash<std::string>()(url) % static_cast<std::size_t>(config_.intervalMs));
        targets_.push_back(std::move(t));
    }
}

Scraper::~Scraper()
{
    stop();
}

void Scraper::start()
{
    const int n = std::max(1, std::min<int>(config_.threads, static_cast<int>(targets_.size())));
    for (int k = 0; k < n; ++k) threads_.emplace_back([this] { work(); });
}

void Scraper::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void Scraper::work()
{
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        Target* next = nullptr;
        for (auto& t : targets_)
            if (!t->busy && (!next || t->due < next->due)) next = t.get();
        const twin::TimeMs now = nowMs();
        if (!next || next->due > now) {
            // Short waits: a stop is answered at once (notify), a clock step within 100 ms.
            wake_.wait_for(lock, std::chrono::milliseconds(next ? std::min<twin::TimeMs>(next->due - now, 100) : 100));
            continue;
        }
        next->busy = true;
        lock.unlock();
        scrape(*next);
        lock.lock();
        next->busy = false;
        // The next slot on the target's own schedule after now (slots missed are skipped).
        const twin::TimeMs after = nowMs();
        next->due += config_.intervalMs;
        if (next->due <= after) next->due += ((after - next->due) / config_.intervalMs + 1) * config_.intervalMs;
        wake_.notify_all();
    }
}

void Scraper::scrape(Target& t)
{
    const twin::TimeMs start = nowMs();
    const std::size_t limit = ingest_.limits().maxBodyBytes;
    std::string body;
    int status = 0;
    bool tooLarge = false, timedOut = false;
    httplib::Headers headers = {
        {"Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1"},
        {"User-Agent", "colossus-ingest"},
        {"X-Prometheus-Scrape-Timeout-Seconds", std::to_string(static_cast<double>(config_.timeoutMs) / 1000)},
    };
    if (!config_.bearerToken.empty()) headers.emplace("Authorization", "Bearer " + config_.bearerToken);
    const auto result = t.client->Get(
        t.path, headers,
        [&](const httplib::Response& r) {
            status = r.status;
            if (status != 200) return false;
            const std::string length = r.get_header_value("Content-Length");
            std::size_t n = 0;
            if (!length.empty() && std::from_chars(length.data(), length.data() + length.size(), n).ec == std::errc() &&
                n > limit)
                return !(tooLarge = true);   // refused before reading it
            return true;
        },
        [&](const char* data, std::size_t n) {
            if (body.size() + n > limit) return !(tooLarge = true);
            body.append(data, n);
            return true;
        },
        [&](std::uint64_t, std::uint64_t) {   // the scrape's whole time, not only each read's
            return !(timedOut = nowMs() - start > config_.timeoutMs) && !cancel_;
        });
    if (cancel_) return;   // stopping: neither a failure nor data
    std::string why;
    if (tooLarge) why = "body over " + std::to_string(limit) + " bytes";
    else if (timedOut || (!result && nowMs() - start >= config_.timeoutMs))   // httplib's read timeout is ours
        why = "timed out after " + std::to_string(config_.timeoutMs) + " ms";
    else if (status != 0 && status != 200) why = "HTTP " + std::to_string(status);
    else if (!result) why = whyFailed(result.error());
    const twin::ingest::IngestResult r = why.empty() ? ingest_.ingest(body, t.url, start, t.state)
                                                     : ingest_.fail(t.state, nowMs());
    std::lock_guard lock(mutex_);
    interval_.counts.add(r.counts);
    t.scraped = true;
    t.up = why.empty();
    t.why = why;
    if (!why.empty()) {
        ++interval_.failed;
        if (interval_.firstError.empty()) interval_.firstError = t.url + ": scrape failed: " + why;
    }
    if (interval_.firstError.empty()) interval_.firstError = r.firstError;
    if (interval_.firstNotice.empty()) interval_.firstNotice = r.firstNotice;
}

ScrapeInterval Scraper::take()
{
    std::lock_guard lock(mutex_);
    ScrapeInterval out = std::move(interval_);
    interval_ = {};
    for (const auto& t : targets_) {
        if (t->up) ++out.up;
        else if (t->scraped) out.down.push_back(t->url + " (" + t->why + ")");
    }
    return out;
}

std::string describe(const ScrapeInterval& s, std::size_t targets)
{
    std::string line = " | scraped " + std::to_string(targets) + " targets (" + std::to_string(s.up) + " up, " +
                       std::to_string(s.down.size()) + " down";
    constexpr std::size_t kNamed = 10;   // a line, not a list of a thousand hosts
    for (std::size_t k = 0; k < s.down.size() && k < kNamed; ++k) line += (k ? ", " : ": ") + s.down[k];
    if (s.down.size() > kNamed) line += " and " + std::to_string(s.down.size() - kNamed) + " more";
    line += "): " + twin::ingest::describe(s.counts);
    if (!s.firstError.empty()) line += " | first scrape error: " + s.firstError;
    if (!s.firstNotice.empty()) line += " | first scrape notice: " + s.firstNotice;
    return line;
}

} // namespace colossus_ingest
