// token_source.cpp — one token exchange per store at a time, its answer sent to every I/O
// thread that waits for it.
#include "credentials/token_source.hpp"

#include "credentials/credential_cache.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sw::credentials {

namespace {

// Reads a token endpoint's answer; keeps at most 64 KiB, far more than any token response.
class TokenExchange final : public transport::HttpHandler {
public:
    using Done = std::function<void(int status, const transport::HttpResult&, std::string body)>;
    explicit TokenExchange(Done done) : done_(std::move(done)) {}
    void on_status(int status) override { status_ = status; }
    bool on_body(std::string_view bytes) override {
        constexpr std::size_t cap = 64 * 1024;
        if (body_.size() + bytes.size() > cap) return false;
        body_.append(bytes);
        return true;
    }
    void on_complete(const transport::HttpResult& result) override { done_(status_, result, std::move(body_)); }

private:
    Done done_;
    int status_ = 0;
    std::string body_;
};

}  // namespace

TokenSource::TokenSource(const Config& config, EnvLookup env) : config_(config), env_(std::move(env)) {}

void TokenSource::fetch(const CredentialStoreConfig& store, transport::Io io, Done done) {
    const TimePoint now = io.loop.clock().now();
    std::unique_lock<std::mutex> lock(mutex_);
    Slot& slot = slots_[store.name];
    if (slot.last.ok() && now < slot.last.expires) {
        // Another thread's exchange already got a token that is still good.
        TokenAnswer answer = slot.last;
        lock.unlock();
        done(answer);
        return;
    }
    slot.waiting.push_back(Waiter{&io.loop, std::move(done)});
    if (slot.fetching) return;
    slot.fetching = true;
    lock.unlock();
    start_exchange(store, io);
}

void TokenSource::start_exchange(const CredentialStoreConfig& store, transport::Io io) {
    std::string error;
    auto request = token_request(store, env_, std::chrono::system_clock::now(), error);
    if (!request) {
        TokenAnswer failed;
        failed.error = std::move(error);
        finish(store.name, failed);
        return;
    }
    transport::HttpRequest http;
    http.url = std::move(request->url);
    http.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    http.body = std::move(request->form_body);
    http.total_timeout = Millis(30000);
    // Token endpoints of loopback test servers are plain http; TLS is verified everywhere else.
    // `this` outlives the exchange: the requests waiting for it hold their generation.
    auto handler = std::make_shared<TokenExchange>(
        [this, &loop = io.loop, name = store.name, project = std::move(request->project),
         location = std::move(request->location)](int status, const transport::HttpResult& result, std::string body) {
            TokenAnswer answer;
            std::optional<Token> token;
            if (result.error != TransportError::none || result.cancelled)
                answer.error = fmt::format("credential store \"{}\": the token endpoint could not be reached ({})", name,
                                           result.cancelled ? "cancelled" : to_string(result.error));
            else if (status < 200 || status >= 300)
                answer.error = fmt::format("credential store \"{}\": the token endpoint answered HTTP {}", name, status);
            else if (!(token = parse_token_response(body, answer.error)))
                answer.error = fmt::format("credential store \"{}\": {}", name, answer.error);
            if (token) {
                const CredentialStoreConfig* found = config_.find_credential_store(name);
                auto lifetime = std::min<std::chrono::seconds>(found ? found->cache_ttl : std::chrono::seconds(0),
                                                               token->expires_in - CredentialCache::refresh_margin);
                answer.access_token = std::move(token->access_token);
                answer.expires = loop.clock().now() + std::max(lifetime, std::chrono::seconds(0));
                answer.project = project;
                answer.location = location;
            }
            finish(name, answer);
        });
    io.http.submit(std::move(http), std::move(handler));
}

void TokenSource::finish(const std::string& store_name, const TokenAnswer& answer) {
    std::vector<Waiter> waiting;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Slot& slot = slots_[store_name];
        slot.fetching = false;
        waiting.swap(slot.waiting);
        if (answer.ok()) slot.last = answer;
    }
    // Each waiter hears on its own thread. A waiter keeps its thread's requests, and through
    // them this generation, alive until its answer has run; the loop runs a post even when
    // its thread has already stopped (see ~HttpEngine).
    for (Waiter& w : waiting) {
        if (w.loop->on_io_thread())
            w.done(answer);
        else
            w.loop->post([done = std::move(w.done), answer] { done(answer); });
    }
}

}  // namespace sw::credentials
