// credential_cache.cpp — credential stores resolved at first use, cached, and token exchanges.
#include "credentials/credential_cache.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

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

std::optional<Token> parse_token_response(std::string_view body, std::string& error) {
    simdjson::ondemand::parser parser;
    simdjson::padded_string padded(body);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
        error = "the token endpoint's answer is not a JSON object";
        return std::nullopt;
    }
    Token token;
    bool have_token = false;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) break;
        if (key == "access_token") {
            std::string_view value;
            if (!field.value().get_string().get(value) && !value.empty()) {
                token.access_token = Secret(std::string(value));
                have_token = true;
            }
        } else if (key == "expires_in") {
            // RFC 6749 says a number; some servers send it as a string.
            auto value = field.value();
            std::int64_t seconds = 0;
            std::string_view text;
            if (value.get_int64().get(seconds) && !value.get_string().get(text))
                std::from_chars(text.data(), text.data() + text.size(), seconds);
            token.expires_in = std::chrono::seconds(std::max<std::int64_t>(0, seconds));
        }
    }
    if (!have_token) {
        error = "the token endpoint's answer has no \"access_token\"";
        return std::nullopt;
    }
    return token;
}

CredentialCache::CredentialCache(const Config& config, EnvLookup env, transport::HttpEngine& engine)
    : config_(config), env_(std::move(env)), engine_(engine) {}

CredentialResult CredentialCache::view_of(const Entry& entry) {
    CredentialResult r;
    r.view.kind = entry.kind;
    if (entry.aws) r.view.aws = &*entry.aws;
    else r.view.secret = entry.secret.reveal();
    r.view.project = entry.project;
    r.view.location = entry.location;
    return r;
}

void CredentialCache::acquire(const std::string& store_name, Ready ready) {
    const TimePoint now = engine_.clock().now();
    const CredentialStoreConfig* store = config_.find_credential_store(store_name);
    if (!store) {
        ready(CredentialResult{{}, fmt::format("credential store \"{}\" does not exist", store_name)});
        return;
    }
    Entry& entry = entries_[store_name];
    if (entry.valid && now < entry.expires) {
        ready(view_of(entry));
        return;
    }
    entry.valid = false;
    switch (store->type) {
        case CredentialType::simple:
        case CredentialType::azure: {
            auto resolved = resolve_api_key(*store, env_);
            if (!resolved.ok()) {
                ready(CredentialResult{{}, resolved.error});
                return;
            }
            entry.kind = CredentialView::Kind::api_key;
            entry.secret = std::move(*resolved.value);
            break;
        }
        case CredentialType::aws: {
            auto resolved = resolve_aws(*store, env_);
            if (!resolved.ok()) {
                ready(CredentialResult{{}, resolved.error});
                return;
            }
            entry.kind = CredentialView::Kind::aws;
            entry.aws = std::move(*resolved.value);
            break;
        }
        case CredentialType::oauth:
        case CredentialType::google:
            entry.waiting.push_back(std::move(ready));
            if (!entry.fetching) start_exchange(*store, entry);
            return;
    }
    entry.valid = true;
    entry.expires = now + store->cache_ttl;
    ready(view_of(entry));
}

void CredentialCache::start_exchange(const CredentialStoreConfig& store, Entry& entry) {
    std::string error;
    auto request = token_request(store, env_, std::chrono::system_clock::now(), error);
    if (!request) {
        exchange_done(store.name, std::nullopt, std::move(error));
        return;
    }
    entry.fetching = true;
    entry.project = std::move(request->project);
    entry.location = std::move(request->location);
    transport::HttpRequest http;
    http.url = std::move(request->url);
    http.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    http.body = std::move(request->form_body);
    http.total_timeout = Millis(30000);
    // Token endpoints of loopback test servers are plain http; TLS is verified everywhere else.
    std::string name = store.name;
    auto handler = std::make_shared<TokenExchange>(
        [this, name](int status, const transport::HttpResult& result, std::string body) {
            std::string failure;
            std::optional<Token> token;
            if (result.error != TransportError::none || result.cancelled)
                failure = fmt::format("credential store \"{}\": the token endpoint could not be reached ({})", name,
                                      result.cancelled ? "cancelled" : to_string(result.error));
            else if (status < 200 || status >= 300)
                failure = fmt::format("credential store \"{}\": the token endpoint answered HTTP {}", name, status);
            else if (!(token = parse_token_response(body, failure)))
                failure = fmt::format("credential store \"{}\": {}", name, failure);
            exchange_done(name, std::move(token), std::move(failure));
        });
    engine_.submit(std::move(http), std::move(handler));
}

void CredentialCache::exchange_done(const std::string& store_name, std::optional<Token> token, std::string error) {
    Entry& entry = entries_[store_name];
    entry.fetching = false;
    std::vector<Ready> waiting;
    waiting.swap(entry.waiting);
    CredentialResult result;
    if (token) {
        const CredentialStoreConfig* store = config_.find_credential_store(store_name);
        auto lifetime = std::min<std::chrono::seconds>(store ? store->cache_ttl : std::chrono::seconds(0),
                                                       token->expires_in - refresh_margin);
        entry.kind = CredentialView::Kind::bearer_token;
        entry.secret = std::move(token->access_token);
        entry.valid = true;
        entry.expires = engine_.clock().now() + std::max(lifetime, std::chrono::seconds(0));
        result = view_of(entry);
    } else {
        result.error = std::move(error);
    }
    for (auto& ready : waiting) ready(result);
}

}  // namespace sw::credentials
