// test_bedrock_adapter.cpp — the Bedrock adapter on recorded requests, answers, errors and a
// recorded ConverseStream body (tests/data/bedrock/), and its signed requests.
#include "providers/adapter.hpp"
#include "providers/bedrock/bedrock_converse.hpp"
#include "transport/aws_event_stream.hpp"

#include <switch/outcome.hpp>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <fstream>
#include <sstream>

namespace {

using namespace sw::providers;
using sw::ErrorClass;
using sw::JsonMember;
using sw::ModelConfig;
using sw::ProviderConfig;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(SWITCH_TEST_DATA_DIR) + "/data/bedrock/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Compact JSON with the members as written: two texts are the same JSON when these agree.
std::string minified(const std::string& json) {
    simdjson::dom::parser parser;
    return simdjson::minify(parser.parse(json).value());
}

ProviderConfig provider(std::string model = "anthropic.claude-3-5-sonnet-20241022-v2:0") {
    ProviderConfig p;
    p.name = "bedrock-p";
    p.type = "bedrock";
    p.model_name = std::move(model);
    return p;
}

bedrock::ConverseRequest translate(std::string_view request, const ProviderConfig& p = provider(),
                                   const ModelConfig* m = nullptr) {
    return bedrock::build_converse_request(request, p, m);
}

std::string with(std::string_view members) {
    return std::string(R"({"model":"m","messages":[{"role":"user","content":"hi"}])") +
           (members.empty() ? "" : ",") + std::string(members) + "}";
}

sw::credentials::AwsKeys keys(std::string region = "us-east-1") {
    sw::credentials::AwsKeys k;
    k.region = std::move(region);
    k.access_key_id = sw::Secret("AKIDEXAMPLE");
    k.secret_access_key = sw::Secret("sk-canary-bedrock-secret-0f9e8d7c6b5a");
    k.session_token = sw::Secret("sk-canary-bedrock-token-1a2b3c4d5e6f");
    return k;
}

AttemptContext context(const ProviderConfig& p, const sw::credentials::AwsKeys* k) {
    sw::credentials::CredentialView view;
    view.kind = sw::credentials::CredentialView::Kind::aws;
    view.aws = k;
    return AttemptContext{p, nullptr, view, std::chrono::system_clock::from_time_t(1440938160)};  // 2015-08-30T12:36:00Z
}

std::string header(const PreparedRequest& r, std::string_view name) {
    for (const std::string& h : r.headers)
        if (h.size() > name.size() + 1 && h.compare(0, name.size(), name) == 0 && h[name.size()] == ':')
            return h.substr(name.size() + 2);
    return {};
}

ErrorClass class_of(int status, const ParsedResponse& r) {
    sw::Outcome o;
    o.http_status = status;
    o.error_type = r.error_type;
    o.error_code = r.error_code;
    o.error_message = r.error_message;
    return sw::classify(o);
}

// The recorded stream, through the real framer and the adapter's decoder.
struct Decoded {
    std::vector<ParsedChunk> chunks;
    bool framer_failed = false;
};
Decoded decode_stream(const std::string& bytes) {
    Decoded out;
    auto decoder = bedrock::make_stream_decoder("chatcmpl-bedrock-test", 1440938160, "anthropic.claude");
    auto framer = make_framer(StreamFraming::aws_event_stream,
                              [&](std::string_view type, std::string_view data) { out.chunks.push_back(decoder->next(type, data)); });
    for (std::size_t at = 0; at < bytes.size(); at += 13) framer->feed(std::string_view(bytes).substr(at, 13));
    framer->finish();
    out.framer_failed = framer->failed();
    return out;
}

}  // namespace

TEST_CASE("recorded requests translate to the recorded Converse bodies", "[bedrock]") {
    for (const char* name : {"chat_request", "tool_conversation_request"}) {
        INFO(name);
        const auto out = translate(read_data(std::string(name) + ".json"));
        INFO(out.error);
        REQUIRE(out.ok());
        CHECK(minified(out.body) == minified(read_data(std::string(name) + ".converse.json")));
    }
    CHECK_FALSE(translate(read_data("chat_request.json")).stream);
    CHECK(translate(read_data("tool_conversation_request.json")).stream);
}

