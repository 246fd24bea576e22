// secret_digest.hpp — a secret kept only as its SHA-256, and compared in constant time.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace server {

// The server never keeps a key it checks: only its digest. Comparing digests of fixed length
// with CRYPTO_memcmp means neither the key's length nor its first differing byte shows in the
// time a check takes.
class SecretDigest {
public:
    using Bytes = std::array<unsigned char, 32>;

    static SecretDigest of(std::string_view secret);
    // nullopt unless `hex` is 64 hex digits (either case).
    static std::optional<SecretDigest> from_hex(std::string_view hex);

    // Hashes `presented` and compares the digests in constant time.
    bool matches(std::string_view presented) const;
    // Constant time, for a caller that hashed once and compares with many.
    bool operator==(const SecretDigest& other) const;

private:
    explicit SecretDigest(const Bytes& bytes) : bytes_(bytes) {}
    Bytes bytes_{};
};

}  // namespace server
