// SPDX-License-Identifier: MIT
/* Fixed-priority round-robin scheduler (see mv/sched.h). */
#include <mv/arch.h>
#include <mv/percpu.h>
#include <mv/sched.h>
#include <mv/vmm.h>

struct runqueue {
	struct spinlock lock;
	struct vcpu *head;		/* runnable, not running; by priority */
	uint64_t slice_end;		/* counter value; 0 = no slice running */
	struct vcpu *sleepers[MV_MAX_VMS * MV_MAX_VCPUS];	/* blocked with a deadline */
	unsigned nsleepers;
};

static struct runqueue rq[MV_MAX_CPUS];

/* A time slice in counter ticks. */
static uint64_t slice_ticks(void)
{
	static uint64_t ticks;	/* the same value whichever CPU sets it */
	uint64_t t = __atomic_load_n(&ticks, __ATOMIC_RELAXED);

	if (!t) {
		t = arch_counter_freq() * SCHED_SLICE_MS / 1000;
		__atomic_store_n(&ticks, t, __ATOMIC_RELAXED);
	}
	return t;
}

static unsigned prio(const struct vcpu *v)
{
	return v->prio;
}

/* Insert after every vCPU of the same or higher priority (FIFO). */
static void enqueue(struct runqueue *q, struct vcpu *v)
{
	struct vcpu **pp = &q->head;

	if (v->queued)
		return;
	while (*pp && prio(*pp) >= prio(v))
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
	v->queued = true;
}

static void sleepers_remove(struct runqueue *q, const struct vcpu *v)
{
	for (unsigned i = 0; i < q->nsleepers; i++) {
		if (q->sleepers[i] == v) {
			q->sleepers[i] = q->sleepers[--q->nsleepers];
			return;
		}
	}
}

void sched_wake(struct vcpu *v)
{
	struct runqueue *q = &rq[v->pcpu];

	spin_lock(&q->lock);
	sleepers_remove(q, v);
	v->state = VCPU_RUNNABLE;
	if (!v->running) {
		enqueue(q, v);
		/* Whatever runs there now gets a bounded turn. */
		if (!q->slice_end)
			q->slice_end = arch_counter() + slice_ticks();
	}
	spin_unlock(&q->lock);
	if (v->pcpu != arch_cpu_id())
		arch_kick_cpu(v->pcpu);
}

void sched_block(struct vcpu *v)
{
	struct runqueue *q = &rq[v->pcpu];

	spin_lock(&q->lock);
	if (v->state == VCPU_BLOCKED && v->timer_deadline &&
	    q->nsleepers < ARRAY_SIZE(q->sleepers)) {
		sleepers_remove(q, v);
		q->sleepers[q->nsleepers++] = v;
	}
	spin_unlock(&q->lock);
}

static bool runnable(const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE && !v->vm->stopped &&
	       !__atomic_load_n(&v->suspended, __ATOMIC_RELAXED);
}

bool sched_vcpu_loaded(struct vcpu *v)
{
	struct runqueue *q = &rq[v->pcpu];
	bool loaded;

	spin_lock(&q->lock);
	loaded = v->running;
	spin_unlock(&q->lock);
	return loaded;
}

struct vcpu *sched_pick(unsigned cpu, struct vcpu *current, uint64_t now)
{
	struct runqueue *q = &rq[cpu];
	struct vcpu *next;

	spin_lock(&q->lock);
	/* Drop queued vCPUs that stopped being runnable meanwhile. */
	while (q->head && !runnable(q->head)) {
		q->head->queued = false;
		q->head = q->head->next;
	}
	next = q->head;
	if (current && runnable(current)) {
		bool expired = q->slice_end && now >= q->slice_end;

		if (!next || prio(next) < prio(current) ||
		    (prio(next) == prio(current) && !expired)) {
			/* An equal waits: bound the current one's turn. */
			if (!next || prio(next) < prio(current))
				q->slice_end = 0;
			else if (!q->slice_end)
				q->slice_end = now + slice_ticks();
			spin_unlock(&q->lock);
			return current;
		}
		enqueue(q, current);	/* goes behind its equals */
	}
	if (next) {
		q->head = next->next;
		next->queued = false;
		next->running = true;
		q->slice_end = q->head ? now + slice_ticks() : 0;
	}
	spin_unlock(&q->lock);
	return next;
}

void sched_put_prev(unsigned cpu, struct vcpu *v)
{
	struct runqueue *q = &rq[cpu];

	spin_lock(&q->lock);
	/* Release: whoever sees it off its CPU (fault.c's wait_unloaded
	 * reads it without this lock) sees the registers saved before. */
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
	/* Woken between sched_pick and here: sched_wake saw it running and
	 * left the queueing to us. */
	if (runnable(v))
		enqueue(q, v);
	spin_unlock(&q->lock);
}

/* Caller holds q->lock. */
static uint64_t next_event(const struct runqueue *q, const struct vcpu *current)
{
	uint64_t when = 0;

	if (current && q->head)
		when = q->slice_end;
	for (unsigned i = 0; i < q->nsleepers; i++) {
		uint64_t d = q->sleepers[i]->timer_deadline;

		if (d && (!when || d < when))
			when = d;
	}
	return when;
}

uint64_t sched_next_event(unsigned cpu, const struct vcpu *current)
{
	struct runqueue *q = &rq[cpu];
	uint64_t when;

	spin_lock(&q->lock);
	when = next_event(q, current);
	spin_unlock(&q->lock);
	return when;
}

