// anthropic.hpp — the pieces of the Anthropic Messages adapter (docs/providers/anthropic.md):
// the caller's OpenAI request as a Messages request, and Messages answers, errors and stream
// events as OpenAI's. Pure functions and one stateful stream decoder, no I/O.
#pragma once

#include "providers/adapter.hpp"

#include "providers/openai_output.hpp"

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sw::providers::anthropic {

// Anthropic requires max_tokens; this is sent when neither the request, the provider's
// providerParams nor the model's defaultParameters give max_tokens or max_completion_tokens.
inline constexpr std::int64_t kDefaultMaxTokens = 4096;

// {api_base}/v1/messages, without doubling a trailing /v1 or /v1/messages.
std::string messages_url(std::string_view api_base);

// Content-Type, x-api-key (when a key is given) and anthropic-version (the provider's
// apiVersion, else 2023-06-01), then the provider's configured headers, which replace any of
// these they name. The result holds the key: never log it.
std::vector<std::string> request_headers(const ProviderConfig& provider, std::string_view api_key);

// The Messages request body for the caller's OpenAI chat request, with the model's
// defaultParameters and the provider's providerParams applied as for every provider (the
// request wins, then providerParams, then defaults). Returns false with `error` set when the
// request cannot be expressed for Anthropic; the error names the field, never its content.
bool build_messages_body(std::string_view request_json, const ProviderConfig& provider, const ModelConfig* model,
                         std::string& body, std::string& error);

// Reads a whole Messages answer (2xx) or error body (any other status) into OpenAI's form.
// `created` is the unix time written into the translated answer, which Anthropic does not give.
ParsedResponse parse_messages_response(int http_status, std::string_view body, std::int64_t created);

// Anthropic's error message and details code in OpenAI's terms, for the shared classifier:
// "prompt is too long" sets code context_length_exceeded, "Output blocked by content filtering
// policy" content_filter, a spend limit (details.error_code) or a low credit balance
// insufficient_quota; otherwise the details code, if any. The error type (overloaded_error,
// rate_limit_error, authentication_error, ...) is kept by the caller, as the classifier reads it.
void map_error(std::string_view message, std::string_view detail_code, std::string& code);

// ---- Shared by the whole-answer and the stream translation -----------------------------------

// stop_reason as finish_reason: end_turn, stop_sequence and pause_turn -> stop, max_tokens and
// model_context_window_exceeded -> length, tool_use -> tool_calls, refusal -> content_filter;
// an unknown reason is passed on as it is, and null gives "".
std::string_view finish_reason_for(std::string_view stop_reason);

// Anthropic's usage members. input_tokens excludes the prompt tokens read from or written to
// the cache, which OpenAI's prompt_tokens includes.
struct Usage {
    std::uint64_t input = 0, output = 0, cache_creation = 0, cache_read = 0;
    // Takes the members `usage` has; a stream's message_delta repeats only some of them.
    void update(simdjson::dom::element usage);
    OpenAiUsage openai() const;
};

// The HTTP status Anthropic gives an error type (overloaded_error 529, rate_limit_error 429,
// invalid_request_error 400, ...), so that an error inside a stream or a 2xx body is classified
// by its meaning; 0 for a type Anthropic does not document.
int status_for_error_type(std::string_view type);

// A string member, or "" when it is absent or not a string.
std::string_view string_member(simdjson::dom::element e, const char* key);

// The type, code and message of an Anthropic error object ({"type","message","details"}).
void read_error_object(simdjson::dom::element error, std::string& type, std::string& code, std::string& message);

// The decoder of one streamed answer; `created` as above.
std::unique_ptr<StreamDecoder> make_stream_decoder(std::int64_t created);

}  // namespace sw::providers::anthropic
