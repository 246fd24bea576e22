// test_gemini_adapter.cpp — the google and vertex adapters on recorded requests, answers, streams
// and errors: translation both ways, URLs and headers, and what cannot be expressed.
#include "providers/adapter.hpp"
#include "providers/gemini/gemini.hpp"
#include "transport/sse_parser.hpp"

#include <switch/outcome.hpp>

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace {

using namespace sw::providers;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(SWITCH_TEST_DATA_DIR) + "/data/gemini/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// JSON equality where object members may come in any order.
bool same_json(simdjson::dom::element a, simdjson::dom::element b) {
    using simdjson::dom::element_type;
    if (a.type() != b.type()) {
        // 0.2 and 2e-1 are one number; integers may be written as doubles by either side.
        const bool numbers = a.is_number() && b.is_number();
        return numbers && double(a) == double(b);
    }
    switch (a.type()) {
        case element_type::OBJECT: {
            simdjson::dom::object oa = a, ob = b;
            if (oa.size() != ob.size()) return false;
            for (auto [key, value] : oa) {
                simdjson::dom::element other;
                if (ob.at_key(key).get(other) || !same_json(value, other)) return false;
            }
            return true;
        }
        case element_type::ARRAY: {
            simdjson::dom::array xa = a, xb = b;
            if (xa.size() != xb.size()) return false;
            auto it = xb.begin();
            for (simdjson::dom::element value : xa) {
                if (!same_json(value, *it)) return false;
                ++it;
            }
            return true;
        }
        default: return simdjson::minify(a) == simdjson::minify(b);
    }
}

bool same_json(const std::string& a, const std::string& b) {
    simdjson::dom::parser pa, pb;
    return same_json(pa.parse(a), pb.parse(b));
}

sw::ProviderConfig gemini_provider(std::string model = "gemini-2.0-flash") {
    sw::ProviderConfig p;
    p.name = "gemini";
    p.type = "google";
    p.api_base = "https://generativelanguage.googleapis.com";
    p.model_name = std::move(model);
    return p;
}

sw::ProviderConfig vertex_provider(std::string model = "gemini-2.0-flash") {
    sw::ProviderConfig p = gemini_provider(std::move(model));
    p.name = "vertex";
    p.type = "vertex";
    p.api_base.clear();
    return p;
}

sw::credentials::CredentialView api_key(std::string_view key) {
    sw::credentials::CredentialView v;
    v.kind = sw::credentials::CredentialView::Kind::api_key;
    v.secret = key;
    return v;
}

sw::credentials::CredentialView token(std::string_view project, std::string_view location) {
    sw::credentials::CredentialView v;
    v.kind = sw::credentials::CredentialView::Kind::bearer_token;
    v.secret = "ya29.test-token";
    v.project = project;
    v.location = location;
    return v;
}

struct Prepared {
    std::optional<PreparedRequest> request;
    std::string error;
};

Prepared prepare(const sw::ProviderConfig& provider, std::string_view request, sw::credentials::CredentialView creds = {},
                 const sw::ModelConfig* model = nullptr, Endpoint endpoint = Endpoint::chat_completions) {
    Prepared out;
    const AttemptContext context{provider, model, creds, std::chrono::system_clock::now()};
    out.request = adapter_for(provider).prepare(endpoint, request, context, out.error);
    return out;
}

std::string gemini_body(std::string_view request, const sw::ModelConfig* model = nullptr,
                        const sw::ProviderConfig& provider = gemini_provider()) {
    Prepared p = prepare(provider, request, {}, model);
    INFO(p.error);
    REQUIRE(p.request);
    return p.request->body;
}

std::string error_of(std::string_view request) {
    Prepared p = prepare(gemini_provider(), request);
    CHECK_FALSE(p.request);
    return p.error;
}

bool has_header(const PreparedRequest& r, std::string_view line) {
    return std::find(r.headers.begin(), r.headers.end(), line) != r.headers.end();
}

constexpr const char* kHello = R"({"model":"chat","messages":[{"role":"user","content":"Hello"}]})";

}  // namespace

