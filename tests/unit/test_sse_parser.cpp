// test_sse_parser.cpp — the SSE parser against the WHATWG event-stream rules, under every split.
#include "transport/sse_parser.hpp"

#include <catch2/catch.hpp>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace {

using sw::transport::SseParser;

struct Event {
    std::string type;
    std::string data;
    bool operator==(const Event& o) const { return type == o.type && data == o.data; }
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
    return os << '{' << e.type << ", \"" << e.data << "\"}";
}

struct Collector {
    std::vector<Event> events;
    SseParser parser;
    explicit Collector(std::size_t cap = SseParser::default_max_event_bytes)
        : parser([this](std::string_view t, std::string_view d) {
              events.push_back({std::string(t), std::string(d)});
          },
                 cap) {}
};

std::vector<Event> parse_whole(std::string_view stream) {
    Collector c;
    c.parser.feed(stream);
    c.parser.finish();
    return c.events;
}

// A stream that exercises every rule at once, as an OpenAI-compatible server might send it.
const std::string kSample =
    "\xEF\xBB\xBF"
    ": keep-alive\r\n"
    "\r\n"
    "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n"
    "\r\n"
    "event: ping\n"
    "data:no space\n"
    "data:  two spaces\n"
    "data\n"
    "\n"
    "id: 42\r"
    "retry: 1500\r"
    "bogus: field\r"
    "data: a\r"
    "data: b\r"
    "\r"
    "event: only-type\n"
    "\n"
    "event: error\r\n"
    "data: {\"error\":{\"message\":\"overloaded\"}}\r\n"
    "\r\n"
    "data: [DONE]\n"
    "\n";

const std::vector<Event> kSampleEvents = {
    {"message", "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}"},
    {"ping", "no space\n two spaces\n"},
    {"message", "a\nb"},
    {"error", "{\"error\":{\"message\":\"overloaded\"}}"},
    {"message", "[DONE]"},
};

}  // namespace

TEST_CASE("SSE: a whole stream gives its events", "[sse]") {
    Collector c;
    c.parser.feed(kSample);
    CHECK(c.events == kSampleEvents);
    CHECK_FALSE(c.parser.finish());
    CHECK(c.parser.last_event_id() == "42");
    CHECK(c.parser.retry_ms() == 1500u);
    CHECK(c.parser.events_dispatched() == kSampleEvents.size());
}

TEST_CASE("SSE: every split into two pieces gives the same events", "[sse]") {
    for (std::size_t split = 0; split <= kSample.size(); ++split) {
        Collector c;
        c.parser.feed(std::string_view(kSample).substr(0, split));
        c.parser.feed(std::string_view(kSample).substr(split));
        INFO("split at " << split);
        CHECK(c.events == kSampleEvents);
        CHECK_FALSE(c.parser.finish());
    }
}

TEST_CASE("SSE: every pair of split points gives the same events", "[sse]") {
    const std::string_view s = kSample;
    for (std::size_t a = 0; a <= s.size(); ++a) {
        for (std::size_t b = a; b <= s.size(); ++b) {
            Collector c;
            c.parser.feed(s.substr(0, a));
            c.parser.feed(s.substr(a, b - a));
            c.parser.feed(s.substr(b));
            if (!(c.events == kSampleEvents)) {
                FAIL("splits at " << a << " and " << b);
            }
        }
    }
    SUCCEED();
}

TEST_CASE("SSE: one byte at a time", "[sse]") {
    Collector c;
    for (const char ch : kSample) c.parser.feed(std::string_view(&ch, 1));
    CHECK(c.events == kSampleEvents);
    CHECK_FALSE(c.parser.finish());
}

TEST_CASE("SSE: line endings", "[sse]") {
    const std::vector<Event> two = {{"message", "x"}, {"message", "y"}};
    CHECK(parse_whole("data: x\n\ndata: y\n\n") == two);
    CHECK(parse_whole("data: x\r\n\r\ndata: y\r\n\r\n") == two);
    CHECK(parse_whole("data: x\r\rdata: y\r\r") == two);
    CHECK(parse_whole("data: x\r\n\ndata: y\n\r\n") == two);
    // CR LF is one line end, but LF CR is two: the CR ends an empty line and dispatches.
    CHECK(parse_whole("data: x\n\rdata: y\n\r") == two);
    SECTION("a CRLF split between calls counts once") {
        Collector c;
        c.parser.feed("data: x\r");
        c.parser.feed("\n");
        CHECK(c.events.empty());
        c.parser.feed("data: y\r");
        c.parser.feed("\n\r");
        c.parser.feed("\n");
        CHECK(c.events == std::vector<Event>{{"message", "x\ny"}});
    }
}

TEST_CASE("SSE: comments, field syntax and unknown fields", "[sse]") {
    CHECK(parse_whole(":comment\n: another\n\n").empty());
    CHECK(parse_whole("data: x\n:comment in the middle\ndata: y\n\n") ==
          std::vector<Event>{{"message", "x\ny"}});
    // Only one space is stripped; the colon in the value stays.
    CHECK(parse_whole("data:  a: b\n\n") == std::vector<Event>{{"message", " a: b"}});
    // A field name without a colon has an empty value.
    CHECK(parse_whole("data\ndata\n\n") == std::vector<Event>{{"message", "\n"}});
    // Field names are case-sensitive; unknown ones are ignored.
    CHECK(parse_whole("Data: x\nfoo: bar\nevent\n\n").empty());
    CHECK(parse_whole("foo: bar\ndata: x\n\n") == std::vector<Event>{{"message", "x"}});
    // An empty data line still makes an event, with empty data.
    CHECK(parse_whole("data:\n\n") == std::vector<Event>{{"message", ""}});
    // A trailing space is part of the value.
    CHECK(parse_whole("data: x \n\n") == std::vector<Event>{{"message", "x "}});
}

