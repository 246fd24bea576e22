// test_openai_compat.cpp — the OpenAI-compatible adapter on recorded requests and responses.
#include "providers/openai/openai_compat.hpp"
#include "providers/rate_limit_headers.hpp"
#include "transport/sse_parser.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace sw::providers;
using sw::JsonMember;
using sw::ModelConfig;
using sw::ProviderConfig;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(SWITCH_TEST_DATA_DIR) + "/data/openai/" + name,
                     std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string chomp(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

ProviderConfig provider(std::string_view kind = "openai",
                        std::string model_name = "gpt-4o-mini-2024-07-18") {
    ProviderConfig p;
    p.name = "p";
    p.type = kind;
    p.api_base = "https://api.openai.com/v1";
    p.model_name = std::move(model_name);
    return p;
}

UpstreamRequest chat(std::string_view body, const ProviderConfig& p,
                     const ModelConfig* m = nullptr) {
    return build_request(Endpoint::chat_completions, body, p, m);
}

constexpr std::string_view kMessages = R"([{"role":"user","content":"hi"}])";

std::string with_messages(std::string_view before, std::string_view after = "") {
    return std::string("{") + std::string(before) + "\"messages\":" + std::string(kMessages) +
           std::string(after) + "}";
}

}  // namespace

TEST_CASE("provider kinds this adapter serves", "[openai]") {
    for (std::string_view k : {"openai", "together", "groq",
                           "mistral", "runpod", "alibaba",
                           "vllm", "ollama", "custom"}) {
        CHECK(is_openai_compatible(k));
    }
    for (std::string_view k : {"anthropic", "bedrock", "google",
                           "vertex", "azure"}) {
        CHECK_FALSE(is_openai_compatible(k));
    }
}

TEST_CASE("join_url", "[openai][url]") {
    struct Row {
        const char* base;
        const char* endpoint;
        const char* url;
    };
    const Row rows[] = {
        {"https://api.openai.com/v1", "chat/completions",
         "https://api.openai.com/v1/chat/completions"},
        {"https://api.openai.com/v1/", "chat/completions",
         "https://api.openai.com/v1/chat/completions"},
        {"https://api.openai.com", "chat/completions", "https://api.openai.com/v1/chat/completions"},
        {"https://api.openai.com/", "chat/completions",
         "https://api.openai.com/v1/chat/completions"},
        {"https://dashscope.aliyuncs.com/compatible-mode", "chat/completions",
         "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"},
        {"https://api.groq.com/openai/v1/", "chat/completions",
         "https://api.groq.com/openai/v1/chat/completions"},
        {"https://api.together.xyz/v1", "embeddings", "https://api.together.xyz/v1/embeddings"},
        {"https://generativelanguage.googleapis.com/v1beta/openai", "chat/completions",
         "https://generativelanguage.googleapis.com/v1beta/openai/v1/chat/completions"},
        {"https://example.com/api/v1beta", "chat/completions",
         "https://example.com/api/v1beta/chat/completions"},
        {"https://example.com/v2", "embeddings", "https://example.com/v2/embeddings"},
        {"http://127.0.0.1:8000", "chat/completions", "http://127.0.0.1:8000/v1/chat/completions"},
        {"http://localhost:11434/v1", "chat/completions",
         "http://localhost:11434/v1/chat/completions"},
        {"https://api.openai.com/v1/chat/completions", "chat/completions",
         "https://api.openai.com/v1/chat/completions"},
        {"https://api.openai.com/v1/chat/completions/", "chat/completions",
         "https://api.openai.com/v1/chat/completions"},
        {"https://api.openai.com/v1/embeddings", "embeddings",
         "https://api.openai.com/v1/embeddings"},
        // Not a version segment: "video", "v", "vx1".
        {"https://example.com/video", "embeddings", "https://example.com/video/v1/embeddings"},
        {"https://example.com/v", "embeddings", "https://example.com/v/v1/embeddings"},
        {"https://example.com/vx1", "embeddings", "https://example.com/vx1/v1/embeddings"},
        // A host called v1 is not a path segment.
        {"https://v1", "embeddings", "https://v1/v1/embeddings"},
    };
    for (const Row& row : rows) {
        INFO(row.base << " + " << row.endpoint);
        CHECK(join_url(row.base, row.endpoint) == row.url);
    }
    CHECK(join_url("https://api.openai.com", Endpoint::embeddings) ==
          "https://api.openai.com/v1/embeddings");
    CHECK(join_url("https://api.openai.com/v1", "/chat/completions") ==
          "https://api.openai.com/v1/chat/completions");
}

