// adapter_test_support.hpp — for provider adapter tests: recorded requests, answers and streams
// from tests/data/<dir>/, JSON compared by value, and parsed errors as the classifier sees them.
#pragma once

#include "providers/adapter.hpp"

#include <switch/outcome.hpp>

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace swtest {

inline std::string read_fixture(const std::string& dir, const std::string& name) {
    std::ifstream in(std::string(SWITCH_TEST_DATA_DIR) + "/data/" + dir + "/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The JSON text in one canonical form (no whitespace, strings re-escaped), so that a pretty
// fixture and compact output compare equal exactly when they hold the same values in the same
// order. Not JSON: returned as is, so the comparison fails visibly.
inline std::string canonical_json(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    if (parser.parse(text).get(e)) return "not JSON: " + text;
    return simdjson::minify(e);
}

// What the request driver gives the classifier for a parsed error: a ParsedResponse, or a
// ParsedChunk's error inside a stream.
template <typename Parsed>
sw::Outcome outcome_of(int status, const Parsed& r) {
    sw::Outcome o;
    o.http_status = status;
    o.error_type = r.error_type;
    o.error_code = r.error_code;
    o.error_message = r.error_message;
    return o;
}

}  // namespace swtest