TEST_CASE("a recorded OpenAI request becomes the recorded generateContent body") {
    Prepared p = prepare(gemini_provider(), read_data("chat_request.json"), api_key("AIza-test"));
    INFO(p.error);
    REQUIRE(p.request);
    INFO(p.request->body);
    CHECK(same_json(p.request->body, read_data("chat_request_gemini.json")));
    CHECK(p.request->url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
}

TEST_CASE("the Gemini API key travels in x-goog-api-key, never in the URL") {
    Prepared p = prepare(gemini_provider(), kHello, api_key("AIza-canary-0123"));
    REQUIRE(p.request);
    CHECK(has_header(*p.request, "x-goog-api-key: AIza-canary-0123"));
    CHECK(has_header(*p.request, "Content-Type: application/json"));
    CHECK(p.request->url.find("AIza") == std::string::npos);
    CHECK(p.request->url.find("key=") == std::string::npos);
    for (const auto& h : p.request->headers) CHECK_THAT(h, !Catch::StartsWith("Authorization"));

    SECTION("a configured x-goog-api-key header replaces it") {
        sw::ProviderConfig provider = gemini_provider();
        provider.headers = {{"X-Goog-Api-Key", "from-config"}};
        Prepared q = prepare(provider, kHello, api_key("AIza-canary-0123"));
        REQUIRE(q.request);
        CHECK(has_header(*q.request, "X-Goog-Api-Key: from-config"));
        CHECK_FALSE(has_header(*q.request, "x-goog-api-key: AIza-canary-0123"));
    }
}

TEST_CASE("Gemini URLs: version, streaming and model names") {
    auto url = [](std::string base, std::string model, bool stream = false) {
        sw::ProviderConfig provider = gemini_provider(std::move(model));
        provider.api_base = std::move(base);
        Prepared p = prepare(provider, stream ? R"({"messages":[{"role":"user","content":"x"}],"stream":true})" : kHello);
        REQUIRE(p.request);
        return p.request->url;
    };
    CHECK(url("https://generativelanguage.googleapis.com/", "gemini-2.0-flash") ==
          "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    CHECK(url("https://generativelanguage.googleapis.com/v1", "gemini-2.0-flash") ==
          "https://generativelanguage.googleapis.com/v1/models/gemini-2.0-flash:generateContent");
    CHECK(url("https://generativelanguage.googleapis.com/v1beta", "gemini-2.0-flash", true) ==
          "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    CHECK(url("http://127.0.0.1:8080/proxy", "tunedModels/my-model") ==
          "http://127.0.0.1:8080/proxy/v1beta/tunedModels/my-model:generateContent");
    CHECK(url("http://127.0.0.1:8080", "odd name?#%") ==
          "http://127.0.0.1:8080/v1beta/models/odd%20name%3F%23%25:generateContent");
    CHECK(url("http://127.0.0.1:8080", "mock@status=503,fail_first=1") ==
          "http://127.0.0.1:8080/v1beta/models/mock@status=503,fail_first=1:generateContent");
}

TEST_CASE("Vertex AI URLs come from the store's project and location, and the token is a bearer token") {
    auto vertex = [](sw::ProviderConfig provider, std::string_view project, std::string_view location,
                     std::string_view request = kHello) {
        return prepare(provider, request, token(project, location));
    };
    Prepared p = vertex(vertex_provider(), "test-project", "europe-west4");
    REQUIRE(p.request);
    CHECK(p.request->url == "https://europe-west4-aiplatform.googleapis.com/v1/projects/test-project/locations/"
                            "europe-west4/publishers/google/models/gemini-2.0-flash:generateContent");
    CHECK(has_header(*p.request, "Authorization: Bearer ya29.test-token"));

    Prepared global = vertex(vertex_provider(), "p", "global", R"({"messages":[{"role":"user","content":"x"}],"stream":true})");
    REQUIRE(global.request);
    CHECK(global.request->url == "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/"
                                 "models/gemini-2.0-flash:streamGenerateContent?alt=sse");

    sw::ProviderConfig mock = vertex_provider("publishers/anthropic/models/claude-x");
    mock.api_base = "http://127.0.0.1:9999";
    Prepared overridden = vertex(mock, "p", "");  // no location: us-central1
    REQUIRE(overridden.request);
    CHECK(overridden.request->url ==
          "http://127.0.0.1:9999/v1/projects/p/locations/us-central1/publishers/anthropic/models/claude-x:generateContent");

    Prepared endpoint = vertex(vertex_provider("projects/p/locations/us-east1/endpoints/123"), "", "us-east1");
    REQUIRE(endpoint.request);
    CHECK(endpoint.request->url ==
          "https://us-east1-aiplatform.googleapis.com/v1/projects/p/locations/us-east1/endpoints/123:generateContent");

    Prepared no_project = vertex(vertex_provider(), "", "us-central1");
    CHECK_FALSE(no_project.request);
    CHECK_THAT(no_project.error, Catch::Contains("no project"));

    Prepared bad_project = vertex(vertex_provider(), "p/../../other", "us-central1");
    CHECK_FALSE(bad_project.request);
    CHECK_THAT(bad_project.error, Catch::Contains("project id"));

    Prepared bad_location = vertex(vertex_provider(), "p", "evil.example.com/x");
    CHECK_FALSE(bad_location.request);
    CHECK_THAT(bad_location.error, Catch::Contains("location"));
}

TEST_CASE("parameters: the model's defaults, then providerParams, then the request") {
    sw::ModelConfig model;
    model.default_parameters = {{"temperature", "0.1"}, {"max_tokens", "100"}, {"top_k", "40"}, {"enable_thinking", "true"},
                                {"stream", "true"}};
    sw::ProviderConfig provider = gemini_provider();
    provider.provider_params = {{"max_tokens", "200"}, {"stream", "true"},
                                {"safetySettings", R"([{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}])"},
                                {"generationConfig", R"({"topK":5,"responseModalities":["TEXT"]})"}};
    Prepared p = prepare(provider,
                         R"({"messages":[{"role":"user","content":"x"}],"temperature":0.7,"n":2,"max_completion_tokens":300,
                             "presence_penalty":0.5,"frequency_penalty":-0.5,"stop":"END"})",
                         {}, &model);
    REQUIRE(p.request);
    CHECK_THAT(p.request->url, Catch::EndsWith(":generateContent"));  // parameters never make it a stream
    const std::string& body = p.request->body;
    INFO(body);
    CHECK(same_json(body, R"({"contents":[{"role":"user","parts":[{"text":"x"}]}],
        "generationConfig":{"maxOutputTokens":300,"temperature":0.7,"topK":40,"candidateCount":2,"presencePenalty":0.5,
                            "frequencyPenalty":-0.5,"stopSequences":["END"],"responseModalities":["TEXT"]},
        "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]})"));
}