TEST_CASE("request body: the caller's bytes are kept, the model replaced", "[openai][body]") {
    const ProviderConfig p = provider();
    SECTION("inline") {
        const std::string request =
            R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Caf\u00e9 \"q\" \ud83d\ude00"}],"temperature":0.70,"max_tokens":1e3,"stop":[ "\n\n" , "END" ],"user":null,"logit_bias":{ "50256" : -100 }})";
        const UpstreamRequest r = chat(request, p);
        REQUIRE(r.ok());
        CHECK_FALSE(r.stream);
        CHECK(r.body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"Caf\u00e9 \"q\" \ud83d\ude00"}],"temperature":0.70,"max_tokens":1e3,"stop":[ "\n\n" , "END" ],"user":null,"logit_bias":{ "50256" : -100 }})");
    }
    SECTION("recorded request file") {
        const std::string request = read_data("chat_request.json");
        const UpstreamRequest r = chat(request, p);
        REQUIRE(r.ok());
        std::string expected = chomp(request);
        expected.replace(expected.find("\"gpt-4o-mini\""), 13, "\"gpt-4o-mini-2024-07-18\"");
        CHECK(r.body == expected);
    }
    SECTION("whitespace between top-level members is dropped, nothing else") {
        const UpstreamRequest r =
            chat("\n{ \"model\" : \"x\" ,\n  \"messages\" : [ {\"role\":\"user\", \"content\":\"hi\"} ] ,"
                 "\t\"n\" : 2 }\n",
                 p);
        REQUIRE(r.ok());
        CHECK(r.body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[ {"role":"user", "content":"hi"} ],"n":2})");
    }
    SECTION("keys with escapes are copied as written") {
        const UpstreamRequest r = chat(with_messages(R"("x\u0041":1,"mod\u0065l":"a",)"), p);
        REQUIRE(r.ok());
        // The escaped key decodes to "model", so it is the model.
        CHECK(r.body == R"({"x\u0041":1,"mod\u0065l":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}]})");
    }
    SECTION("a missing model is added first; a duplicate one dropped") {
        CHECK(chat(with_messages(""), p).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}]})");
        CHECK(chat(with_messages(R"("model":"a",)", R"(,"model":"b")"), p).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}]})");
    }
    SECTION("a model name needing escapes is encoded") {
        const UpstreamRequest r = chat(with_messages(R"("model":"a",)"), provider("openai", "org/\"m\""));
        CHECK(r.body == R"({"model":"org/\"m\"","messages":[{"role":"user","content":"hi"}]})");
    }
}

TEST_CASE("request body: defaults < providerParams < the request", "[openai][body]") {
    ProviderConfig p = provider();
    p.provider_params = {{"temperature", "0.2"}, {"seed", "42"}, {"response_format", R"({"type":"json_object"})"}};
    ModelConfig m;
    m.name = "chat";
    m.default_parameters = {{"temperature", "0.7"}, {"max_tokens", "256"}, {"top_p", "0.9"}};

    const UpstreamRequest r = chat(with_messages(R"("model":"chat",)", R"(,"top_p":1,"seed":7)"), p, &m);
    REQUIRE(r.ok());
    CHECK(r.body ==
          R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"top_p":1,"seed":7,"max_tokens":256,"temperature":0.2,"response_format":{"type":"json_object"}})");

    SECTION("without a model config only providerParams apply") {
        CHECK(chat(with_messages(""), p).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"seed":42,"response_format":{"type":"json_object"}})");
    }
    SECTION("a request's null is its own value, not a gap") {
        CHECK(chat(with_messages("", R"(,"temperature":null)"), p, &m).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"temperature":null,"max_tokens":256,"top_p":0.9,"seed":42,"response_format":{"type":"json_object"}})");
    }
    SECTION("parameters never supply model or stream") {
        ProviderConfig q = provider();
        q.provider_params = {{"model", R"("other")"}, {"stream", "true"}, {"stream_options", R"({"include_usage":false})"}};
        const UpstreamRequest s = chat(with_messages(""), q);
        CHECK_FALSE(s.stream);
        CHECK(s.body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}]})");
    }
}

