// percent_encoding.hpp — RFC 3986 percent-encoding, as OAuth forms and AWS SigV4 require it.
#pragma once

#include <string>
#include <string_view>

namespace sw {

// Appends `value` with every byte except the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~)
// written as %XX, upper-case hex. A space becomes %20, never '+'. With `keep_slash`, '/' is
// kept too (a URI path).
void append_percent_encoded(std::string& out, std::string_view value, bool keep_slash = false);

inline std::string percent_encoded(std::string_view value, bool keep_slash = false) {
    std::string out;
    out.reserve(value.size());
    append_percent_encoded(out, value, keep_slash);
    return out;
}

// Decodes %XX sequences (either case of hex). A '%' not followed by two hex digits is kept as
// is, and '+' stays '+': in a URI, unlike in a form, it is not a space.
std::string percent_decoded(std::string_view value);

}  // namespace sw
