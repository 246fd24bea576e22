/* test_capi_async.c — asynchronous requests through the C ABI over the loopback mock: callbacks
 * with user_data and response ownership, cancellation, blocking calls refused inside callbacks,
 * and routers destroyed with requests in flight or from their own callback. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

static mock_provider mock;

static const char *ROUTER_CONFIG =
    "{'pools':[{'id':'primary','providers':["
    "{'name':'fast','provider':'custom','apiBase':'$BASE/v1','modelName':'capi-async','timeout':10000}]},"
    "{'id':'hanging','providers':["
    "{'name':'stuck','provider':'custom','apiBase':'$BASE/v1','modelName':'capi-hang@hang','timeout':20000,"
    "'maxRetries':0}]}],"
    "'models':{'chat':{'primaryPoolId':'primary'},'hang':{'primaryPoolId':'hanging'}}}";

static const char *HANG_REQUEST = "{\"model\":\"hang\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

static void test_callback_gets_response_and_user_data(void) {
    sw_router *router = mock_router(&mock, ROUTER_CONFIG);
    latch first, second;
    sw_request_id id1 = 0, id2 = 0;

    latch_init(&first);
    latch_init(&second);
    CHECK(sw_router_chat_async(&id1, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, latch_on_done, &first) ==
          SW_OK);
    CHECK(sw_router_chat_async(&id2, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, latch_on_done, &second) ==
          SW_OK);
    CHECK(id1 != 0 && id2 != 0 && id1 != id2);
    CHECK(latch_wait(&first, 1, 10000) == 1);
    CHECK(latch_wait(&second, 1, 10000) == 1);
    CHECK(first.user_data_seen == &first && second.user_data_seen == &second);
    CHECK(sw_response_result(first.response) == SW_OK);
    CHECK_STR(sw_response_provider(first.response), "fast");
    CHECK_STR(sw_response_text(second.response), "Hello from the mock (capi-async).");

    /* The callee owns the response: it outlives the router and is released here. */
    sw_router_destroy(&router);
    CHECK_STR(sw_response_pool(first.response), "primary");
    /* Exactly once: nothing more arrives. */
    sleep_ms(50);
    CHECK(first.done == 1 && second.done == 1);
    latch_destroy(&first);
    latch_destroy(&second);
}

static void test_embeddings_and_null_id(void) {
    sw_router *router = mock_router(&mock, ROUTER_CONFIG);
    const char *request = "{\"model\":\"chat\",\"input\":[\"a\",\"b\"]}";
    latch l;

    latch_init(&l);
    CHECK(sw_router_embeddings_async(NULL, router, request, strlen(request), NULL, latch_on_done, &l) == SW_OK);
    CHECK(latch_wait(&l, 1, 10000) == 1);
    CHECK(sw_response_result(l.response) == SW_OK);
    CHECK_HAS(sw_response_body(l.response), "\"embedding\"");
    sw_router_destroy(&router);
    latch_destroy(&l);
}

static void test_cancel_mid_request(void) {
    sw_router *router = mock_router(&mock, ROUTER_CONFIG);
    sw_request_id id = 0;
    long long start = now_ms();
    latch l;

    latch_init(&l);
    REQUIRE(sw_router_chat_async(&id, router, HANG_REQUEST, strlen(HANG_REQUEST), NULL, latch_on_done, &l) == SW_OK);
    /* Cancel once the request has really reached the provider. */
    CHECK(mock_wait_attempts(&mock, "capi-hang@hang", 1, 5000) >= 1);
    CHECK(latch_wait(&l, 1, 0) == 0);
    CHECK(sw_router_cancel(router, id) == SW_OK);
    CHECK(latch_wait(&l, 1, 5000) == 1);
    CHECK(sw_response_status(l.response) == 499);
    CHECK(sw_response_result(l.response) == SW_ERR_CANCELLED);
    CHECK_STR(sw_response_error_class(l.response), "cancelled");
    CHECK_STR(sw_response_route_error(l.response), "cancelled");
    CHECK(now_ms() - start < 5000); /* not the provider's 20 s timeout */
    /* Cancelling again, or a finished request, is harmless. */
    CHECK(sw_router_cancel(router, id) == SW_OK);
    sw_router_destroy(&router);
    latch_destroy(&l);
}

static void test_destroy_with_requests_in_flight(void) {
    sw_router *router = mock_router(&mock, ROUTER_CONFIG);
    latch l;

    latch_init(&l);
    REQUIRE(sw_router_chat_async(NULL, router, HANG_REQUEST, strlen(HANG_REQUEST), NULL, latch_on_done, &l) ==
            SW_OK);
    REQUIRE(sw_router_chat_async(NULL, router, HANG_REQUEST, strlen(HANG_REQUEST), NULL, latch_on_done, &l) ==
            SW_OK);
    /* Destroy returns only after every done callback has run, each with "cancelled". */
    sw_router_destroy(&router);
    CHECK(l.done == 2);
    CHECK(sw_response_result(l.response) == SW_ERR_CANCELLED);
    CHECK_STR(sw_response_error_class(l.response), "cancelled");
    latch_destroy(&l);
}

/* ---- Calls made from inside a callback ---- */

