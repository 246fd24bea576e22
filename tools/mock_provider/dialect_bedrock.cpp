// dialect_bedrock.cpp — AWS Bedrock's Converse and ConverseStream: JSON answers, errors in
// Bedrock's shape, streams as real application/vnd.amazon.eventstream messages, and a SigV4 check.
#include "dialect.hpp"

#include "common/percent_encoding.hpp"
#include "common/sigv4.hpp"
#include "transport/aws_event_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <vector>

namespace mock {

namespace {

// Requests signed with this access key id are verified against kMockSecretAccessKey; any other
// key only needs a well-formed SigV4 Authorization header and x-amz-date.
constexpr std::string_view kMockAccessKeyId = "AKIDMOCKBEDROCK";
constexpr std::string_view kMockSecretAccessKey = "mock-bedrock-secret-access-key";

// The tool call the tool_call scenario answers with, cut in two for streams.
constexpr std::string_view kToolArguments[] = {R"({"query":)", R"("mock"})"};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view header(const HeaderView& headers, std::string_view name) {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

std::string bedrock_error_body(std::string_view message, std::string_view type) {
    std::string out = "{";
    if (!type.empty()) {
        out += R"("__type":)";
        append_json_string(out, type);
        out += ',';
    }
    out += R"("message":)";
    append_json_string(out, message);
    out += '}';
    return out;
}

// What Bedrock says with each status (the exception it documents for it).
std::string_view default_message(int status) {
    switch (status) {
        case 400: return "Malformed input request, please reformat your input and try again (mock).";
        case 403: return "The security token included in the request is invalid (mock).";
        case 404: return "Could not resolve the foundation model from the provided model identifier (mock).";
        case 408: return "Model has timed out in processing the request (mock).";
        case 424: return "The model returned an error (mock).";
        case 429: return "Too many requests, please wait before trying again (mock).";
        case 500: return "The server encountered an internal error (mock).";
        case 503: return "Bedrock is unable to process your request (mock).";
        default: return default_error(status).message;
    }
}

void append_event(std::string& out, std::string_view type, std::string_view payload) {
    sw::transport::append_event_stream_message(
        out, {{":event-type", type}, {":content-type", "application/json"}, {":message-type", "event"}}, payload);
}

std::string text_delta(std::int64_t block, std::string_view text) {
    std::string payload = fmt::format(R"({{"contentBlockIndex":{},"delta":{{"text":)", block);
    append_json_string(payload, text);
    return payload + R"(},"p":"abcdefgh"})";
}

std::chrono::system_clock::time_point parse_amz_date(std::string_view date) {
    std::tm tm{};
    if (date.size() != 16 || std::sscanf(std::string(date).c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon,
                                         &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return {};
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// The value of `name=` in "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
std::string_view auth_field(std::string_view authorization, std::string_view name) {
    const std::size_t at = authorization.find(name);
    if (at == std::string_view::npos) return {};
    std::string_view rest = authorization.substr(at + name.size());
    return rest.substr(0, rest.find(','));
}

class BedrockDialect final : public Dialect {
public:
    std::string_view name() const override { return "bedrock"; }

    bool match(std::string_view path, std::string_view, RouteMatch& out) const override {
        constexpr std::string_view prefix = "/model/";
        if (!path.starts_with(prefix)) return false;
        const std::size_t slash = path.find('/', prefix.size());
        if (slash == std::string_view::npos) return false;
        const std::string_view operation = path.substr(slash);
        if (operation != "/converse" && operation != "/converse-stream") return false;
        out.model = sw::percent_decoded(path.substr(prefix.size(), slash - prefix.size()));
        out.stream = operation == "/converse-stream";
        return !out.model.empty();
    }

    bool authorize(const IncomingRequest& request, Reply& r) const override {
        const std::string_view authorization = header(request.headers, "authorization");
        const std::string_view date = header(request.headers, "x-amz-date");
        r.status = 403;
        if (!authorization.starts_with("AWS4-HMAC-SHA256 Credential=") || date.empty()) {
            r.body = bedrock_error_body("Missing Authentication Token (mock).", "");
            return false;
        }
        // Credential=KEY/DATE/REGION/SERVICE/aws4_request
        const std::string_view credential = auth_field(authorization, "Credential=");
        std::vector<std::string_view> scope;
        for (std::size_t start = 0; start <= credential.size();) {
            const std::size_t end = std::min(credential.find('/', start), credential.size());
            scope.push_back(credential.substr(start, end - start));
            start = end + 1;
        }
        if (scope.size() != 5 || scope[4] != "aws4_request" || scope[3] != "bedrock" || !date.starts_with(scope[1])) {
            r.body = bedrock_error_body("Credential should be scoped to a valid region and the bedrock service (mock).", "");
            return false;
        }
        if (scope[0] != kMockAccessKeyId) return true;

        // Recompute the signature from the request as it arrived: it proves that what the
        // client sent (path encoding, Host, body) is what it signed.
        sw::aws::RequestToSign wire{"POST", request.path, request.query, {}, request.body};
        const std::string_view signed_headers = auth_field(authorization, "SignedHeaders=");
        for (std::size_t start = 0; start < signed_headers.size();) {
            const std::size_t end = std::min(signed_headers.find(';', start), signed_headers.size());
            const std::string_view name = signed_headers.substr(start, end - start);
            for (const auto& [k, v] : request.headers)
                if (iequals(k, name) && !iequals(k, "x-amz-date")) wire.headers.emplace_back(k, v);
            start = end + 1;
        }
        const sw::aws::SigningParams params{scope[2], scope[3], parse_amz_date(date)};
        const auto expected = sw::aws::sign_headers(wire, {kMockAccessKeyId, kMockSecretAccessKey, {}}, params);
        // sign_headers signs x-amz-date itself; a session token, when one was signed, came in
        // `wire` already and is signed as given.
        if (auth_field(authorization, "Signature=") == expected.signature) return true;
        r.body = bedrock_error_body(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method (mock).",
            "");
        return false;
    }

    void error_reply(const ScriptedError& e, Reply& r) const override {
        std::string message;
        r.status = e.status;
        switch (e.fault) {
            case Fault::redirect: message = "Moved (mock)."; break;
            case Fault::context_length: message = "Input is too long for requested model."; break;
            case Fault::content_policy: message = "Output blocked by content filtering policy (mock)."; break;
            case Fault::quota:
                r.status = 400;  // Bedrock's ServiceQuotaExceededException
                message = "You have exceeded the service quota for on-demand requests per minute (mock).";
                break;
            case Fault::status: message = default_message(e.status); break;
        }
        r.body = bedrock_error_body(e.message.empty() ? std::string_view(message) : e.message, e.type);
    }

    void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const override {
        out += R"({"output":{"message":{"role":"assistant","content":[{"text":)";
        append_json_string(out, fmt::format("Hello from the mock ({}).", c.model));
        out += '}';
        if (!c.tool_call.empty()) {
            fmt::format_to(std::back_inserter(out), R"(,{{"toolUse":{{"toolUseId":"tooluse_mock_{}","name":)", c.n);
            append_json_string(out, c.tool_call);
            fmt::format_to(std::back_inserter(out), R"(,"input":{}{}}}}})", kToolArguments[0], kToolArguments[1]);
        }
        fmt::format_to(std::back_inserter(out),
                       R"(]}}}},"stopReason":"{}","usage":{{"inputTokens":{},"outputTokens":{},"totalTokens":{}}},)"
                       R"("metrics":{{"latencyMs":1}}}})",
                       c.tool_call.empty() ? "end_turn" : "tool_use", c.prompt_tokens, completion_tokens,
                       c.prompt_tokens + completion_tokens);
    }

    const char* stream_content_type() const override { return "application/vnd.amazon.eventstream"; }

    // Bedrock sends nothing before its first event.
    void append_keep_alive(std::string&, std::string_view) const override {}

    void append_stream_open(std::string& out, const Completion&, std::string_view) const override {
        append_event(out, "messageStart", R"({"p":"abcdefghijklmnopqrstuvwxyzABCDEF","role":"assistant"})");
    }

    void append_stream_chunk(std::string& out, const Completion&, std::int64_t index, bool malformed,
                             std::string_view) const override {
        append_event(out, "contentBlockDelta", text_delta(0, fmt::format("tok{} ", index)));
        // A corrupted message CRC: the framing itself is broken, as a flipped bit would break it.
        if (malformed) out.back() = static_cast<char>(out.back() ^ 0x5A);
    }

    void append_stream_error(std::string& out, const Completion&, const ScriptedError& e, std::string_view) const override {
        const std::string type = e.type.empty() ? std::string("modelStreamErrorException") : std::string(e.type);
        const std::string message = e.message.empty() ? std::string("The model stream failed (mock).") : std::string(e.message);
        sw::transport::append_event_stream_message(
            out, {{":message-type", "exception"}, {":exception-type", type}, {":content-type", "application/json"}},
            bedrock_error_body(message, ""));
    }

    void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens, bool end_marker,
                             std::string_view) const override {
        append_event(out, "contentBlockStop", R"({"contentBlockIndex":0,"p":"abcdefghijklmnop"})");
        if (!c.tool_call.empty()) {
            std::string start = fmt::format(R"({{"contentBlockIndex":1,"start":{{"toolUse":{{"toolUseId":"tooluse_mock_{}","name":)", c.n);
            append_json_string(start, c.tool_call);
            append_event(out, "contentBlockStart", start + "}}}");
            for (std::string_view part : kToolArguments) {
                std::string delta = R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":)";
                append_json_string(delta, part);
                append_event(out, "contentBlockDelta", delta + "}}}");
            }
            append_event(out, "contentBlockStop", R"({"contentBlockIndex":1})");
        }
        append_event(out, "messageStop",
                     fmt::format(R"({{"p":"abcdefghijkl","stopReason":"{}"}})", c.tool_call.empty() ? "end_turn" : "tool_use"));
        // Bedrock has no end marker; the metadata event (usage) is the last one, and no_done
        // leaves it out.
        if (end_marker)
            append_event(out, "metadata",
                         fmt::format(R"({{"metrics":{{"latencyMs":1}},"usage":{{"inputTokens":{},"outputTokens":{},"totalTokens":{}}}}})",
                                     c.prompt_tokens, completion_tokens, c.prompt_tokens + completion_tokens));
    }
};

}  // namespace

const Dialect& bedrock_dialect() {
    static const BedrockDialect dialect;
    return dialect;
}

}  // namespace mock
