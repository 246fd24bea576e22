// aws_event_stream.cpp — decoding and encoding application/vnd.amazon.eventstream messages.
#include "transport/aws_event_stream.hpp"

#include <zlib.h>

#include <algorithm>

namespace sw::transport {

namespace {

constexpr std::size_t kPreludeBytes = 12;
constexpr std::size_t kCrcBytes = 4;

std::uint32_t read_u32(const char* p) noexcept {
    auto b = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::uint16_t read_u16(const char* p) noexcept {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]));
}

void append_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

std::uint32_t crc32_of(std::string_view bytes) noexcept {
    return static_cast<std::uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<z_size_t>(bytes.size())));
}

// The fixed size of a header value of `type`, or -1 for the length-prefixed types (6 byte
// array, 7 string) and -2 for an unknown type.
int fixed_value_size(std::uint8_t type) noexcept {
    switch (type) {
        case 0:  // bool true
        case 1:  // bool false
            return 0;
        case 2: return 1;   // byte
        case 3: return 2;   // short
        case 4: return 4;   // int
        case 5: return 8;   // long
        case 6:             // byte array
        case 7: return -1;  // string
        case 8: return 8;   // timestamp (ms since the epoch)
        case 9: return 16;  // uuid
        default: return -2;
    }
}

// The headers this parser reads; all others are skipped.
struct KnownHeaders {
    std::string_view message_type, event_type, exception_type, error_code, error_message;
};

// Reads the header section; false when it is malformed.
bool read_headers(std::string_view section, KnownHeaders& out) {
    std::size_t i = 0;
    while (i < section.size()) {
        const std::size_t name_length = static_cast<unsigned char>(section[i++]);
        if (name_length == 0 || i + name_length + 1 > section.size()) return false;
        const std::string_view name = section.substr(i, name_length);
        i += name_length;
        const auto type = static_cast<std::uint8_t>(section[i++]);
        const int fixed = fixed_value_size(type);
        if (fixed == -2) return false;
        std::size_t size = static_cast<std::size_t>(fixed);
        if (fixed == -1) {
            if (i + 2 > section.size()) return false;
            size = read_u16(section.data() + i);
            i += 2;
        }
        if (i + size > section.size()) return false;
        if (type == 7) {
            const std::string_view value = section.substr(i, size);
            if (name == ":message-type") out.message_type = value;
            else if (name == ":event-type") out.event_type = value;
            else if (name == ":exception-type") out.exception_type = value;
            else if (name == ":error-code") out.error_code = value;
            else if (name == ":error-message") out.error_message = value;
        }
        i += size;
    }
    return true;
}

}  // namespace

AwsEventStreamParser::AwsEventStreamParser(EventCallback on_event, std::size_t max_message_bytes)
    : on_event_(std::move(on_event)), max_message_bytes_(std::max(max_message_bytes, overhead_bytes)) {}

void AwsEventStreamParser::fail(std::string reason) {
    if (failure_.empty()) failure_ = std::move(reason);
    pending_.clear();
    pending_.shrink_to_fit();
}

std::size_t AwsEventStreamParser::message_length(std::string_view prelude) {
    const std::uint32_t total = read_u32(prelude.data());
    const std::uint32_t headers = read_u32(prelude.data() + 4);
    if (read_u32(prelude.data() + 8) != crc32_of(prelude.substr(0, 8))) {
        fail("event stream: prelude CRC mismatch");
        return 0;
    }
    if (total < overhead_bytes || headers > total - overhead_bytes) {
        fail("event stream: inconsistent message and header lengths");
        return 0;
    }
    if (total > max_message_bytes_ || headers > max_headers_bytes) {
        fail("event stream: message larger than the size cap");
        return 0;
    }
    return total;
}

void AwsEventStreamParser::decode(std::string_view message) {
    const std::string_view covered = message.substr(0, message.size() - kCrcBytes);
    if (read_u32(message.data() + covered.size()) != crc32_of(covered)) {
        fail("event stream: message CRC mismatch");
        return;
    }
    const std::size_t headers_length = read_u32(message.data() + 4);
    KnownHeaders h;
    if (!read_headers(message.substr(kPreludeBytes, headers_length), h)) {
        fail("event stream: malformed headers");
        return;
    }
    const std::string_view payload = covered.substr(kPreludeBytes + headers_length);
    if (h.message_type.empty() || h.message_type == "event") {
        ++dispatched_;
        on_event_(h.event_type, payload);
    } else if (h.message_type == "exception") {
        type_.assign(":exception:").append(h.exception_type);
        ++dispatched_;
        on_event_(type_, payload);
    } else if (h.message_type == "error") {
        type_.assign(":error:").append(h.error_code);
        ++dispatched_;
        on_event_(type_, h.error_message);
    }
}

void AwsEventStreamParser::feed(std::string_view bytes) {
    while (!bytes.empty() && !failed()) {
        if (!pending_.empty()) {
            // Complete the buffered message: first its prelude, then up to its length.
            std::size_t want = kPreludeBytes;
            if (pending_.size() >= kPreludeBytes) want = message_length(pending_);
            if (failed()) return;
            const std::size_t take = std::min(want - pending_.size(), bytes.size());
            pending_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (pending_.size() == kPreludeBytes && want == kPreludeBytes) {
                // Check the prelude as soon as it is complete, as when it arrives in one piece:
                // otherwise a stream that ends right after a corrupt prelude would count as
                // merely incomplete, or as failed, depending on how it was split (found by
                // fuzzing).
                message_length(pending_);
                if (failed()) return;
                continue;  // now read the rest of the message
            }
            if (pending_.size() < want) return;
            decode(pending_);
            pending_.clear();
            continue;
        }
        // Complete messages are decoded where they lie; only an incomplete tail is copied.
        if (bytes.size() < kPreludeBytes) {
            pending_.assign(bytes);
            return;
        }
        const std::size_t length = message_length(bytes.substr(0, kPreludeBytes));
        if (failed()) return;
        if (bytes.size() < length) {
            pending_.assign(bytes);
            return;
        }
        decode(bytes.substr(0, length));
        bytes.remove_prefix(length);
    }
}

bool AwsEventStreamParser::finish() {
    if (failed()) return false;
    const bool incomplete = !pending_.empty();
    pending_.clear();
    return incomplete;
}

void append_event_stream_message(std::string& out, const std::vector<std::pair<std::string_view, std::string_view>>& headers,
                                 std::string_view payload) {
    std::string encoded_headers;
    for (const auto& [name, value] : headers) {
        encoded_headers += static_cast<char>(name.size());
        encoded_headers.append(name);
        encoded_headers += static_cast<char>(7);  // string
        encoded_headers += static_cast<char>((value.size() >> 8) & 0xFF);
        encoded_headers += static_cast<char>(value.size() & 0xFF);
        encoded_headers.append(value);
    }
    const std::size_t start = out.size();
    append_u32(out, static_cast<std::uint32_t>(AwsEventStreamParser::overhead_bytes + encoded_headers.size() + payload.size()));
    append_u32(out, static_cast<std::uint32_t>(encoded_headers.size()));
    append_u32(out, crc32_of(std::string_view(out).substr(start, 8)));
    out.append(encoded_headers);
    out.append(payload);
    append_u32(out, crc32_of(std::string_view(out).substr(start)));
}

}  // namespace sw::transport
