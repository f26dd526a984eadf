// SPDX-License-Identifier: MIT
/* Unit tests: capability lookup and rights (mv/cap.h), channel queues,
 * signals and waiting receivers (mv/channel.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <mv/cap.h>
#include <mv/channel.h>

static int notified;

static void count_notify(void *ctx)
{
	(*(int *)ctx)++;
}

static void test_cap_errors_are_distinct(void **state)
{
	static struct cspace cs;
	static struct channel ch;
	const struct cap *c = NULL;

	(void)state;
	assert_int_equal(cap_install(&cs, 3, CAP_CHANNEL, MV_RIGHT_SEND, 0x42, &ch), MV_OK);
	assert_int_equal(cap_lookup(&cs, 3, CAP_CHANNEL, MV_RIGHT_SEND, &c), MV_OK);
	assert_ptr_equal(c->object, &ch);
	assert_int_equal(c->badge, 0x42);
	/* Unknown slot, out of range, wrong type, missing right: each its own code. */
	assert_int_equal(cap_lookup(&cs, 4, CAP_CHANNEL, MV_RIGHT_SEND, &c), MV_ERR_SLOT);
	assert_int_equal(cap_lookup(&cs, MV_CSPACE_SLOTS, CAP_CHANNEL, 0, &c), MV_ERR_SLOT);
	assert_int_equal(cap_lookup(&cs, ~0UL, CAP_CHANNEL, 0, &c), MV_ERR_SLOT);
	assert_int_equal(cap_lookup(&cs, 3, CAP_NONE + 99, MV_RIGHT_SEND, &c), MV_ERR_TYPE);
	assert_int_equal(cap_lookup(&cs, 3, CAP_CHANNEL, MV_RIGHT_RECV, &c), MV_ERR_RIGHTS);
	assert_int_equal(cap_lookup(&cs, 3, CAP_CHANNEL, MV_RIGHT_SEND | MV_RIGHT_RECV, &c),
			 MV_ERR_RIGHTS);
	assert_int_not_equal(MV_ERR_SLOT, MV_ERR_TYPE);
	assert_int_not_equal(MV_ERR_TYPE, MV_ERR_RIGHTS);
}

/* The kinds beyond channels, as objects.c installs and looks them up:
 * one kind never passes for another, and a right not held is refused. */
static void test_cap_kinds(void **state)
{
	static struct cspace cs;
	static int region, irq, virq;
	const struct cap *c = NULL;

	(void)state;
	assert_int_equal(cap_install(&cs, 0, CAP_REGION, MV_RIGHT_READ, 0, &region), MV_OK);
	assert_int_equal(cap_install(&cs, 1, CAP_IRQ, MV_RIGHT_ACK, 0, &irq), MV_OK);
	assert_int_equal(cap_install(&cs, 2, CAP_VIRQ, MV_RIGHT_RAISE, 0, &virq), MV_OK);
	assert_int_equal(cap_lookup(&cs, 1, CAP_IRQ, MV_RIGHT_ACK, &c), MV_OK);
	assert_ptr_equal(c->object, &irq);
	assert_int_equal(cap_lookup(&cs, 2, CAP_VIRQ, MV_RIGHT_RAISE, &c), MV_OK);
	assert_ptr_equal(c->object, &virq);
	assert_int_equal(cap_lookup(&cs, 2, CAP_IRQ, MV_RIGHT_ACK, &c), MV_ERR_TYPE);
	assert_int_equal(cap_lookup(&cs, 1, CAP_VIRQ, MV_RIGHT_RAISE, &c), MV_ERR_TYPE);
	assert_int_equal(cap_lookup(&cs, 0, CAP_CHANNEL, MV_RIGHT_SEND, &c), MV_ERR_TYPE);
	assert_int_equal(cap_lookup(&cs, 0, CAP_REGION, MV_RIGHT_WRITE, &c), MV_ERR_RIGHTS);
	assert_int_equal(cap_lookup(&cs, 1, CAP_IRQ, MV_RIGHT_RAISE, &c), MV_ERR_RIGHTS);
	assert_int_equal(cap_lookup(&cs, 3, CAP_VIRQ, MV_RIGHT_RAISE, &c), MV_ERR_SLOT);
}