TEST_CASE("parameters: defaults, then providerParams, then the request, and Converse members pass through", "[bedrock]") {
    ProviderConfig p = provider();
    p.provider_params = {{"temperature", "0.2"}, {"additionalModelRequestFields", R"({"top_k":40})"}};
    ModelConfig m;
    m.default_parameters = {{"temperature", "0.9"}, {"max_tokens", "64"}, {"top_p", "0.5"}};
    auto out = translate(with(R"("top_p":0.25)"), p, &m);
    REQUIRE(out.ok());
    CHECK_THAT(out.body, Catch::Contains(R"("inferenceConfig":{"maxTokens":64,"temperature":0.2,"topP":0.25})"));
    CHECK_THAT(out.body, Catch::Contains(R"("additionalModelRequestFields":{"top_k":40})"));
    // Defaults alone, on a request with no other member than its messages.
    ProviderConfig plain = provider();
    auto only_defaults = translate(R"({"messages":[{"role":"user","content":"hi"}]})", plain, &m);
    REQUIRE(only_defaults.ok());
    CHECK_THAT(only_defaults.body, Catch::Contains(R"("maxTokens":64)"));
}

TEST_CASE("what Converse cannot express is refused, naming the feature", "[bedrock]") {
    struct Row {
        std::string request;
        const char* names;
    };
    const Row rows[] = {
        {with(R"("n":2)"), "n > 1"},
        {with(R"("logprobs":true)"), "logprobs"},
        {with(R"("response_format":{"type":"json_schema","json_schema":{}})"), "response_format"},
        {with(R"("seed":7)"), "seed"},
        {with(R"("presence_penalty":0.5)"), "presence_penalty"},
        {with(R"("top_k":5)"), "\"top_k\""},
        {with(R"("functions":[{"name":"f"}])"), "legacy function calling"},
        {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/cat.png"}}]}]})",
         "remote URL"},
        {R"({"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})", "\"input_audio\" content part"},
        {R"({"messages":[{"role":"function","name":"f","content":"x"}]})", "role \"function\""},
        {R"({"messages":[{"role":"user","content":""}]})", "no message with content"},
        {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},)"
         R"({"role":"tool","tool_call_id":"a","content":"r"}]})",
         "defines no tools"},
        {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},)"
         R"({"role":"tool","tool_call_id":"a","content":"r"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"})",
         "tool_choice \"none\""},
        {R"({"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{oops"}}]}]})",
         "not valid JSON"},
    };
    for (const Row& row : rows) {
        INFO(row.request);
        const auto out = translate(row.request);
        CHECK_FALSE(out.ok());
        CHECK_THAT(out.error, Catch::Contains(row.names));
    }
    // Their neutral values are fine.
    CHECK(translate(with(R"("n":1,"logprobs":false,"presence_penalty":0,"response_format":{"type":"text"},"seed":null)")).ok());
    // tool_choice "none" with no tool history: the tools are left out, so none can be called.
    auto none = translate(with(R"("tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none")"));
    REQUIRE(none.ok());
    CHECK_THAT(none.body, !Catch::Contains("toolConfig"));
    auto required = translate(with(R"("tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required")"));
    CHECK_THAT(required.body, Catch::Contains(R"("toolChoice":{"any":{}})"));
}

TEST_CASE("a recorded Converse answer becomes an OpenAI chat completion", "[bedrock]") {
    const ParsedResponse r = bedrock::parse_converse_response(200, read_data("converse_response.json"), "anthropic.claude-v2");
    REQUIRE(r.parsed);
    CHECK(r.text == "Paris is 18 C and sunny; Rome is warmer.");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.input_tokens == 125);
    CHECK(r.usage.output_tokens == 60);
    simdjson::dom::parser parser;
    simdjson::dom::element body = parser.parse(r.body);
    CHECK(std::string_view(body["object"]) == "chat.completion");
    CHECK(std::string_view(body["model"]) == "anthropic.claude-v2");
    CHECK(std::string_view(body["id"]).starts_with("chatcmpl-bedrock-"));
    CHECK(std::string_view(body["choices"].at(0)["message"]["content"]) == r.text);
    CHECK(std::string_view(body["choices"].at(0)["finish_reason"]) == "stop");
    CHECK(int64_t(body["usage"]["total_tokens"]) == 185);
}

