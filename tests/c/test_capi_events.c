/* test_capi_events.c — router events through the C ABI over the loopback mock: version 2 of
 * sw_router_options with on_event, a version-1 struct that has no such field, and blocking calls
 * refused inside the event callback; and the router's metrics, which its events feed. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

static mock_provider mock;

static const char *ROUTER_CONFIG =
    "{'pools':[{'id':'primary','providers':["
    "{'name':'fast','provider':'custom','apiBase':'$BASE/v1','modelName':'capi-events','timeout':10000}]}],"
    "'models':{'chat':{'primaryPoolId':'primary'}}}";

/* What the event callback saw, under a lock: it runs on the router's threads. */
typedef struct events_seen {
    pthread_mutex_t mutex;
    int kinds[32];
    sw_request_id ids[32];
    int count;
    char finished_json[1024]; /* the request_finished event's JSON */
    void *user_data_seen;
    sw_router *router;        /* set to try a blocking call from inside the callback */
    int blocking_call_result;
} events_seen;

static void events_init(events_seen *e) {
    memset(e, 0, sizeof *e);
    pthread_mutex_init(&e->mutex, NULL);
    e->blocking_call_result = -1;
}

static void on_event(const sw_event *event, void *user_data) {
    events_seen *e = (events_seen *)user_data;
    sw_response *r = NULL;
    int rc = -1;
    if (e->router && event->kind == SW_EVENT_ATTEMPT_STARTED)
        rc = sw_router_chat(&r, e->router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL);
    pthread_mutex_lock(&e->mutex);
    e->user_data_seen = user_data;
    if (rc != -1) e->blocking_call_result = rc;
    if (e->count < 32) {
        e->kinds[e->count] = event->kind;
        e->ids[e->count] = event->request_id;
        ++e->count;
    }
    if (event->kind == SW_EVENT_REQUEST_FINISHED && event->json_len < sizeof e->finished_json) {
        memcpy(e->finished_json, event->json, event->json_len);
        e->finished_json[event->json_len] = '\0';
    }
    pthread_mutex_unlock(&e->mutex);
}

static sw_router *router_with(const sw_router_options *options) {
    sw_config *loaded = mock_config(&mock, ROUTER_CONFIG);
    sw_router *router = NULL;
    REQUIRE(sw_router_create(&router, loaded, options) == SW_OK);
    sw_config_destroy(&loaded);
    return router;
}

static void test_version_2_delivers_every_event(void) {
    events_seen e;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_chat_options chat_options = SW_CHAT_OPTIONS_INIT;
    sw_router *router;
    latch l;
    sw_request_id id = 0;
    int i;

    events_init(&e);
    chat_options.correlation_id = "corr-7";
    chat_options.client_id = "key-a";
    CHECK(options.version == SW_ROUTER_OPTIONS_VERSION && options.on_event == NULL && options.event_user_data == NULL);
    options.on_event = on_event;
    options.event_user_data = &e;
    router = router_with(&options);
    latch_init(&l);
    REQUIRE(sw_router_chat_async(&id, router, CHAT_REQUEST, strlen(CHAT_REQUEST), &chat_options, latch_on_done, &l) ==
            SW_OK);
    REQUIRE(latch_wait(&l, 1, 10000) == 1);
    CHECK(sw_response_status(l.response) == 200);

    pthread_mutex_lock(&e.mutex);
    /* request_finished is reported before the done callback, so all four are here. */
    REQUIRE(e.count == 4);
    CHECK(e.kinds[0] == SW_EVENT_ROUTE_DECISION);
    CHECK(e.kinds[1] == SW_EVENT_ATTEMPT_STARTED);
    CHECK(e.kinds[2] == SW_EVENT_ATTEMPT_FINISHED);
    CHECK(e.kinds[3] == SW_EVENT_REQUEST_FINISHED);
    for (i = 0; i < e.count; ++i) CHECK(e.ids[i] == id);
    CHECK(e.user_data_seen == &e);
    CHECK_HAS(e.finished_json, "{\"event\":\"request_finished\",");
    CHECK_HAS(e.finished_json, "\"correlation_id\":\"corr-7\",\"client_id\":\"key-a\",");
    CHECK_HAS(e.finished_json, "\"operation\":\"chat\",\"streaming\":false,\"model\":\"chat\",\"pool\":\"primary\","
                               "\"provider\":\"fast\",\"status\":200,\"error_class\":\"success\"");
    pthread_mutex_unlock(&e.mutex);

    latch_destroy(&l);
    sw_router_destroy(&router);
    pthread_mutex_destroy(&e.mutex);
}

