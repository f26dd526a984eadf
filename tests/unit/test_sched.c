// SPDX-License-Identifier: MIT
/* Unit tests: scheduler decisions (mv/sched.h), above all that
 * sched_switch_blocked, the blocking calls' switch, decides as
 * sched_pick followed by sched_put_prev (in one step), and that sched_handoff, the
 * SEND_RECV fastpath's switch, decides as sched_wake followed by
 * sched_switch_blocked or refuses, changing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../microvisor/sched.c"

/* The architecture and VM code sched.c calls. */
static uint64_t now = 1000;
static unsigned kicks;
struct percpu percpu[MV_MAX_CPUS];
unsigned arch_cpu_id(void) { return 0; }
uint64_t arch_counter(void) { return now; }
uint64_t arch_counter_freq(void) { return 1000000; }
void arch_kick_cpu(unsigned cpu) { (void)cpu; kicks++; }
void vm_vcpu_kick(struct vcpu *v) { sched_wake(v); }

static struct vm_desc desc_lo = { .priority = 1 }, desc_hi = { .priority = 2 };
static struct vm vm_a, vm_b, vm_c;

static void setup_vm(struct vm *vm, const struct vm_desc *d)
{
	memset(vm, 0, sizeof(*vm));
	vm->desc = d;
	vm->nvcpus = 1;
	vm->vcpu[0].vm = vm;
	vm->vcpu[0].prio = d->priority;	/* as vm_create caches it */
	vm->vcpu[0].state = VCPU_BLOCKED;
}

static int reset(void **state)
{
	(void)state;
	memset(rq, 0, sizeof(rq));
	setup_vm(&vm_a, &desc_lo);
	setup_vm(&vm_b, &desc_lo);
	setup_vm(&vm_c, &desc_hi);
	return 0;
}

/* a runs, blocks after waking b: b runs next, a is neither queued nor running
 * once put; nothing queued, so no slice and no timer. */
static void test_switch_to_woken_peer(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];
	uint64_t when = 99;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	sched_wake(b);			/* a's send */
	assert_true(b->queued);
	assert_int_not_equal(rq[0].slice_end, 0);	/* a's turn is bounded now */
	a->state = VCPU_BLOCKED;	/* a's receive */
	assert_ptr_equal(sched_switch_blocked(0, a, now, &when), b);
	assert_true(b->running);
	assert_false(b->queued);
	assert_false(a->running);	/* put with the decision */
	assert_false(a->queued);
	assert_null(rq[0].head);
	assert_int_equal(rq[0].slice_end, 0);
	assert_int_equal(when, 0);
	assert_int_equal(when, sched_next_event(0, b));
}

/* Refusals: cur runnable again, or nothing queued: NULL, nothing changed. */
static void test_switch_refused(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];
	uint64_t when = 99;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	a->state = VCPU_BLOCKED;
	assert_null(sched_switch_blocked(0, a, now, &when));	/* idle: sched_pick's job */
	assert_true(a->running);
	sched_wake(b);
	sched_wake(a);			/* woken before the switch */
	assert_null(sched_switch_blocked(0, a, now, &when));
	assert_ptr_equal(rq[0].head, b);
	assert_true(b->queued);
	assert_int_equal(when, 99);
}

/* The queue's order decides, as in sched_pick: the higher priority first,
 * FIFO among equals; the one left queued gets a slice and the timer. */
static void test_switch_follows_priority(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0], *c = &vm_c.vcpu[0];
	uint64_t when = 0;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	sched_wake(b);
	sched_wake(c);			/* higher priority: ahead of b */
	a->state = VCPU_BLOCKED;
	assert_ptr_equal(sched_switch_blocked(0, a, now, &when), c);
	assert_false(a->running);
	assert_ptr_equal(rq[0].head, b);
	assert_int_equal(rq[0].slice_end, now + 1000000 * SCHED_SLICE_MS / 1000);
	assert_int_equal(when, rq[0].slice_end);
	assert_int_equal(when, sched_next_event(0, c));
	/* Woken once switched out: queued at once, behind b's equals. */
	c->state = VCPU_BLOCKED;
	assert_ptr_equal(sched_switch_blocked(0, c, now, &when), b);
	sched_wake(c);
	assert_true(c->queued);
	assert_ptr_equal(rq[0].head, c);
	/* A queued vCPU that stopped meanwhile is skipped, as sched_pick does. */
	sched_wake(a);
	vm_c.stopped = true;
	b->state = VCPU_BLOCKED;
	assert_ptr_equal(sched_switch_blocked(0, b, now, &when), a);
	assert_false(c->queued);
}

