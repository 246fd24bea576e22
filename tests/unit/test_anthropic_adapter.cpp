// test_anthropic_adapter.cpp — the Anthropic Messages adapter on recorded requests, answers,
// error bodies and SSE transcripts (tests/data/anthropic/), and the requests it must refuse.
#include "adapter_test_support.hpp"

#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic.hpp"
#include "transport/sse_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using namespace sw::providers;
using swtest::canonical_json;
using swtest::outcome_of;
using swtest::read_fixture;

constexpr std::int64_t kCreated = 1700000000;

sw::ProviderConfig claude() {
    sw::ProviderConfig p;
    p.name = "claude";
    p.type = "anthropic";
    p.api_base = "https://api.anthropic.com";
    p.model_name = "claude-3-5-haiku-20241022";
    return p;
}

// The translated body, or the error prefixed with "error: ".
std::string translate(const std::string& request, const sw::ProviderConfig& p = claude(),
                      const sw::ModelConfig* model = nullptr) {
    std::string body, error;
    if (!anthropic::build_messages_body(request, p, model, body, error)) return "error: " + error;
    return body;
}

std::string with_user(const std::string& members) {
    return R"({"model":"m","messages":[{"role":"user","content":"hi"}])" + (members.empty() ? "" : "," + members) + "}";
}

// Runs an SSE transcript through the framer and a decoder, as the request driver does.
std::vector<ParsedChunk> decode_stream(const std::string& transcript) {
    auto decoder = anthropic::make_stream_decoder(kCreated);
    std::vector<ParsedChunk> chunks;
    sw::transport::SseParser parser(
        [&](std::string_view type, std::string_view data) { chunks.push_back(decoder->next(type, data)); });
    parser.feed(transcript);
    parser.finish();
    return chunks;
}


}  // namespace

TEST_CASE("anthropic request: the recorded OpenAI request becomes the recorded Messages body", "[anthropic][request]") {
    const std::string body = translate(read_fixture("anthropic", "chat_request.json"));
    CHECK(canonical_json(body) == canonical_json(read_fixture("anthropic", "chat_request.expected.json")));
}

TEST_CASE("anthropic request: max_tokens comes from the request, the parameters or the default", "[anthropic][request]") {
    auto max_tokens_of = [](const std::string& body) {
        simdjson::dom::parser parser;
        std::int64_t n = -1;
        if (parser.parse(body)["max_tokens"].get(n)) return std::int64_t{-1};
        return n;
    };
    CHECK(max_tokens_of(translate(with_user(""))) == anthropic::kDefaultMaxTokens);
    CHECK(max_tokens_of(translate(with_user(R"("max_tokens":64)"))) == 64);
    CHECK(max_tokens_of(translate(with_user(R"("max_tokens":64,"max_completion_tokens":32)"))) == 32);
    CHECK(max_tokens_of(translate(with_user(R"("max_tokens":64,"max_completion_tokens":null)"))) == 64);

    sw::ModelConfig model;
    model.default_parameters = {{"max_tokens", "1000"}, {"temperature", "0.5"}};
    CHECK(max_tokens_of(translate(with_user(""), claude(), &model)) == 1000);
    sw::ProviderConfig p = claude();
    p.provider_params = {{"max_tokens", "2000"}};
    CHECK(max_tokens_of(translate(with_user(""), p, &model)) == 2000);
    CHECK(max_tokens_of(translate(with_user(R"("max_tokens":10)"), p, &model)) == 10);
    CHECK_THAT(translate(with_user(""), p, &model), Catch::Contains(R"("temperature":0.5)"));

    CHECK(translate(with_user(R"("max_tokens":0)")) == "error: max_tokens must be a positive integer");
    CHECK(translate(with_user(R"("max_tokens":"many")")) == "error: max_tokens must be a positive integer");
}

