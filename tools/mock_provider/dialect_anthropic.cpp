// dialect_anthropic.cpp — Anthropic's Messages API (POST /v1/messages): answers, SSE events,
// errors in Anthropic's shape, and the header and body checks the real API makes first.
#include "dialect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace mock {

namespace {

// The input of the tool_call scenario's call, as the OpenAI dialect gives its arguments.
constexpr std::string_view kToolInput = R"({"query":"mock"})";

std::string anthropic_error_body(std::string_view type, std::string_view message) {
    std::string out = R"({"type":"error","error":{"type":)";
    append_json_string(out, type);
    out += R"(,"message":)";
    append_json_string(out, message);
    out += "}}";
    return out;
}

// Anthropic's type and message for an HTTP status.
std::pair<std::string_view, std::string_view> status_error(int status) {
    switch (status) {
        case 400: return {"invalid_request_error", "Bad request (mock)."};
        case 401: return {"authentication_error", "invalid x-api-key (mock)"};
        case 402: return {"billing_error", "Billing error (mock)."};
        case 403: return {"permission_error", "Your API key does not have permission to use the specified resource (mock)."};
        case 404: return {"not_found_error", "model: not found (mock)"};
        case 413: return {"request_too_large", "Request exceeds the maximum allowed number of bytes (mock)."};
        case 429: return {"rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit (mock)."};
        case 529: return {"overloaded_error", "Overloaded"};
        default: break;
    }
    if (status >= 500) return {"api_error", "Internal server error (mock)."};
    return {"invalid_request_error", "Request error (mock)."};
}

void append_event(std::string& out, std::string_view type, std::string_view data, std::string_view eol) {
    out.append("event: ").append(type).append(eol).append("data: ").append(data).append(eol).append(eol);
}

// The message up to its content array, which is left open.
void append_message_head(std::string& out, const Completion& c) {
    fmt::format_to(std::back_inserter(out), R"({{"id":"msg_mock_{}","type":"message","role":"assistant","model":)", c.n);
    append_json_string(out, c.model);
    out += R"(,"content":[)";
}

void append_message(std::string& out, const Completion& c, std::int64_t output_tokens) {
    append_message_head(out, c);
    out += R"({"type":"text","text":)";
    std::string text = "Hello from the mock (";
    text.append(c.model).append(").");
    append_json_string(out, text);
    out += "}";
    if (!c.tool_call.empty()) {
        fmt::format_to(std::back_inserter(out), R"(,{{"type":"tool_use","id":"toolu_mock_{}","name":)", c.n);
        append_json_string(out, c.tool_call);
        out.append(R"(,"input":)").append(kToolInput).append("}");
    }
    fmt::format_to(std::back_inserter(out),
                   R"(],"stop_reason":"{}","stop_sequence":null,"usage":{{"input_tokens":{},"output_tokens":{}}}}})",
                   c.tool_call.empty() ? "end_turn" : "tool_use", c.prompt_tokens, output_tokens);
}

std::string input_json_delta(int index, std::string_view fragment) {
    std::string data = fmt::format(R"({{"type":"content_block_delta","index":{},"delta":{{"type":"input_json_delta","partial_json":)",
                                   index);
    append_json_string(data, fragment);
    return data + "}}";
}

// The Messages API's top-level members: any other is refused, as the real API does, so a
// test proves that the adapter sent nothing of OpenAI's.
constexpr std::string_view kMembers[] = {"model",  "messages",    "max_tokens", "system",      "metadata",
                                         "stop_sequences", "stream", "temperature", "top_p", "top_k",
                                         "tools",  "tool_choice", "thinking",   "service_tier"};

// Why the real API would refuse the request with a 400, or "".
std::string request_problem(const IncomingRequest& request) {
    std::size_t versions = 0;
    const auto version = find_header(request.headers, "anthropic-version", &versions);
    if (!version) return "anthropic-version: header is required";
    if (versions > 1 || version->find(',') != std::string_view::npos)
        return fmt::format("anthropic-version: \"{}\" is not a valid version", *version);
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object body;
    if (parser.parse(request.body.data(), request.body.size()).get_object().get(body)) return {};  // the handler answers
    if (body["max_tokens"].error()) return "max_tokens: Field required";
    for (auto [member, value] : body) {
        (void)value;
        if (std::find(std::begin(kMembers), std::end(kMembers), member) == std::end(kMembers))
            return fmt::format("{}: Extra inputs are not permitted", member);
    }
    simdjson::dom::array messages;
    if (body["messages"].get_array().get(messages)) return {};
    for (simdjson::dom::element m : messages) {
        std::string_view role;
        if (!m["role"].get_string().get(role) && role != "user" && role != "assistant")
            return fmt::format("messages: Unexpected role \"{}\". The Messages API accepts a top-level `system` "
                               "parameter, not \"system\" as an input message role.",
                               role);
    }
    return {};
}

class AnthropicDialect final : public Dialect {
public:
    std::string_view name() const override { return "anthropic"; }

