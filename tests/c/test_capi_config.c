/* test_capi_config.c — loading configurations (file, JSON, YAML, default order, invalid ones
 * with their diagnostics), options structs, status codes, and NULL arguments everywhere. */
#define _POSIX_C_SOURCE 200809L

#include "capi_test.h"

#include <unistd.h>

static const char *VALID_JSON =
    "{\"pools\":[{\"id\":\"primary\",\"providers\":[{\"name\":\"p\",\"provider\":\"custom\","
    "\"apiBase\":\"http://127.0.0.1:9/v1\",\"modelName\":\"m\"}]}],"
    "\"models\":{\"chat\":{\"primaryPoolId\":\"primary\"}}}";

static const char *VALID_YAML =
    "pools:\n"
    "  - id: primary\n"
    "    providers:\n"
    "      - {name: p, provider: custom, apiBase: 'http://127.0.0.1:9/v1', modelName: m}\n"
    "models:\n"
    "  chat: {primaryPoolId: primary}\n";

/* One error with a suggestion, and one unknown key (a warning). */
static const char *INVALID_JSON =
    "{\"pools\":[{\"id\":\"primary\",\"routingStrategy\":\"fastest\",\"providers\":[{\"name\":\"p\","
    "\"provider\":\"custom\",\"apiBase\":\"http://127.0.0.1:9/v1\",\"modelName\":\"m\",\"timout\":5}]}]}";

/* A temporary directory for files; removed by the test that made it. */
static char scratch[64];

