// SPDX-License-Identifier: MIT
/*
 * Synchronous exits from guests, decoded by exception class (Arm ARM
 * DDI0487 D19.2.37, ESR_EL2): WFI, HVC/SMC (PSCI and hypercalls), trapped
 * system registers, and stage-2 data aborts (emulated devices, or an
 * external abort injected as a real machine would raise one).
 */
#include <arch/sysreg.h>
#include <mv/fault.h>
#include <mv/print.h>
#include <mv/vm_desc.h>
#include <mv/vmm.h>

#include "stage2.h"
#include "vcpu_internal.h"

#define EC_WFX		0x01
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYSREG	0x18
#define EC_IABT_LOW	0x20
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25

#define ISS_ISV		BIT(24)
#define ISS_SSE		BIT(21)
#define ISS_SF		BIT(15)
#define ISS_WNR		BIT(6)
#define FSC_SEA		0x10		/* synchronous external abort */

/* ICC_SGI1R_EL1: op0 3, op1 0, CRn 12, CRm 11, op2 5 (ISS encoding). */
#define SYSREG_ISS_MASK	0x3ffc1eUL
#define SYSREG_SGI1R	((3UL << 20) | (5UL << 17) | (12UL << 10) | (11UL << 1))	/* op1 = 0 */

static void skip_instruction(struct trap_frame *f)
{
	f->elr += (f->esr & ESR_IL) ? 4 : 2;
}

/* Where a synchronous exception taken to EL1 from f's state goes: the
 * offset of its vector from VBAR_EL1 (D1.10.2). */
static uint64_t sync_vector_offset(const struct trap_frame *f)
{
	uint64_t mode = f->spsr & 0xf;

	return (f->spsr & BIT(4)) ? 0x600 : mode == 0 ? 0x400 : mode == 5 ? 0x200 : 0x0;
}

/* The EL1 registers an exception entry reads and writes. */
struct el1_exception {
	uint64_t vbar, sctlr;			/* in */
	uint64_t elr, spsr;			/* out: what ELR/SPSR_EL1 get */
};

/* Take an exception to the guest's EL1 as the hardware would (D1.10). */
static void exception_entry(struct trap_frame *f, struct el1_exception *e)
{
	e->elr = f->elr;
	e->spsr = f->spsr;
	f->elr = e->vbar + sync_vector_offset(f);
	/* EL1h, DAIF masked; PAN set unless SCTLR_EL1.SPAN; SSBS from DSSBS. */
	f->spsr = 0x3c5 | (!(e->sctlr & BIT(23)) ? BIT(22) : 0) | ((e->sctlr & BIT(44)) ? BIT(12) : 0);
}

/* ... for the vCPU loaded on this CPU. */
static void inject_sync(struct trap_frame *f, uint64_t esr, uint64_t far)
{
	struct el1_exception e = { .vbar = read_sysreg(vbar_el1), .sctlr = read_sysreg(sctlr_el1) };

	exception_entry(f, &e);
	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	write_sysreg(e.elr, elr_el1);
	write_sysreg(e.spsr, spsr_el1);
}

static void inject_undef(struct trap_frame *f)
{
	/* EC 0 ("unknown reason"), 32-bit instruction. */
	inject_sync(f, ESR_IL, 0);
}

