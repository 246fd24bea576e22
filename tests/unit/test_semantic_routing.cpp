// test_semantic_routing.cpp — the semantic and hybrid prompt routers: routes by example
// utterances, thresholds and abstention, the built-in and callback embedders, the embedding cache,
// and a failing embedder, through the real request path.
#include "sim_scenario.hpp"

#include "api/pool_embedding_driver.hpp"

#include "prompt/builtin_embedder.hpp"
#include "prompt/embedding_cache.hpp"
#include "prompt/semantic.hpp"

#include <simdjson.h>

#include <atomic>
#include <stdexcept>

using namespace swtest;

namespace {

std::string chat(const std::string& text, const std::string& model = "auto") {
    return fmt::format(R"({{"model":"{}","messages":[{{"role":"user","content":"{}"}}]}})", model, text);
}

std::vector<std::string> pools() {
    return {pool("strong", {provider("s", {{"maxRetries", "0"}})}, {"backup"}), pool("cheap", {provider("c")}),
            pool("backup", {provider("b")}), pool("law", {provider("l")})};
}

const std::string kTargets =
    R"("routes":{"code":[{"pool":"strong"}],"complex":[{"pool":"strong"}],"simple":[{"pool":"cheap"}],)"
    R"("general":[{"pool":"backup"}],"legal":[{"pool":"law"}]})";

// A model "auto" with `router` (JSON members, without braces) and the targets above.
std::string model(const std::string& router) { return R"({"auto":{"router":{)" + router + "," + kTargets + "}}}"; }

const std::string kLegal =
    R"("semantic":{"defaultRoutes":false,"routes":{"legal":{"utterances":["my landlord kept my deposit",)"
    R"("can my landlord evict me without notice","is my lease still valid after the sale"],"threshold":0.2}}})";

// An embedder of four dimensions whose similarities are exact: "x" is the first axis, "y" the
// second, and anything else the unit diagonal (0.5 with each axis).
std::vector<float> axes(std::string_view text) {
    if (text == "x") return {1, 0, 0, 0};
    if (text == "y") return {0, 1, 0, 0};
    return {0.5f, 0.5f, 0.5f, 0.5f};
}

std::string axes_model(const std::string& threshold) {
    return model(R"("strategy":"semantic","semantic":{"embedder":"callback","defaultRoutes":false,"routes":{)"
                 R"("legal":{"utterances":["x"],"threshold":)" + threshold + R"(},"simple":{"utterances":["y"],"threshold":0.9}}})");
}

}  // namespace

TEST_CASE("semantic routing: a route of your own, by example utterances, through its target pool") {
    Scenario s(pools(), "", {}, {}, model(R"("strategy":"semantic",)" + kLegal));
    SimResult r = s.chat(chat("My landlord kept the whole deposit when I moved out"));
    REQUIRE(r.response.ok());
    REQUIRE(r.response.trace.route);
    const sw::PromptRoute& route = *r.response.trace.route;
    CHECK(route.strategy == "semantic");
    CHECK(route.embedder == "builtin");
    CHECK(route.label == "legal");
    CHECK(route.target == "law");
    REQUIRE(route.scores.size() == 1);
    CHECK(route.scores[0].router == "semantic");
    CHECK(route.scores[0].score >= 0.2);
    CHECK_THAT(route.reason, Catch::Contains("legal is the closest route"));
    CHECK(r.response.trace.pool_id == "law");
    CHECK(s.attempts("l") == 1);
}

TEST_CASE("semantic routing: nothing close enough abstains, to the default label's target") {
    Scenario s(pools(), "", {}, {}, model(R"("strategy":"semantic",)" + kLegal));
    SimResult r = s.chat(chat("Write a haiku about autumn rain"));
    REQUIRE(r.response.ok());
    const sw::PromptRoute& route = *r.response.trace.route;
    CHECK(route.label == "general");
    CHECK(route.scores[0].score < 0.2);
    CHECK_THAT(route.reason, Catch::Contains("no route reached its similarity threshold, so the default label general"));
    CHECK(r.response.trace.pool_id == "backup");
}

