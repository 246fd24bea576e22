/* header_test.c — switch.h compiles as strict C99 and its functions link and run from C. */
#include <switch/switch.h>

#include <stdio.h>
#include <string.h>

#if !SW_AT_LEAST_VERSION(0, 1, 0)
#error "SW_AT_LEAST_VERSION disagrees with the header's own version"
#endif

int main(void) {
    const char *config = "{\"models\": {}}";
    int valid = 0;
    char *report = NULL;
    int status;

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
    printf("header test: ok (%s)\n", sw_strerror(SW_ERR_INVALID_ARGUMENT));
    return 0;
}
