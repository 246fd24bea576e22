// bedrock_adapter.cpp — the Adapter for AWS Bedrock: Converse and ConverseStream, signed with SigV4.
#include "providers/adapter.hpp"
#include "common/sigv4.hpp"
#include "providers/bedrock/bedrock_converse.hpp"

#include "common/percent_encoding.hpp"

#include <algorithm>
#include <cctype>

namespace sw::providers {

namespace bedrock {

namespace {

// Bedrock's signing name: the endpoint is bedrock-runtime, the SigV4 service is "bedrock".
constexpr std::string_view kSigningService = "bedrock";

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// us-east-1, eu-central-2, us-gov-west-1, ap-southeast-3: letters, dashes, then digits.
bool looks_like_region(std::string_view label) noexcept {
    const std::size_t dash = label.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == label.size() || label.find('-') == dash) return false;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        const bool ok = i > dash ? (c >= '0' && c <= '9') : ((c >= 'a' && c <= 'z') || c == '-');
        if (!ok) return false;
    }
    return true;
}

struct UrlParts {
    std::string_view authority;  // host[:port], for the Host header
    std::string_view path;       // from the first '/' after the authority
};

UrlParts split_url(std::string_view url) {
    const std::size_t scheme = url.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t slash = std::min(url.find('/', start), url.size());
    std::string_view authority = url.substr(start, slash - start);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    return {authority, url.substr(slash)};
}

// Headers that the signature itself sets: configuring one would break or forge it.
constexpr std::string_view kSignatureHeaders[] = {"authorization", "host", "x-amz-date", "x-amz-security-token",
                                                  "x-amz-content-sha256"};

}  // namespace

std::string region_from_url(std::string_view url) {
    std::string_view host = split_url(url).authority;
    host = host.substr(0, host.find(':'));
    while (!host.empty()) {
        const std::size_t dot = std::min(host.find('.'), host.size());
        const std::string_view label = host.substr(0, dot);
        if (looks_like_region(label)) return std::string(label);
        host.remove_prefix(std::min(dot + 1, host.size()));
    }
    return {};
}

std::string default_api_base(std::string_view region) {
    std::string base = "https://bedrock-runtime.";
    base.append(region).append(".amazonaws.com");
    if (region.starts_with("cn-")) base.append(".cn");
    return base;
}

std::string converse_url(std::string_view api_base, std::string_view model_id, bool stream) {
    while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
    std::string url(api_base);
    url.append("/model/");
    // Model ids hold ':' (anthropic.claude-3-5-sonnet-20241022-v2:0) and ARNs hold '/': both
    // are encoded, as the AWS SDKs do for this path label.
    append_percent_encoded(url, model_id);
    url.append(stream ? "/converse-stream" : "/converse");
    return url;
}

}  // namespace bedrock

namespace {

class BedrockAdapter final : public Adapter {
public:
    std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json, const AttemptContext& attempt,
                                           std::string& error) const override {
        const ProviderConfig& provider = attempt.provider;
        if (endpoint == Endpoint::embeddings) {
            error = "embeddings through bedrock: Bedrock's embedding models use InvokeModel with model-specific "
                    "bodies, which this adapter does not speak";
            return std::nullopt;
        }
        const credentials::AwsKeys* keys = attempt.credentials.aws;
        if (attempt.credentials.kind != credentials::CredentialView::Kind::aws || keys == nullptr) {
            error = "provider \"" + provider.name + "\" (bedrock) needs an aws credential store (credentialsRef)";
            return std::nullopt;
        }
        if (provider.model_name.empty()) {
            error = "provider \"" + provider.name + "\" (bedrock) needs a modelName (the Bedrock model id)";
            return std::nullopt;
        }
        bedrock::ConverseRequest converse = bedrock::build_converse_request(request_json, provider, attempt.model);
        if (!converse.ok()) {
            error = std::move(converse.error);
            return std::nullopt;
        }
        const std::string region = !keys->region.empty() ? keys->region : bedrock::region_from_url(provider.api_base);
        if (region.empty()) {
            error = "provider \"" + provider.name + "\" (bedrock) has no AWS region: set region in its aws store, "
                    "or an apiBase whose host names one (bedrock-runtime.<region>.amazonaws.com)";
            return std::nullopt;
        }
        const std::string base = provider.api_base.empty() ? bedrock::default_api_base(region) : provider.api_base;
        if (base.find('?') != std::string::npos) {
            error = "provider \"" + provider.name + "\" (bedrock): apiBase must not have a query";
            return std::nullopt;
        }

        PreparedRequest out;
        out.url = bedrock::converse_url(base, provider.model_name, converse.stream);
        const auto [authority, path] = bedrock::split_url(out.url);
        // Every header sent is signed, Host included, so that what curl sends is what was signed.
        aws::RequestToSign request{"POST", path, {}, {{"Host", std::string(authority)}}, converse.body};
        bool content_type = false;
        for (const auto& [name, value] : provider.headers) {
            for (std::string_view reserved : bedrock::kSignatureHeaders) {
                if (bedrock::iequals(name, reserved)) {
                    error = "provider \"" + provider.name + "\" (bedrock) configures the header " + name +
                            ", which SigV4 signing sets itself";
                    return std::nullopt;
                }
            }
            content_type = content_type || bedrock::iequals(name, "Content-Type");
            request.headers.emplace_back(name, value);
        }
        if (!content_type) request.headers.emplace_back("Content-Type", "application/json");
        const aws::SigningParams params{region, bedrock::kSigningService, attempt.wall_time};
        const aws::HeaderSignature signature =
            aws::sign_headers(request, {keys->access_key_id.reveal(), keys->secret_access_key.reveal(),
                                        keys->session_token.reveal()},
                              params);
        for (const auto& [name, value] : request.headers) out.headers.push_back(name + ": " + value);
        for (const auto& [name, value] : signature.headers_to_add) out.headers.push_back(name + ": " + value);
        out.body = std::move(converse.body);
        return out;
    }

    ParsedResponse parse_response_from(const AnswerContext& answer, Endpoint endpoint, int http_status,
                                       std::string_view body) const override {
        (void)endpoint;
        // Converse answers do not name their model: the provider's model id does.
        return bedrock::parse_converse_response(http_status, body, answer.provider.model_name, answer.stamp);
    }

    StreamFraming stream_framing() const override { return StreamFraming::aws_event_stream; }

    std::unique_ptr<StreamDecoder> open_stream(const AttemptContext& attempt) const override {
        return bedrock::make_stream_decoder(bedrock::completion_id(attempt.stamp), attempt.stamp.created,
                                            attempt.provider.model_name);
    }
};

}  // namespace

const Adapter& bedrock_adapter() {
    static const BedrockAdapter adapter;
    return adapter;
}

}  // namespace sw::providers
