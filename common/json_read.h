/* SPDX-License-Identifier: MIT */
/*
 * json_read.h: the project's one JSON reader, on libjansson (Debian's libjansson-dev), for
 * every file and row the programs and the harness read back: bench/baseline.json, the JSON
 * rows the programs print, the regress history (one object per line). Whitespace, key order
 * and escapes are the library's business, so a reformatted file reads the same.
 */
#ifndef LR_JSON_READ_H
#define LR_JSON_READ_H

#include <jansson.h>
#include <stddef.h>

/* Reads a whole file holding one JSON object; returns it (json_decref() it) or NULL with the
 * reason ("bench/baseline.json:3:1: ...") in err. */
json_t *lr_json_file(const char *path, char *err, size_t errlen);
/* Parses the JSON object that starts at the first '{' of line and ends the line (a program's
 * row, a history line); returns it or NULL. */
json_t *lr_json_line(const char *line);
/* Copies the string value of key into out; returns 0, or -ENOENT (absent or not a string). */
int lr_json_str(const json_t *obj, const char *key, char *out, size_t len);
/* Reads the number value (integer or real) of key; returns 0, or -ENOENT. */
int lr_json_num(const json_t *obj, const char *key, double *v);
/* Writes any scalar value as text into out: a string as is, a number with up to 15
 * significant digits, true/false; returns 0, or -ENOENT for null, objects and arrays. */
int lr_json_text(const json_t *value, char *out, size_t len);

#endif
