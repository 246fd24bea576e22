// gemini_detail.hpp — the pieces the Gemini translation files share: parsing, JSON Schema,
// messages, and reading candidates and usage from an answer.
#pragma once

#include "common/json_writer.hpp"
#include "providers/openai_output.hpp"

#include <switch/outcome.hpp>

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sw::providers::gemini::detail {

using Element = simdjson::dom::element;

// Parses `json` with this thread's DOM parser number `slot` (0 or 1); the result stays valid
// until the next parse on the same slot. False with `error` set when it is not JSON (or, for
// parse_object, not a JSON object).
bool parse_value(std::string_view json, int slot, Element& out, std::string& error);
bool parse_object(std::string_view json, int slot, simdjson::dom::object& out, std::string& error);

// The compact JSON text of a value (an element, object or array).
template <typename Value>
std::string minified(Value value) {
    return simdjson::minify(value);
}

// A name (a field, a type) for an error message: quoted, cut short, control characters dropped.
std::string quoted(std::string_view name);

// ---- Requests -------------------------------------------------------------------------------

// Writes an OpenAI tool's JSON Schema as Gemini's Schema: the fields Gemini knows are kept,
// `const` becomes a one-value `enum`, `oneOf` becomes `anyOf`, a type union with "null" becomes
// `nullable`, and the rest (additionalProperties, $schema, strict, ...) is dropped. References
// ($ref, $defs) and allOf cannot be expressed: false, with the place named in `error`.
bool write_schema(Element schema, JsonWriter& out, std::string_view where, std::string& error);

// An object schema without properties, which Gemini refuses as function parameters.
bool is_empty_object_schema(Element schema);

// Writes "contents" (and "systemInstruction" when there are system messages) for OpenAI's
// messages.
bool write_messages(Element messages, JsonWriter& out, std::string& error);

// ---- Answers --------------------------------------------------------------------------------

struct ToolCall {
    std::string id;    // the functionCall's own id, when Gemini gives one
    std::string name;
    std::string arguments;  // the args object's JSON text, "{}" when absent
};

// One candidate of a GenerateContentResponse.
struct Candidate {
    std::int64_t index = 0;
    std::string text;  // the text parts joined; thought parts are left out
    std::vector<ToolCall> tool_calls;
    std::string finish_reason;  // Gemini's finishReason, empty while streaming
};

// What a GenerateContentResponse holds, besides errors.
struct Answer {
    std::vector<Candidate> candidates;
    std::string model;        // modelVersion
    std::string response_id;  // responseId
    std::string block_reason;  // promptFeedback.blockReason
    std::string block_message;  // promptFeedback.blockReasonMessage
    bool has_usage = false;
    TokenUsage usage;
    std::int64_t total_tokens = 0;  // usageMetadata.totalTokenCount, which counts thoughts too
    std::int64_t cached_tokens = 0, reasoning_tokens = 0;
    bool has_error = false;  // the object was {"error":{...}}
};

// Reads one GenerateContentResponse. False when `json` is not one.
bool read_answer(std::string_view json, Answer& out);

// The answer's usage in OpenAI's terms.
OpenAiUsage openai_usage(const Answer& answer);

// The error a blocked prompt becomes.
struct Blocked {
    std::string type = "invalid_request_error";
    std::string code = "content_filter";
    std::string message;
};
Blocked blocked_prompt(const Answer& answer);

// Reads a Google error object into OpenAI's type, code and message, and returns its HTTP status
// (the error's code, or the one its status names). `error` is the value of the "error" member.
int read_error_object(Element error, std::string& type, std::string& code, std::string& message);

}  // namespace sw::providers::gemini::detail
