// gemini_adapter.cpp — the Adapters for provider types google (the Gemini API, keyed by
// x-goog-api-key) and vertex (Gemini on Vertex AI, a bearer token from a google store): URLs and
// headers here, the translation in gemini_*.cpp.
#include "providers/adapter.hpp"
#include "providers/gemini/gemini.hpp"
#include "providers/openai/openai_compat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sw::providers {

namespace {

// Vertex AI's location when the store names none; only reachable with an explicit apiBase,
// since the loader requires a location to derive the host from otherwise.
constexpr std::string_view kDefaultLocation = "us-central1";

// Appends a path, percent-encoding every byte a path segment cannot hold as is ('/' stays: a
// model may be a resource path such as tunedModels/x).
void append_path(std::string& url, std::string_view path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : path) {
        if (std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) != std::string_view::npos) {
            url += static_cast<char>(c);
        } else {
            url += '%';
            url += hex[c >> 4];
            url += hex[c & 15];
        }
    }
}

// `base` without trailing slashes, with `version` appended unless it already ends in one.
std::string versioned_base(std::string_view base, std::string_view version) {
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    std::string url(base);
    const std::size_t scheme = base.find("://");
    const std::size_t host_end = base.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    const std::string_view last = host_end == std::string_view::npos ? std::string_view() : base.substr(base.rfind('/') + 1);
    if (!is_version_segment(last)) url.append("/").append(version);
    return url;
}

std::string_view method(bool stream) { return stream ? ":streamGenerateContent?alt=sse" : ":generateContent"; }

// A location is a DNS label of the derived host: anything else could redirect the request.
bool is_location(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

// Project ids are letters, digits and '-', domain-scoped ones "example.com:id": one path segment.
bool is_project(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':';
    });
}

bool has_header(const ProviderConfig& provider, std::string_view name) {
    return std::any_of(provider.headers.begin(), provider.headers.end(), [&](const auto& h) {
        return std::equal(h.first.begin(), h.first.end(), name.begin(), name.end(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    });
}

class GeminiAdapter final : public Adapter {
public:
    explicit GeminiAdapter(bool vertex) : vertex_(vertex) {}

    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                           const AttemptContext& attempt, std::string& error) const override {
        if (endpoint == Endpoint::embeddings) {
            error = fmt::format("the {} adapter does not translate embeddings requests", name());
            return std::nullopt;
        }
        gemini::Translation t = gemini::translate_request(request_json, attempt.provider, attempt.model);
        if (!t.ok()) {
            error = std::move(t.error);
            return std::nullopt;
        }
        PreparedRequest out;
        out.body = std::move(t.body);
        if (vertex_) {
            if (!vertex_url(attempt, t.stream, out.url, error)) return std::nullopt;
            // The access token of the google store travels as a bearer token.
            out.headers = request_headers(attempt.provider, attempt.credentials.secret);
        } else {
            out.url = versioned_base(attempt.provider.api_base, "v1beta");
            const std::string& model = attempt.provider.model_name;
            const bool resource = model.starts_with("models/") || model.starts_with("tunedModels/");
            out.url += resource ? "/" : "/models/";
            append_path(out.url, model);
            out.url += method(t.stream);
            // The key goes in a header, never in the URL's ?key=, which logs and traces keep.
            out.headers = request_headers(attempt.provider, {});
            if (!attempt.credentials.secret.empty() && !has_header(attempt.provider, "x-goog-api-key"))
                out.headers.push_back(fmt::format("x-goog-api-key: {}", attempt.credentials.secret));
        }
        return out;
    }

    ParsedResponse parse_response_from(const AnswerContext& answer, Endpoint, int http_status,
                                       std::string_view body) const override {
        if (http_status >= 200 && http_status < 300) return gemini::translate_response(body, answer.stamp.created);
        ParsedResponse out;
        gemini::read_error(body, out.error_type, out.error_code, out.error_message);
        return out;
    }

    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext& attempt) const override {
        return gemini::make_stream_decoder(attempt.stamp.created);
    }

private:
    std::string_view name() const { return vertex_ ? "vertex" : "google"; }

    // {base}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:method,
    // with the base derived from the location unless apiBase is set. A model that is already a
    // resource path (publishers/x/models/y, or projects/... for a tuned endpoint) is kept.
    static bool vertex_url(const AttemptContext& attempt, bool stream, std::string& url, std::string& error) {
        const std::string_view project = attempt.credentials.project;
        const std::string_view location = attempt.credentials.location.empty() ? kDefaultLocation
                                                                                : attempt.credentials.location;
        const std::string& model = attempt.provider.model_name;
        if (project.empty() && !model.starts_with("projects/")) {
            error = "the google credential store gives no project: set projectId, or project_id in the service-account "
                    "JSON";
            return false;
        }
        if (!is_project(project)) {
            error = "the google credential store's project is not a project id (letters, digits, '-', '.' and ':')";
            return false;
        }
        if (!is_location(location)) {
            error = "the google credential store's location is not a Vertex AI region name (lower-case letters, "
                    "digits and '-')";
            return false;
        }
        std::string base = attempt.provider.api_base;
        if (base.empty())
            base = location == "global" ? "https://aiplatform.googleapis.com"
                                        : fmt::format("https://{}-aiplatform.googleapis.com", location);
        url = versioned_base(base, "v1");
        url += '/';
        if (model.starts_with("projects/")) {
            append_path(url, model);
        } else {
            append_path(url, fmt::format("projects/{}/locations/{}/", project, location));
            append_path(url, model.find('/') == std::string::npos ? "publishers/google/models/" + model : model);
        }
        url += method(stream);
        return true;
    }

    bool vertex_;
};

}  // namespace

const Adapter& gemini_adapter() {
    static const GeminiAdapter adapter(false);
    return adapter;
}

const Adapter& vertex_adapter() {
    static const GeminiAdapter adapter(true);
    return adapter;
}

}  // namespace sw::providers