TEST_CASE("anthropic request: tool_choice and parallel_tool_calls", "[anthropic][request][tools]") {
    const std::string tools = R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])";
    struct Row {
        std::string members;
        std::string expected;
    };
    const Row rows[] = {
        {R"("tool_choice":"auto")", R"("tool_choice":{"type":"auto"})"},
        {R"("tool_choice":"none")", R"("tool_choice":{"type":"none"})"},
        {R"("tool_choice":"required")", R"("tool_choice":{"type":"any"})"},
        {R"("tool_choice":{"type":"function","function":{"name":"f"}})", R"("tool_choice":{"type":"tool","name":"f"})"},
        {R"("parallel_tool_calls":false)", R"("tool_choice":{"type":"auto","disable_parallel_tool_use":true})"},
        {R"("tool_choice":"required","parallel_tool_calls":false)",
         R"("tool_choice":{"type":"any","disable_parallel_tool_use":true})"},
        {R"("tool_choice":"none","parallel_tool_calls":false)", R"("tool_choice":{"type":"none"})"},
    };
    for (const Row& row : rows) {
        INFO(row.members);
        CHECK_THAT(translate(with_user(tools + "," + row.members)), Catch::EndsWith(row.expected + "}"));
    }
    // Without tools there is no choice to make.
    CHECK_THAT(translate(with_user(R"("parallel_tool_calls":false)")), !Catch::Contains("tool_choice"));
    CHECK(translate(with_user(tools + R"(,"tool_choice":"sometimes")")) ==
          "error: tool_choice \"sometimes\" is not supported by Anthropic");
    CHECK(translate(with_user(R"("tools":[{"type":"code_interpreter"}])")) ==
          "error: tools[0]: tools of type \"code_interpreter\" are not supported by Anthropic");
}

TEST_CASE("anthropic request: parameters", "[anthropic][request]") {
    SECTION("stop as an array, stream, top_k and thinking pass; OpenAI-only hints are dropped") {
        const std::string body = translate(with_user(
            R"("stop":["a","b"],"stream":true,"stream_options":{"include_usage":true},"top_k":5,)"
            R"("thinking":{"type":"enabled","budget_tokens":1024},"seed":1,"store":true,"frequency_penalty":0,)"
            R"("logprobs":false,"logit_bias":{},"response_format":{"type":"text"},"modalities":["text"],"metadata":{"a":"b"})"));
        CHECK(canonical_json(body) ==
              canonical_json(R"({"model":"claude-3-5-haiku-20241022","max_tokens":4096,)"
                             R"("messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],)"
                             R"("stop_sequences":["a","b"],"top_k":5,"thinking":{"type":"enabled","budget_tokens":1024},)"
                             R"("stream":true})"));
    }
    SECTION("stream false and null members send nothing") {
        CHECK(canonical_json(translate(with_user(R"("stream":false,"temperature":null,"stop":null,"tools":null)"))) ==
              canonical_json(R"({"model":"claude-3-5-haiku-20241022","max_tokens":4096,)"
                             R"("messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]})"));
    }
    SECTION("what Anthropic cannot express is refused with the feature's name") {
        const std::pair<std::string, std::string> rows[] = {
            {R"("n":2)", "n is not supported by Anthropic"},
            {R"("presence_penalty":0.5)", "presence_penalty is not supported by Anthropic"},
            {R"("frequency_penalty":-1)", "frequency_penalty is not supported by Anthropic"},
            {R"("logprobs":true)", "logprobs is not supported by Anthropic"},
            {R"("top_logprobs":3)", "top_logprobs is not supported by Anthropic"},
            {R"("logit_bias":{"50256":-100})", "logit_bias is not supported by Anthropic"},
            {R"("audio":{"voice":"alloy"})", "audio is not supported by Anthropic"},
            {R"("response_format":{"type":"json_object"})", "response_format other than"},
            {R"("modalities":["text","audio"])", "modalities other than \"text\""},
            {R"("functions":[{"name":"f"}])", "the legacy functions parameter is not supported"},
            {R"("stop":5)", "stop must be a string or an array of strings"},
        };
        for (const auto& [members, reason] : rows) {
            INFO(members);
            CHECK_THAT(translate(with_user(members)), Catch::StartsWith("error: " + reason));
        }
    }
}

