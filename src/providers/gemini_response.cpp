// gemini_response.cpp — a whole generateContent answer, and Google's error bodies, in OpenAI form.
#include "providers/gemini.hpp"
#include "providers/gemini_detail.hpp"
#include "providers/openai_compat.hpp"

#include <ctime>

namespace sw::providers::gemini {

namespace {

void write_tool_calls(const detail::Candidate& c, JsonWriter& out) {
    out.key("tool_calls").begin_array();
    for (std::size_t k = 0; k < c.tool_calls.size(); ++k) {
        const detail::ToolCall& call = c.tool_calls[k];
        // Gemini names calls only in newer versions; a position-based id is stable, and the
        // request translation maps it back to the function's name.
        out.begin_object().key("id").string(call.id.empty() ? "call_" + std::to_string(k) : call.id);
        out.key("type").string("function").key("function").begin_object();
        out.key("name").string(call.name).key("arguments").string(call.arguments).end_object().end_object();
    }
    out.end_array();
}

std::string chat_completion(const detail::Answer& answer) {
    const std::int64_t created = static_cast<std::int64_t>(std::time(nullptr));
    JsonWriter out;
    out.begin_object();
    out.key("id").string("chatcmpl-" + (answer.response_id.empty() ? "gemini-" + std::to_string(created)
                                                                   : answer.response_id));
    out.key("object").string("chat.completion").key("created").integer(created);
    out.key("model").string(answer.model);
    out.key("choices").begin_array();
    for (const detail::Candidate& c : answer.candidates) {
        out.begin_object().key("index").integer(c.index);
        out.key("message").begin_object().key("role").string("assistant").key("content");
        if (c.text.empty()) out.null();
        else out.string(c.text);
        if (!c.tool_calls.empty()) write_tool_calls(c, out);
        out.end_object().key("finish_reason");
        const std::string_view finish = finish_reason(c.finish_reason, !c.tool_calls.empty());
        if (finish.empty()) out.null();
        else out.string(finish);
        out.end_object();
    }
    out.end_array();
    if (answer.has_usage) detail::write_usage(answer, out);
    out.end_object();
    return out.take();
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

ParsedResponse translate_response(std::string_view body) {
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
    out.body = chat_completion(answer);
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
