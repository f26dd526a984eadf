/* SPDX-License-Identifier: MIT */
/* Ticket spinlock on compiler atomics (acquire/release ordering). */
#ifndef MV_SPINLOCK_H
#define MV_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	union {
		uint32_t word;		/* both halves, for the taking */
		struct {
			uint16_t owner;	/* the ticket being served (low half) */
			uint16_t next;	/* the next ticket to hand out */
		};
	};
};

#define SPINLOCK_INIT { { 0 } }

/* Take a ticket and the lock with it in one exclusive access, acquiring:
 * uncontended, that is the whole cost; otherwise wait for the turn. */
static inline void spin_lock(struct spinlock *l)
{
	uint32_t old = __atomic_fetch_add(&l->word, 1U << 16, __ATOMIC_ACQUIRE);
	uint16_t me = (uint16_t)(old >> 16);

	if ((uint16_t)old == me)
		return;
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