TEST_CASE("anthropic request: messages Anthropic cannot take are refused, naming the field", "[anthropic][request]") {
    auto with_messages = [](const std::string& messages) { return R"({"model":"m","messages":)" + messages + "}"; };
    const std::pair<std::string, std::string> rows[] = {
        {R"([{"role":"system","content":"only a system prompt"}])",
         "Anthropic needs at least one non-empty user or assistant message besides system messages"},
        {R"([{"role":"function","name":"f","content":"x"}])", "messages[0].role \"function\" is not supported by Anthropic"},
        {R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}])",
         "messages[0].content[0]: content parts of type \"input_audio\" are not supported by Anthropic here"},
        {R"([{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"user","content":"hi"}])",
         "messages[0].content[0]: content parts of type \"image_url\" are not supported by Anthropic here"},
        {R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}])",
         "messages[0].content[0].image_url.url: Anthropic takes images as data: (base64) or http(s) URLs only"},
        {R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}])",
         "messages[0].content[0].image_url.url: Anthropic takes data: URLs only as data:<media type>;base64,..."},
        {R"([{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}}]}])",
         "messages[1].tool_calls[0].function.arguments must hold a JSON object"},
        {R"([{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]}])",
         "messages[1].tool_calls[0].function.arguments must hold a JSON object"},
        {R"([{"role":"tool","content":"x"}])", "messages[0].tool_call_id must be a string"},
        {R"([{"content":"x"}])", "messages[0].role must be a string"},
        {R"([{"role":"user","content":42}])", "messages[0].content must be a string or an array of content parts"},
    };
    for (const auto& [messages, reason] : rows) {
        INFO(messages);
        CHECK_THAT(translate(with_messages(messages)), Catch::StartsWith("error: " + reason));
    }
    // The shared builder's validation comes first.
    CHECK(translate(R"({"model":"m"})") == "error: messages is required");
}

TEST_CASE("anthropic request: an error never quotes the request's content", "[anthropic][request][canary]") {
    const std::string canary = "sk-canary-XYZ-request-content";
    const std::string rows[] = {
        R"({"model":"m","messages":[{"role":")" + canary + R"(","content":"x"}]})",
        R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":")" + canary + R"("}}]}]})",
        R"({"model":"m","messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":")" +
            canary + R"("}}]}]})",
        R"({"model":"m","messages":[{"role":"user","content":[{"type":")" + canary + R"("}]}]})",
        R"({"model":"m","messages":[{"role":"user","content":"q"}],"tool_choice":")" + canary + R"("})",
    };
    for (const std::string& request : rows) {
        const std::string result = translate(request);
        CHECK_THAT(result, Catch::StartsWith("error: "));
        CHECK(result.find("canary") == std::string::npos);
    }
}

TEST_CASE("anthropic request: consecutive turns of one role are merged, empty text dropped", "[anthropic][request]") {
    const std::string body = translate(
        R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":""},{"role":"user","content":[{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]},)"
        R"({"role":"assistant","content":"c"},{"role":"assistant","content":[{"type":"refusal","refusal":"d"}]}]})");
    CHECK(canonical_json(body) ==
          canonical_json(R"({"model":"claude-3-5-haiku-20241022","max_tokens":4096,"messages":[)"
                         R"({"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]},)"
                         R"({"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}]})"));
}

