/* header_test.c — switch.h compiles as strict C99 and its functions link and run from C. */
#include <switch/switch.h>

#include <stdio.h>
#include <string.h>

#if !SW_AT_LEAST_VERSION(0, 1, 0)
#error "SW_AT_LEAST_VERSION disagrees with the header's own version"
#endif

/* The callback types accept plain C functions. */
static void on_done(sw_response *response, void *user_data) {
    (void)user_data;
    sw_response_destroy(&response);
}
static void on_chunk(const char *chunk, size_t len, void *user_data) {
    (void)chunk;
    (void)len;
    (void)user_data;
}

int main(void) {
    const char *config = "{\"models\": {}}";
    int valid = 0;
    char *report = NULL;
    int status;
    /* The options macros are valid C99 initialisers. */
    sw_router_options router_options = SW_ROUTER_OPTIONS_INIT;
    sw_chat_options chat_options = SW_CHAT_OPTIONS_INIT;
    sw_response_cb done = on_done;
    sw_chunk_cb chunk = on_chunk;
    sw_router *router = NULL;

    if (strcmp(sw_version(), SW_VERSION_STRING) != 0) {
        fprintf(stderr, "version mismatch: %s vs %s\n", sw_version(), SW_VERSION_STRING);
        return 1;
    }
    status = sw_config_validate(&valid, &report, config, strlen(config), "c-test", SW_DIAG_JSON);
    if (status != SW_OK || valid != 1 || report == NULL || strstr(report, "\"valid\":true") == NULL) {
        fprintf(stderr, "validate failed: %d %s\n", status, sw_last_error());
        sw_free(report);
        return 1;
    }
    sw_free(report);
    if (sw_config_validate(NULL, NULL, config, strlen(config), NULL, SW_DIAG_TEXT) != SW_ERR_INVALID_ARGUMENT) return 1;
    if (router_options.version != SW_ROUTER_OPTIONS_VERSION || chat_options.version != SW_CHAT_OPTIONS_VERSION) return 1;
    if (sw_router_create(&router, NULL, &router_options) != SW_ERR_INVALID_ARGUMENT || router != NULL) return 1;
    if (sw_router_chat_stream_async(NULL, router, config, strlen(config), &chat_options, chunk, done, NULL) !=
        SW_ERR_INVALID_ARGUMENT)
        return 1;
    sw_router_destroy(&router);
    printf("header test: ok (%s)\n", sw_strerror(SW_ERR_INVALID_ARGUMENT));
    return 0;
}
