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
}

int channel_send(struct channel *ch, uint64_t badge, uint64_t signals,
		 unsigned nwords, const uint64_t *words)
{
	int rc = MV_OK;

	if (nwords > MV_CHANNEL_WORDS)
		return MV_ERR_INVAL;
	if (!signals && !nwords)
		return MV_OK;
	spin_lock(&ch->lock);
	if (nwords) {
		struct channel_msg *m;

		if (ch->count == ch->depth) {
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
	spin_unlock(&ch->lock);
	if (rc == MV_OK && ch->notify)
		ch->notify(ch->notify_ctx);
	return rc;
}

int channel_recv(struct channel *ch, uint64_t *signals, struct channel_msg *msg)
{
	int rc = MV_ERR_EMPTY;

	spin_lock(&ch->lock);
	*signals = ch->signals;
	ch->signals = 0;
	if (ch->count) {
		*msg = ch->ring[ch->head];
		ch->head = (ch->head + 1) % ch->depth;
		ch->count--;
		rc = MV_OK;
	}
	spin_unlock(&ch->lock);
	return rc;
}

bool channel_pending(struct channel *ch)
{
	bool pending;

	spin_lock(&ch->lock);
	pending = ch->signals || ch->count;
	spin_unlock(&ch->lock);
	return pending;
}
