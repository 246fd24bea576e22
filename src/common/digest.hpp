// digest.hpp — lower-case hex digests (OpenSSL), for keys and signatures that name content
// without holding it: SigV4's payload hashes, Redis script SHA1s, the gateway's client digests.
#pragma once

#include <string>
#include <string_view>

namespace sw {

std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);

}  // namespace sw
