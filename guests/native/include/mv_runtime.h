/* SPDX-License-Identifier: MIT */
/*
 * The native runtime for cells: start-up, hypercall wrappers, channels,
 * waiting, console output and a printf.  A cell provides main(); it runs at
 * EL1 in its own stage-2 space, its console is the virtual PL011.
 */
#ifndef MV_RUNTIME_H
#define MV_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <abi/microvisor.h>

struct mv_msg {
	uint64_t badge;
	uint64_t signals;
	uint64_t nwords;
	uint64_t word[MV_CHANNEL_WORDS];
};

/* A fault message (docs/abi.md, "Faults"): an access to a window this
 * cell serves, or a crash of a domain it supervises. */
struct mv_fault {
	uint64_t badge;		/* the window's or the supervisor capability's */
	unsigned vcpu;		/* the faulting vCPU, in its domain */
	unsigned kind;		/* MV_FAULT_READ, MV_FAULT_WRITE or MV_FAULT_CRASH */
	unsigned size;		/* accesses: 1, 2, 4 or 8 bytes */
	unsigned reason;	/* crashes: MV_CRASH_* */
	uint64_t addr;		/* accesses: offset in the window; crashes: PC */
	uint64_t value;		/* writes: the value; crashes: the syndrome (ESR) */
	uint64_t where;		/* accesses: guest-physical address; crashes: fault address */
};

/* Raw hypercall: x0-x7 in, x0-x7 out (the ABI: docs/abi.md).  Built for
 * the host (unit tests of a cell's code: tests/unit/test_virtio.c), it is
 * the test's to provide. */
#ifndef __aarch64__
void mv_hypercall(uint64_t x[8]);
#else
static inline void mv_hypercall(uint64_t x[8])
{
	register uint64_t x0 __asm__("x0") = x[0];
	register uint64_t x1 __asm__("x1") = x[1];
	register uint64_t x2 __asm__("x2") = x[2];
	register uint64_t x3 __asm__("x3") = x[3];
	register uint64_t x4 __asm__("x4") = x[4];
	register uint64_t x5 __asm__("x5") = x[5];
	register uint64_t x6 __asm__("x6") = x[6];
	register uint64_t x7 __asm__("x7") = x[7];

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
			   "+r"(x6), "+r"(x7)
			 : : "memory");
	x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3;
	x[4] = x4; x[5] = x5; x[6] = x6; x[7] = x7;
}
#endif

static inline int64_t mv_null(void)
{
	uint64_t x[8] = { MV_HC_NULL };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Send signals and/or a message of nwords words (0 = signals only). */
int64_t mv_send(unsigned slot, uint64_t signals, unsigned nwords, const uint64_t *words);

/* Take pending signals and one message: MV_OK (something received),
 * MV_ERR_EMPTY, or an error for the slot. */
int64_t mv_recv(unsigned slot, struct mv_msg *msg);

/* As mv_recv, but with nothing there, block until a send arrives: MV_OK,
 * or MV_ERR_EMPTY if woken early. */
int64_t mv_recv_block(unsigned slot, struct mv_msg *msg);

/* Send as mv_send on send_slot, then receive as mv_recv_block on
 * recv_slot, in one hypercall (a call, or a server's reply-and-wait).  A
 * send error (MV_ERR_FULL, ...) returns at once with nothing received. */
static inline int64_t mv_send_recv(unsigned send_slot, uint64_t signals, unsigned nwords,
				   const uint64_t *words, unsigned recv_slot, struct mv_msg *msg)
{
	/* Inline: a server's loop keeps its message in registers. */
	register uint64_t x0 __asm__("x0") = MV_HC_CHANNEL_SEND_RECV;
	register uint64_t x1 __asm__("x1") = MV_SLOTS(send_slot, recv_slot);
	register uint64_t x2 __asm__("x2") = signals;
	register uint64_t x3 __asm__("x3") = nwords;
	register uint64_t x4 __asm__("x4") = nwords > 0 ? words[0] : 0;
	register uint64_t x5 __asm__("x5") = nwords > 1 ? words[1] : 0;
	register uint64_t x6 __asm__("x6") = nwords > 2 ? words[2] : 0;
	register uint64_t x7 __asm__("x7") = nwords > 3 ? words[3] : 0;

	_Static_assert(MV_CHANNEL_WORDS == 4, "x4-x7");
	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
			   "+r"(x6), "+r"(x7)
			 : : "memory");
	msg->badge = x1;
	msg->signals = x2;
	msg->nwords = x3;
	msg->word[0] = x4;
	msg->word[1] = x5;
	msg->word[2] = x6;
	msg->word[3] = x7;
	return (int64_t)x0;
}

