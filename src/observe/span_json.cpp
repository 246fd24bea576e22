// span_json.cpp — a span as one JSON object (tracing.hpp's to_json), for the C ABI and Python.
#include <switch/tracing.hpp>

#include "common/json_writer.hpp"

#include <fmt/format.h>

#include <type_traits>

namespace sw {

namespace {

void write_value(JsonWriter& w, const SpanValue& value) {
    std::visit(
        [&w](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) w.string(v);
            else if constexpr (std::is_same_v<T, std::int64_t>) w.integer(v);
            else if constexpr (std::is_same_v<T, double>) w.number(v);
            else if constexpr (std::is_same_v<T, bool>) w.boolean(v);
            else {
                w.begin_array();
                for (const std::string& s : v) w.string(s);
                w.end_array();
            }
        },
        value);
}

}  // namespace

std::string to_json(const Span& span) {
    JsonWriter w;
    w.reserve(256 + 48 * span.attributes.size());
    w.begin_object();
    w.key("name").string(span.name).key("kind").string(to_string(span.kind));
    w.key("trace_id").string(fmt::format("{:016x}{:016x}", span.trace_id.high, span.trace_id.low));
    w.key("span_id").string(fmt::format("{:016x}", span.span_id));
    w.key("parent_span_id").string(span.parent_span_id ? fmt::format("{:016x}", span.parent_span_id) : "");
    w.key("flags").integer(span.flags);
    w.key("start_unix_nanos").integer(span.start_unix_nanos).key("end_unix_nanos").integer(span.end_unix_nanos);
    w.key("error").boolean(span.error).key("status_message").string(span.status_message);
    w.key("attributes").begin_object();
    for (const SpanAttribute& a : span.attributes) {
        w.key(a.key);
        write_value(w, a.value);
    }
    w.end_object();
    w.end_object();
    return w.take();
}

}  // namespace sw