/* The syndrome of a synchronous external abort on f's access. */
static uint64_t abort_esr(const struct trap_frame *f, bool data)
{
	bool from_el0 = (f->spsr & 0xf) == 0;
	uint64_t ec = data ? (from_el0 ? EC_DABT_LOW : EC_DABT_CUR)
			   : (from_el0 ? EC_IABT_LOW : EC_IABT_LOW + 1);

	return (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SEA;
}

static void inject_abort(struct trap_frame *f, bool data)
{
	inject_sync(f, abort_esr(f, data), f->far);
}

static uint64_t fault_ipa(const struct trap_frame *f)
{
	return (read_sysreg(hpfar_el2) >> 4) << 12 | (f->far & 0xfff);
}

static void abort_outside(struct vcpu *v, struct trap_frame *f, uint64_t ipa, bool data)
{
	/* Fetching the very vector an abort would be taken to: the guest's
	 * exception vectors are not mapped, so no exception can be taken.
	 * ESR_EL1 and FAR_EL1 still hold what it could not take. */
	if (!data && f->elr == read_sysreg(vbar_el1) + sync_vector_offset(f)) {
		fault_crash(v, MV_CRASH_VECTOR, f->elr, read_sysreg(esr_el1), read_sysreg(far_el1));
		return;
	}
	if (vm_log_once(v->vm, VM_LOG_ABORT))
		printk("%s: vcpu%u: %s at unmapped guest address 0x%lx (PC 0x%lx): external abort injected\n",
		       v->vm->name, v->id, data ? ((f->esr & ISS_WNR) ? "write" : "read")
		       : "instruction fetch", ipa, f->elr);
	inject_abort(f, data);
}

/* An emulated access is done: a load writes its register (D19.2.37.x
 * ISS: SRT, SSE, SF), then the instruction is skipped. */
static inline __attribute__((always_inline)) void
complete_access(struct trap_frame *f, uint64_t esr, uint64_t val)
{
	uint64_t iss = esr & ESR_ISS_MASK;
	unsigned size = 1U << ((iss >> 22) & 3), rt = (iss >> 16) & 0x1f;

	if (!(iss & ISS_WNR) && rt != 31)
		f->x[rt] = fault_load_extend(val, size, iss & ISS_SSE, iss & ISS_SF);
	f->elr += (esr & ESR_IL) ? 4 : 2;
}

/* An access to guest-physical space the guest has no RAM at: a window
 * served by a cell, else an emulated device. */
static void data_abort(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = f->esr & ESR_ISS_MASK, ipa = fault_ipa(f), val = 0;
	unsigned size = 1U << ((iss >> 22) & 3), rt = (iss >> 16) & 0x1f;
	bool write = iss & ISS_WNR;

	if (!(iss & ISS_ISV) || ipa >= v->vm->desc->mem_base) {
		/* No syndrome to emulate with, or RAM the guest has not got. */
		abort_outside(v, f, ipa, true);
		return;
	}
	if (write)
		val = rt == 31 ? 0 : f->x[rt];
	switch (fault_window_access(v, ipa, size, write, val, f->esr, f->far, f->elr)) {
	case FAULT_FORWARDED:
		return;		/* resumed with the server's answer */
	case FAULT_REFUSED:
		inject_abort(f, true);
		return;
	case FAULT_NO_WINDOW:
		break;
	}
	if (!vm_mmio(v, ipa, size, write, &val)) {
		abort_outside(v, f, ipa, true);
		return;
	}
	complete_access(f, f->esr, val);
}

#define ID_CASE(crm, op2)						\
	case (crm) << 3 | (op2):					\
		return read_sysreg(s3_0_c0_c##crm##_##op2)
#define ID_ROW(crm)							\
	ID_CASE(crm, 0); ID_CASE(crm, 1); ID_CASE(crm, 2); ID_CASE(crm, 3);	\
	ID_CASE(crm, 4); ID_CASE(crm, 5); ID_CASE(crm, 6); ID_CASE(crm, 7)

static uint64_t id_reg_raw(unsigned crm, unsigned op2)
{
	switch (crm << 3 | op2) {
	ID_ROW(1); ID_ROW(2); ID_ROW(3); ID_ROW(4); ID_ROW(5); ID_ROW(6); ID_ROW(7);
	default:
		return 0;
	}
}

/*
 * HCR_EL2.TID3 traps the ID register space (op0 3, op1 0, CRn 0, CRm 1-7):
 * guests see the CPU as it is, less what the vCPU switch does not save:
 * SVE and SME state (wider than q0-q31), MTE tags, AMU, MPAM, the pointer
 * authentication keys, the PMU, LORegions, and WFIT/WFET.
 */
static uint64_t id_reg(unsigned crm, unsigned op2)
{
	uint64_t v = id_reg_raw(crm, op2);

	if (crm == 4 && op2 == 0)	/* ID_AA64PFR0_EL1: SVE, MPAM, AMU */
		v &= ~(0xfUL << 32 | 0xfUL << 40 | 0xfUL << 44);
	else if (crm == 4 && op2 == 1)	/* ID_AA64PFR1_EL1: MTE, SME, MPAM_frac */
		v &= ~(0xfUL << 8 | 0xfUL << 24 | 0xfUL << 16);
	else if (crm == 4 && (op2 == 4 || op2 == 5))	/* ID_AA64ZFR0, SMFR0 */
		v = 0;
	else if (crm == 6 && op2 == 1)	/* ID_AA64ISAR1_EL1: APA, API, GPA, GPI */
		v &= ~(0xfUL << 4 | 0xfUL << 8 | 0xfUL << 24 | 0xfUL << 28);
	else if (crm == 6 && op2 == 2)	/* ID_AA64ISAR2_EL1: WFxT, GPA3, APA3 */
		v &= ~(0xfUL << 0 | 0xfUL << 8 | 0xfUL << 12);
	else if (crm == 5 && op2 == 0)	/* ID_AA64DFR0_EL1: PMUVer, PMSVer, TraceBuffer */
		v &= ~(0xfUL << 8 | 0xfUL << 32 | 0xfUL << 44);
	else if (crm == 7 && op2 == 1)	/* ID_AA64MMFR1_EL1: LO */
		v &= ~(0xfUL << 16);
	return v;
}

/* The encoding of op0, op1, CRn, CRm, op2 in a system register trap's ISS. */
#define SYSREG_ENC(op0, op1, crn, crm, op2) \
	((uint64_t)(op0) << 20 | (uint64_t)(op2) << 17 | (uint64_t)(op1) << 14 | \
	 (uint64_t)(crn) << 10 | (uint64_t)(crm) << 1)

/* A write HCR_EL2.TVM trapped (vcpu.c, "MMU registers, lazily"): done here
 * on the loaded registers.  The first write of an MMU register claims them
 * for the vCPU; the fault registers' writes are trapped alongside. */
static bool tvm_write(struct vcpu *v, uint64_t enc, uint64_t val)
{
	switch (enc) {
	case SYSREG_ENC(3, 0, 5, 1, 0): write_sysreg(val, afsr0_el1); return true;
	case SYSREG_ENC(3, 0, 5, 1, 1): write_sysreg(val, afsr1_el1); return true;
	case SYSREG_ENC(3, 0, 5, 2, 0): write_sysreg(val, esr_el1); return true;
	case SYSREG_ENC(3, 0, 6, 0, 0): write_sysreg(val, far_el1); return true;
	case SYSREG_ENC(3, 0, 1, 0, 0): write_sysreg(val, sctlr_el1); break;
	case SYSREG_ENC(3, 0, 2, 0, 0): write_sysreg(val, ttbr0_el1); break;
	case SYSREG_ENC(3, 0, 2, 0, 1): write_sysreg(val, ttbr1_el1); break;
	case SYSREG_ENC(3, 0, 2, 0, 2): write_sysreg(val, tcr_el1); break;
	case SYSREG_ENC(3, 0, 10, 2, 0): write_sysreg(val, mair_el1); break;
	case SYSREG_ENC(3, 0, 10, 3, 0): write_sysreg(val, amair_el1); break;
	case SYSREG_ENC(3, 0, 13, 0, 1): write_sysreg(val, contextidr_el1); break;
	default:
		return false;
	}
	vcpu_el1_mmu_claim(v);
	return true;
}

static void sysreg_trap(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = f->esr & ESR_ISS_MASK;
	unsigned rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
	unsigned op0 = (iss >> 20) & 3, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
	unsigned crm = (iss >> 1) & 0xf, op2 = (iss >> 17) & 7;

	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7 && read) {
		if (rt != 31)
			f->x[rt] = id_reg(crm, op2);
		skip_instruction(f);
		return;
	}

	/* Debug (op0 2, trapped by MDCR_EL2.TDA/TDOSA/TDRA) and PMU registers
	 * (CRn 9 CRm 12-14; PMEVCNTR/PMEVTYPER: op1 3 CRn 14 CRm 8-15): the
	 * hardware is shared, so a vCPU gets read-as-zero, writes ignored. */
	if (op0 == 2 || (op0 == 3 && crn == 9 && crm >= 12 && crm <= 14) ||
	    (op0 == 3 && op1 == 3 && crn == 14 && crm >= 8)) {
		if (read && rt != 31)
			f->x[rt] = 0;
		skip_instruction(f);
		return;
	}
	if (!read && tvm_write(v, iss & SYSREG_ISS_MASK, rt == 31 ? 0 : f->x[rt])) {
		skip_instruction(f);
		return;
	}
	if ((iss & SYSREG_ISS_MASK) == SYSREG_SGI1R && !read && !v->vm->cell) {
		struct vm *vm = v->vm;

		spin_lock(&vm->lock);
		vm_kick_mask(vm, vgic_sgi1r(&vm->vgic, v->id, rt == 31 ? 0 : f->x[rt]));
		spin_unlock(&vm->lock);
		skip_instruction(f);
		return;
	}
	if (vm_log_once(v->vm, VM_LOG_UNKNOWN_TRAP))
		printk("%s: vcpu%u: trapped system register access (ISS 0x%lx) at PC 0x%lx: undefined instruction injected\n",
		       v->vm->name, v->id, iss, f->elr);
	inject_undef(f);
}

/*
 * A data abort's fastpaths, taken before the list registers are given
 * back.  A guest prints by polling its UART's flags and writing its data
 * register, two exits per character, and the UART's server (the console
 * cell) publishes the one and lets the other be posted (mv/window.h), so
 * these must not pay for a scheduling pass: the access is completed and
 * the guest resumed at once (a preemption or an interrupt from elsewhere
 * arrives as a physical IRQ as soon as the guest runs), or, when it woke
 * the server, the exit ends with vcpu_schedule, which may prefer the
 * server.  Any other access to a window whose server waits on this CPU is
 * handed to it directly (vcpu_window_fastpath).  Returns the save area to
 * resume, or NULL for the general path (guest_sync; nothing done yet).
 */
struct trap_frame *guest_dabt_fastpath(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = f->esr & ESR_ISS_MASK, ipa = fault_ipa(f), value, val;
	unsigned rt = (iss >> 16) & 0x1f, size = 1U << ((iss >> 22) & 3);
	bool write = iss & ISS_WNR;
	struct fault_port *port;

	if (!(iss & ISS_ISV) || ipa >= v->vm->desc->mem_base)
		return NULL;
	value = write && rt != 31 ? f->x[rt] : 0;
	val = value;
	switch (fault_window_fast(v, ipa, size, write, &val, &port)) {
	case WINDOW_DONE:
	case WINDOW_DONE_LOWER:	/* never: fault_window_fast lowers the line */
		complete_access(f, f->esr, val);
		return f;
	case WINDOW_DONE_WAKE:
		complete_access(f, f->esr, val);
		return vcpu_schedule();
	case WINDOW_SLOW:
		break;
	}
	if (!port)
		return NULL;
	return vcpu_window_fastpath(v, port, ipa,
				    (write ? MV_FAULT_WRITE : MV_FAULT_READ) | (uint64_t)size << 8, value);
}

void guest_sync(struct vcpu *v, struct trap_frame *f)
{
	unsigned ec = (f->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	switch (ec) {
	case EC_WFX:
		if ((f->esr & 3) == 0) {	/* WFI; WFE and WFIT/WFET never block */
			vgic_sync(v);		/* what the guest has not taken yet */
			vcpu_wfi(v);
		}
		skip_instruction(f);
		break;
	case EC_SMC64:
		/* The same services as HVC; ELR points at the SMC itself. */
		skip_instruction(f);
		psci_guest_call(v, f);
		break;
	case EC_HVC64:
		psci_guest_call(v, f);
		break;
	case EC_SYSREG:
		sysreg_trap(v, f);
		break;
	case EC_DABT_LOW:
		vgic_sync(v);	/* the distributor's state as the guest sees it */
		data_abort(v, f);
		break;
	case EC_IABT_LOW:
		abort_outside(v, f, fault_ipa(f), false);
		break;
	default:
		if (vm_log_once(v->vm, VM_LOG_UNKNOWN_TRAP))
			printk("%s: vcpu%u: unexpected exit (EC 0x%02x, ESR 0x%lx) at PC 0x%lx: undefined instruction injected\n",
			       v->vm->name, v->id, ec, f->esr, f->elr);
		inject_undef(f);
		break;
	}
}

void guest_serror(struct vcpu *v, struct trap_frame *f)
{
	fault_crash(v, MV_CRASH_SERROR, f->elr, f->esr, 0);
}

/* --- vCPUs waiting for a cell's answer (mv/fault.h); not loaded --- */

void arch_vcpu_finish_access(struct vcpu *v, uint64_t syndrome, uint64_t value)
{
	complete_access(&v->arch.regs, syndrome, value);
}

void arch_vcpu_abort_access(struct vcpu *v, uint64_t va)
{
	struct trap_frame *f = &v->arch.regs;
	uint64_t *sys = v->arch.sys;
	struct el1_exception e = { .vbar = sys[SYS_VBAR_EL1], .sctlr = sys[SYS_SCTLR_EL1] };

	sys[SYS_ESR_EL1] = abort_esr(f, true);
	sys[SYS_FAR_EL1] = va;
	exception_entry(f, &e);
	sys[SYS_ELR_EL1] = e.elr;
	sys[SYS_SPSR_EL1] = e.spsr;
}

uint64_t *arch_vcpu_saved_args(struct vcpu *v)
{
	return v->arch.regs.x;
}
