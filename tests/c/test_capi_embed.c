/* test_capi_embed.c — an application's embedder and cascade judge through the C ABI
 * (sw_router_options version 3) over the loopback mock: a semantic route chosen by the callback's
 * vectors, a failing callback that leaves the heuristic to decide, a cascade escalated by the
 * judge's scores, and the options the router refuses. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

static mock_provider mock;

/* "law" takes the legal route; the semantic router embeds with the application's callback. */
static const char *ROUTER_CONFIG =
    "{'pools':[{'id':'law','providers':[{'name':'l','provider':'custom','apiBase':'$BASE/v1','modelName':'law'}]},"
    "{'id':'other','providers':[{'name':'o','provider':'custom','apiBase':'$BASE/v1','modelName':'other'}]}],"
    "'models':{'auto':{'router':{'strategy':'semantic','semantic':{'embedder':'callback','defaultRoutes':false,"
    "'routes':{'legal':{'utterances':['lease'],'threshold':0.9}}},"
    "'routes':{'legal':[{'pool':'law'}],'code':[{'pool':'other'}],'general':[{'pool':'other'}]}}}}}";

static const char *LEGAL_REQUEST = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"my lease\"}]}";
static const char *CODE_REQUEST =
    "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"how do I reverse a list in python\"}]}";

typedef struct embedder_state {
    pthread_mutex_t mutex;
    int calls;
    int fail; /* return this from the callback when non-zero */
} embedder_state;

/* Texts that mention a lease point along the first axis; everything else along the second. */
static int embed(const char *text, size_t len, float *out, size_t dimensions, void *user_data) {
    embedder_state *s = (embedder_state *)user_data;
    size_t i;
    int fail;
    char copy[256];
    size_t n = len < sizeof copy - 1 ? len : sizeof copy - 1;
    memcpy(copy, text, n);
    copy[n] = '\0';
    pthread_mutex_lock(&s->mutex);
    ++s->calls;
    fail = s->fail;
    pthread_mutex_unlock(&s->mutex);
    if (fail) return fail;
    for (i = 0; i < dimensions; ++i) out[i] = 0.0f;
    out[strstr(copy, "lease") ? 0 : 1] = 1.0f;
    return 0;
}

static sw_router *router_with(const sw_router_options *options, int *rc) {
    sw_config *loaded = mock_config(&mock, ROUTER_CONFIG);
    sw_router *router = NULL;
    *rc = sw_router_create(&router, loaded, options);
    sw_config_destroy(&loaded);
    return router;
}

