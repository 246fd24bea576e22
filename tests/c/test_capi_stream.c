/* test_capi_stream.c — streamed requests through the C ABI over the loopback mock: chunk
 * callbacks (blocking and not), pull streams with timeouts, cancellation mid-stream, and streams
 * that outlive their router. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

static mock_provider mock;

/* Model "chat" streams `model` from the mock; "hang" never answers. */
static sw_router *stream_router(const char *model) {
    char config[1024];
    sw_router *router;
    sw_config *loaded;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    snprintf(config, sizeof config,
             "{'pools':[{'id':'primary','providers':[{'name':'streamer','provider':'custom','apiBase':'$BASE/v1',"
             "'modelName':'%s','timeout':10000,'maxRetries':0}]},"
             "{'id':'hanging','providers':[{'name':'stuck','provider':'custom','apiBase':'$BASE/v1',"
             "'modelName':'capi-stream-hang@hang','timeout':20000,'maxRetries':0}]}],"
             "'models':{'chat':{'primaryPoolId':'primary'},'hang':{'primaryPoolId':'hanging'}}}",
             model);
    loaded = mock_config(&mock, config);
    options.stream_idle_timeout_ms = 5000;
    REQUIRE(sw_router_create(&router, loaded, &options) == SW_OK);
    sw_config_destroy(&loaded);
    return router;
}

static const char *HANG_STREAM =
    "{\"model\":\"hang\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

static void test_blocking_stream_with_callback(void) {
    sw_router *router = stream_router("capi-stream@chunks=4");
    sw_response *r = NULL;
    latch l;

    latch_init(&l);
    REQUIRE(sw_router_chat_stream(&r, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, latch_on_chunk, &l) ==
            SW_OK);
    CHECK(sw_response_result(r) == SW_OK);
    CHECK(l.chunks >= 4); /* four with content, and the final one with the finish reason */
    CHECK_HAS(l.last_chunk, "\"finish_reason\":\"stop\"");
    CHECK_STR(sw_response_text(r), "tok1 tok2 tok3 tok4 ");
    CHECK_STR(sw_response_finish_reason(r), "stop");
    CHECK_STR(sw_response_body(r), "");
    CHECK(sw_response_completion_tokens(r) == 4);
    sw_response_destroy(&r);

    /* The chunk callback is optional. */
    REQUIRE(sw_router_chat_stream(&r, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, NULL, NULL) == SW_OK);
    CHECK_STR(sw_response_text(r), "tok1 tok2 tok3 tok4 ");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
    latch_destroy(&l);
}

static void test_async_stream_chunks_come_before_done(void) {
    sw_router *router = stream_router("capi-stream-async@chunks=6,chunk_delay_ms=5");
    sw_request_id id = 0;
    latch l;

    latch_init(&l);
    REQUIRE(sw_router_chat_stream_async(&id, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, latch_on_chunk,
                                        latch_on_done, &l) == SW_OK);
    CHECK(id != 0);
    CHECK(latch_wait(&l, 1, 10000) == 1);
    CHECK(l.chunks >= 6);
    CHECK(l.chunks_at_done == l.chunks); /* no chunk after done */
    CHECK(l.user_data_seen == &l);
    CHECK_STR(sw_response_text(l.response), "tok1 tok2 tok3 tok4 tok5 tok6 ");
    sw_router_destroy(&router);
    latch_destroy(&l);
}