TEST_CASE("request body: streaming", "[openai][body][stream]") {
    const ProviderConfig p = provider();
    SECTION("stream_options is added") {
        const UpstreamRequest r = chat(with_messages("", R"(,"stream":true)"), p);
        REQUIRE(r.ok());
        CHECK(r.stream);
        CHECK(r.body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}})");
    }
    SECTION("the request's stream_options is kept") {
        const UpstreamRequest r =
            chat(with_messages("", R"(,"stream":true,"stream_options":{"include_usage":false})"), p);
        CHECK(r.stream);
        CHECK(r.body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":false}})");
    }
    SECTION("providerParams' stream_options applies to streams only") {
        ProviderConfig q = provider();
        q.provider_params = {{"stream_options", R"({"include_usage":true,"continuous_usage_stats":true})"}};
        CHECK(chat(with_messages("", R"(,"stream":true)"), q).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true,"continuous_usage_stats":true}})");
        CHECK(chat(with_messages("", R"(,"stream":false)"), q).body ==
              R"({"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}],"stream":false})");
    }
    SECTION("false and null do not stream") {
        CHECK_FALSE(chat(with_messages("", R"(,"stream":false)"), p).stream);
        CHECK_FALSE(chat(with_messages("", R"(,"stream":null)"), p).stream);
    }
}

TEST_CASE("request body: vLLM enable_thinking", "[openai][body][vllm]") {
    const ProviderConfig v = provider("vllm", "Qwen/Qwen3-8B");
    SECTION("from the request") {
        CHECK(chat(with_messages("", R"(,"enable_thinking":false)"), v).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":false}})");
    }
    SECTION("merged into the request's chat_template_kwargs, wherever they are") {
        CHECK(chat(with_messages(R"("chat_template_kwargs":{ "add_generation_prompt": true },)",
                                 R"(,"enable_thinking":true)"),
                   v).body ==
              R"({"model":"Qwen/Qwen3-8B","chat_template_kwargs":{"enable_thinking":true, "add_generation_prompt": true },"messages":[{"role":"user","content":"hi"}]})");
        CHECK(chat(with_messages(R"("enable_thinking":true,)", R"(,"chat_template_kwargs":{})"), v).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":true}})");
        CHECK(chat(with_messages(R"("enable_thinking":true,)", R"(,"chat_template_kwargs":null)"), v).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":true}})");
    }
    SECTION("an enable_thinking inside chat_template_kwargs wins") {
        CHECK(chat(with_messages(R"("enable_thinking":true,)",
                                 R"(,"chat_template_kwargs":{"enable_thinking":false})"),
                   v).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":false}})");
    }
    SECTION("from providerParams and defaults, with their precedence") {
        ProviderConfig q = v;
        q.provider_params = {{"enable_thinking", "false"}, {"temperature", "0.6"}};
        ModelConfig m;
        m.default_parameters = {{"enable_thinking", "true"}, {"chat_template_kwargs", R"({"thinking_budget":512})"}};
        CHECK(chat(with_messages(""), q, &m).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"temperature":0.6,"chat_template_kwargs":{"enable_thinking":false,"thinking_budget":512}})");
        // The request's own value beats both.
        CHECK(chat(with_messages("", R"(,"enable_thinking":true)"), q, &m).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"temperature":0.6,"chat_template_kwargs":{"enable_thinking":true,"thinking_budget":512}})");
    }
    SECTION("chat_template_kwargs without enable_thinking passes through") {
        ModelConfig m;
        m.default_parameters = {{"chat_template_kwargs", R"({"thinking_budget":512})"}};
        CHECK(chat(with_messages(""), v, &m).body ==
              R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"thinking_budget":512}})");
    }
    SECTION("a chat_template_kwargs that is not an object is an error") {
        const UpstreamRequest r =
            chat(with_messages("", R"(,"enable_thinking":true,"chat_template_kwargs":"x")"), v);
        CHECK(r.error == "chat_template_kwargs must be an object");
        CHECK(r.body.empty());
    }
    SECTION("other providers get enable_thinking at top level") {
        CHECK(chat(with_messages("", R"(,"enable_thinking":false)"), provider("alibaba", "qwen-plus")).body ==
              R"({"model":"qwen-plus","messages":[{"role":"user","content":"hi"}],"enable_thinking":false})");
    }
}

