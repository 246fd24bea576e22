// bedrock_response.cpp — Converse answers as OpenAI chat completions; Bedrock errors as OpenAI codes.
#include "providers/bedrock_converse.hpp"

#include "common/json_writer.hpp"
#include "providers/openai_compat.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <chrono>
#include <random>

namespace sw::providers::bedrock {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

bool contains_ci(std::string_view hay, std::string_view needle) noexcept {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

// How Bedrock words "the prompt does not fit" across its model families.
constexpr std::string_view kContextPhrases[] = {"input is too long",  "too many input tokens", "prompt is too long",
                                                "context length",     "context window",        "input length",
                                                "exceeds the maximum"};

// How a model's own content filter words a refusal (Anthropic's models on Bedrock).
constexpr std::string_view kContentFilterPhrases[] = {"content filtering policy", "blocked by content filter"};

// The exception Bedrock documents for a status, for error bodies without __type. 429 is
// ThrottlingException unless the message says the model is not ready; 400 is
// ValidationException unless it is about a service quota.
std::string_view exception_for(int status, std::string_view message) {
    switch (status) {
        case 400: return contains_ci(message, "quota") ? "ServiceQuotaExceededException" : "ValidationException";
        case 403: return "AccessDeniedException";
        case 404: return "ResourceNotFoundException";
        case 408: return "ModelTimeoutException";
        case 424: return "ModelErrorException";
        case 429: return contains_ci(message, "not ready") ? "ModelNotReadyException" : "ThrottlingException";
        case 500: return "InternalServerException";
        case 503: return "ServiceUnavailableException";
        default: return {};
    }
}

// "com.amazon.bedrock#ThrottlingException:http://..." or "throttlingException" as
// "ThrottlingException".
std::string exception_name(std::string_view raw) {
    if (const std::size_t hash = raw.rfind('#'); hash != std::string_view::npos) raw.remove_prefix(hash + 1);
    raw = raw.substr(0, raw.find(':'));
    std::string name(raw);
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name;
}

}  // namespace

bool read_converse_usage(element usage, TokenUsage& out) {
    std::uint64_t n = 0;
    if (!usage.is_object()) return false;
    out = {};
    if (!usage["inputTokens"].get(n)) out.input_tokens = n;
    if (!usage["outputTokens"].get(n)) out.output_tokens = n;
    return true;
}

void write_openai_usage(JsonWriter& w, const TokenUsage& usage) {
    w.key("usage").begin_object();
    w.key("prompt_tokens").integer(static_cast<std::int64_t>(usage.input_tokens));
    w.key("completion_tokens").integer(static_cast<std::int64_t>(usage.output_tokens));
    w.key("total_tokens").integer(static_cast<std::int64_t>(usage.total()));
    w.end_object();
}

std::string_view finish_reason_of(std::string_view stop_reason) noexcept {
    if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "content_filtered" || stop_reason == "guardrail_intervened") return "content_filter";
    return stop_reason;  // a newer reason, passed on rather than guessed
}

std::string new_completion_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("chatcmpl-bedrock-{:016x}{:08x}", rng(), static_cast<std::uint32_t>(rng()));
}

void map_error(int http_status, std::string_view exception, std::string_view body, std::string& error_type,
               std::string& error_code, std::string& error_message) {
    // {"message": ...} is what Bedrock sends; the shared reader also takes plain text.
    Outcome base;
    parse_error_body(body, base);
    error_message = std::move(base.error_message);
    std::string type(exception);
    thread_local simdjson::dom::parser parser;
    element doc;
    if (!parser.parse(body.data(), body.size()).get(doc) && doc.is_object()) {
        std::string_view s;
        if (error_message.empty() && !doc["Message"].get(s)) error_message.assign(s);
        if (type.empty() && !doc["__type"].get(s)) type.assign(s);
    }
    type = type.empty() ? std::string(exception_for(http_status, error_message)) : exception_name(type);
    error_type = type;
    error_code.clear();
    if (type == "ValidationException") {
        for (std::string_view phrase : kContextPhrases)
            if (contains_ci(error_message, phrase)) error_code = "context_length_exceeded";
        for (std::string_view phrase : kContentFilterPhrases)
            if (contains_ci(error_message, phrase)) error_code = "content_filter";
    } else if (type == "ThrottlingException" || type == "ServiceQuotaExceededException") {
        error_code = "rate_limit_exceeded";
    } else if (type == "ResourceNotFoundException") {
        error_code = "model_not_found";
    }
}

ParsedResponse parse_converse_response(int http_status, std::string_view body, std::string_view model) {
    ParsedResponse out;
    if (http_status < 200 || http_status >= 300) {
        map_error(http_status, {}, body, out.error_type, out.error_code, out.error_message);
        return out;
    }
    thread_local simdjson::dom::parser parser;
    element doc;
    array content;
    if (parser.parse(body.data(), body.size()).get(doc) || doc["output"]["message"]["content"].get(content)) {
        return out;  // not a Converse answer: a protocol error
    }
    std::string reasoning;
    JsonWriter calls;
    calls.begin_array();
    bool has_calls = false;
    for (element block : content) {
        std::string_view text;
        element tool;
        if (!block["text"].get(text)) {
            out.text.append(text);
        } else if (!block["toolUse"].get(tool)) {
            std::string_view id, name;
            element input;
            if (tool["toolUseId"].get(id) || tool["name"].get(name) || tool["input"].get(input)) return out;
            calls.begin_object().key("id").string(id).key("type").string("function");
            calls.key("function").begin_object().key("name").string(name).key("arguments").string(simdjson::minify(input));
            calls.end_object().end_object();
            has_calls = true;
        } else if (!block["reasoningContent"]["reasoningText"]["text"].get(text)) {
            reasoning.append(text);
        }
        // Other blocks (citations, images, guard content) have no OpenAI counterpart.
    }
    calls.end_array();
    std::string_view stop_reason;
    if (!doc["stopReason"].get(stop_reason)) out.finish_reason = std::string(finish_reason_of(stop_reason));
    element usage;
    if (!doc["usage"].get(usage)) read_converse_usage(usage, out.usage);

    JsonWriter w;
    w.begin_object().key("id").string(new_completion_id()).key("object").string("chat.completion");
    w.key("created").integer(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
    w.key("model").string(model);
    w.key("choices").begin_array().begin_object().key("index").integer(0);
    w.key("message").begin_object().key("role").string("assistant").key("content");
    if (out.text.empty() && has_calls) w.null();
    else w.string(out.text);
    if (!reasoning.empty()) w.key("reasoning_content").string(reasoning);
    if (has_calls) w.key("tool_calls").raw(calls.str());
    w.end_object();
    w.key("finish_reason");
    if (out.finish_reason.empty()) w.null();
    else w.string(out.finish_reason);
    w.end_object().end_array();
    write_openai_usage(w, out.usage);
    w.end_object();
    out.body = w.take();
    out.parsed = true;
    return out;
}

}  // namespace sw::providers::bedrock
