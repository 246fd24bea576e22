// library.cpp — library-wide C functions: version and memory release.
#include "capi/errors.hpp"

#include <cstdlib>

extern "C" {

SW_API const char* sw_version(void) { return SW_VERSION_STRING; }
SW_API int sw_version_num(void) { return SW_VERSION_NUM; }
SW_API void sw_free(void* ptr) { std::free(ptr); }

}  // extern "C"
