// test_answer_codec.cpp — the redis backend's value format (cache/answer_codec.hpp): an answer
// read back exactly, and every value that is not one refused rather than misread.
#include "cache/answer_codec.hpp"

#include <catch2/catch.hpp>

using sw::cache::CachedAnswer;
using sw::cache::decode_answer;
using sw::cache::encode_answer;

namespace {

CachedAnswer whole() {
    CachedAnswer a;
    a.body = R"({"id":"c1","choices":[{"message":{"content":"Hi"},"finish_reason":"stop"}]})";
    a.text = "Hi";
    a.finish_reason = "stop";
    a.usage = {7, 2};
    a.pool_id = "primary";
    a.provider = "a";
    return a;
}

CachedAnswer stream() {
    CachedAnswer a = whole();
    a.stream = true;
    a.body.clear();
    a.chunks = {"one", std::string("t\0wo", 4), "", std::string(70000, 'z'), "[DONE]"};
    return a;
}

}  // namespace

TEST_CASE("answer codec: a whole answer and a stream come back exactly") {
    for (const CachedAnswer& a : {whole(), stream()}) {
        const std::string bytes = encode_answer(a, 1'733'000'000'123);
        auto d = decode_answer(bytes);
        REQUIRE(d);
        CHECK(d->stored_unix_ms == 1'733'000'000'123);
        CHECK(d->answer->stream == a.stream);
        CHECK(d->answer->body == a.body);
        CHECK(d->answer->chunks == a.chunks);
        CHECK(d->answer->text == a.text);
        CHECK(d->answer->finish_reason == a.finish_reason);
        CHECK(d->answer->usage.input_tokens == a.usage.input_tokens);
        CHECK(d->answer->usage.output_tokens == a.usage.output_tokens);
        CHECK(d->answer->pool_id == a.pool_id);
        CHECK(d->answer->provider == a.provider);
    }
}

TEST_CASE("answer codec: every truncation, trailing bytes and another version are refused") {
    const std::string bytes = encode_answer(stream(), 5);
    // Every prefix but the whole: none is an answer (the long chunk makes this ~70k decodes).
    for (std::size_t n = 0; n < bytes.size(); n += (n < 200 ? 1 : 997)) {
        INFO(n);
        CHECK_FALSE(decode_answer(std::string_view(bytes).substr(0, n)));
    }
    CHECK_FALSE(decode_answer(bytes + '\0'));
    std::string v2 = bytes;
    v2[3] = '\x02';
    CHECK_FALSE(decode_answer(v2));
    std::string kind = bytes;
    kind[4] = '\x07';
    CHECK_FALSE(decode_answer(kind));
    CHECK(decode_answer(bytes));
}

TEST_CASE("answer codec: a count or a length past the end is refused, not trusted") {
    CachedAnswer a = stream();
    a.chunks = {"x"};
    std::string bytes = encode_answer(a, 0);
    // The chunk count is the 4 bytes before the last chunk ("x" with its 4-byte length).
    std::string huge_count = bytes;
    huge_count.replace(huge_count.size() - 9, 4, std::string("\xff\xff\xff\x7f", 4));
    CHECK_FALSE(decode_answer(huge_count));
    std::string huge_length = bytes;
    huge_length.replace(huge_length.size() - 5, 4, std::string("\xff\xff\xff\xff", 4));
    CHECK_FALSE(decode_answer(huge_length));
}

TEST_CASE("answer codec: what the cache never stores is not an answer") {
    CachedAnswer no_body = whole();
    no_body.body.clear();
    CHECK_FALSE(decode_answer(encode_answer(no_body, 0)));
    CachedAnswer no_chunks = stream();
    no_chunks.chunks.clear();
    CHECK_FALSE(decode_answer(encode_answer(no_chunks, 0)));
    CachedAnswer no_finish = whole();
    no_finish.finish_reason.clear();
    CHECK_FALSE(decode_answer(encode_answer(no_finish, 0)));
}
