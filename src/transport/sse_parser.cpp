// sse_parser.cpp — the incremental Server-Sent Events parser.
#include "transport/sse_parser.hpp"

#include <cstring>
#include <utility>

namespace sw::transport {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The first CR or LF at or after `pos`. Two memchr calls (vectorised in libc) beat
// find_first_of, which tests each byte against the set one by one.
std::size_t find_line_end(std::string_view bytes, std::size_t pos) noexcept {
    const char* begin = bytes.data() + pos;
    const std::size_t n = bytes.size() - pos;
    const void* lf = std::memchr(begin, '\n', n);
    const std::size_t lf_at = lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - begin) : n;
    const void* cr = std::memchr(begin, '\r', lf_at);
    const std::size_t at = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - begin) : lf_at;
    return at == n ? std::string_view::npos : pos + at;
}

}  // namespace

SseParser::SseParser(EventCallback on_event, std::size_t max_event_bytes)
    : on_event_(std::move(on_event)), max_event_bytes_(max_event_bytes) {}

void SseParser::reset() {
    line_.clear();
    data_.clear();
    event_type_.clear();
    last_event_id_.clear();
    retry_ms_.reset();
    dispatched_ = 0;
    bom_matched_ = 0;
    at_stream_start_ = true;
    pending_cr_ = false;
    failed_ = false;
}

bool SseParser::over_cap(std::size_t extra) const noexcept {
    return data_.size() + line_.size() + extra > max_event_bytes_;
}

void SseParser::fail() {
    failed_ = true;
    // Release the memory at once: a failed stream is abandoned.
    std::string().swap(line_);
    std::string().swap(data_);
    event_type_.clear();
}

void SseParser::feed(std::string_view bytes) {
    if (failed_) return;
    std::size_t pos = 0;
    // A stream may open with one BOM, which may itself arrive split.
    while (at_stream_start_ && pos < bytes.size()) {
        if (bytes[pos] == kBom[bom_matched_]) {
            ++pos;
            if (++bom_matched_ == kBom.size()) at_stream_start_ = false;
        } else {
            // Not a BOM after all: the bytes matched so far belong to the first line (none of
            // them is CR or LF).
            line_.append(kBom.substr(0, bom_matched_));
            at_stream_start_ = false;
        }
    }
    if (pending_cr_ && pos < bytes.size()) {
        pending_cr_ = false;
        if (bytes[pos] == '\n') ++pos;  // the LF of a CRLF split across two calls
    }
    while (pos < bytes.size()) {
        const std::size_t end = find_line_end(bytes, pos);
        if (end == std::string_view::npos) {
            const std::size_t rest = bytes.size() - pos;
            if (over_cap(rest)) return fail();
            line_.append(bytes.substr(pos));
            return;
        }
        // Lines contained in this piece are parsed in place; only a carried-over start is copied.
        if (line_.empty()) {
            process_line(bytes.substr(pos, end - pos));
        } else {
            if (over_cap(end - pos)) return fail();
            line_.append(bytes.substr(pos, end - pos));
            process_line(line_);
            line_.clear();
        }
        if (failed_) return;
        pos = end + 1;
        if (bytes[end] == '\r') {
            if (pos < bytes.size()) {
                if (bytes[pos] == '\n') ++pos;
            } else {
                pending_cr_ = true;
            }
        }
    }
}

void SseParser::process_line(std::string_view line) {
    if (line.empty()) return dispatch();
    if (line.front() == ':') return;  // comment, e.g. a keep-alive
    std::string_view field = line;
    std::string_view value;
    if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
        // `line` may alias line_, which is counted by over_cap; count the value once.
        if (data_.size() + value.size() + 1 > max_event_bytes_) return fail();
        data_.append(value);
        data_.push_back('\n');
    } else if (field == "event") {
        if (value.size() > max_event_bytes_) return fail();
        event_type_.assign(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos && value.size() <= max_event_bytes_) {
            last_event_id_.assign(value);
        }
    } else if (field == "retry") {
        if (value.empty() || value.size() > 19) return;  // 19 digits always fit in 64 bits
        std::uint64_t ms = 0;
        for (const char c : value) {
            if (c < '0' || c > '9') return;
            ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
        }
        retry_ms_ = ms;
    }
    // Any other field is ignored, as the standard requires.
}

void SseParser::dispatch() {
    if (data_.empty()) {
        event_type_.clear();
        return;
    }
    std::string_view data = data_;
    data.remove_suffix(1);  // the '\n' after the last data line
    const std::string_view type = event_type_.empty() ? std::string_view("message") : event_type_;
    ++dispatched_;
    on_event_(type, data);
    data_.clear();
    event_type_.clear();
}

bool SseParser::finish() {
    const bool partial_line = !line_.empty() && line_.front() != ':';
    const bool pending = !failed_ && (!data_.empty() || partial_line);
    line_.clear();
    data_.clear();
    event_type_.clear();
    pending_cr_ = false;
    bom_matched_ = 0;
    at_stream_start_ = true;
    return pending;
}

}  // namespace sw::transport
