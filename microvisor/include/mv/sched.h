/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: one run queue per physical CPU, fixed priorities (higher
 * runs first), round-robin time slices within a priority.  A vCPU belongs to
 * one physical CPU (the description's "cpus", or spread in order).
 *
 * Lock order: VM lock, then run-queue lock.
 */
#ifndef MV_SCHED_H
#define MV_SCHED_H

#include <mv/vm.h>

#define SCHED_SLICE_MS	10

/* Make v runnable (from OFF or BLOCKED) and queue it on its CPU; kicks that
 * CPU if it is not the caller's. */
void sched_wake(struct vcpu *v);

/* Called on v's own CPU when it stops being runnable (blocked, off or its
 * VM stopped): nothing to do but note it; sched_pick skips it. */
void sched_block(struct vcpu *v);

/* The vCPU this CPU should run now: the current one unless it is no longer
 * runnable, its slice ended and another of its priority waits, or a higher
 * priority one is queued.  NULL: idle. */
struct vcpu *sched_pick(unsigned cpu, struct vcpu *current, uint64_t now);

/* v was switched out of cpu: it is no longer running (requeued if it was
 * woken meanwhile).  sched_pick marks the vCPU it returns as running. */
void sched_put_prev(unsigned cpu, struct vcpu *v);

/* The current vCPU cur of cpu stopped being runnable (it blocked): what
 * sched_pick would return, without its general pass, and sched_put_prev's
 * work for cur.  Returns the vCPU to run (marked running; *next_event_at
 * gets what sched_next_event would return once it runs; cur is marked not
 * running, so the caller must have saved its registers), or NULL,
 * changing nothing, when cur is runnable again or nothing is queued: the
 * caller goes through sched_pick. */
struct vcpu *sched_switch_blocked(unsigned cpu, struct vcpu *cur, uint64_t now,
				  uint64_t *next_event_at);

/* The direct switch of a blocking call that wakes next (not running, not
 * queued, not runnable; on cpu) and has made cur (current on cpu) not
 * runnable: if sched_wake(next) followed by sched_switch_blocked would run
 * next (no queued vCPU of its priority or higher), next is made runnable
 * and running and cur no longer running, *next_event_at set as there;
 * true.  Otherwise (cur runnable too) nothing changes: false.  The caller
 * holds both vCPUs' VM locks, so no one else changes their states
 * meanwhile, and has saved cur's registers.  next is never in the
 * sleepers: a vCPU leaves them when woken, and it blocked (in a receive,
 * with no deadline, or waiting for a fault's answer) while running. */
bool sched_handoff(unsigned cpu, struct vcpu *cur, struct vcpu *next, uint64_t *next_event_at);

/* sched_handoff for MV_HC_CHANNEL_SEND_RECV's fastpath, which takes no VM
 * lock: the state changes are made here, under the run-queue lock, which
 * is what every change of a vCPU's state by another CPU while the vCPU
 * may be loaded or handed the CPU also takes (sched_stop_vcpu, reset's
 * sched_vcpu_loaded, sched_wake).  cur (current, runnable, its domain not
 * stopping) blocks and next (blocked, its domain not stopping, not
 * suspended) runs in its place, when sched_handoff would; true.  Else
 * nothing changes: false.  The caller holds the channels' locks (so no
 * sender can wake either meanwhile) and has saved cur's registers. */
bool sched_handoff_block(unsigned cpu, struct vcpu *cur, struct vcpu *next,
			 uint64_t *next_event_at);

/* vm_stop's work on each of its vCPUs: v is off, and leaves its CPU if it
 * is loaded there (kicked when that is another CPU).  Caller holds v's VM
 * lock and has marked the VM stopped. */
void sched_stop_vcpu(struct vcpu *v);

/* Kick v's CPU if v is loaded there and that is not this CPU. */
void sched_kick_loaded(struct vcpu *v);

/* Counter value at which this CPU must preempt (0 = never) and the earliest
 * timer deadline of its vCPUs that are not running. */
uint64_t sched_next_event(unsigned cpu, const struct vcpu *current);

/* Whether v is loaded on its CPU, read under that CPU's run-queue lock:
 * a vCPU made unrunnable (suspended) before the call and found not loaded
 * stays off its CPU, and what its CPU saved of it when it left is
 * visible to the caller.  The caller may hold v's VM lock. */
bool sched_vcpu_loaded(struct vcpu *v);

/* vCPUs on cpu whose virtual timer deadline passed: wake them. */
void sched_timer_expired(unsigned cpu, uint64_t now);

#endif