/* The fastpath's handoff: a blocked peer, nothing queued: it runs, as
 * sched_wake then sched_switch_blocked would have it; no slice, no timer. */
static void test_handoff_to_blocked_peer(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];
	uint64_t when = 99;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	assert_false(sched_handoff(0, a, b, &when));	/* a still runnable */
	assert_false(b->running);
	a->state = VCPU_BLOCKED;	/* the caller's receive, under its lock */
	assert_true(sched_handoff(0, a, b, &when));
	assert_int_equal(b->state, VCPU_RUNNABLE);
	assert_true(b->running);
	assert_false(b->queued);
	assert_false(a->running);
	assert_false(a->queued);
	assert_null(rq[0].head);
	assert_int_equal(rq[0].slice_end, 0);
	assert_int_equal(when, 0);
	assert_int_equal(when, sched_next_event(0, b));
	/* Woken once it is off: queued as usual. */
	sched_wake(a);
	assert_true(a->queued);
}

/* A queued vCPU of the peer's priority (or higher) would run first, or
 * the peer is busy: refused, nothing changed. */
static void test_handoff_refused(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0], *c = &vm_c.vcpu[0];
	uint64_t when = 99;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	sched_wake(c);			/* higher than b */
	a->state = VCPU_BLOCKED;
	assert_false(sched_handoff(0, a, b, &when));
	assert_int_equal(b->state, VCPU_BLOCKED);
	assert_false(b->running);
	assert_true(a->running);
	assert_ptr_equal(rq[0].head, c);
	assert_int_equal(when, 99);
	reset(NULL);
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	sched_wake(b);
	b->state = VCPU_BLOCKED;	/* queued: never handed to */
	a->state = VCPU_BLOCKED;
	assert_false(sched_handoff(0, a, b, &when));
	assert_true(a->running);
}

/* A lower-priority vCPU queued: the peer runs, the queued one keeps its
 * place and the peer's turn is bounded, as sched_switch_blocked sets it. */
static void test_handoff_over_lower(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0], *c = &vm_c.vcpu[0];
	uint64_t when = 0;

	(void)state;
	sched_wake(c);
	assert_ptr_equal(sched_pick(0, NULL, now), c);
	vm_b.desc = &desc_hi;
	b->prio = desc_hi.priority;
	sched_wake(a);			/* lower: stays queued */
	c->state = VCPU_WAITING_REPLY;	/* a fault of c went to b */
	assert_true(sched_handoff(0, c, b, &when));
	assert_ptr_equal(rq[0].head, a);
	assert_int_equal(rq[0].slice_end, now + 1000000 * SCHED_SLICE_MS / 1000);
	assert_int_equal(when, rq[0].slice_end);
	assert_int_equal(when, sched_next_event(0, b));
}

/* A suspended vCPU (vcpu capability) is never picked, whatever its
 * state: the running one leaves its CPU at the next pick and is not
 * requeued, a queued one is dropped, a wake-up while suspended queues
 * nothing that runs; sched_vcpu_loaded says whether it is still loaded;
 * the resume's sched_wake brings it back. */
static void test_suspended(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	assert_true(sched_vcpu_loaded(a));
	a->suspended = true;
	assert_true(sched_vcpu_loaded(a));	/* until its CPU picks again */
	assert_null(sched_pick(0, a, now));
	sched_put_prev(0, a);
	assert_false(sched_vcpu_loaded(a));
	assert_false(a->queued);
	assert_int_equal(a->state, VCPU_RUNNABLE);	/* its state is kept */
	sched_wake(a);				/* an interrupt for it meanwhile */
	sched_wake(b);
	assert_ptr_equal(sched_pick(0, NULL, now), b);	/* a dropped */
	assert_false(a->queued);
	b->suspended = true;
	a->suspended = false;
	sched_wake(a);				/* the resume */
	assert_ptr_equal(sched_pick(0, b, now), a);
	sched_put_prev(0, b);
	assert_false(b->queued);
	/* The blocking calls' switch skips it too. */
	sched_wake(b);
	a->state = VCPU_BLOCKED;
	assert_null(sched_switch_blocked(0, a, now, &(uint64_t){ 0 }));
	assert_false(b->queued);
	/* Nor does the fastpaths' handoff: refused, nothing changed. */
	b->state = VCPU_BLOCKED;
	assert_false(sched_handoff(0, a, b, &(uint64_t){ 0 }));
	assert_int_equal(b->state, VCPU_BLOCKED);
	assert_false(b->running);
}

