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

/* MV_HC_WINDOW_ATTACH (the transport keeps the interrupt status on the
 * page): accepted, the page kept in page (the last) and by its slot. */
static struct mv_window_page *page, *slot_page[32];

static inline void fake_window_attach(uint64_t x[8])
{
	if (x[3] != sizeof(struct mv_window_page)) {
		x[0] = (uint64_t)MV_ERR_INVAL;
		return;
	}
	page = (struct mv_window_page *)(uintptr_t)x[2];
	if (x[1] < 32)
		slot_page[x[1]] = page;
	x[0] = MV_OK;
}

/* MV_HC_WINDOW_IRQ with MV_WINDOW_LINE_FOLLOW, as the microvisor does it
 * (docs/abi.md, "Fast windows"): the page's line word set, then cleared;
 * the line's level returned (0 or 1). */
static inline int fake_window_line(uint64_t x[8])
{
	struct mv_window_page *pg = slot_page[x[1] % 32];
	uint32_t *w = &pg->answer[pg->line_word];

	*w = (*w | (uint32_t)x[3]) & ~(uint32_t)x[4];
	x[0] = MV_OK;
	return *w != 0;
}

/* The driver's write of value at offset, posted by the microvisor as the
 * page's rules say: 1 (a clearing rule: done; *level is the line's if it
 * was lowered), 2 (queued in the ring), or 0 (not posted: a fault). */
static inline int fake_window_post(uint32_t offset, uint32_t value, int *level)
{
	for (uint32_t i = 0; i < page->nrules; i++) {
		const struct mv_window_rule *r = &page->rule[i];

		if (r->offset != offset || (value & r->post_mask) != r->post_value)
			continue;
		if (r->flags & MV_WINDOW_CLEAR) {
			page->answer[page->line_word] &= ~value;
			if (!page->answer[page->line_word])
				*level = 0;
			return 1;
		}
		page->ring[page->head++ % MV_WINDOW_RING] =
			(struct mv_window_write){ .offset = offset, .size = 4, .value = value };
		return 2;
	}
	return 0;
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
