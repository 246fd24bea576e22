/* test_capi_chat.c — blocking requests through the C ABI over the loopback mock: every response
 * accessor, failures and fallbacks, deadlines, embeddings, status JSON, breaker reset, reload. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

static mock_provider mock;

/* Two pools: "primary" with `primary_model` (a mock scenario) and "backup" with a healthy
 * provider. The primary's breaker opens after one failure; the backup's provider is priced. */
static sw_router *two_pools(const char *primary_model) {
    char config[2048];
    snprintf(config, sizeof config,
             "{'pools':["
             "{'id':'primary','providers':[{'name':'first','provider':'custom','apiBase':'$BASE/v1',"
             "'modelName':'%s','timeout':3000,'maxRetries':0}],'fallbackPoolIds':['backup'],"
             "'circuitBreaker':{'enabled':true,'failureThreshold':1,'resetTimeout':60000}},"
             "{'id':'backup','providers':[{'name':'second','provider':'custom','apiBase':'$BASE/v1',"
             "'modelName':'capi-backup','costPerToken':0.001}]}],"
             "'models':{'chat':{'primaryPoolId':'primary'}}}",
             primary_model);
    return mock_router(&mock, config);
}

static sw_response *chat(sw_router *router, const char *request, const sw_chat_options *options) {
    sw_response *response = NULL;
    REQUIRE(sw_router_chat(&response, router, request, strlen(request), options) == SW_OK);
    REQUIRE(response != NULL);
    return response;
}

static void test_success_and_every_accessor(void) {
    sw_router *router = two_pools("capi-ok");
    sw_response *r = chat(router, CHAT_REQUEST, NULL);

    CHECK(sw_response_result(r) == SW_OK);
    CHECK(sw_response_status(r) == 200);
    CHECK_STR(sw_response_error_class(r), "success");
    CHECK_STR(sw_response_route_error(r), "");
    CHECK_STR(sw_response_error(r), "");
    CHECK_STR(sw_response_error_json(r), "");
    CHECK_HAS(sw_response_body(r), "\"object\":\"chat.completion\"");
    CHECK_HAS(sw_response_body(r), "\"model\":\"capi-ok\""); /* the model that really served */
    CHECK_STR(sw_response_text(r), "Hello from the mock (capi-ok).");
    CHECK_STR(sw_response_finish_reason(r), "stop");
    CHECK(sw_response_prompt_tokens(r) > 0);
    CHECK(sw_response_completion_tokens(r) == 7);
    CHECK(sw_response_total_tokens(r) == sw_response_prompt_tokens(r) + 7);
    CHECK(sw_response_has_cost(r) == 0); /* the primary has no price */
    CHECK(sw_response_cost_usd(r) == 0.0);
    CHECK_STR(sw_response_provider(r), "first");
    CHECK_STR(sw_response_pool(r), "primary");
    CHECK(sw_response_used_fallback(r) == 0);
    CHECK_HAS(sw_response_trace_json(r), "\"provider\":\"first\",\"pool\":\"primary\",\"used_fallback\":false");
    CHECK(capi_count(sw_response_trace_json(r), "\"status\":200") == 1);
    CHECK_STR(sw_last_error(), ""); /* accessors leave it as the last call left it */

    sw_response_destroy(&r);
    CHECK(r == NULL);
    sw_router_destroy(&router);
    CHECK(router == NULL);
}

