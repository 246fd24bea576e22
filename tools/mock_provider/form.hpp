// form.hpp — percent-decoding, and fields of application/x-www-form-urlencoded bodies and queries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mock {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as forms write it). A '%' not
// followed by two hex digits is kept as is.
std::string percent_decode(std::string_view text, bool plus_is_space);

// The decoded value of the first `name=value` pair of a form body or query, if there is one.
std::optional<std::string> form_field(std::string_view form, std::string_view name);

}  // namespace mock