static void test_version_1_struct_has_no_event_fields(void) {
    events_seen e;
    sw_router_options options;
    sw_router *router;
    sw_response *r = NULL;

    events_init(&e);
    /* A program built against version 1 passes the shorter struct: the fields after it are never
     * read, whatever the memory there holds. */
    memset(&options, 0, sizeof options);
    REQUIRE(sw_router_options_init(&options, 1) == SW_OK);
    CHECK(options.version == 1);
    options.on_event = on_event;
    options.event_user_data = &e;
    router = router_with(&options);
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);
    sw_router_destroy(&router);
    CHECK(e.count == 0);
    pthread_mutex_destroy(&e.mutex);
}

static void test_blocking_call_refused_in_event_callback(void) {
    events_seen e;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_router *router;
    sw_response *r = NULL;

    events_init(&e);
    options.on_event = on_event;
    options.event_user_data = &e;
    router = router_with(&options);
    e.router = router;
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);
    pthread_mutex_lock(&e.mutex);
    CHECK(e.blocking_call_result == SW_ERR_WOULD_DEADLOCK);
    pthread_mutex_unlock(&e.mutex);
    sw_router_destroy(&router);
    pthread_mutex_destroy(&e.mutex);
}

static void test_io_threads_option(void) {
    events_seen e;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_router *router = NULL;
    sw_config *loaded;
    latch l;
    sw_request_id ids[6];
    int i;

    events_init(&e);
    CHECK(options.io_threads == 0);
    options.io_threads = 65;
    loaded = mock_config(&mock, ROUTER_CONFIG);
    CHECK(sw_router_create(&router, loaded, &options) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "io_threads");
    options.io_threads = 3;
    options.on_event = on_event;
    options.event_user_data = &e;
    REQUIRE(sw_router_create(&router, loaded, &options) == SW_OK);
    sw_config_destroy(&loaded);
    latch_init(&l);
    for (i = 0; i < 6; ++i)
        REQUIRE(sw_router_chat_async(&ids[i], router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL, latch_on_done, &l) ==
                SW_OK);
    CHECK(latch_wait(&l, 6, 10000) == 6);
    pthread_mutex_lock(&e.mutex);
    CHECK(e.count == 24); /* four events for each of the six requests, whichever thread ran it */
    pthread_mutex_unlock(&e.mutex);
    latch_destroy(&l);
    sw_router_destroy(&router);
    pthread_mutex_destroy(&e.mutex);
}

static void test_metrics(void) {
    sw_router *router = mock_router(&mock, ROUTER_CONFIG);
    sw_response *r = NULL;
    char *text = NULL, *json = NULL;
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);
    REQUIRE(sw_router_metrics(&text, router, SW_METRICS_PROMETHEUS) == SW_OK);
    CHECK_HAS(text, "# TYPE switch_requests_total counter\n");
    CHECK_HAS(text, "switch_requests_total{model=\"chat\",pool=\"primary\",provider=\"fast\",outcome=\"success\"} 1\n");
    CHECK_HAS(text, "gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\",gen_ai_provider_name="
                    "\"custom\",gen_ai_request_model=\"chat\",pool=\"primary\",provider=\"fast\"} 1\n");
    REQUIRE(sw_router_metrics(&json, router, SW_METRICS_JSON) == SW_OK);
    CHECK_HAS(json, "{\"name\":\"switch_requests_total\",\"type\":\"counter\",");
    sw_free(json);
    CHECK(sw_router_metrics(&json, router, 7) == SW_ERR_INVALID_ARGUMENT);
    CHECK(json == NULL);
    CHECK_HAS(sw_last_error(), "unknown metrics format 7");
    sw_free(text);
    sw_router_destroy(&router);

    /* A configuration that turns metrics off: nothing is counted. */
    router = mock_router(&mock, "{'monitoring':{'metrics':{'enabled':false}},'pools':[{'id':'primary','providers':["
                                "{'name':'fast','provider':'custom','apiBase':'$BASE/v1','modelName':'capi-events'}]}],"
                                "'models':{'chat':{'primaryPoolId':'primary'}}}");
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    sw_response_destroy(&r);
    REQUIRE(sw_router_metrics(&text, router, SW_METRICS_PROMETHEUS) == SW_OK);
    CHECK(strcmp(text, "") == 0);
    REQUIRE(sw_router_metrics(&json, router, SW_METRICS_JSON) == SW_OK);
    CHECK(strcmp(json, "{\"metrics\":[]}") == 0);
    sw_free(text);
    sw_free(json);
    sw_router_destroy(&router);
}

