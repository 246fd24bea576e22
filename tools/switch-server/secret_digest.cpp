// secret_digest.cpp — SHA-256 and CRYPTO_memcmp from OpenSSL's libcrypto.
#include "secret_digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace server {

namespace {

SecretDigest::Bytes sha256(std::string_view text) {
    SecretDigest::Bytes out{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 || size != out.size())
        throw std::runtime_error("SHA-256 failed");
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

SecretDigest SecretDigest::of(std::string_view secret) { return SecretDigest(sha256(secret)); }

std::optional<SecretDigest> SecretDigest::from_hex(std::string_view hex) {
    Bytes bytes{};
    if (hex.size() != bytes.size() * 2) return std::nullopt;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return SecretDigest(bytes);
}

bool SecretDigest::matches(std::string_view presented) const { return *this == of(presented); }

bool SecretDigest::operator==(const SecretDigest& other) const {
    return CRYPTO_memcmp(other.bytes_.data(), bytes_.data(), bytes_.size()) == 0;
}

}  // namespace server