TEST_CASE("response formats, reasoning effort and tool choices") {
    CHECK(same_json(gemini_body(R"({"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}})"),
                    R"({"contents":[{"role":"user","parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"application/json"}})"));
    CHECK(same_json(
        gemini_body(R"({"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low",
                      "response_format":{"type":"json_schema","json_schema":{"name":"r","strict":true,
                        "schema":{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}}}})"),
        R"({"contents":[{"role":"user","parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"application/json",
            "responseSchema":{"type":"object","properties":{"a":{"type":"integer"}}},"thinkingConfig":{"thinkingBudget":1024}}})"));
    const std::string tools = R"("tools":[{"type":"function","function":{"name":"f"}}])";
    CHECK_THAT(gemini_body(R"({"messages":[{"role":"user","content":"x"}],)" + tools + R"(,"tool_choice":"required"})"),
               Catch::Contains(R"("toolConfig":{"functionCallingConfig":{"mode":"ANY"}})"));
    CHECK_THAT(gemini_body(R"({"messages":[{"role":"user","content":"x"}],)" + tools + R"(,"tool_choice":"none"})"),
               Catch::Contains(R"("toolConfig":{"functionCallingConfig":{"mode":"NONE"}})"));
    CHECK_THAT(gemini_body(R"({"messages":[{"role":"user","content":"x"}],)" + tools +
                           R"(,"tool_choice":{"type":"function","function":{"name":"f"}}})"),
               Catch::Contains(R"("toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}})"));
}

