// json_scratch.hpp — a reusable simdjson on-demand parser with its padded input buffer.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <memory>
#include <string_view>

namespace sw::providers {

// simdjson reads SIMDJSON_PADDING bytes past the end of its input, so bytes that arrive as a
// plain string_view are copied into a padded buffer first. The copy is cheap next to the parse
// and keeps every adapter function callable on any bytes. The parser and the buffer keep their
// capacity, so steady-state parsing allocates nothing.
//
// Views obtained from a document (raw JSON, unescaped strings) stay valid until the next
// iterate() on the same scratch.
class JsonScratch {
public:
    simdjson::error_code iterate(std::string_view json, simdjson::ondemand::document& out);

private:
    simdjson::ondemand::parser parser_;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
};

// Per-thread scratch parsers. Slot 0 is for whole bodies, slot 1 for a nested value parsed
// while a slot-0 document is still in use, slot 2 for the check of a caller's request, which
// a callback may submit while the I/O thread is in the middle of a slot-0 document.
JsonScratch& thread_scratch(int slot);

// True once the whole document has been read: nothing but whitespace follows the root value.
bool at_document_end(simdjson::ondemand::document& doc) noexcept;

// The exact JSON text of a value, without surrounding whitespace; the value is consumed.
simdjson::error_code raw_value(simdjson::ondemand::value& value, std::string_view& out);

// The key of a field as it is written between its quotes, and as text to compare against:
// the same bytes unless the key contains an escape, which is then decoded. Consumes the key.
simdjson::error_code field_key(simdjson::ondemand::field& field, std::string_view& raw,
                               std::string_view& unescaped);

}  // namespace sw::providers
