/* SPDX-License-Identifier: MIT */
/* The microvisor's hypercalls (abi/microvisor.h). */
#ifndef MV_HYPERCALL_H
#define MV_HYPERCALL_H

#include <mv/vm.h>

/* The receiving end of a channel, who channel_notify() tells; or a VM's
 * sending end with a from-virq, who channel_room() tells. */
struct channel_end {
	struct vm *vm;
	unsigned virq;		/* VMs: INTID to raise, 0 for none */
};

bool hypercall_is_ours(uint64_t fid);

/* x: the caller's x0-x7; results are written back into it. */
void hypercall(struct vcpu *v, uint64_t *x);

/* Block v until a channel it receives on has work (or, with port, until
 * that fault port's faults come straight into its registers: fault.c);
 * at once if work came since it last waited. */
void hypercall_wait(struct vcpu *v, const void *port);

/* v, blocked in a receive (v->recv_wait.channel set), runs again: write
 * the receive's results into x (its x0-x7). */
void hypercall_resume(struct vcpu *v, uint64_t *x);

/* MV_HC_CHANNEL_SEND_RECV handed straight to a receiver that runs next
 * on the caller's CPU: the receiver (now running, the caller blocked), or
 * NULL with nothing changed (the general path's case).  hypercall.c. */
struct vcpu *hypercall_send_recv_fast(struct vcpu *cur, uint64_t *x, uint64_t *next_event_at);

/* channel_init()'s notify callback; ctx is a struct channel_end. */
void channel_notify(void *ctx);
/* A channel's room callback (a VM sender's from-virq); ctx is a struct
 * channel_end whose virq is not 0. */
void channel_room(void *ctx);

/* Tell a domain it has work: raise virq (an INTID, 0 for none) in it and
 * wake a vCPU waiting in MV_HC_WAIT.  Takes vm->lock. */
void domain_notify(struct vm *vm, unsigned virq);

#endif