TEST_CASE("system messages, remote files, audio and unset OpenAI fields") {
    const std::string body = gemini_body(R"({"messages":[
        {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
        {"role":"user","content":[{"type":"image_url","image_url":{"url":"gs://bucket/cat.JPG?generation=1"}},
                                  {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
                                  {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]},
        {"role":"system","content":"Answer in French."}],
        "logprobs":false,"logit_bias":{},"parallel_tool_calls":true,"stream_options":{"include_usage":true},"metadata":{"a":"b"}})");
    CHECK(same_json(body, R"({"contents":[{"role":"user","parts":[
        {"fileData":{"mimeType":"image/jpeg","fileUri":"gs://bucket/cat.JPG?generation=1"}},
        {"inlineData":{"mimeType":"audio/wav","data":"UklGRg=="}},
        {"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}}]}],
        "systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Answer in French."}]}})"));
}

TEST_CASE("what Gemini cannot express is refused with a reason that names it") {
    const std::string user = R"("messages":[{"role":"user","content":"x"}])";
    CHECK_THAT(error_of("{" + user + R"(,"logit_bias":{"50256":-100}})"), Catch::Contains("\"logit_bias\""));
    CHECK_THAT(error_of("{" + user + R"(,"logprobs":true})"), Catch::Contains("\"logprobs\""));
    CHECK_THAT(error_of("{" + user + R"(,"modalities":["text","audio"]})"), Catch::Contains("text only"));
    CHECK_THAT(error_of("{" + user + R"(,"functions":[{"name":"f"}]})"), Catch::Contains("use tools"));
    CHECK_THAT(error_of("{" + user + R"(,"frobnicate":1})"), Catch::Contains("\"frobnicate\""));
    CHECK_THAT(error_of("{" + user + R"(,"temperature":"hot"})"), Catch::Contains("\"temperature\" must be a number"));
    CHECK_THAT(error_of("{" + user + R"(,"tools":[{"type":"web_search"}]})"), Catch::Contains("\"web_search\""));
    CHECK_THAT(error_of("{" + user + R"(,"tools":[{"type":"function","function":{"name":"f","parameters":)" +
                        R"({"type":"object","properties":{"a":{"$ref":"#/$defs/A"}}}}}]})"),
               Catch::Contains("tools[0].function.parameters.properties.a") && Catch::Contains("$ref"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/img?sig=canary"}}]}]})"),
               Catch::Contains("messages[0].content[0]") && !Catch::Contains("canary"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"function","name":"f","content":"x"}]})"), Catch::Contains("legacy function"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"tool","tool_call_id":"call_9","content":"x"}]})"),
               Catch::Contains("tool_call_id"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"assistant","content":"x","tool_calls":[{"id":"c","type":"function",)"
                        R"("function":{"name":"f","arguments":"[1]"}}]}]})"),
               Catch::Contains("arguments must be a JSON object"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"system","content":"x"}]})"), Catch::Contains("at least one"));
    CHECK_THAT(error_of(R"({"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]})"),
               Catch::Contains("file_id"));

    Prepared embeddings = prepare(gemini_provider(), R"({"model":"chat","input":"x"})", {}, nullptr, Endpoint::embeddings);
    CHECK_FALSE(embeddings.request);
    CHECK_THAT(embeddings.error, Catch::Contains("embeddings"));
}

