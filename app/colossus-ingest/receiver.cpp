#include "receiver.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace colossus_ingest {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trimmed(std::string s)
{
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Compares in time independent of where the strings differ (the token is a secret).
bool sameSecret(const std::string& a, const std::string& b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

// Remote-write 1.0: "application/x-protobuf", optionally with parameters; a 2.0 sender names
// another message in proto=, which this receiver does not read.
bool isRemoteWrite10(const std::string& contentType)
{
    const auto semi = contentType.find(';');
    if (lower(trimmed(contentType.substr(0, semi))) != "application/x-protobuf") return false;
    if (semi == std::string::npos) return true;
    const std::string params = lower(contentType.substr(semi + 1));
    const auto proto = params.find("proto=");
    return proto == std::string::npos ||
           trimmed(params.substr(proto + 6, params.find(';', proto) - proto - 6)) == "prometheus.writerequest";
}

void answer(httplib::Response& res, int status, const std::string& text)
{
    res.status = status;
    if (!text.empty()) res.set_content(text + "\n", "text/plain");
}

} // namespace

Receiver::Receiver(ReceiverConfig config, twin::ingest::RemoteWriteIngest& ingest)
    : config_(std::move(config)), ingest_(ingest), tokens_(std::max(1.0, config_.maxRequestsPerSecond))
{
    if (tls()) {
        auto ssl = std::make_unique<httplib::SSLServer>(config_.tlsCert.c_str(), config_.tlsKey.c_str());
        if (!ssl->is_valid())
            throw std::runtime_error(config_.tlsCert + ", " + config_.tlsKey +
                                     ": cannot load the TLS certificate and key (PEM files, matching)");
        server_ = std::move(ssl);
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    const int threads = config_.threads;
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second receiver on
    // the same port would start without an error and silently take half of the requests.
    server_->set_socket_options([](socket_t sock) {
        const int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server_->set_payload_max_length(config_.maxBodyBytes);
    server_->set_read_timeout(30, 0);

    server_->Post("/api/v1/write", [this](const httplib::Request& req, httplib::Response& res) {
        const auto count = [this](std::int64_t ReceiverInterval::*field) {
            std::lock_guard lock(mutex_);
            ++(interval_.*field);
        };
        if (!config_.bearerToken.empty()) {
            const std::string auth = req.get_header_value("Authorization");
            if (auth.size() < 7 || lower(auth.substr(0, 7)) != "bearer " ||
                !sameSecret(trimmed(auth.substr(7)), config_.bearerToken)) {
                count(&ReceiverInterval::unauthorized);
                res.set_header("WWW-Authenticate", "Bearer");
                return answer(res, 401, "missing or wrong bearer token");
            }
        }
        if (!isRemoteWrite10(req.get_header_value("Content-Type")) ||
            lower(trimmed(req.get_header_value("Content-Encoding"))) != "snappy") {
            count(&ReceiverInterval::unsupported);
            return answer(res, 415, "expected Prometheus remote-write 1.0: Content-Type application/x-protobuf, "
                                    "Content-Encoding snappy (got '" + req.get_header_value("Content-Type") +
                                        "', '" + req.get_header_value("Content-Encoding") + "')");
        }
        if (!takeToken()) {   // over the rate: the sender keeps the batch and retries (Prometheus drops 429s)
            count(&ReceiverInterval::limited);
            res.set_header("Retry-After", "1");
            return answer(res, 503, "over the receiver's request rate (--max-requests-per-second); retry");
        }
        if (config_.writerBehind && config_.writerBehind()) {
            count(&ReceiverInterval::busy);
            res.set_header("Retry-After", "1");
            return answer(res, 503, "the store writer is behind; retry");
        }
        const std::string source = req.remote_addr + ":" + std::to_string(req.remote_port);
        const twin::ingest::IngestResult r = ingest_.ingest(req.body, source);
        {
            std::lock_guard lock(mutex_);
            interval_.counts.add(r.counts);
            if (r.status == twin::ingest::IngestStatus::TooLarge) ++interval_.tooLarge;
            if (interval_.firstError.empty()) interval_.firstError = r.firstError;
            if (interval_.firstNotice.empty()) interval_.firstNotice = r.firstNotice;
        }
        switch (r.status) {
        case twin::ingest::IngestStatus::Ok: return answer(res, 204, "");
        case twin::ingest::IngestStatus::Invalid: return answer(res, 400, r.firstError);
        case twin::ingest::IngestStatus::TooLarge: return answer(res, 413, r.firstError);
        }
    });
    // Answers httplib gives itself (413 before reading a body over the limit, 404, 405, 400):
    // counted where they matter and given a line of text.
    server_->set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;   // ours, already said
        if (res.status == 413) {
            std::lock_guard lock(mutex_);
            ++interval_.tooLarge;
            if (interval_.firstError.empty())
                interval_.firstError = req.remote_addr + ": body over --max-body-bytes (" +
                                       std::to_string(config_.maxBodyBytes) + ")";
        }
        res.set_content("colossus-ingest: HTTP " + std::to_string(res.status) +
                            (res.status == 413 ? " body too large" : "") + " (remote-write: POST /api/v1/write)\n",
                        "text/plain");
        return httplib::Server::HandlerResponse::Handled;
    }));
}

Receiver::~Receiver()
{
    stop();
}

int Receiver::bind()
{
    const int port = config_.port == 0 ? server_->bind_to_any_port(config_.host)
                                       : (server_->bind_to_port(config_.host, config_.port) ? config_.port : -1);
    if (port <= 0)
        throw std::runtime_error(config_.host + ":" + std::to_string(config_.port) +
                                 ": cannot listen (address in use or not local?)");
    return port;
}

void Receiver::start()
{
    thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void Receiver::stop()
{
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
}

bool Receiver::takeToken()
{
    if (config_.maxRequestsPerSecond <= 0) return true;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const double burst = std::max(1.0, config_.maxRequestsPerSecond);
    tokens_ = std::min(burst, tokens_ + std::chrono::duration<double>(now - refilled_).count() * config_.maxRequestsPerSecond);
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

ReceiverInterval Receiver::take()
{
    std::lock_guard lock(mutex_);
    ReceiverInterval out = std::move(interval_);
    interval_ = {};
    return out;
}

} // namespace colossus_ingest