static void test_fallback_serves_with_cost_and_trace(void) {
    sw_router *router = two_pools("capi-down@status=503");
    sw_response *r = chat(router, CHAT_REQUEST, NULL);

    CHECK(sw_response_result(r) == SW_OK);
    CHECK_STR(sw_response_provider(r), "second");
    CHECK_STR(sw_response_pool(r), "backup");
    CHECK(sw_response_used_fallback(r) == 1);
    CHECK(sw_response_has_cost(r) == 1);
    CHECK(sw_response_cost_usd(r) > 0.0009 * (double)sw_response_total_tokens(r));
    CHECK(sw_response_cost_usd(r) < 0.0011 * (double)sw_response_total_tokens(r));
    CHECK_HAS(sw_response_trace_json(r), "\"used_fallback\":true");
    CHECK_HAS(sw_response_trace_json(r), "\"status\":503,\"error_class\":\"transient\"");
    CHECK_HAS(sw_response_trace_json(r), "\"cost_usd\":");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_failures_are_responses(void) {
    sw_router *router = mock_router(&mock,
                                    "{'pools':[{'id':'primary','providers':[{'name':'only','provider':'custom',"
                                    "'apiBase':'$BASE/v1','modelName':'capi-fail@status=502','maxRetries':0}]}],"
                                    "'models':{'chat':{'primaryPoolId':'primary'}}}");
    const char *malformed = "{\"model\":\"chat\",\"messages\":";
    const char *unknown = "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    sw_response *r = chat(router, CHAT_REQUEST, NULL);

    /* Every provider failed: SW_OK from the call, the failure in the response. */
    CHECK(sw_response_result(r) == SW_ERR_REQUEST_FAILED);
    CHECK(sw_response_status(r) == 502);
    CHECK_STR(sw_response_error_class(r), "transient");
    CHECK_STR(sw_response_route_error(r), "exhausted");
    CHECK_HAS(sw_response_error(r), "only");
    CHECK_HAS(sw_response_error_json(r), "{\"error\":{\"message\":\"every provider failed for \\\"chat\\\"");
    CHECK_HAS(sw_response_error_json(r), "\"type\":\"all_providers_failed\",\"code\":\"transient\",\"param\":null}}");
    CHECK_STR(sw_response_provider(r), "");
    CHECK_STR(sw_response_body(r), "");
    CHECK_STR(sw_response_text(r), "");
    sw_response_destroy(&r);

    r = chat(router, malformed, NULL);
    CHECK(sw_response_status(r) == 400);
    CHECK(sw_response_result(r) == SW_ERR_REQUEST_FAILED);
    CHECK_STR(sw_response_error_class(r), "invalid_request");
    CHECK_STR(sw_response_route_error(r), "");
    CHECK_HAS(sw_response_error_json(r), "\"type\":\"bad_request\"");
    sw_response_destroy(&r);

    r = chat(router, unknown, NULL);
    CHECK(sw_response_status(r) == 404);
    CHECK_HAS(sw_response_error(r), "unknown model");
    CHECK_STR(sw_response_route_error(r), "unknown_model");
    CHECK_HAS(sw_response_error_json(r), "\"type\":\"not_found\",\"code\":\"not_found\"");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_response_cache(void) {
    /* docs/cache.md: a hit says cache_hit in the trace, costs 0, and sw_chat_options v4 controls it. */
    sw_router *router = mock_router(&mock,
                                    "{'pools':[{'id':'primary','providers':[{'name':'c','provider':'custom',"
                                    "'apiBase':'$BASE/v1','modelName':'capi-cache','costPerToken':0.001}]}],"
                                    "'models':{'chat':{'primaryPoolId':'primary'}},'cache':{'enabled':true}}");
    sw_chat_options options = SW_CHAT_OPTIONS_INIT;
    sw_response *first = chat(router, CHAT_REQUEST, NULL);
    sw_response *hit = chat(router, CHAT_REQUEST, NULL);
    sw_response *fresh;

    CHECK(sw_response_status(hit) == 200);
    CHECK_HAS(sw_response_trace_json(hit), "\"cache_hit\":true");
    CHECK(strstr(sw_response_trace_json(first), "cache_hit") == NULL);
    CHECK(sw_response_has_cost(hit) == 1 && sw_response_cost_usd(hit) == 0.0);
    CHECK(sw_response_cost_usd(first) > 0.0);
    CHECK(sw_response_completion_tokens(hit) == sw_response_completion_tokens(first));
    CHECK_STR(sw_response_body(hit), sw_response_body(first));
    options.cache_no_cache = 1;
    fresh = chat(router, CHAT_REQUEST, &options);
    CHECK(strstr(sw_response_trace_json(fresh), "cache_hit") == NULL);
    CHECK(mock_attempts(&mock, "capi-cache") == 2);
    sw_response_destroy(&first);
    sw_response_destroy(&hit);
    sw_response_destroy(&fresh);
    sw_router_destroy(&router);
}

static void test_deadline_gives_timeout(void) {
    /* One pool: with a fallback, the time left after the slow attempt could still serve. */
    sw_router *router = mock_router(&mock,
                                    "{'pools':[{'id':'primary','providers':[{'name':'slow','provider':'custom',"
                                    "'apiBase':'$BASE/v1','modelName':'capi-slow@latency_ms=3000','timeout':3000}]}],"
                                    "'models':{'chat':{'primaryPoolId':'primary'}}}");
    sw_chat_options options = SW_CHAT_OPTIONS_INIT;
    long long start = now_ms();
    sw_response *r;

    options.deadline_ms = 300;
    r = chat(router, CHAT_REQUEST, &options);
    CHECK(sw_response_status(r) == 504);
    CHECK(sw_response_result(r) == SW_ERR_TIMEOUT);
    CHECK(now_ms() - start < 2500);
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_budget(void) {
    /* The primary's provider has no price, the backup's costs 0.001 a token: with a budget, only
     * the backup can be paid for, about 1,000 estimated tokens (no max_tokens). */
    sw_router *router = two_pools("capi-budget");
    sw_chat_options options;
    sw_response *r;

    memset(&options, 0, sizeof options);
    REQUIRE(sw_chat_options_init(&options, SW_CHAT_OPTIONS_VERSION) == SW_OK);
    options.max_cost_usd = 10;
    r = chat(router, CHAT_REQUEST, &options);
    CHECK(sw_response_status(r) == 200);
    CHECK_STR(sw_response_provider(r), "second");
    sw_response_destroy(&r);

    options.max_cost_usd = 0.5;
    r = chat(router, CHAT_REQUEST, &options);
    CHECK(sw_response_status(r) == 400);
    CHECK_HAS(sw_response_error(r), "fits the budget of 0.5 USD: primary/first (price unknown), backup/second");
    sw_response_destroy(&r);

    options.max_cost_usd = -1;
    CHECK(sw_router_chat(&r, router, CHAT_REQUEST, strlen(CHAT_REQUEST), &options) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "max_cost_usd");

    /* A version-2 struct ends before correlation_id: whatever lies there is never read. */
    REQUIRE(sw_chat_options_init(&options, 2) == SW_OK);
    CHECK(options.version == 2);
    options.correlation_id = (const char *)1; /* not a string: reading it would crash */
    options.client_id = (const char *)1;
    r = chat(router, CHAT_REQUEST, &options);
    CHECK(sw_response_status(r) == 200);
    sw_response_destroy(&r);

    /* A version-1 struct ends before max_cost_usd: whatever lies there is never read. */
    REQUIRE(sw_chat_options_init(&options, 1) == SW_OK);
    CHECK(options.version == 1);
    options.max_cost_usd = 0.5;
    r = chat(router, CHAT_REQUEST, &options);
    CHECK(sw_response_status(r) == 200);
    CHECK_STR(sw_response_provider(r), "first");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_embeddings(void) {
    sw_router *router = two_pools("capi-embed");
    const char *request = "{\"model\":\"chat\",\"input\":\"hello\"}";
    sw_response *r = NULL;

    REQUIRE(sw_router_embeddings(&r, router, request, strlen(request), NULL) == SW_OK);
    CHECK(sw_response_result(r) == SW_OK);
    CHECK_HAS(sw_response_body(r), "\"embedding\":[");
    CHECK(sw_response_prompt_tokens(r) > 0);
    CHECK_STR(sw_response_provider(r), "first");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
}

static void test_status_json_and_breaker_reset(void) {
    const char *key = "capi-breaker@status=503";
    sw_router *router = two_pools(key);
    sw_response *r = chat(router, CHAT_REQUEST, NULL);
    char *status = NULL;

    CHECK(sw_response_used_fallback(r) == 1);
    sw_response_destroy(&r);
    REQUIRE(sw_router_status_json(&status, router) == SW_OK);
    CHECK_HAS(status, "{\"pools\":[{\"id\":\"primary\"");
    CHECK_HAS(status, "\"name\":\"first\",\"breaker\":\"open\"");
    CHECK_HAS(status, "\"name\":\"second\",\"breaker\":\"closed\"");
    CHECK_HAS(status, "\"strategy\":\"fastest_response\"");
    CHECK_HAS(status, "\"ewma_latency_ms\":");
    sw_free(status);

    /* While open, the primary is not tried; after a reset it is. */
    r = chat(router, CHAT_REQUEST, NULL);
    sw_response_destroy(&r);
    CHECK(mock_attempts(&mock, key) == 1);
    CHECK(sw_router_reset_breaker(router, "primary", "first") == SW_OK);
    REQUIRE(sw_router_status_json(&status, router) == SW_OK);
    CHECK_HAS(status, "\"name\":\"first\",\"breaker\":\"closed\"");
    sw_free(status);
    r = chat(router, CHAT_REQUEST, NULL);
    sw_response_destroy(&r);
    CHECK(mock_attempts(&mock, key) == 2);

    CHECK(sw_router_reset_breaker(router, "primary", "second") == SW_ERR_NOT_FOUND);
    CHECK(sw_router_reset_breaker(router, "nowhere", "first") == SW_ERR_NOT_FOUND);
    sw_router_destroy(&router);
}

static void test_reload(void) {
    sw_router *router = two_pools("capi-before-reload");
    sw_config *next = mock_config(&mock,
                                  "{'pools':[{'id':'primary','providers':[{'name':'reloaded','provider':'custom',"
                                  "'apiBase':'$BASE/v1','modelName':'capi-after-reload'}]}],"
                                  "'models':{'chat':{'primaryPoolId':'primary'}}}");
    sw_response *r = chat(router, CHAT_REQUEST, NULL);
    char *status = NULL;

    CHECK_STR(sw_response_provider(r), "first");
    sw_response_destroy(&r);

    CHECK(sw_router_reload(router, next) == SW_OK);
    sw_config_destroy(&next); /* the router holds its own reference */
    r = chat(router, CHAT_REQUEST, NULL);
    CHECK_STR(sw_response_provider(r), "reloaded");
    CHECK_STR(sw_response_text(r), "Hello from the mock (capi-after-reload).");
    sw_response_destroy(&r);
    REQUIRE(sw_router_status_json(&status, router) == SW_OK);
    CHECK_HAS(status, "\"name\":\"reloaded\"");
    CHECK(!capi_contains(status, "\"backup\""));
    sw_free(status);
    sw_router_destroy(&router);
}

static void test_yaml_config_routes(void) {
    char *yaml = mock_config_text(&mock,
                                  "pools:\n"
                                  "  - id: primary\n"
                                  "    providers:\n"
                                  "      - {name: yaml-provider, provider: custom, apiBase: '$BASE/v1', "
                                  "modelName: capi-yaml}\n"
                                  "models:\n"
                                  "  chat: {primaryPoolId: primary}\n");
    sw_config *config = NULL;
    sw_router *router = NULL;
    sw_response *r;

    /* mock_config_text turned the quotes into double quotes, which YAML reads the same. */
    REQUIRE(sw_config_load_string(&config, NULL, yaml, strlen(yaml), "inline.yaml", SW_DIAG_TEXT) == SW_OK);
    REQUIRE(sw_router_create(&router, config, NULL) == SW_OK);
    sw_config_destroy(&config);
    r = chat(router, CHAT_REQUEST, NULL);
    CHECK_STR(sw_response_provider(r), "yaml-provider");
    sw_response_destroy(&r);
    sw_router_destroy(&router);
    free(yaml);
}

int main(int argc, char **argv) {
    int status;
    if (argc < 2) {
        fprintf(stderr, "usage: test_capi_chat MOCK_PROVIDER\n");
        return 2;
    }
    mock_start(&mock, argv[1]);
    RUN(test_success_and_every_accessor);
    RUN(test_fallback_serves_with_cost_and_trace);
    RUN(test_failures_are_responses);
    RUN(test_response_cache);
    RUN(test_deadline_gives_timeout);
    RUN(test_budget);
    RUN(test_embeddings);
    RUN(test_status_json_and_breaker_reset);
    RUN(test_reload);
    RUN(test_yaml_config_routes);
    status = capi_finish("test_capi_chat");
    mock_stop(&mock);
    return status;
}