TEST_CASE("SSE: event types", "[sse]") {
    CHECK(parse_whole("event: content_block_delta\ndata: {}\n\n") ==
          std::vector<Event>{{"content_block_delta", "{}"}});
    // The type does not leak into the next event.
    CHECK(parse_whole("event: a\ndata: 1\n\ndata: 2\n\n") ==
          std::vector<Event>{{"a", "1"}, {"message", "2"}});
    // An event with a type but no data is not dispatched, and its type is dropped.
    CHECK(parse_whole("event: a\n\ndata: 2\n\n") == std::vector<Event>{{"message", "2"}});
    // The last event field wins; an empty one means "message".
    CHECK(parse_whole("event: a\nevent: b\ndata: 1\n\n") == std::vector<Event>{{"b", "1"}});
    CHECK(parse_whole("event: a\nevent:\ndata: 1\n\n") == std::vector<Event>{{"message", "1"}});
}

TEST_CASE("SSE: id and retry", "[sse]") {
    Collector c;
    c.parser.feed("id: 7\nretry: x1\ndata: a\n\n");
    CHECK(c.parser.last_event_id() == "7");
    CHECK_FALSE(c.parser.retry_ms().has_value());
    static const char with_nul[] = "id: bad\0id\nretry: 250\n\n";
    c.parser.feed(std::string_view(with_nul, sizeof with_nul - 1));
    CHECK(c.parser.last_event_id() == "7");  // an id containing NUL is ignored
    CHECK(c.parser.retry_ms() == 250u);
    c.parser.feed("id\n\n");
    CHECK(c.parser.last_event_id().empty());
}

TEST_CASE("SSE: a BOM is skipped only at the start", "[sse]") {
    CHECK(parse_whole("\xEF\xBB\xBF" "data: x\n\n") == std::vector<Event>{{"message", "x"}});
    // A partial BOM is not a BOM: the bytes start the first line, an unknown field here.
    CHECK(parse_whole("\xEF\xBB" "data: x\n\ndata: y\n\n") ==
          std::vector<Event>{{"message", "y"}});
    // A BOM later on is content.
    CHECK(parse_whole("data: x\xEF\xBB\xBF\n\n") ==
          std::vector<Event>{{"message", "x\xEF\xBB\xBF"}});
}

TEST_CASE("SSE: finish reports an incomplete event", "[sse]") {
    SECTION("complete stream") {
        Collector c;
        c.parser.feed("data: x\n\n");
        CHECK_FALSE(c.parser.finish());
    }
    SECTION("data without the blank line") {
        Collector c;
        c.parser.feed("data: x\n");
        CHECK(c.parser.finish());
        CHECK(c.events.empty());  // discarded, as the standard says
    }
    SECTION("a line cut off") {
        Collector c;
        c.parser.feed("data: {\"choi");
        CHECK(c.parser.finish());
    }
    SECTION("a cut-off comment is not an event") {
        Collector c;
        c.parser.feed("data: x\n\n: keep-al");
        CHECK_FALSE(c.parser.finish());
    }
    SECTION("the parser can be reused after finish") {
        Collector c;
        c.parser.feed("data: x\n");
        CHECK(c.parser.finish());
        c.parser.feed("data: y\n\n");
        CHECK(c.events == std::vector<Event>{{"message", "y"}});
    }
}

TEST_CASE("SSE: the size cap", "[sse]") {
    SECTION("an event at the cap passes") {
        Collector c(16);
        c.parser.feed("data: 0123456789abcde\n\n");  // 15 bytes of data + '\n' = 16
        CHECK_FALSE(c.parser.failed());
        CHECK(c.events.size() == 1);
    }
    SECTION("many data lines beyond the cap fail") {
        Collector c(16);
        c.parser.feed("data: 01234567\ndata: 01234567\n");
        CHECK(c.parser.failed());
        c.parser.feed("\ndata: x\n\n");  // ignored once failed
        CHECK(c.events.empty());
        CHECK_FALSE(c.parser.finish());
        c.parser.reset();
        CHECK_FALSE(c.parser.failed());
        c.parser.feed("data: x\n\n");
        CHECK(c.events.size() == 1);
    }
    SECTION("an endless line fails, however it is split") {
        Collector c(64);
        for (int i = 0; i < 100 && !c.parser.failed(); ++i) c.parser.feed("data: aaaaaaaa");
        CHECK(c.parser.failed());
    }
    SECTION("the cap is per event") {
        Collector c(16);
        for (int i = 0; i < 1000; ++i) c.parser.feed("data: 0123456789\n\n");
        CHECK_FALSE(c.parser.failed());
        CHECK(c.events.size() == 1000);
    }
    SECTION("the default is 1 MiB") {
        Collector c;
        const std::string big(std::size_t{1} << 20, 'x');
        c.parser.feed("data: ");
        c.parser.feed(big);
        CHECK(c.parser.failed());
    }
}