static void make_scratch(void) {
    strcpy(scratch, "/tmp/capi-config-XXXXXX");
    REQUIRE(mkdtemp(scratch) != NULL);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void test_load_string_json_and_yaml(void) {
    sw_config *config = NULL;
    char *report = NULL;

    CHECK(sw_config_load_string(&config, &report, VALID_JSON, strlen(VALID_JSON), "inline.json", SW_DIAG_TEXT) ==
          SW_OK);
    CHECK(config != NULL);
    CHECK_STR(report, ""); /* nothing to say */
    CHECK_STR(sw_last_error(), "");
    sw_free(report);
    sw_config_destroy(&config);
    CHECK(config == NULL);

    CHECK(sw_config_load_string(&config, &report, VALID_YAML, strlen(VALID_YAML), NULL, SW_DIAG_JSON) == SW_OK);
    CHECK(config != NULL);
    CHECK_HAS(report, "\"valid\":true");
    CHECK_HAS(report, "\"pools\":1");
    sw_free(report);
    sw_config_destroy(&config);

    /* The report is optional, and the length is honoured: no NUL is needed. */
    CHECK(sw_config_load_string(&config, NULL, VALID_JSON, strlen(VALID_JSON) - 1, NULL, SW_DIAG_TEXT) ==
          SW_ERR_CONFIG);
    CHECK(config == NULL);
}

static void test_invalid_config_gives_diagnostics(void) {
    sw_config *config = (sw_config *)&config; /* garbage in, NULL out */
    char *report = NULL;

    CHECK(sw_config_load_string(&config, &report, INVALID_JSON, strlen(INVALID_JSON), "bad.json", SW_DIAG_TEXT) ==
          SW_ERR_CONFIG);
    CHECK(config == NULL);
    CHECK_HAS(report, "bad.json: pools[0].routingStrategy: error: unknown value \"fastest\"");
    CHECK_HAS(report, "did you mean \"fastest_response\"");
    CHECK_HAS(report, "pools[0].providers[0].timout: warning: unknown key");
    /* The same diagnostics are the thread's last error. */
    CHECK_HAS(sw_last_error(), "1 error(s)");
    CHECK_HAS(sw_last_error(), "pools[0].routingStrategy: error:");
    sw_free(report);

    CHECK(sw_config_load_string(&config, &report, INVALID_JSON, strlen(INVALID_JSON), "bad.json", SW_DIAG_JSON) ==
          SW_ERR_CONFIG);
    CHECK_HAS(report, "\"valid\":false");
    CHECK_HAS(report, "\"path\":\"pools[0].routingStrategy\"");
    CHECK_HAS(report, "\"severity\":\"warning\"");
    CHECK_HAS(report, "\"errors\":1");
    sw_free(report);

    /* Not JSON at all. */
    CHECK(sw_config_load_string(&config, &report, "{", 1, NULL, SW_DIAG_TEXT) == SW_ERR_CONFIG);
    CHECK(report != NULL && strlen(report) > 0);
    sw_free(report);
}

static void test_secrets_stay_out_of_reports(void) {
    /* An inline key in a config with an error elsewhere: neither report nor error echoes it. */
    const char *text =
        "{\"credentialStores\":{\"k\":{\"type\":\"simple\",\"source\":\"inline\",\"config\":{\"apiKey\":"
        "\"sk-capi-secret-123\"}}},\"pools\":[{\"id\":\"p\",\"providers\":[{\"name\":\"a\",\"provider\":\"custom\","
        "\"apiBase\":\"ftp://x\",\"modelName\":\"m\",\"credentialsRef\":\"k\"}]}]}";
    sw_config *config = NULL;
    char *report = NULL;
    CHECK(sw_config_load_string(&config, &report, text, strlen(text), NULL, SW_DIAG_JSON) == SW_ERR_CONFIG);
    CHECK(report != NULL && !capi_contains(report, "sk-capi-secret-123"));
    CHECK(!capi_contains(sw_last_error(), "sk-capi-secret-123"));
    CHECK_HAS(sw_last_error(), "apiBase");
    sw_free(report);
}

static void test_load_file(void) {
    char json_path[128], yaml_path[128], missing[128];
    sw_config *config = NULL;
    char *report = NULL;

    make_scratch();
    snprintf(json_path, sizeof json_path, "%s/defs.json", scratch);
    snprintf(yaml_path, sizeof yaml_path, "%s/defs.yaml", scratch);
    snprintf(missing, sizeof missing, "%s/none.json", scratch);
    write_file(json_path, VALID_JSON);
    write_file(yaml_path, VALID_YAML);

    CHECK(sw_config_load_file(&config, &report, json_path, SW_DIAG_TEXT) == SW_OK);
    CHECK(config != NULL);
    sw_free(report);
    sw_config_destroy(&config);

    CHECK(sw_config_load_file(&config, NULL, yaml_path, SW_DIAG_TEXT) == SW_OK);
    CHECK(config != NULL);
    sw_config_destroy(&config);

    CHECK(sw_config_load_file(&config, &report, missing, SW_DIAG_TEXT) == SW_ERR_NOT_FOUND);
    CHECK(config == NULL);
    CHECK_HAS(report, "does not exist");
    CHECK_HAS(sw_last_error(), "none.json");
    sw_free(report);

    write_file(json_path, INVALID_JSON);
    CHECK(sw_config_load_file(&config, &report, json_path, SW_DIAG_TEXT) == SW_ERR_CONFIG);
    CHECK_HAS(report, "defs.json: pools[0].routingStrategy");
    sw_free(report);

    remove(json_path);
    remove(yaml_path);
    rmdir(scratch);
}

static void test_load_default_order(void) {
    static const char *keys[] = {"OPENAI_API_KEY",  "ANTHROPIC_API_KEY", "GOOGLE_API_KEY",
                                 "MISTRAL_API_KEY", "GROQ_API_KEY",      "TOGETHER_API_KEY"};
    char cwd[512], path[128];
    sw_config *config = NULL;
    char *report = NULL;
    size_t i;

    REQUIRE(getcwd(cwd, sizeof cwd) != NULL);
    make_scratch();
    REQUIRE(chdir(scratch) == 0);
    for (i = 0; i < sizeof keys / sizeof keys[0]; ++i) unsetenv(keys[i]);
    unsetenv("MODEL_DEFINITIONS");

    /* Nothing anywhere. */
    CHECK(sw_config_load_default(&config, &report, SW_DIAG_TEXT) == SW_ERR_CONFIG);
    CHECK(config == NULL);
    CHECK_HAS(report, "no configuration found");
    sw_free(report);

    /* Provider keys: a generated config, and the key's value appears nowhere. */
    setenv("OPENAI_API_KEY", "sk-capi-default-456", 1);
    CHECK(sw_config_load_default(&config, &report, SW_DIAG_JSON) == SW_OK);
    CHECK(config != NULL);
    CHECK_HAS(report, "\"origin\":\"environment (provider keys)\"");
    CHECK(!capi_contains(report, "sk-capi-default-456"));
    sw_free(report);
    sw_config_destroy(&config);

    /* MODEL_DEFINITIONS comes before the keys. */
    setenv("MODEL_DEFINITIONS", VALID_YAML, 1);
    CHECK(sw_config_load_default(&config, &report, SW_DIAG_JSON) == SW_OK);
    CHECK_HAS(report, "\"origin\":\"MODEL_DEFINITIONS\"");
    sw_free(report);
    sw_config_destroy(&config);

    /* ./definitions.json comes first, and an invalid one is an error, not skipped. */
    snprintf(path, sizeof path, "%s/definitions.json", scratch);
    write_file(path, INVALID_JSON);
    CHECK(sw_config_load_default(&config, &report, SW_DIAG_TEXT) == SW_ERR_CONFIG);
    CHECK_HAS(report, "definitions.json: pools[0].routingStrategy");
    sw_free(report);
    write_file(path, VALID_JSON);
    CHECK(sw_config_load_default(&config, NULL, SW_DIAG_TEXT) == SW_OK);
    CHECK(config != NULL);
    sw_config_destroy(&config);

    unsetenv("OPENAI_API_KEY");
    unsetenv("MODEL_DEFINITIONS");
    remove(path);
    REQUIRE(chdir(cwd) == 0);
    rmdir(scratch);
}

static void test_options_structs(void) {
    sw_router_options ro = SW_ROUTER_OPTIONS_INIT;
    sw_chat_options co = SW_CHAT_OPTIONS_INIT;
    sw_config *config = NULL;
    sw_router *router = NULL;

    CHECK(ro.version == SW_ROUTER_OPTIONS_VERSION && ro.connect_timeout_ms == 0);
    CHECK(co.version == SW_CHAT_OPTIONS_VERSION && co.deadline_ms == 0);
    memset(&ro, 0xff, sizeof ro);
    CHECK(sw_router_options_init(&ro, SW_ROUTER_OPTIONS_VERSION) == SW_OK);
    CHECK(ro.version == SW_ROUTER_OPTIONS_VERSION && ro.stream_idle_timeout_ms == 0 && ro.max_response_bytes == 0);
    memset(&co, 0xff, sizeof co);
    CHECK(sw_chat_options_init(&co, SW_CHAT_OPTIONS_VERSION) == SW_OK);
    CHECK(co.deadline_ms == 0);
    /* Version 5: the response cache's controls default to "as the configuration says". */
    CHECK(co.cache_no_cache == 0 && co.cache_no_store == 0 && co.cache_ttl_s == -1 && co.cache_partition == NULL);
    /* An older version's struct ends before them: init leaves them alone. */
    memset(&co, 0xff, sizeof co);
    CHECK(sw_chat_options_init(&co, 4) == SW_OK);
    CHECK(co.version == 4 && co.tracestate == NULL && co.cache_ttl_s == (int64_t)-1 && co.cache_no_cache == -1);
    CHECK(sw_router_options_init(&ro, SW_ROUTER_OPTIONS_VERSION + 1) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_chat_options_init(&co, 0) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_options_init(NULL, SW_ROUTER_OPTIONS_VERSION) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_chat_options_init(NULL, SW_CHAT_OPTIONS_VERSION) == SW_ERR_INVALID_ARGUMENT);

    REQUIRE(sw_config_load_string(&config, NULL, VALID_JSON, strlen(VALID_JSON), NULL, SW_DIAG_TEXT) == SW_OK);
    ro.connect_timeout_ms = 2000;
    ro.stream_idle_timeout_ms = 500;
    ro.max_response_bytes = 1 << 20;
    CHECK(sw_router_create(&router, config, &ro) == SW_OK);
    CHECK(router != NULL);
    sw_router_destroy(&router);

    /* A struct from a newer library: refused, never half-read. */
    ro.version = SW_ROUTER_OPTIONS_VERSION + 7;
    router = (sw_router *)&router;
    CHECK(sw_router_create(&router, config, &ro) == SW_ERR_INVALID_ARGUMENT);
    CHECK(router == NULL);
    CHECK_HAS(sw_last_error(), "newer than this library");
    /* An uninitialised one (version 0). */
    ro.version = 0;
    CHECK(sw_router_create(&router, config, &ro) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "_INIT");
    /* Out-of-range fields. */
    sw_router_options_init(&ro, SW_ROUTER_OPTIONS_VERSION);
    ro.connect_timeout_ms = -1;
    CHECK(sw_router_create(&router, config, &ro) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "connect_timeout_ms");
    ro.connect_timeout_ms = 0;
    ro.stream_idle_timeout_ms = INT64_MAX; /* would overflow a time point */
    CHECK(sw_router_create(&router, config, &ro) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "stream_idle_timeout_ms");
    ro.stream_idle_timeout_ms = 86400000;
    CHECK(sw_router_create(&router, config, &ro) == SW_OK);
    sw_router_destroy(&router);
    sw_config_destroy(&config);
}

static void test_status_codes(void) {
    int codes[] = {SW_OK,          SW_ERR_INVALID_ARGUMENT, SW_ERR_CONFIG,         SW_ERR_NOT_FOUND,
                   SW_ERR_NOT_SUPPORTED, SW_ERR_OUT_OF_MEMORY, SW_ERR_IO,           SW_ERR_INTERNAL,
                   SW_ERR_REQUEST_FAILED, SW_ERR_CANCELLED,  SW_ERR_TIMEOUT,        SW_ERR_WOULD_DEADLOCK,
                   SW_ITER_OVER};
    size_t i;
    /* Published numbers never change. */
    CHECK(SW_ERR_INTERNAL == -7 && SW_ERR_REQUEST_FAILED == -8 && SW_ERR_CANCELLED == -9);
    CHECK(SW_ERR_TIMEOUT == -10 && SW_ERR_WOULD_DEADLOCK == -11 && SW_ITER_OVER == -12);
    for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) CHECK(strcmp(sw_strerror(codes[i]), "unknown status") != 0);
    CHECK_STR(sw_strerror(-13), "unknown status");

    /* A failure sets the detail; the next successful call clears it. */
    CHECK(sw_router_cancel(NULL, 1) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "router is NULL");
    CHECK(sw_chat_options_init(&(sw_chat_options)SW_CHAT_OPTIONS_INIT, SW_CHAT_OPTIONS_VERSION) == SW_OK);
    CHECK_STR(sw_last_error(), "");
}