    bool match(std::string_view path, std::string_view, RouteMatch&) const override { return path == "/v1/messages"; }

    // What the real API refuses before anything else, so that tests prove the adapter sends the
    // key, one version, and a body with nothing of OpenAI's in it.
    bool authorize(const IncomingRequest& request, Reply& r) const override {
        const auto key = find_header(request.headers, "x-api-key");
        if (!key || key->empty()) {
            r.status = 401;
            r.body = anthropic_error_body("authentication_error", "x-api-key header is required");
            return false;
        }
        std::string message = request_problem(request);
        if (message.empty()) return true;
        r.status = 400;  // the real API's answer to a missing version too, not a 401
        r.body = anthropic_error_body("invalid_request_error", message);
        return false;
    }

    void error_reply(const ScriptedError& e, Reply& r) const override {
        std::pair<std::string_view, std::string_view> kind = status_error(e.status);
        r.status = e.status;
        switch (e.fault) {
            case Fault::redirect: kind = {"redirect", "Moved (mock)."}; break;
            case Fault::context_length:
                kind = {"invalid_request_error", "prompt is too long: 9000 tokens > 8192 maximum"};
                break;
            case Fault::content_policy:
                kind = {"invalid_request_error", "Output blocked by content filtering policy"};
                break;
            case Fault::quota:
                // Anthropic reports an empty prepaid balance as a 400, not a 429.
                r.status = 400;
                kind = {"invalid_request_error",
                        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
                        "upgrade or purchase credits."};
                break;
            case Fault::status: break;
        }
        r.body = anthropic_error_body(e.type.empty() ? kind.first : e.type, e.message.empty() ? kind.second : e.message);
    }

    void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const override {
        append_message(out, c, completion_tokens);
    }

    void append_stream_open(std::string& out, const Completion& c, std::string_view eol) const override {
        // A streamed message starts empty, without a stop reason.
        std::string start = R"({"type":"message_start","message":)";
        append_message_head(start, c);
        fmt::format_to(std::back_inserter(start),
                       R"(],"stop_reason":null,"stop_sequence":null,"usage":{{"input_tokens":{},"output_tokens":1}}}}}})",
                       c.prompt_tokens);
        append_event(out, "message_start", start, eol);
        append_event(out, "content_block_start",
                     R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})", eol);
        append_event(out, "ping", R"({"type": "ping"})", eol);
    }

    void append_stream_chunk(std::string& out, const Completion&, std::int64_t index, bool malformed,
                             std::string_view eol) const override {
        if (malformed) {
            // Cut inside the delta: a parser must reject this event, not guess.
            append_event(out, "content_block_delta",
                         R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok)", eol);
            return;
        }
        append_event(out, "content_block_delta",
                     fmt::format(R"({{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"tok{} "}}}})",
                                 index),
                     eol);
    }

    void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens, bool end_marker,
                             std::string_view eol) const override {
        append_event(out, "content_block_stop", R"({"type":"content_block_stop","index":0})", eol);
        if (!c.tool_call.empty()) {
            // The tool call as a second block, its input cut in two as a model streams it.
            std::string start = fmt::format(
                R"({{"type":"content_block_start","index":1,"content_block":{{"type":"tool_use","id":"toolu_mock_{}","name":)", c.n);
            append_json_string(start, c.tool_call);
            append_event(out, "content_block_start", start + R"(,"input":{}}})", eol);
            append_event(out, "content_block_delta", input_json_delta(1, kToolInput.substr(0, 9)), eol);
            append_event(out, "content_block_delta", input_json_delta(1, kToolInput.substr(9)), eol);
            append_event(out, "content_block_stop", R"({"type":"content_block_stop","index":1})", eol);
        }
        append_event(out, "message_delta",
                     fmt::format(R"({{"type":"message_delta","delta":{{"stop_reason":"{}","stop_sequence":null}},)"
                                 R"("usage":{{"output_tokens":{}}}}})",
                                 c.tool_call.empty() ? "end_turn" : "tool_use", completion_tokens),
                     eol);
        if (end_marker) append_event(out, "message_stop", R"({"type":"message_stop"})", eol);
    }

    void append_stream_error(std::string& out, const Completion&, const ScriptedError& e,
                             std::string_view eol) const override {
        append_event(out, "error",
                     anthropic_error_body(e.type.empty() ? "overloaded_error" : e.type,
                                          e.message.empty() ? "Overloaded" : e.message),
                     eol);
    }
};

}  // namespace

const Dialect& anthropic_dialect() {
    static const AnthropicDialect dialect;
    return dialect;
}

}  // namespace mock