/* Block until a channel this cell receives on has work (may return early). */
void mv_wait(void);

/* An irq capability: if its interrupt fired since the last call, re-arm it
 * (the physical interrupt is deactivated) and return MV_OK; MV_ERR_EMPTY if
 * it had not fired.  Clear the device's interrupt first: a level interrupt
 * still asserted fires again at once.  A firing wakes mv_wait(). */
static inline int64_t mv_irq_ack(unsigned slot)
{
	uint64_t x[8] = { MV_HC_IRQ_ACK, slot };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* A virq capability: raise its virtual interrupt in its VM. */
static inline int64_t mv_virq_raise(unsigned slot)
{
	uint64_t x[8] = { MV_HC_VIRQ_RAISE, slot };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* The console capability (docs/abi.md, "Console"): from now on the
 * microvisor writes every console line into ring (in this cell's memory,
 * bytes long in all) and wakes mv_wait() when it does. */
static inline int64_t mv_console_attach(unsigned slot, struct mv_console_ring *ring, uint64_t bytes)
{
	uint64_t x[8] = { MV_HC_CONSOLE_ATTACH, slot, (uint64_t)(uintptr_t)ring, bytes };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Domain index's name (NUL-terminated, at most 32 bytes with the NUL)
 * and MV_CONSOLE_DOMAIN_* flags; MV_ERR_INVAL past the last domain. */
static inline int64_t mv_console_domain(unsigned slot, unsigned index, char name[33],
					unsigned *flags)
{
	uint64_t x[8] = { MV_HC_CONSOLE_DOMAIN, slot, index };

	mv_hypercall(x);
	if ((int64_t)x[0] == MV_OK) {
		*flags = (unsigned)x[1];
		__builtin_memcpy(name, &x[2], 32);
		name[32] = '\0';
	}
	return (int64_t)x[0];
}

/* A window's fault capability (docs/abi.md, "Fast windows"): let the
 * microvisor complete accesses through pg (in this cell's memory). */
static inline int64_t mv_window_attach(unsigned slot, struct mv_window_page *pg)
{
	uint64_t x[8] = { MV_HC_WINDOW_ATTACH, slot, (uint64_t)(uintptr_t)pg, sizeof(*pg) };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Set the level of the window's interrupt in its client. */
static inline int64_t mv_window_irq(unsigned slot, bool level)
{
	uint64_t x[8] = { MV_HC_WINDOW_IRQ, slot, level };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Set, then clear, bits of the window's page's line word; the window's
 * interrupt follows it (MV_WINDOW_CLEAR). */
static inline int64_t mv_window_line(unsigned slot, uint32_t set, uint32_t clear)
{
	uint64_t x[8] = { MV_HC_WINDOW_IRQ, slot, MV_WINDOW_LINE_FOLLOW, set, clear };

	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Another domain's memory (a space capability, docs/abi.md "Spaces and
 * vCPUs"): mapped in this cell at where, it is the target's guest-physical
 * [base, base + size).  A target guest-physical address gpa is at
 * where + (gpa - base) here.  restarts counts the target's restarts (a
 * change means its memory was cleared and reloaded). */
struct mv_space {
	uint64_t base, size, where;
	unsigned flags;		/* MV_SPACE_WRITABLE, MV_SPACE_STOPPED */
	uint64_t restarts;
};

static inline int64_t mv_space_info(unsigned slot, struct mv_space *sp)
{
	uint64_t x[8] = { MV_HC_SPACE_INFO, slot };

	mv_hypercall(x);
	if ((int64_t)x[0] == MV_OK) {
		sp->base = x[1];
		sp->size = x[2];
		sp->where = x[3];
		sp->flags = (unsigned)x[4];
		sp->restarts = x[5];
	}
	return (int64_t)x[0];
}

/* Another domain's vCPU (a vcpu capability): op MV_VCPU_STATUS,
 * MV_VCPU_SUSPEND (it is off its CPU when this returns MV_OK) or
 * MV_VCPU_RESUME; *status gets the MV_VCPU_* flags after it (may be
 * NULL). */
static inline int64_t mv_vcpu_control(unsigned slot, unsigned op, unsigned *status)
{
	uint64_t x[8] = { MV_HC_VCPU_CONTROL, slot, op };

	mv_hypercall(x);
	if ((int64_t)x[0] == MV_OK && status)
		*status = (unsigned)x[1];
	return (int64_t)x[0];
}

/* count (1 to 7) registers of a suspended vCPU from MV_VCPU_REG_* first
 * into value[]; MV_ERR_RUNNING if it is not suspended. */
static inline int64_t mv_vcpu_read(unsigned slot, unsigned first, unsigned count, uint64_t *value)
{
	uint64_t x[8] = { MV_HC_VCPU_REGS, slot, MV_VCPU_READ, first, count };

	mv_hypercall(x);
	for (unsigned i = 0; (int64_t)x[0] == MV_OK && i < count && i < 7; i++)
		value[i] = x[1 + i];
	return (int64_t)x[0];
}

/* count (1 to 3) registers of a suspended vCPU from first, from value[]. */
static inline int64_t mv_vcpu_write(unsigned slot, unsigned first, unsigned count,
				    const uint64_t *value)
{
	uint64_t x[8] = { MV_HC_VCPU_REGS, slot, MV_VCPU_WRITE, first, count };

	for (unsigned i = 0; i < count && i < 3; i++)
		x[5 + i] = value[i];
	mv_hypercall(x);
	return (int64_t)x[0];
}

/* Take the next fault on slot: MV_OK, MV_ERR_EMPTY (with block: after
 * waiting for work, which may be for another slot), or an error for the
 * slot. */
int64_t mv_fault_recv(unsigned slot, struct mv_fault *f, bool block);

/* Answer vCPU vcpu's fault on slot with action (MV_FAULT_RESUME with the
 * value a read loads, MV_FAULT_ABORT, MV_FAULT_STOP, MV_FAULT_RESET). */
int64_t mv_fault_reply(unsigned slot, unsigned vcpu, unsigned action, uint64_t value);

/* Answer, then mv_fault_recv(slot, next, true), in one call.  An error of
 * the answer is returned without receiving. */
int64_t mv_fault_reply_recv(unsigned slot, unsigned vcpu, unsigned action, uint64_t value,
			    struct mv_fault *next);

/* Leave: the cell's VM stops (PSCI SYSTEM_OFF). */
__attribute__((noreturn)) void mv_exit(void);

/* One character of the cell's console output (its virtual PL011); a cell
 * may define its own. */
void mv_putc(char c);
void mv_puts(const char *s);
int mv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The guest-physical address of the cell's device tree, which the
 * microvisor generates (docs/system-description.md: /memory, /chosen with
 * bootargs and the initrd's place); x0 at entry. */
extern uint64_t mv_boot_dt;

/* The end of the cell's image (its .bss), from link.ld. */
extern char _end[];

/* Cells implement this. */
int main(void);

#endif
