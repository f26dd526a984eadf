/* SPDX-License-Identifier: MIT */
/*
 * The microvisor's guest-visible ABI: hypercall function IDs, error codes
 * and capability rights.  One header for the kernel and for everything in
 * guests/ (docs/abi.md explains each call).
 *
 * Hypercalls are SMCCC (Arm DEN0028) fast calls in the vendor-specific
 * hypervisor service range, made with HVC #0: function ID in x0, arguments
 * in x1-x7, results in x0-x7.  x8-x30 and SP are preserved.
 */
#ifndef ABI_MICROVISOR_H
#define ABI_MICROVISOR_H

#include <stdint.h>

/* SMCCC: fast call, 64-bit, owning entity 6 (vendor hypervisor service). */
#define MV_HC_BASE		0xc6000000UL
#define MV_HC_NULL		(MV_HC_BASE + 0)	/* -> x0 = MV_OK */
#define MV_HC_CHANNEL_SEND	(MV_HC_BASE + 1)	/* x1 slot, x2 signals, x3 words, x4-x7 payload */
#define MV_HC_CHANNEL_RECV	(MV_HC_BASE + 2)	/* x1 slot, x2 flags -> x1 badge, x2 signals, x3 words, x4-x7 */
#define MV_HC_WAIT		(MV_HC_BASE + 3)	/* block until a channel of the caller has work */
#define MV_HC_FAULT_RECV	(MV_HC_BASE + 4)	/* x1 slot, x2 flags -> x1 badge, x2 vCPU, x3 info, x4-x6 */
#define MV_HC_FAULT_REPLY	(MV_HC_BASE + 5)	/* x1 slot, x2 vCPU, x3 action|flags, x4 value */
/* Devices and interrupts (0x10 up): */
#define MV_HC_IRQ_ACK		(MV_HC_BASE + 0x10)	/* x1 slot -> MV_OK (it had fired; re-armed) or MV_ERR_EMPTY */
#define MV_HC_VIRQ_RAISE	(MV_HC_BASE + 0x11)	/* x1 slot: raise the capability's interrupt in its VM */
/* The console cell (0x12 up; docs/abi.md, "Console"): */
#define MV_HC_CONSOLE_ATTACH	(MV_HC_BASE + 0x12)	/* x1 slot, x2 ring address, x3 ring size */
#define MV_HC_CONSOLE_DOMAIN	(MV_HC_BASE + 0x13)	/* x1 slot, x2 domain -> x1 flags, x2-x5 name */
#define MV_HC_CONSOLE_INPUT	(MV_HC_BASE + 0x14)	/* retired (phase 1): MV_ERR_NOT_SUPPORTED; the console cell has the UART models */
/* Spaces and vCPUs of other domains (0x15 up; docs/abi.md, "Spaces and vCPUs"): */
#define MV_HC_SPACE_INFO	(MV_HC_BASE + 0x15)	/* x1 slot -> x1 base, x2 size, x3 address here, x4 flags, x5 restarts */
#define MV_HC_VCPU_CONTROL	(MV_HC_BASE + 0x16)	/* x1 slot, x2 MV_VCPU_STATUS/SUSPEND/RESUME -> x1 status */
#define MV_HC_VCPU_REGS		(MV_HC_BASE + 0x17)	/* x1 slot, x2 MV_VCPU_READ/WRITE, x3 first, x4 count, x5-x7 values */
/* Windows with posted writes and published reads (0x18 up; docs/abi.md,
 * "Fast windows"): */
#define MV_HC_WINDOW_ATTACH	(MV_HC_BASE + 0x18)	/* x1 slot (a window's fault capability), x2 page address, x3 size */
#define MV_HC_WINDOW_IRQ	(MV_HC_BASE + 0x19)	/* x1 slot, x2 level (0, 1; or MV_WINDOW_LINE_FOLLOW, x3 set, x4 clear) of the window's interrupt */
#define MV_HC_CHANNEL_SEND_RECV	(MV_HC_BASE + 6)	/* x1 MV_SLOTS(send, recv), x2-x7 as SEND -> as RECV */
#define MV_HC_LAST		MV_HC_CHANNEL_SEND_RECV	/* of the 0x0 range */

