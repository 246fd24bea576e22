// dialect.hpp — one provider wire protocol the mock speaks: which paths it serves, and how its
// answers, errors and stream events look. Every scenario fault works in every dialect.
#pragma once

#include "bodies.hpp"
#include "worker.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mock {

// What a scripted error means, so that each dialect can say it in its own words.
enum class Fault : std::uint8_t { status, context_length, content_policy, quota, redirect };

struct ScriptedError {
    int status = 500;
    Fault fault = Fault::status;
    // The scenario's error_type, error_code and error_message; empty means the dialect's own.
    std::string_view type, code, message;
    bool stream = false;  // the request streams: a protocol may report some errors as events
};

// What a request's path says about it.
struct RouteMatch {
    std::string model;            // the model, when the path names it (Bedrock, Gemini)
    std::optional<bool> stream;   // when the path decides streaming (converse-stream, ...)
    bool embeddings = false;
};

// A request as it arrived, for dialects that check its authentication.
struct IncomingRequest {
    std::string_view path;   // raw, as on the request line
    std::string_view query;  // raw, without '?'
    std::string_view body;
    const HeaderView& headers;
};

class Dialect {
public:
    virtual ~Dialect() = default;
    virtual std::string_view name() const = 0;
    // True when a POST to `path` (without its query) is one of this dialect's API calls.
    virtual bool match(std::string_view path, std::string_view query, RouteMatch& out) const = 0;
    // False, with r.status and r.body set, for a request the real API refuses before anything
    // else: missing, misplaced or wrong credentials (Bedrock checks SigV4), a malformed call.
    // The default accepts every request.
    virtual bool authorize(const IncomingRequest& request, Reply& r) const;
    // Fills r.status and r.body with the scripted error in this protocol's shape.
    virtual void error_reply(const ScriptedError& error, Reply& r) const = 0;
    // A whole successful answer.
    virtual void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const = 0;
    virtual void append_embeddings(std::string& out, const Completion& c) const;

    // Streams. The frames are written as: keep-alive (right after the headers), open (with the
    // first chunk), chunks 1..N, close. `eol` is the SSE line ending the scenario asks for.
    virtual const char* stream_content_type() const { return "text/event-stream"; }
    virtual void append_keep_alive(std::string& out, std::string_view eol) const;
    virtual void append_stream_open(std::string& out, const Completion& c, std::string_view eol) const;
    // index is 1-based; a malformed chunk breaks the protocol's framing or JSON on purpose.
    virtual void append_stream_chunk(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                                     std::string_view eol) const = 0;
    // An error reported inside the stream (stream_error_at), after which the stream ends. The
    // default is an SSE event with OpenAI's error object.
    virtual void append_stream_error(std::string& out, const Completion& c, const ScriptedError& error,
                                     std::string_view eol) const;
    // The finish reason and usage, then the end-of-stream marker unless `end_marker` is false
    // (the scenario's no_done).
    virtual void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens,
                                     bool end_marker, std::string_view eol) const = 0;
};

// The dialect whose API serves a POST to `path`, or null.
const Dialect* dialect_for(std::string_view path, std::string_view query, RouteMatch& out);

// One instance per protocol, each in its own file.
const Dialect& openai_dialect();
const Dialect& bedrock_dialect();
const Dialect& gemini_dialect();  // the Gemini API and Vertex AI
const Dialect& anthropic_dialect();
const Dialect& azure_dialect();

// The value of a request header's first occurrence (names compare case-insensitively), or
// nullopt; `count`, when given, receives how many times the header was sent.
std::optional<std::string_view> find_header(const HeaderView& headers, std::string_view name,
                                            std::size_t* count = nullptr);

}  // namespace mock
