// dialect_gemini.cpp — Google's generateContent, on the Gemini API's paths (x-goog-api-key) and
// Vertex AI's (a bearer token from the mock's own token endpoint).
#include "dialect.hpp"
#include "form.hpp"
#include "token_endpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace mock {

namespace {

// /v1beta/models/{model}:method (the Gemini API) and
// /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:method (Vertex AI).
constexpr std::string_view kGeminiPrefixes[] = {"/v1beta/models/", "/v1/models/"};
constexpr std::string_view kVertexPrefix = "/v1/projects/";
constexpr std::string_view kVertexModels = "/publishers/google/models/";

bool is_vertex(std::string_view path) { return path.starts_with(kVertexPrefix); }

// The request header `name` (lower case), case-insensitively.
std::string_view header(const HeaderView& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                       [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; }))
            return value;
    return {};
}

// The canonical status Google's APIs report with an HTTP status.
std::string_view canonical_status(int status) {
    switch (status) {
        case 400: return "INVALID_ARGUMENT";
        case 401: return "UNAUTHENTICATED";
        case 403: return "PERMISSION_DENIED";
        case 404: return "NOT_FOUND";
        case 409: return "ABORTED";
        case 429: return "RESOURCE_EXHAUSTED";
        case 499: return "CANCELLED";
        case 501: return "UNIMPLEMENTED";
        case 503: return "UNAVAILABLE";
        case 504: return "DEADLINE_EXCEEDED";
        default: return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
}

// {"error":{"code","message","status"[,"details"]}}; `details` is a JSON array or empty.
std::string google_error(int code, std::string_view message, std::string_view status, std::string_view details) {
    std::string out = fmt::format(R"({{"error":{{"code":{},"message":)", code);
    append_json_string(out, message);
    out += R"(,"status":)";
    append_json_string(out, status);
    if (!details.empty()) out.append(R"(,"details":)").append(details);
    out += "}}";
    return out;
}

std::string quota_details(std::string_view quota_id) {
    return fmt::format(R"([{{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{{"quotaMetric":)"
                       R"("generativelanguage.googleapis.com/generate_content_requests","quotaId":"{}"}}]}}])",
                       quota_id);
}

void append_usage(std::string& out, const Completion& c, std::int64_t completion_tokens, bool final) {
    if (final)
        fmt::format_to(std::back_inserter(out),
                       R"("usageMetadata":{{"promptTokenCount":{},"candidatesTokenCount":{},"totalTokenCount":{}}})",
                       c.prompt_tokens, completion_tokens, c.prompt_tokens + completion_tokens);
    else
        fmt::format_to(std::back_inserter(out), R"("usageMetadata":{{"promptTokenCount":{},"totalTokenCount":{}}})",
                       c.prompt_tokens, c.prompt_tokens);
}

void append_tail(std::string& out, const Completion& c) {
    out += R"(,"modelVersion":)";
    append_json_string(out, c.model);
    fmt::format_to(std::back_inserter(out), R"(,"responseId":"mock-{}"}})", c.n);
}

// One candidate whose parts are `parts` (JSON), then usage, model and id.
void append_response(std::string& out, const Completion& c, std::string_view parts, bool finished,
                     std::int64_t completion_tokens) {
    out += R"({"candidates":[{"content":{"parts":[)";
    out += parts;
    out += R"(],"role":"model"},)";
    if (finished) out += R"("finishReason":"STOP",)";
    out += R"("index":0}],)";
    append_usage(out, c, completion_tokens, finished);
    append_tail(out, c);
}

std::string text_part(std::string_view text) {
    std::string part = R"({"text":)";
    append_json_string(part, text);
    return part + "}";
}

// The scenario's tool_call as a functionCall part with fixed arguments.
std::string call_part(std::string_view name) {
    std::string part = R"({"functionCall":{"name":)";
    append_json_string(part, name);
    return part + R"(,"args":{"query":"mock","limit":3}}})";
}

// The answer to a prompt Gemini's filters block: no candidates, a reason.
std::string blocked_answer(const ScriptedError& e) {
    std::string out = R"({"promptFeedback":{"blockReason":)";
    append_json_string(out, e.type.empty() ? std::string_view("SAFETY") : e.type);
    out += R"(,"safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]},)";
    out += R"("usageMetadata":{"promptTokenCount":12,"totalTokenCount":12},"modelVersion":"mock"})";
    return out;
}

class GeminiDialect final : public Dialect {
public:
    std::string_view name() const override { return "gemini"; }