TEST_CASE("anthropic URL and headers", "[anthropic][headers]") {
    CHECK(anthropic::messages_url("https://api.anthropic.com") == "https://api.anthropic.com/v1/messages");
    CHECK(anthropic::messages_url("https://api.anthropic.com/") == "https://api.anthropic.com/v1/messages");
    CHECK(anthropic::messages_url("https://api.anthropic.com/v1") == "https://api.anthropic.com/v1/messages");
    CHECK(anthropic::messages_url("https://gw.example/anthropic/v1/messages") == "https://gw.example/anthropic/v1/messages");

    sw::ProviderConfig p = claude();
    CHECK(anthropic::request_headers(p, "sk-ant-key") ==
          std::vector<std::string>{"Content-Type: application/json", "x-api-key: sk-ant-key", "anthropic-version: 2023-06-01"});
    p.api_version = "2024-01-01";
    CHECK(anthropic::request_headers(p, "") ==
          std::vector<std::string>{"Content-Type: application/json", "anthropic-version: 2024-01-01"});
    // A configured header replaces the adapter's, so the upstream never sees two values.
    p.headers = {{"Anthropic-Version", "2099-01-01"}, {"anthropic-beta", "prompt-caching-2024-07-31"}};
    const auto headers = anthropic::request_headers(p, "k");
    CHECK(headers == std::vector<std::string>{"Content-Type: application/json", "Anthropic-Version: 2099-01-01",
                                              "anthropic-beta: prompt-caching-2024-07-31", "x-api-key: k"});
}

TEST_CASE("anthropic response: the recorded answer in OpenAI's form", "[anthropic][response]") {
    const ParsedResponse r =
        anthropic::parse_messages_response(200, read_fixture("anthropic", "messages_response.json"), kCreated);
    REQUIRE(r.parsed);
    CHECK(canonical_json(r.body) == canonical_json(read_fixture("anthropic", "messages_response.expected.json")));
    CHECK(r.text == "Let me check the weather in Paris.");
    CHECK(r.finish_reason == "tool_calls");
    CHECK(r.usage.input_tokens == 2520);  // input plus cached prompt tokens, as OpenAI counts them
    CHECK(r.usage.output_tokens == 89);
}

TEST_CASE("anthropic response: stop reasons, thinking, and bodies that are no answer", "[anthropic][response]") {
    const std::pair<std::string, std::string> reasons[] = {
        {"end_turn", "stop"},     {"stop_sequence", "stop"},  {"pause_turn", "stop"},
        {"max_tokens", "length"}, {"tool_use", "tool_calls"}, {"refusal", "content_filter"},
        {"model_context_window_exceeded", "length"}, {"something_new", "something_new"}};
    for (const auto& [stop, finish] : reasons) {
        const std::string body = R"({"id":"m","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"x"}],"stop_reason":")" +
                                 stop + R"(","usage":{"input_tokens":1,"output_tokens":2}})";
        CHECK(anthropic::parse_messages_response(200, body, kCreated).finish_reason == finish);
    }
    const ParsedResponse thinking = anthropic::parse_messages_response(
        200,
        R"({"id":"m","type":"message","content":[{"type":"thinking","thinking":"hmm","signature":"s"},{"type":"redacted_thinking","data":"x"},{"type":"text","text":"4"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}})",
        kCreated);
    CHECK_THAT(thinking.body, Catch::Contains(R"("content":"4","reasoning_content":"hmm")"));
    CHECK_FALSE(anthropic::parse_messages_response(200, R"({"id":"m","content":[)", kCreated).parsed);
    CHECK_FALSE(anthropic::parse_messages_response(200, R"({"id":"m"})", kCreated).parsed);
    const ParsedResponse error_in_200 = anthropic::parse_messages_response(
        200, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})", kCreated);
    CHECK_FALSE(error_in_200.parsed);
    CHECK(error_in_200.error_type == "overloaded_error");
    CHECK(error_in_200.error_status == 529);
}