TEST_CASE("request validation", "[openai][body][validation]") {
    const ProviderConfig p = provider();
    struct Row {
        Endpoint endpoint;
        std::string body;
        std::string error;
    };
    const Row rows[] = {
        {Endpoint::chat_completions, "[1,2]", "request body must be a JSON object"},
        {Endpoint::chat_completions, R"("text")", "request body must be a JSON object"},
        {Endpoint::chat_completions, "null", "request body must be a JSON object"},
        {Endpoint::chat_completions, R"({"model":"x"})", "messages is required"},
        {Endpoint::chat_completions, R"({"messages":{}})", "messages must be an array"},
        {Endpoint::chat_completions, R"({"messages":null})", "messages must be an array"},
        {Endpoint::chat_completions, R"({"messages":[ ]})", "messages must contain at least one message"},
        {Endpoint::chat_completions, with_messages("", R"(,"stream":"yes")"), "stream must be a boolean"},
        {Endpoint::chat_completions, with_messages("", R"(,"stream":1)"), "stream must be a boolean"},
        {Endpoint::chat_completions, with_messages("") + " {}",
         "request body is not valid JSON: content after the top-level object"},
        {Endpoint::embeddings, R"({"model":"x"})", "input is required"},
        {Endpoint::embeddings, R"({"input":""})", "input must not be empty"},
        {Endpoint::embeddings, R"({"input":[]})", "input must not be empty"},
        {Endpoint::embeddings, R"({"input":5})", "input must be a string or an array"},
    };
    for (const Row& row : rows) {
        INFO(row.body);
        const UpstreamRequest r = build_request(row.endpoint, row.body, p, nullptr);
        CHECK(r.error == row.error);
        CHECK_FALSE(r.ok());
        CHECK(r.body.empty());
    }
    for (const std::string body : {"", "   ", "{", R"({"messages":[{"role":"user"})",
                                   R"({"messages":[{"role":"user","content":"hi"}])",
                                   R"({"a" 1})", "{\"messages\":[1]}\xff"}) {
        INFO(body);
        const UpstreamRequest r = chat(body, p);
        CHECK_FALSE(r.ok());
        CHECK(r.error.rfind("request body is not valid JSON", 0) == 0);
        CHECK(r.body.empty());
    }
}

TEST_CASE("request body: embeddings", "[openai][body][embeddings]") {
    ProviderConfig p = provider("openai", "text-embedding-3-large");
    p.provider_params = {{"temperature", "0.2"}};
    ModelConfig m;
    m.default_parameters = {{"max_tokens", "256"}};
    const std::string request = read_data("embeddings_request.json");
    const UpstreamRequest r = build_request(Endpoint::embeddings, request, p, &m);
    REQUIRE(r.ok());
    CHECK_FALSE(r.stream);
    CHECK(r.body ==
          R"({"model":"text-embedding-3-large","input":["The food was delicious","and the waiter..."],"encoding_format":"float","dimensions":512})");
    CHECK(build_request(Endpoint::embeddings, R"({"input":"hello","model":"x"})", p, nullptr).body ==
          R"({"input":"hello","model":"text-embedding-3-large"})");
}

