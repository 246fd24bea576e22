// jwt_check.cpp — JWT signature and time checks over OpenSSL's libcrypto.
#include "jwt_check.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <simdjson.h>

#include <array>
#include <cmath>

namespace server {

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned int buffer = 0;
    int bits = 0;
    for (const char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-') v = 62;
        else if (c == '_') v = 63;
        else return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
        }
    }
    // One leftover character (6 bits) cannot end a base64 text.
    if (bits >= 6) return std::nullopt;
    return out;
}

void JwtVerifier::FreeKey::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

std::optional<JwtVerifier> JwtVerifier::hs256(std::string secret, std::string& error) {
    if (secret.empty()) {
        error = "the HS256 secret is empty";
        return std::nullopt;
    }
    JwtVerifier v;
    v.secret_ = std::move(secret);
    return v;
}

std::optional<JwtVerifier> JwtVerifier::rs256(std::string_view public_key_pem, std::string& error) {
    BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (key == nullptr || !EVP_PKEY_is_a(key, "RSA")) {
        EVP_PKEY_free(key);
        error = "the RS256 key is not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)";
        return std::nullopt;
    }
    JwtVerifier v;
    v.rsa_ = std::shared_ptr<evp_pkey_st>(key, FreeKey{});
    return v;
}

bool JwtVerifier::signature_ok(std::string_view signed_part, std::string_view signature) const {
    if (rsa_) {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        const bool ok = ctx != nullptr &&
                        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, rsa_.get()) == 1 &&
                        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                                         signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                                         signed_part.size()) == 1;
        EVP_MD_CTX_free(ctx);
        return ok;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac.data(),
             &size) == nullptr)
        return false;
    // Constant time, so that a forger learns nothing from how long a wrong MAC took.
    return signature.size() == size && CRYPTO_memcmp(mac.data(), signature.data(), size) == 0;
}

std::optional<JwtClaims> JwtVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now,
                                             std::string& reason) const {
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        reason = "the token is not a JWT (header.payload.signature)";
        return std::nullopt;
    }
    const auto header = base64url_decode(token.substr(0, dot1));
    const auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    const auto signature = base64url_decode(token.substr(dot2 + 1));
    if (!header || !payload || !signature) {
        reason = "the token is not base64url";
        return std::nullopt;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element h;
    std::string_view alg;
    if (parser.parse(*header).get(h) || h["alg"].get(alg)) {
        reason = "the token's header has no algorithm";
        return std::nullopt;
    }
    // The algorithm is the server's choice, never the token's: a token naming another one
    // ("none", or HS256 with the RSA public key as its secret) is refused before any check.
    if (alg != algorithm()) {
        reason = std::string("the token is not signed with ") + algorithm();
        return std::nullopt;
    }
    if (!signature_ok(token.substr(0, dot2), *signature)) {
        reason = "the token's signature is not valid";
        return std::nullopt;
    }
    simdjson::dom::element claims;
    if (parser.parse(*payload).get(claims) || !claims.is_object()) {
        reason = "the token's claims are not a JSON object";
        return std::nullopt;
    }
    const double t = std::chrono::duration<double>(now.time_since_epoch()).count();
    double exp = 0;
    if (claims["exp"].get(exp) || !std::isfinite(exp)) {
        reason = "the token has no expiry (exp)";
        return std::nullopt;
    }
    if (t >= exp) {
        reason = "the token has expired";
        return std::nullopt;
    }
    double nbf = 0;
    if (!claims["nbf"].get(nbf) && t < nbf) {
        reason = "the token is not valid yet (nbf)";
        return std::nullopt;
    }
    JwtClaims out;
    std::string_view text;
    if (!claims["sub"].get(text)) out.subject = std::string(text);
    if (!claims["scope"].get(text)) {
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find(' ', start), text.size());
            if (end > start) out.scopes.emplace_back(text.substr(start, end - start));
            start = end + 1;
        }
    }
    simdjson::dom::array list;
    if (!claims["scopes"].get(list))
        for (simdjson::dom::element e : list)
            if (!e.get(text)) out.scopes.emplace_back(text);
    return out;
}

}  // namespace server
