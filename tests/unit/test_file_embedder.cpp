// test_file_embedder.cpp — the file embedder: safetensors, the BPE tokenizer and wordllama's
// pooling on tiny files written here, each refusal with its message, the config's model and
// tokenizer keys, and a corrupt file refused when the router is built.
#include "config_test_support.hpp"
#include "temp_dir.hpp"

#include "prompt/bpe_tokenizer.hpp"
#include "prompt/file_embedder.hpp"
#include "prompt/safetensors.hpp"
#include "prompt/semantic.hpp"

#include <switch/router.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

using swtest::TempDir;

namespace {


// A safetensors file: the 8-byte little-endian header length, the header, the data.
std::string safetensors(const std::string& header, const std::string& data) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
    return out + header + data;
}

// `rows` x 2 F32 values: row i is (i, -1), or with `axes`, (1, 0) for an even i and (0, 1) for
// an odd one.
std::string f32_matrix(std::size_t rows, bool axes = false) {
    std::string data;
    for (std::size_t i = 0; i < rows; ++i) {
        const float x = axes ? (i % 2 ? 0.0f : 1.0f) : static_cast<float>(i);
        const float y = axes ? (i % 2 ? 1.0f : 0.0f) : -1.0f;
        for (float v : {x, y}) {
            char bytes[4];
            std::memcpy(bytes, &v, 4);  // the test runs on little-endian hosts, as the format is
            data.append(bytes, 4);
        }
    }
    return safetensors(fmt::format(R"({{"__metadata__":{{"format":"pt"}},"embedding.weight":{{"dtype":"F32",)"
                                   R"("shape":[{},2],"data_offsets":[0,{}]}}}})",
                                   rows, data.size()),
                       data);
}

// A Llama-2-like tokenizer: <unk> <s> </s>, the 256 byte tokens, then ▁ a b c ▁a ab ▁ab bc, with
// merges ranked "▁ a", "a b", "▁a b", "b c".
std::string tokenizer_json(const std::string& model_extra = R"("byte_fallback":true,"fuse_unk":true)",
                           const std::string& model_type = "BPE") {
    std::string vocab = R"("<unk>":0,"<s>":1,"</s>":2)";
    for (int b = 0; b < 256; ++b) vocab += fmt::format(R"(,"<0x{:02X}>":{})", b, 3 + b);
    vocab += R"(,"▁":259,"a":260,"b":261,"c":262,"▁a":263,"ab":264,"▁ab":265,"bc":266)";
    return fmt::format(
        R"({{"version":"1.0","truncation":null,"padding":null,)"
        R"("added_tokens":[{{"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}},)"
        R"({{"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}}],)"
        R"("normalizer":{{"type":"Sequence","normalizers":[{{"type":"Prepend","prepend":"▁"}},)"
        R"({{"type":"Replace","pattern":{{"String":" "}},"content":"▁"}}]}},"pre_tokenizer":null,)"
        R"("post_processor":null,"decoder":null,)"
        R"("model":{{"type":"{}","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,)"
        R"("end_of_word_suffix":null,{},"vocab":{{{}}},"merges":["▁ a",["a","b"],"▁a b","b c"]}}}})",
        model_type, model_extra, vocab);
}

using Ids = std::vector<std::uint32_t>;

std::unique_ptr<sw::prompt::BpeTokenizer> tokenizer(const std::string& json) {
    std::string error;
    auto t = sw::prompt::BpeTokenizer::parse(json, error);
    INFO(error);
    REQUIRE(t);
    return t;
}

std::string parse_error(const std::string& json) {
    std::string error;
    CHECK_FALSE(sw::prompt::BpeTokenizer::parse(json, error));
    return error;
}

std::string matrix_error(const TempDir& dir, const std::string& bytes) {
    sw::prompt::EmbeddingMatrix m;
    std::string error;
    CHECK_FALSE(m.load(dir.write("bad.safetensors", bytes), error));
    return error;
}

}  // namespace

