/*
 * fuzz_menus: menu/create and menu/addconditional bodies (json_parse_object, then
 * menus_parse, as api_menus.c reads them), and menus_url_host on the input as a URL. A menu
 * that validates has a normalised form that is a JSON array of 1-3 buttons with at most 5
 * sub-buttons each, whose URL hosts are the domains listed; fed back as {"button": ...} it
 * validates again to the very same form (the normal form is a fixed point).
 */
#include "fuzz.h"

#include "core/menus.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/json.h"

#include <ctype.h>

FUZZ_QUIET_LOGS()

static void check_host(const char *host)
{
    size_t n = strlen(host);
    FUZZ_CHECK(n > 0 && n < 256);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(!isupper((unsigned char)host[i]) && host[i] != ',' && host[i] != '/');
}

static int domain_listed(const char *domains, const char *host)
{
    size_t n = strlen(host);
    for (const char *p = domains; *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == n && memcmp(p, host, n) == 0)
            return 1;
        p += l + (c != NULL);
    }
    return 0;
}

static void check_button(const cJSON *b, int sub, const char *domains)
{
    FUZZ_CHECK(cJSON_IsObject(b));
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(b, "sub_button");
    FUZZ_CHECK(cJSON_IsString(name) && name->valuestring[0]);
    FUZZ_CHECK(strlen(name->valuestring) <= (sub ? MENU_SUB_NAME_MAX : MENU_NAME_MAX));
    FUZZ_CHECK(cJSON_IsArray(subs) && cJSON_GetArraySize(subs) <= MENU_MAX_SUBS);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(b, "type");
    if (cJSON_GetArraySize(subs) > 0) {
        FUZZ_CHECK(!sub && type == NULL);
        const cJSON *s;
        cJSON_ArrayForEach(s, subs) check_button(s, 1, domains);
        return;
    }
    FUZZ_CHECK(cJSON_IsString(type));
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(b, "url");
    if (url) {
        char host[256];
        FUZZ_CHECK(cJSON_IsString(url) && strlen(url->valuestring) <= MENU_URL_MAX);
        FUZZ_CHECK(menus_url_host(url->valuestring, host, sizeof(host)) == 0);
        FUZZ_CHECK(domain_listed(domains, host));
    }
}

static void check_job(const struct menu_job *j, int conditional)
{
    FUZZ_CHECK(j->conditional == conditional);
    FUZZ_CHECK(j->platform >= MENU_PLATFORM_ANY && j->platform <= MENU_PLATFORM_OTHER);
    FUZZ_CHECK(j->tag_id >= -1);
    if (!conditional)
        FUZZ_CHECK(j->tag_id == -1 && j->platform == MENU_PLATFORM_ANY);
    else
        FUZZ_CHECK(j->tag_id >= 0 || j->platform != MENU_PLATFORM_ANY);

    char *d = fuzz_cstr(j->domains, strlen(j->domains));
    for (char *save = NULL, *h = strtok_r(d, ",", &save); h; h = strtok_r(NULL, ",", &save))
        check_host(h);
    free(d);
    FUZZ_CHECK(j->domains[0] != ',');

    cJSON *arr = cJSON_Parse(j->buttons);
    FUZZ_CHECK(cJSON_IsArray(arr));
    int n = cJSON_GetArraySize(arr);
    FUZZ_CHECK(n >= 1 && n <= MENU_MAX_BUTTONS);
    const cJSON *b;
    cJSON_ArrayForEach(b, arr) check_button(b, 0, j->domains);
    cJSON_Delete(arr);

    /* the normal form validates again to itself */
    struct buf body = BUF_INIT;
    buf_puts(&body, "{\"button\":");
    buf_puts(&body, j->buttons);
    buf_puts(&body, "}");
    cJSON *root = NULL;
    FUZZ_CHECK(json_parse_object(body.ptr, body.len, &root) == 0);
    struct menu_job *again = NULL;
    int rc = menus_parse(root, 0, &again);
    if (rc != 0)
        fprintf(stderr, "normal form refused (%d): %s\n", rc, body.ptr);
    FUZZ_CHECK(rc == 0 && again);
    if (strcmp(again->buttons, j->buttons) != 0 || strcmp(again->domains, j->domains) != 0)
        fprintf(stderr, "normal form moves:\n%s [%s]\n%s [%s]\n", j->buttons, j->domains,
                again->buttons, again->domains);
    FUZZ_CHECK(strcmp(again->buttons, j->buttons) == 0);
    FUZZ_CHECK(strcmp(again->domains, j->domains) == 0);
    free(again);
    cJSON_Delete(root);
    buf_release(&body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *root = NULL;
    if (json_parse_object((const char *)data, size, &root) == 0) {
        for (int conditional = 0; conditional <= 1; conditional++) {
            struct menu_job *j = (struct menu_job *)1;
            int rc = menus_parse(root, conditional, &j);
            FUZZ_CHECK(rc == 0 ? j != NULL : j == NULL);
            FUZZ_CHECK(rc >= 0);
            if (rc == 0)
                check_job(j, conditional);
            free(j);
        }
        cJSON_Delete(root);
    }

    /* the input as a URL, into a host buffer of exactly the cap given */
    if (size <= 2048) {
        char *u = fuzz_cstr(data, size);
        static const size_t caps[] = {1, 8, 256};
        for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
            char *host = malloc(caps[i]);
            FUZZ_CHECK(host != NULL);
            if (menus_url_host(u, host, caps[i]) == 0) {
                FUZZ_CHECK(strlen(host) < caps[i]);
                check_host(host);
            }
            free(host);
        }
        free(u);
    }
    return 0;
}