TEST_CASE("semantic routing: a route's threshold is met at exactly its value, and missed just above it") {
    sw::RouterOptions options;
    options.embedder = axes;
    // "z" is the diagonal: cosine exactly 0.5 with the legal route's "x".
    Scenario at(pools(), "", {}, options, axes_model("0.5"));
    SimResult r = at.chat(chat("z"));
    CHECK(r.response.trace.route->label == "legal");
    CHECK(r.response.trace.route->scores[0].score == 0.5);
    CHECK(r.response.trace.route->embedder == "callback");
    Scenario above(pools(), "", {}, options, axes_model("0.50001"));
    CHECK(above.chat(chat("z")).response.trace.route->label == "general");
    // SIMILARITY_THRESHOLD is the default for a route without one.
    const std::string no_threshold =
        model(R"("strategy":"semantic","semantic":{"embedder":"callback","defaultRoutes":false,)"
              R"("routes":{"legal":{"utterances":["x"]}}})");
    Scenario env_default(pools(), "", {{"SIMILARITY_THRESHOLD", "0.5"}}, options, no_threshold);
    SimResult d = env_default.chat(chat("z"));
    CHECK(d.response.trace.route->label == "legal");
    CHECK(d.response.trace.route->scores[0].threshold == 0.5);
    Scenario guide_default(pools(), "", {}, options, no_threshold);  // 0.7
    CHECK(guide_default.chat(chat("z")).response.trace.route->label == "general");
}

TEST_CASE("semantic routing: a failing embedder never fails the request, the heuristic decides, and says so") {
    std::atomic<bool> failing{false};
    sw::RouterOptions options;
    options.embedder = [&](std::string_view text) {
        if (failing) throw std::runtime_error("embedding service unavailable");
        return axes(text);
    };
    Scenario s(pools(), "", {{"CACHE_EMBEDDINGS", "false"}}, options, axes_model("0.5"));
    failing = true;
    SimResult r = s.chat(chat("how do I reverse a list in python"));
    REQUIRE(r.response.ok());
    const sw::PromptRoute& route = *r.response.trace.route;
    CHECK(route.label == "code");  // the heuristic's
    CHECK(route.target == "strong");
    CHECK_THAT(route.fallback, Catch::Contains("the callback embedder failed"));
    CHECK_THAT(route.fallback, Catch::Contains("embedding service unavailable"));
    CHECK_THAT(route.fallback, Catch::Contains("so the heuristic decided"));
    CHECK(route.scores[0].router == "heuristic");
    CHECK_THAT(r.response.trace_json(), Catch::Contains(R"("fallback":"the callback embedder failed)"));

    // Vectors of another length than the routes' are a failure too.
    options.embedder = [](std::string_view text) {
        return text == "x" || text == "y" ? axes(text) : std::vector<float>{1, 0};
    };
    Scenario wrong(pools(), "", {{"CACHE_EMBEDDINGS", "false"}}, options, axes_model("0.5"));
    SimResult w = wrong.chat(chat("z"));
    REQUIRE(w.response.ok());
    CHECK_THAT(w.response.trace.route->fallback, Catch::Contains("answered 2 values for the request and 4 for the routes"));
}

TEST_CASE("semantic routing: a callback config without a callback is refused when the router is built") {
    auto loaded = sw::load_config_string(
        R"({"pools":[{"id":"backup","providers":[{"name":"b","provider":"custom","modelName":"m","apiBase":"https://b.example.invalid/v1"}]}],)"
        R"("models":{"auto":{"router":{"strategy":"hybrid","semantic":{"embedder":"callback"},"routes":{"general":[{"pool":"backup"}]}}}}})",
        sw::ConfigFormat::json);
    INFO(sw::format_diagnostics_text(loaded));
    REQUIRE(loaded.ok());
    try {
        sw::Router router(loaded.config, {});
        FAIL("the router was built");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Contains("model \"auto\" embeds with a callback, and the router was given none"));
    }
    sw::RouterOptions options;
    options.embedder = axes;
    CHECK_NOTHROW(sw::Router(loaded.config, options));
}

TEST_CASE("semantic routing: CACHE_EMBEDDINGS embeds a repeated request once, utterances are embedded once") {
    std::atomic<int> calls{0};
    sw::RouterOptions options;
    options.embedder = [&](std::string_view text) {
        ++calls;
        return axes(text);
    };
    Scenario cached(pools(), "", {}, options, axes_model("0.5"));
    CHECK(calls == 2);  // the two routes' utterances, when the router was built
    cached.chat(chat("z"));
    cached.chat(chat("z"));
    cached.chat(chat("w"));
    CHECK(calls == 4);
    calls = 0;
    Scenario uncached(pools(), "", {{"CACHE_EMBEDDINGS", "false"}}, options, axes_model("0.5"));
    uncached.chat(chat("z"));
    uncached.chat(chat("z"));
    CHECK(calls == 4);
}

