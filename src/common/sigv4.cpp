// sigv4.cpp — AWS Signature Version 4 on OpenSSL's SHA-256 and HMAC.
#include "common/sigv4.hpp"

#include "common/digest.hpp"
#include "common/percent_encoding.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <ctime>

namespace sw::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

using Digest = std::array<unsigned char, 32>;

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

Digest hmac(const void* key, std::size_t key_size, std::string_view data) {
    Digest out{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key, static_cast<int>(key_size), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out.data(), &size);
    return out;
}

// The signature of `string_to_sign`: the signing key is derived from the secret through the
// date, region and service, so that a leaked derived key is worth one day and one scope only.
// Every intermediate key is wiped.
std::string signature_of(std::string_view string_to_sign, std::string_view secret, std::string_view day,
                         const SigningParams& params) {
    std::string seed = "AWS4";
    seed.append(secret);
    Digest k_date = hmac(seed.data(), seed.size(), day);
    OPENSSL_cleanse(seed.data(), seed.size());
    Digest k_region = hmac(k_date.data(), k_date.size(), params.region);
    Digest k_service = hmac(k_region.data(), k_region.size(), params.service);
    Digest k_signing = hmac(k_service.data(), k_service.size(), "aws4_request");
    const Digest signature = hmac(k_signing.data(), k_signing.size(), string_to_sign);
    for (Digest* k : {&k_date, &k_region, &k_service, &k_signing}) OPENSSL_cleanse(k->data(), k->size());
    return hex(signature.data(), signature.size());
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Leading and trailing whitespace removed, inner runs (folded lines included) made one space.
std::string trimmed_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    bool pending_space = false;
    for (char c : value) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

struct CanonicalHeaders {
    std::string text;    // "name:value\n" per header, sorted by name
    std::string signed_names;  // "a;b;c"
};

CanonicalHeaders canonical_headers(const std::vector<Header>& headers) {
    // Stable sort by lower-case name keeps duplicate headers' values in the order they came.
    std::vector<std::pair<std::string, std::string>> lowered;
    lowered.reserve(headers.size());
    for (const auto& [name, value] : headers) lowered.emplace_back(lower(name), trimmed_value(value));
    std::stable_sort(lowered.begin(), lowered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    CanonicalHeaders out;
    for (std::size_t i = 0; i < lowered.size(); ++i) {
        if (i > 0 && lowered[i].first == lowered[i - 1].first) {
            out.text.back() = ',';  // replaces the previous line's '\n'
        } else {
            if (!out.signed_names.empty()) out.signed_names += ';';
            out.signed_names += lowered[i].first;
            out.text += lowered[i].first;
            out.text += ':';
        }
        out.text += lowered[i].second;
        out.text += '\n';
    }
    return out;
}

std::string canonical_request(std::string_view method, std::string_view path, bool normalize,
                              std::string_view query_text, const CanonicalHeaders& headers,
                              std::string_view payload_hash) {
    std::string out(method);
    out += '\n';
    out += canonical_uri(path, normalize);
    out += '\n';
    out += query_text;
    out += '\n';
    out += headers.text;
    out += '\n';
    out += headers.signed_names;
    out += '\n';
    out += payload_hash;
    return out;
}

std::string string_to_sign(std::string_view date, std::string_view scope, std::string_view canonical) {
    std::string out(kAlgorithm);
    out += '\n';
    out.append(date).append("\n").append(scope).append("\n").append(sha256_hex(canonical));
    return out;
}

std::string scope_of(std::string_view day, const SigningParams& params) {
    std::string out(day);
    out.append("/").append(params.region).append("/").append(params.service).append("/aws4_request");
    return out;
}

void append_param(std::string& query, std::string_view name, std::string_view value) {
    if (!query.empty()) query += '&';
    query += name;
    query += '=';
    append_percent_encoded(query, value);
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[17];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
    return buffer;
}

std::string canonical_uri(std::string_view path, bool normalize) {
    if (path.empty()) return "/";
    if (!normalize) return percent_encoded(path, true);
    // RFC 3986 dot-segment removal; empty segments ("//") go too, as AWS normalizes them.
    std::vector<std::string_view> segments;
    bool ends_in_dot_segment = false;  // "/a/b/.." is the directory "/a/"
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        start = end + 1;
        if (segment.empty()) continue;
        ends_in_dot_segment = segment == "." || segment == "..";
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (segment != ".") {
            segments.push_back(segment);
        }
    }
    const bool trailing_slash = path.back() == '/' || ends_in_dot_segment;
    std::string out;
    for (std::string_view segment : segments) {
        out += '/';
        append_percent_encoded(out, segment);
    }
    if (out.empty() || trailing_slash) out += '/';
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    std::size_t start = 0;
    while (start < query.size()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string_view item = query.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        const std::string_view key = item.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
        params.emplace_back(percent_encoded(percent_decoded(key)), percent_encoded(percent_decoded(value)));
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out += '&';
        out.append(key).append("=").append(value);
    }
    return out;
}

HeaderSignature sign_headers(const RequestToSign& request, const SigningCredentials& credentials,
                             const SigningParams& params) {
    const std::string date = amz_date(params.time);
    const std::string_view day = std::string_view(date).substr(0, 8);
    const std::string payload_hash = sha256_hex(request.payload);

    HeaderSignature out;
    const bool has_token = !credentials.session_token.empty();
    if (has_token) out.headers_to_add.emplace_back("X-Amz-Security-Token", credentials.session_token);
    out.headers_to_add.emplace_back("X-Amz-Date", date);
    if (params.sign_payload_header) out.headers_to_add.emplace_back("x-amz-content-sha256", payload_hash);

    std::vector<Header> signed_headers = request.headers;
    for (const Header& h : out.headers_to_add)
        if (!(params.omit_session_token && h.first == "X-Amz-Security-Token")) signed_headers.push_back(h);
    const CanonicalHeaders headers = canonical_headers(signed_headers);

    const std::string scope = scope_of(day, params);
    out.canonical_request = canonical_request(request.method, request.path, params.normalize_path,
                                              canonical_query(request.query), headers, payload_hash);
    out.string_to_sign = string_to_sign(date, scope, out.canonical_request);
    out.signature = signature_of(out.string_to_sign, credentials.secret_access_key, day, params);
    out.authorization = std::string(kAlgorithm) + " Credential=" + std::string(credentials.access_key_id) + "/" + scope +
                        ", SignedHeaders=" + headers.signed_names + ", Signature=" + out.signature;
    out.headers_to_add.emplace_back("Authorization", out.authorization);
    return out;
}

QuerySignature presign_query(const RequestToSign& request, const SigningCredentials& credentials,
                             const SigningParams& params) {
    const std::string date = amz_date(params.time);
    const std::string_view day = std::string_view(date).substr(0, 8);
    const std::string scope = scope_of(day, params);
    const CanonicalHeaders headers = canonical_headers(request.headers);
    const bool sign_token = !credentials.session_token.empty() && !params.omit_session_token;

    // The X-Amz-* parameters, in the order SDKs send them; the signature follows last.
    std::string added;
    append_param(added, "X-Amz-Algorithm", kAlgorithm);
    append_param(added, "X-Amz-Credential", std::string(credentials.access_key_id) + "/" + scope);
    append_param(added, "X-Amz-Date", date);
    append_param(added, "X-Amz-SignedHeaders", headers.signed_names);
    append_param(added, "X-Amz-Expires", std::to_string(params.expires.count()));
    std::string signed_query(request.query);
    if (!signed_query.empty()) signed_query += '&';
    signed_query += added;
    if (sign_token) append_param(signed_query, "X-Amz-Security-Token", credentials.session_token);

    QuerySignature out;
    out.canonical_request = canonical_request(request.method, request.path, params.normalize_path,
                                              canonical_query(signed_query), headers, sha256_hex(request.payload));
    out.string_to_sign = string_to_sign(date, scope, out.canonical_request);
    out.signature = signature_of(out.string_to_sign, credentials.secret_access_key, day, params);
    out.query = std::string(request.query);
    if (!out.query.empty()) out.query += '&';
    out.query += added;
    if (!credentials.session_token.empty()) append_param(out.query, "X-Amz-Security-Token", credentials.session_token);
    append_param(out.query, "X-Amz-Signature", out.signature);
    return out;
}

}  // namespace sw::aws
