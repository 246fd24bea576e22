// gemini_response.cpp — a whole generateContent answer, and Google's error bodies, in OpenAI form.
#include "providers/gemini/gemini.hpp"
#include "providers/gemini/gemini_detail.hpp"
#include "providers/openai/openai_compat.hpp"
#include "providers/openai_output.hpp"

#include <vector>

namespace sw::providers::gemini {

namespace {

// Gemini names calls only in newer versions; a position-based id is stable, and the request
// translation maps it back to the function's name.
std::string call_id(const detail::ToolCall& call, std::size_t k) {
    return call.id.empty() ? "call_" + std::to_string(k) : call.id;
}

std::string chat_completion(const detail::Answer& answer, std::int64_t created) {
    // The calls' ids first, so that the views below stay valid.
    std::vector<std::string> ids;
    for (const detail::Candidate& c : answer.candidates)
        for (std::size_t k = 0; k < c.tool_calls.size(); ++k) ids.push_back(call_id(c.tool_calls[k], k));
    std::vector<OpenAiToolCall> calls;
    calls.reserve(ids.size());
    std::vector<OpenAiChoice> choices;
    choices.reserve(answer.candidates.size());
    for (const detail::Candidate& c : answer.candidates) {
        const std::size_t first = calls.size();
        for (const detail::ToolCall& call : c.tool_calls)
            calls.push_back(OpenAiToolCall{0, ids[calls.size()], call.name, call.arguments});
        OpenAiChoice choice;
        choice.index = c.index;
        choice.content = unless_empty(c.text);
        choice.tool_calls = std::span<const OpenAiToolCall>(calls).subspan(first);
        choice.finish_reason = finish_reason(c.finish_reason, !c.tool_calls.empty());
        choices.push_back(choice);
    }
    const std::string id =
        "chatcmpl-" + (answer.response_id.empty() ? "gemini-" + std::to_string(created) : answer.response_id);
    std::optional<OpenAiUsage> usage;
    if (answer.has_usage) usage = detail::openai_usage(answer);
    return write_chat_completion(OpenAiHead{id, created, answer.model}, choices, usage);
}

}  // namespace

std::string_view finish_reason(std::string_view reason, bool calls_tools) noexcept {
    if (reason.empty()) return {};
    if (reason == "STOP") return calls_tools ? "tool_calls" : "stop";
    if (reason == "MAX_TOKENS") return "length";
    if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT" ||
        reason == "SPII" || reason == "IMAGE_SAFETY" || reason == "LANGUAGE")
        return "content_filter";
    // OTHER, MALFORMED_FUNCTION_CALL, FINISH_REASON_UNSPECIFIED and reasons added later: the
    // candidate ended for no reason OpenAI can name.
    return calls_tools ? "tool_calls" : "stop";
}

ParsedResponse translate_response(std::string_view body, std::int64_t created) {
    ParsedResponse out;
    detail::Answer answer;
    if (!detail::read_answer(body, answer)) return out;
    if (answer.has_error) {
        read_error(body, out.error_type, out.error_code, out.error_message);
        return out;  // an error object with a 200 is not an answer: a protocol failure
    }
    if (answer.candidates.empty()) {
        if (answer.block_reason.empty()) return out;  // neither an answer nor a reason
        detail::Blocked blocked = detail::blocked_prompt(answer);
        out.error_status = 400;
        out.error_type = std::move(blocked.type);
        out.error_code = std::move(blocked.code);
        out.error_message = std::move(blocked.message);
        return out;
    }
    out.parsed = true;
    out.usage = answer.usage;
    const detail::Candidate& first = answer.candidates.front();
    out.text = first.text;
    out.finish_reason = std::string(finish_reason(first.finish_reason, !first.tool_calls.empty()));
    out.body = chat_completion(answer, created);
    return out;
}

void read_error(std::string_view body, std::string& type, std::string& code, std::string& message) {
    detail::Element root, error;
    std::string ignored;
    if (detail::parse_value(body, 0, root, ignored)) {
        // streamGenerateContent without alt=sse wraps its error in a one-element array.
        detail::Element first;
        if (root.is_array() && !root.at(0).get(first)) root = first;
        if (!root["error"].get(error) && error.is_object()) {
            detail::read_error_object(error, type, code, message);
            return;
        }
    }
    // A proxy's own error or plain text: the OpenAI-compatible reader handles these.
    Outcome outcome;
    parse_error_body(body, outcome);
    type = std::move(outcome.error_type);
    code = std::move(outcome.error_code);
    message = std::move(outcome.error_message);
}

}  // namespace sw::providers::gemini
