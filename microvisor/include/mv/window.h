/* SPDX-License-Identifier: MIT */
/*
 * Fast windows (docs/abi.md, "Fast windows"): accesses to a window that
 * the microvisor completes without waiting for its server, through a page
 * the server owns (struct mv_window_page): reads it has published an
 * answer to, and writes it lets the microvisor post to a ring.  Pure
 * logic on that page: fault.c finds the window, wakes the server and
 * completes the access.  Builds on the host for the unit tests.
 */
#ifndef MV_WINDOW_H
#define MV_WINDOW_H

#include <abi/microvisor.h>
#include <mv/spinlock.h>
#include <mv/types.h>

/* The microvisor's side of a window's page.  What the server writes in the
 * page is read, never trusted: indexes are the microvisor's own or
 * reduced modulo the ring. */
struct window_post {
	struct spinlock lock;		/* head, signalled, reset_last; ring writes */
	struct mv_window_page *pg;	/* NULL: not attached (every access a fault) */
	uint32_t head;			/* entries written (free-running) */
	uint32_t signalled;		/* head when the server was last woken */
	bool reset_last;		/* the last entry is a reset: another adds nothing */
};

enum window_result {
	WINDOW_SLOW,		/* not completed: the access goes to the server as a fault */
	WINDOW_DONE,		/* completed (a read's value in *value) */
	WINDOW_DONE_WAKE,	/* completed, and the server must be woken */
	WINDOW_DONE_LOWER,	/* completed, and the line word is 0: the line must follow it */
};

/* Start using pg (in the server's memory, checked by the caller): the
 * ring starts empty.  And stop (the server stopped or restarts). */
void window_attach(struct window_post *w, struct mv_window_page *pg);
void window_detach(struct window_post *w);

/* An access of size bytes at offset in the window by vCPU vcpu; a write's
 * value in *value. */
enum window_result window_access(struct window_post *w, unsigned vcpu, uint64_t offset,
				 unsigned size, bool write, uint64_t *value);

/* Set, then clear, bits of the page's line word; the level of the line
 * that follows it: whether it is nonzero (false without a page, or with
 * a word out of range). */
bool window_line(struct window_post *w, uint32_t set, uint32_t clear);

/* A vCPU of the client stops running: true (and idle bumped) if writes
 * were queued since the server was last woken, which it must be now. */
bool window_client_idle(struct window_post *w);

/* The client restarts: queue a reset entry (room is kept for one). */
void window_client_reset(struct window_post *w);

#endif
