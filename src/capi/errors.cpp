// errors.cpp — sw_strerror, sw_last_error and the thread-local error detail.
#include "capi/errors.hpp"

#include <cstdlib>
#include <cstring>

namespace sw::capi {

namespace {
thread_local std::string t_last_error;
}

void set_last_error(std::string detail) { t_last_error = std::move(detail); }
void clear_last_error() { t_last_error.clear(); }

int invalid_argument(const char* what) {
    set_last_error(std::string("invalid argument: ") + what);
    return SW_ERR_INVALID_ARGUMENT;
}

int fail(int status, std::string detail) {
    set_last_error(std::move(detail));
    return status;
}

char* owned_copy(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

}  // namespace sw::capi

extern "C" {

SW_API const char* sw_strerror(int status) {
    switch (status) {
        case SW_OK: return "success";
        case SW_ERR_INVALID_ARGUMENT: return "invalid argument";
        case SW_ERR_CONFIG: return "invalid configuration";
        case SW_ERR_NOT_FOUND: return "not found";
        case SW_ERR_NOT_SUPPORTED: return "not supported";
        case SW_ERR_OUT_OF_MEMORY: return "out of memory";
        case SW_ERR_IO: return "I/O error";
        case SW_ERR_INTERNAL: return "internal error";
        case SW_ERR_REQUEST_FAILED: return "request failed";
        case SW_ERR_CANCELLED: return "cancelled";
        case SW_ERR_TIMEOUT: return "timed out";
        case SW_ERR_WOULD_DEADLOCK: return "blocking call from a callback on the I/O thread";
        case SW_ITER_OVER: return "no more items";
        default: return "unknown status";
    }
}

SW_API const char* sw_last_error(void) { return sw::capi::t_last_error.c_str(); }

}  // extern "C"
