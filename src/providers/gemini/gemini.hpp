// gemini.hpp — Google's generateContent protocol (the Gemini API and Vertex AI), translated to
// and from OpenAI's chat format. Pure functions, no I/O; gemini_adapter.cpp puts them behind the
// Adapter interface. docs/providers/google.md lists every mapping and decision.
#pragma once

#include "providers/adapter.hpp"

#include <switch/config.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace sw::providers::gemini {

// The generateContent body for an OpenAI chat request.
struct Translation {
    std::string body;
    bool stream = false;  // the request asked for "stream": true
    // Why the request cannot be expressed for Gemini: names the field or feature, never quotes
    // the caller's text.
    std::string error;
    bool ok() const noexcept { return error.empty(); }
};

// Builds the body from the caller's request, with `model->default_parameters`, then
// `provider.provider_params`, then the request's own fields (the later wins).
Translation translate_request(std::string_view request_json, const ProviderConfig& provider,
                              const ModelConfig* model);

// OpenAI's finish_reason for a Gemini finishReason. A candidate that calls a function and
// stops normally finished with "tool_calls".
std::string_view finish_reason(std::string_view gemini_reason, bool calls_tools) noexcept;

// A whole 2xx generateContent answer in OpenAI form (ParsedResponse::body holds the
// chat.completion). A prompt blocked by Gemini's filters (promptFeedback.blockReason without
// candidates) is not parsed: error_status 400, code content_filter.
// `created` is the attempt's stamp's, which Gemini's answers lack; the id is
// "chatcmpl-<responseId>", or "chatcmpl-gemini-<created>" without one.
ParsedResponse translate_response(std::string_view body, std::int64_t created);

// A Google error body, {"error":{"code","message","status","details"}} (or a one-element array
// of it), as OpenAI's type, code and message, so that the shared classifier reads it:
// RESOURCE_EXHAUSTED -> rate_limit_exceeded (insufficient_quota for a per-day quota), a prompt
// over the token limit -> context_length_exceeded, an invalid API key -> invalid_api_key. Other
// bodies are read as OpenAI-compatible ones.
void read_error(std::string_view body, std::string& type, std::string& code, std::string& message);

// Reads a streamGenerateContent?alt=sse answer: each event is one GenerateContentResponse,
// translated to a chat.completion.chunk; there is no end marker, the finishReason ends it.
// `created` as above.
std::unique_ptr<StreamDecoder> make_stream_decoder(std::int64_t created);

}  // namespace sw::providers::gemini
