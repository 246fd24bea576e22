// bpe_tokenizer.cpp — reading tokenizer.json, and BPE as `tokenizers` runs it: the same symbols
// for unknown characters, the same merge order (lowest rank first, then leftmost).
#include "prompt/bpe_tokenizer.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace sw::prompt {

namespace {

using simdjson::dom::element;

std::string_view type_of(element e) {
    std::string_view type;
    if (e.is_object() && !e["type"].get(type)) return type;
    return {};
}

// A boolean member; absent or not a boolean: false, as `tokenizers` defaults.
bool flag(element object, const char* key) {
    bool on = false;
    return object[key].get(on) == simdjson::SUCCESS && on;
}

// The length of the UTF-8 character at `text[i]`; 1 for a byte that does not start a valid one,
// so that such a byte goes to byte fallback on its own.
std::size_t char_length(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > text.size()) return 1;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 1;
    return n;
}

// SentencePiece's word boundary, which Llama's normalizer writes for each space.
constexpr std::string_view kBoundary = "\u2581";

}  // namespace

std::unique_ptr<BpeTokenizer> BpeTokenizer::load(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot open the file ({})", std::strerror(errno));
        return nullptr;
    }
    const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = "cannot read the file (I/O error)";
        return nullptr;
    }
    return parse(json, error);
}

