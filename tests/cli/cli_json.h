#ifndef RT_CLI_JSON_H
#define RT_CLI_JSON_H
/* Reading the --json output of the reistijd binary in the CLI tests, with
 * json-c. Include after cmocka.h and cli/cli_util.h. */
#include <json-c/json.h>

/* Parses text, which must hold exactly one JSON object (and white space
 * after it); fails the test otherwise. Free with json_object_put. */
static inline json_object *cj_parse(const char *text)
{
    json_tokener *tok = json_tokener_new();
    assert_non_null(tok);
    json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!o || err != json_tokener_success)
        fail_msg("not JSON (%s):\n%s", json_tokener_error_desc(err), text);
    for (const char *p = text + used; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            fail_msg("more than one JSON value in:\n%s", text);
    if (!json_object_is_type(o, json_type_object))
        fail_msg("not a JSON object:\n%s", text);
    return o;
}

/* The member at a dotted path ("grid.columns"; "facilities.0.type" indexes
 * an array). Fails the test when it is missing. */
static inline json_object *cj_get(json_object *o, const char *path)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    json_object *cur = o;
    for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
        json_object *next = NULL;
        if (json_object_is_type(cur, json_type_array)) {
            char *end;
            long i = strtol(k, &end, 10);
            if (*end == '\0' && i >= 0 && (size_t)i < json_object_array_length(cur))
                next = json_object_array_get_idx(cur, (size_t)i);
        } else if (json_object_is_type(cur, json_type_object)) {
            json_object_object_get_ex(cur, k, &next);
        }
        if (!next)
            fail_msg("no '%s' (at '%s') in:\n%s", path, k,
                     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
        cur = next;
    }
    return cur;
}

/* 1 when the member at path exists, even as null. */
static inline int cj_has(json_object *o, const char *key)
{
    return json_object_object_get_ex(o, key, NULL);
}

static inline const char *cj_str(json_object *o, const char *path)
{
    json_object *v = cj_get(o, path);
    if (!json_object_is_type(v, json_type_string))
        fail_msg("'%s' is not a string", path);
    return json_object_get_string(v);
}

static inline double cj_num(json_object *o, const char *path)
{
    json_object *v = cj_get(o, path);
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        fail_msg("'%s' is not a number", path);
    return json_object_get_double(v);
}

static inline int64_t cj_int(json_object *o, const char *path)
{
    json_object *v = cj_get(o, path);
    if (!json_object_is_type(v, json_type_int))
        fail_msg("'%s' is not a whole number", path);
    return json_object_get_int64(v);
}

static inline size_t cj_len(json_object *o, const char *path)
{
    json_object *v = cj_get(o, path);
    if (!json_object_is_type(v, json_type_array))
        fail_msg("'%s' is not an array", path);
    return json_object_array_length(v);
}

/* The element of the array at path whose member `key` is the string
 * `value`; fails when there is none. */
static inline json_object *cj_find(json_object *o, const char *path, const char *key,
                                   const char *value)
{
    json_object *a = cj_get(o, path);
    for (size_t i = 0; json_object_is_type(a, json_type_array) && i < json_object_array_length(a);
         i++) {
        json_object *e = json_object_array_get_idx(a, i), *v;
        if (json_object_object_get_ex(e, key, &v) && json_object_is_type(v, json_type_string) &&
            strcmp(json_object_get_string(v), value) == 0)
            return e;
    }
    fail_msg("no element with %s = '%s' in '%s'", key, value, path);
    return NULL;
}

/* Fails unless stdout of r is the error object of a failed command. */
static inline void cj_assert_error(const cli_result *r, const char *command, const char *code,
                                   int exit_code)
{
    json_object *o = cj_parse(r->out);
    assert_string_equal(cj_str(o, "status"), "error");
    assert_string_equal(cj_str(o, "command"), command);
    assert_string_equal(cj_str(o, "code"), code);
    assert_int_equal(cj_int(o, "exit_code"), exit_code);
    assert_true(strlen(cj_str(o, "message")) > 0);
    json_object_put(o);
}

#endif
