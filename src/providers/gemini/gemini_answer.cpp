// gemini_answer.cpp — reading Gemini's answers and errors: candidates, usage, blocked prompts
// and Google's error objects, shared by whole responses and streams.
#include "providers/gemini/gemini_detail.hpp"

#include "common/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sw::providers::gemini::detail {

namespace {

// Google error messages are short; a proxy's HTML page is not, and is cut.
constexpr std::size_t kMaxMessageBytes = 512;

bool contains_ci(std::string_view hay, std::string_view needle) {
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

// The HTTP status Google's API gateway gives each canonical error status.
int status_of(std::string_view status) {
    static constexpr std::array<std::pair<std::string_view, int>, 16> kStatuses{{
        {"INVALID_ARGUMENT", 400}, {"FAILED_PRECONDITION", 400}, {"OUT_OF_RANGE", 400},
        {"UNAUTHENTICATED", 401},  {"PERMISSION_DENIED", 403},   {"NOT_FOUND", 404},
        {"ABORTED", 409},          {"ALREADY_EXISTS", 409},      {"RESOURCE_EXHAUSTED", 429},
        {"CANCELLED", 499},        {"INTERNAL", 500},            {"UNKNOWN", 500},
        {"DATA_LOSS", 500},        {"UNIMPLEMENTED", 501},       {"UNAVAILABLE", 503},
        {"DEADLINE_EXCEEDED", 504},
    }};
    for (const auto& [name, code] : kStatuses)
        if (name == status) return code;
    return 500;
}

void read_part(Element part, Candidate& c) {
    bool thought = false;
    if (!part["thought"].get(thought) && thought) return;  // the model's reasoning, not its answer
    std::string_view text;
    if (!part["text"].get(text)) {
        c.text += text;
        return;
    }
    Element call;
    if (part["functionCall"].get(call)) return;
    ToolCall tool;
    std::string_view s;
    if (!call["name"].get(s)) tool.name = s;
    if (!call["id"].get(s)) tool.id = s;
    Element args;
    tool.arguments = call["args"].get(args) || args.is_null() ? "{}" : minified(args);
    c.tool_calls.push_back(std::move(tool));
}

void read_candidate(Element value, std::int64_t position, Answer& out) {
    Candidate c;
    c.index = position;
    std::int64_t index = 0;
    if (!value["index"].get(index)) c.index = index;
    simdjson::dom::array parts;
    if (!value["content"]["parts"].get(parts))
        for (Element part : parts) read_part(part, c);
    std::string_view finish;
    if (!value["finishReason"].get(finish)) c.finish_reason = finish;
    out.candidates.push_back(std::move(c));
}

void read_usage(Element value, Answer& out) {
    auto count = [&](const char* name) {
        std::uint64_t n = 0;
        return value[name].get(n) ? std::uint64_t{0} : n;
    };
    out.has_usage = true;
    // Tool-use prompts are read like the prompt, and thoughts are generated like the answer.
    out.usage.input_tokens = count("promptTokenCount") + count("toolUsePromptTokenCount");
    out.reasoning_tokens = static_cast<std::int64_t>(count("thoughtsTokenCount"));
    out.usage.output_tokens = count("candidatesTokenCount") + static_cast<std::uint64_t>(out.reasoning_tokens);
    out.cached_tokens = static_cast<std::int64_t>(count("cachedContentTokenCount"));
}

}  // namespace

bool parse_value(std::string_view json, int slot, Element& out, std::string& error) {
    // The DOM copies what it keeps, so the padded input can go once parsed.
    thread_local simdjson::dom::parser parsers[2];
    if (auto err = parsers[slot].parse(json.data(), json.size(), true).get(out)) {
        error = fmt::format("not valid JSON: {}", simdjson::error_message(err));
        return false;
    }
    return true;
}

bool parse_object(std::string_view json, int slot, simdjson::dom::object& out, std::string& error) {
    Element root;
    if (!parse_value(json, slot, root, error)) return false;
    if (root.get(out)) {
        error = "not a JSON object";
        return false;
    }
    return true;
}

std::string quoted(std::string_view name) { return quote(name); }

bool read_answer(std::string_view json, Answer& out) {
    simdjson::dom::object root;
    std::string ignored;
    if (!parse_object(json, 0, root, ignored)) return false;
    for (auto [key, value] : root) {
        std::string_view s;
        if (key == "candidates") {
            simdjson::dom::array list;
            if (value.get(list)) return false;
            std::int64_t position = 0;
            for (Element c : list) read_candidate(c, position++, out);
        } else if (key == "usageMetadata") {
            read_usage(value, out);
        } else if (key == "modelVersion" && !value.get(s)) {
            out.model = s;
        } else if (key == "responseId" && !value.get(s)) {
            out.response_id = s;
        } else if (key == "promptFeedback") {
            if (!value["blockReason"].get(s)) out.block_reason = s;
            if (!value["blockReasonMessage"].get(s)) out.block_message = s;
        } else if (key == "error") {
            out.has_error = true;
        }
    }
    return true;
}

OpenAiUsage openai_usage(const Answer& answer) {
    auto count = [](std::int64_t n) { return n > 0 ? static_cast<std::uint64_t>(n) : 0; };
    return OpenAiUsage{answer.usage, count(answer.cached_tokens), count(answer.reasoning_tokens)};
}

Blocked blocked_prompt(const Answer& answer) {
    Blocked b;
    b.message = fmt::format("Gemini blocked the prompt ({})", answer.block_reason);
    if (!answer.block_message.empty()) b.message += ": " + answer.block_message;
    return b;
}

int read_error_object(Element error, std::string& type, std::string& code, std::string& message) {
    std::int64_t number = 0;
    std::string_view status, text;
    if (error["code"].get(number)) number = 0;
    if (error["status"].get(status)) status = {};
    if (!error["message"].get(text)) message.assign(text.substr(0, kMaxMessageBytes));
    bool key_invalid = false, per_day = false;
    simdjson::dom::array details;
    if (!error["details"].get(details)) {
        for (Element detail : details) {
            std::string_view reason;
            if (!detail["reason"].get(reason) && reason == "API_KEY_INVALID") key_invalid = true;
            simdjson::dom::array violations;
            if (detail["violations"].get(violations)) continue;
            for (Element v : violations) {
                std::string_view quota;
                if (!v["quotaId"].get(quota) && contains_ci(quota, "PerDay")) per_day = true;
            }
        }
    }
    const int http = number >= 100 && number <= 599 ? static_cast<int>(number) : status_of(status);
    if (http == 429 || status == "RESOURCE_EXHAUSTED") {
        // A daily quota does not come back within any request's deadline: quota, not a rate limit.
        type = per_day ? "insufficient_quota" : "rate_limit_error";
        code = per_day ? "insufficient_quota" : "rate_limit_exceeded";
    } else if (key_invalid || contains_ci(message, "API key not valid")) {
        type = "authentication_error";
        code = "invalid_api_key";
    } else if (http == 400 && (contains_ci(message, "exceeds the maximum number of tokens") ||
                               contains_ci(message, "input token count"))) {
        type = "invalid_request_error";
        code = "context_length_exceeded";
    } else {
        type = http >= 500 ? "server_error" : "invalid_request_error";
        code.clear();
        for (char ch : status) code += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return http;
}

}  // namespace sw::providers::gemini::detail
