// SPDX-License-Identifier: MIT
/* Channels (see mv/channel.h). */
#include <string.h>

#include <mv/channel.h>

void channel_init(struct channel *ch, unsigned depth, void (*notify)(void *), void *ctx)
{
	memset(ch, 0, sizeof(*ch));
	ch->depth = depth < 1 ? 1 : depth > CHANNEL_MAX_DEPTH ? CHANNEL_MAX_DEPTH : depth;
	ch->notify = notify;
	ch->notify_ctx = ctx;
	ch->lock = &ch->own_lock;
	ch->handoff_cpu = CHANNEL_NO_HANDOFF;
}

void channel_share_lock(struct channel *ch, struct channel *other)
{
	ch->lock = other->lock;
}

int channel_send(struct channel *ch, uint64_t badge, uint64_t signals,
		 unsigned nwords, const uint64_t *words)
{
	int rc = MV_OK;

	if (nwords > MV_CHANNEL_WORDS)
		return MV_ERR_INVAL;
	if (!signals && !nwords)
		return MV_OK;
	spin_lock(ch->lock);
	if (ch->waiters) {
		/* Someone waits: the ring is empty and no signal pending. */
		struct channel_waiter *w = ch->waiters;

		ch->waiters = w->next;
		w->next = NULL;
		w->signals = signals;
		w->msg.badge = nwords ? badge : 0;
		w->msg.nwords = nwords;
		if (nwords)
			memcpy(w->msg.word, words, nwords * sizeof(uint64_t));
		__atomic_store_n(&w->delivered, true, __ATOMIC_RELEASE);
		goto out;
	}
	if (nwords) {
		struct channel_msg *m;

		if (ch->count == ch->depth) {
			ch->sender_full = true;
			rc = MV_ERR_FULL;
			goto out;
		}
		m = &ch->ring[(ch->head + ch->count) % ch->depth];
		m->badge = badge;
		m->nwords = nwords;
		memcpy(m->word, words, nwords * sizeof(uint64_t));
		ch->count++;
	}
	ch->signals |= signals;
out:
	spin_unlock(ch->lock);
	if (rc == MV_OK && ch->notify)
		ch->notify(ch->notify_ctx);
	return rc;
}

/* Caller holds ch->lock.  *room: a sender that found the queue full is
 * to be told (by the caller, after the lock) that it has room now. */
static int take(struct channel *ch, uint64_t *signals, struct channel_msg *msg, bool *room)
{
	*signals = ch->signals;
	ch->signals = 0;
	if (!ch->count)
		return MV_ERR_EMPTY;
	*msg = ch->ring[ch->head];
	ch->head = (ch->head + 1) % ch->depth;
	ch->count--;
	*room = ch->sender_full;
	ch->sender_full = false;
	return MV_OK;
}

void channel_tell_room(const struct channel *ch, bool room)
{
	if (room && ch->room)
		ch->room(ch->room_ctx);
}

int channel_recv(struct channel *ch, uint64_t *signals, struct channel_msg *msg)
{
	bool room = false;
	int rc;

	spin_lock(ch->lock);
	rc = take(ch, signals, msg, &room);
	spin_unlock(ch->lock);
	channel_tell_room(ch, room);
	return rc;
}

int channel_recv_or_wait(struct channel *ch, uint64_t *signals, struct channel_msg *msg,
			 struct channel_waiter *w, bool *room)
{
	struct channel_waiter **tail;

	*room = false;
	spin_lock(ch->lock);
	if (ch->count || ch->signals) {
		int rc = take(ch, signals, msg, room);

		spin_unlock(ch->lock);
		return rc;
	}
	w->channel = ch;
	w->next = NULL;
	w->delivered = false;
	for (tail = &ch->waiters; *tail; tail = &(*tail)->next)
		;
	*tail = w;
	spin_unlock(ch->lock);
	return CHANNEL_WAITING;
}

bool channel_wait_end(struct channel_waiter *w)
{
	struct channel *ch = w->channel;
	bool delivered;

	if (!ch)
		return false;
	/* Handed over: the sender has already taken w off the list. */
	if (__atomic_load_n(&w->delivered, __ATOMIC_ACQUIRE)) {
		w->channel = NULL;
		w->delivered = false;
		return true;
	}
	spin_lock(ch->lock);
	delivered = w->delivered;
	if (!delivered) {
		struct channel_waiter **pp = &ch->waiters;

		while (*pp && *pp != w)
			pp = &(*pp)->next;
		if (*pp)
			*pp = w->next;
	}
	w->channel = NULL;
	w->delivered = false;
	spin_unlock(ch->lock);
	return delivered;
}

bool channel_pending(struct channel *ch)
{
	bool pending;

	spin_lock(ch->lock);
	pending = ch->signals || ch->count;
	spin_unlock(ch->lock);
	return pending;
}
