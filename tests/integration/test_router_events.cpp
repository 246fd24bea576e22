// test_router_events.cpp — a Router's events over real HTTP to the loopback mock: every request
// ends in one request_finished event, heard before its done callback, with the response's usage,
// cost and timings; events never carry a secret.
#include "chunk_collector.hpp"
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <future>
#include <map>
#include <mutex>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

constexpr const char* kCanary = "sk-canary-7f3a91c2e5d84b06";

// Pool "primary" holds one provider whose mock scenario is `spec`, priced per token, with a key
// from the canary; it falls back to "backup", which always answers.
std::shared_ptr<const sw::Config> config(const std::string& spec) {
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"key":{{"type":"simple","source":"env","config":{{"apiKeyVar":"CANARY_KEY"}}}}}},)"
        R"("pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{}","apiBase":"{}/v1",)"
        R"("credentialsRef":"key","costPerToken":0.001,"maxRetries":0,"timeout":2000}}],"fallbackPoolIds":["backup"]}},)"
        R"({{"id":"backup","providers":[{{"name":"b","provider":"custom","modelName":"events-backup","apiBase":"{}/v1",)"
        R"("credentialsRef":"key","maxRetries":0}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}}}})",
        spec, mock().base(), mock().base());
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

struct Finished {
    sw::RequestId request = 0;
    std::string operation;
    bool streaming = false;
    int status = 0;
    std::string provider;
    sw::TokenUsage usage;
    std::optional<double> cost_usd;
    sw::Nanos latency{0};
    std::optional<sw::Nanos> ttft;
    std::string correlation_id;
    std::string client_id;
};

// Keeps every event's kind per request, each request_finished, and all the JSON.
class Recorder : public sw::RouterObserver {
public:
    void on_route_decision(const sw::RouteDecisionEvent& e) override { add(e.request, "route_decision", e); }
    void on_attempt_started(const sw::AttemptStartedEvent& e) override { add(e.request, "attempt_started", e); }
    void on_attempt_finished(const sw::AttemptFinishedEvent& e) override { add(e.request, "attempt_finished", e); }
    void on_breaker_transition(const sw::BreakerTransitionEvent& e) override { add(0, "breaker_transition", e); }
    void on_cooldown(const sw::CooldownEvent& e) override { add(0, "cooldown", e); }
    void on_request_finished(const sw::RequestFinishedEvent& e) override {
        add(e.request, "request_finished", e);
        std::lock_guard lock(mutex_);
        finished_[e.request] = Finished{e.request, std::string(e.operation), e.streaming, e.status,
                                        e.trace.provider, e.trace.usage, e.cost_usd, e.latency, e.time_to_first_token,
                                        std::string(e.correlation_id), std::string(e.client_id)};
    }

    std::vector<std::string> kinds(sw::RequestId id) {
        std::lock_guard lock(mutex_);
        return kinds_[id];
    }
    std::optional<Finished> finished(sw::RequestId id) {
        std::lock_guard lock(mutex_);
        auto it = finished_.find(id);
        return it == finished_.end() ? std::nullopt : std::optional<Finished>(it->second);
    }
    std::string all_json() {
        std::lock_guard lock(mutex_);
        return json_;
    }

private:
    template <class Event>
    void add(sw::RequestId id, const char* kind, const Event& e) {
        std::lock_guard lock(mutex_);
        kinds_[id].push_back(kind);
        json_ += sw::to_json(e) + "\n";
    }
    std::mutex mutex_;
    std::map<sw::RequestId, std::vector<std::string>> kinds_;
    std::map<sw::RequestId, Finished> finished_;
    std::string json_;
};

sw::RouterOptions observed_by(std::shared_ptr<Recorder> recorder) {
    sw::RouterOptions o;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CANARY_KEY") return std::string(kCanary);
        return std::nullopt;
    };
    o.observers.push_back(std::move(recorder));
    return o;
}

// Runs one request; the done callback notes whether request_finished was already heard.
struct Run {
    sw::RequestId id = 0;
    sw::ChatResponse response;
    bool finished_before_done = false;
};

Run run(sw::Router& router, Recorder& rec, const std::string& body, bool stream = false, bool embeddings = false,
        const sw::ChatOptions& options = {}) {
    auto promise = std::make_shared<std::promise<std::pair<sw::ChatResponse, bool>>>();
    auto future = promise->get_future();
    auto id = std::make_shared<std::atomic<sw::RequestId>>(0);
    std::promise<void> id_known;
    auto id_ready = id_known.get_future().share();
    auto done = [promise, &rec, id, id_ready](sw::ChatResponse r) {
        id_ready.wait();  // the id is returned after submission; the callback may run first
        promise->set_value({std::move(r), rec.finished(id->load()).has_value()});
    };
    Run out;
    if (embeddings) out.id = router.embeddings_async(body, done, options);
    else if (stream) out.id = router.chat_stream_async(body, [](std::string_view) {}, done, options);
    else out.id = router.chat_async(body, done, options);
    id->store(out.id);
    id_known.set_value();
    auto [response, before] = future.get();
    out.response = std::move(response);
    out.finished_before_done = before;
    return out;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";

}  // namespace

