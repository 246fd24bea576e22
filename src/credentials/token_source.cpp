// token_source.cpp — one token exchange per store at a time, its answer sent to every I/O
// thread that waits for it.
#include "credentials/token_source.hpp"

#include "credentials/credential_cache.hpp"
#include "credentials/http_fetch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sw::credentials {

bool fetched_remotely(const CredentialStoreConfig& store) {
    if (store.source == CredentialSource::vault || store.source == CredentialSource::aws_secrets) return true;
    if (store.type == CredentialType::oauth || store.type == CredentialType::google) return true;
    const auto* aws = std::get_if<AwsCredentials>(&store.details);
    return aws && aws->use_instance_profile;
}

namespace {

// A token endpoint's answer (oauth, google), as a Fetched.
void exchange_token(const CredentialStoreConfig& store, const EnvLookup& env, transport::Io io, FetchDone done) {
    std::string error;
    auto request = token_request(store, env, std::chrono::system_clock::now(), error);
    if (!request) return done(fetch_failed(std::move(error)));
    transport::HttpRequest http;
    http.url = std::move(request->url);
    http.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    http.body = std::move(request->form_body);
    http.total_timeout = Millis(30000);
    http_fetch(io, std::move(http),
               [name = store.name, project = std::move(request->project), location = std::move(request->location),
                done = std::move(done)](FetchReply reply) {
                   if (!reply.ok())
                       return done(fetch_failed(
                           fmt::format("credential store \"{}\": {}", name, reply_failure(reply, "the token endpoint"))));
                   std::string why;
                   auto token = parse_token_response(reply.body, why);
                   if (!token) return done(fetch_failed(fmt::format("credential store \"{}\": {}", name, why)));
                   Fetched fetched;
                   fetched.value = std::move(token->access_token);
                   fetched.expires_in = token->expires_in;
                   fetched.project = project;
                   fetched.location = location;
                   done(std::move(fetched));
               });
}

// The store's region, for instance-profile keys (Bedrock's signing region).
std::optional<std::string> aws_region(const CredentialStoreConfig& store, const EnvLookup& env, std::string& error) {
    const auto* aws = std::get_if<AwsCredentials>(&store.details);
    if (!aws || aws->region.empty()) return std::string();
    auto region = resolve_value(aws->region, store.name, "region", env);
    if (!region.ok()) {
        error = region.error;
        return std::nullopt;
    }
    return std::string(region.value->reveal());
}

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
    // `this` outlives the fetch: the requests waiting for it hold their generation.
    FetchDone done = [this, &loop = io.loop, name = store.name](Fetched fetched) {
        TokenAnswer answer;
        if (!fetched.ok()) {
            answer.error = std::move(fetched.error);
            return finish(name, answer);
        }
        // Kept for cacheTtl, or until shortly before the source says it expires, whichever is
        // sooner, so that no request carries a credential that expires in flight.
        const CredentialStoreConfig* found = config_.find_credential_store(name);
        std::chrono::seconds lifetime = found ? found->cache_ttl : std::chrono::seconds(0);
        if (fetched.expires_in) lifetime = std::min(lifetime, *fetched.expires_in - CredentialCache::refresh_margin);
        answer.access_token = std::move(fetched.value);
        answer.aws = std::move(fetched.aws);
        answer.project = std::move(fetched.project);
        answer.location = std::move(fetched.location);
        answer.expires = loop.clock().now() + std::max(lifetime, std::chrono::seconds(0));
        finish(name, answer);
    };
    if (store.source == CredentialSource::vault) return fetch_vault(store, env_, io, std::move(done));
    if (store.source == CredentialSource::aws_secrets) return fetch_aws_secret(store, env_, io, std::move(done));
    if (std::holds_alternative<AwsCredentials>(store.details)) {
        std::string error;
        auto region = aws_region(store, env_, error);
        if (!region) return done(fetch_failed(std::move(error)));
        return fetch_instance_profile(store.name, std::move(*region), env_, io, std::move(done));
    }
    exchange_token(store, env_, io, std::move(done));
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
