/* SPDX-License-Identifier: MIT */
/* Formatted output.  Log lines are one line per event, prefixed by the
 * subsystem or domain ("cpu1: online"), so tests can grep them. */
#ifndef MV_PRINT_H
#define MV_PRINT_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf (always NUL-terminated when size > 0); returns the length
 * the full output would have had.  Supports %s %c %d %i %u %x %X %p %%,
 * flags '0' '-', a width, and the length modifiers l, ll, z. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print to the console; a line is written atomically with respect to other
 * CPUs. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