static void test_null_arguments(void) {
    sw_config *config = NULL;
    sw_router *router = NULL;
    sw_response *response = NULL;
    sw_stream *stream = NULL;
    sw_request_id id = 42;
    const char *chunk = "x";
    size_t len = 1;
    char *text = (char *)"x";
    const char *request = "{}";

    /* Destroy functions accept NULL and a NULL handle, and leave the last error alone. */
    CHECK(sw_router_cancel(NULL, 0) == SW_ERR_INVALID_ARGUMENT);
    sw_config_destroy(NULL);
    sw_config_destroy(&config);
    sw_router_destroy(NULL);
    sw_router_destroy(&router);
    sw_response_destroy(NULL);
    sw_response_destroy(&response);
    sw_stream_destroy(NULL);
    sw_stream_destroy(&stream);
    sw_free(NULL);
    CHECK_HAS(sw_last_error(), "router is NULL");

    CHECK(sw_config_load_file(NULL, NULL, "x.json", SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "out is NULL");
    CHECK(sw_config_load_file(&config, &text, NULL, SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);
    CHECK(text == NULL);
    CHECK_HAS(sw_last_error(), "path is NULL");
    CHECK(sw_config_load_string(&config, NULL, NULL, 3, NULL, SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_config_load_string(&config, NULL, VALID_JSON, strlen(VALID_JSON), NULL, 7) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "format");
    CHECK(sw_config_load_default(NULL, NULL, SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);

    CHECK(sw_router_create(NULL, NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_create(&router, NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "config is NULL");
    CHECK(sw_router_reload(NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_status_json(NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_status_json(&text, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(text == NULL);
    CHECK(sw_router_reset_breaker(NULL, "p", "a") == SW_ERR_INVALID_ARGUMENT);

    CHECK(sw_router_chat(NULL, NULL, request, 2, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_chat(&response, NULL, request, 2, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(response == NULL);
    CHECK(sw_router_chat_async(&id, NULL, request, 2, NULL, latch_on_done, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(id == 0);
    CHECK(sw_router_chat_stream(&response, NULL, request, 2, NULL, NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_chat_stream_async(NULL, NULL, request, 2, NULL, NULL, latch_on_done, NULL) ==
          SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_embeddings(&response, NULL, request, 2, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_embeddings_async(NULL, NULL, request, 2, NULL, latch_on_done, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_stream_open(NULL, NULL, request, 2, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_stream_open(&stream, NULL, request, 2, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(stream == NULL);
    CHECK(sw_stream_next(&chunk, &len, NULL, 0) == SW_ERR_INVALID_ARGUMENT);
    CHECK(chunk == NULL && len == 0);
    CHECK(sw_stream_next(NULL, &len, NULL, 0) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_stream_id(NULL) == 0);
    CHECK(sw_stream_response(NULL) == NULL);

    /* Response accessors on NULL. */
    CHECK(sw_response_result(NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_response_status(NULL) == 0);
    CHECK_STR(sw_response_error_class(NULL), "");
    CHECK_STR(sw_response_error(NULL), "");
    CHECK_STR(sw_response_body(NULL), "");
    CHECK_STR(sw_response_text(NULL), "");
    CHECK_STR(sw_response_finish_reason(NULL), "");
    CHECK(sw_response_prompt_tokens(NULL) == 0 && sw_response_completion_tokens(NULL) == 0);
    CHECK(sw_response_total_tokens(NULL) == 0);
    CHECK(sw_response_has_cost(NULL) == 0 && sw_response_cost_usd(NULL) == 0.0);
    CHECK_STR(sw_response_provider(NULL), "");
    CHECK_STR(sw_response_pool(NULL), "");
    CHECK(sw_response_used_fallback(NULL) == 0);
    CHECK_STR(sw_response_trace_json(NULL), "");
}

static void test_router_needs_valid_arguments(void) {
    sw_config *config = NULL;
    sw_router *router = NULL;
    sw_response *response = NULL;
    sw_request_id id = 0;
    const char *request = CHAT_REQUEST;

    REQUIRE(sw_config_load_string(&config, NULL, VALID_JSON, strlen(VALID_JSON), NULL, SW_DIAG_TEXT) == SW_OK);
    REQUIRE(sw_router_create(&router, config, NULL) == SW_OK);
    /* The router keeps its own reference to the configuration. */
    sw_config_destroy(&config);

    CHECK(sw_router_reload(router, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_reset_breaker(router, NULL, "p") == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_reset_breaker(router, "primary", NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_router_reset_breaker(router, "primary", "p") == SW_OK);
    CHECK(sw_router_reset_breaker(router, "primary", "nobody") == SW_ERR_NOT_FOUND);
    CHECK_HAS(sw_last_error(), "nobody");
    CHECK(sw_router_chat(&response, router, NULL, 5, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "request is NULL");
    CHECK(sw_router_chat_async(&id, router, request, strlen(request), NULL, NULL, NULL) == SW_ERR_INVALID_ARGUMENT);
    CHECK_HAS(sw_last_error(), "done is NULL");
    CHECK(sw_router_cancel(router, 12345) == SW_OK); /* unknown ids are ignored */
    {
        sw_chat_options bad = SW_CHAT_OPTIONS_INIT;
        bad.deadline_ms = -5;
        CHECK(sw_router_chat(&response, router, request, strlen(request), &bad) == SW_ERR_INVALID_ARGUMENT);
        CHECK_HAS(sw_last_error(), "deadline_ms");
        bad.deadline_ms = 0;
        bad.cache_ttl_s = 2592001; /* over the 30 days a ttl may be */
        CHECK(sw_router_chat(&response, router, request, strlen(request), &bad) == SW_ERR_INVALID_ARGUMENT);
        CHECK_HAS(sw_last_error(), "cache_ttl_s");
        bad.cache_ttl_s = -1;
        bad.version = 99;
        CHECK(sw_router_chat_async(&id, router, request, strlen(request), &bad, latch_on_done, NULL) ==
              SW_ERR_INVALID_ARGUMENT);
    }
    CHECK(response == NULL);
    sw_router_destroy(&router);
    CHECK(router == NULL);
}

int main(void) {
    RUN(test_load_string_json_and_yaml);
    RUN(test_invalid_config_gives_diagnostics);
    RUN(test_secrets_stay_out_of_reports);
    RUN(test_load_file);
    RUN(test_load_default_order);
    RUN(test_options_structs);
    RUN(test_status_codes);
    RUN(test_null_arguments);
    RUN(test_router_needs_valid_arguments);
    return capi_finish("test_capi_config");
}