std::unique_ptr<BpeTokenizer> BpeTokenizer::parse(std::string_view json, std::string& error) {
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json);
    element root;
    if (auto e = parser.parse(padded).get(root)) {
        error = fmt::format("not valid JSON ({})", simdjson::error_message(e));
        return nullptr;
    }
    if (!root.is_object()) {
        error = "not a tokenizer.json object";
        return nullptr;
    }
    std::unique_ptr<BpeTokenizer> t(new BpeTokenizer());
    auto fail = [&](std::string why) {
        error = std::move(why);
        return nullptr;
    };

    element model;
    if (root["model"].get(model) || !model.is_object()) return fail("no \"model\" object");
    if (std::string_view type = type_of(model); type != "BPE")
        return fail(fmt::format("model type \"{}\" is not supported; the file embedder reads BPE tokenizers",
                                type.empty() ? "(none)" : type));
    for (const char* key : {"dropout", "continuing_subword_prefix", "end_of_word_suffix"}) {
        element v;
        std::string_view s;
        if (!model[key].get(v) && !v.is_null() && !(v.get(s) == simdjson::SUCCESS && s.empty()))
            return fail(fmt::format("BPE's {} is not supported", key));
    }
    t->byte_fallback_ = flag(model, "byte_fallback");
    t->fuse_unk_ = flag(model, "fuse_unk");
    t->ignore_merges_ = flag(model, "ignore_merges");

    simdjson::dom::object vocab;
    if (model["vocab"].get(vocab)) return fail("the BPE model has no \"vocab\" object");
    for (auto [token, id] : vocab) {
        std::uint64_t n = 0;
        if (id.get(n) || n >= 0xffffffffu) return fail(fmt::format("vocab entry \"{}\" has no valid id", token));
        t->vocab_.emplace(std::string(token), static_cast<std::uint32_t>(n));
        t->id_bound_ = std::max<std::size_t>(t->id_bound_, n + 1);
    }
    auto id_of = [&](std::string_view token) -> const std::uint32_t* {
        auto it = t->vocab_.find(token);
        return it == t->vocab_.end() ? nullptr : &it->second;
    };

    simdjson::dom::array merges;
    if (model["merges"].get(merges)) return fail("the BPE model has no \"merges\" list");
    t->merges_ = MergeTable(merges.size());
    std::uint32_t rank = 0;
    bool merge_crosses_boundary = false;
    for (element m : merges) {
        std::string_view text, left, right;
        simdjson::dom::array pair;
        if (!m.get(text)) {  // the older form, "left right"
            const std::size_t space = text.find(' ');
            if (space == std::string_view::npos) return fail(fmt::format("merge {} (\"{}\") is not \"a b\"", rank, text));
            left = text.substr(0, space);
            right = text.substr(space + 1);
        } else if (m.get(pair) || pair.size() != 2 || pair.at(0).get(left) || pair.at(1).get(right)) {
            return fail(fmt::format("merge {} is neither \"a b\" nor [\"a\", \"b\"]", rank));
        }
        const std::uint32_t *l = id_of(left), *r = id_of(right);
        const std::uint32_t* joined = id_of(std::string(left) + std::string(right));
        if (!l || !r || !joined)
            return fail(fmt::format("merge {} (\"{}\" + \"{}\") names a token the vocabulary lacks", rank, left, right));
        t->merges_.set(*l, *r, {rank, *joined});
        if (right.starts_with(kBoundary) && !left.ends_with(kBoundary)) merge_crosses_boundary = true;
        ++rank;
    }

    element unk;
    std::string_view unk_token;
    if (!model["unk_token"].get(unk) && !unk.is_null()) {
        if (unk.get(unk_token)) return fail("BPE's unk_token is not a string");
        const std::uint32_t* id = id_of(unk_token);
        if (!id) return fail(fmt::format("the unknown token \"{}\" is not in the vocabulary", unk_token));
        t->has_unk_ = true;
        t->unk_id_ = *id;
    }
    for (int c = 0; c < 128; ++c) {
        const std::uint32_t* id = id_of(std::string(1, static_cast<char>(c)));
        t->ascii_ids_[c] = id ? static_cast<std::int64_t>(*id) : -1;
    }
    for (int b = 0; b < 256; ++b) {
        const std::uint32_t* id = id_of(fmt::format("<0x{:02X}>", b));
        t->byte_ids_[b] = id ? static_cast<std::int64_t>(*id) : -1;
    }

    // The normalizer: steps in order, flattening Sequences.
    element normalizer;
    if (!root["normalizer"].get(normalizer) && !normalizer.is_null()) {
        std::vector<element> pending{normalizer};
        std::vector<Rewrite> steps;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            const element step = pending[i];
            const std::string_view type = type_of(step);
            std::string_view a, b;
            simdjson::dom::array inner;
            if (type == "Sequence" && !step["normalizers"].get(inner)) {
                std::vector<element> expanded(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                for (element e : inner) expanded.push_back(e);
                expanded.insert(expanded.end(), pending.begin() + static_cast<std::ptrdiff_t>(i) + 1, pending.end());
                pending = std::move(expanded);
            } else if (type == "Prepend" && !step["prepend"].get(b)) {
                steps.push_back({"", std::string(b)});
            } else if (type == "Replace" && !step["pattern"]["String"].get(a) && !step["content"].get(b) && !a.empty()) {
                steps.push_back({std::string(a), std::string(b)});
            } else if (type == "Replace") {
                return fail("a Replace normalizer needs a non-empty String pattern; Regex patterns are not supported");
            } else {
                return fail(fmt::format("normalizer \"{}\" is not supported; the file embedder reads Prepend, Replace "
                                        "(with a String pattern) and Sequence",
                                        type.empty() ? "(no type)" : type));
            }
        }
        t->normalizer_ = std::move(steps);
    }
    element pre_tokenizer;
    if (!root["pre_tokenizer"].get(pre_tokenizer) && !pre_tokenizer.is_null())
        return fail(fmt::format("pre_tokenizer \"{}\" is not supported; the file embedder reads tokenizers without "
                                "one (SentencePiece-style, whose normalizer adds \"▁\")",
                                type_of(pre_tokenizer)));

    simdjson::dom::array added;
    if (!root["added_tokens"].get(added))
        for (element a : added) {
            std::string_view content;
            std::uint64_t id = 0;
            if (a["content"].get(content) || a["id"].get(id) || content.empty() || id >= 0xffffffffu)
                return fail("an added token lacks its content or id");
            for (const char* flag : {"normalized", "lstrip", "rstrip", "single_word"}) {
                bool on = false;
                if (!a[flag].get(on) && on)
                    return fail(fmt::format("added token \"{}\" has {} set, which is not supported", content, flag));
            }
            t->added_.push_back({std::string(content), static_cast<std::uint32_t>(id)});
            t->added_first_bytes_[static_cast<unsigned char>(content[0])] = true;
            t->id_bound_ = std::max<std::size_t>(t->id_bound_, id + 1);
        }
    // A long text is one word, and merging it whole costs O(n log n) with a large n. When no
    // merge joins a symbol that ends in another character to one that starts with "▁" (true of
    // SentencePiece vocabularies, where "▁" only starts a token), no token can span the place
    // before a "▁" that follows another character, so the pieces between such places merge alone
    // to the same tokens, about ten times faster on prose.
    t->split_at_boundaries_ = !t->ignore_merges_ && !merge_crosses_boundary && id_of(kBoundary);
    std::stable_sort(t->added_.begin(), t->added_.end(),
                     [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });
    return t;
}