/* MV_HC_CHANNEL_RECV flags (x2). */
#define MV_RECV_BLOCK		0x1	/* nothing there: block until a send arrives */

/* MV_HC_CHANNEL_SEND_RECV's x1: the slot to send on and the slot to
 * receive on (blocking), 16 bits each. */
#define MV_SLOTS(send, recv)	((uint64_t)(send) | (uint64_t)(recv) << 16)

/* Results in x0.  Negative: an error, distinct per cause. */
#define MV_OK			0
#define MV_ERR_NOT_SUPPORTED	(-1)	/* unknown function (SMCCC) */
#define MV_ERR_INVAL		(-2)	/* malformed argument */
#define MV_ERR_SLOT		(-3)	/* no capability in that slot */
#define MV_ERR_TYPE		(-4)	/* the capability names another kind of object */
#define MV_ERR_RIGHTS		(-5)	/* the capability lacks the right */
#define MV_ERR_FULL		(-6)	/* the channel's queue is full: nothing was sent */
#define MV_ERR_EMPTY		(-7)	/* nothing to receive */
#define MV_ERR_NOT_WAITING	(-8)	/* that vCPU awaits no answer on this capability */
#define MV_ERR_STOPPED		(-9)	/* the domain has stopped */
#define MV_ERR_RUNNING		(-10)	/* the vCPU is not suspended (or not yet off its CPU) */

/* Capability rights. */
#define MV_RIGHT_SEND		0x1
#define MV_RIGHT_RECV		0x2
#define MV_RIGHT_ACK		0x4	/* irq: take and re-arm the interrupt */
#define MV_RIGHT_RAISE		0x8	/* virq: raise it */
#define MV_RIGHT_READ		0x10	/* region: mapped readable */
#define MV_RIGHT_WRITE		0x20	/* region: mapped writable */
#define MV_RIGHT_CONSOLE	0x40	/* console: attach, route input */
#define MV_RIGHT_CONTROL	0x80	/* vcpu: suspend, resume, write registers */

/* MV_HC_SPACE_INFO's x4. */
#define MV_SPACE_WRITABLE	0x1	/* mapped read-write here (else read-only) */
#define MV_SPACE_STOPPED	0x2	/* the domain has stopped (its memory stays mapped) */

/* MV_HC_VCPU_CONTROL's operations (x2) and the status it returns (x1). */
#define MV_VCPU_STATUS		0	/* change nothing (right MV_RIGHT_READ) */
#define MV_VCPU_SUSPEND		1	/* stop running it: off its CPU on return (MV_RIGHT_CONTROL) */
#define MV_VCPU_RESUME		2	/* let it run again (MV_RIGHT_CONTROL) */
#define MV_VCPU_SUSPENDED	0x1	/* suspended by a vcpu capability */
#define MV_VCPU_ON		0x2	/* powered on (PSCI), not waiting for CPU_ON */
#define MV_VCPU_BLOCKED		0x4	/* waiting (WFI, MV_HC_WAIT, a blocking receive) */
#define MV_VCPU_FAULTED		0x8	/* waiting for the answer to a fault message */

/* MV_HC_VCPU_REGS's operations (x2) and register numbers (x3 up).  0-34
 * can be written (PSTATE: only NZCV, DAIF and an EL0t, EL1t or EL1h mode),
 * the rest only read. */
#define MV_VCPU_READ		0	/* x4 = 1 to 7 registers into x1-x7 */
#define MV_VCPU_WRITE		1	/* x4 = 1 to 3 registers from x5-x7 */
#define MV_VCPU_REG_X(n)	(n)	/* x0-x30 */
#define MV_VCPU_REG_SP_EL0	31
#define MV_VCPU_REG_SP_EL1	32
#define MV_VCPU_REG_PC		33
#define MV_VCPU_REG_PSTATE	34	/* SPSR format */
#define MV_VCPU_REG_ESR_EL1	35	/* the last exception the guest took */
#define MV_VCPU_REG_FAR_EL1	36
#define MV_VCPU_REG_ELR_EL1	37
#define MV_VCPU_REG_SPSR_EL1	38
#define MV_VCPU_REG_VBAR_EL1	39
#define MV_VCPU_REG_SCTLR_EL1	40
#define MV_VCPU_REG_TTBR0_EL1	41
#define MV_VCPU_REG_TTBR1_EL1	42
#define MV_VCPU_REG_TCR_EL1	43
#define MV_VCPU_NREGS		44
#define MV_VCPU_NWRITABLE	35	/* registers 0 to 34 */

