// answer_codec.cpp — the byte layout of answer_codec.hpp, written and read strictly.
#include "cache/answer_codec.hpp"

namespace sw::cache {

namespace {

constexpr std::string_view kMagic("SWC\x01", 4);
constexpr std::uint8_t kWhole = 0;
constexpr std::uint8_t kStream = 1;

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A string over 4 GiB cannot be written: the store's size bound refuses such an answer first.
void put_bytes(std::string& out, std::string_view s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

// Reads from the front of `in`; any read past its end fails, and stays failed.
struct Reader {
    std::string_view in;
    bool ok = true;

    std::uint64_t u(int bytes) {
        if (!ok || in.size() < static_cast<std::size_t>(bytes)) {
            ok = false;
            return 0;
        }
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v |= std::uint64_t(static_cast<unsigned char>(in[i])) << (8 * i);
        in.remove_prefix(static_cast<std::size_t>(bytes));
        return v;
    }
    std::string bytes() {
        const std::uint64_t n = u(4);
        if (!ok || in.size() < n) {
            ok = false;
            return {};
        }
        std::string s(in.substr(0, n));
        in.remove_prefix(n);
        return s;
    }
};

}  // namespace

std::string encode_answer(const CachedAnswer& a, std::int64_t stored_unix_ms) {
    std::string out;
    std::size_t size = kMagic.size() + 1 + 3 * 8 + 4 * 6;
    for (std::string_view s : {std::string_view(a.body), std::string_view(a.text), std::string_view(a.finish_reason),
                               std::string_view(a.pool_id), std::string_view(a.provider)})
        size += s.size();
    for (const std::string& c : a.chunks) size += 4 + c.size();
    out.reserve(size);
    out.append(kMagic);
    out.push_back(static_cast<char>(a.stream ? kStream : kWhole));
    put_u64(out, static_cast<std::uint64_t>(stored_unix_ms));
    put_u64(out, a.usage.input_tokens);
    put_u64(out, a.usage.output_tokens);
    put_bytes(out, a.body);
    put_bytes(out, a.text);
    put_bytes(out, a.finish_reason);
    put_bytes(out, a.pool_id);
    put_bytes(out, a.provider);
    put_u32(out, static_cast<std::uint32_t>(a.chunks.size()));
    for (const std::string& c : a.chunks) put_bytes(out, c);
    return out;
}

std::optional<DecodedAnswer> decode_answer(std::string_view bytes) {
    if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
    Reader r{bytes.substr(kMagic.size())};
    auto a = std::make_shared<CachedAnswer>();
    const std::uint64_t kind = r.u(1);
    if (kind != kWhole && kind != kStream) return std::nullopt;
    a->stream = kind == kStream;
    const auto stored = static_cast<std::int64_t>(r.u(8));
    a->usage.input_tokens = r.u(8);
    a->usage.output_tokens = r.u(8);
    a->body = r.bytes();
    a->text = r.bytes();
    a->finish_reason = r.bytes();
    a->pool_id = r.bytes();
    a->provider = r.bytes();
    const std::uint64_t count = r.u(4);
    // Each chunk takes at least its length's 4 bytes: a count beyond that is a lie, refused
    // before anything is reserved for it.
    if (!r.ok || count > r.in.size() / 4) return std::nullopt;
    a->chunks.reserve(count);
    for (std::uint64_t i = 0; i < count && r.ok; ++i) a->chunks.push_back(r.bytes());
    if (!r.ok || !r.in.empty()) return std::nullopt;
    // What the cache stores (ResponseCache::storable): never a whole answer without its body,
    // nor a stream without its chunks, nor either without a finish reason.
    if (a->finish_reason.empty() || (a->stream ? a->chunks.empty() : a->body.empty())) return std::nullopt;
    return DecodedAnswer{std::move(a), stored};
}

}  // namespace sw::cache