TEST_CASE("a recorded tool-use answer gives tool_calls, reasoning and finish_reason tool_calls", "[bedrock]") {
    const ParsedResponse r = bedrock::parse_converse_response(200, read_data("converse_tool_use_response.json"), "m");
    REQUIRE(r.parsed);
    CHECK(r.finish_reason == "tool_calls");
    simdjson::dom::parser parser;
    simdjson::dom::element message = parser.parse(r.body)["choices"].at(0)["message"];
    CHECK(std::string_view(message["content"]) == "I'll look that up.");
    CHECK(std::string_view(message["reasoning_content"]) == "The user wants the weather.");
    simdjson::dom::element call = message["tool_calls"].at(0);
    CHECK(std::string_view(call["id"]) == "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
    CHECK(std::string_view(call["type"]) == "function");
    CHECK(std::string_view(call["function"]["name"]) == "get_weather");
    CHECK(std::string_view(call["function"]["arguments"]) == R"({"city":"Paris","units":["C"]})");
    CHECK(r.usage.total() == 483);
    // Not a Converse answer: a protocol error, not an empty success.
    CHECK_FALSE(bedrock::parse_converse_response(200, R"({"choices":[]})", "m").parsed);
    CHECK_FALSE(bedrock::parse_converse_response(200, "<html>", "m").parsed);
}

TEST_CASE("stop reasons map to OpenAI finish reasons", "[bedrock]") {
    CHECK(bedrock::finish_reason_of("end_turn") == "stop");
    CHECK(bedrock::finish_reason_of("stop_sequence") == "stop");
    CHECK(bedrock::finish_reason_of("max_tokens") == "length");
    CHECK(bedrock::finish_reason_of("tool_use") == "tool_calls");
    CHECK(bedrock::finish_reason_of("content_filtered") == "content_filter");
    CHECK(bedrock::finish_reason_of("guardrail_intervened") == "content_filter");
    CHECK(bedrock::finish_reason_of("some_new_reason") == "some_new_reason");
}

TEST_CASE("Bedrock errors map to OpenAI codes, and so to the right error class", "[bedrock]") {
    struct Row {
        int status;
        std::string body;
        const char* type;
        const char* code;
        ErrorClass cls;
    };
    const Row rows[] = {
        {429, read_data("error_throttling.json"), "ThrottlingException", "rate_limit_exceeded", ErrorClass::rate_limited},
        {400, read_data("error_context_length.json"), "ValidationException", "context_length_exceeded", ErrorClass::context_window},
        {400, read_data("error_context_length_typed.json"), "ValidationException", "context_length_exceeded",
         ErrorClass::context_window},
        {400, R"({"message":"Malformed input request: temperature must be <= 1"})", "ValidationException", "",
         ErrorClass::invalid_request},
        {400, R"({"message":"Output blocked by content filtering policy"})", "ValidationException", "content_filter",
         ErrorClass::content_policy},
        {400, R"({"message":"You have exceeded the service quota for tokens per minute"})", "ServiceQuotaExceededException",
         "rate_limit_exceeded", ErrorClass::rate_limited},
        {403, read_data("error_access_denied.json"), "AccessDeniedException", "", ErrorClass::auth},
        {404, R"({"message":"Could not resolve the foundation model"})", "ResourceNotFoundException", "model_not_found",
         ErrorClass::not_found},
        {408, R"({"message":"Model has timed out in processing the request."})", "ModelTimeoutException", "", ErrorClass::transient},
        {424, R"({"message":"Model failed"})", "ModelErrorException", "", ErrorClass::transient},
        {429, R"({"message":"Model is not ready for inference. Wait and try again."})", "ModelNotReadyException", "",
         ErrorClass::transient},
        {500, R"({"Message":"Internal failure"})", "InternalServerException", "", ErrorClass::transient},
        {503, "Service Unavailable", "ServiceUnavailableException", "", ErrorClass::transient},
    };
    for (const Row& row : rows) {
        INFO(row.status << " " << row.body);
        const ParsedResponse r = bedrock::parse_converse_response(row.status, row.body, "m");
        CHECK(r.error_type == row.type);
        CHECK(r.error_code == row.code);
        CHECK_FALSE(r.error_message.empty());
        CHECK(class_of(row.status, r) == row.cls);
    }
}

TEST_CASE("a recorded ConverseStream body decodes into OpenAI chunks", "[bedrock][stream]") {
    const Decoded d = decode_stream(read_data("converse_stream.bin"));
    REQUIRE_FALSE(d.framer_failed);
    REQUIRE(d.chunks.size() == 10);
    std::string text, arguments, finish, tool_id, tool_name;
    std::optional<sw::TokenUsage> usage;
    simdjson::dom::parser parser;
    for (const ParsedChunk& c : d.chunks) {
        REQUIRE_FALSE(c.malformed);
        REQUIRE_FALSE(c.has_error);
        if (c.skip) continue;
        text += c.content;
        if (!c.finish_reason.empty()) finish = c.finish_reason;
        if (c.usage) usage = c.usage;
        simdjson::dom::element chunk = parser.parse(c.translated);  // every chunk is valid JSON
        CHECK(std::string_view(chunk["object"]) == "chat.completion.chunk");
        CHECK(std::string_view(chunk["id"]) == "chatcmpl-bedrock-test");
        simdjson::dom::array choices = chunk["choices"];
        if (choices.size() == 0) continue;  // the usage chunk
        simdjson::dom::element call;
        if (!choices.at(0)["delta"]["tool_calls"].at(0).get(call)) {
            CHECK(int64_t(call["index"]) == 0);
            std::string_view s;
            if (!call["id"].get(s)) tool_id = s;
            if (!call["function"]["name"].get(s)) tool_name = s;
            arguments += std::string_view(call["function"]["arguments"]);
        }
    }
    CHECK(text == "Let me check.");
    CHECK(tool_id == "tooluse_SGdyBSXMR5mOjoTwDwM8rw");
    CHECK(tool_name == "get_weather");
    CHECK(arguments == R"({"city": "Paris"})");
    CHECK(finish == "tool_calls");
    REQUIRE(usage);
    CHECK(usage->input_tokens == 402);
    CHECK(usage->output_tokens == 58);
    CHECK_FALSE(d.chunks[0].has_content);  // messageStart: the role, held back until content
    CHECK(d.chunks[1].has_content);
}

TEST_CASE("stream exceptions and bad payloads are reported, not delivered", "[bedrock][stream]") {
    auto decoder = bedrock::make_stream_decoder("id", 0, "m");
    const ParsedChunk e = decoder->next(":exception:throttlingException", R"({"message":"Too many requests"})");
    CHECK(e.has_error);
    CHECK(e.error_type == "ThrottlingException");
    CHECK(e.error_code == "rate_limit_exceeded");
    CHECK(e.error_message == "Too many requests");
    const ParsedChunk v = decoder->next(":exception:validationException", R"({"message":"Input is too long for requested model."})");
    CHECK(v.error_code == "context_length_exceeded");
    const ParsedChunk u = decoder->next(":error:InternalFailure", "It broke");
    CHECK(u.has_error);
    CHECK(u.error_type == "InternalFailure");
    CHECK(u.error_message == "It broke");
    CHECK(decoder->next("contentBlockDelta", "{not json").malformed);
    CHECK(decoder->next("contentBlockDelta", R"({"contentBlockIndex":3,"delta":{"toolUse":{"input":"{}"}}})").malformed);
    CHECK(decoder->next("someFutureEvent", "{}").skip);
}

TEST_CASE("prepare: a SigV4-signed Converse request for the model, with the region from the store", "[bedrock][signing]") {
    const auto k = keys("eu-west-1");
    const ProviderConfig p = provider();
    std::string error;
    auto r = bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &k), error);
    INFO(error);
    REQUIRE(r);
    CHECK(r->url ==
          "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
    CHECK(header(*r, "Host") == "bedrock-runtime.eu-west-1.amazonaws.com");
    CHECK(header(*r, "X-Amz-Date") == "20150830T123600Z");
    CHECK(header(*r, "X-Amz-Security-Token") == k.session_token.reveal());
    CHECK_THAT(header(*r, "Authorization"),
               Catch::StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request, "
                                 "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="));
    CHECK_THAT(r->body, Catch::StartsWith(R"({"messages":[{"role":"user","content":[{"text":"hi"}]}])"));

    auto stream = bedrock_adapter().prepare(Endpoint::chat_completions, with(R"("stream":true)"), context(p, &k), error);
    REQUIRE(stream);
    CHECK_THAT(stream->url, Catch::EndsWith("/converse-stream"));
    CHECK(bedrock_adapter().stream_framing() == StreamFraming::aws_event_stream);
}

