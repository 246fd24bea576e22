// jwt.cpp — base64url, RS256 signing with OpenSSL's EVP API, and service-account assertions.
#include "credentials/jwt.hpp"

#include "common/json_writer.hpp"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace sw::credentials {

namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A passphrase callback that has none: without it OpenSSL would prompt on the terminal for an
// encrypted key, blocking the I/O thread.
int no_passphrase(char*, int, int, void*) { return 0; }

PkeyPtr read_private_key(std::string_view pem) {
    if (pem.empty() || pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return nullptr;
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return nullptr;
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr));
    // Leave no error behind for libcurl, which reads the same thread's OpenSSL error queue.
    ERR_clear_error();
    return key;
}

}  // namespace

std::string base64url(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        const std::uint32_t v = (byte(i) << 16) | (rest == 2 ? byte(i + 1) << 8 : 0u);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (rest == 2) out += alphabet[(v >> 6) & 63];
    }
    return out;
}

bool is_rsa_private_key_pem(std::string_view pem) {
    PkeyPtr key = read_private_key(pem);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return false;
    // A corrupted key can still parse (p not prime, n != p q), and signing with it then fails
    // at the first request, which this check exists to prevent: validate the key pair too
    // (found by fuzzing).
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    const bool valid = ctx && EVP_PKEY_check(ctx.get()) == 1;
    ERR_clear_error();
    return valid;
}

std::optional<std::string> sign_rs256_jwt(std::string_view header_json, std::string_view claims_json,
                                          std::string_view private_key_pem, std::string& error) {
    PkeyPtr key = read_private_key(private_key_pem);
    if (!key) {
        error = "the private key is not a readable, unencrypted PEM private key";
        return std::nullopt;
    }
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
        error = "the private key is not an RSA key, which RS256 needs";
        return std::nullopt;
    }
    std::string signing_input = base64url(header_json);
    signing_input += '.';
    signing_input += base64url(claims_json);

    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    std::vector<unsigned char> signature;
    const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
    // An RSA key signs with PKCS#1 v1.5 padding unless told otherwise: exactly RS256.
    bool ok = ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
              EVP_DigestSign(ctx.get(), nullptr, &length, data, signing_input.size()) == 1;
    if (ok) {
        signature.resize(length);
        ok = EVP_DigestSign(ctx.get(), signature.data(), &length, data, signing_input.size()) == 1;
    }
    ERR_clear_error();
    if (!ok) {
        error = "signing the assertion with the private key failed";
        return std::nullopt;
    }
    signing_input += '.';
    signing_input += base64url(std::string_view(reinterpret_cast<const char*>(signature.data()), length));
    return signing_input;
}

std::optional<std::string> service_account_assertion(const GoogleServiceAccount& account, std::string_view audience,
                                                     std::chrono::system_clock::time_point now,
                                                     const std::string& store, std::string& error) {
    JsonWriter header;
    header.begin_object().key("alg").string("RS256").key("typ").string("JWT");
    if (!account.private_key_id.empty()) header.key("kid").string(account.private_key_id);
    header.end_object();

    const std::int64_t iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    JsonWriter claims;
    claims.begin_object()
        .key("iss").string(account.client_email)
        .key("scope").string(kCloudPlatformScope)
        .key("aud").string(audience)
        .key("iat").integer(iat)
        .key("exp").integer(iat + kAssertionLifetime.count())
        .end_object();

    std::string reason;
    auto jwt = sign_rs256_jwt(header.str(), claims.str(), account.private_key.reveal(), reason);
    if (!jwt) error = fmt::format("credential store \"{}\": serviceAccountKey: {}", store, reason);
    return jwt;
}

}  // namespace sw::credentials
