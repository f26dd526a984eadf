/* SPDX-License-Identifier: MIT */
/* Ticket spinlock on compiler atomics (acquire/release ordering). */
#ifndef MV_SPINLOCK_H
#define MV_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint16_t next;
	uint16_t owner;
};

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(struct spinlock *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

/* Two locks (or one twice), in address order: no two CPUs taking the same
 * pair this way can deadlock. */
static inline void spin_lock_pair(struct spinlock *a, struct spinlock *b)
{
	if (a > b) {
		struct spinlock *t = a;

		a = b;
		b = t;
	}
	spin_lock(a);
	if (b != a)
		spin_lock(b);
}

static inline void spin_unlock_pair(struct spinlock *a, struct spinlock *b)
{
	spin_unlock(a);
	if (b != a)
		spin_unlock(b);
}

#endif