typedef struct reentry {
    latch done;               /* the outer request's end */
    sw_router *router;
    int chat_rc;              /* sw_router_chat from the callback */
    int stream_rc;            /* sw_router_chat_stream from the callback */
    int embeddings_rc;        /* sw_router_embeddings from the callback */
    int next_wait_rc;         /* sw_stream_next with a wait, from the callback */
    int next_poll_rc;         /* sw_stream_next without one */
    int async_rc;             /* a nested sw_router_chat_async */
    int status_rc;            /* sw_router_status_json */
    char error[512];          /* sw_last_error() after sw_router_chat */
    latch nested;             /* the nested request's end */
    sw_stream *stream;
} reentry;

static void reenter(sw_response *response, void *user_data) {
    reentry *t = user_data;
    sw_response *out = (sw_response *)1;
    const char *chunk = NULL;
    size_t len = 0;
    char *status = NULL;

    t->chat_rc = sw_router_chat(&out, t->router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL);
    snprintf(t->error, sizeof t->error, "%s", sw_last_error());
    t->stream_rc = sw_router_chat_stream(&out, t->router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, NULL, NULL);
    t->embeddings_rc = sw_router_embeddings(&out, t->router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL);
    t->next_wait_rc = sw_stream_next(&chunk, &len, t->stream, -1);
    t->next_poll_rc = sw_stream_next(&chunk, &len, t->stream, 0);
    t->async_rc = sw_router_chat_async(NULL, t->router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, latch_on_done,
                                       &t->nested);
    t->status_rc = sw_router_status_json(&status, t->router);
    sw_free(status);
    latch_on_done(response, &t->done);
}

static void test_blocking_calls_refused_in_callbacks(void) {
    reentry t;
    memset(&t, 0, sizeof t);
    latch_init(&t.done);
    latch_init(&t.nested);
    t.router = mock_router(&mock, ROUTER_CONFIG);
    /* A stream that never produces anything, for sw_stream_next. */
    REQUIRE(sw_stream_open(&t.stream, t.router, HANG_REQUEST, strlen(HANG_REQUEST), NULL) == SW_OK);

    REQUIRE(sw_router_chat_async(NULL, t.router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, reenter, &t) == SW_OK);
    CHECK(latch_wait(&t.done, 1, 10000) == 1);
    CHECK(t.chat_rc == SW_ERR_WOULD_DEADLOCK);
    CHECK(capi_contains(t.error, "sw_router_chat") && capi_contains(t.error, "asynchronous"));
    CHECK(t.stream_rc == SW_ERR_WOULD_DEADLOCK);
    CHECK(t.embeddings_rc == SW_ERR_WOULD_DEADLOCK);
    CHECK(t.next_wait_rc == SW_ERR_WOULD_DEADLOCK);
    CHECK(t.next_poll_rc == SW_ERR_TIMEOUT); /* polling is allowed: nothing there yet */
    CHECK(t.status_rc == SW_OK);
    /* Non-blocking calls work from a callback. */
    CHECK(t.async_rc == SW_OK);
    CHECK(latch_wait(&t.nested, 1, 10000) == 1);
    CHECK(sw_response_result(t.nested.response) == SW_OK);
    /* And outside a callback the same thread may block again. */
    {
        sw_response *r = NULL;
        CHECK(sw_router_chat(&r, t.router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
        CHECK(sw_response_result(r) == SW_OK);
        sw_response_destroy(&r);
    }
    sw_stream_destroy(&t.stream);
    sw_router_destroy(&t.router);
    latch_destroy(&t.done);
    latch_destroy(&t.nested);
}

typedef struct self_destroy {
    latch done;
    sw_router *router;
    int router_cleared;
} self_destroy;

static void destroy_own_router(sw_response *response, void *user_data) {
    self_destroy *t = user_data;
    sw_router_destroy(&t->router); /* must not wait here for this very thread */
    t->router_cleared = t->router == NULL;
    latch_on_done(response, &t->done);
}

static void test_destroy_router_from_its_callback(void) {
    self_destroy t;
    latch other;
    memset(&t, 0, sizeof t);
    latch_init(&t.done);
    latch_init(&other);
    t.router = mock_router(&mock, ROUTER_CONFIG);

    /* A request still running when the router goes: it ends, cancelled. */
    REQUIRE(sw_router_chat_async(NULL, t.router, HANG_REQUEST, strlen(HANG_REQUEST), NULL, latch_on_done, &other) ==
            SW_OK);
    REQUIRE(sw_router_chat_async(NULL, t.router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, destroy_own_router, &t) ==
            SW_OK);
    CHECK(latch_wait(&t.done, 1, 10000) == 1);
    CHECK(t.router_cleared);
    CHECK(sw_response_result(t.done.response) == SW_OK);
    CHECK(latch_wait(&other, 1, 10000) == 1);
    CHECK(sw_response_result(other.response) == SW_ERR_CANCELLED);
    /* The helper thread finishes the shutdown right after the last callback; let it, so that the
     * leak checker sees a finished process. */
    sleep_ms(200);
    latch_destroy(&t.done);
    latch_destroy(&other);
}

int main(int argc, char **argv) {
    int status;
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_async MOCK_PROVIDER\n");
        return 2;
    }
    mock_start(&mock, argv[1]);
    RUN(test_callback_gets_response_and_user_data);
    RUN(test_embeddings_and_null_id);
    RUN(test_cancel_mid_request);
    RUN(test_destroy_with_requests_in_flight);
    RUN(test_blocking_calls_refused_in_callbacks);
    RUN(test_destroy_router_from_its_callback);
    status = capi_finish("test_capi_async");
    mock_stop(&mock);
    return status;
}
