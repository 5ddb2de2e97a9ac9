/* SPDX-License-Identifier: MIT */
/*
 * log.h: pr_err / pr_warn / pr_info / pr_debug, printf-checked, written to stderr with the
 * program's name in front ("tgen: ..."). Never call these on a hot path.
 */
#ifndef LR_LOG_H
#define LR_LOG_H

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

/* Sets the name printed before every message (normally the program name). */
void log_set_prog(const char *name);
/* Returns the name set by log_set_prog(), "linerate" by default. */
const char *log_prog(void);
/* Sets the most verbose level printed; LOG_INFO by default, LOG_DEBUG if LR_DEBUG is set. */
void log_set_level(enum log_level level);
/* Prints one message at the given level if enabled; a newline is added when missing. */
void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_err(fmt, ...)   log_printf(LOG_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)  log_printf(LOG_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)  log_printf(LOG_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) log_printf(LOG_DEBUG, fmt, ##__VA_ARGS__)

#endif