TEST_CASE("request headers", "[openai][headers]") {
    ProviderConfig p = provider();
    p.headers = {{"OpenAI-Organization", "org-123"}, {"X-Title", "libswitch"}};
    CHECK(request_headers(p, "sk-test") ==
          std::vector<std::string>{"Content-Type: application/json", "Authorization: Bearer sk-test",
                                   "OpenAI-Organization: org-123", "X-Title: libswitch"});
    CHECK(request_headers(p, "") ==
          std::vector<std::string>{"Content-Type: application/json", "OpenAI-Organization: org-123",
                                   "X-Title: libswitch"});
    p.headers = {{"authorization", "Basic abc"}};
    CHECK(request_headers(p, "sk-test") ==
          std::vector<std::string>{"Content-Type: application/json", "authorization: Basic abc"});
}

TEST_CASE("chat response", "[openai][response]") {
    ChatResponse r;
    std::string error;
    REQUIRE(parse_chat_response(read_data("chat_response.json"), r, error));
    CHECK(r.model == "gpt-4o-mini-2024-07-18");
    CHECK(r.finish_reason == "stop");
    CHECK(r.content == "Hello! How can I assist you today? \xE2\x80\x94 \"ok\"");
    CHECK(r.has_usage);
    CHECK(r.usage.input_tokens == 19);
    CHECK(r.usage.output_tokens == 10);
    CHECK_FALSE(r.error.present);

    REQUIRE(parse_chat_response(read_data("chat_tool_calls_response.json"), r, error));
    CHECK(r.finish_reason == "tool_calls");
    CHECK(r.content.empty());
    CHECK(r.usage.input_tokens == 82);
    CHECK(r.usage.output_tokens == 17);

    SECTION("no usage") {
        REQUIRE(parse_chat_response(R"({"model":"m","choices":[{"message":{"content":"x"},"finish_reason":null}]})", r, error));
        CHECK_FALSE(r.has_usage);
        CHECK(r.usage.total() == 0);
        CHECK(r.finish_reason.empty());
        CHECK(r.content == "x");
    }
    SECTION("fields of an unexpected type are ignored, not fatal") {
        REQUIRE(parse_chat_response(R"({"model":5,"choices":[{"message":{"content":["part"]},"finish_reason":7}],"usage":null})", r, error));
        CHECK(r.model.empty());
        CHECK(r.content.empty());
        CHECK(r.finish_reason.empty());
        CHECK_FALSE(r.has_usage);
        REQUIRE(parse_chat_response(R"({"choices":null,"usage":{"prompt_tokens":"3","completion_tokens":4}})", r, error));
        CHECK(r.has_usage);
        CHECK(r.usage.input_tokens == 0);
        CHECK(r.usage.output_tokens == 4);
    }
    SECTION("an error object in a 200 body") {
        REQUIRE(parse_chat_response(R"({"error":{"message":"upstream failed","type":"server_error","code":null}})", r, error));
        CHECK(r.error.present);
        CHECK(r.error.message == "upstream failed");
    }
    SECTION("unparseable bodies") {
        for (const std::string body :
             {"", "<html>502</html>", "[]", R"({"choices":[)", R"({"model":"m"} trailing)",
              R"({"choices":[{"message":{"content":"x"}}]},)", R"({"choices":[1]})"}) {
            INFO(body);
            CHECK_FALSE(parse_chat_response(body, r, error));
            CHECK_FALSE(error.empty());
        }
    }
}