TEST_CASE("anthropic errors are mapped for the shared classifier", "[anthropic][errors]") {
    struct Row {
        int status;
        std::string body;
        sw::ErrorClass expected;
    };
    const Row rows[] = {
        {529, read_fixture("anthropic", "error_overloaded.json"), sw::ErrorClass::transient},
        {400, read_fixture("anthropic", "error_prompt_too_long.json"), sw::ErrorClass::context_window},
        {429, read_fixture("anthropic", "error_rate_limit.json"), sw::ErrorClass::rate_limited},
        {429, read_fixture("anthropic", "error_spend_limit.json"), sw::ErrorClass::quota},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}})",
         sw::ErrorClass::quota},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 198000 + 4096 > 200000"}})",
         sw::ErrorClass::context_window},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}})",
         sw::ErrorClass::content_policy},
        {400, R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate"}})",
         sw::ErrorClass::invalid_request},
        {401, R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})", sw::ErrorClass::auth},
        {403, R"({"type":"error","error":{"type":"permission_error","message":"no access"}})", sw::ErrorClass::auth},
        {404, R"({"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}})", sw::ErrorClass::not_found},
        {402, R"({"type":"error","error":{"type":"billing_error","message":"payment required"}})", sw::ErrorClass::quota},
        {500, R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})", sw::ErrorClass::transient},
        {502, "<html>Bad gateway</html>", sw::ErrorClass::transient},
    };
    for (const Row& row : rows) {
        INFO(row.status << " " << row.body);
        const ParsedResponse r = anthropic::parse_messages_response(row.status, row.body, kCreated);
        CHECK_FALSE(r.parsed);
        CHECK(sw::classify(outcome_of(row.status, r)) == row.expected);
    }
    const ParsedResponse too_long =
        anthropic::parse_messages_response(400, read_fixture("anthropic", "error_prompt_too_long.json"), kCreated);
    CHECK(too_long.error_code == "context_length_exceeded");
    CHECK(too_long.error_type == "invalid_request_error");
    CHECK(too_long.error_message == "prompt is too long: 210344 tokens > 200000 maximum");
    CHECK(anthropic::parse_messages_response(502, "<html>Bad gateway</html>", kCreated).error_message ==
          "<html>Bad gateway</html>");
}

TEST_CASE("anthropic stream: the recorded transcript becomes the recorded chunks", "[anthropic][stream]") {
    const std::vector<ParsedChunk> chunks = decode_stream(read_fixture("anthropic", "messages_stream.txt"));
    std::istringstream expected(read_fixture("anthropic", "messages_stream.expected.jsonl"));
    std::string line;
    std::size_t i = 0;
    std::string text;
    while (std::getline(expected, line)) {
        INFO("event " << i);
        REQUIRE(i < chunks.size());
        const ParsedChunk& c = chunks[i++];
        CHECK_FALSE(c.malformed);
        CHECK_FALSE(c.has_error);
        if (line == "skip") {
            CHECK(c.skip);
        } else if (line == "done") {
            CHECK(c.done);
        } else {
            CHECK_FALSE(c.skip);
            CHECK(canonical_json(c.translated) == canonical_json(line));
        }
        text += c.content;
    }
    CHECK(i == chunks.size());
    CHECK(text == "Okay, let me check the weather: \u00e9\n");
    // Held back until content arrives: the opening chunk carries none.
    CHECK_FALSE(chunks.at(0).has_content);
    CHECK(chunks.at(3).has_content);
    CHECK(chunks.at(6).has_content);  // the tool call's first fragment
    const ParsedChunk& last = chunks.at(chunks.size() - 2);
    CHECK(last.finish_reason == "tool_calls");
    REQUIRE(last.usage.has_value());
    CHECK(last.usage->input_tokens == 472);  // from message_start
    CHECK(last.usage->output_tokens == 89);  // from message_delta
}

