// anthropic_stream.cpp — Anthropic's streamed Messages events as OpenAI chat.completion.chunk
// frames: text and tool-input deltas, the stop reason with the usage, the end marker, errors.
#include "providers/anthropic/anthropic.hpp"

#include <vector>

namespace sw::providers::anthropic {

namespace {

using simdjson::dom::element;

ParsedChunk malformed_event() {
    ParsedChunk out;
    out.malformed = true;
    return out;
}

ParsedChunk skipped_event() {
    ParsedChunk out;
    out.skip = true;
    return out;
}

// One answer's events. Anthropic numbers content blocks (text, thinking, tool_use alike);
// OpenAI numbers tool calls only, so each tool_use block gets the next tool-call index.
class Decoder final : public StreamDecoder {
public:
    explicit Decoder(std::int64_t created) : created_(created) {}

    ParsedChunk next(std::string_view event_type, std::string_view data) override {
        ParsedChunk out;
        thread_local simdjson::dom::parser parser;
        element event;
        if (parser.parse(data.data(), data.size()).get(event) || !event.is_object()) return malformed_event();
        // The data's own type is authoritative; the SSE event name repeats it.
        std::string_view type = string_member(event, "type");
        if (type.empty()) type = event_type;

        if (type == "message_start") return message_start(event);
        if (type == "content_block_start") return block_start(event);
        if (type == "content_block_delta") return block_delta(event);
        if (type == "message_delta") return message_delta(event);
        if (type == "message_stop") {
            out.done = true;
        } else if (type == "error") {
            // Classified by its type's meaning: an overloaded_error mid-stream is transient, a
            // prompt too long a context-window error; an unknown type is a protocol failure.
            element error;
            out.has_error = true;
            if (!event["error"].get(error)) read_error_object(error, out.error_type, out.error_code, out.error_message);
            out.error_status = status_for_error_type(out.error_type);
        } else {
            return skipped_event();  // ping, content_block_stop, and event types added after this adapter
        }
        return out;
    }

private:
    OpenAiHead head() const { return OpenAiHead{id_, created_, model_}; }

    ParsedChunk message_start(element event) {
        element message;
        if (event["message"].get(message) || !message.is_object()) return malformed_event();
        ParsedChunk out;
        id_ = string_member(message, "id");
        model_ = string_member(message, "model");
        element usage;
        if (!message["usage"].get(usage)) usage_.update(usage);
        OpenAiChoice c;
        c.role = "assistant";
        c.content = "";
        out.translated = write_chat_chunk(head(), c);
        out.usage = usage_.openai().tokens;
        return out;
    }

    // A content-block event's index and its `member` (content_block or delta); false when the
    // event lacks either, which makes it malformed.
    static bool block_event(element event, const char* member, std::uint64_t& index, element& out) {
        return !event["index"].get_uint64().get(index) && !event[member].get(out) && out.is_object();
    }

    ParsedChunk block_start(element event) {
        std::uint64_t index = 0;
        element block;
        if (!block_event(event, "content_block", index, block)) return malformed_event();
        ParsedChunk out;
        const std::string_view type = string_member(block, "type");
        OpenAiChoice c;
        OpenAiToolCall call;
        if (type == "tool_use") {
            if (index >= kMaxBlocks) return malformed_event();  // no answer has that many; no table sized for it
            if (tool_of_block_.size() <= index) tool_of_block_.resize(index + 1, -1);
            tool_of_block_[index] = tools_;
            call = OpenAiToolCall{tools_++, unless_empty(string_member(block, "id")),
                                  unless_empty(string_member(block, "name")), {}};
            c.tool_calls = {&call, 1};
            // The call is the answer's first content: from here the request can no longer fail over.
            out.has_content = true;
        } else if (type == "text" && !string_member(block, "text").empty()) {
            c.content = string_member(block, "text");
            out.content = *c.content;
            out.has_content = true;
        } else {
            return skipped_event();  // an empty text or thinking block opens; its deltas follow
        }
        out.translated = write_chat_chunk(head(), c);
        return out;
    }

    ParsedChunk block_delta(element event) {
        std::uint64_t index = 0;
        element delta;
        if (!block_event(event, "delta", index, delta)) return malformed_event();
        ParsedChunk out;
        const std::string_view type = string_member(delta, "type");
        OpenAiChoice c;
        OpenAiToolCall call;
        if (type == "text_delta") {
            c.content = unless_empty(string_member(delta, "text"));
            out.content = c.content.value_or("");
        } else if (type == "thinking_delta") {
            c.reasoning = unless_empty(string_member(delta, "thinking"));
        } else if (type == "input_json_delta") {
            // Tool input for a block that did not open as a tool call breaks the protocol.
            if (index >= tool_of_block_.size() || tool_of_block_[index] < 0) return malformed_event();
            call = OpenAiToolCall{tool_of_block_[index], std::nullopt, std::nullopt, string_member(delta, "partial_json")};
            if (call.arguments.empty()) return skipped_event();
            c.tool_calls = {&call, 1};
        } else {
            return skipped_event();  // signature_delta, citations_delta: nothing OpenAI can carry
        }
        // Reasoning is forwarded too, so once it is sent a failover would repeat it.
        out.has_content = c.content || c.reasoning || !c.tool_calls.empty();
        if (!out.has_content) return skipped_event();
        out.translated = write_chat_chunk(head(), c);
        return out;
    }

    ParsedChunk message_delta(element event) {
        ParsedChunk out;
        element usage;
        if (!event["usage"].get(usage)) usage_.update(usage);
        element delta;
        OpenAiChoice c;
        if (!event["delta"].get(delta)) c.finish_reason = finish_reason_for(string_member(delta, "stop_reason"));
        const OpenAiUsage openai_usage = usage_.openai();
        out.finish_reason = c.finish_reason;
        out.usage = openai_usage.tokens;
        out.translated = write_chat_chunk(head(), c, openai_usage);
        return out;
    }

    static constexpr std::uint64_t kMaxBlocks = 4096;

    std::int64_t created_;
    std::string id_;
    std::string model_;
    Usage usage_;
    std::vector<int> tool_of_block_;  // content block index -> tool call index, -1 for other blocks
    int tools_ = 0;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(std::int64_t created) { return std::make_unique<Decoder>(created); }

}  // namespace sw::providers::anthropic
