/* SPDX-License-Identifier: MIT */
/*
 * Faults as messages.  A window of a domain's guest-physical space is
 * served by a cell: a guest access there blocks the vCPU and becomes a
 * message to the cell, whose reply completes the access and resumes the
 * vCPU.  A domain's crash goes the same way to its supervisor cell.  The
 * object between them is a fault port (one per window or supervisor): the
 * server holds a capability to it (CAP_FAULT) and receives and replies
 * through it (docs/abi.md, "Faults").
 *
 * A vCPU has at most one fault outstanding, so the queue of a port is its
 * clients' vCPUs: no ring, nothing to overflow.
 */
#ifndef MV_FAULT_H
#define MV_FAULT_H

#include <abi/microvisor.h>
#include <mv/types.h>

enum fault_state {
	FAULT_NONE,		/* nothing outstanding */
	FAULT_PENDING,		/* waiting for the server to receive it */
	FAULT_DELIVERED,	/* received: waiting for the reply */
};

/* The fault a vCPU waits on. */
struct fault_record {
	struct fault_port *port;	/* where it went; NULL: none */
	enum fault_state state;
	uint64_t info;			/* MV_FAULT_* kind, size, reason */
	uint64_t addr;			/* offset in the window, or the PC */
	uint64_t value;			/* value written, or the syndrome */
	uint64_t where;			/* guest-physical address, or the fault address */
	uint64_t syndrome;		/* for the architecture: how to complete it */
	uint64_t va;			/* for the architecture: the faulting address */
	uint64_t pc;
};

/* --- message encoding (here and fault_msg.c, builds on the host) --- */

/* x[1..7] of the message for r, from the server capability's badge. */
static inline void fault_msg_encode(const struct fault_record *r, uint64_t badge, unsigned vcpu,
				    uint64_t *x)
{
	x[1] = badge;
	x[2] = vcpu;
	x[3] = r->info;
	x[4] = r->addr;
	x[5] = r->value;
	x[6] = r->where;
	x[7] = 0;
}

/* The value of an access of size bytes (1, 2, 4, 8): the low bytes only. */
static inline uint64_t fault_narrow(uint64_t value, unsigned size)
{
	return size >= 8 ? value : value & ((1UL << (size * 8)) - 1);
}

/* A value loaded by an access of size bytes into a register: narrowed,
 * then sign-extended (sign) to 64 bits, or to 32 with the top half
 * clear (!wide). */
static inline uint64_t fault_load_extend(uint64_t value, unsigned size, bool sign, bool wide)
{
	value = fault_narrow(value, size);
	if (sign && size < 8 && (value & (1UL << (size * 8 - 1))))
		value |= ~0UL << (size * 8);
	return wide ? value : value & 0xffffffffUL;
}

/* MV_HC_FAULT_REPLY's x3 and x2: MV_OK or MV_ERR_INVAL. */
int fault_reply_check(uint64_t action, uint64_t vcpu, unsigned nvcpus);

#ifndef FAULT_ENCODING_ONLY
#include <mv/vm.h>
#include <mv/window.h>
struct system;

/* Boot: a port per window and supervisor, the capability in the server's
 * slot.  After the VMs exist. */
int fault_create_all(const struct system *sys);

enum fault_result {
	FAULT_NO_WINDOW,	/* not in a window: the caller decides */
	FAULT_FORWARDED,	/* the vCPU waits for the server's answer */
	FAULT_REFUSED,		/* the server is gone: the caller injects an abort */
};

/* A data abort of v at ipa with a syndrome to emulate with. */
enum fault_result fault_window_access(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
				      uint64_t value, uint64_t syndrome, uint64_t va, uint64_t pc);

/* The fast half of a window (mv/window.h): a read the server published
 * or a write it posts, completed without waiting; WINDOW_SLOW for any
 * other access, or outside every window.  *port: the window's port, for
 * fault_forward_fast (NULL outside every window). */
struct fault_port;
enum window_result fault_window_fast(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
				     uint64_t *value, struct fault_port **port);

/* A vCPU of vm stops running (blocks, waits, or vm stops): wake the
 * servers its posted writes wait for.  Not with vm->lock held.  Costs
 * a load when it posted nothing since the last time. */
void fault_client_idle_windows(struct vm *vm);
static inline void fault_client_idle(struct vm *vm)
{
	if (__atomic_load_n(&vm->posted, __ATOMIC_RELAXED))
		fault_client_idle_windows(vm);
}

/* vm restarts: its windows' servers see a reset entry. */
void fault_client_reset(struct vm *vm);

/* vm, a server, restarts: its windows' pages are its memory no more. */
void fault_server_reset(const struct vm *vm);

/* v crashed: report it to the domain's supervisor (v then waits for its
 * answer) or, without one, stop the domain. */
void fault_crash(struct vcpu *v, unsigned reason, uint64_t pc, uint64_t syndrome, uint64_t far);

/* The hypercalls; x is the caller's x0-x7, results go back into it. */
int64_t fault_hc_recv(struct vcpu *v, uint64_t *x);
int64_t fault_hc_reply(struct vcpu *v, uint64_t *x);
int64_t fault_hc_window_attach(struct vcpu *v, uint64_t *x);
int64_t fault_hc_window_irq(struct vcpu *v, uint64_t *x);

/* Fastpaths (fault.c): the two halves of a forwarded fault whose client
 * and server share a CPU, each ending with the direct switch to the other
 * (returned, already running); NULL, with nothing changed: the general
 * path.  The caller has saved cur's registers. */
struct vcpu *fault_forward_fast(struct vcpu *cur, struct fault_port *p, uint64_t ipa,
				uint64_t info, uint64_t value, uint64_t syndrome, uint64_t va,
				uint64_t pc, uint64_t *next_event_at);
struct vcpu *fault_reply_recv_fast(struct vcpu *cur, uint64_t *x, uint64_t *next_event_at);

/* vm is being reset: forget its vCPUs' faults.  Caller holds vm->lock. */
void fault_vm_reset(struct vm *vm);

/* vm stopped: the faults it had received or not as a server are its
 * clients' crashes now (or external aborts, for a client with no
 * supervisor). */
void fault_server_stopped(const struct vm *vm);

/* --- architecture (arch/aarch64/guest_trap.c) --- */
/* For a vCPU that is not loaded: complete the access described by
 * syndrome (a read loads value) and step past it; or take an external
 * abort on it instead; or its saved x0-x7. */
void arch_vcpu_finish_access(struct vcpu *v, uint64_t syndrome, uint64_t value);
void arch_vcpu_abort_access(struct vcpu *v, uint64_t va);
uint64_t *arch_vcpu_saved_args(struct vcpu *v);
#endif

#endif