TEST_CASE("embedding cache: bounded, least recently used first out, and a failure is not kept") {
    struct Counting final : sw::prompt::Embedder {
        mutable int calls = 0;
        bool embed(std::string_view text, std::vector<float>& out, std::string& error) const override {
            ++calls;
            if (text == "bad") {
                error = "no";
                return false;
            }
            out = axes(text);
            return true;
        }
    };
    auto inner = std::make_shared<Counting>();
    const sw::prompt::CachedEmbedder cache(inner, 2);
    std::vector<float> v;
    std::string error;
    REQUIRE(cache.embed("x", v, error));
    REQUIRE(cache.embed("y", v, error));
    REQUIRE(cache.embed("x", v, error));  // a hit: x is now the most recent
    CHECK(inner->calls == 2);
    REQUIRE(cache.embed("z", v, error));  // evicts y
    REQUIRE(cache.embed("x", v, error));
    CHECK(inner->calls == 3);
    REQUIRE(cache.embed("y", v, error));
    CHECK(inner->calls == 4);
    CHECK(v == axes("y"));
    CHECK_FALSE(cache.embed("bad", v, error));
    CHECK_FALSE(cache.embed("bad", v, error));
    CHECK(inner->calls == 6);
}

TEST_CASE("built-in embedder: words the routes share weigh less, and scripts without spaces still match") {
    const std::vector<std::string_view> corpus = {"the lease and the deposit", "the python list", "the weather"};
    const sw::prompt::BuiltinEmbedder embedder(corpus);
    std::vector<float> a, b, c;
    std::string error;
    REQUIRE(embedder.embed("the deposit", a, error));
    REQUIRE(embedder.embed("the python", b, error));
    REQUIRE(embedder.embed("deposit", c, error));
    REQUIRE(a.size() == sw::prompt::BuiltinEmbedder::kDimensions);
    auto cosine = [](const std::vector<float>& x, const std::vector<float>& y) {
        double d = 0;
        for (std::size_t i = 0; i < x.size(); ++i) d += static_cast<double>(x[i]) * y[i];
        return d;
    };
    CHECK(cosine(a, a) == Approx(1.0));
    // "the" is in every utterance, so "the deposit" is mostly "deposit".
    CHECK(cosine(a, c) > 0.8);
    CHECK(cosine(a, b) < 0.3);
    // Case does not matter.
    std::vector<float> upper;
    REQUIRE(embedder.embed("THE DEPOSIT", upper, error));
    CHECK(upper == a);
    // Chinese, written without spaces: two sentences that share a word share its character pairs.
    std::vector<float> zh1, zh2, zh3;
    REQUIRE(embedder.embed("我的房东扣了押金", zh1, error));
    REQUIRE(embedder.embed("房东不退押金怎么办", zh2, error));
    REQUIRE(embedder.embed("今天天气很好", zh3, error));
    CHECK(cosine(zh1, zh2) > cosine(zh1, zh3) + 0.2);
}

TEST_CASE("semantic routing: the shipped routes label the four standard labels with no configuration") {
    Scenario s(pools(), "", {}, {},
               R"({"auto":{"router":{"strategy":"semantic","routes":{"code":[{"pool":"strong"}],)"
               R"("simple":[{"pool":"cheap"}],"general":[{"pool":"backup"}]}}}})");
    auto label_of = [&](const std::string& text) { return s.chat(chat(text)).response.trace.route->label; };
    CHECK(label_of("why does my rust code fail with borrowed value does not live long enough") == "code");
    CHECK(label_of("what is the capital of australia") == "simple");
    SimResult r = s.chat(chat("what is the capital of australia"));
    REQUIRE(r.response.trace.route->scores.size() == 4);
    CHECK(r.response.trace.route->scores[0].label == "code");
    CHECK(r.response.trace.route->scores[0].threshold == 0.05);
}

