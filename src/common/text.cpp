// text.cpp — quoting values for messages, and the line-break check for header values.
#include "common/text.hpp"

#include <fmt/format.h>

namespace sw {

std::string quote(std::string_view value) {
    constexpr std::size_t kMaxShown = 48;
    std::string out = "\"";
    for (std::size_t i = 0; i < value.size() && i < kMaxShown; ++i) {
        unsigned char c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7f) out += "?";
        else if (c == '"' || c == '\\') out += fmt::format("\\{}", static_cast<char>(c));
        else out.push_back(static_cast<char>(c));
    }
    if (value.size() > kMaxShown) out += "…";
    return out + "\"";
}

bool has_line_break_or_nul(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace sw