/*
 * The console ring (MV_HC_CONSOLE_ATTACH): in the console cell's own
 * memory, 8-byte aligned, MV_CONSOLE_RING_MIN to MV_CONSOLE_RING_MAX bytes
 * in all.  The microvisor appends records at head and the cell consumes
 * them up to tail; both are offsets in data[] (empty when equal; the
 * microvisor leaves one byte free).  A record is one byte of domain (0:
 * the microvisor's own lines are the only ones since the domains' UARTs
 * are the cell's windows), one byte of length n (1 to 255), then n bytes
 * of output; records wrap around the end of data[].  A line that does not
 * fit goes to the UART directly instead; dropped stays 0.
 */
struct mv_console_ring {
	uint32_t head;		/* written by the microvisor */
	uint32_t tail;		/* written by the cell */
	uint32_t dropped;	/* written by the microvisor: 0 (records it dropped, once) */
	uint32_t size;		/* bytes of data[], written at attach */
	uint8_t data[];
};
#define MV_CONSOLE_RING_MIN	0x1000
#define MV_CONSOLE_RING_MAX	0x100000
/* MV_HC_CONSOLE_DOMAIN's x1. */
#define MV_CONSOLE_DOMAIN_VM		0x1	/* a VM (it takes input), not a cell */
#define MV_CONSOLE_DOMAIN_RUNNING	0x2	/* not stopped */

/*
 * Faults as messages (docs/abi.md, "Faults").  A fault message, as
 * MV_HC_FAULT_RECV returns it: x1 badge, x2 vCPU index, x3 info, x4-x6
 * below.  info bits 7:0 are the kind, 15:8 the access size in bytes
 * (accesses), 23:16 the reason (crashes).
 */
#define MV_FAULT_READ		1	/* x4 offset in the window, x6 guest-physical address */
#define MV_FAULT_WRITE		2	/* x4 offset, x5 value written, x6 guest-physical address */
#define MV_FAULT_CRASH		3	/* x4 PC, x5 syndrome (ESR), x6 fault address (FAR) */
#define MV_FAULT_KIND(info)	((info) & 0xff)
#define MV_FAULT_SIZE(info)	(((info) >> 8) & 0xff)
#define MV_FAULT_REASON(info)	(((info) >> 16) & 0xff)

/* Crash reasons (MV_FAULT_CRASH). */
#define MV_CRASH_VECTOR		1	/* an exception's vector is not mapped: it cannot be taken */
#define MV_CRASH_SERROR		2	/* an SError interrupt */
#define MV_CRASH_SERVER		3	/* the server of a window it accessed has stopped */

/* MV_HC_FAULT_RECV flags (x2). */
#define MV_FAULT_RECV_BLOCK	0x1	/* nothing pending: block until work arrives */

/* MV_HC_FAULT_REPLY actions (x3 bits 7:0) and flags. */
#define MV_FAULT_RESUME		0	/* complete the access (reads load x4) and resume */
#define MV_FAULT_ABORT		1	/* resume with an external abort on the access */
#define MV_FAULT_STOP		2	/* stop the VM */
#define MV_FAULT_RESET		3	/* restart the VM from its images */
#define MV_FAULT_ACTION_MASK	0xff
#define MV_FAULT_THEN_RECV	0x100	/* then receive as MV_HC_FAULT_RECV with MV_FAULT_RECV_BLOCK */