TEST_CASE("hybrid routing: each router votes, the heuristic's found label stands, its 'general' yields") {
    sw::RouterOptions options;
    options.embedder = axes;
    // The semantic router's one route, legal, takes anything (the diagonal is 0.5 from "x"), with
    // no runner-up: confidence 1.
    Scenario s(pools(), "", {}, options,
               model(R"("strategy":"hybrid","hybrid":{"heuristic":0.6,"semantic":0.4},)"
                     R"("semantic":{"embedder":"callback","defaultRoutes":false,)"
                     R"("routes":{"legal":{"utterances":["x"],"threshold":0.4}}})"));
    // Nothing for the heuristic in it: its "general" is a weak vote, and semantic's legal wins.
    SimResult weak = s.chat(chat("z"));
    const sw::PromptRoute& w = *weak.response.trace.route;
    CHECK(w.strategy == "hybrid");
    REQUIRE(w.votes.size() == 2);
    CHECK(w.votes[0].router == "heuristic");
    CHECK(w.votes[0].label == "general");
    CHECK(w.votes[0].confidence == 0.25);
    CHECK(w.votes[1].router == "semantic");
    CHECK(w.votes[1].label == "legal");
    CHECK(w.votes[1].confidence == 1.0);
    CHECK(w.votes[0].weight == 0.6);
    CHECK(w.label == "legal");
    CHECK(weak.response.trace.pool_id == "law");
    CHECK_THAT(weak.response.trace_json(), Catch::Contains(R"("votes":[{"router":"heuristic","label":"general")"));
    // Code the heuristic finds stands against the semantic vote: 0.6 against 0.4.
    SimResult strong = s.chat(chat("Traceback (most recent call last): KeyError: 'id'"));
    CHECK(strong.response.trace.route->votes[0].label == "code");
    CHECK(strong.response.trace.route->votes[0].confidence == 1.0);
    CHECK(strong.response.trace.route->label == "code");
    CHECK(strong.response.trace.pool_id == "strong");
}

namespace {

// The embeddings provider "e" of pool "embed": one vector per input, the first axis for a text
// that mentions code, the third for a lease and the second for any other, 10 ms after the request. `inputs` records how
// many texts each embeddings request carried; `broken` answers one vector too few.
struct AxisEmbeddings {
    std::vector<std::size_t> inputs;
    bool broken = false;

    SimAnswer operator()(const sw::transport::HttpRequest& r) {
        simdjson::dom::parser parser;
        simdjson::dom::array input = parser.parse(r.body)["input"].get_array().value();
        std::string data;
        std::size_t i = 0;
        for (simdjson::dom::element text : input) {
            if (broken && i + 1 == input.size()) break;
            const std::string_view t = text.get_string().value();
            const char* axis = t.find("code") != std::string_view::npos    ? "1,0,0"
                               : t.find("lease") != std::string_view::npos ? "0,0,1"
                                                                           : "0,1,0";
            data += fmt::format(R"({}{{"object":"embedding","index":{},"embedding":[{}]}})", i ? "," : "", i, axis);
            ++i;
        }
        inputs.push_back(input.size());
        return answer(200, R"({"object":"list","data":[)" + data + R"(],"usage":{"prompt_tokens":4,"total_tokens":4}})",
                      10ms);
    }
};

const std::string kPoolEmbedder =
    R"("strategy":"semantic","semantic":{"embedder":"pool","pool":"embed","defaultRoutes":false,"routes":{)"
    R"("code":{"utterances":["write code","fix my code"],"threshold":0.8},)"
    R"("simple":{"utterances":["hello there"],"threshold":0.8},"legal":{"utterances":["my lease"],"threshold":0.8}}})";

std::vector<std::string> pools_and_embed() {
    std::vector<std::string> all = pools();
    all.push_back(pool("embed", {provider("e", {{"maxRetries", "0"}})}));
    return all;
}

// The scenario's pools and the embeddings pool, whose answers `embeddings` makes.
struct PoolEmbedderScenario : Scenario {
    explicit PoolEmbedderScenario(AxisEmbeddings& embeddings) : Scenario(pools_and_embed(), "", {}, {}, model(kPoolEmbedder)) {
        io.respond_with([&embeddings](const sw::transport::HttpRequest& r) {
            const std::string host = host_label(r.url);
            if (host == "e") return embeddings(r);
            return ok_answer(host);
        });
    }
};

}  // namespace