std::string BpeTokenizer::normalize(std::string_view piece) const {
    std::string s(piece);
    for (const Rewrite& step : normalizer_) {
        if (step.from.empty()) {
            if (!s.empty()) s.insert(0, step.to);  // Prepend leaves an empty text empty
            continue;
        }
        std::string out;
        std::size_t at = 0;
        for (std::size_t hit; (hit = s.find(step.from, at)) != std::string::npos; at = hit + step.from.size())
            out.append(s, at, hit - at).append(step.to);
        out.append(s, at);
        s = std::move(out);
    }
    return s;
}

void BpeTokenizer::encode_word(std::string_view word, std::vector<std::uint32_t>& out) const {
    if (word.empty()) return;
    if (ignore_merges_)
        if (auto it = vocab_.find(word); it != vocab_.end()) {
            out.push_back(it->second);
            return;
        }
    if (!split_at_boundaries_) return merge(word, out);
    // The pieces start at each "▁" that follows another character.
    std::size_t start = 0;
    for (std::size_t at = word.find(kBoundary, 1); at != std::string_view::npos; at = word.find(kBoundary, at + 1)) {
        const bool after_boundary =
            at >= kBoundary.size() && word.substr(at - kBoundary.size(), kBoundary.size()) == kBoundary;
        if (after_boundary) continue;
        merge(word.substr(start, at - start), out);
        start = at;
    }
    merge(word.substr(start), out);
}

