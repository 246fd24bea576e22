// reason_phrase.hpp — the reason phrase of an HTTP status, for a status line.
#pragma once

namespace http_common {

// A static string: the standard phrase, or "Client Error" / "Server Error" for the others.
const char* reason_phrase(int status);

}  // namespace http_common
