// anthropic_response.cpp — Anthropic Messages answers and error bodies in OpenAI's form.
#include "providers/anthropic/anthropic.hpp"

#include "providers/openai/openai_compat.hpp"

#include <algorithm>
#include <utility>

namespace sw::providers::anthropic {

namespace {

using simdjson::dom::element;

bool contains_ci(std::string_view hay, std::string_view needle) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

}  // namespace

std::string_view string_member(element e, const char* key) {
    std::string_view s;
    if (e[key].get_string().get(s)) return {};
    return s;
}

std::string_view finish_reason_for(std::string_view stop_reason) {
    if (stop_reason == "end_turn" || stop_reason == "stop_sequence" || stop_reason == "pause_turn") return "stop";
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "refusal") return "content_filter";
    return stop_reason;
}

void Usage::update(element usage) {
    auto take = [&](const char* key, std::uint64_t& field) {
        std::uint64_t n = 0;
        if (!usage[key].get_uint64().get(n)) field = n;
    };
    take("input_tokens", input);
    take("output_tokens", output);
    take("cache_creation_input_tokens", cache_creation);
    take("cache_read_input_tokens", cache_read);
}

OpenAiUsage Usage::openai() const {
    OpenAiUsage u;
    u.tokens.input_tokens = input + cache_creation + cache_read;
    u.tokens.output_tokens = output;
    u.cached_tokens = cache_read;
    return u;
}

void map_error(std::string_view message, std::string_view detail_code, std::string& code) {
    if (!detail_code.empty()) code = detail_code;
    // Both of Anthropic's wordings for a prompt that does not fit: "prompt is too long: N tokens
    // > M maximum", and "input length and `max_tokens` exceed context limit: ...".
    if (contains_ci(message, "prompt is too long") || contains_ci(message, "exceed context limit"))
        code = "context_length_exceeded";
    // Anthropic's safety filter answers with a plain invalid_request_error.
    else if (contains_ci(message, "content filtering policy"))
        code = "content_filter";
    // A spend limit is a 429 rate_limit_error that no wait cures; a low balance is a 400.
    else if (contains_ci(detail_code, "spend_limit") || contains_ci(message, "credit balance is too low"))
        code = "insufficient_quota";
}

int status_for_error_type(std::string_view type) {
    static constexpr std::pair<std::string_view, int> kStatuses[] = {
        {"invalid_request_error", 400}, {"authentication_error", 401}, {"billing_error", 402},
        {"permission_error", 403},      {"not_found_error", 404},      {"request_too_large", 413},
        {"rate_limit_error", 429},      {"api_error", 500},            {"overloaded_error", 529}};
    for (const auto& [name, status] : kStatuses)
        if (type == name) return status;
    return 0;
}

void read_error_object(element error, std::string& type, std::string& code, std::string& message) {
    type = string_member(error, "type");
    message = string_member(error, "message");
    std::string_view detail;
    if (error["details"]["error_code"].get_string().get(detail)) detail = {};
    code.clear();
    map_error(message, detail, code);
}

ParsedResponse parse_messages_response(int http_status, std::string_view body, std::int64_t created) {
    ParsedResponse out;
    thread_local simdjson::dom::parser parser;
    element root;
    const bool is_object = !parser.parse(body.data(), body.size()).get(root) && root.is_object();
    element error;
    if (is_object && !root["error"].get(error) && error.is_object()) {
        // {"type":"error","error":{...}}, whatever the status: a 2xx with an error is no answer,
        // and is classified as the status Anthropic gives its type.
        read_error_object(error, out.error_type, out.error_code, out.error_message);
        if (http_status >= 200 && http_status < 300) out.error_status = status_for_error_type(out.error_type);
        return out;
    }
    if (http_status < 200 || http_status >= 300) {
        // Not Anthropic's shape (a proxy's page, a gateway's JSON): the shared reader keeps what
        // it can, and the classifier falls back on the status.
        Outcome outcome;
        parse_error_body(body, outcome);
        out.error_type = std::move(outcome.error_type);
        out.error_message = std::move(outcome.error_message);
        map_error(out.error_message, {}, outcome.error_code);
        out.error_code = std::move(outcome.error_code);
        return out;
    }
    simdjson::dom::array content;
    if (!is_object || root["content"].get_array().get(content)) return out;  // not a Messages answer

    std::string reasoning;
    std::vector<std::string> arguments;  // the calls' input as JSON text, which the calls below view
    std::vector<OpenAiToolCall> calls;
    for (element block : content) {
        const std::string_view type = string_member(block, "type");
        if (type == "text") {
            out.text += string_member(block, "text");
        } else if (type == "tool_use") {
            element input;
            arguments.push_back(block["input"].get(input) ? "{}" : simdjson::minify(input));
            calls.push_back(OpenAiToolCall{0, string_member(block, "id"), string_member(block, "name"), {}});
        } else if (type == "thinking") {
            reasoning += string_member(block, "thinking");
        }
        // Other blocks (redacted_thinking, server tool results) have no OpenAI form: dropped.
    }
    for (std::size_t i = 0; i < calls.size(); ++i) calls[i].arguments = arguments[i];
    out.finish_reason = finish_reason_for(string_member(root, "stop_reason"));
    OpenAiChoice choice;
    choice.content = message_content(out.text, !calls.empty());
    choice.reasoning = reasoning;
    choice.tool_calls = calls;
    choice.finish_reason = out.finish_reason;
    std::optional<OpenAiUsage> openai_usage;
    element usage_object;
    if (!root["usage"].get(usage_object)) {
        Usage usage;
        usage.update(usage_object);
        openai_usage = usage.openai();
        out.usage = openai_usage->tokens;
    }
    const OpenAiHead head{string_member(root, "id"), created, string_member(root, "model")};
    out.body = write_chat_completion(head, {&choice, 1}, openai_usage);
    out.parsed = true;
    return out;
}

}  // namespace sw::providers::anthropic
