// errors.hpp — the C ABI's error plumbing: thread-local detail and an exception barrier.
#pragma once

#include <switch/switch.h>

#include <new>
#include <string>

namespace sw::capi {

void set_last_error(std::string detail);
void clear_last_error();

// Runs `body` (which returns an sw_status) so that no exception crosses the C boundary: each
// is turned into a status and a detail for sw_last_error().
template <typename Body>
int guarded(Body&& body) noexcept {
    try {
        clear_last_error();
        return body();
    } catch (const std::bad_alloc&) {
        set_last_error("out of memory");
        return SW_ERR_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(std::string("internal error: ") + e.what());
        return SW_ERR_INTERNAL;
    } catch (...) {
        set_last_error("internal error: unknown exception");
        return SW_ERR_INTERNAL;
    }
}

// The exception barrier of accessors and destroy functions, which cannot fail: they leave
// sw_last_error() as it is, so that cleaning up after a failure does not erase its detail.
template <typename T, typename Body>
T guarded_value(T fallback, Body&& body) noexcept {
    try {
        return body();
    } catch (...) {
        return fallback;
    }
}

template <typename Body>
void guarded_void(Body&& body) noexcept {
    try {
        body();
    } catch (...) {
    }
}

// Fails with SW_ERR_INVALID_ARGUMENT, naming the argument.
int invalid_argument(const char* what);

// Fails with `status` and `detail`.
int fail(int status, std::string detail);

// A malloc'ed copy for strings handed to the caller as "owned" (released with sw_free).
char* owned_copy(const std::string& s);

}  // namespace sw::capi
