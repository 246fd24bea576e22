// test_aws_event_stream.cpp — the AWS event stream decoder: published byte vectors, every split,
// corrupted and truncated input, size caps, every header type, and random mutations.
#include "transport/aws_event_stream.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

using sw::transport::AwsEventStreamParser;
using sw::transport::append_event_stream_message;

struct Event {
    std::string type, data;
    bool operator==(const Event& o) const { return type == o.type && data == o.data; }
};

struct Collector {
    std::vector<Event> events;
    AwsEventStreamParser parser;
    explicit Collector(std::size_t cap = AwsEventStreamParser::default_max_message_bytes)
        : parser([this](std::string_view t, std::string_view d) { events.push_back({std::string(t), std::string(d)}); },
                 cap) {}
};

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

std::uint32_t crc(std::string_view s) {
    return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// A message built by hand from raw header bytes, with correct CRCs unless told otherwise.
std::string frame(const std::string& raw_headers, const std::string& payload, std::uint32_t total_override = 0) {
    std::string out;
    put_u32(out, total_override ? total_override : static_cast<std::uint32_t>(16 + raw_headers.size() + payload.size()));
    put_u32(out, static_cast<std::uint32_t>(raw_headers.size()));
    put_u32(out, crc(out));
    out += raw_headers + payload;
    put_u32(out, crc(out));
    return out;
}

std::string event(std::string_view type, std::string_view payload) {
    std::string out;
    append_event_stream_message(out, {{":event-type", type}, {":content-type", "application/json"}, {":message-type", "event"}},
                                payload);
    return out;
}

// Three events as ConverseStream sends them.
std::vector<Event> sample_events() {
    return {{"messageStart", R"({"role":"assistant"})"},
            {"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hello"}})"},
            {"messageStop", R"({"stopReason":"end_turn"})"}};
}

std::string sample_stream() {
    std::string out;
    for (const Event& e : sample_events()) out += event(e.type, e.data);
    return out;
}

}  // namespace

TEST_CASE("published vectors: a payload without headers, and with a content-type header", "[event-stream]") {
    // The examples of the Elixir event_stream package (hex.pm), encoded by an independent
    // implementation.
    const std::string no_headers = bytes({0, 0, 0, 30, 0, 0, 0, 0, 186, 242, 246, 138}) + R"({"foo": "bar"})" +
                                   bytes({174, 114, 88, 228});
    const std::string with_header = bytes({0, 0, 0, 62, 0, 0, 0, 32, 64, 93, 249, 70, 12}) + "content-type" +
                                    bytes({7, 0, 16}) + "application/json" + R"({"foo": "bar"})" +
                                    bytes({111, 162, 191, 59});
    Collector c;
    c.parser.feed(no_headers + with_header);
    CHECK_FALSE(c.parser.failed());
    CHECK_FALSE(c.parser.finish());
    REQUIRE(c.events.size() == 2);
    CHECK(c.events[0] == Event{"", R"({"foo": "bar"})"});
    CHECK(c.events[1] == Event{"", R"({"foo": "bar"})"});

    std::string encoded;
    append_event_stream_message(encoded, {}, R"({"foo": "bar"})");
    append_event_stream_message(encoded, {{"content-type", "application/json"}}, R"({"foo": "bar"})");
    CHECK(encoded == no_headers + with_header);
}

TEST_CASE("every split of a stream gives the same events", "[event-stream]") {
    const std::string stream = sample_stream();
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        for (std::size_t cut2 = cut; cut2 <= stream.size(); cut2 += 7) {
            Collector c;
            c.parser.feed(std::string_view(stream).substr(0, cut));
            c.parser.feed(std::string_view(stream).substr(cut, cut2 - cut));
            c.parser.feed(std::string_view(stream).substr(cut2));
            CHECK_FALSE(c.parser.finish());
            REQUIRE(c.events == sample_events());
        }
    }
    Collector bytewise;
    for (char ch : stream) bytewise.parser.feed(std::string_view(&ch, 1));
    CHECK(bytewise.events == sample_events());
    CHECK(bytewise.parser.events_dispatched() == 3);
}

