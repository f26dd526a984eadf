// SPDX-License-Identifier: MIT
/* Unit tests: fast windows (mv/window.h), published reads and posted
 * writes through a server's page, with a server that misbehaves too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mv/window.h>

static struct mv_window_page pg;
static struct window_post w;

static int setup(void **state)
{
	(void)state;
	memset(&pg, 0x5a, sizeof(pg));		/* attach clears only its counters */
	memset(&w, 0, sizeof(w));
	memset(pg.published, 0, sizeof(pg.published));
	memset(pg.ordered, 0, sizeof(pg.ordered));
	pg.nrules = 0;
	pg.wake_count = 0;
	window_attach(&w, &pg);
	return 0;
}

static void publish(unsigned offset, uint32_t v, bool ordered)
{
	pg.answer[offset / 4] = v;
	pg.published[offset / 128] |= 1u << (offset / 4 % 32);
	if (ordered)
		pg.ordered[offset / 128] |= 1u << (offset / 4 % 32);
}

static void rule(unsigned i, uint32_t offset, uint32_t post_mask, uint32_t post_value,
		 uint32_t wake_mask, uint32_t wake_value)
{
	pg.rule[i] = (struct mv_window_rule){ offset, post_mask, post_value, wake_mask, wake_value, 0 };
	if (pg.nrules <= i)
		pg.nrules = i + 1;
}

static enum window_result rd(uint64_t offset, unsigned size, uint64_t *v)
{
	*v = 0xdead;
	return window_access(&w, 0, offset, size, false, v);
}

static enum window_result wr(unsigned vcpu, uint64_t offset, unsigned size, uint64_t v)
{
	return window_access(&w, vcpu, offset, size, true, &v);
}

/* A clearing rule (InterruptACK): the bits cleared in the line word at
 * once, nothing queued; WINDOW_DONE_LOWER when none is left. */
static void test_clearing_rule(void **state)
{
	(void)state;
	rule(0, 0x64, 0, 0, 0, 1);
	pg.rule[0].flags = MV_WINDOW_CLEAR;
	pg.line_word = 0x60 / 4;
	publish(0x60, 3, false);
	assert_int_equal(wr(0, 0x64, 4, 1), WINDOW_DONE);
	assert_int_equal(pg.answer[0x60 / 4], 2);
	assert_int_equal(wr(0, 0x64, 4, 0x102), WINDOW_DONE_LOWER);
	assert_int_equal(pg.answer[0x60 / 4], 0);
	assert_int_equal(pg.head, 0);
	assert_false(window_client_idle(&w));	/* nothing to wake the server for */
	/* The server's side: set, then clear; the line's level. */
	assert_true(window_line(&w, 5, 0));
	assert_true(window_line(&w, 0, 1));
	assert_int_equal(pg.answer[0x60 / 4], 4);
	assert_false(window_line(&w, 1, 5));
	/* A line word out of range: a fault, and never a level. */
	pg.line_word = MV_WINDOW_WORDS;
	assert_int_equal(wr(0, 0x64, 4, 1), WINDOW_SLOW);
	assert_false(window_line(&w, 1, 0));
	/* Detached: neither. */
	pg.line_word = 0x60 / 4;
	window_detach(&w);
	assert_int_equal(wr(0, 0x64, 4, 1), WINDOW_SLOW);
	assert_false(window_line(&w, 1, 0));
}

static void test_attach_clears_counters(void **state)
{
	(void)state;
	assert_int_equal(pg.head, 0);
	assert_int_equal(pg.tail, 0);
	assert_int_equal(pg.idle, 0);
	assert_int_equal(w.head, 0);
}

static void test_published_reads(void **state)
{
	uint64_t v;

	(void)state;
	publish(0x18, 0x12345690, false);
	publish(0xffc, 0xb1, false);
	assert_int_equal(rd(0x18, 4, &v), WINDOW_DONE);
	assert_int_equal(v, 0x12345690);
	assert_int_equal(rd(0x18, 2, &v), WINDOW_DONE);
	assert_int_equal(v, 0x5690);
	assert_int_equal(rd(0x18, 1, &v), WINDOW_DONE);
	assert_int_equal(v, 0x90);
	assert_int_equal(rd(0xffc, 4, &v), WINDOW_DONE);
	assert_int_equal(v, 0xb1);
	/* Not published, not word aligned, 8 bytes, past the first 4 KiB. */
	assert_int_equal(rd(0x1c, 4, &v), WINDOW_SLOW);
	assert_int_equal(rd(0x19, 1, &v), WINDOW_SLOW);
	assert_int_equal(rd(0x18, 8, &v), WINDOW_SLOW);
	assert_int_equal(rd(0x1018, 4, &v), WINDOW_SLOW);
	/* Detached: every access is the server's. */
	window_detach(&w);
	assert_int_equal(rd(0x18, 4, &v), WINDOW_SLOW);
	assert_int_equal(wr(0, 0, 4, 1), WINDOW_SLOW);
}

