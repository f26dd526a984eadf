// SPDX-License-Identifier: MIT
/*
 * EL2 exception handling.  Until domains exist, every exception taken at
 * EL2 is a kernel bug: print a crash report that decodes ESR_EL2 (Arm ARM
 * DDI0487 D19.2.37 and the ISS encodings of D19.2.37.x) and power off.
 */
#include <stddef.h>

#include <arch/frame.h>
#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/console.h>
#include <abi/microvisor.h>
#include <mv/hypercall.h>
#include <mv/percpu.h>
#include <mv/print.h>

#include "vcpu_internal.h"

static_assert(offsetof(struct trap_frame, sp) == FRAME_SP, "vectors.S FRAME_SP");
static_assert(offsetof(struct trap_frame, elr) == FRAME_ELR, "vectors.S FRAME_ELR");
static_assert(offsetof(struct trap_frame, spsr) == FRAME_SPSR, "vectors.S FRAME_SPSR");
static_assert(offsetof(struct trap_frame, esr) == FRAME_ESR, "vectors.S FRAME_ESR");
static_assert(offsetof(struct trap_frame, far) == FRAME_FAR, "vectors.S FRAME_FAR");
static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "vectors.S FRAME_SIZE");
static_assert(FRAME_SIZE % 16 == 0, "the stack stays 16-byte aligned");

static const char *const vector_names[16] = {
	"synchronous exception (current EL, SP_EL0)", "IRQ (current EL, SP_EL0)",
	"FIQ (current EL, SP_EL0)", "SError (current EL, SP_EL0)",
	"synchronous exception (current EL)", "IRQ (current EL)",
	"FIQ (current EL)", "SError (current EL)",
	"synchronous exception (lower EL, AArch64)", "IRQ (lower EL, AArch64)",
	"FIQ (lower EL, AArch64)", "SError (lower EL, AArch64)",
	"synchronous exception (lower EL, AArch32)", "IRQ (lower EL, AArch32)",
	"FIQ (lower EL, AArch32)", "SError (lower EL, AArch32)",
};

/* Exception classes, ESR_ELx.EC (D19.2.37 Table D19-14). */
static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "Unknown reason";
	case 0x01: return "Trapped WFI/WFE";
	case 0x07: return "Access to SVE, Advanced SIMD or FP trapped";
	case 0x0e: return "Illegal Execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "Trapped MSR, MRS or system instruction";
	case 0x19: return "Access to SVE trapped";
	case 0x20: return "Instruction Abort from a lower EL";
	case 0x21: return "Instruction Abort without a change in EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "Data Abort from a lower EL";
	case 0x25: return "Data Abort without a change in EL";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError interrupt";
	case 0x30: return "Breakpoint from a lower EL";
	case 0x31: return "Breakpoint without a change in EL";
	case 0x32: return "Software Step from a lower EL";
	case 0x33: return "Software Step without a change in EL";
	case 0x34: return "Watchpoint from a lower EL";
	case 0x35: return "Watchpoint without a change in EL";
	case 0x3c: return "BRK instruction";
	default:   return "reserved or unhandled class";
	}
}

/* Data/Instruction Fault Status Code (ISS bits 5:0). */
static const char *fsc_name(unsigned fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default:   return "other fault";
	}
}

static void report_iss(unsigned ec, uint64_t iss)
{
	bool data = ec == 0x24 || ec == 0x25;

	if (data || ec == 0x20 || ec == 0x21) {
		unsigned fsc = iss & 0x3f;

		if (fsc < 0x10)
			printk("crash:   %s, level %u%s%s\n", fsc_name(fsc), fsc & 3,
			       data ? ((iss & BIT(6)) ? ", write" : ", read") : "",
			       (iss & BIT(10)) ? ", FAR not valid" : "");
		else
			printk("crash:   %s (FSC 0x%02x)%s\n", fsc_name(fsc), fsc,
			       data ? ((iss & BIT(6)) ? ", write" : ", read") : "");
	} else if (ec == 0x3c) {
		printk("crash:   BRK #0x%lx\n", iss & 0xffff);
	}
}

