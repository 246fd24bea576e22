// sigv4.hpp — AWS Signature Version 4 as pure functions: canonical request, string to sign,
// signature, and the headers (or presigned query) that carry it. No I/O, no clock.
// In common/ because two layers sign with it: the Bedrock adapter, and the aws-secrets credential
// fetch (credentials/aws_secret_fetch.cpp).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sw::aws {

// Borrowed for one signing call. The secret access key never leaves this module: only values
// derived from it through HMAC (the signature) are returned.
struct SigningCredentials {
    std::string_view access_key_id;
    std::string_view secret_access_key;
    std::string_view session_token;  // empty: long-term keys, no X-Amz-Security-Token
};

struct SigningParams {
    std::string_view region;   // e.g. us-east-1
    std::string_view service;  // the signing name, e.g. "bedrock" for bedrock-runtime
    std::chrono::system_clock::time_point time;
    // Remove dot segments and empty segments from the path before encoding it. Every service
    // but S3 wants this.
    bool normalize_path = true;
    // Add and sign `x-amz-content-sha256` (S3 style); header signing only.
    bool sign_payload_header = false;
    // Send the session token without signing it (a few services want it added after signing).
    bool omit_session_token = false;
    // Presigned URLs only: how long the URL stays valid.
    std::chrono::seconds expires{3600};
};

using Header = std::pair<std::string, std::string>;  // name as sent, value as sent

// The request as it will travel. `path` is the path exactly as sent on the request line
// (already percent-encoded where the protocol wants it: the canonical URI encodes it once more,
// as SigV4 prescribes for every service but S3); `query` is the raw query without '?'.
// `headers` must hold `Host`; every header given is signed, in any order, names in any case,
// duplicates allowed (their values are joined with ',').
struct RequestToSign {
    std::string_view method;
    std::string_view path;
    std::string_view query;
    std::vector<Header> headers;
    std::string_view payload;
};

// The result of header signing: the intermediate texts (for tests and diagnostics; none holds a
// secret) and the headers to add to the request, in the order AWS SDKs add them.
struct HeaderSignature {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;  // lower-case hex
    std::string authorization;  // the Authorization header's value
    std::vector<Header> headers_to_add;  // X-Amz-Security-Token, X-Amz-Date, x-amz-content-sha256, Authorization
};

HeaderSignature sign_headers(const RequestToSign& request, const SigningCredentials& credentials,
                             const SigningParams& params);

// The result of query signing (a presigned URL): `query` is what to send after '?': the
// request's own query as given, then the X-Amz-* parameters, X-Amz-Signature last.
struct QuerySignature {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;
    std::string query;
};

QuerySignature presign_query(const RequestToSign& request, const SigningCredentials& credentials,
                             const SigningParams& params);

// ---- Building blocks, exposed for tests -----------------------------------------------------

// The canonical URI: the path (normalized when asked), each segment percent-encoded.
std::string canonical_uri(std::string_view path, bool normalize);
// The canonical query string: parameters decoded, re-encoded, sorted by key then value.
std::string canonical_query(std::string_view query);
// 20150830T123600Z
std::string amz_date(std::chrono::system_clock::time_point time);

}  // namespace sw::aws