static char *trace_of(sw_router *router, const char *request) {
    sw_response *r = NULL;
    char *trace;
    REQUIRE(sw_router_chat(&r, router, request, strlen(request), NULL) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    trace = strdup(sw_response_trace_json(r));
    sw_response_destroy(&r);
    return trace;
}

static void test_callback_embedder_routes(void) {
    embedder_state s = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    sw_router *router;
    char *trace;
    int rc;

    CHECK(options.version == SW_ROUTER_OPTIONS_VERSION && options.embed == NULL && options.embed_dimensions == 0);
    options.embed = embed;
    options.embed_user_data = &s;
    options.embed_dimensions = 8;
    router = router_with(&options, &rc);
    REQUIRE(rc == SW_OK);
    CHECK(s.calls == 1); /* the route's one utterance, when the router was created */

    trace = trace_of(router, LEGAL_REQUEST);
    CHECK(capi_contains(trace, "\"strategy\":\"semantic\",\"rules\":\"standard\",\"embedder\":\"callback\""));
    CHECK(capi_contains(trace, "\"label\":\"legal\""));
    CHECK(capi_contains(trace, "\"pool\":\"law\""));
    free(trace);

    /* A failing embedder: the request is served, routed by the heuristic, and the trace says why. */
    pthread_mutex_lock(&s.mutex);
    s.fail = 7;
    pthread_mutex_unlock(&s.mutex);
    trace = trace_of(router, CODE_REQUEST);
    CHECK(capi_contains(trace, "\"label\":\"code\""));
    CHECK(capi_contains(trace, "\"fallback\":\"the callback embedder failed (the embedder callback failed: it returned 7)"));
    free(trace);
    sw_router_destroy(&router);
    pthread_mutex_destroy(&s.mutex);
}

static void test_refused_options(void) {
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    embedder_state s = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
    sw_router *router;
    int rc;

    /* No callback for a config that needs one. */
    router = router_with(&options, &rc);
    CHECK(rc == SW_ERR_CONFIG);
    CHECK(router == NULL);
    CHECK(capi_contains(sw_last_error(), "model \"auto\" embeds with a callback, and the router was given none"));

    /* A version-2 struct has no embedder fields, whatever the memory after it holds. */
    memset(&options, 0xff, sizeof options);
    REQUIRE(sw_router_options_init(&options, 2) == SW_OK);
    router = router_with(&options, &rc);
    CHECK(rc == SW_ERR_CONFIG);

    REQUIRE(sw_router_options_init(&options, 3) == SW_OK);
    options.embed = embed;
    options.embed_user_data = &s;
    options.embed_dimensions = 0;
    router = router_with(&options, &rc);
    CHECK(rc == SW_ERR_INVALID_ARGUMENT);
    CHECK(capi_contains(sw_last_error(), "embed_dimensions is 0; expected 1 to 65536"));
    CHECK(s.calls == 0);
    pthread_mutex_destroy(&s.mutex);
}

/* A cascade over two priced pools of the mock: "cheap" is asked first. */
static const char *CASCADE_CONFIG =
    "{'pools':[{'id':'strong','providers':[{'name':'s','provider':'custom','apiBase':'$BASE/v1','modelName':'strong',"
    "'costPerToken':0.00001}]},"
    "{'id':'cheap','providers':[{'name':'c','provider':'custom','apiBase':'$BASE/v1','modelName':'cheap',"
    "'costPerToken':0.000001}]}],"
    "'models':{'auto':{'router':{'strategy':'cascade','cascade':{'steps':[{'pool':'strong'},{'pool':'cheap'}],"
    "'judge':'callback'}}}}}";

/* Scores every answer `*(double *)user_data` for quality, and fully confident. */
static int judge(const char *prompt, size_t prompt_len, const char *answer, size_t answer_len, double *quality,
                 double *confidence, void *user_data) {
    if (prompt_len == 0 || answer_len == 0 || !prompt || !answer) return 1;
    *quality = *(const double *)user_data;
    *confidence = 1.0;
    return 0;
}

static void test_judge_callback_escalates(void) {
    sw_router_options options = SW_ROUTER_OPTIONS_INIT;
    double quality = 0.9;
    sw_config *loaded = mock_config(&mock, CASCADE_CONFIG);
    sw_router *router = NULL;
    char *trace;

    CHECK(options.judge == NULL && options.judge_user_data == NULL);
    REQUIRE(sw_router_create(&router, loaded, &options) == SW_ERR_CONFIG);
    CHECK(capi_contains(sw_last_error(), "judges its cascade with a callback, and the router was given none"));
    options.judge = judge;
    options.judge_user_data = &quality;
    REQUIRE(sw_router_create(&router, loaded, &options) == SW_OK);
    sw_config_destroy(&loaded);

    trace = trace_of(router, LEGAL_REQUEST);
    CHECK(capi_contains(trace, "\"strategy\":\"cascade\""));
    CHECK(capi_contains(trace, "\"steps\":[{\"pool\":\"cheap\""));
    CHECK(capi_contains(trace, "accepted by the judge callback"));
    CHECK(capi_count(trace, "\"pool\":\"strong\"") == 0);
    free(trace);

    quality = 0.1; /* below 0.7: every answer escalates, and the last one is returned */
    trace = trace_of(router, LEGAL_REQUEST);
    CHECK(capi_contains(trace, "escalated by the judge callback"));
    CHECK(capi_contains(trace, "no step reached the thresholds; the last answer, pool \\\"strong\\\"'s"));
    free(trace);
    sw_router_destroy(&router);
}

int main(int argc, char **argv) {
    int status;
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_embed MOCK_PROVIDER\n");
        return 2;
    }
    mock_start(&mock, argv[1]);
    RUN(test_callback_embedder_routes);
    RUN(test_refused_options);
    RUN(test_judge_callback_escalates);
    status = capi_finish("test_capi_embed");
    mock_stop(&mock);
    return status;
}
