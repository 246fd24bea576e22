// secret.cpp — redaction and wiping for sw::Secret.
#include <switch/secret.hpp>

#include <openssl/crypto.h>

namespace sw {

std::string Secret::redact(std::string_view value) {
    // Long enough that 7 visible characters leave most of the entropy hidden.
    constexpr std::size_t kMinLengthToShowEnds = 16;
    if (value.empty()) return {};
    if (value.size() < kMinLengthToShowEnds) return "…";
    std::string out(value.substr(0, 3));
    out += "…";
    out += value.substr(value.size() - 4);
    return out;
}

void Secret::wipe() noexcept {
    // OPENSSL_cleanse is not optimised away, unlike a plain memset before free.
    if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
}

}  // namespace sw
