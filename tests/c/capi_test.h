/* capi_test.h — what the C ABI tests share: checks, the loopback mock provider, configs built
 * on its address, and a latch for waiting on callbacks. Plain C99 with POSIX threads. */
#ifndef SWITCH_CAPI_TEST_H
#define SWITCH_CAPI_TEST_H

#include <switch/switch.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- Checks ---- */

extern int capi_checks;   /* checks made so far */
extern int capi_failures; /* checks that failed */

void capi_check_failed(const char *file, int line, const char *expr);

/* Records a failure with file:line and the calling thread's sw_last_error(), and goes on. */
#define CHECK(cond)                                                   \
    do {                                                              \
        ++capi_checks;                                                \
        if (!(cond)) capi_check_failed(__FILE__, __LINE__, #cond);    \
    } while (0)

/* Like CHECK, but ends the program: for what the rest of a test cannot do without. */
#define REQUIRE(cond)                                                 \
    do {                                                              \
        ++capi_checks;                                                \
        if (!(cond)) {                                                \
            capi_check_failed(__FILE__, __LINE__, #cond);             \
            exit(1);                                                  \
        }                                                             \
    } while (0)

/* Both strings equal; NULL is never equal. */
#define CHECK_STR(a, b) CHECK(capi_str_eq((a), (b)))
/* `haystack` contains `needle`. */
#define CHECK_HAS(haystack, needle) CHECK(capi_contains((haystack), (needle)))

int capi_str_eq(const char *a, const char *b);
int capi_contains(const char *haystack, const char *needle);
/* How many times `needle` occurs in `haystack`. */
int capi_count(const char *haystack, const char *needle);

/* Runs one test function; a test that makes no check fails, so that none passes by doing
 * nothing. */
void capi_run(const char *name, void (*test)(void));
#define RUN(test) capi_run(#test, test)
/* Prints "NAME: N passed, N failed" and returns the exit status. */
int capi_finish(const char *suite);

/* ---- The mock provider ---- */

typedef struct mock_provider {
    pid_t pid;
    int stdin_fd;   /* closing it stops the mock, even if this process dies */
    char base[64];  /* http://127.0.0.1:PORT */
    int port;
} mock_provider;

/* Starts `path` on a free loopback port; exits the test program if it cannot. */
void mock_start(mock_provider *mock, const char *path);
void mock_stop(mock_provider *mock);
/* The attempts the mock received for a scenario key (its model string), from GET /__stats. */
long mock_attempts(const mock_provider *mock, const char *key);
/* Waits up to `timeout_ms` until the mock has seen `n` attempts for `key`; returns the count. */
long mock_wait_attempts(const mock_provider *mock, const char *key, long n, int timeout_ms);

/* `json_template` with every ' replaced by " and every $BASE by the mock's address, so that
 * configs read naturally in C. Owned by the caller (free). */
char *mock_config_text(const mock_provider *mock, const char *json_template);
/* The same, loaded; exits if the config is invalid. */
sw_config *mock_config(const mock_provider *mock, const char *json_template);
/* A router over mock_config(); exits if it cannot be created. */
sw_router *mock_router(const mock_provider *mock, const char *json_template);

/* A chat request for model "chat" (NUL-terminated JSON); `stream` adds "stream": true. */
extern const char *const CHAT_REQUEST;
extern const char *const STREAM_REQUEST;

/* ---- Waiting for callbacks ---- */

/* Collects what asynchronous callbacks deliver, for a test thread to wait on. */
typedef struct latch {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int done;                 /* done callbacks so far */
    sw_response *response;    /* the last done callback's, owned by the latch */
    int chunks;               /* chunk callbacks so far */
    int chunks_at_done;       /* chunks seen when done ran */
    char last_chunk[1024];    /* the last chunk, cut to fit */
    void *user_data_seen;     /* the user_data the last callback got */
} latch;

void latch_init(latch *l);
/* Releases the response it holds. */
void latch_destroy(latch *l);
/* Waits until `n` done callbacks have run or `timeout_ms` passed; returns done. */
int latch_wait(latch *l, int n, int timeout_ms);

/* Callbacks that record into the latch given as user_data. */
void latch_on_done(sw_response *response, void *user_data);
void latch_on_chunk(const char *chunk, size_t len, void *user_data);

/* Milliseconds on a monotonic clock. */
long long now_ms(void);
void sleep_ms(int ms);

#endif /* SWITCH_CAPI_TEST_H */