static void test_pull_stream(void) {
    sw_router *router = stream_router("capi-pull@chunks=5");
    sw_stream *stream = NULL;
    const char *chunk = NULL;
    size_t len = 0;
    int chunks = 0, content = 0, rc;
    const sw_response *r;

    REQUIRE(sw_stream_open(&stream, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL) == SW_OK);
    CHECK(sw_stream_id(stream) != 0);
    /* INT64_MAX waits without limit, like -1, rather than overflowing a time point. */
    while ((rc = sw_stream_next(&chunk, &len, stream, INT64_MAX)) == SW_OK) {
        ++chunks;
        CHECK(len == strlen(chunk)); /* NUL-terminated, and the length agrees */
        CHECK_HAS(chunk, "chat.completion.chunk");
        if (capi_contains(chunk, "\"content\":\"tok")) ++content;
    }
    CHECK(rc == SW_ITER_OVER);
    CHECK_STR(sw_last_error(), ""); /* the end is not a failure */
    CHECK(chunk == NULL && len == 0);
    CHECK(content == 5 && chunks >= 5);
    r = sw_stream_response(stream);
    REQUIRE(r != NULL);
    CHECK(sw_response_result(r) == SW_OK);
    CHECK_STR(sw_response_text(r), "tok1 tok2 tok3 tok4 tok5 ");
    CHECK_STR(sw_response_provider(r), "streamer");
    /* The end stays the end. */
    CHECK(sw_stream_next(&chunk, &len, stream, 0) == SW_ITER_OVER);
    CHECK(sw_stream_next(&chunk, &len, stream, -1) == SW_ITER_OVER);
    sw_stream_destroy(&stream);
    CHECK(stream == NULL);
    sw_router_destroy(&router);
}

static void test_pull_stream_timeouts(void) {
    sw_router *router = stream_router("capi-pull-slow@chunks=2,ttft_ms=600");
    sw_stream *stream = NULL;
    const char *chunk = NULL;
    size_t len = 0;
    long long start;
    int rc, chunks = 0;

    REQUIRE(sw_stream_open(&stream, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL) == SW_OK);
    CHECK(sw_stream_response(stream) == NULL); /* still running */
    CHECK(sw_stream_next(&chunk, &len, stream, 0) == SW_ERR_TIMEOUT);
    start = now_ms();
    CHECK(sw_stream_next(&chunk, &len, stream, 100) == SW_ERR_TIMEOUT);
    CHECK(now_ms() - start >= 90);
    CHECK_HAS(sw_last_error(), "100 ms");
    CHECK(chunk == NULL);
    /* Then it comes. */
    while ((rc = sw_stream_next(&chunk, &len, stream, 10000)) == SW_OK) ++chunks;
    CHECK(rc == SW_ITER_OVER);
    CHECK(chunks >= 2);
    CHECK(sw_response_result(sw_stream_response(stream)) == SW_OK);
    sw_stream_destroy(&stream);
    sw_router_destroy(&router);
}

static void test_cancel_mid_stream(void) {
    const char *key = "capi-stream-cancel@chunks=100,chunk_delay_ms=50";
    sw_router *router = stream_router(key);
    sw_stream *stream = NULL;
    const char *chunk = NULL;
    size_t len = 0;
    char last[512] = "";
    long long start = now_ms();
    int rc;

    REQUIRE(sw_stream_open(&stream, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL) == SW_OK);
    REQUIRE(sw_stream_next(&chunk, &len, stream, 10000) == SW_OK);
    CHECK_HAS(chunk, "\"content\":\"tok1 \"");
    CHECK(sw_router_cancel(router, sw_stream_id(stream)) == SW_OK);
    while ((rc = sw_stream_next(&chunk, &len, stream, 10000)) == SW_OK) snprintf(last, sizeof last, "%s", chunk);
    CHECK(rc == SW_ITER_OVER);
    CHECK(now_ms() - start < 4000); /* 100 chunks would take 5 s */
    /* Content had been delivered, so the stream ends with an explicit error, never as a success. */
    CHECK_HAS(last, "\"type\":\"stream_interrupted\"");
    CHECK(sw_response_result(sw_stream_response(stream)) == SW_ERR_CANCELLED);
    CHECK(sw_response_status(sw_stream_response(stream)) == 499);
    CHECK_STR(sw_response_error_class(sw_stream_response(stream)), "cancelled");
    sw_stream_destroy(&stream);
    sw_router_destroy(&router);
}

/* A stream cut after content and a request that every provider failed share status 502; the
 * route error tells them apart. */