TEST_CASE("BPE tokenizer: merges by rank then position, ▁ for spaces, byte fallback, added tokens in the text") {
    auto t = tokenizer(tokenizer_json());
    CHECK(t->encode("") == Ids{});
    CHECK(t->encode("a") == Ids{263});
    CHECK(t->encode("ab") == Ids{265});            // "▁ a" (rank 0) first, then "▁a b"
    CHECK(t->encode("abc") == Ids{265, 262});      // "a b" lost its "a" to "▁ a"; "b c" lost its "b"
    CHECK(t->encode("bc") == Ids{259, 266});
    CHECK(t->encode(" ") == Ids{259, 259});        // Prepend, then each space a ▁
    CHECK(t->encode("a  c") == Ids{263, 259, 259, 262});
    CHECK(t->encode("é") == Ids{259, 3 + 0xC3, 3 + 0xA9});  // no "é": its UTF-8 bytes
    CHECK(t->encode("a\xff") == Ids{263, 3 + 0xFF});        // a byte that is not UTF-8, alone
    CHECK(t->encode("a<s>b") == Ids{263, 1, 259, 261});     // each side normalized alone, so "▁b"
    CHECK(t->encode("<s>") == Ids{1});
    CHECK(t->encode("<unk><s>") == Ids{0, 1});
    CHECK(t->id_bound() == 267);
}

TEST_CASE("BPE tokenizer: without byte fallback an unknown character is <unk>, fused in runs when asked") {
    CHECK(tokenizer(tokenizer_json(R"("byte_fallback":false,"fuse_unk":true)"))->encode("ééa") == Ids{259, 0, 260});
    CHECK(tokenizer(tokenizer_json(R"("byte_fallback":false,"fuse_unk":false)"))->encode("ééa") == Ids{259, 0, 0, 260});
    CHECK(tokenizer(tokenizer_json(R"("ignore_merges":true)"))->encode("ab") == Ids{265});
}