    bool match(std::string_view path, std::string_view, RouteMatch& out) const override {
        std::size_t start = std::string_view::npos;
        for (std::string_view prefix : kGeminiPrefixes)
            if (path.starts_with(prefix)) start = prefix.size();
        if (is_vertex(path)) {
            const std::size_t models = path.find(kVertexModels);
            if (models != std::string_view::npos) start = models + kVertexModels.size();
        }
        const std::size_t colon = path.rfind(':');
        if (start == std::string_view::npos || colon == std::string_view::npos || colon <= start) return false;
        const std::string_view method = path.substr(colon + 1);
        if (method != "generateContent" && method != "streamGenerateContent") return false;
        out.model = percent_decode(path.substr(start, colon - start), false);
        out.stream = method == "streamGenerateContent";
        return true;
    }

    bool authorize(const IncomingRequest& request, Reply& r) const override {
        ScriptedError denied;
        if (admit(request.path, request.query, request.headers, denied)) return true;
        error_reply(denied, r);
        return false;
    }

    // False, with `denied` set, for what the real API refuses before anything else.
    bool admit(std::string_view path, std::string_view query, const HeaderView& headers,
               ScriptedError& denied) const {
        const bool stream = path.ends_with(":streamGenerateContent");
        if (stream && form_field(query, "alt") != "sse") {
            denied = {400, Fault::status, "INVALID_ARGUMENT", {}, "the mock streams only with ?alt=sse (mock)"};
            return false;
        }
        if (is_vertex(path)) {
            const std::string_view auth = header(headers, "authorization");
            if (!auth.starts_with("Bearer ") || !token_issued(auth.substr(7))) {
                denied = {401, Fault::status, "UNAUTHENTICATED", {},
                          "Request had invalid authentication credentials: a bearer token the mock's /token endpoint "
                          "issued is required (mock)"};
                return false;
            }
            return true;
        }
        if (form_field(query, "key")) {
            // The real API accepts ?key=, but a key in a URL ends up in logs: libswitch never
            // sends one, and this catches a regression.
            denied = {400, Fault::status, "INVALID_ARGUMENT", {},
                      "API keys in the URL are refused by the mock: send x-goog-api-key (mock)"};
            return false;
        }
        if (header(headers, "x-goog-api-key").empty()) {
            denied = {403, Fault::status, "PERMISSION_DENIED", {},
                      "Method doesn't allow unregistered callers (callers without established identity). Please use "
                      "API Key or other form of API consumer identity to call this API (mock)."};
            return false;
        }
        return true;
    }

    void error_reply(const ScriptedError& e, Reply& r) const override {
        r.status = e.status;
        std::string_view message = e.message, status = e.type;
        std::string details;
        switch (e.fault) {
            case Fault::redirect: message = "Moved (mock)."; break;
            case Fault::context_length:
                if (message.empty())
                    message = "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).";
                break;
            case Fault::content_policy:
                // Gemini blocks a prompt with a 200 that has no candidates; a stream says it in
                // its first and only event.
                r.status = 200;
                r.body = e.stream ? "data: " + blocked_answer(e) + "\r\n\r\n" : blocked_answer(e);
                return;
            case Fault::quota:
                if (message.empty())
                    message = "You exceeded your current quota, please check your plan and billing details (mock).";
                details = quota_details("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
                break;
            case Fault::status:
                if (e.status == 429) details = quota_details("GenerateRequestsPerMinutePerProjectPerModel");
                break;
        }
        if (!e.code.empty()) {
            // The scenario's error_code is an ErrorInfo reason, as in API_KEY_INVALID.
            details = R"([{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":)";
            append_json_string(details, e.code);
            details += R"(,"domain":"googleapis.com"}])";
        }
        if (message.empty()) message = default_error(e.status).message;
        if (status.empty()) status = canonical_status(r.status);
        r.body = google_error(r.status, message, status, details);
    }

    void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const override {
        const std::string part = c.tool_call.empty() ? text_part(fmt::format("Hello from the mock ({}).", c.model))
                                                     : call_part(c.tool_call);
        append_response(out, c, part, true, completion_tokens);
    }

    void append_stream_chunk(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                             std::string_view eol) const override {
        out += "data: ";
        if (malformed) {
            out += R"({"candidates":[{"content":{"parts":[{"text":"tok)";  // cut: a parser must reject it
        } else {
            append_response(out, c, text_part(fmt::format("tok{} ", index)), false, 0);
        }
        out.append(eol).append(eol);
    }

    // Gemini has no end marker: the event with finishReason ends the stream, so `end_marker`
    // (the scenario's no_done) changes nothing.
    void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens, bool end_marker,
                             std::string_view eol) const override {
        (void)end_marker;
        out += "data: ";
        append_response(out, c, c.tool_call.empty() ? text_part("") : call_part(c.tool_call), true, completion_tokens);
        out.append(eol).append(eol);
    }
};

}  // namespace

const Dialect& gemini_dialect() {
    static const GeminiDialect dialect;
    return dialect;
}

}  // namespace mock