static void test_route_error_tells_interrupted_from_exhausted(void) {
    sw_router *router = stream_router("capi-stream-cut@cut_after=2");
    sw_response *r = NULL;
    REQUIRE(sw_router_chat_stream(&r, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, NULL, NULL) == SW_OK);
    CHECK(sw_response_status(r) == 502);
    CHECK_STR(sw_response_route_error(r), "stream_interrupted");
    sw_response_destroy(&r);
    sw_router_destroy(&router);

    router = stream_router("capi-stream-fail@status=503");
    REQUIRE(sw_router_chat_stream(&r, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL, NULL, NULL) == SW_OK);
    CHECK(sw_response_status(r) == 502);
    CHECK_STR(sw_response_route_error(r), "exhausted");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_destroying_a_running_stream(void) {
    sw_router *router = stream_router("capi-stream-destroy@chunks=100,chunk_delay_ms=50");
    sw_stream *stream = NULL;
    sw_response *r = NULL;
    const char *chunk = NULL;
    size_t len = 0;
    long long start;

    REQUIRE(sw_stream_open(&stream, router, STREAM_REQUEST, strlen(STREAM_REQUEST), NULL) == SW_OK);
    REQUIRE(sw_stream_next(&chunk, &len, stream, 10000) == SW_OK);
    start = now_ms();
    sw_stream_destroy(&stream); /* cancels; never waits */
    CHECK(stream == NULL);
    CHECK(now_ms() - start < 500);
    /* The router goes on serving. */
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    CHECK(sw_response_result(r) == SW_OK);
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_stream_outlives_router(void) {
    sw_router *router = stream_router("capi-unused");
    sw_stream *stream = NULL;
    const char *chunk = NULL;
    size_t len = 0;

    REQUIRE(sw_stream_open(&stream, router, HANG_STREAM, strlen(HANG_STREAM), NULL) == SW_OK);
    CHECK(sw_stream_next(&chunk, &len, stream, 50) == SW_ERR_TIMEOUT);
    sw_router_destroy(&router);
    CHECK(sw_stream_next(&chunk, &len, stream, 1000) == SW_ITER_OVER);
    CHECK(sw_response_result(sw_stream_response(stream)) == SW_ERR_CANCELLED);
    sw_stream_destroy(&stream);
}

static void test_unstreamed_request_on_a_stream(void) {
    sw_router *router = stream_router("capi-not-streamed");
    sw_stream *stream = NULL;
    const char *chunk = NULL;
    size_t len = 0;

    /* Without "stream": true the answer comes whole: no chunk, and the body in the response. */
    REQUIRE(sw_stream_open(&stream, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    CHECK(sw_stream_next(&chunk, &len, stream, 10000) == SW_ITER_OVER);
    CHECK_HAS(sw_response_body(sw_stream_response(stream)), "\"object\":\"chat.completion\"");
    sw_stream_destroy(&stream);

    /* A malformed request ends at once with 400. */
    REQUIRE(sw_stream_open(&stream, router, "[]", 2, NULL) == SW_OK);
    CHECK(sw_stream_next(&chunk, &len, stream, 10000) == SW_ITER_OVER);
    CHECK(sw_response_status(sw_stream_response(stream)) == 400);
    sw_stream_destroy(&stream);
    sw_router_destroy(&router);
}

int main(int argc, char **argv) {
    int status;
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_stream MOCK_PROVIDER\n");
        return 2;
    }
    mock_start(&mock, argv[1]);
    RUN(test_blocking_stream_with_callback);
    RUN(test_async_stream_chunks_come_before_done);
    RUN(test_pull_stream);
    RUN(test_pull_stream_timeouts);
    RUN(test_cancel_mid_stream);
    RUN(test_route_error_tells_interrupted_from_exhausted);
    RUN(test_destroying_a_running_stream);
    RUN(test_stream_outlives_router);
    RUN(test_unstreamed_request_on_a_stream);
    status = capi_finish("test_capi_stream");
    mock_stop(&mock);
    return status;
}