void BpeTokenizer::merge(std::string_view word, std::vector<std::uint32_t>& out) const {
    // The word's symbols, in a list that merges shorten: a merged symbol takes its right
    // neighbour's place and the neighbour's length becomes 0.
    struct Symbol {
        std::uint32_t id;
        std::ptrdiff_t prev, next;
        std::size_t length;
    };
    // Scratch kept by each thread: a text is hundreds of words, and two allocations per word
    // were a fifth of the time. Trimmed after an unusually long word.
    static thread_local std::vector<Symbol> symbols;
    symbols.clear();
    auto add = [&](std::uint32_t id, std::size_t length) {
        const auto n = static_cast<std::ptrdiff_t>(symbols.size());
        if (n > 0) symbols.back().next = n;
        symbols.push_back({id, n - 1, -1, length});
    };
    // As `tokenizers`: an unknown character is its bytes' <0xNN> tokens when all exist, else the
    // unknown token, runs of which fuse_unk makes one. (A pending unknown is added only when a
    // known character follows, so it can land after byte tokens; `tokenizers` does the same.)
    bool unk_pending = false;
    std::size_t unk_length = 0;
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t n = char_length(word, i);
        const std::string_view c = word.substr(i, n);
        i += n;
        const std::int64_t known = n == 1 && static_cast<unsigned char>(c[0]) < 0x80
                                       ? ascii_ids_[static_cast<unsigned char>(c[0])]
                                       : [&] {
                                             auto it = vocab_.find(c);
                                             return it == vocab_.end() ? std::int64_t{-1} : it->second;
                                         }();
        if (known >= 0) {
            if (unk_pending) add(unk_id_, unk_length);
            unk_pending = false;
            add(static_cast<std::uint32_t>(known), n);
            continue;
        }
        if (byte_fallback_) {
            bool all = true;
            for (unsigned char b : c) all = all && byte_ids_[b] >= 0;
            if (all) {
                for (unsigned char b : c) add(static_cast<std::uint32_t>(byte_ids_[b]), 1);
                continue;
            }
        }
        if (!has_unk_) continue;
        if (unk_pending && fuse_unk_) {
            unk_length += n;
            continue;
        }
        if (unk_pending) add(unk_id_, unk_length);
        unk_pending = true;
        unk_length = n;
    }
    if (unk_pending) add(unk_id_, unk_length);

    struct Candidate {
        std::uint32_t rank, id;
        std::size_t pos;
        // The queue's top is the lowest rank, then the leftmost.
        bool operator<(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    auto merge_of = [&](std::uint32_t left, std::uint32_t right) { return merges_.get(left, right); };
    static thread_local std::vector<Candidate> queue;  // a heap: std::less puts the next merge on top
    queue.clear();
    auto push = [&](Candidate c) {
        queue.push_back(c);
        std::push_heap(queue.begin(), queue.end());
    };
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
        if (const MergeTable::Merge* m = merge_of(symbols[i].id, symbols[i + 1].id)) push({m->rank, m->id, i});
    while (!queue.empty()) {
        std::pop_heap(queue.begin(), queue.end());
        const Candidate top = queue.back();
        queue.pop_back();
        Symbol& left = symbols[top.pos];
        if (left.length == 0 || left.next < 0) continue;
        const Symbol right = symbols[static_cast<std::size_t>(left.next)];
        const MergeTable::Merge* m = merge_of(left.id, right.id);
        if (!m || m->id != top.id) continue;  // stale: a neighbour changed since it was queued
        symbols[static_cast<std::size_t>(left.next)].length = 0;
        left.id = top.id;
        left.length += right.length;
        left.next = right.next;
        if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = static_cast<std::ptrdiff_t>(top.pos);
        if (left.prev >= 0)
            if (const MergeTable::Merge* before = merge_of(symbols[static_cast<std::size_t>(left.prev)].id, left.id))
                push({before->rank, before->id, static_cast<std::size_t>(left.prev)});
        if (left.next >= 0)
            if (const MergeTable::Merge* after = merge_of(left.id, symbols[static_cast<std::size_t>(left.next)].id))
                push({after->rank, after->id, top.pos});
    }
    for (const Symbol& s : symbols)
        if (s.length != 0) out.push_back(s.id);
    constexpr std::size_t kKeptCapacity = 4096;
    if (symbols.capacity() > kKeptCapacity) std::vector<Symbol>().swap(symbols);
    if (queue.capacity() > kKeptCapacity) std::vector<Candidate>().swap(queue);
}

std::vector<std::uint32_t> BpeTokenizer::encode(std::string_view text) const {
    std::vector<std::uint32_t> out;
    std::size_t start = 0;  // of the text since the last added token
    for (std::size_t i = 0; i < text.size();) {
        const AddedToken* hit = nullptr;
        if (added_first_bytes_[static_cast<unsigned char>(text[i])])
            for (const AddedToken& a : added_)  // longest first
                if (text.compare(i, a.content.size(), a.content) == 0) {
                    hit = &a;
                    break;
                }
        if (!hit) {
            ++i;
            continue;
        }
        encode_word(normalize(text.substr(start, i - start)), out);
        out.push_back(hit->id);
        i += hit->content.size();
        start = i;
    }
    encode_word(normalize(text.substr(start)), out);
    return out;
}

}  // namespace sw::prompt
