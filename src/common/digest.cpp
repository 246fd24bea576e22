// digest.cpp — one EVP_Digest call and its hex.
#include "common/digest.hpp"

#include <openssl/evp.h>

namespace sw {
namespace {

std::string hex_digest(std::string_view data, const EVP_MD* md) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), out, &size, md, nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i) {
        text += kHex[out[i] >> 4];
        text += kHex[out[i] & 15];
    }
    return text;
}

}  // namespace

std::string sha256_hex(std::string_view data) { return hex_digest(data, EVP_sha256()); }
std::string sha1_hex(std::string_view data) { return hex_digest(data, EVP_sha1()); }

}  // namespace sw