static void test_posted_writes(void **state)
{
	(void)state;
	rule(0, 0x00, 0, 0, 0xff, '\n');	/* DR: a newline wakes */
	rule(1, 0x30, 0x80, 0, 0, 1);		/* CR: posted while bit 7 stays clear, never wakes */
	assert_int_equal(wr(1, 0x00, 1, 'h'), WINDOW_DONE);
	assert_int_equal(wr(0, 0x30, 4, 0x301), WINDOW_DONE);
	assert_int_equal(wr(0, 0x30, 4, 0x381), WINDOW_SLOW);	/* loopback on: waits */
	assert_int_equal(wr(0, 0x34, 4, 1), WINDOW_SLOW);	/* no rule */
	assert_int_equal(wr(0, 0x02, 1, 1), WINDOW_SLOW);	/* not aligned */
	assert_int_equal(wr(0, 0x00, 8, 1), WINDOW_SLOW);	/* 8 bytes */
	assert_int_equal(wr(0, 0x00, 1, '\n'), WINDOW_DONE_WAKE);
	assert_int_equal(pg.head, 3);
	assert_int_equal(pg.ring[0].offset, 0);
	assert_int_equal(pg.ring[0].vcpu, 1);
	assert_int_equal(pg.ring[0].size, 1);
	assert_int_equal(pg.ring[0].kind, MV_WINDOW_WRITE);
	assert_int_equal(pg.ring[0].value, 'h');
	assert_int_equal(pg.ring[1].offset, 0x30);
	assert_int_equal(pg.ring[1].value, 0x301);
	assert_int_equal(pg.ring[2].value, '\n');
	/* A rule past nrules does not count. */
	rule(2, 0x38, 0, 0, 0, 0);
	pg.nrules = 2;
	assert_int_equal(wr(0, 0x38, 4, 1), WINDOW_SLOW);
	/* nrules beyond the table is clamped, not followed. */
	pg.nrules = 1000;
	assert_int_equal(wr(0, 0x38, 4, 1), WINDOW_DONE_WAKE);
}

/* Ordered answers wait for the ring to be taken. */
static void test_ordered_reads(void **state)
{
	uint64_t v;

	(void)state;
	rule(0, 0x30, 0, 0, 0, 1);
	publish(0x30, 0x300, true);
	publish(0x18, 0x90, false);
	assert_int_equal(rd(0x30, 4, &v), WINDOW_DONE);
	assert_int_equal(wr(0, 0x30, 4, 0x301), WINDOW_DONE);
	assert_int_equal(rd(0x30, 4, &v), WINDOW_SLOW);
	assert_int_equal(rd(0x18, 4, &v), WINDOW_DONE);		/* not ordered */
	pg.tail = 1;						/* the server took it */
	pg.answer[0x30 / 4] = 0x301;
	assert_int_equal(rd(0x30, 4, &v), WINDOW_DONE);
	assert_int_equal(v, 0x301);
}

/* The server is woken every wake_count writes, and when the client idles
 * with writes it has not been woken for. */
static void test_wake_batch_and_idle(void **state)
{
	(void)state;
	rule(0, 0, 0, 0, 0, 1);		/* never wakes by value */
	pg.wake_count = 4;
	for (unsigned i = 1; i <= 12; i++)
		assert_int_equal(wr(0, 0, 1, 'x'), i % 4 ? WINDOW_DONE : WINDOW_DONE_WAKE);
	assert_false(window_client_idle(&w));	/* woken for all of them */
	assert_int_equal(pg.idle, 0);
	assert_int_equal(wr(0, 0, 1, 'x'), WINDOW_DONE);
	assert_true(window_client_idle(&w));
	assert_int_equal(pg.idle, 1);
	assert_false(window_client_idle(&w));
	pg.wake_count = 0;			/* 0: no batch wake-ups */
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(wr(0, 0, 1, 'x'), WINDOW_DONE);
}

/* A full ring makes writes wait (as faults, behind the ring), and keeps
 * room for the reset entry; a reset after a reset adds nothing. */
static void test_full_ring_and_reset(void **state)
{
	unsigned n = 0;

	(void)state;
	rule(0, 0, 0, 0, 0, 1);
	while (wr(0, 0, 1, 'x') == WINDOW_DONE)
		n++;
	assert_int_equal(n, MV_WINDOW_RING - 1);
	assert_int_equal(wr(0, 0, 1, 'x'), WINDOW_SLOW);
	window_client_reset(&w);
	assert_int_equal(pg.head, MV_WINDOW_RING);
	assert_int_equal(pg.ring[(MV_WINDOW_RING - 1) % MV_WINDOW_RING].kind, MV_WINDOW_RESET);
	window_client_reset(&w);
	assert_int_equal(pg.head, MV_WINDOW_RING);
	/* The server takes them all: room again, and the ring wraps. */
	pg.tail = pg.head;
	assert_int_equal(wr(2, 0, 1, 'y'), WINDOW_DONE);
	assert_int_equal(pg.ring[0].value, 'y');
	assert_int_equal(pg.ring[0].vcpu, 2);
	window_client_reset(&w);
	assert_int_equal(pg.ring[1].kind, MV_WINDOW_RESET);
}

/* A tail that makes no sense (ahead of head) is a full ring: nothing is
 * written outside the ring, and ordered reads wait. */
static void test_scribbled_tail(void **state)
{
	uint64_t v;

	(void)state;
	rule(0, 0, 0, 0, 0, 1);
	publish(0x30, 1, true);
	pg.tail = 7;
	assert_int_equal(wr(0, 0, 1, 'x'), WINDOW_SLOW);
	assert_int_equal(rd(0x30, 4, &v), WINDOW_SLOW);
	window_client_reset(&w);
	assert_int_equal(pg.head, 0);
	pg.tail = 0;
	assert_int_equal(wr(0, 0, 1, 'x'), WINDOW_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_attach_clears_counters, setup),
		cmocka_unit_test_setup(test_published_reads, setup),
		cmocka_unit_test_setup(test_posted_writes, setup),
		cmocka_unit_test_setup(test_ordered_reads, setup),
		cmocka_unit_test_setup(test_wake_batch_and_idle, setup),
		cmocka_unit_test_setup(test_full_ring_and_reset, setup),
		cmocka_unit_test_setup(test_scribbled_tail, setup),
		cmocka_unit_test_setup(test_clearing_rule, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