TEST_CASE("BPE tokenizer: what is not supported is refused, naming it") {
    CHECK(parse_error("{").starts_with("not valid JSON"));
    CHECK(parse_error(tokenizer_json(R"("byte_fallback":true)", "WordPiece")) ==
          "model type \"WordPiece\" is not supported; the file embedder reads BPE tokenizers");
    std::string json = tokenizer_json();
    auto swap = [&](const std::string& from, const std::string& to) {
        std::string s = json;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    CHECK(parse_error(swap(R"("dropout":null)", R"("dropout":0.1)")) == "BPE's dropout is not supported");
    CHECK(parse_error(swap(R"("pre_tokenizer":null)", R"("pre_tokenizer":{"type":"ByteLevel"})")) ==
          "pre_tokenizer \"ByteLevel\" is not supported; the file embedder reads tokenizers without one "
          "(SentencePiece-style, whose normalizer adds \"▁\")");
    CHECK(parse_error(swap(R"({"type":"Prepend","prepend":"▁"})", R"({"type":"NFKC"})")) ==
          "normalizer \"NFKC\" is not supported; the file embedder reads Prepend, Replace (with a String pattern) "
          "and Sequence");
    CHECK(parse_error(swap(R"({"String":" "})", R"({"Regex":"\\s"})")) ==
          "a Replace normalizer needs a non-empty String pattern; Regex patterns are not supported");
    CHECK(parse_error(swap(R"("b c")", R"("b d")")) == "merge 3 (\"b\" + \"d\") names a token the vocabulary lacks");
    CHECK(parse_error(swap(R"("id":1,"content":"<s>","single_word":false,"lstrip":false)",
                           R"("id":1,"content":"<s>","single_word":false,"lstrip":true)")) ==
          "added token \"<s>\" has lstrip set, which is not supported");
}

TEST_CASE("safetensors: F16, BF16 and F32 read exactly") {
    CHECK(sw::prompt::half_to_float(0x3C00) == 1.0f);
    CHECK(sw::prompt::half_to_float(0xC000) == -2.0f);
    CHECK(sw::prompt::half_to_float(0x7BFF) == 65504.0f);
    CHECK(sw::prompt::half_to_float(0x0001) == std::ldexp(1.0f, -24));  // the smallest subnormal
    CHECK(sw::prompt::half_to_float(0x8000) == 0.0f);
    CHECK(std::isinf(sw::prompt::half_to_float(0x7C00)));
    CHECK(sw::prompt::bfloat16_to_float(0x3F80) == 1.0f);
    CHECK(sw::prompt::bfloat16_to_float(0xC2F7) == -123.5f);

    TempDir dir;
    const std::string half = std::string("\x00\x3C\x00\xC0\x01\x00\xFF\x7B", 8);  // 1, -2, 2^-24, 65504
    sw::prompt::EmbeddingMatrix m;
    std::string error;
    REQUIRE(m.load(dir.write("h.safetensors",
                             safetensors(R"({"bias":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},)"
                                         R"("emb":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}})",
                                         half)),
                   error));
    CHECK(m.tensor_name() == "emb");  // the only 2-D tensor, whatever its name
    CHECK(m.rows() == 2);
    CHECK(m.columns() == 2);
    CHECK(m.row(0)[0] == 1.0f);
    CHECK(m.row(0)[1] == -2.0f);
    CHECK(m.row(1)[1] == 65504.0f);
    REQUIRE(m.load(dir.write("b.safetensors", safetensors(R"({"embeddings":{"dtype":"BF16","shape":[1,2],)"
                                                          R"("data_offsets":[0,4]}})",
                                                          std::string("\x80\x3F\xF7\xC2", 4))),
                   error));
    CHECK(m.row(0)[0] == 1.0f);
    CHECK(m.row(0)[1] == -123.5f);
}

TEST_CASE("safetensors: each refusal says what is wrong") {
    TempDir dir;
    sw::prompt::EmbeddingMatrix m;
    std::string error;
    CHECK_FALSE(m.load((dir.path / "absent.safetensors").string(), error));
    CHECK(error == "cannot open the file (No such file or directory)");
    CHECK(matrix_error(dir, "abc") == "the file is 3 bytes, shorter than a safetensors header's 8-byte length");
    CHECK(matrix_error(dir, safetensors(R"({"embedding.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}})",
                                        "1234")
                                .substr(0, 30)) ==
          "the header claims 71 bytes but the file has 22 after its length; is it a safetensors file, and complete?");
    CHECK(matrix_error(dir, safetensors("[1,2]", "")) == "the header is not a JSON object of tensors");
    CHECK(matrix_error(dir, safetensors(R"({"embedding.weight":{"dtype":"I64","shape":[1,1],"data_offsets":[0,8]}})",
                                        std::string(8, '\0'))) ==
          "tensor \"embedding.weight\" has dtype I64; the file embedder reads F16, BF16 and F32");
    CHECK(matrix_error(dir, safetensors(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
                                        std::string(16, '\0'))) ==
          "no tensor is a 2-D matrix of token embeddings (\"w\" has 1 dimensions)");
    CHECK(matrix_error(dir, safetensors(R"({"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},)"
                                        R"("b":{"dtype":"F32","shape":[1,1],"data_offsets":[4,8]}})",
                                        std::string(8, '\0'))) ==
          "the file holds 2 2-D tensors (\"a\", \"b\") and none is named \"embedding.weight\" or \"embeddings\"");
    CHECK(matrix_error(dir, safetensors(R"({"embedding.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})",
                                        std::string(12, '\0'))) ==
          "tensor \"embedding.weight\" ([2, 2] F32) needs 16 bytes, and its data_offsets [0, 16] give 16 of the 12 "
          "the file holds; the file is truncated or corrupt");
}

