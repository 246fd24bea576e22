// bedrock_stream.cpp — ConverseStream events as OpenAI chat.completion.chunk objects.
#include "providers/bedrock/bedrock_converse.hpp"
#include "providers/openai_output.hpp"

#include <algorithm>
#include <vector>

namespace sw::providers::bedrock {

namespace {

using simdjson::dom::element;

constexpr std::string_view kExceptionPrefix = ":exception:";
constexpr std::string_view kErrorPrefix = ":error:";

// Keeps, per stream, which Converse content block is which OpenAI tool call: Converse numbers
// every block (text and tool use alike), OpenAI numbers tool calls only.
class ConverseStreamDecoder final : public StreamDecoder {
public:
    ConverseStreamDecoder(std::string id, std::int64_t created, std::string model)
        : id_(std::move(id)), model_(std::move(model)), created_(created) {}

    ParsedChunk next(std::string_view event_type, std::string_view data) override {
        ParsedChunk out;
        if (event_type.starts_with(kExceptionPrefix) || event_type.starts_with(kErrorPrefix)) {
            const bool exception = event_type.starts_with(kExceptionPrefix);
            out.has_error = true;
            map_error(0, event_type.substr(exception ? kExceptionPrefix.size() : kErrorPrefix.size()), data,
                      out.error_type, out.error_code, out.error_message);
            return out;
        }
        element payload;
        if (parser_.parse(data.data(), data.size()).get(payload) || !payload.is_object()) {
            out.malformed = true;
            return out;
        }
        if (event_type == "messageStart") return message_start(payload);
        if (event_type == "contentBlockStart") return block_start(payload);
        if (event_type == "contentBlockDelta") return block_delta(payload);
        if (event_type == "messageStop") return message_stop(payload);
        if (event_type == "metadata") return metadata(payload);
        out.skip = true;  // contentBlockStop, and event types added after this adapter
        return out;
    }

private:
    OpenAiHead head() const { return OpenAiHead{id_, created_, model_}; }

    ParsedChunk message_start(element payload) const {
        ParsedChunk out;
        std::string_view role = "assistant";
        if (payload["role"].get(role)) role = "assistant";
        OpenAiChoice delta;
        delta.role = role;
        out.translated = write_chat_chunk(head(), delta);
        return out;
    }

    ParsedChunk block_start(element payload) {
        ParsedChunk out;
        element tool;
        std::int64_t block = 0;
        std::string_view id, name;
        if (payload["start"]["toolUse"].get(tool)) {
            out.skip = true;  // text blocks need no announcement
            return out;
        }
        if (payload["contentBlockIndex"].get(block) || tool["toolUseId"].get(id) || tool["name"].get(name)) {
            out.malformed = true;
            return out;
        }
        const OpenAiToolCall call{static_cast<std::int64_t>(tools_.size()), id, name, ""};
        tools_.push_back(block);
        OpenAiChoice delta;
        delta.tool_calls = {&call, 1};
        out.translated = write_chat_chunk(head(), delta);
        out.has_content = true;  // a tool call is part of the answer, as in OpenAI's streams
        return out;
    }

    ParsedChunk block_delta(element payload) const {
        ParsedChunk out;
        element delta;
        std::string_view text;
        if (payload["delta"].get(delta)) {
            out.malformed = true;
            return out;
        }
        OpenAiChoice choice;
        if (!delta["text"].get(text)) {
            choice.content = text;
            out.translated = write_chat_chunk(head(), choice);
            out.content.assign(text);
            out.has_content = !text.empty();
            return out;
        }
        if (!delta["toolUse"]["input"].get(text)) {
            std::int64_t block = 0;
            if (payload["contentBlockIndex"].get(block)) block = -1;
            const auto it = std::find(tools_.begin(), tools_.end(), block);
            if (it == tools_.end()) {
                out.malformed = true;  // arguments for a tool call that never started
                return out;
            }
            const OpenAiToolCall call{it - tools_.begin(), std::nullopt, std::nullopt, text};
            choice.tool_calls = {&call, 1};
            out.translated = write_chat_chunk(head(), choice);
            out.has_content = true;
            return out;
        }
        if (!delta["reasoningContent"]["text"].get(text)) {
            choice.reasoning = text;
            out.translated = write_chat_chunk(head(), choice);
            out.has_content = !text.empty();  // reasoning is forwarded, so it counts as delivered
            return out;
        }
        out.skip = true;  // a reasoning signature, a citation: nothing OpenAI's form carries
        return out;
    }

    ParsedChunk message_stop(element payload) const {
        ParsedChunk out;
        std::string_view stop_reason;
        if (payload["stopReason"].get(stop_reason)) {
            out.malformed = true;
            return out;
        }
        out.finish_reason = std::string(finish_reason_of(stop_reason));
        OpenAiChoice choice;
        choice.finish_reason = out.finish_reason;
        out.translated = write_chat_chunk(head(), choice);
        return out;
    }

    // OpenAI's usage chunk (stream_options.include_usage): no choices, only usage.
    ParsedChunk metadata(element payload) const {
        ParsedChunk out;
        element usage;
        TokenUsage tokens;
        if (payload["usage"].get(usage) || !read_converse_usage(usage, tokens)) {
            out.skip = true;  // metrics or a trace without usage
            return out;
        }
        out.usage = tokens;
        out.translated = write_chat_chunk(head(), std::span<const OpenAiChoice>{}, OpenAiUsage{tokens});
        return out;
    }

    std::string id_, model_;
    std::int64_t created_;
    std::vector<std::int64_t> tools_;  // tool call i is Converse content block tools_[i]
    simdjson::dom::parser parser_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(std::string id, std::int64_t created, std::string model) {
    return std::make_unique<ConverseStreamDecoder>(std::move(id), created, std::move(model));
}

}  // namespace sw::providers::bedrock
