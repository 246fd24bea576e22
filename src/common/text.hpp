// text.hpp — small checks and forms of text for messages and headers, shared by every layer.
#pragma once

#include <string>
#include <string_view>

namespace sw {

// A value quoted for a message: truncated and stripped of control characters. Use it only for
// values that cannot be secrets (ids, names, enumerations).
std::string quote(std::string_view value);

// True if `s` holds CR, LF or NUL, which could split a header or a request line.
bool has_line_break_or_nul(std::string_view s);

}  // namespace sw