TEST_CASE("prepare: the region comes from the apiBase host when the store has none, else an error", "[bedrock]") {
    const auto no_region = keys("");
    ProviderConfig p = provider("meta.llama3-70b-instruct-v1:0");
    p.api_base = "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/";
    std::string error;
    auto r = bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &no_region), error);
    REQUIRE(r);
    CHECK_THAT(header(*r, "Authorization"), Catch::Contains("/us-gov-west-1/bedrock/aws4_request"));
    CHECK(r->url == "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/model/meta.llama3-70b-instruct-v1%3A0/converse");

    p.api_base = "http://127.0.0.1:9999";
    CHECK_FALSE(bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &no_region), error));
    CHECK_THAT(error, Catch::Contains("no AWS region"));

    CHECK(bedrock::region_from_url("https://vpce-0abc.bedrock-runtime.ap-southeast-2.vpce.amazonaws.com") == "ap-southeast-2");
    CHECK(bedrock::default_api_base("cn-north-1") == "https://bedrock-runtime.cn-north-1.amazonaws.com.cn");
    CHECK(bedrock::converse_url("https://x/", "arn:aws:bedrock:us-east-1:1:inference-profile/us.m", true) ==
          "https://x/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.m/converse-stream");
}

TEST_CASE("prepare: plain refusals for what this adapter cannot send", "[bedrock]") {
    const auto k = keys();
    ProviderConfig p = provider();
    std::string error;
    CHECK_FALSE(bedrock_adapter().prepare(Endpoint::embeddings, R"({"input":"x"})", context(p, &k), error));
    CHECK_THAT(error, Catch::Contains("embeddings"));
    AttemptContext keyless{p, nullptr, {}, std::chrono::system_clock::now()};
    CHECK_FALSE(bedrock_adapter().prepare(Endpoint::chat_completions, with(""), keyless, error));
    CHECK_THAT(error, Catch::Contains("aws credential store"));
    p.headers = {{"authorization", "Bearer x"}};
    CHECK_FALSE(bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &k), error));
    CHECK_THAT(error, Catch::Contains("SigV4"));
    p.headers = {{"X-Team", "search"}};  // other configured headers are sent, and signed
    auto r = bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &k), error);
    REQUIRE(r);
    CHECK(header(*r, "X-Team") == "search");
    CHECK_THAT(header(*r, "Authorization"), Catch::Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-team,"));
}

TEST_CASE("canary: the secret access key never leaves prepare, and the session token only in its header", "[bedrock][canary]") {
    const auto k = keys();
    const ProviderConfig p = provider();
    std::string error;
    auto r = bedrock_adapter().prepare(Endpoint::chat_completions, with(""), context(p, &k), error);
    REQUIRE(r);
    const std::string secret(k.secret_access_key.reveal()), token(k.session_token.reveal());
    std::string everything = r->url + r->body;
    for (const std::string& h : r->headers) everything += h + "\n";
    CHECK(everything.find(secret) == std::string::npos);
    CHECK(everything.find("sk-canary-bedrock-secret") == std::string::npos);
    CHECK((r->url + r->body).find(token) == std::string::npos);
    // A refused request's error names the problem, not the keys.
    const auto no_region = keys("");
    CHECK_FALSE(bedrock_adapter().prepare(Endpoint::chat_completions, with(R"("seed":1)"), context(p, &no_region), error));
    CHECK(error.find("sk-canary") == std::string::npos);
}
