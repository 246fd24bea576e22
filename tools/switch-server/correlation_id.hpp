// correlation_id.hpp — the name a request goes by in logs and the usage ledger: the client's own
// (`x-correlation-id`, else `x-request-id`) when it is a sane token, else one made here.
#pragma once

#include <string>

namespace server {

// `given` may be null. A given id is kept when it is 1 to 128 characters of letters, digits and
// `-_.:`; anything else (too long, spaces, control characters) is replaced, never echoed, so that
// a client cannot write arbitrary text into a log line or a response header.
std::string correlation_id(const char* given);

}  // namespace server