struct vcpu *sched_switch_blocked(unsigned cpu, struct vcpu *cur, uint64_t now,
				  uint64_t *next_event_at)
{
	struct runqueue *q = &rq[cpu];
	struct vcpu *next = NULL;

	spin_lock(&q->lock);
	if (runnable(cur))
		goto out;	/* woken meanwhile: sched_pick decides */
	while (q->head && !runnable(q->head)) {
		q->head->queued = false;
		q->head = q->head->next;
	}
	next = q->head;
	if (!next)
		goto out;	/* idle: sched_pick's loop */
	/* sched_pick's choice for a current vCPU that is not runnable, and
	 * sched_put_prev's work: cur is not runnable, so it is not queued. */
	q->head = next->next;
	next->queued = false;
	next->running = true;
	__atomic_store_n(&cur->running, false, __ATOMIC_RELEASE);
	q->slice_end = q->head ? now + slice_ticks() : 0;
	*next_event_at = next_event(q, next);
out:
	spin_unlock(&q->lock);
	return next;
}

/* The handoffs' shared half, under q->lock.  next (not running, not
 * queued, not suspended) may have the CPU directly when no queued vCPU
 * (head, the queue's first) is its equal or better: sched_wake(next)
 * would queue it behind those, and sched_switch_blocked would take the
 * head. */
static inline __attribute__((always_inline)) bool handoff_takes(const struct vcpu *next,
								const struct vcpu *head)
{
	return !next->queued && !next->running &&
	       !__atomic_load_n(&next->suspended, __ATOMIC_RELAXED) &&
	       (!head || prio(head) < prio(next));
}

/* next runs in cur's place on q's CPU, as sched_switch_blocked would
 * leave them. */
static inline __attribute__((always_inline)) void handoff_commit(struct runqueue *q,
								 struct vcpu *cur,
								 struct vcpu *next,
								 const struct vcpu *head,
								 uint64_t *next_event_at)
{
	next->state = VCPU_RUNNABLE;
	next->running = true;
	__atomic_store_n(&cur->running, false, __ATOMIC_RELEASE);
	q->slice_end = 0;
	if (head)	/* the one left queued waits at most a slice */
		q->slice_end = arch_counter() + slice_ticks();
	*next_event_at = next_event(q, next);
}

__attribute__((always_inline)) inline bool sched_handoff(unsigned cpu, struct vcpu *cur, struct vcpu *next,
						   uint64_t *next_event_at)
{
	struct runqueue *q = &rq[cpu];
	const struct vcpu *head;
	bool ok;

	spin_lock(&q->lock);
	head = q->head;
	/* sched_wake(next) would queue it behind its equals and betters;
	 * sched_switch_blocked would then take the head: next only when no
	 * queued vCPU is its equal or better.  A suspended next (vcpu
	 * capability) is left to the general path, whose wake keeps it off. */
	ok = !runnable(cur) && handoff_takes(next, head);
	if (ok)
		handoff_commit(q, cur, next, head, next_event_at);
	spin_unlock(&q->lock);
	return ok;
}

__attribute__((always_inline)) inline bool sched_handoff_block(unsigned cpu, struct vcpu *cur,
							  struct vcpu *next,
							  uint64_t *next_event_at)
{
	struct runqueue *q = &rq[cpu];
	const struct vcpu *head;
	bool ok;

	spin_lock(&q->lock);
	head = q->head;
	/* The stopped flags are read under this lock: a stop or reset sets
	 * its VM's first, then looks under it (sched_stop_vcpu,
	 * sched_kick_loaded, sched_vcpu_loaded), so either it finds next
	 * loaded here, or this finds the flag set. */
	ok = cur->state == VCPU_RUNNABLE && !cur->vm->stopped &&
	     next->state == VCPU_BLOCKED && !next->vm->stopped && handoff_takes(next, head);
	if (ok) {
		cur->state = VCPU_BLOCKED;
		cur->timer_deadline = 0;
		handoff_commit(q, cur, next, head, next_event_at);
	}
	spin_unlock(&q->lock);
	return ok;
}

void sched_stop_vcpu(struct vcpu *v)
{
	struct runqueue *q = &rq[v->pcpu];
	bool kick;

	spin_lock(&q->lock);
	v->state = VCPU_OFF;
	kick = v->running && v->pcpu != arch_cpu_id();
	spin_unlock(&q->lock);
	if (kick)
		arch_kick_cpu(v->pcpu);
}

void sched_kick_loaded(struct vcpu *v)
{
	if (sched_vcpu_loaded(v) && v->pcpu != arch_cpu_id())
		arch_kick_cpu(v->pcpu);
}

void sched_timer_expired(unsigned cpu, uint64_t now)
{
	struct runqueue *q = &rq[cpu];
	struct vcpu *due[ARRAY_SIZE(q->sleepers)];
	unsigned n = 0;

	spin_lock(&q->lock);
	for (unsigned i = 0; i < q->nsleepers;) {
		struct vcpu *v = q->sleepers[i];

		if (v->timer_deadline && v->timer_deadline <= now) {
			due[n++] = v;
			q->sleepers[i] = q->sleepers[--q->nsleepers];
		} else {
			i++;
		}
	}
	spin_unlock(&q->lock);
	for (unsigned i = 0; i < n; i++)
		vm_vcpu_kick(due[i]);
}
