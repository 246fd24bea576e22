/* switch.h — the flat C ABI of libswitch, an embeddable LLM routing library.
 *
 * Conventions (see docs/conventions.md):
 * - Names are sw_<object>_<verb>. Output parameters come first and are named `out`.
 * - Every function returns an sw_status; SW_OK is 0 and failures are stable negative numbers.
 *   A code, once published, keeps its number forever, even when retired.
 * - sw_last_error() returns the detail of the calling thread's last failure.
 * - Strings returned by the library are either borrowed (valid until the parent object is
 *   destroyed) or owned (release with sw_free). Every function says which.
 * - No function throws or aborts on bad input; every pointer argument is checked.
 *
 * This header is C99 and is compiled as such, with -Wall -Wextra -pedantic -Werror, by the
 * header test.
 */
#ifndef SWITCH_SWITCH_H
#define SWITCH_SWITCH_H

#include <stddef.h>

/* ---- Version ------------------------------------------------------------------------------ */

#define SW_VERSION_MAJOR 0
#define SW_VERSION_MINOR 1
#define SW_VERSION_PATCH 0
#define SW_VERSION_STRING "0.1.0"
/* One number that grows with every release: 0xMMmmpp. */
#define SW_VERSION_NUM ((SW_VERSION_MAJOR << 16) | (SW_VERSION_MINOR << 8) | SW_VERSION_PATCH)
/* True when the headers are at least version x.y.z, like CURL_AT_LEAST_VERSION. */
#define SW_AT_LEAST_VERSION(x, y, z) (SW_VERSION_NUM >= (((x) << 16) | ((y) << 8) | (z)))

/* ---- Symbol export ------------------------------------------------------------------------ */

/* SW_API marks the public symbols; everything else in the library is hidden. Define SW_STATIC
 * when linking the static library on Windows. */
#if defined(_WIN32) && !defined(SW_STATIC)
#  if defined(SWITCH_BUILDING)
#    define SW_API __declspec(dllexport)
#  else
#    define SW_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define SW_API __attribute__((visibility("default")))
#else
#  define SW_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------------------------- */

/* Stable status codes. New codes are appended; a retired code keeps its number. */
typedef enum sw_status {
    SW_OK = 0,
    SW_ERR_INVALID_ARGUMENT = -1, /* a NULL pointer or an out-of-range argument */
    SW_ERR_CONFIG = -2,           /* the configuration is invalid; see the diagnostics */
    SW_ERR_NOT_FOUND = -3,        /* a file, model, pool or provider does not exist */
    SW_ERR_NOT_SUPPORTED = -4,    /* a documented feature that this build does not implement */
    SW_ERR_OUT_OF_MEMORY = -5,
    SW_ERR_IO = -6,               /* a file could not be read */
    SW_ERR_INTERNAL = -7          /* a bug in libswitch; please report it */
} sw_status;

/* ---- Library-wide functions --------------------------------------------------------------- */

/* The runtime version, "MAJOR.MINOR.PATCH". Borrowed static string. Thread-safe. */
SW_API const char *sw_version(void);

/* The runtime version number, comparable with SW_VERSION_NUM. Thread-safe. */
SW_API int sw_version_num(void);

/* A short static description of a status code; never NULL, "unknown status" for unknown codes.
 * Borrowed static string. Thread-safe. */
SW_API const char *sw_strerror(int status);

/* The detail of the calling thread's most recent failure, or "" if the last call succeeded.
 * Never NULL. Borrowed; valid until the next libswitch call on this thread. Thread-safe
 * (each thread has its own). */
SW_API const char *sw_last_error(void);

/* Release memory that a function documented as "owned" returned. Accepts NULL. Thread-safe. */
SW_API void sw_free(void *ptr);

/* ---- Configuration validation ------------------------------------------------------------- */

/* Validation output formats for sw_config_validate. */
typedef enum sw_diag_format {
    SW_DIAG_TEXT = 0, /* compiler style, one line per problem: "ORIGIN: PATH: error: MESSAGE" */
    SW_DIAG_JSON = 1  /* {"valid":..,"diagnostics":[{"severity","path","message","suggestion"}],..} */
} sw_diag_format;

/* Validate a configuration without creating a router.
 *
 * `format` is an sw_diag_format value; it is an int so that C callers passing any number get
 * SW_ERR_INVALID_ARGUMENT rather than undefined behaviour.
 *
 * `text`/`len` hold JSON or YAML (detected from the first non-blank character: '{' or '['
 * means JSON). `origin` names the source in messages (for example a file name); it may be
 * NULL. On return, *out_valid is 1 when the configuration has no errors (warnings allowed)
 * and 0 otherwise, and *out_report (if out_report is not NULL) receives the diagnostics in
 * `format`; it is owned by the caller and released with sw_free.
 *
 * Returns SW_OK whenever validation ran, whatever its verdict. Thread-safe. */
SW_API int sw_config_validate(int *out_valid, char **out_report, const char *text, size_t len,
                              const char *origin, int format);

#ifdef __cplusplus
}
#endif

#endif /* SWITCH_SWITCH_H */
