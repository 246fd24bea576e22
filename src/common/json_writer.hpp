// json_writer.hpp — a small streaming JSON writer for reports, diagnostics and parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sw {

// Writes compact JSON. Commas are inserted automatically; callers pair begin/end calls.
class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& string(std::string_view s);
    JsonWriter& integer(std::int64_t v);
    JsonWriter& number(double v);
    JsonWriter& boolean(bool v);
    JsonWriter& null();
    // A value that is already JSON text.
    JsonWriter& raw(std::string_view json);

    // Room for `bytes` of output, for a caller that knows its size: one allocation, not several.
    void reserve(std::size_t bytes) { out_.reserve(bytes); }
    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void separate();
    std::string out_;
    std::vector<bool> first_;  // per open container: no member written yet
    bool after_key_ = false;
};

// Appends `s` to `out` as a JSON string literal, quotes included. Invalid UTF-8 bytes are
// replaced by U+FFFD so that the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

}  // namespace sw