TEST_CASE("random chunking of a long stream", "[event-stream]") {
    std::mt19937 rng(20240611);
    std::vector<Event> expected;
    std::string stream;
    for (int i = 0; i < 200; ++i) {
        std::string payload(std::uniform_int_distribution<int>(0, 3000)(rng), 'x');
        for (char& ch : payload) ch = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        expected.push_back({"e" + std::to_string(i), payload});
        stream += event(expected.back().type, payload);
    }
    Collector c;
    for (std::size_t at = 0; at < stream.size();) {
        const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 5000)(rng);
        c.parser.feed(std::string_view(stream).substr(at, n));
        at += n;
    }
    CHECK_FALSE(c.parser.failed());
    CHECK_FALSE(c.parser.finish());
    CHECK(c.events == expected);
}

TEST_CASE("a truncated stream reports its incomplete message and delivers none of it", "[event-stream]") {
    const std::string stream = sample_stream();
    const std::size_t first = event("messageStart", R"({"role":"assistant"})").size();
    for (std::size_t cut : {first + 1, first + 11, first + 12, first + 20, stream.size() - 1}) {
        Collector c;
        c.parser.feed(std::string_view(stream).substr(0, cut));
        CHECK(c.parser.finish());  // incomplete
        CHECK_FALSE(c.parser.failed());
        CHECK(c.events.size() == (cut < stream.size() - 1 ? 1u : 2u));
    }
}

TEST_CASE("a bad prelude CRC or message CRC fails cleanly, without delivering that message", "[event-stream]") {
    const std::string good = event("messageStart", R"({"role":"assistant"})");
    SECTION("prelude CRC") {
        std::string bad = event("contentBlockDelta", R"({"delta":{"text":"secret"}})");
        bad[9] = static_cast<char>(bad[9] ^ 0x01);
        Collector c;
        c.parser.feed(good + bad + good);
        CHECK(c.parser.failed());
        CHECK_THAT(std::string(c.parser.failure()), Catch::Contains("prelude CRC"));
        REQUIRE(c.events.size() == 1);
        CHECK(c.events[0].type == "messageStart");
        CHECK_FALSE(c.parser.finish());
    }
    SECTION("message CRC, the corrupted message fed byte by byte") {
        std::string bad = event("contentBlockDelta", R"({"delta":{"text":"secret"}})");
        bad[bad.size() - 10] = 'X';  // inside the payload
        Collector c;
        c.parser.feed(good);
        for (char ch : bad + good) c.parser.feed(std::string_view(&ch, 1));
        CHECK(c.parser.failed());
        CHECK_THAT(std::string(c.parser.failure()), Catch::Contains("message CRC"));
        CHECK(c.events.size() == 1);
    }
}

TEST_CASE("lengths that cannot be right, and messages above the cap, fail at once", "[event-stream]") {
    SECTION("a 32 MiB length fails after its 12-byte prelude, before anything is buffered") {
        std::string prelude;
        put_u32(prelude, 32u << 20);
        put_u32(prelude, 0);
        put_u32(prelude, crc(prelude));
        Collector c;
        c.parser.feed(prelude);
        CHECK(c.parser.failed());
        CHECK_THAT(std::string(c.parser.failure()), Catch::Contains("cap"));
    }
    SECTION("a custom cap") {
        Collector c(64);
        c.parser.feed(event("contentBlockDelta", std::string(100, 'a')));
        CHECK(c.parser.failed());
        CHECK(c.events.empty());
    }
    SECTION("a total below the 16-byte minimum") {
        Collector c;
        c.parser.feed(frame("", "", 8));
        CHECK(c.parser.failed());
    }
    SECTION("headers longer than the message") {
        std::string out;
        put_u32(out, 20);
        put_u32(out, 10);
        put_u32(out, crc(out));
        Collector c;
        c.parser.feed(out);
        CHECK(c.parser.failed());
        CHECK_THAT(std::string(c.parser.failure()), Catch::Contains("inconsistent"));
    }
}

TEST_CASE("fuzz regression: a prelude fed in pieces is checked as soon as its 12th byte is in", "[event-stream]") {
    // Found by tests/fuzz/fuzz_aws_event_stream: a stream ending right after a corrupt prelude
    // failed when fed at once, but fed byte by byte only counted as incomplete.
    std::string bad_crc = bytes({0, 0, 0, 0xa2, 0xd0, 1, 1, 0, 0x68, 0, 0, 0x86});
    std::string too_big;
    put_u32(too_big, 32u << 20);
    put_u32(too_big, 0);
    put_u32(too_big, crc(too_big));
    for (const std::string& prelude : {bad_crc, too_big}) {
        Collector whole, pieces;
        whole.parser.feed(prelude);
        for (char ch : prelude) pieces.parser.feed(std::string_view(&ch, 1));
        CHECK(whole.parser.failed());
        CHECK(pieces.parser.failed());
        CHECK(pieces.parser.failure() == whole.parser.failure());
        CHECK_FALSE(pieces.parser.finish());
    }
}