TEST_CASE("file embedder: the mean of the tokens' rows, as wordllama pools, with ids past the matrix clipped") {
    TempDir dir;
    std::string error;
    auto e = sw::prompt::FileEmbedder::load(dir.write("m.safetensors", f32_matrix(267)),
                                            dir.write("t.json", tokenizer_json()), error);
    INFO(error);
    REQUIRE(e);
    CHECK(e->dimensions() == 2);
    std::vector<float> v;
    REQUIRE(e->embed("abc", v, error));
    CHECK(v == std::vector<float>{(265.0f + 262.0f) / 2, -1.0f});
    REQUIRE(e->embed("", v, error));
    CHECK(v == std::vector<float>{0.0f, 0.0f});  // no tokens: zeros (wordllama divides by at least 1)

    auto small = sw::prompt::FileEmbedder::load(dir.write("s.safetensors", f32_matrix(264)),
                                                (dir.path / "t.json").string(), error);
    REQUIRE(small);
    REQUIRE(small->embed("ab", v, error));  // id 265, past the 264 rows: the last row
    CHECK(v == std::vector<float>{263.0f, -1.0f});

    // Through the semantic router, on rows that point two ways: "ab ab" is ▁ab ▁ab, (0, 1), and
    // "c c c" is ▁ c ▁ c ▁ c, (0.5, 0.5).
    auto axes = sw::prompt::FileEmbedder::load(dir.write("x.safetensors", f32_matrix(267, true)),
                                               (dir.path / "t.json").string(), error);
    REQUIRE(axes);
    sw::prompt::SemanticRouter router({{"one", {"ab"}, 0.0}, {"two", {"c c c"}, 0.0}}, std::move(axes), 0);
    sw::prompt::SemanticDecision d;
    REQUIRE(router.classify("ab ab", d, error));
    CHECK(d.label == "one");
    CHECK(d.scores.at(0).score == Approx(1.0));
    CHECK(d.scores.at(1).score == Approx(std::sqrt(0.5)));
}

TEST_CASE("file embedder: routers that name the same unchanged files share one embedder") {
    TempDir dir;
    std::string error;
    const std::string model = dir.write("m.safetensors", f32_matrix(267));
    const std::string tok = dir.write("t.json", tokenizer_json());
    auto a = sw::prompt::FileEmbedder::shared(model, tok, error);
    auto b = sw::prompt::FileEmbedder::shared(model, tok, error);
    REQUIRE(a);
    CHECK(a == b);
    dir.write("m.safetensors", f32_matrix(268));  // another size: read again
    auto c = sw::prompt::FileEmbedder::shared(model, tok, error);
    REQUIRE(c);
    CHECK(c != a);
}

TEST_CASE("file embedder: load names the file that failed and why") {
    TempDir dir;
    std::string error;
    const std::string tok = dir.write("t.json", tokenizer_json());
    const std::string missing = (dir.path / "absent.safetensors").string();
    CHECK_FALSE(sw::prompt::FileEmbedder::load(missing, tok, error));
    CHECK(error == fmt::format("the model file \"{}\" cannot be used: cannot open the file (No such file or directory)",
                               missing));
    const std::string model = dir.write("m.safetensors", f32_matrix(3));
    const std::string wordpiece = dir.write("w.json", tokenizer_json("\"byte_fallback\":true", "WordPiece"));
    CHECK_FALSE(sw::prompt::FileEmbedder::load(model, wordpiece, error));
    CHECK(error == fmt::format("the tokenizer file \"{}\" cannot be used: model type \"WordPiece\" is not supported; "
                               "the file embedder reads BPE tokenizers",
                               wordpiece));
}

namespace {

std::string file_config(const std::string& semantic) {
    return R"({"pools":[{"id":"backup","providers":[{"name":"b","provider":"custom","modelName":"m","apiBase":"https://b.example.invalid/v1"}]}],)"
           R"("models":{"auto":{"router":{"strategy":"semantic","semantic":{"embedder":"file")" +
           semantic + R"(},"routes":{"general":[{"pool":"backup"}]}}}}})";
}

std::string json_string(const std::string& path) { return "\"" + path + "\""; }

// The header length a file starting with these 8 bytes claims.
std::uint64_t little_endian_u64(const char* bytes) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

}  // namespace

