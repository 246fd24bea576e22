// openai_response.cpp — reading OpenAI-compatible responses, errors and stream chunks.
#include "providers/openai/openai_compat.hpp"

#include "providers/json_scratch.hpp"

#include <fmt/format.h>

namespace sw::providers {

namespace ondemand = simdjson::ondemand;

namespace {

constexpr std::size_t kMaxPlainErrorBytes = 512;

// Assigns a string value; null or another type leaves `out` empty.
void read_string(ondemand::value& value, std::string& out) {
    std::string_view s;
    if (!value.get_string().get(s)) out.assign(s);
    else out.clear();
}

// Numbers keep their digits, strings their text; anything else (null) gives "".
void read_code(ondemand::value& value, std::string& out) {
    out.clear();
    ondemand::json_type type;
    if (value.type().get(type)) return;
    if (type == ondemand::json_type::string) {
        read_string(value, out);
    } else if (type == ondemand::json_type::number) {
        std::string_view raw;
        if (!raw_value(value, raw)) out.assign(raw);
    }
}

// Strings as text, other JSON (e.g. FastAPI's list of validation errors) as its JSON text.
void read_message(ondemand::value& value, std::string& out) {
    out.clear();
    ondemand::json_type type;
    if (value.type().get(type) || type == ondemand::json_type::null) return;
    if (type == ondemand::json_type::string) return read_string(value, out);
    std::string_view raw;
    if (!raw_value(value, raw)) out.assign(raw.substr(0, kMaxPlainErrorBytes));
}

simdjson::error_code read_usage(ondemand::value& value, TokenUsage& usage, bool& has_usage) {
    ondemand::object object;
    if (value.get_object().get(object)) return simdjson::SUCCESS;  // null: no usage
    has_usage = true;
    usage = {};
    for (auto result : object) {
        ondemand::field field;
        std::string_view raw, key;
        if (auto err = std::move(result).get(field)) return err;
        if (auto err = field_key(field, raw, key)) return err;
        std::uint64_t n = 0;
        if (key == "prompt_tokens") {
            if (!field.value().get_uint64().get(n)) usage.input_tokens = n;
        } else if (key == "completion_tokens") {
            if (!field.value().get_uint64().get(n)) usage.output_tokens = n;
        }
    }
    return simdjson::SUCCESS;
}

// {"type","code","message"} or a plain string, into `error`.
simdjson::error_code read_error_object(ondemand::value& value, ProviderError& error) {
    error.present = true;
    ondemand::json_type type;
    if (auto err = value.type().get(type)) return err;
    if (type != ondemand::json_type::object) {
        read_message(value, error.message);
        return simdjson::SUCCESS;
    }
    ondemand::object object;
    if (auto err = value.get_object().get(object)) return err;
    for (auto result : object) {
        ondemand::field field;
        std::string_view raw, key;
        if (auto err = std::move(result).get(field)) return err;
        if (auto err = field_key(field, raw, key)) return err;
        if (key == "type") read_string(field.value(), error.type);
        else if (key == "code") read_code(field.value(), error.code);
        else if (key == "message") read_message(field.value(), error.message);
    }
    return simdjson::SUCCESS;
}

// Opens `body` as a document whose root is an object.
simdjson::error_code open_object(std::string_view body, ondemand::document& doc,
                                 ondemand::object& root) {
    if (auto err = thread_scratch(0).iterate(body, doc)) return err;
    ondemand::json_type type;
    if (auto err = doc.type().get(type)) return err;
    if (type != ondemand::json_type::object) return simdjson::INCORRECT_TYPE;
    return doc.get_object().get(root);
}

bool fail(std::string& error, std::string_view what, simdjson::error_code err) {
    error = fmt::format("{}: {}", what, simdjson::error_message(err));
    return false;
}

// The first choice's message or delta fields, and whether any choice carries content.
struct ChoiceFields {
    std::string* content = nullptr;
    std::string* finish_reason = nullptr;
    bool* has_content = nullptr;  // set for stream deltas
};

simdjson::error_code read_delta(ondemand::value& value, bool first, const ChoiceFields& f) {
    ondemand::object object;
    if (value.get_object().get(object)) return simdjson::SUCCESS;  // null delta
    for (auto result : object) {
        ondemand::field field;
        std::string_view raw, key;
        if (auto err = std::move(result).get(field)) return err;
        if (auto err = field_key(field, raw, key)) return err;
        if (key == "content") {
            std::string_view text;
            if (!field.value().get_string().get(text)) {
                if (!text.empty() && f.has_content) *f.has_content = true;
                if (first) f.content->assign(text);
            }
        } else if (f.has_content && (key == "tool_calls" || key == "function_call")) {
            bool is_null = false;
            if (!field.value().is_null().get(is_null) && !is_null) *f.has_content = true;
        } else if (f.has_content && (key == "reasoning_content" || key == "reasoning")) {
            // Reasoning text is forwarded to the caller too, so it counts as delivered.
            std::string_view text;
            if (!field.value().get_string().get(text) && !text.empty()) *f.has_content = true;
        }
    }
    return simdjson::SUCCESS;
}

simdjson::error_code read_choices(ondemand::value& value, std::string_view message_key,
                                  const ChoiceFields& f) {
    ondemand::array array;
    if (value.get_array().get(array)) return simdjson::SUCCESS;  // null choices
    bool first = true;
    for (auto element : array) {
        ondemand::object choice;
        if (auto err = std::move(element).get_object().get(choice)) return err;
        for (auto result : choice) {
            ondemand::field field;
            std::string_view raw, key;
            if (auto err = std::move(result).get(field)) return err;
            if (auto err = field_key(field, raw, key)) return err;
            if (key == message_key) {
                if (auto err = read_delta(field.value(), first, f)) return err;
            } else if (first && key == "finish_reason") {
                read_string(field.value(), *f.finish_reason);
            }
        }
        first = false;
    }
    return simdjson::SUCCESS;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// At most `max` bytes, not cutting a UTF-8 sequence in two.
std::string_view utf8_prefix(std::string_view s, std::size_t max) noexcept {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

// The members a whole chat completion and a stream chunk share: model, choices (whose entries
// hold `choice_member`, "message" or "delta"), usage and error. `Out` is ChatResponse or
// StreamChunk, which name these fields alike.
template <typename Out>
bool parse_completion(std::string_view json, std::string_view choice_member, const ChoiceFields& fields, Out& out,
                      std::string_view what, std::string& error) {
    ondemand::document doc;
    ondemand::object root;
    if (auto err = open_object(json, doc, root)) return fail(error, what, err);
    for (auto result : root) {
        ondemand::field field;
        std::string_view raw, key;
        simdjson::error_code err = std::move(result).get(field);
        if (!err) err = field_key(field, raw, key);
        if (!err) {
            if (key == "model") read_string(field.value(), out.model);
            else if (key == "choices") err = read_choices(field.value(), choice_member, fields);
            else if (key == "usage") err = read_usage(field.value(), out.usage, out.has_usage);
            else if (key == "error") err = read_error_object(field.value(), out.error);
        }
        if (err) return fail(error, what, err);
    }
    if (!at_document_end(doc)) return fail(error, what, simdjson::TRAILING_CONTENT);
    return true;
}

}  // namespace

void ProviderError::clear() {
    present = false;
    type.clear();
    code.clear();
    message.clear();
}

void ProviderError::apply_to(Outcome& outcome) const {
    outcome.error_type = type;
    outcome.error_code = code;
    outcome.error_message = message;
}

void StreamChunk::clear() {
    done = false;
    has_content = false;
    content.clear();
    finish_reason.clear();
    model.clear();
    has_usage = false;
    usage = {};
    error.clear();
}

bool parse_chat_response(std::string_view body, ChatResponse& out, std::string& error) {
    out.model.clear();
    out.finish_reason.clear();
    out.content.clear();
    out.has_usage = false;
    out.usage = {};
    out.error.clear();
    return parse_completion(body, "message", {&out.content, &out.finish_reason, nullptr}, out, "malformed response",
                            error);
}

bool parse_embeddings_response(std::string_view body, EmbeddingsResponse& out,
                               std::string& error) {
    out.model.clear();
    out.has_usage = false;
    out.usage = {};
    ondemand::document doc;
    ondemand::object root;
    if (auto err = open_object(body, doc, root)) return fail(error, "malformed response", err);
    for (auto result : root) {
        ondemand::field field;
        std::string_view raw, key;
        simdjson::error_code err = std::move(result).get(field);
        if (!err) err = field_key(field, raw, key);
        if (!err) {
            if (key == "model") read_string(field.value(), out.model);
            else if (key == "usage") err = read_usage(field.value(), out.usage, out.has_usage);
        }
        if (err) return fail(error, "malformed response", err);
    }
    if (!at_document_end(doc)) return fail(error, "malformed response", simdjson::TRAILING_CONTENT);
    out.usage.output_tokens = 0;
    return true;
}

void parse_error_body(std::string_view body, Outcome& outcome) {
    ProviderError error;
    std::string top_type, top_code, top_message, detail;
    bool parsed = false;
    ondemand::document doc;
    if (!thread_scratch(0).iterate(body, doc)) {
        ondemand::object root;
        ondemand::json_type type;
        simdjson::error_code err = doc.type().get(type);
        if (!err && type == ondemand::json_type::array) {
            // A one-element array of error objects, as some gateways send.
            ondemand::array array;
            ondemand::value first;
            err = doc.get_array().get(array);
            if (!err) err = array.at(0).get(first);
            if (!err) err = first.get_object().get(root);
        } else if (!err) {
            err = doc.get_object().get(root);
        }
        if (!err) {
            parsed = true;
            for (auto result : root) {
                ondemand::field field;
                std::string_view raw, key;
                if (std::move(result).get(field) || field_key(field, raw, key)) break;
                if (key == "error") {
                    if (read_error_object(field.value(), error)) break;
                } else if (key == "type") {
                    read_string(field.value(), top_type);
                } else if (key == "code") {
                    read_code(field.value(), top_code);
                } else if (key == "message") {
                    read_message(field.value(), top_message);
                } else if (key == "detail") {
                    read_message(field.value(), detail);
                }
            }
        }
    }
    if (!parsed) {
        outcome.error_type.clear();
        outcome.error_code.clear();
        outcome.error_message.assign(utf8_prefix(trim(body), kMaxPlainErrorBytes));
        return;
    }
    // The nested OpenAI object wins; the top-level fields (vLLM, generic servers) fill gaps.
    if (error.type.empty()) error.type = std::move(top_type);
    if (error.code.empty()) error.code = std::move(top_code);
    if (error.message.empty()) error.message = !top_message.empty() ? std::move(top_message)
                                                                    : std::move(detail);
    error.apply_to(outcome);
}

bool parse_stream_chunk(std::string_view data, StreamChunk& out, std::string& error) {
    out.clear();
    if (trim(data) == "[DONE]") {
        out.done = true;
        return true;
    }
    return parse_completion(data, "delta", {&out.content, &out.finish_reason, &out.has_content}, out,
                            "malformed stream chunk", error);
}

}  // namespace sw::providers
