// json_writer.cpp — compact JSON output with correct string escaping.
#include "common/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sw {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    if (n == 2 && c < 0xC2) return 0;                              // overlong
    if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;       // overlong
    if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;      // surrogate
    if (n == 4 && (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90)))
        return 0;
    return n;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; ++i; continue;
            case '\\': out += "\\\\"; ++i; continue;
            case '\n': out += "\\n"; ++i; continue;
            case '\r': out += "\\r"; ++i; continue;
            case '\t': out += "\\t"; ++i; continue;
            default: break;
        }
        if (c < 0x20) {
            out += fmt::format("\\u{:04x}", c);
            ++i;
            continue;
        }
        std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    out.push_back('"');
}

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_.push_back(',');
        first_.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_.push_back('{');
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    out_.push_back('}');
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    separate();
    out_.push_back('[');
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    out_.push_back(']');
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
    separate();
    append_json_string(out_, k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
}
JsonWriter& JsonWriter::string(std::string_view s) {
    separate();
    append_json_string(out_, s);
    return *this;
}
JsonWriter& JsonWriter::integer(std::int64_t v) {
    separate();
    out_ += fmt::format("{}", v);
    return *this;
}
JsonWriter& JsonWriter::number(double v) {
    separate();
    // JSON has no NaN or infinity; the parsers never produce them, so this is defensive.
    if (!std::isfinite(v)) out_ += "null";
    else out_ += fmt::format("{}", v);
    return *this;
}
JsonWriter& JsonWriter::boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
    return *this;
}
JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    out_.append(json);
    return *this;
}

}  // namespace sw