TEST_CASE("every header type is skipped, and a truncated header or an unknown type fails", "[event-stream]") {
    auto header = [](std::string_view name, int type, const std::string& value) {
        return static_cast<char>(name.size()) + std::string(name) + static_cast<char>(type) + value;
    };
    const std::string all = header("t", 0, "") + header("f", 1, "") + header("byte", 2, bytes({7})) +
                            header("short", 3, bytes({1, 2})) + header("int", 4, bytes({1, 2, 3, 4})) +
                            header("long", 5, std::string(8, '\x01')) + header("bin", 6, bytes({0, 3}) + "abc") +
                            header(":event-type", 7, bytes({0, 4}) + "ping") + header("time", 8, std::string(8, '\x02')) +
                            header("uuid", 9, std::string(16, '\x03'));
    Collector c;
    c.parser.feed(frame(all, "{}"));
    CHECK_FALSE(c.parser.failed());
    REQUIRE(c.events.size() == 1);
    CHECK(c.events[0] == Event{"ping", "{}"});

    Collector unknown;
    unknown.parser.feed(frame(header("x", 10, ""), "{}"));
    CHECK(unknown.parser.failed());
    CHECK(unknown.events.empty());

    Collector truncated;
    truncated.parser.feed(frame(header(":event-type", 7, bytes({0, 40}) + "short"), "{}"));
    CHECK(truncated.parser.failed());
}

TEST_CASE("exceptions and errors arrive with a prefixed event type", "[event-stream]") {
    std::string stream;
    append_event_stream_message(stream,
                                {{":message-type", "exception"}, {":exception-type", "throttlingException"},
                                 {":content-type", "application/json"}},
                                R"({"message":"Too many requests"})");
    append_event_stream_message(stream,
                                {{":message-type", "error"}, {":error-code", "InternalFailure"},
                                 {":error-message", "It broke"}},
                                "");
    append_event_stream_message(stream, {{":message-type", "future-kind"}}, "ignored");
    Collector c;
    c.parser.feed(stream);
    REQUIRE(c.events.size() == 2);
    CHECK(c.events[0] == Event{":exception:throttlingException", R"({"message":"Too many requests"})"});
    CHECK(c.events[1] == Event{":error:InternalFailure", "It broke"});
}

TEST_CASE("a failed parser ignores what follows", "[event-stream]") {
    std::string bad = event("a", "{}");
    bad.back() = static_cast<char>(bad.back() ^ 0xFF);
    Collector c;
    c.parser.feed(bad);
    REQUIRE(c.parser.failed());
    c.parser.feed(sample_stream());
    CHECK(c.events.empty());
}

TEST_CASE("fuzz: any single corrupted byte is caught before its message is delivered", "[event-stream]") {
    const std::string stream = sample_stream();
    std::vector<std::size_t> starts;
    for (std::size_t at = 0, i = 0; i < sample_events().size(); ++i) {
        starts.push_back(at);
        at += event(sample_events()[i].type, sample_events()[i].data).size();
    }
    std::mt19937 rng(7);
    for (std::size_t pos = 0; pos < stream.size(); ++pos) {
        std::string mutated = stream;
        mutated[pos] = static_cast<char>(mutated[pos] ^ std::uniform_int_distribution<int>(1, 255)(rng));
        Collector c;
        for (std::size_t at = 0; at < mutated.size();) {
            const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
            c.parser.feed(std::string_view(mutated).substr(at, n));
            at += n;
        }
        const bool incomplete = c.parser.finish();
        INFO("corrupted byte " << pos);
        CHECK(c.parser.failed());
        CHECK_FALSE(incomplete);
        const std::size_t intact = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin()) - 1;
        REQUIRE(c.events.size() == intact);
        for (std::size_t i = 0; i < intact; ++i) CHECK(c.events[i] == sample_events()[i]);
    }
    // Random garbage never crashes and never produces an event with a wrong CRC.
    for (int round = 0; round < 200; ++round) {
        std::string garbage(std::uniform_int_distribution<int>(0, 300)(rng), '\0');
        for (char& ch : garbage) ch = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        Collector c;
        c.parser.feed(garbage);
        c.parser.finish();
        CHECK(c.events.empty());
    }
}
