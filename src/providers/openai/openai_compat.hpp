// openai_compat.hpp — the OpenAI-compatible provider adapter: URLs, request bodies, headers and
// response parsing. Pure functions, no I/O; the transport calls them around each attempt.
//
// Every function is thread-safe: JSON is parsed with per-thread simdjson parsers whose buffers
// are reused, so parsing a body or a chunk allocates nothing once they have grown. Costs on a
// typical 1 KB request or response (benchmarks/bench_adapter.cpp): a body rewrite about 0.7 us
// with one allocation (the body), a response parse about 0.6 us, a stream chunk about 0.4 us.
#pragma once

#include "providers/adapter.hpp"

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sw::providers {

// Whether this adapter speaks a provider type's protocol: every spec of specs.cpp with
// Protocol::openai (openai, together, groq, mistral, runpod, alibaba, vllm, ollama, custom).
// Anthropic, Bedrock, Google, Vertex and Azure (deployment URLs, api-key header) have their own
// adapters.
bool is_openai_compatible(std::string_view type) noexcept;


// v1, v2, v1beta, v1alpha2, v10 ...: 'v', digits, then optional lower-case letters and digits.
bool is_version_segment(std::string_view s) noexcept;

// "chat/completions" or "embeddings".
std::string_view endpoint_path(Endpoint endpoint) noexcept;

// The upstream URL of an endpoint. When the last path segment of `api_base` is a version
// (v1, v2, v1beta, ...), the endpoint is appended; otherwise "v1/" and the endpoint are. A base
// that already ends in the endpoint is returned as is. Trailing slashes are ignored.
//   https://api.openai.com            -> https://api.openai.com/v1/chat/completions
//   https://api.groq.com/openai/v1/   -> https://api.groq.com/openai/v1/chat/completions
//   https://x/compatible-mode         -> https://x/compatible-mode/v1/chat/completions
std::string join_url(std::string_view api_base, std::string_view endpoint_path);
inline std::string join_url(std::string_view api_base, Endpoint endpoint) {
    return join_url(api_base, endpoint_path(endpoint));
}

// The body to send upstream, or why the caller's request is invalid.
struct UpstreamRequest {
    std::string body;
    bool stream = false;  // the request asked for "stream": true
    // Non-empty when the request is invalid; the caller answers with HTTP-400 semantics and
    // makes no attempt. Precise and safe to show: it never quotes the request.
    std::string error;
    bool ok() const noexcept { return error.empty(); }
};

// Builds the upstream body from the caller's request JSON without re-encoding its fields: each
// top-level member's key and value bytes are copied verbatim (only the whitespace between
// top-level members is dropped).
// - `model` becomes `provider.model_name` (added first if the request has none).
// - Chat only: missing top-level keys are added from `model->default_parameters`, then
//   `provider.provider_params`; the later wins, and a key the request sets is never
//   overridden. Parameters never supply `model` or `stream` (the caller decides whether it
//   reads a stream), nor `stream_options` for a request that does not stream (OpenAI rejects
//   it there).
// - Chat, a provider whose spec sets thinking_in_template_kwargs (vllm): `enable_thinking`
//   (from any source, same precedence) is sent as `"chat_template_kwargs":{"enable_thinking":v,
//   ...}`, merged into a `chat_template_kwargs` object from any source; an `enable_thinking`
//   already inside that object wins.
// - Chat, streaming: `"stream_options":{"include_usage":true}` is added unless a
//   `stream_options` is given, so that the final chunk carries usage.
// - Embeddings: only the model is replaced; chat defaults do not apply to embeddings.
// Validation: the body must be one JSON object; `stream`, if present, a boolean or null; chat
// needs a non-empty `messages` array, embeddings a non-empty string or array `input`. Values
// the adapter does not read are checked for balance only; the upstream validates them.
UpstreamRequest build_request(Endpoint endpoint, std::string_view request_json,
                              const ProviderConfig& provider, const ModelConfig* model);

// Request headers as "Name: value" lines for curl_slist_append: Content-Type, then
// `Authorization: Bearer <api_key>` when a key is given, then the provider's configured
// headers. A configured header named Content-Type or Authorization replaces the default one
// (some gateways authenticate differently). The result holds the key: never log it.
std::vector<std::string> request_headers(const ProviderConfig& provider,
                                         std::string_view api_key);

// ---- Responses ----------------------------------------------------------------------------

// A provider's error, from an error body or an error object inside a stream.
struct ProviderError {
    bool present = false;
    std::string type;
    std::string code;  // a numeric code is kept as its digits; null as empty
    std::string message;
    void clear();
    // Copies type, code and message into the outcome.
    void apply_to(Outcome& outcome) const;
};

struct ChatResponse {
    std::string model;          // the model the upstream reports (semantics: shown to the caller)
    std::string finish_reason;  // of choice 0; empty when null or absent
    std::string content;        // choices[0].message.content; empty when null or absent
    bool has_usage = false;
    TokenUsage usage;           // prompt_tokens -> input, completion_tokens -> output
    ProviderError error;        // some gateways answer 200 with an error object
};

// Parses a 2xx chat completion body. Returns false, with a reason in `error`, when the body is
// not one well-formed JSON object; the caller then sets TransportError::protocol. Reuses the
// strings of `out`.
bool parse_chat_response(std::string_view body, ChatResponse& out, std::string& error);

struct EmbeddingsResponse {
    std::string model;
    bool has_usage = false;
    TokenUsage usage;  // prompt_tokens -> input; embeddings produce no output tokens
};
bool parse_embeddings_response(std::string_view body, EmbeddingsResponse& out,
                               std::string& error);

// Reads an error body (any status) into outcome.error_type / error_code / error_message.
// Accepts OpenAI's {"error":{"type","code","message"}}, {"error":"text"}, vLLM's top-level
// {"object":"error","type","code","message"}, {"message":...}, FastAPI's {"detail":...} (a
// non-string detail is kept as its JSON text) and a one-element array of these. A body that
// is not JSON becomes the message, cut to 512 bytes. Never fails.
void parse_error_body(std::string_view body, Outcome& outcome);

// The `data` of one SSE event of a streamed chat completion.
struct StreamChunk {
    bool done = false;         // the data was `[DONE]`
    bool has_content = false;  // a delta carries content, reasoning or a tool call for the caller
    std::string content;       // choices[0].delta.content
    std::string finish_reason; // of choice 0
    std::string model;
    bool has_usage = false;    // the final usage chunk (stream_options.include_usage)
    TokenUsage usage;
    ProviderError error;       // an error object sent inside the stream
    void clear();
};

// Parses one chunk. Returns false, with a reason in `error`, for malformed JSON; the caller
// treats that as a protocol error. Reuses the strings of `out`.
bool parse_stream_chunk(std::string_view data, StreamChunk& out, std::string& error);

}  // namespace sw::providers
