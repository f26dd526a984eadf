// SPDX-License-Identifier: MIT
/* Fast windows: published reads, posted writes (mv/window.h). */
#include <mv/window.h>

static_assert((MV_WINDOW_RING & (MV_WINDOW_RING - 1)) == 0, "the ring wraps with a mask");

void window_attach(struct window_post *w, struct mv_window_page *pg)
{
	spin_lock(&w->lock);
	pg->head = 0;
	pg->tail = 0;
	pg->idle = 0;
	w->head = 0;
	w->signalled = 0;
	w->reset_last = false;
	__atomic_store_n(&w->pg, pg, __ATOMIC_RELEASE);
	spin_unlock(&w->lock);
}

void window_detach(struct window_post *w)
{
	spin_lock(&w->lock);
	__atomic_store_n(&w->pg, NULL, __ATOMIC_RELEASE);
	spin_unlock(&w->lock);
}

static bool bit(const uint32_t *map, unsigned word)
{
	return __atomic_load_n(&map[word / 32], __ATOMIC_RELAXED) & (1u << (word % 32));
}

/* Entries queued and not yet taken, or more than the ring holds if the
 * server wrote a tail that makes no sense. */
static uint32_t queued(const struct window_post *w, const struct mv_window_page *pg)
{
	/* Read without the lock by ordered reads: a write of another vCPU
	 * racing with it may or may not count, as on hardware. */
	return __atomic_load_n(&w->head, __ATOMIC_RELAXED) -
	       __atomic_load_n(&pg->tail, __ATOMIC_ACQUIRE);
}

/* Caller holds w->lock. */
static void put(struct window_post *w, struct mv_window_page *pg, const struct mv_window_write *e)
{
	pg->ring[w->head % MV_WINDOW_RING] = *e;
	__atomic_store_n(&w->head, w->head + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&pg->head, w->head, __ATOMIC_RELEASE);
}

/* A clearing rule's write: v's bits cleared in the line word. */
static __attribute__((noinline)) enum window_result
clear(struct window_post *w, struct mv_window_page *pg, uint32_t v)
{
	uint32_t lw = __atomic_load_n(&pg->line_word, __ATOMIC_RELAXED);
	enum window_result r = WINDOW_SLOW;

	spin_lock(&w->lock);	/* the page stays the server's meanwhile */
	if (w->pg == pg && lw < MV_WINDOW_WORDS)
		r = __atomic_and_fetch(&pg->answer[lw], ~v, __ATOMIC_ACQ_REL) ? WINDOW_DONE : WINDOW_DONE_LOWER;
	spin_unlock(&w->lock);
	return r;
}

/* Inlined: the posted write's path is the fast windows' busiest. */
static inline __attribute__((always_inline)) enum window_result
post(struct window_post *w, struct mv_window_page *pg, unsigned vcpu, uint32_t offset, unsigned size, uint32_t v)
{
	const struct mv_window_rule *r = NULL;
	uint32_t nrules = __atomic_load_n(&pg->nrules, __ATOMIC_RELAXED), wake_count;
	struct mv_window_write e = { offset, (uint16_t)vcpu, (uint8_t)size, MV_WINDOW_WRITE, v };
	bool wake;

	for (uint32_t i = 0; i < nrules && i < MV_WINDOW_RULES; i++) {
		if (__atomic_load_n(&pg->rule[i].offset, __ATOMIC_RELAXED) == offset) {
			r = &pg->rule[i];
			break;
		}
	}
	if (!r || (v & r->post_mask) != r->post_value)
		return WINDOW_SLOW;
	if (__atomic_load_n(&r->flags, __ATOMIC_RELAXED) & MV_WINDOW_CLEAR)
		return clear(w, pg, v);
	spin_lock(&w->lock);
	/* Room for it and for a reset entry after it. */
	if (w->pg != pg || queued(w, pg) > MV_WINDOW_RING - 2) {
		spin_unlock(&w->lock);
		return WINDOW_SLOW;
	}
	put(w, pg, &e);
	w->reset_last = false;
	wake_count = __atomic_load_n(&pg->wake_count, __ATOMIC_RELAXED);
	wake = (v & r->wake_mask) == r->wake_value ||
	       (wake_count && w->head - w->signalled >= wake_count);
	if (wake)
		w->signalled = w->head;
	spin_unlock(&w->lock);
	return wake ? WINDOW_DONE_WAKE : WINDOW_DONE;
}

enum window_result window_access(struct window_post *w, unsigned vcpu, uint64_t offset,
				 unsigned size, bool write, uint64_t *value)
{
	struct mv_window_page *pg = __atomic_load_n(&w->pg, __ATOMIC_ACQUIRE);
	unsigned word = (unsigned)(offset / 4);

	if (!pg || (offset & 3) || offset >= MV_WINDOW_WORDS * 4 || size > 4)
		return WINDOW_SLOW;
	if (write)
		return post(w, pg, vcpu, (uint32_t)offset, size, (uint32_t)*value);
	if (!bit(pg->published, word))
		return WINDOW_SLOW;
	/* Ordered: only once the server has taken every posted write (the
	 * client's own included: this vCPU queued them before it read). */
	if (bit(pg->ordered, word) && queued(w, pg))
		return WINDOW_SLOW;
	*value = __atomic_load_n(&pg->answer[word], __ATOMIC_RELAXED);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return WINDOW_DONE;
}

bool window_line(struct window_post *w, uint32_t set, uint32_t clear)
{
	struct mv_window_page *pg = __atomic_load_n(&w->pg, __ATOMIC_ACQUIRE);
	uint32_t lw = pg ? __atomic_load_n(&pg->line_word, __ATOMIC_RELAXED) : MV_WINDOW_WORDS;

	if (lw >= MV_WINDOW_WORDS)
		return false;
	__atomic_fetch_or(&pg->answer[lw], set, __ATOMIC_ACQ_REL);
	return __atomic_and_fetch(&pg->answer[lw], ~clear, __ATOMIC_ACQ_REL);
}

bool window_client_idle(struct window_post *w)
{
	bool wake;

	if (!__atomic_load_n(&w->pg, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&w->head, __ATOMIC_RELAXED) == __atomic_load_n(&w->signalled, __ATOMIC_RELAXED))
		return false;
	spin_lock(&w->lock);
	wake = w->pg && w->head != w->signalled;
	if (wake) {
		w->signalled = w->head;
		__atomic_store_n(&w->pg->idle, w->pg->idle + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&w->lock);
	return wake;
}

void window_client_reset(struct window_post *w)
{
	static const struct mv_window_write reset = { .kind = MV_WINDOW_RESET };

	spin_lock(&w->lock);
	if (w->pg && !w->reset_last && queued(w, w->pg) < MV_WINDOW_RING) {
		put(w, w->pg, &reset);
		w->reset_last = true;
	}
	spin_unlock(&w->lock);
}