static void test_cap_install_rejects(void **state)
{
	static struct cspace cs;
	static struct channel ch;

	(void)state;
	assert_int_equal(cap_install(&cs, 0, CAP_CHANNEL, MV_RIGHT_RECV, 0, &ch), MV_OK);
	assert_int_equal(cap_install(&cs, 0, CAP_CHANNEL, MV_RIGHT_RECV, 0, &ch), MV_ERR_SLOT);
	assert_int_equal(cap_install(&cs, MV_CSPACE_SLOTS, CAP_CHANNEL, 0, 0, &ch), MV_ERR_SLOT);
	assert_int_equal(cap_install(&cs, 1, CAP_NONE, 0, 0, &ch), MV_ERR_SLOT);
}

static void test_channel_fifo_wrap_full_empty(void **state)
{
	static struct channel ch;
	struct channel_msg m;
	uint64_t sig, w[MV_CHANNEL_WORDS];

	(void)state;
	notified = 0;
	channel_init(&ch, 4, count_notify, &notified);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_ERR_EMPTY);
	assert_int_equal(sig, 0);
	/* Fill, overflow, drain, wrap around several times: every payload in order. */
	for (uint64_t round = 0, next_in = 0, next_out = 0; round < 5; round++) {
		for (int i = 0; i < 4; i++) {
			w[0] = next_in++;
			w[3] = ~w[0];
			assert_int_equal(channel_send(&ch, 7, 0, 4, w), MV_OK);
		}
		w[0] = 999;
		assert_int_equal(channel_send(&ch, 7, 0, 1, w), MV_ERR_FULL);
		assert_true(channel_pending(&ch));
		for (int i = 0; i < 4; i++) {
			assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
			assert_int_equal(m.badge, 7);
			assert_int_equal(m.nwords, 4);
			assert_int_equal(m.word[0], next_out);
			assert_int_equal(m.word[3], ~next_out);
			next_out++;
		}
		assert_int_equal(channel_recv(&ch, &sig, &m), MV_ERR_EMPTY);
		assert_false(channel_pending(&ch));
	}
	assert_int_equal(notified, 20);	/* one per accepted send, none for the refused */
}

static void test_channel_signals_and_badges(void **state)
{
	static struct channel ch;
	struct channel_msg m;
	uint64_t sig, w = 5;

	(void)state;
	channel_init(&ch, 2, NULL, NULL);
	assert_int_equal(channel_send(&ch, 0x1, 0x1, 0, NULL), MV_OK);
	assert_int_equal(channel_send(&ch, 0x4, 0x4, 1, &w), MV_OK);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(sig, 0x5);		/* both senders' bits */
	assert_int_equal(m.badge, 0x4);		/* the message says who sent it */
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_ERR_EMPTY);
	assert_int_equal(sig, 0);		/* reading cleared them */
	/* A refused message raises no signal either: nothing half-done. */
	assert_int_equal(channel_send(&ch, 1, 0, 1, &w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0, 1, &w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0x80, 1, &w), MV_ERR_FULL);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(sig, 0);
	assert_int_equal(channel_send(&ch, 1, 0, MV_CHANNEL_WORDS + 1, &w), MV_ERR_INVAL);
}

static void test_channel_depth_clamped(void **state)
{
	static struct channel ch;

	(void)state;
	channel_init(&ch, 0, NULL, NULL);
	assert_int_equal(ch.depth, 1);
	channel_init(&ch, 1000, NULL, NULL);
	assert_int_equal(ch.depth, CHANNEL_MAX_DEPTH);
}

/* A receiver that finds nothing waits; the next send is handed to it, not
 * queued; waiters are served in order; a waiter that stops gets nothing. */