TEST_CASE("embeddings response", "[openai][response][embeddings]") {
    EmbeddingsResponse r;
    std::string error;
    REQUIRE(parse_embeddings_response(read_data("embeddings_response.json"), r, error));
    CHECK(r.model == "text-embedding-3-small");
    CHECK(r.has_usage);
    CHECK(r.usage.input_tokens == 9);
    CHECK(r.usage.output_tokens == 0);
    CHECK_FALSE(parse_embeddings_response("{", r, error));
}

TEST_CASE("error bodies", "[openai][errors]") {
    struct Row {
        std::string body;
        std::string type, code, message;
    };
    const Row rows[] = {
        {read_data("error_rate_limit.json"), "tokens", "rate_limit_exceeded",
         "Rate limit reached for gpt-4o-mini in organization org-abc on tokens per min (TPM): "
         "Limit 200000, Used 199532, Requested 1025. Please try again in 167ms. Visit "
         "https://platform.openai.com/account/rate-limits to learn more."},
        {read_data("error_context_length.json"), "invalid_request_error", "context_length_exceeded",
         "This model's maximum context length is 128000 tokens. However, your messages resulted "
         "in 130512 tokens. Please reduce the length of the messages."},
        {read_data("error_vllm_not_found.json"), "NotFoundError", "404",
         "The model `qwen3-8b` does not exist."},
        {R"({"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
         "invalid_request_error", "invalid_api_key", "Incorrect API key provided."},
        {R"({"error":{"message":"bad","type":"invalid_request_error","code":400}})",
         "invalid_request_error", "400", "bad"},
        {R"({"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}})",
         "server_error", "", "The server had an error"},
        {R"({"error":"model 'llama3' not found, try pulling it first"})", "", "",
         "model 'llama3' not found, try pulling it first"},
        {R"({"message":"Internal server error"})", "", "", "Internal server error"},
        {R"({"detail":"Not Found"})", "", "", "Not Found"},
        {R"({"detail":[{"loc":["body","messages"],"msg":"field required"}]})", "", "",
         R"([{"loc":["body","messages"],"msg":"field required"}])"},
        {R"([{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}])",
         "", "429", "Resource exhausted"},
        {"<html><body><h1>502 Bad Gateway</h1></body></html>\r\n", "", "",
         "<html><body><h1>502 Bad Gateway</h1></body></html>"},
        {"", "", "", ""},
    };
    for (const Row& row : rows) {
        INFO(row.body);
        sw::Outcome o;
        o.error_type = "stale";
        parse_error_body(row.body, o);
        CHECK(o.error_type == row.type);
        CHECK(o.error_code == row.code);
        CHECK(o.error_message == row.message);
    }
    SECTION("a long plain body is cut at 512 bytes, not inside a UTF-8 sequence") {
        std::string body(511, 'x');
        body += "\xC3\xA9 and more";
        sw::Outcome o;
        parse_error_body(body, o);
        CHECK(o.error_message == std::string(511, 'x'));
    }
}

TEST_CASE("stream chunks through the SSE parser", "[openai][stream]") {
    std::vector<StreamChunk> chunks;
    std::string error;
    bool ok = true;
    sw::transport::SseParser parser([&](std::string_view, std::string_view data) {
        StreamChunk c;
        ok = parse_stream_chunk(data, c, error) && ok;
        chunks.push_back(c);
    });
    parser.feed(read_data("chat_stream.txt"));
    CHECK_FALSE(parser.finish());
    REQUIRE(ok);
    REQUIRE(chunks.size() == 6);
    std::string text;
    for (const StreamChunk& c : chunks) text += c.content;
    CHECK(text == "Hello! \xC3\xA9\n");
    CHECK_FALSE(chunks[0].has_content);  // the role-only first chunk carries no content
    CHECK(chunks[0].model == "gpt-4o-mini-2024-07-18");
    CHECK(chunks[1].has_content);
    CHECK(chunks[2].has_content);
    CHECK_FALSE(chunks[3].has_content);
    CHECK(chunks[3].finish_reason == "stop");
    CHECK_FALSE(chunks[3].has_usage);
    CHECK(chunks[4].has_usage);
    CHECK(chunks[4].usage.input_tokens == 19);
    CHECK(chunks[4].usage.output_tokens == 3);
    CHECK_FALSE(chunks[4].done);
    CHECK(chunks[5].done);
}

