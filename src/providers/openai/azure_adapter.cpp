// azure_adapter.cpp — the Adapter for provider type "azure" (Azure OpenAI): OpenAI's bodies and
// answers, on deployment URLs with an api-version, authenticated with an api-key header.
#include "providers/adapter.hpp"
#include "providers/openai/azure.hpp"
#include "providers/header_lines.hpp"
#include "providers/openai/openai_compat.hpp"
#include "providers/specs.hpp"

namespace sw::providers {

namespace azure {

namespace {

// RFC 3986 pchar: unreserved, sub-delims, ':' and '@' stay; every other byte is escaped, so a
// deployment name cannot change the path or start the query.
bool is_path_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
}

void append_escaped(std::string& out, std::string_view segment) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char ch : segment) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_path_char(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
}

}  // namespace

std::string deployment_url(std::string_view api_base, std::string_view deployment, Endpoint endpoint,
                           std::string_view api_version) {
    while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
    std::string url(api_base);
    // https://NAME.openai.azure.com and https://NAME.openai.azure.com/openai both work.
    if (!api_base.ends_with("/openai")) url.append("/openai");
    url.append("/deployments/");
    append_escaped(url, deployment);
    url.append("/").append(endpoint_path(endpoint)).append("?api-version=");
    append_escaped(url, api_version);  // the loader allows letters, digits, '-', '.', '_' only
    return url;
}

std::vector<std::string> request_headers(const ProviderConfig& provider, const credentials::CredentialView& credentials) {
    if (credentials.kind == credentials::CredentialView::Kind::bearer_token) {
        // An oauth store gives a Microsoft Entra ID token, which Azure takes as a bearer token.
        return providers::request_headers(provider, credentials.secret);
    }
    std::vector<std::string> headers = providers::request_headers(provider, {});
    if (!credentials.secret.empty()) add_header_unless_configured(headers, provider, "api-key", credentials.secret);
    return headers;
}

}  // namespace azure

namespace {

// A completion the content filter stopped before it produced any text leaves the caller nothing
// but the verdict: it is reported as the content-policy rejection it is (400, content_filter),
// like a filtered prompt. A completion cut after some text is an answer whose finish_reason says
// content_filter. The message is libswitch's own, so it cannot carry anything of the request.
constexpr std::string_view kFiltered = "Azure's content filter stopped the completion before it produced any content";

void mark_filtered(std::string& code, std::string& message, int& status) {
    code = "content_filter";
    message = kFiltered;
    status = 400;
}

class AzureStreamDecoder final : public StreamDecoder {
public:
    explicit AzureStreamDecoder(std::unique_ptr<StreamDecoder> openai) : openai_(std::move(openai)) {}

    ParsedChunk next(std::string_view event_type, std::string_view data) override {
        ParsedChunk chunk = openai_->next(event_type, data);
        content_ = content_ || chunk.has_content;
        if (!content_ && chunk.finish_reason == "content_filter") {
            chunk.has_error = true;
            mark_filtered(chunk.error_code, chunk.error_message, chunk.error_status);
        }
        return chunk;
    }

private:
    std::unique_ptr<StreamDecoder> openai_;
    bool content_ = false;
};

class AzureAdapter final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                           const AttemptContext& attempt, std::string& error) const override {
        // OpenAI's body as it is, on Azure's URL with Azure's headers. Azure routes by the
        // deployment in the URL and ignores `model`, which stays for gateways in front of Azure
        // that route by it.
        auto prepared = openai_adapter().prepare(endpoint, request_json, attempt, error);
        if (!prepared) return std::nullopt;
        const ProviderConfig& provider = attempt.provider;
        const std::string_view version = provider.api_version.empty() ? default_api_version(Protocol::azure)
                                                                      : std::string_view(provider.api_version);
        prepared->url = azure::deployment_url(provider.api_base, provider.model_name, endpoint, version);
        prepared->headers = azure::request_headers(provider, attempt.credentials);
        return prepared;
    }

    // Azure's answers, streams and errors are OpenAI's: a filtered prompt is a 400 with code
    // content_filter, which the shared classifier makes content_policy. Only a completion the
    // filter emptied needs Azure's own reading (docs/providers/azure.md).
    ParsedResponse parse_response_from(const AnswerContext& answer, Endpoint endpoint, int http_status,
                                       std::string_view body) const override {
        ParsedResponse out = openai_adapter().parse_response_from(answer, endpoint, http_status, body);
        if (out.parsed && out.finish_reason == "content_filter" && out.text.empty()) {
            out.parsed = false;
            mark_filtered(out.error_code, out.error_message, out.error_status);
        }
        return out;
    }
    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext& attempt) const override {
        return std::make_unique<AzureStreamDecoder>(openai_adapter().open_stream(attempt));
    }
};

}  // namespace

const Adapter& azure_adapter() {
    static const AzureAdapter adapter;
    return adapter;
}

}  // namespace sw::providers
