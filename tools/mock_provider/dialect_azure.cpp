// dialect_azure.cpp — Azure OpenAI's deployment URLs (/openai/deployments/{d}/chat/completions
// and /embeddings): OpenAI's bodies, an api-version query and an api-key header required, and
// Azure's content-filter error.
#include "dialect.hpp"

namespace mock {

namespace {

constexpr std::string_view kPrefix = "/openai/deployments/";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes a path segment; a malformed escape is kept as it is.
std::string decode(std::string_view segment) {
    std::string out;
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] == '%' && i + 2 < segment.size() && hex_value(segment[i + 1]) >= 0 &&
            hex_value(segment[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(segment[i + 1]) * 16 + hex_value(segment[i + 2])));
            i += 2;
        } else {
            out.push_back(segment[i]);
        }
    }
    return out;
}

bool has_query_parameter(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        const std::string_view key = item.substr(0, item.find('='));
        if (key == name && item.size() > key.size() + 1) return true;
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return false;
}

// {"error":{"code","message"}}: Azure's own errors carry the status as a string code.
std::string azure_error_body(std::string_view code, std::string_view message) {
    std::string out = R"({"error":{"code":)";
    append_json_string(out, code);
    out += R"(,"message":)";
    append_json_string(out, message);
    out += "}}";
    return out;
}

// Everything but the URL, the checks and the content filter is OpenAI's, so the OpenAI dialect
// writes it.
class AzureDialect final : public Dialect {
public:
    std::string_view name() const override { return "azure"; }

    bool match(std::string_view path, std::string_view, RouteMatch& out) const override {
        if (!path.starts_with(kPrefix)) return false;
        const std::string_view rest = path.substr(kPrefix.size());
        const std::size_t slash = rest.find('/');
        if (slash == 0 || slash == std::string_view::npos) return false;
        const std::string_view endpoint = rest.substr(slash);
        if (endpoint != "/chat/completions" && endpoint != "/embeddings") return false;
        out.model = decode(rest.substr(0, slash));
        out.embeddings = endpoint == "/embeddings";
        return true;
    }

    bool authorize(const IncomingRequest& request, Reply& r) const override {
        // Azure answers a request without api-version as if the URL did not exist.
        if (!has_query_parameter(request.query, "api-version")) {
            r.status = 404;
            r.body = azure_error_body("404", "Resource not found");
            return false;
        }
        const auto key = find_header(request.headers, "api-key");
        const auto authorization = find_header(request.headers, "authorization");
        if ((!key || key->empty()) && (!authorization || !authorization->starts_with("Bearer "))) {
            r.status = 401;
            r.body = azure_error_body("401", "Access denied due to invalid subscription key or wrong API endpoint. "
                                             "Make sure to provide a valid key for an active subscription and use a "
                                             "correct regional API endpoint for your resource.");
            return false;
        }
        return true;
    }

    void error_reply(const ScriptedError& e, Reply& r) const override {
        if (e.fault != Fault::content_policy) return openai_dialect().error_reply(e, r);
        r.status = e.status;
        std::string message(e.message.empty() ? std::string_view("The response was filtered due to the prompt triggering "
                                                                 "Azure OpenAI's content management policy (mock).")
                                              : e.message);
        r.body = R"({"error":{"message":)";
        append_json_string(r.body, message);
        r.body += R"(,"type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{)"
                  R"("code":"ResponsibleAIPolicyViolation","content_filter_result":{)"
                  R"("hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},)"
                  R"("sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}}})";
    }

    void append_completion(std::string& out, const Completion& c, std::int64_t completion_tokens) const override {
        openai_dialect().append_completion(out, c, completion_tokens);
    }
    void append_embeddings(std::string& out, const Completion& c) const override {
        openai_dialect().append_embeddings(out, c);
    }
    void append_stream_chunk(std::string& out, const Completion& c, std::int64_t index, bool malformed,
                             std::string_view eol) const override {
        openai_dialect().append_stream_chunk(out, c, index, malformed, eol);
    }
    void append_stream_close(std::string& out, const Completion& c, std::int64_t completion_tokens, bool end_marker,
                             std::string_view eol) const override {
        openai_dialect().append_stream_close(out, c, completion_tokens, end_marker, eol);
    }
};

}  // namespace

const Dialect& azure_dialect() {
    static const AzureDialect dialect;
    return dialect;
}

}  // namespace mock