TEST_CASE("stream chunks", "[openai][stream]") {
    StreamChunk c;
    std::string error;
    SECTION("tool calls are content") {
        REQUIRE(parse_stream_chunk(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})", c, error));
        CHECK(c.has_content);
        CHECK(c.content.empty());
        REQUIRE(parse_stream_chunk(R"({"choices":[{"index":0,"delta":{"tool_calls":null},"finish_reason":null}]})", c, error));
        CHECK_FALSE(c.has_content);
    }
    SECTION("reasoning text is content") {
        REQUIRE(parse_stream_chunk(R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me think"}}]})", c, error));
        CHECK(c.has_content);
        CHECK(c.content.empty());
    }
    SECTION("content of a second choice counts, only the first one's text is kept") {
        REQUIRE(parse_stream_chunk(R"({"choices":[{"index":0,"delta":{"content":""}},{"index":1,"delta":{"content":"b"},"finish_reason":"length"}]})", c, error));
        CHECK(c.has_content);
        CHECK(c.content.empty());
        CHECK(c.finish_reason.empty());
    }
    SECTION("usage-only chunks with null or missing choices (vLLM)") {
        REQUIRE(parse_stream_chunk(R"({"id":"x","choices":null,"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}})", c, error));
        CHECK(c.has_usage);
        CHECK(c.usage.total() == 12);
        REQUIRE(parse_stream_chunk(R"({"usage":{"prompt_tokens":1,"completion_tokens":2}})", c, error));
        CHECK(c.usage.output_tokens == 2);
    }
    SECTION("an error inside the stream") {
        REQUIRE(parse_stream_chunk(R"({"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}})", c, error));
        CHECK(c.error.present);
        CHECK(c.error.type == "server_error");
        CHECK(c.error.message == "The server had an error while processing your request.");
        sw::Outcome o;
        c.error.apply_to(o);
        CHECK(o.error_type == "server_error");
    }
    SECTION("[DONE], with or without whitespace") {
        REQUIRE(parse_stream_chunk("[DONE]", c, error));
        CHECK(c.done);
        REQUIRE(parse_stream_chunk(" [DONE]\n", c, error));
        CHECK(c.done);
    }
    SECTION("the struct is reset between chunks") {
        REQUIRE(parse_stream_chunk(R"({"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]})", c, error));
        REQUIRE(parse_stream_chunk(R"({"choices":[{"delta":{}}]})", c, error));
        CHECK(c.content.empty());
        CHECK(c.finish_reason.empty());
        CHECK_FALSE(c.has_content);
    }
    SECTION("malformed chunks are protocol errors") {
        for (const std::string data : {R"({"choices":[{"delta":{"content":"Hel)", "", "[DONE",
                                       "data: {}", R"({"choices":[{"delta":{}}]}})", "42"}) {
            INFO(data);
            CHECK_FALSE(parse_stream_chunk(data, c, error));
            CHECK_FALSE(error.empty());
        }
    }
}

TEST_CASE("rate-limit durations", "[openai][ratelimit]") {
    using sw::Millis;
    CHECK(parse_reset_duration("1s") == Millis(1000));
    CHECK(parse_reset_duration("6m0s") == Millis(360000));
    CHECK(parse_reset_duration("20ms") == Millis(20));
    CHECK(parse_reset_duration("1h2m3.5s") == Millis(3723500));
    CHECK(parse_reset_duration("7.66s") == Millis(7660));
    CHECK(parse_reset_duration("2m59.56s") == Millis(179560));
    CHECK(parse_reset_duration("0s") == Millis(0));
    CHECK(parse_reset_duration("250us") == Millis(1));  // rounded up
    CHECK(parse_reset_duration("1.5ms") == Millis(2));
    CHECK(parse_reset_duration("2") == Millis(2000));
    CHECK(parse_reset_duration(" 0.5 ") == Millis(500));
    for (const char* bad : {"", "s", "abc", "1x", "1m30", "-1s", "1 s", "1..2s", ".s"}) {
        INFO(bad);
        CHECK_FALSE(parse_reset_duration(bad).has_value());
    }
}

