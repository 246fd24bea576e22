// gemini_stream.cpp — streamGenerateContent?alt=sse events as OpenAI chat.completion.chunk objects.
#include "providers/gemini/gemini.hpp"
#include "providers/gemini/gemini_detail.hpp"

#include <vector>

namespace sw::providers::gemini {

namespace {

// Gemini allows at most 8 candidates; a larger index is not a Gemini stream.
constexpr std::int64_t kMaxCandidates = 64;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// Each event is a whole GenerateContentResponse; the decoder remembers what OpenAI's chunks
// carry across events: the id, whether each choice has had its role, and how many tool calls
// each has made (their index and their "call_<n>" id).
class GeminiStreamDecoder final : public StreamDecoder {
public:
    explicit GeminiStreamDecoder(std::int64_t created) : created_(created) {}

    ParsedChunk next(std::string_view event_type, std::string_view data) override {
        (void)event_type;  // Gemini sends only the default event type
        ParsedChunk out;
        data = trim(data);
        if (data == "[DONE]") {  // not Gemini's, but a proxy in front may add it
            out.done = true;
            return out;
        }
        detail::Answer answer;
        if (!detail::read_answer(data, answer)) {
            out.malformed = true;
            return out;
        }
        if (answer.has_error) {
            out.has_error = true;
            std::string ignored;
            detail::Element root, error;
            if (detail::parse_value(data, 0, root, ignored) && !root["error"].get(error))
                out.error_status = detail::read_error_object(error, out.error_type, out.error_code, out.error_message);
            return out;
        }
        if (answer.candidates.empty() && !answer.block_reason.empty()) {
            detail::Blocked blocked = detail::blocked_prompt(answer);
            out.has_error = true;
            out.error_status = 400;
            out.error_type = std::move(blocked.type);
            out.error_code = std::move(blocked.code);
            out.error_message = std::move(blocked.message);
            return out;
        }
        if (answer.candidates.empty() && !answer.has_usage) {
            out.skip = true;
            return out;
        }
        if (id_.empty())
            id_ = "chatcmpl-" + (answer.response_id.empty() ? "gemini-" + std::to_string(created_) : answer.response_id);
        if (!answer.model.empty()) model_ = answer.model;
        if (answer.has_usage) out.usage = answer.usage;
        if (!translate(answer, out)) {
            out = ParsedChunk{};
            out.malformed = true;
        }
        return out;
    }

private:
    struct Choice {
        bool role_sent = false;
        std::int64_t calls = 0;
    };

    bool translate(const detail::Answer& answer, ParsedChunk& out) {
        // The calls' ids first, so that the views below stay valid.
        std::size_t call_count = 0;
        for (const detail::Candidate& c : answer.candidates) {
            if (c.index < 0 || c.index >= kMaxCandidates) return false;
            call_count += c.tool_calls.size();
        }
        std::vector<std::string> ids;
        ids.reserve(call_count);
        std::vector<OpenAiToolCall> calls;
        calls.reserve(call_count);
        std::vector<OpenAiChoice> deltas;
        deltas.reserve(answer.candidates.size());
        bool finished = false;
        for (const detail::Candidate& c : answer.candidates) {
            if (choices_.size() <= static_cast<std::size_t>(c.index)) choices_.resize(static_cast<std::size_t>(c.index) + 1);
            Choice& choice = choices_[static_cast<std::size_t>(c.index)];
            OpenAiChoice delta;
            delta.index = c.index;
            if (!choice.role_sent) delta.role = "assistant";
            choice.role_sent = true;
            delta.content = unless_empty(c.text);
            const std::size_t first = calls.size();
            for (const detail::ToolCall& call : c.tool_calls) {
                const std::int64_t n = choice.calls++;
                ids.push_back(call.id.empty() ? "call_" + std::to_string(n) : call.id);
                calls.push_back(OpenAiToolCall{n, ids.back(), call.name, call.arguments});
            }
            delta.tool_calls = std::span<const OpenAiToolCall>(calls).subspan(first);
            delta.finish_reason = finish_reason(c.finish_reason, choice.calls > 0);
            deltas.push_back(delta);
            finished = finished || !delta.finish_reason.empty();
            out.has_content = out.has_content || !c.text.empty() || !c.tool_calls.empty();
            if (&c == &answer.candidates.front()) {
                out.content = c.text;
                out.finish_reason = std::string(delta.finish_reason);
            }
        }
        // OpenAI sends usage once, at the end; Gemini repeats it, growing, on every event.
        std::optional<OpenAiUsage> usage;
        if (answer.has_usage && (finished || answer.candidates.empty())) usage = detail::openai_usage(answer);
        out.translated = write_chat_chunk(OpenAiHead{id_, created_, model_}, deltas, usage);
        return true;
    }

    const std::int64_t created_;
    std::string id_, model_;
    std::vector<Choice> choices_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(std::int64_t created) {
    return std::make_unique<GeminiStreamDecoder>(created);
}

}  // namespace sw::providers::gemini
