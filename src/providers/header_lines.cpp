// header_lines.cpp — adapter header lines that a provider's configured headers may replace.
#include "providers/header_lines.hpp"

#include <algorithm>

namespace sw::providers {

namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

bool has_configured_header(const ProviderConfig& provider, std::string_view name) {
    return std::any_of(provider.headers.begin(), provider.headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
}

void add_header_unless_configured(std::vector<std::string>& headers, const ProviderConfig& provider,
                                  std::string_view name, std::string_view value) {
    if (has_configured_header(provider, name)) return;
    std::string line;
    line.reserve(name.size() + 2 + value.size());
    line.append(name).append(": ").append(value);
    headers.push_back(std::move(line));
}

}  // namespace sw::providers