/*
 * A fast window (MV_HC_WINDOW_ATTACH): a page the server owns, in its own
 * memory, through which the microvisor completes some accesses to the
 * window without waiting for the server.
 *
 * Reads: a read (1, 2 or 4 bytes) of the 32-bit word w of the window's
 * first MV_WINDOW_WORDS words whose bit is set in published[] loads
 * answer[w] at once; if its bit in ordered[] is set too, only while no
 * posted write of the window waits in the ring (else it goes to the server
 * as a fault).  The server must never publish an answer that a write it
 * posts can change, unless it marks it ordered.
 *
 * Writes: a write (1, 2 or 4 bytes) at the offset of one of the first
 * nrules rules, whose value v has (v & post_mask) == post_value, is posted:
 * appended to ring[] and completed at once.  The server is woken when
 * (v & wake_mask) == wake_value, when wake_count writes were queued since
 * it was last woken, and when a vCPU of the client stops running (it
 * blocks or waits, or the client stops) with writes queued; then idle is
 * bumped.  A write that does not fit (the ring full) waits as a fault.
 * The server takes the ring before any fault of the window (that order is
 * the guest's), and stores tail (free-running, like head) as it goes.
 *
 * A rule with MV_WINDOW_CLEAR makes its writes write-one-to-clear bits of
 * the published word answer[line_word], done at once and not queued; when
 * none is left the window's interrupt line is lowered.  The server sets
 * and clears bits there with MV_HC_WINDOW_IRQ, level MV_WINDOW_LINE_FOLLOW
 * (x3 the bits to set, x4 then the bits to clear), which makes the line
 * follow the word: high while it is nonzero.
 */
#define MV_WINDOW_WORDS		1024	/* the first 4 KiB of a window */
#define MV_WINDOW_RULES		8
#define MV_WINDOW_RING		256	/* entries; a power of two */

struct mv_window_rule {
	uint32_t offset;		/* word aligned, below MV_WINDOW_WORDS * 4 */
	uint32_t post_mask, post_value;	/* posted when (v & post_mask) == post_value */
	uint32_t wake_mask, wake_value;	/* the server woken at once when (v & wake_mask) == wake_value */
	uint32_t flags;			/* MV_WINDOW_CLEAR */
};
#define MV_WINDOW_CLEAR		0x1	/* the write clears its bits in answer[line_word], unqueued */
#define MV_WINDOW_LINE_FOLLOW	2	/* MV_HC_WINDOW_IRQ level: change answer[line_word], high while != 0 */

/* A ring entry: a posted write, or (kind MV_WINDOW_RESET) the client restarted. */
struct mv_window_write {
	uint32_t offset;
	uint16_t vcpu;
	uint8_t size;			/* 1, 2 or 4 */
	uint8_t kind;			/* MV_WINDOW_WRITE, MV_WINDOW_RESET */
	uint64_t value;
};
#define MV_WINDOW_WRITE		0
#define MV_WINDOW_RESET		1	/* the client was reset: its device starts afresh */

struct mv_window_page {
	uint32_t head;			/* microvisor: entries written (free-running) */
	uint32_t idle;			/* microvisor: bumped at a wake-up because a client vCPU stopped running */
	uint32_t tail;			/* server: entries taken (free-running) */
	uint32_t wake_count;		/* server: wake after this many queued writes (0: not for that) */
	uint32_t nrules;		/* server: rules in use (at most MV_WINDOW_RULES) */
	uint32_t line_word;		/* server: the word the interrupt line follows, below MV_WINDOW_WORDS */
	uint32_t reserved[2];
	struct mv_window_rule rule[MV_WINDOW_RULES];
	uint32_t published[MV_WINDOW_WORDS / 32];
	uint32_t ordered[MV_WINDOW_WORDS / 32];
	uint32_t answer[MV_WINDOW_WORDS];
	struct mv_window_write ring[MV_WINDOW_RING];
};

/* The console cell's slots 4-7: the fault capabilities of domains 0-3's
 * UART windows (badge = the domain's index; none for the cell itself). */
#define MV_CONSOLE_UART_SLOT(dom)	(4u + (dom))

#define MV_CHANNEL_WORDS	4	/* payload words per message */
#define MV_CSPACE_SLOTS		16	/* slots 0..15 in every domain */

#endif