static void crash_report(const struct trap_frame *f, unsigned index)
{
	unsigned ec = (f->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	printk("PANIC: cpu%u: EL2 %s: %s (EC 0x%02x)\n", arch_cpu_id(),
	       vector_names[index & 15], ec_name(ec), ec);
	printk("crash: ESR_EL2 0x%016lx (EC 0x%02x, IL %u, ISS 0x%07lx)\n",
	       f->esr, ec, (f->esr & ESR_IL) ? 1 : 0, f->esr & ESR_ISS_MASK);
	report_iss(ec, f->esr & ESR_ISS_MASK);
	printk("crash: FAR_EL2 0x%016lx  ELR_EL2 0x%016lx  SPSR_EL2 0x%016lx\n",
	       f->far, f->elr, f->spsr);
	for (int i = 0; i < 30; i += 3)
		printk("crash: x%-2d 0x%016lx  x%-2d 0x%016lx  x%-2d 0x%016lx\n",
		       i, f->x[i], i + 1, f->x[i + 1], i + 2, f->x[i + 2]);
	printk("crash: x30 0x%016lx  sp  0x%016lx\n", f->x[30], f->sp);
}

#define VECTOR_CUR_IRQ		5
#define VECTOR_LOW_SYNC		8
#define VECTOR_LOW_IRQ		9
#define VECTOR_LOW_FIQ		10
#define VECTOR_LOW_SERROR	11

struct trap_frame *guest_trap(struct trap_frame *f, unsigned index);
void trap_el2(struct trap_frame *f, unsigned index);

/*
 * An exit from the guest running on this CPU: f is its own save area.
 * Returns the save area of the vCPU to resume (another one's after a
 * switch).
 */
struct trap_frame *guest_trap(struct trap_frame *f, unsigned index)
{
	/* The save area is the current vCPU's own (vectors.S). */
	struct vcpu *v = (struct vcpu *)((char *)f - offsetof(struct vcpu, arch.regs));

	if (index == VECTOR_LOW_SYNC) {
		unsigned ec = (f->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

		/* A hypercall that changes no scheduling or interrupt state
		 * returns straight to the caller (HVC's ELR is already past it). */
		if (ec == ESR_EC_HVC64 && f->x[0] == MV_HC_NULL) {
			f->x[0] = MV_OK;
			return f;
		}
		/* Its first FP/SIMD instruction since it came in (and the
		 * registers hold another's): load its own and retry it. */
		if (ec == ESR_EC_FP) {
			fpsimd_trap(v);
			return f;
		}
		/* The calls that block a vCPU to wake another: no trap
		 * decoding, and the switch without the general pass. */
		if (ec == ESR_EC_HVC64 && f->x[0] == MV_HC_CHANNEL_SEND_RECV) {
			struct trap_frame *next = vcpu_send_recv_fastpath(v);

			if (next)
				return next;
		}
		if (ec == ESR_EC_HVC64 && f->x[0] == MV_HC_FAULT_REPLY) {
			struct trap_frame *next = vcpu_fault_reply_fastpath(v);

			if (next)
				return next;
		}
		if (ec == ESR_EC_HVC64 &&
		    (f->x[0] == MV_HC_CHANNEL_SEND_RECV ||
		     (f->x[0] == MV_HC_CHANNEL_RECV && f->x[2] == MV_RECV_BLOCK) ||
		     f->x[0] == MV_HC_FAULT_REPLY)) {
			hypercall(v, f->x);
			return vcpu_schedule_after_block();
		}
		if (ec == ESR_EC_DABT_LOW) {
			struct trap_frame *next = guest_dabt_fastpath(v, f);

			if (next)
				return next;
		}
	}
	switch (index) {
	case VECTOR_LOW_SYNC:
		guest_sync(v, f);
		/* It blocked (a fault forwarded to a server, a WFI): the
		 * switch without the general pass, if something is queued. */
		if (__atomic_load_n(&v->state, __ATOMIC_RELAXED) != VCPU_RUNNABLE)
			return vcpu_schedule_after_block();
		break;
	case VECTOR_LOW_IRQ:
	case VECTOR_LOW_FIQ:
		irq_handle();
		break;
	default:	/* VECTOR_LOW_SERROR */
		guest_serror(v, f);
		break;
	}
	return vcpu_schedule();
}

/* Every other exception: an interrupt while idle, or a kernel crash. */
void trap_el2(struct trap_frame *f, unsigned index)
{
	if (index == VECTOR_CUR_IRQ) {
		/* Only taken while idle in vcpu_schedule, which decides next. */
		irq_handle();
		return;
	}
	console_detach(NULL);	/* the polled UART from here on */
	crash_report(f, index);
	printk("microvisor: halted by a kernel crash, powering off\n");
	arch_system_off();
}

void arch_selftest_crash(void)
{
	/* An address no bank or device is mapped at: the last page of the
	 * 48-bit space.  The load must not be optimised away. */
	volatile uint64_t *bad = (volatile uint64_t *)0xfffffffff000UL;

	(void)*bad;
}
