/* capi_test.c — the shared helpers of the C ABI tests: checks, the mock provider as a child
 * process, configs on its address, and the callback latch. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- Checks ---- */

int capi_checks = 0;
int capi_failures = 0;
static int tests_failed = 0;

void capi_check_failed(const char *file, int line, const char *expr) {
    ++capi_failures;
    fprintf(stderr, "%s:%d: check failed: %s (sw_last_error: \"%s\")\n", file, line, expr, sw_last_error());
}

int capi_str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

int capi_contains(const char *haystack, const char *needle) {
    return haystack && needle && strstr(haystack, needle) != NULL;
}

int capi_count(const char *haystack, const char *needle) {
    int n = 0;
    size_t step = strlen(needle);
    if (!haystack || step == 0) return 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + step, needle)) ++n;
    return n;
}

void capi_run(const char *name, void (*test)(void)) {
    int checks = capi_checks, failures = capi_failures;
    long long start = now_ms();
    test();
    if (capi_checks == checks) {
        fprintf(stderr, "%s: made no check\n", name);
        ++capi_failures;
    }
    int failed = capi_failures != failures;
    if (failed) ++tests_failed;
    printf("%-60s %s (%d checks, %lld ms)\n", name, failed ? "FAILED" : "ok", capi_checks - checks,
           now_ms() - start);
    fflush(stdout);
}

int capi_finish(const char *suite) {
    printf("%s: %d checks; %d passed, %d failed\n", suite, capi_checks, capi_checks - capi_failures, capi_failures);
    return capi_failures == 0 && tests_failed == 0 ? 0 : 1;
}

long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- The mock provider ---- */

void mock_start(mock_provider *mock, const char *path) {
    int in[2], out[2];
    posix_spawn_file_actions_t actions;
    char *argv[5];
    char line[128];
    size_t n = 0;
    char c;

    memset(mock, 0, sizeof *mock);
    if (pipe(in) != 0 || pipe(out) != 0) {
        perror("pipe");
        exit(1);
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    argv[0] = (char *)path;
    argv[1] = (char *)"--port";
    argv[2] = (char *)"0";
    argv[3] = (char *)"--exit-on-stdin-eof";
    argv[4] = NULL;
    if (posix_spawn(&mock->pid, path, &actions, NULL, argv, environ) != 0) {
        fprintf(stderr, "cannot start the mock provider %s\n", path);
        exit(1);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    mock->stdin_fd = in[1];
    while (n + 1 < sizeof line && read(out[0], &c, 1) == 1 && c != '\n') line[n++] = c;
    line[n] = '\0';
    close(out[0]);
    if (strncmp(line, "listening on ", 13) != 0 || strlen(line + 13) >= sizeof mock->base) {
        fprintf(stderr, "the mock provider did not start: \"%s\"\n", line);
        exit(1);
    }
    strcpy(mock->base, line + 13);
    mock->port = atoi(strrchr(mock->base, ':') + 1);
}

void mock_stop(mock_provider *mock) {
    int status = 0;
    if (mock->pid <= 0) return;
    close(mock->stdin_fd);
    kill(mock->pid, SIGTERM);
    waitpid(mock->pid, &status, 0);
    mock->pid = 0;
}

/* GET /__stats over a plain socket: HTTP/1.0, so the body ends when the connection does. */
static char *mock_stats(const mock_provider *mock) {
    struct sockaddr_in addr;
    const char *request = "GET /__stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (!buf || fd < 0) exit(1);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)mock->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
        fprintf(stderr, "the mock provider is unreachable\n");
        exit(1);
    }
    while ((got = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) exit(1);
            buf = bigger;
        }
    }
    close(fd);
    buf[len] = '\0';
    return buf;
}

long mock_attempts(const mock_provider *mock, const char *key) {
    char *stats = mock_stats(mock);
    char pattern[256];
    long n = 0;
    const char *at;
    /* {"total":N,"attempts":{"KEY":N,...},...}: the key is searched with its quotes and colon. */
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    at = strstr(stats, "\"attempts\"");
    if (at && (at = strstr(at, pattern)) != NULL) n = strtol(at + strlen(pattern), NULL, 10);
    free(stats);
    return n;
}

long mock_wait_attempts(const mock_provider *mock, const char *key, long n, int timeout_ms) {
    long long until = now_ms() + timeout_ms;
    long seen = mock_attempts(mock, key);
    while (seen < n && now_ms() < until) {
        sleep_ms(5);
        seen = mock_attempts(mock, key);
    }
    return seen;
}

char *mock_config_text(const mock_provider *mock, const char *json_template) {
    size_t base_len = strlen(mock->base);
    char *out = malloc(strlen(json_template) * (base_len + 1) + 1); /* ample: $BASE grows at most this */
    char *w = out;
    const char *r;
    if (!out) exit(1);
    for (r = json_template; *r;) {
        if (strncmp(r, "$BASE", 5) == 0) {
            memcpy(w, mock->base, base_len);
            w += base_len;
            r += 5;
        } else {
            *w++ = *r == '\'' ? '"' : *r;
            ++r;
        }
    }
    *w = '\0';
    return out;
}

sw_config *mock_config(const mock_provider *mock, const char *json_template) {
    char *text = mock_config_text(mock, json_template);
    char *report = NULL;
    sw_config *config = NULL;
    int rc = sw_config_load_string(&config, &report, text, strlen(text), "capi-test", SW_DIAG_TEXT);
    if (rc != SW_OK) {
        fprintf(stderr, "test config invalid (%s):\n%s\n%s\n", sw_strerror(rc), report ? report : "", text);
        exit(1);
    }
    sw_free(report);
    free(text);
    return config;
}

sw_router *mock_router(const mock_provider *mock, const char *json_template) {
    sw_config *config = mock_config(mock, json_template);
    sw_router *router = NULL;
    int rc = sw_router_create(&router, config, NULL);
    sw_config_destroy(&config);
    if (rc != SW_OK) {
        fprintf(stderr, "sw_router_create: %s: %s\n", sw_strerror(rc), sw_last_error());
        exit(1);
    }
    return router;
}

const char *const CHAT_REQUEST = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
const char *const STREAM_REQUEST =
    "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

/* ---- Waiting for callbacks ---- */

void latch_init(latch *l) {
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mutex, NULL);
    pthread_cond_init(&l->cond, NULL);
}

void latch_destroy(latch *l) {
    sw_response_destroy(&l->response);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->mutex);
}

int latch_wait(latch *l, int n, int timeout_ms) {
    struct timespec until;
    int done;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&l->mutex);
    while (l->done < n && pthread_cond_timedwait(&l->cond, &l->mutex, &until) == 0) {
    }
    done = l->done;
    pthread_mutex_unlock(&l->mutex);
    return done;
}

void latch_on_done(sw_response *response, void *user_data) {
    latch *l = user_data;
    pthread_mutex_lock(&l->mutex);
    sw_response_destroy(&l->response); /* keep the last; this latch owns what it keeps */
    l->response = response;
    l->user_data_seen = user_data;
    l->chunks_at_done = l->chunks;
    ++l->done;
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->mutex);
}

void latch_on_chunk(const char *chunk, size_t len, void *user_data) {
    latch *l = user_data;
    size_t keep = len < sizeof l->last_chunk - 1 ? len : sizeof l->last_chunk - 1;
    pthread_mutex_lock(&l->mutex);
    memcpy(l->last_chunk, chunk, keep);
    l->last_chunk[keep] = '\0';
    ++l->chunks;
    pthread_mutex_unlock(&l->mutex);
}
