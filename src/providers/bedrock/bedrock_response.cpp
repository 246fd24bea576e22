// bedrock_response.cpp — Converse answers as OpenAI chat completions; Bedrock errors as OpenAI codes.
#include "providers/bedrock/bedrock_converse.hpp"

#include "providers/openai/openai_compat.hpp"
#include "providers/openai_output.hpp"

#include <simdjson.h>

#include <vector>

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

std::string_view finish_reason_of(std::string_view stop_reason) noexcept {
    if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "content_filtered" || stop_reason == "guardrail_intervened") return "content_filter";
    return stop_reason;  // a newer reason, passed on rather than guessed
}

std::string completion_id(const ResponseStamp& stamp) { return stamp.id("chatcmpl-bedrock-"); }

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

ParsedResponse parse_converse_response(int http_status, std::string_view body, std::string_view model,
                                       const ResponseStamp& stamp) {
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
    std::vector<std::string> arguments;  // the calls' input as JSON text, which the calls below view
    std::vector<OpenAiToolCall> calls;
    for (element block : content) {
        std::string_view text;
        element tool;
        if (!block["text"].get(text)) {
            out.text.append(text);
        } else if (!block["toolUse"].get(tool)) {
            std::string_view id, name;
            element input;
            if (tool["toolUseId"].get(id) || tool["name"].get(name) || tool["input"].get(input)) return out;
            arguments.push_back(simdjson::minify(input));
            calls.push_back(OpenAiToolCall{0, id, name, {}});
        } else if (!block["reasoningContent"]["reasoningText"]["text"].get(text)) {
            reasoning.append(text);
        }
        // Other blocks (citations, images, guard content) have no OpenAI counterpart.
    }
    for (std::size_t i = 0; i < calls.size(); ++i) calls[i].arguments = arguments[i];
    std::string_view stop_reason;
    if (!doc["stopReason"].get(stop_reason)) out.finish_reason = std::string(finish_reason_of(stop_reason));
    element usage;
    if (!doc["usage"].get(usage)) read_converse_usage(usage, out.usage);

    const std::string id = completion_id(stamp);
    OpenAiChoice choice;
    choice.content = message_content(out.text, !calls.empty());
    choice.reasoning = reasoning;
    choice.tool_calls = calls;
    choice.finish_reason = out.finish_reason;
    out.body = write_chat_completion(OpenAiHead{id, stamp.created, model}, {&choice, 1}, OpenAiUsage{out.usage});
    out.parsed = true;
    return out;
}

}  // namespace sw::providers::bedrock
