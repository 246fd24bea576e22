// bpe_tokenizer.hpp — the part of Hugging Face's tokenizer.json that SentencePiece-style BPE
// tokenizers (Llama 2's, and so wordllama's) use, giving the ids the `tokenizers` library gives
// for encode(text, add_special_tokens=False).
//
// Supported, and anything else refused by load() with the feature named:
// - model: "BPE" with vocab and merges (as "a b" strings or ["a", "b"] pairs), unk_token,
//   fuse_unk, byte_fallback (<0xNN> tokens) and ignore_merges; no dropout, no
//   continuing_subword_prefix or end_of_word_suffix.
// - normalizer: none, or Prepend, Replace with a string pattern, and Sequence of those (Llama 2:
//   prepend "▁", replace " " with "▁").
// - pre_tokenizer: none (the whole normalized text is one word, as SentencePiece treats it).
// - added_tokens (such as <s>): matched in the raw text, longest first, before normalization, as
//   `tokenizers` does, when they are neither normalized nor lstrip/rstrip/single_word.
// padding, truncation, post_processor and decoder are not read: encoding for an embedding adds
// no special tokens and truncates nothing (wordllama's settings).
#pragma once

#include "prompt/merge_table.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sw::prompt {

class BpeTokenizer {
public:
    // The tokenizer in the file at `path`, or null with `error` saying why (without the path).
    static std::unique_ptr<BpeTokenizer> load(const std::string& path, std::string& error);
    // The same from the file's text.
    static std::unique_ptr<BpeTokenizer> parse(std::string_view json, std::string& error);

    // `text`'s token ids. Bytes that are not UTF-8 are taken one at a time (byte fallback).
    // Thread-safe.
    std::vector<std::uint32_t> encode(std::string_view text) const;

    // One more than the largest id the tokenizer can give.
    std::size_t id_bound() const { return id_bound_; }

private:
    struct AddedToken {
        std::string content;
        std::uint32_t id;
    };
    struct Rewrite {  // a normalizer step: prepend `to` (when `from` is empty), else replace
        std::string from, to;
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    BpeTokenizer() = default;
    std::string normalize(std::string_view piece) const;
    void encode_word(std::string_view word, std::vector<std::uint32_t>& out) const;
    // BPE over `word`'s characters.
    void merge(std::string_view word, std::vector<std::uint32_t>& out) const;

    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> vocab_;
    MergeTable merges_;
    std::vector<AddedToken> added_;                     // longest first
    bool added_first_bytes_[256] = {};                  // the bytes an added token starts with
    std::vector<Rewrite> normalizer_;
    std::int64_t ascii_ids_[128] = {};                  // each ASCII character's id, or -1
    std::int64_t byte_ids_[256] = {};                   // <0xNN>'s id, or -1 when absent
    bool byte_fallback_ = false, fuse_unk_ = false, ignore_merges_ = false, has_unk_ = false;
    bool split_at_boundaries_ = false;  // see parse()
    std::uint32_t unk_id_ = 0;
    std::size_t id_bound_ = 0;
};

}  // namespace sw::prompt