TEST_CASE("a tool result names its function through the id of the call it answers") {
    // Ids repeat across turns ("call_0" each time): the latest call with the id wins.
    const std::string body = gemini_body(R"({"messages":[
        {"role":"user","content":"x"},
        {"role":"assistant","tool_calls":[{"id":"call_0","type":"function","function":{"name":"first","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_0","content":[{"type":"text","text":"one"}]},
        {"role":"assistant","tool_calls":[{"id":"call_0","type":"function","function":{"name":"second","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_0","content":"[1,2]"}]})");
    CHECK_THAT(body, Catch::Contains(R"({"functionResponse":{"name":"first","response":{"content":"one"}}})"));
    CHECK_THAT(body, Catch::Contains(R"({"functionResponse":{"name":"second","response":{"content":"[1,2]"}}})"));
}

TEST_CASE("a whole answer becomes a chat.completion") {
    const Adapter& adapter = gemini_adapter();
    ParsedResponse r = adapter.parse_response(Endpoint::chat_completions, 200, read_data("response_text.json"));
    REQUIRE(r.parsed);
    CHECK(r.text == "Tomorrow: sunny, 21 °C.");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.input_tokens == 41);
    CHECK(r.usage.output_tokens == 9);
    simdjson::dom::parser parser;
    simdjson::dom::element body = parser.parse(r.body);
    CHECK(std::string_view(body["id"]) == "chatcmpl-lr3aZ4WkJ8Xq1MkP");
    CHECK(std::string_view(body["object"]) == "chat.completion");
    CHECK(std::string_view(body["model"]) == "gemini-2.0-flash-001");
    CHECK(std::string_view(body["choices"].at(0)["message"]["role"]) == "assistant");
    CHECK(std::string_view(body["choices"].at(0)["message"]["content"]) == "Tomorrow: sunny, 21 °C.");
    CHECK(std::string_view(body["choices"].at(0)["finish_reason"]) == "stop");
    CHECK(std::uint64_t(body["usage"]["total_tokens"]) == 50);
}

TEST_CASE("function calls become tool calls with stable ids, thoughts are not content") {
    ParsedResponse r = gemini_adapter().parse_response(Endpoint::chat_completions, 200,
                                                       read_data("response_thinking_tool_calls.json"));
    REQUIRE(r.parsed);
    CHECK(r.finish_reason == "tool_calls");
    CHECK(r.text.empty());
    CHECK(r.usage.input_tokens == 120);
    CHECK(r.usage.output_tokens == 70);  // the answer and the thoughts
    simdjson::dom::parser parser;
    simdjson::dom::element message = parser.parse(r.body)["choices"].at(0)["message"];
    CHECK(message["content"].is_null());
    simdjson::dom::array calls = message["tool_calls"];
    REQUIRE(calls.size() == 2);
    CHECK(std::string_view(calls.at(0)["id"]) == "call_0");
    CHECK(std::string_view(calls.at(0)["function"]["name"]) == "get_weather");
    CHECK(std::string_view(calls.at(0)["function"]["arguments"]) == R"({"city":"Paris","days":[1,2]})");
    CHECK(std::string_view(calls.at(1)["id"]) == "call_1");
    CHECK(std::string_view(calls.at(1)["function"]["arguments"]) == "{}");
    simdjson::dom::parser p2;
    simdjson::dom::element usage = p2.parse(r.body)["usage"];
    CHECK(std::int64_t(usage["prompt_tokens_details"]["cached_tokens"]) == 64);
    CHECK(std::int64_t(usage["completion_tokens_details"]["reasoning_tokens"]) == 40);
}

TEST_CASE("finish reasons and several candidates") {
    CHECK(gemini::finish_reason("STOP", false) == "stop");
    CHECK(gemini::finish_reason("STOP", true) == "tool_calls");
    CHECK(gemini::finish_reason("MAX_TOKENS", false) == "length");
    for (const char* filtered : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
        CHECK(gemini::finish_reason(filtered, false) == "content_filter");
    CHECK(gemini::finish_reason("OTHER", false) == "stop");
    CHECK(gemini::finish_reason("", false).empty());

    ParsedResponse r = gemini_adapter().parse_response(Endpoint::chat_completions, 200, read_data("response_max_tokens.json"));
    REQUIRE(r.parsed);
    CHECK(r.finish_reason == "length");
    simdjson::dom::parser parser;
    simdjson::dom::array choices = parser.parse(r.body)["choices"];
    REQUIRE(choices.size() == 2);
    CHECK(std::int64_t(choices.at(1)["index"]) == 1);
    CHECK(std::string_view(choices.at(1)["finish_reason"]) == "content_filter");
}

TEST_CASE("a blocked prompt is a content-policy rejection, and an empty answer a protocol failure") {
    ParsedResponse blocked = gemini_adapter().parse_response(Endpoint::chat_completions, 200, read_data("response_blocked.json"));
    CHECK_FALSE(blocked.parsed);
    CHECK(blocked.error_status == 400);
    CHECK_THAT(blocked.error_message, Catch::Contains("PROHIBITED_CONTENT"));
    sw::Outcome o;
    o.http_status = blocked.error_status;
    o.error_type = blocked.error_type;
    o.error_code = blocked.error_code;
    CHECK(sw::classify(o) == sw::ErrorClass::content_policy);

    for (const char* body : {R"({"candidates":[]})", "not json", R"({"error":{"code":500,"message":"x"}})"}) {
        ParsedResponse r = gemini_adapter().parse_response(Endpoint::chat_completions, 200, body);
        CHECK_FALSE(r.parsed);
        CHECK(r.error_status == 0);
    }
}

TEST_CASE("Google's errors are classified like their OpenAI equivalents") {
    struct Case {
        const char* file;
        int status;
        sw::ErrorClass expected;
    };
    for (const Case& c : {Case{"error_context_length.json", 400, sw::ErrorClass::context_window},
                          Case{"error_rate_limit.json", 429, sw::ErrorClass::rate_limited},
                          Case{"error_quota_per_day.json", 429, sw::ErrorClass::quota},
                          Case{"error_api_key_invalid.json", 400, sw::ErrorClass::auth},
                          Case{"error_unavailable.json", 503, sw::ErrorClass::transient},
                          Case{"error_permission_denied.json", 403, sw::ErrorClass::auth}}) {
        INFO(c.file);
        ParsedResponse r = vertex_adapter().parse_response(Endpoint::chat_completions, c.status, read_data(c.file));
        sw::Outcome o;
        o.http_status = c.status;
        o.error_type = r.error_type;
        o.error_code = r.error_code;
        o.error_message = r.error_message;
        CHECK(sw::classify(o) == c.expected);
        CHECK_FALSE(r.error_message.empty());
    }
    ParsedResponse unavailable = gemini_adapter().parse_response(Endpoint::chat_completions, 503, read_data("error_unavailable.json"));
    CHECK(unavailable.error_message == "The model is overloaded. Please try again later.");
    ParsedResponse plain = gemini_adapter().parse_response(Endpoint::chat_completions, 502, "<html>Bad Gateway</html>");
    CHECK(plain.error_message == "<html>Bad Gateway</html>");
}

namespace {

// Feeds an SSE body through the parser and a fresh decoder, collecting every chunk.
std::vector<ParsedChunk> decode_stream(const std::string& sse, bool vertex = false) {
    sw::ProviderConfig provider = vertex ? vertex_provider() : gemini_provider();
    const AttemptContext context{provider, nullptr, {}, std::chrono::system_clock::now()};
    auto decoder = adapter_for(provider).open_stream(context);
    std::vector<ParsedChunk> chunks;
    sw::transport::SseParser parser([&](std::string_view type, std::string_view data) {
        chunks.push_back(decoder->next(type, data));
    });
    parser.feed(sse);
    parser.finish();
    return chunks;
}

}  // namespace

TEST_CASE("a recorded stream becomes chat.completion.chunk objects, usage on the last") {
    auto chunks = decode_stream(read_data("stream_text.txt"));
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[0].has_content);
    CHECK(chunks[0].content == "Tomorrow");
    CHECK(chunks[0].finish_reason.empty());
    CHECK(chunks[1].content == ": sunny, 21 °C.");
    CHECK_FALSE(chunks[2].has_content);
    CHECK(chunks[2].finish_reason == "stop");
    REQUIRE(chunks[2].usage);
    CHECK(chunks[2].usage->input_tokens == 41);
    CHECK(chunks[2].usage->output_tokens == 8);
    simdjson::dom::parser parser;
    simdjson::dom::element first = parser.parse(chunks[0].translated);
    CHECK(std::string_view(first["object"]) == "chat.completion.chunk");
    CHECK(std::string_view(first["id"]) == "chatcmpl-s-1");
    CHECK(std::string_view(first["model"]) == "gemini-2.0-flash-001");
    CHECK(std::string_view(first["choices"].at(0)["delta"]["role"]) == "assistant");
    CHECK(first["choices"].at(0)["finish_reason"].is_null());
    CHECK(first["usage"].error() == simdjson::NO_SUCH_FIELD);  // only the last chunk has usage
    simdjson::dom::parser p2;
    simdjson::dom::element second = p2.parse(chunks[1].translated);
    CHECK(second["choices"].at(0)["delta"]["role"].error() == simdjson::NO_SUCH_FIELD);  // the role comes once
    simdjson::dom::parser p3;
    simdjson::dom::element last = p3.parse(chunks[2].translated);
    CHECK(std::uint64_t(last["usage"]["total_tokens"]) == 49);
    CHECK(std::string_view(last["choices"].at(0)["finish_reason"]) == "stop");
}

TEST_CASE("streamed function calls become indexed tool-call deltas") {
    auto chunks = decode_stream(read_data("stream_tool_calls.txt"), true);
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[1].has_content);
    CHECK(chunks[1].finish_reason == "tool_calls");
    simdjson::dom::parser parser;
    simdjson::dom::array calls = parser.parse(chunks[1].translated)["choices"].at(0)["delta"]["tool_calls"];
    REQUIRE(calls.size() == 2);
    CHECK(std::int64_t(calls.at(0)["index"]) == 0);
    CHECK(std::string_view(calls.at(0)["id"]) == "call_0");
    CHECK(std::string_view(calls.at(0)["function"]["arguments"]) == R"({"city":"Paris"})");
    CHECK(std::int64_t(calls.at(1)["index"]) == 1);
    CHECK(std::string_view(calls.at(1)["id"]) == "call_1");
}

TEST_CASE("errors, blocks and broken events inside a stream") {
    SECTION("a blocked prompt: a content-policy error") {
        simdjson::dom::parser parser;  // one event holds one line of JSON
        auto chunks = decode_stream("data: " + simdjson::minify(parser.parse(read_data("response_blocked.json"))) + "\n\n");
        REQUIRE(chunks.size() == 1);
        CHECK(chunks[0].has_error);
        CHECK(chunks[0].error_status == 400);
        CHECK(chunks[0].error_code == "content_filter");
    }
    SECTION("an error object: its status and meaning") {
        auto chunks = decode_stream(R"(data: {"error":{"code":429,"message":"Resource has been exhausted.","status":"RESOURCE_EXHAUSTED"}})"
                                    "\n\n");
        REQUIRE(chunks.size() == 1);
        CHECK(chunks[0].has_error);
        CHECK(chunks[0].error_status == 429);
        CHECK(chunks[0].error_code == "rate_limit_exceeded");
    }
    SECTION("malformed JSON") {
        auto chunks = decode_stream("data: {\"candidates\":[{\"content\"\n\n");
        REQUIRE(chunks.size() == 1);
        CHECK(chunks[0].malformed);
    }
    SECTION("an absurd candidate index") {
        auto chunks = decode_stream(R"(data: {"candidates":[{"index":100000,"content":{"parts":[{"text":"x"}]}}]})" "\n\n");
        REQUIRE(chunks.size() == 1);
        CHECK(chunks[0].malformed);
    }
    SECTION("a proxy's [DONE] ends it; an empty event is skipped") {
        auto chunks = decode_stream("data: {}\n\ndata: [DONE]\n\n");
        REQUIRE(chunks.size() == 2);
        CHECK(chunks[0].skip);
        CHECK(chunks[1].done);
    }
}
