// credential_cache.cpp — credential stores resolved at first use and cached; token answers parsed.
#include "credentials/credential_cache.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

namespace sw::credentials {

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

CredentialCache::CredentialCache(const Config& config, EnvLookup env, transport::Io io,
                                 TokenSource& tokens)
    : config_(config), env_(std::move(env)), io_(io), tokens_(tokens) {}

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
    const TimePoint now = io_.loop.clock().now();
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
    if (fetched_remotely(*store)) {
        entry.waiting.push_back(std::move(ready));
        if (!entry.fetching) start_exchange(*store, entry);
        return;
    }
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
    entry.fetching = true;
    // May answer at once, with a token another thread's exchange got.
    tokens_.fetch(store, io_, [this, name = store.name](const TokenAnswer& answer) { exchange_done(name, answer); });
}

void CredentialCache::exchange_done(const std::string& store_name, const TokenAnswer& answer) {
    Entry& entry = entries_[store_name];
    entry.fetching = false;
    std::vector<Ready> waiting;
    waiting.swap(entry.waiting);
    CredentialResult result;
    if (answer.ok()) {
        // What the fetched value stands for follows the store's type: an API key for a simple or
        // azure store (vault, aws-secrets), keys for an aws store, a token for oauth and google.
        const CredentialStoreConfig* store = config_.find_credential_store(store_name);
        const CredentialType type = store ? store->type : CredentialType::oauth;
        entry.kind = answer.aws                                                                 ? CredentialView::Kind::aws
                     : type == CredentialType::simple || type == CredentialType::azure ? CredentialView::Kind::api_key
                                                                                        : CredentialView::Kind::bearer_token;
        entry.aws = answer.aws;
        entry.secret = answer.access_token;
        entry.project = answer.project;
        entry.location = answer.location;
        entry.valid = true;
        entry.expires = answer.expires;
        result = view_of(entry);
    } else {
        result.error = answer.error;
    }
    for (auto& ready : waiting) ready(result);
}

}  // namespace sw::credentials