/* The log lines on_log saw, under a lock: it runs on the router's threads. */
typedef struct log_seen {
    pthread_mutex_t mutex;
    int count;
    int level;
    char line[2048];
} log_seen;

static void on_log(int level, const char *line, size_t len, void *user_data) {
    log_seen *l = (log_seen *)user_data;
    pthread_mutex_lock(&l->mutex);
    ++l->count;
    l->level = level;
    if (len < sizeof l->line && strlen(line) == len) memcpy(l->line, line, len + 1);
    pthread_mutex_unlock(&l->mutex);
}

static void test_version_4_log_lines(void) {
    log_seen l;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_chat_options chat_options = SW_CHAT_OPTIONS_INIT;
    sw_router *router;
    sw_response *r = NULL;

    memset(&l, 0, sizeof l);
    pthread_mutex_init(&l.mutex, NULL);
    options.on_log = on_log;
    options.log_user_data = &l;
    chat_options.correlation_id = "c-log";
    router = router_with(&options);
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), &chat_options) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);
    pthread_mutex_lock(&l.mutex);
    CHECK(l.count == 1);
    CHECK(l.level == SW_LOG_INFO);
    CHECK_HAS(l.line, "\"level\":\"info\",\"event\":\"request\"");
    CHECK_HAS(l.line, "\"correlation_id\":\"c-log\"");
    CHECK_HAS(l.line, "\"model\":\"chat\"");
    pthread_mutex_unlock(&l.mutex);
    sw_router_destroy(&router);

    /* A version-3 struct ends before on_log: whatever lies there is never read. */
    memset(&options, 0, sizeof options);
    REQUIRE(sw_router_options_init(&options, 3) == SW_OK);
    options.on_log = on_log;
    options.log_user_data = &l;
    router = router_with(&options);
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    sw_response_destroy(&r);
    sw_router_destroy(&router);
    CHECK(l.count == 1);
    pthread_mutex_destroy(&l.mutex);
}

/* The spans on_span saw, under a lock: it runs on the router's threads. */
typedef struct spans_seen {
    pthread_mutex_t mutex;
    int count;
    char spans[2][2048]; /* the first two */
} spans_seen;

static void on_span(const char *json, size_t len, void *user_data) {
    spans_seen *s = (spans_seen *)user_data;
    pthread_mutex_lock(&s->mutex);
    if (s->count < 2 && len < sizeof s->spans[0] && strlen(json) == len) memcpy(s->spans[s->count], json, len + 1);
    ++s->count;
    pthread_mutex_unlock(&s->mutex);
}

static void test_version_5_spans(void) {
    spans_seen s;
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_chat_options chat_options = SW_CHAT_OPTIONS_INIT;
    sw_router *router;
    sw_response *r = NULL;

    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mutex, NULL);
    options.on_span = on_span;
    options.span_user_data = &s;
    chat_options.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    router = router_with(&options);
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), &chat_options) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);
    pthread_mutex_lock(&s.mutex);
    CHECK(s.count == 2); /* the attempt, then the request */
    CHECK_HAS(s.spans[0], "\"kind\":\"client\"");
    CHECK_HAS(s.spans[0], "\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"");
    CHECK_HAS(s.spans[1], "\"name\":\"chat chat\",\"kind\":\"internal\"");
    CHECK_HAS(s.spans[1], "\"parent_span_id\":\"b7ad6b7169203331\"");
    CHECK_HAS(s.spans[1], "\"gen_ai.operation.name\":\"chat\"");
    pthread_mutex_unlock(&s.mutex);
    sw_router_destroy(&router);

    /* A version-4 struct ends before on_span, and a version-3 chat struct before traceparent:
       whatever lies there is never read. */
    memset(&options, 0, sizeof options);
    REQUIRE(sw_router_options_init(&options, 4) == SW_OK);
    options.on_span = on_span;
    options.span_user_data = &s;
    router = router_with(&options);
    REQUIRE(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), NULL) == SW_OK);
    sw_response_destroy(&r);
    sw_router_destroy(&router);
    CHECK(s.count == 2);
    pthread_mutex_destroy(&s.mutex);
}

int main(int argc, char **argv) {
    int status;
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_events MOCK_PROVIDER\n");
        return 2;
    }
    mock_start(&mock, argv[1]);
    RUN(test_version_2_delivers_every_event);
    RUN(test_version_1_struct_has_no_event_fields);
    RUN(test_blocking_call_refused_in_event_callback);
    RUN(test_io_threads_option);
    RUN(test_metrics);
    RUN(test_version_4_log_lines);
    RUN(test_version_5_spans);
    status = capi_finish("test_capi_events");
    mock_stop(&mock);
    return status;
}
