/* SPDX-License-Identifier: MIT */
/*
 * Channels: asynchronous, signal-style, one receiver.  A sender never
 * blocks: it ORs signal bits into the channel's signal word and/or queues a
 * message of up to MV_CHANNEL_WORDS words into a bounded ring; a full ring
 * is an error to the sender (MV_ERR_FULL) and loses nothing already
 * accepted.  Each message carries the sender capability's badge.  The
 * receiver takes the signal word (reading clears it) and one message at a
 * time.  Senders that signal tell themselves apart by the bits they raise
 * (a sender's badge is the natural choice).  Memory for channels comes from the system description's
 * composition, never from an unbounded heap.
 *
 * A receiver that finds nothing may wait on the channel (a struct
 * channel_waiter, FIFO): the next send is handed to the first waiter
 * instead of being queued.  So while anyone waits, the ring is empty and
 * no signal is pending.
 *
 * A sender may be told when a queue it found full gets room: after a send
 * failed with MV_ERR_FULL, the next receive that takes a message calls
 * the channel's room callback, once (a VM sender's from-virq).
 */
#ifndef MV_CHANNEL_H
#define MV_CHANNEL_H

#include <abi/microvisor.h>
#include <mv/spinlock.h>
#include <mv/types.h>

#define CHANNEL_MAX_DEPTH	64

struct channel_msg {
	uint64_t badge;
	uint32_t nwords;
	uint64_t word[MV_CHANNEL_WORDS];
};

/* A receiver waiting on an empty channel; a sender hands it what it sends. */
struct channel_waiter {
	struct channel *channel;	/* where it waits; NULL: not waiting */
	struct channel_waiter *next;	/* the channel's waiters, in order */
	bool delivered;			/* a sender handed it signals and msg */
	uint64_t signals;
	struct channel_msg msg;		/* nwords 0: signals only */
};

#define CHANNEL_NO_HANDOFF	(~0U)

struct channel {
	struct spinlock *lock;		/* own_lock, or the one it shares */
	struct spinlock own_lock;
	struct channel_waiter *waiters;	/* FIFO; non-empty only while empty */
	uint64_t signals;		/* pending signal bits */
	unsigned depth;			/* ring size, 1..CHANNEL_MAX_DEPTH */
	unsigned head, count;
	struct channel_msg ring[CHANNEL_MAX_DEPTH];
	/* The CPU of its receiver's only vCPU, when a send may hand that CPU
	 * straight to it (MV_HC_CHANNEL_SEND_RECV's fastpath: a receiver of
	 * one vCPU, woken without a virtual interrupt, another domain than
	 * the sender); CHANNEL_NO_HANDOFF otherwise.  Set at composition. */
	unsigned handoff_cpu;
	/* Who to tell when work arrives (set at composition). */
	void (*notify)(void *ctx);
	void *notify_ctx;
	/* Who to tell when a queue a send found full has room (set at
	 * composition after channel_init(); NULL: nobody). */
	void (*room)(void *ctx);
	void *room_ctx;
	bool sender_full;		/* a send found it full since the last take */
};

void channel_init(struct channel *ch, unsigned depth,
		  void (*notify)(void *), void *ctx);

/* At composition, before any use: ch is guarded by other's lock from now
 * on (the two directions between the same two domains, so that a call
 * sending on one and receiving on the other takes one lock). */
void channel_share_lock(struct channel *ch, struct channel *other);

/* Send: signals (may be 0) and, when nwords > 0, a message.  Nothing is
 * changed on error (MV_ERR_INVAL for nwords > MV_CHANNEL_WORDS, MV_ERR_FULL
 * when a message does not fit: its signals are not raised either). */
int channel_send(struct channel *ch, uint64_t badge, uint64_t signals,
		 unsigned nwords, const uint64_t *words);

/* Receive: *signals gets (and clears) the signal word; a message, if any,
 * goes to *msg.  MV_OK if there was a message, MV_ERR_EMPTY if not (the
 * signals are returned either way).  Taking a message from a queue that
 * a send found full calls ch->room (after the channel's lock). */
int channel_recv(struct channel *ch, uint64_t *signals, struct channel_msg *msg);

/* Receive as channel_recv(); when there is nothing at all (no message, no
 * signal), w waits on ch instead and CHANNEL_WAITING is returned: the next
 * send is handed to it (w->delivered, w->signals, w->msg).  w must not be
 * waiting already.  *room: as channel_recv()'s room callback, which the
 * caller makes with channel_tell_room() once it holds no lock (it takes
 * the sender's). */
#define CHANNEL_WAITING	1
int channel_recv_or_wait(struct channel *ch, uint64_t *signals, struct channel_msg *msg,
			 struct channel_waiter *w, bool *room);
void channel_tell_room(const struct channel *ch, bool room);

/* w stops waiting (no-op if it is not): true if a sender handed it
 * something meanwhile, in w->signals and w->msg (w->delivered is cleared). */
bool channel_wait_end(struct channel_waiter *w);

/* Whether the receiver has anything to take. */
bool channel_pending(struct channel *ch);

#endif
