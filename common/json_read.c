// SPDX-License-Identifier: MIT
/*
 * json_read.c: thin helpers over libjansson (json_read.h).
 */
#include "json_read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

json_t *lr_json_file(const char *path, char *err, size_t errlen)
{
	json_error_t e;
	json_t *root = json_load_file(path, 0, &e);

	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, e.line, e.column, e.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "%s: not a JSON object", path);
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *lr_json_line(const char *line)
{
	const char *s = strchr(line, '{');
	json_t *obj;

	if (!s)
		return NULL;
	obj = json_loads(s, JSON_DISABLE_EOF_CHECK, NULL);
	if (obj && !json_is_object(obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int lr_json_str(const json_t *obj, const char *key, char *out, size_t len)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return -ENOENT;
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

int lr_json_num(const json_t *obj, const char *key, double *v)
{
	const json_t *x = json_object_get(obj, key);

	if (!json_is_number(x))
		return -ENOENT;
	*v = json_number_value(x);
	return 0;
}

int lr_json_text(const json_t *value, char *out, size_t len)
{
	if (json_is_string(value))
		snprintf(out, len, "%s", json_string_value(value));
	else if (json_is_integer(value))
		snprintf(out, len, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
	else if (json_is_real(value))
		snprintf(out, len, "%.15g", json_real_value(value));
	else if (json_is_boolean(value))
		snprintf(out, len, "%s", json_is_true(value) ? "true" : "false");
	else
		return -ENOENT;
	return 0;
}