/* The SEND_RECV fastpath's handoff makes both state changes itself, under
 * the run-queue lock: the caller blocks, the peer runs; refused, with
 * nothing changed, when either domain is stopping, the peer is suspended,
 * not blocked or busy, or the caller is not runnable. */
static void test_handoff_block(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];
	uint64_t when = 99;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	a->timer_deadline = 5;
	vm_b.stopped = true;
	assert_false(sched_handoff_block(0, a, b, &when));
	vm_b.stopped = false;
	vm_a.stopped = true;
	assert_false(sched_handoff_block(0, a, b, &when));
	vm_a.stopped = false;
	b->suspended = true;
	assert_false(sched_handoff_block(0, a, b, &when));
	b->suspended = false;
	b->state = VCPU_OFF;
	assert_false(sched_handoff_block(0, a, b, &when));
	b->state = VCPU_BLOCKED;
	assert_int_equal(a->state, VCPU_RUNNABLE);
	assert_true(a->running);
	assert_false(b->running);
	assert_int_equal(when, 99);
	assert_true(sched_handoff_block(0, a, b, &when));
	assert_int_equal(a->state, VCPU_BLOCKED);
	assert_int_equal(a->timer_deadline, 0);
	assert_false(a->running);
	assert_int_equal(b->state, VCPU_RUNNABLE);
	assert_true(b->running);
	assert_false(b->queued);
	assert_int_equal(when, 0);
	/* Back the other way: b is current now. */
	assert_true(sched_handoff_block(0, b, a, &when));
	assert_true(a->running);
	/* The caller not runnable (stopped meanwhile): refused. */
	a->state = VCPU_OFF;
	assert_false(sched_handoff_block(0, a, b, &when));
	assert_true(a->running);
}

/* vm_stop's look at each vCPU: off, and its CPU kicked when it is loaded
 * on another one (here: a vCPU of CPU 1, this being CPU 0). */
static void test_stop_vcpu(void **state)
{
	struct vcpu *a = &vm_a.vcpu[0], *b = &vm_b.vcpu[0];
	unsigned k = kicks;

	(void)state;
	sched_wake(a);
	assert_ptr_equal(sched_pick(0, NULL, now), a);
	sched_stop_vcpu(a);		/* loaded here: no kick */
	assert_int_equal(a->state, VCPU_OFF);
	assert_int_equal(kicks, k);
	b->pcpu = 1;
	sched_wake(b);
	assert_ptr_equal(sched_pick(1, NULL, now), b);
	k = kicks;
	sched_stop_vcpu(b);
	assert_int_equal(b->state, VCPU_OFF);
	assert_int_equal(kicks, k + 1);
	sched_kick_loaded(b);
	assert_int_equal(kicks, k + 2);
	sched_put_prev(1, b);
	sched_kick_loaded(b);		/* off its CPU: nothing to kick */
	assert_int_equal(kicks, k + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_switch_to_woken_peer, reset),
		cmocka_unit_test_setup(test_switch_refused, reset),
		cmocka_unit_test_setup(test_switch_follows_priority, reset),
		cmocka_unit_test_setup(test_handoff_to_blocked_peer, reset),
		cmocka_unit_test_setup(test_handoff_refused, reset),
		cmocka_unit_test_setup(test_handoff_over_lower, reset),
		cmocka_unit_test_setup(test_suspended, reset),
		cmocka_unit_test_setup(test_handoff_block, reset),
		cmocka_unit_test_setup(test_stop_vcpu, reset),
	};

	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