TEST_CASE("a served request: its events in order, then request_finished with the response's usage and cost") {
    auto rec = std::make_shared<Recorder>();
    sw::Router router(config("events-ok"), observed_by(rec));
    sw::ChatOptions options;
    options.correlation_id = "corr-1";
    options.client_id = "key-a";
    const Run r = run(router, *rec, kChat, false, false, options);
    REQUIRE(r.response.ok());
    CHECK(r.finished_before_done);
    CHECK(rec->kinds(r.id) ==
          std::vector<std::string>{"route_decision", "attempt_started", "attempt_finished", "request_finished"});
    const auto f = rec->finished(r.id);
    REQUIRE(f);
    CHECK(f->operation == "chat");
    CHECK_FALSE(f->streaming);
    CHECK(f->status == 200);
    CHECK(f->provider == "a");
    CHECK(f->usage.input_tokens == r.response.usage.input_tokens);
    CHECK(f->usage.output_tokens == r.response.usage.output_tokens);
    CHECK(f->usage.total() > 0);
    REQUIRE(f->cost_usd);
    REQUIRE(r.response.cost_usd);
    CHECK(*f->cost_usd == Approx(*r.response.cost_usd));
    CHECK(*f->cost_usd == Approx(0.001 * static_cast<double>(f->usage.total())));
    CHECK(f->latency.count() > 0);
    CHECK_FALSE(f->ttft);
    CHECK(f->correlation_id == "corr-1");
    CHECK(f->client_id == "key-a");
}

TEST_CASE("a failover's events show both attempts, and a stream reports its time to first token") {
    auto rec = std::make_shared<Recorder>();
    sw::Router router(config("events-fail@status=503"), observed_by(rec));
    const Run failed_over = run(router, *rec, kChat);
    REQUIRE(failed_over.response.ok());
    CHECK(rec->kinds(failed_over.id) ==
          std::vector<std::string>{"route_decision", "attempt_started", "attempt_finished", "attempt_started",
                                   "attempt_finished", "request_finished"});
    CHECK(rec->finished(failed_over.id)->provider == "b");

    sw::Router streaming(config("events-stream@ttft_ms=50"), observed_by(rec));
    const Run s = run(streaming, *rec, R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]})",
                      true);
    REQUIRE(s.response.ok());
    const auto f = rec->finished(s.id);
    REQUIRE(f);
    CHECK(f->streaming);
    REQUIRE(f->ttft);
    CHECK(*f->ttft >= std::chrono::milliseconds(50));
    CHECK(*f->ttft <= f->latency);
}

TEST_CASE("a malformed request and an embeddings request end in request_finished too") {
    auto rec = std::make_shared<Recorder>();
    sw::Router router(config("events-ok"), observed_by(rec));
    sw::ChatOptions options;
    options.correlation_id = "corr-bad";
    const Run bad = run(router, *rec, R"({"model":"chat","messages":"not a list"})", false, false, options);
    CHECK(bad.response.status == 400);
    CHECK(bad.finished_before_done);
    CHECK(rec->kinds(bad.id) == std::vector<std::string>{"request_finished"});
    CHECK(rec->finished(bad.id)->status == 400);
    CHECK(rec->finished(bad.id)->correlation_id == "corr-bad");

    options.correlation_id = "corr-emb";
    options.client_id = "key-b";
    const Run emb = run(router, *rec, R"({"model":"chat","input":"hello"})", false, true, options);
    REQUIRE(emb.response.ok());
    CHECK(rec->finished(emb.id)->operation == "embeddings");
    CHECK(rec->finished(emb.id)->correlation_id == "corr-emb");
    CHECK(rec->finished(emb.id)->client_id == "key-b");
}

TEST_CASE("no event carries the key, even when the provider's error echoes it") {
    auto rec = std::make_shared<Recorder>();
    sw::Router router(config(fmt::format("events-echo@status=401,error_message=Incorrect API key {}", kCanary)),
                      observed_by(rec));
    const Run r = run(router, *rec, kChat);
    REQUIRE(r.response.ok());  // served by the backup
    const std::string json = rec->all_json();
    CHECK(json.find("\"status\":401") != std::string::npos);
    CHECK(json.find(kCanary) == std::string::npos);
    CHECK(json.find("canary") == std::string::npos);
}