TEST_CASE("semantic routing: the pool embedder embeds through a pool of the router, utterances once") {
    AxisEmbeddings embeddings;
    PoolEmbedderScenario s(embeddings);
    SimResult first = s.chat(chat("please review this code"));
    REQUIRE(first.response.ok());
    const sw::PromptRoute& route = *first.response.trace.route;
    CHECK(route.embedder == "pool");
    CHECK(route.fallback.empty());
    CHECK(route.label == "code");
    CHECK(route.target == "strong");
    CHECK(first.response.trace.provider == "s");
    CHECK(route.decision_time >= std::chrono::milliseconds(10));  // the embedding's round trip
    // The first request embedded the four utterances and its prompt; the next only its prompt.
    SimResult second = s.chat(chat("hello, how are you"));
    REQUIRE(second.response.ok());
    CHECK(second.response.trace.route->label == "simple");
    CHECK(second.response.trace.provider == "c");
    CHECK(embeddings.inputs == std::vector<std::size_t>{5, 1});
    // The embeddings request went to the pool's provider as OpenAI's embeddings, not to the chat.
    REQUIRE(s.io.sent.size() == 4);
    CHECK_THAT(s.io.sent[0].request.url, Catch::EndsWith("/embeddings"));
    CHECK_THAT(s.io.sent[1].request.url, Catch::EndsWith("/chat/completions"));
}

TEST_CASE("semantic routing: a failing pool embedder leaves the decision to the heuristic, and says why") {
    AxisEmbeddings embeddings;
    PoolEmbedderScenario s(embeddings);
    s.io.respond_with([](const sw::transport::HttpRequest& r) {
        const std::string host = host_label(r.url);
        return host == "e" ? error_answer(503) : ok_answer(host);
    });
    SimResult r = s.chat(chat("def f(x): return x  # what does this python code do"));
    REQUIRE(r.response.ok());
    const sw::PromptRoute& route = *r.response.trace.route;
    CHECK_THAT(route.fallback, Catch::StartsWith("the pool embedder failed (pool \"embed\" answered 502"));
    CHECK_THAT(route.fallback, Catch::EndsWith("so the heuristic decided"));
    CHECK(route.label == "code");  // the heuristic's
    REQUIRE(s.io.sent.size() == 2);  // one embedding, not retried; then the chat
    CHECK(host_label(s.io.sent[0].request.url) == "e");

    // A wrong count of vectors is the embedder's failure too, and the utterances stay unlearned.
    AxisEmbeddings short_answer;
    short_answer.broken = true;
    PoolEmbedderScenario t(short_answer);
    SimResult w = t.chat(chat("hello there"));
    REQUIRE(w.response.ok());
    CHECK_THAT(w.response.trace.route->fallback, Catch::Contains("the embeddings answer has 4 embeddings for 5 inputs"));
    short_answer.broken = false;
    CHECK(t.chat(chat("hello there")).response.trace.route->fallback.empty());
    CHECK(short_answer.inputs == std::vector<std::size_t>{5, 5});
}

TEST_CASE("semantic routing: a request cancelled while its prompt is embedded ends there") {
    AxisEmbeddings embeddings;
    PoolEmbedderScenario s(embeddings);
    SimResult out;
    auto request = s.router->start(chat("write code"), out);
    s.io.post([request] { request->cancel(); });
    s.io.run();
    REQUIRE(out.done);
    CHECK(out.response.status == 499);
    CHECK(out.response.error_class == sw::ErrorClass::cancelled);
    REQUIRE(s.io.sent.size() == 1);  // the embedding only
    CHECK(host_label(s.io.sent[0].request.url) == "e");
}

TEST_CASE("semantic routing: read_embeddings takes OpenAI's answer in input order, and refuses the wrong shape") {
    std::vector<std::vector<float>> v;
    std::string error;
    REQUIRE(sw::api::read_embeddings(R"({"data":[{"index":1,"embedding":[3,4]},{"index":0,"embedding":[1,2]}]})", 2, v,
                                     error));
    CHECK(v == std::vector<std::vector<float>>{{1, 2}, {3, 4}});
    CHECK_FALSE(sw::api::read_embeddings(R"({"data":[{"index":0,"embedding":[1]}]})", 2, v, error));
    CHECK(error == "the embeddings answer has 1 embeddings for 2 inputs");
    CHECK_FALSE(sw::api::read_embeddings(R"({"data":[{"index":0,"embedding":["x"]}]})", 1, v, error));
    CHECK_THAT(error, Catch::Contains("not a number"));
    CHECK_FALSE(sw::api::read_embeddings(R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[1]}]})", 2,
                                         v, error));
    CHECK_THAT(error, Catch::Contains("not an embedding of one of the 2 inputs"));
    CHECK_FALSE(sw::api::read_embeddings(R"({"object":"list"})", 1, v, error));
    CHECK(error == "the embeddings answer has no \"data\" array");
}