TEST_CASE("rate-limit headers, line by line", "[openai][ratelimit]") {
    RateLimitHeaders h;
    const char* lines[] = {
        "HTTP/2 429 \r\n",
        "date: Tue, 11 Mar 2025 10:00:00 GMT\r\n",
        "content-type: application/json\r\n",
        "x-ratelimit-limit-requests: 10000\r\n",
        "X-RateLimit-Limit-Tokens: 200000\r\n",
        "x-ratelimit-remaining-requests: 9999\r\n",
        "x-ratelimit-remaining-tokens: 0\r\n",
        "x-ratelimit-reset-requests: 8.64s\r\n",
        "x-ratelimit-reset-tokens: 1m30.2s\r\n",
        "Retry-After: 2\r\n",
        "retry-after-ms: 1500\r\n",
        "\r\n",
    };
    int recognised = 0;
    for (const char* line : lines) recognised += h.observe_header_line(line) ? 1 : 0;
    CHECK(recognised == 8);
    CHECK(h.limit_requests == 10000u);
    CHECK(h.limit_tokens == 200000u);
    CHECK(h.remaining_requests == 9999u);
    CHECK(h.remaining_tokens == 0u);
    CHECK(h.reset_requests == sw::Millis(8640));
    CHECK(h.reset_tokens == sw::Millis(90200));
    CHECK(h.retry_after == "2");
    CHECK(h.retry_after_ms == "1500");

    sw::Outcome o;
    h.apply_to(o);
    CHECK(o.retry_after == "2");
    CHECK(o.retry_after_ms == "1500");
    CHECK(sw::retry_after(o) == std::chrono::milliseconds(1500));

    SECTION("unparseable values leave the field unset") {
        CHECK(h.observe_header("x-ratelimit-remaining-tokens", "lots"));
        CHECK_FALSE(h.remaining_tokens.has_value());
        CHECK(h.observe_header("x-ratelimit-reset-tokens", "soon"));
        CHECK_FALSE(h.reset_tokens.has_value());
    }
    SECTION("clear") {
        h.clear();
        CHECK(h.retry_after.empty());
        CHECK_FALSE(h.limit_requests.has_value());
    }
}

TEST_CASE("every truncation of a recorded body is refused", "[openai][truncation]") {
    // A body cut short anywhere must never be taken for a whole one: a truncated response is
    // a protocol error, and a truncated request must not be sent upstream.
    const ProviderConfig p = provider();
    std::string error;
    const std::string request = chomp(read_data("chat_request.json"));
    for (std::size_t n = 0; n < request.size(); ++n) {
        const UpstreamRequest r = chat(std::string_view(request).substr(0, n), p);
        if (r.ok()) FAIL("request prefix of " << n << " bytes accepted");
    }
    const std::string response = chomp(read_data("chat_response.json"));
    ChatResponse out;
    for (std::size_t n = 0; n < response.size(); ++n) {
        if (parse_chat_response(std::string_view(response).substr(0, n), out, error)) {
            FAIL("response prefix of " << n << " bytes accepted");
        }
    }
    const std::string chunk =
        R"({"id":"c","choices":[{"index":0,"delta":{"content":"Hi \"there\""},"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":2}})";
    StreamChunk c;
    for (std::size_t n = 0; n < chunk.size(); ++n) {
        if (parse_stream_chunk(std::string_view(chunk).substr(0, n), c, error)) {
            FAIL("chunk prefix of " << n << " bytes accepted");
        }
    }
    CHECK(parse_stream_chunk(chunk, c, error));
    CHECK(parse_chat_response(response, out, error));
    CHECK(chat(request, p).ok());
}