TEST_CASE("config: the file embedder's model and tokenizer, from the keys or the environment, checked") {
    TempDir dir;
    const std::string model = dir.write("m.safetensors", f32_matrix(267));
    const std::string tok = dir.write("t.json", tokenizer_json());

    auto missing = sw::test::load(file_config(""));
    REQUIRE_FALSE(missing.ok());
    const sw::Diagnostic* d = sw::test::diagnostic_at(missing, "models.auto.router.semantic.model");
    REQUIRE(d);
    CHECK(d->message == "the file embedder needs a model file; set model or SWITCH_EMBEDDING_MODEL");
    d = sw::test::diagnostic_at(missing, "models.auto.router.semantic.tokenizer");
    REQUIRE(d);
    CHECK(d->message == "the file embedder needs a tokenizer file; set tokenizer or SWITCH_EMBEDDING_TOKENIZER");

    auto from_env = sw::test::load(file_config(""), {{"SWITCH_EMBEDDING_MODEL", model}, {"SWITCH_EMBEDDING_TOKENIZER", tok}});
    INFO(sw::format_diagnostics_text(from_env));
    REQUIRE(from_env.ok());
    const auto& semantic = from_env.config->models.at(0).router->semantic;
    CHECK(semantic.model_file == model);
    CHECK(semantic.tokenizer_file == tok);

    const std::string absent = (dir.path / "nope.safetensors").string();
    auto keys = sw::test::load(file_config(",\"model\":" + json_string(absent) + ",\"tokenizer\":" + json_string(tok)),
                               {{"SWITCH_EMBEDDING_MODEL", model}});
    REQUIRE_FALSE(keys.ok());  // the key wins over the environment, and names a file that is not there
    d = sw::test::diagnostic_at(keys, "models.auto.router.semantic.model");
    REQUIRE(d);
    CHECK(d->message == fmt::format("the model file \"{}\" does not exist", absent));

    auto env_absent = sw::test::load(file_config(",\"tokenizer\":" + json_string(tok)), {{"SWITCH_EMBEDDING_MODEL", absent}});
    d = sw::test::diagnostic_at(env_absent, "models.auto.router.semantic.model");
    REQUIRE(d);
    CHECK(d->message == fmt::format("the model file \"{}\" (from SWITCH_EMBEDDING_MODEL) does not exist", absent));

    auto directory = sw::test::load(file_config(",\"model\":" + json_string(dir.path.string()) + ",\"tokenizer\":" +
                                                json_string(tok)));
    d = sw::test::diagnostic_at(directory, "models.auto.router.semantic.model");
    REQUIRE(d);
    CHECK(d->message == fmt::format("the model file \"{}\" is not a regular file", dir.path.string()));

    std::string builtin_config = file_config(",\"model\":\"x\"");
    builtin_config.replace(builtin_config.find("\"file\""), 6, "\"builtin\"");
    auto builtin = sw::test::load(builtin_config);
    REQUIRE(builtin.ok());
    d = sw::test::diagnostic_at(builtin, "models.auto.router.semantic.model");
    REQUIRE(d);
    CHECK(d->severity == sw::Severity::warning);
}

TEST_CASE("file embedder: a corrupt model file is refused when the router is built, naming the model and file") {
    TempDir dir;
    const std::string model = dir.write("m.safetensors", "not a model at all");
    const std::string tok = dir.write("t.json", tokenizer_json());
    auto loaded = sw::test::load(file_config(",\"model\":" + json_string(model) + ",\"tokenizer\":" + json_string(tok)));
    INFO(sw::format_diagnostics_text(loaded));
    REQUIRE(loaded.ok());  // the config checks that the file is there; its content is read by the router
    try {
        sw::Router router(loaded.config, {});
        FAIL("the router was built");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              fmt::format("model \"auto\"'s file embedder: the model file \"{}\" cannot be used: the header claims "
                          "{} bytes but the file has 10 after its length; is it a safetensors file, and complete?",
                          model, little_endian_u64("not a mo")));
    }
    dir.write("m.safetensors", f32_matrix(267));
    CHECK_NOTHROW(sw::Router(loaded.config, {}));
}