static void test_channel_waiters(void **state)
{
	static struct channel ch;
	static struct channel_waiter a, b, c;
	struct channel_msg m;
	uint64_t sig, w[MV_CHANNEL_WORDS] = { 11, 22, 33, 44 };
	bool room;

	(void)state;
	notified = 0;
	channel_init(&ch, 2, count_notify, &notified);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &a, &room), CHANNEL_WAITING);
	assert_ptr_equal(a.channel, &ch);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &b, &room), CHANNEL_WAITING);
	assert_false(channel_pending(&ch));
	/* A message goes to the first waiter, with its badge; nothing queued. */
	assert_int_equal(channel_send(&ch, 0x10, 0, 4, w), MV_OK);
	assert_int_equal(notified, 1);
	assert_true(a.delivered);
	assert_false(b.delivered);
	assert_false(channel_pending(&ch));
	assert_true(channel_wait_end(&a));
	assert_false(a.delivered);
	assert_null(a.channel);
	assert_int_equal(a.msg.badge, 0x10);
	assert_int_equal(a.msg.nwords, 4);
	assert_int_equal(a.msg.word[3], 44);
	assert_int_equal(a.signals, 0);
	/* Signals alone go to the next waiter. */
	assert_int_equal(channel_send(&ch, 0x10, 0x6, 0, NULL), MV_OK);
	assert_true(channel_wait_end(&b));
	assert_int_equal(b.signals, 0x6);
	assert_int_equal(b.msg.nwords, 0);
	assert_int_equal(b.msg.badge, 0);
	/* Nobody waits: back to the ring and the signal word. */
	assert_int_equal(channel_send(&ch, 0x10, 0x1, 1, w), MV_OK);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &c, &room), MV_OK);
	assert_int_equal(sig, 0x1);
	assert_int_equal(m.word[0], 11);
	assert_null(c.channel);
	/* Signals pending but no message: taken at once (MV_ERR_EMPTY with
	 * the signals, as channel_recv), no wait. */
	assert_int_equal(channel_send(&ch, 0x10, 0x8, 0, NULL), MV_OK);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &c, &room), MV_ERR_EMPTY);
	assert_int_equal(sig, 0x8);
	assert_null(c.channel);
	/* Waiters that stop before a send (woken for another reason) are
	 * taken off in any order and get nothing; the send is queued. */
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &a, &room), CHANNEL_WAITING);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &b, &room), CHANNEL_WAITING);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &c, &room), CHANNEL_WAITING);
	assert_false(channel_wait_end(&b));
	assert_false(channel_wait_end(&b));	/* not waiting: nothing */
	assert_false(channel_wait_end(&a));
	assert_int_equal(channel_send(&ch, 0x10, 0, 1, w), MV_OK);
	assert_true(channel_wait_end(&c));
	assert_int_equal(c.msg.word[0], 11);
	assert_null(ch.waiters);
	assert_int_equal(channel_send(&ch, 0x10, 0x2, 1, w), MV_OK);
	assert_true(channel_pending(&ch));
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(sig, 0x2);
}

/* A sender that found the queue full is told, once, when a receive takes
 * a message (the room callback: a VM sender's from-virq); not before it
 * found it full, not for signals, not twice. */
static void test_channel_room(void **state)
{
	static struct channel ch;
	static struct channel_waiter a;
	struct channel_msg m;
	uint64_t sig, w[1] = { 7 };
	int rooms = 0;
	bool room;

	(void)state;
	channel_init(&ch, 2, NULL, NULL);
	ch.room = count_notify;
	ch.room_ctx = &rooms;
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_OK);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(rooms, 0);		/* it was never full */
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_ERR_FULL);
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_ERR_FULL);
	assert_int_equal(channel_send(&ch, 1, 0x4, 0, NULL), MV_OK);	/* signals fit */
	assert_int_equal(rooms, 0);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(sig, 0x4);
	assert_int_equal(rooms, 1);
	assert_int_equal(channel_recv(&ch, &sig, &m), MV_OK);
	assert_int_equal(rooms, 1);		/* once per full */
	/* Through channel_recv_or_wait: the caller is told, and tells. */
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_OK);
	assert_int_equal(channel_send(&ch, 1, 0, 1, w), MV_ERR_FULL);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &a, &room), MV_OK);
	assert_true(room);
	assert_int_equal(rooms, 1);
	channel_tell_room(&ch, room);
	assert_int_equal(rooms, 2);
	assert_int_equal(channel_recv_or_wait(&ch, &sig, &m, &a, &room), MV_OK);
	assert_false(room);
	/* Without a callback, nothing to tell. */
	ch.room = NULL;
	channel_tell_room(&ch, true);
	assert_int_equal(rooms, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_errors_are_distinct),
		cmocka_unit_test(test_cap_kinds),
		cmocka_unit_test(test_cap_install_rejects),
		cmocka_unit_test(test_channel_fifo_wrap_full_empty),
		cmocka_unit_test(test_channel_signals_and_badges),
		cmocka_unit_test(test_channel_depth_clamped),
		cmocka_unit_test(test_channel_waiters),
		cmocka_unit_test(test_channel_room),
	};

	return cmocka_run_group_tests_name("cap_channel", tests, NULL, NULL);
}
