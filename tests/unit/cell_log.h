/* SPDX-License-Identifier: MIT */
/*
 * A cell's console on the host, for the unit tests of cells' code
 * (test_virtio.c, test_vswitch.c): what it prints collects in logbuf.
 * Included once by each test.
 */
#ifndef CELL_LOG_H
#define CELL_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char logbuf[4096];

int mv_printf(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logbuf);

	va_start(ap, fmt);
	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
	return 0;
}

void mv_puts(const char *s)
{
	size_t n = strlen(logbuf);

	snprintf(logbuf + n, sizeof(logbuf) - n, "%s", s);
}

#endif
