/* SPDX-License-Identifier: MIT */
/*
 * A cell's console on the host, for the unit tests of cells' code
 * (test_virtio.c, test_vswitch.c, test_vcons.c): what it prints collects
 * in logbuf.  With the hypercalls those tests fake alike.  Included once
 * by each test.
 */
#ifndef CELL_LOG_H
#define CELL_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mv_runtime.h>

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

/* MV_HC_SPACE_INFO's answer: a writable space, the guest's RAM
 * [base, base + size) being the buffer ram. */
static inline void fake_space_info(uint64_t x[8], uint64_t base, uint64_t size, const void *ram,
				   uint64_t restarts)
{
	x[0] = MV_OK;
	x[1] = base;
	x[2] = size;
	x[3] = (uint64_t)(uintptr_t)ram;
	x[4] = MV_SPACE_WRITABLE;
	x[5] = restarts;
}

/* MV_HC_WINDOW_ATTACH (the transport publishes the interrupt status on
 * the page): accepted, the page kept in page. */
static struct mv_window_page *page;

static inline void fake_window_attach(uint64_t x[8])
{
	if (x[3] != sizeof(struct mv_window_page)) {
		x[0] = (uint64_t)MV_ERR_INVAL;
		return;
	}
	page = (struct mv_window_page *)(uintptr_t)x[2];
	x[0] = MV_OK;
}

/* The cell's loop is not run: nothing waits. */
int64_t mv_fault_recv(unsigned slot, struct mv_fault *f, bool block)
{
	(void)slot, (void)f, (void)block;
	return MV_ERR_EMPTY;
}

int64_t mv_fault_reply(unsigned slot, unsigned vcpu, unsigned action, uint64_t value)
{
	(void)slot, (void)vcpu, (void)action, (void)value;
	return MV_OK;
}

#endif