TEST_CASE("anthropic stream: errors, malformed events, thinking and unknown events", "[anthropic][stream]") {
    auto decoder = anthropic::make_stream_decoder(kCreated);
    SECTION("an error event inside the stream") {
        ParsedChunk c = decoder->next("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
        CHECK(c.has_error);
        CHECK(c.error_type == "overloaded_error");
        CHECK(c.error_message == "Overloaded");
        CHECK(c.error_status == 529);  // classified as what it means: transient
        CHECK(decoder->next("error", R"({"type":"error","error":{"type":"brand_new_error","message":"?"}})").error_status == 0);
        ParsedChunk too_long = decoder->next(
            "error", R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 9000 tokens > 8192 maximum"}})");
        CHECK(too_long.error_code == "context_length_exceeded");
        CHECK(sw::classify(outcome_of(too_long.error_status, too_long)) == sw::ErrorClass::context_window);
    }
    SECTION("malformed events") {
        CHECK(decoder->next("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok)").malformed);
        CHECK(decoder->next("message_start", "[1,2]").malformed);
        CHECK(decoder->next("message_start", R"({"type":"message_start"})").malformed);
        CHECK(decoder->next("content_block_delta", R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}})").malformed);
        // A block index no answer reaches: refused rather than sizing a table for it.
        CHECK(decoder->next("content_block_start",
                            R"({"type":"content_block_start","index":1000000000000,"content_block":{"type":"tool_use","id":"a","name":"f"}})")
                  .malformed);
        // Tool input for a block that never opened as a tool call.
        CHECK(decoder->next("content_block_delta",
                            R"({"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}})")
                  .malformed);
    }
    SECTION("thinking is forwarded as reasoning_content, signatures and unknown events are skipped") {
        ParsedChunk thinking = decoder->next(
            "content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see"}})");
        CHECK(thinking.has_content);
        CHECK(thinking.content.empty());
        CHECK_THAT(thinking.translated, Catch::Contains(R"("delta":{"reasoning_content":"Let me see"})"));
        CHECK(decoder->next("content_block_delta",
                            R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})")
                  .skip);
        CHECK(decoder->next("some_future_event", R"({"type":"some_future_event"})").skip);
        CHECK(decoder->next("ping", R"({"type": "ping"})").skip);
    }
    SECTION("two tool calls get OpenAI indices 0 and 1, whatever their block index") {
        CHECK(decoder->next("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})").skip);
        ParsedChunk first = decoder->next(
            "content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"a","name":"f","input":{}}})");
        ParsedChunk second = decoder->next(
            "content_block_start", R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"b","name":"g","input":{}}})");
        CHECK_THAT(first.translated, Catch::Contains(R"("tool_calls":[{"index":0,"id":"a")"));
        CHECK_THAT(second.translated, Catch::Contains(R"("tool_calls":[{"index":1,"id":"b")"));
        ParsedChunk input = decoder->next(
            "content_block_delta", R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}})");
        CHECK_THAT(input.translated, Catch::Contains(R"("tool_calls":[{"index":1,"function":{"arguments":"{}"}}])"));
    }
    SECTION("the end marker") { CHECK(decoder->next("message_stop", R"({"type":"message_stop"})").done); }
}

TEST_CASE("anthropic adapter: the registry serves it, and it has no embeddings", "[anthropic][adapter]") {
    const Adapter& adapter = adapter_for("anthropic");
    const sw::ProviderConfig p = claude();
    const std::string canary = "sk-canary-XYZ-anthropic";
    sw::credentials::CredentialView view;
    view.kind = sw::credentials::CredentialView::Kind::api_key;
    view.secret = canary;
    const AttemptContext context{p, nullptr, view, std::chrono::system_clock::now()};
    std::string error;
    auto prepared = adapter.prepare(Endpoint::chat_completions, with_user(""), context, error);
    REQUIRE(prepared);
    CHECK(prepared->url == "https://api.anthropic.com/v1/messages");
    CHECK(std::count(prepared->headers.begin(), prepared->headers.end(), "x-api-key: " + canary) == 1);
    CHECK(prepared->body.find(canary) == std::string::npos);
    CHECK(prepared->url.find(canary) == std::string::npos);
    CHECK_FALSE(adapter.prepare(Endpoint::embeddings, R"({"model":"m","input":"x"})", context, error));
    CHECK(error == "Anthropic has no embeddings endpoint");
    CHECK_FALSE(adapter.prepare(Endpoint::chat_completions, with_user(R"("n":3)"), context, error));
    CHECK(error.find(canary) == std::string::npos);
}
