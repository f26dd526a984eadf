// SPDX-License-Identifier: MIT
/*
 * vCPUs on AArch64: reset state, the context switch (EL1 system registers,
 * virtual timer, virtual CPU interface; FP/SIMD lazily, in fpsimd.c), the
 * list-register side of the vGIC, and the scheduling loop every exit goes
 * through.
 *
 * A vCPU's general registers are saved in vcpu->arch.regs when it exits
 * (vectors.S) and loaded from there when it is resumed: a switch only
 * resumes another vCPU's.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/fault.h>
#include <mv/hypercall.h>
#include <mv/percpu.h>
#include <mv/print.h>
#include <mv/sched.h>
#include <mv/vmm.h>

#include "gic.h"
#include "stage2.h"
#include "vcpu_internal.h"

#define SPSR_EL1H_MASKED	0x3c5UL
#define SCTLR_EL1_RES1		0x30d00800UL
#define CNTV_CTL_ENABLE		BIT(0)
#define CNTV_CTL_IMASK		BIT(1)
#define CNTV_CTL_ISTATUS	BIT(2)
#define CNTHCTL_EL1PCTEN	BIT(0)
#define VTIMER_PPI		27

/* HCR_EL2 for guests (D19.2.48): stage 2 on, physical IRQ/FIQ/SError to
 * EL2, SMC and WFI trapped, ID registers trapped, EL1 is AArch64, broadcast
 * of TLB and barrier operations to the inner shareable domain; ACTLR_EL1,
 * the LORegion and IMPLEMENTATION DEFINED registers trapped (shared state
 * no vCPU may touch). */
#define HCR_TVM		BIT(26)	/* EL1 writes of the MMU registers trapped */
#define HCR_GUEST	(BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) | BIT(9) | \
			 (1UL << 10) | BIT(13) | BIT(18) | BIT(19) | BIT(31) | \
			 BIT(21) | BIT(35) | BIT(53))	/* TACR, TLOR, TIDCP */

__attribute__((noreturn)) void guest_start(struct trap_frame *regs);

static unsigned nr_lrs;
static bool el1_mmu_reset_loaded[MV_MAX_CPUS];	/* "MMU registers, lazily" */
static bool gic3;

void vcpu_init_cpu(void)
{
	stage2_init_cpu();
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(MDCR_EL2_TRAP_ALL | ((read_sysreg(pmcr_el0) >> 11) & 0x1f), mdcr_el2);
	nr_lrs = MIN(gich_nr_lrs(), (unsigned)VGIC_MAX_LRS);
	/* The same for every vCPU, so set once: no switch rewrites it.  Its
	 * guest bits only act below EL2; IRQ, FIQ and SError go to EL2 as
	 * with HCR_EL2_HOST. */
	write_sysreg(HCR_GUEST, hcr_el2);
	el1_mmu_reset_loaded[arch_cpu_id()] = false;	/* TVM clear */
	gic3 = gic_version() == 3;
	isb();
}

void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	fpsimd_forget(v);	/* its next run starts from zeroed FP/SIMD */
	memset(&v->arch, 0, sizeof(v->arch));
	v->arch.regs.elr = pc;
	v->arch.regs.spsr = SPSR_EL1H_MASKED;
	v->arch.regs.x[0] = x0;
	v->arch.sys[SYS_SCTLR_EL1] = SCTLR_EL1_RES1;
	v->arch.vmpidr = BIT(31) | v->id;
	v->arch.cptr = CPTR_EL2_VALUE | CPTR_EL2_TFP;	/* FP/SIMD not its own yet */
}

void el1_save(uint64_t *sys);
void el1_load(const uint64_t *sys);
void el1_save_mmu(uint64_t *mmu);
void el1_load_mmu(const uint64_t *mmu);

/* el1.S saves and loads them in this order, two at a time. */
static_assert(SYS_CPACR_EL1 == 0 && SYS_ESR_EL1 == 1 && SYS_AFSR0_EL1 == 2 &&
	      SYS_AFSR1_EL1 == 3 && SYS_FAR_EL1 == 4 && SYS_VBAR_EL1 == 5 &&
	      SYS_CNTKCTL_EL1 == 6 && SYS_PAR_EL1 == 7 && SYS_TPIDR_EL1 == 8 &&
	      SYS_TPIDR_EL0 == 9 && SYS_TPIDRRO_EL0 == 10 && SYS_SP_EL0 == 11 &&
	      SYS_SP_EL1 == 12 && SYS_ELR_EL1 == 13 && SYS_SPSR_EL1 == 14 &&
	      SYS_CSSELR_EL1 == 15 && SYS_MDSCR_EL1 == 16 && SYS_SCTLR_EL1 == 17 &&
	      SYS_TTBR0_EL1 == 18 && SYS_TTBR1_EL1 == 19 && SYS_TCR_EL1 == 20 &&
	      SYS_MAIR_EL1 == 21 && SYS_AMAIR_EL1 == 22 && SYS_CONTEXTIDR_EL1 == 23 &&
	      NR_SYSREGS == 24, "el1.S's order");

/*
 * MMU registers, lazily.  SCTLR_EL1, TTBR0/1_EL1, TCR_EL1, MAIR_EL1,
 * AMAIR_EL1 and CONTEXTIDR_EL1 change only by an MSR that HCR_EL2.TVM
 * traps.  A vCPU that has never written one (a cell: it runs with its MMU
 * off) has their reset values, the same for all such vCPUs; a switch
 * between two of them leaves the registers alone.  Each CPU records
 * whether its registers hold the reset values; while they do, TVM is set,
 * and the first write of a vCPU claims them (vcpu_el1_mmu_claim): from
 * then on its own values are saved and loaded.  TVM also traps the ESR,
 * FAR and AFSR writes; guest_trap.c performs those.
 */
static const uint64_t el1_mmu_reset[NR_SYSREGS - SYS_SCTLR_EL1] = {
	[SYS_SCTLR_EL1 - SYS_SCTLR_EL1] = SCTLR_EL1_RES1,
};

void vcpu_el1_mmu_claim(struct vcpu *v)
{
	v->arch.el1_mmu = true;
	el1_mmu_reset_loaded[arch_cpu_id()] = false;
	write_sysreg(HCR_GUEST, hcr_el2);
	isb();
}

static inline __attribute__((always_inline)) void el1_mmu_load(const struct arch_vcpu *a)
{
	bool *reset_loaded = &el1_mmu_reset_loaded[read_sysreg(tpidr_el2)];

	if (a->el1_mmu) {
		el1_load_mmu(&a->sys[SYS_SCTLR_EL1]);
		if (*reset_loaded) {
			*reset_loaded = false;
			write_sysreg(HCR_GUEST, hcr_el2);
		}
	} else if (!*reset_loaded) {
		el1_load_mmu(el1_mmu_reset);
		*reset_loaded = true;
		write_sysreg(HCR_GUEST | HCR_TVM, hcr_el2);
	}
}

/* The virtual CPU interface, GICv3's system registers inline. */

static uint64_t vmcr_read(void)
{
	return gic3 ? read_sysreg(ich_vmcr_el2) : gich_read_vmcr();
}

static void vmcr_write(uint64_t v)
{
	if (gic3)
		write_sysreg(v, ich_vmcr_el2);
	else
		gich_write_vmcr(v);
}

static uint64_t apr_read(void)
{
	return gic3 ? read_sysreg(ich_ap1r0_el2) | read_sysreg(ich_ap0r0_el2) << 32 :
		      gich_read_apr();
}

static void apr_write(uint64_t v)
{
	if (gic3) {
		write_sysreg(v & 0xffffffffUL, ich_ap1r0_el2);
		write_sysreg(v >> 32, ich_ap0r0_el2);
	} else {
		gich_write_apr(v);
	}
}

static void hcr_write(uint64_t v)
{
	if (gic3) {
		write_sysreg(v, ich_hcr_el2);
		isb();
	} else {
		gich_write_hcr(v);
	}
}

static inline struct percpu *this_percpu(void)
{
	return &percpu[read_sysreg(tpidr_el2)];
}

static inline __attribute__((always_inline)) void vcpu_load(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	el1_load(a->sys);	/* the MMU's, lazily, below (TCR_EL1 only when it changes) */
	el1_mmu_load(a);
	write_sysreg(a->vmpidr, vmpidr_el2);
	write_sysreg(v->vm->vttbr, vttbr_el2);
	write_sysreg(fpsimd_cptr(v), cptr_el2);	/* FP/SIMD: lazily, fpsimd.c */
	write_sysreg(a->cntv_cval, cntv_cval_el0);
	write_sysreg(a->cntv_ctl, cntv_ctl_el0);
	if (v->vm->cell) {
		/* A cell has no virtual CPU interface: its EL1 accesses to
		 * the GICv3 system registers trap (and are refused), on
		 * GICv2 its space has no GICV mapping; so nothing of it is
		 * switched, and another vCPU's state left here stays out of
		 * its reach. */
		hcr_write(gic3 ? ICH_HCR_TRAP_ALL : 0);
	} else {
		vmcr_write(a->vmcr);
		hcr_write(GICH_HCR_EN);
		apr_write(a->apr);
	}
	/* vcpu_put left the PPI inactive: only an active one is written. */
	if (a->vtimer_active)
		gic_set_ppi_active(VTIMER_PPI, true);
	a->vtimer_fired = a->vtimer_active;
	isb();
	this_percpu()->current = v;
}

/* The registers of v, loaded on this CPU, into its save area; the
 * hardware's are left as they are.  Returns whether v's virtual timer
 * PPI is active, for vcpu_unload. */
static inline __attribute__((always_inline)) bool vcpu_save(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	el1_save(a->sys);
	if (a->el1_mmu)
		el1_save_mmu(&a->sys[SYS_SCTLR_EL1]);
	a->cntv_ctl = read_sysreg(cntv_ctl_el0);
	a->cntv_cval = read_sysreg(cntv_cval_el0);
	if (!v->vm->cell) {	/* a cell's are never loaded (vcpu_load) */
		a->vmcr = vmcr_read();
		a->apr = apr_read();
	}
	/* The PPI is active only if it fired while this vCPU ran (EL2 took it,
	 * the guest has not deactivated it yet) or was loaded active: a vCPU
	 * whose timer never fired (a cell) costs no GIC access here. */
	a->vtimer_active = a->vtimer_fired && gic_ppi_active(VTIMER_PPI);
	return a->vtimer_active;
}

/* The vCPU saved by vcpu_save has left this CPU: its virtual timer's PPI
 * goes inactive.  Writes no field of the vCPU: once it is marked not
 * running, another CPU may reset it. */
static void vcpu_unload(bool vtimer_active)
{
	if (vtimer_active)
		gic_set_ppi_active(VTIMER_PPI, false);
	this_percpu()->current = NULL;
}

static void vcpu_put(struct vcpu *v)
{
	bool vtimer_active;

	/* Its interrupts go back to the model (and will be refilled: the
	 * fold marks it dirty); no underflow request stays armed for an idle
	 * CPU, where it would fire while nothing runs. */
	vgic_sync(v);
	gich_write_hcr(0);
	vtimer_active = vcpu_save(v);
	write_sysreg(0, cntv_ctl_el0);	/* its deadline is kept by sched */
	vcpu_unload(vtimer_active);
	isb();
	sched_put_prev(arch_cpu_id(), v);
}

/* --- list registers --- */

static uint64_t lr_encode(const struct vgic_lr *l)
{
	uint64_t state = (l->pending ? 1UL : 0) | (l->active ? 2UL : 0);

	if (gic_version() == 3)
		return state << 62 | (l->hw ? BIT(61) : 0) | (l->group1 ? BIT(60) : 0) |
		       (uint64_t)l->priority << 48 |
		       (l->hw ? (uint64_t)l->hw_intid << 32 : (l->eoi_maint ? BIT(41) : 0)) |
		       l->intid;
	return state << 28 | (l->hw ? BIT(31) : 0) | (l->group1 ? BIT(30) : 0) |
	       (uint64_t)(l->priority >> 3) << 23 |
	       (l->hw ? (uint64_t)l->hw_intid << 10 :
			(l->eoi_maint ? BIT(19) : 0) | (uint64_t)(l->source & 7) << 10) |
	       l->intid;
}

static void lr_decode(uint64_t lr, struct vgic_lr *l)
{
	uint64_t state = gic_version() == 3 ? lr >> 62 : (lr >> 28) & 3;

	l->pending = state & 1;
	l->active = state & 2;
}

/* Give the list registers back to the model.  Lazily: only where the
 * model is read or refilled for this vCPU (a WFI, an emulated distributor
 * or redistributor access, a refill, the vCPU leaving its CPU), so that
 * an exit with nothing new for the vCPU takes no VM lock: on SMP the VM
 * lock taken on every exit of every vCPU made them queue for each other.
 * Caller holds the VM lock. */
static void lrs_fold_locked(struct vcpu *v)
{
	uint32_t kick = 0;

	for (unsigned i = 0; i < v->nlrs; i++)
		kick |= vgic_fold(&v->vm->vgic, v->id, &v->lrs[i]);
	vm_kick_mask(v->vm, kick);
	v->nlrs = 0;
	v->vgic_dirty = true;	/* what came back must go in again */
}

/* Read the list registers back and clear them, before the VM lock: they
 * are this CPU's and the guest is not running, and a GIC register access
 * is slow under QEMU, so the lock is held for the model's work only. */
static void lrs_read(struct vcpu *v)
{
	for (unsigned i = 0; i < v->nlrs; i++) {
		lr_decode(gich_read_lr(i), &v->lrs[i]);
		gich_write_lr(i, 0);
	}
}

void vgic_sync(struct vcpu *v)
{
	if (!v->nlrs)
		return;
	lrs_read(v);
	spin_lock(&v->vm->lock);
	lrs_fold_locked(v);
	spin_unlock(&v->vm->lock);
}

/* The virtual timer's PPI was taken at EL2 for the vCPU on this CPU: it is
 * active until the guest deactivates it, and the guest must get it. */
void vcpu_vtimer_fired(void)
{
	struct vcpu *v = this_percpu()->current;

	if (v) {
		v->arch.vtimer_fired = true;
		__atomic_store_n(&v->vgic_dirty, true, __ATOMIC_RELAXED);
	}
}

/* A maintenance interrupt: the guest deactivated an interrupt we asked to
 * hear about, or the list registers ran low.  Both conditions hold until
 * the list registers or ICH_HCR_EL2 change, so the registers go back to
 * the model now (the next entry refills them), not after the handler,
 * which would take the interrupt again and again. */
void vgic_maintenance(void)
{
	struct vcpu *v = this_percpu()->current;

	if (!v) {
		gich_write_hcr(0);
		return;
	}
	vgic_sync(v);
	gich_write_hcr(GICH_HCR_EN);
	__atomic_store_n(&v->vgic_dirty, true, __ATOMIC_RELAXED);
}

/* vgic_flush's work when there is some: the timer's line (level) into
 * the model, the list registers refilled from it. */
static void vgic_refill(struct vcpu *v, bool level)
{
	struct vm *vm = v->vm;
	bool more;

	lrs_read(v);
	spin_lock(&vm->lock);
	lrs_fold_locked(v);
	vgic_set_level(&vm->vgic, v->id, VTIMER_PPI, level);
	v->vgic_dirty = false;
	v->nlrs = vgic_collect(&vm->vgic, v->id, v->lrs, nr_lrs);
	more = vgic_deliverable(&vm->vgic, v->id);
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < v->nlrs; i++)
		gich_write_lr(i, lr_encode(&v->lrs[i]));
	gich_write_hcr(GICH_HCR_EN | (more ? GICH_HCR_UIE : 0));
}

/* Entry: refill the list registers when the vGIC may have news for the
 * vCPU (an injection, a kick, a maintenance interrupt, the virtual timer's
 * physical interrupt) or the timer's line is not what the model holds;
 * ask for an underflow maintenance interrupt when more is pending than
 * fits.  Otherwise the list registers stay as the guest left them. */
static inline void vgic_flush(struct vcpu *v)
{
	uint64_t ctl;
	bool level;

	if (v->vm->cell)	/* no virtual CPU interface, no list registers */
		return;
	ctl = read_sysreg(cntv_ctl_el0);
	level = (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
		(CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
	/* Only this CPU changes the line of its vCPU's own timer.  The fence
	 * pairs with kick_locked's: it saw this vCPU running (and kicks), or
	 * its news is visible here. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->vgic_dirty, __ATOMIC_RELAXED) ||
	    v->vm->vgic.cpu[v->id].priv[VTIMER_PPI].line_level != level)	/* vgic_irq's */
		vgic_refill(v, level);
}

/* --- scheduling --- */

/* The EL2 timer fires at when (0: never); unchanged, it is left alone. */
static inline __attribute__((always_inline)) void timer_set(uint64_t when)
{
	bool on = read_sysreg(cnthp_ctl_el2) & 1;

	if (when && on && read_sysreg(cnthp_cval_el2) == when)
		return;
	if (!when && !on)
		return;
	if (when) {
		write_sysreg(when, cnthp_cval_el2);
		write_sysreg(1, cnthp_ctl_el2);
	} else {
		write_sysreg(0, cnthp_ctl_el2);
	}
	isb();
}

static void timer_program(unsigned cpu, struct vcpu *current)
{
	timer_set(sched_next_event(cpu, current));
}

/* Deadline of v's virtual timer as the scheduler must keep it while v is
 * not running (0: none). Registers are live: v is loaded. */
static uint64_t vtimer_deadline(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
		return 0;
	return read_sysreg(cntv_cval_el0) ?: 1;
}

bool vcpu_timer_pending(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	return (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
	       (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
}

bool vcpu_wfi(struct vcpu *v)
{
	return vm_vcpu_wfi(v, vcpu_timer_pending(), vtimer_deadline());
}

/* Wait with IRQs masked: WFI still wakes for a pending interrupt, so a kick
 * that arrives after the caller looked at its run queue is not lost.  Then
 * unmask briefly to take (handle) whatever woke us. */
static void idle_wait(void)
{
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 ::: "memory");
}

/*
 * The end of every exit: choose what runs next on this CPU, switch to it
 * if it is another vCPU, idle until something is runnable, fill its list
 * registers.  Returns the save area of the vCPU to resume.
 */
struct trap_frame *vcpu_schedule(void)
{
	unsigned cpu = arch_cpu_id();
	struct vcpu *cur = this_percpu()->current, *next;

	for (;;) {
		next = sched_pick(cpu, cur, arch_counter());
		if (next != cur && cur) {
			vcpu_put(cur);
			cur = NULL;
			/* A VM that asked for a reset is reloaded as soon as its
			 * last vCPU is off its CPU, busy CPUs included, so a busy
			 * neighbour cannot starve it.  Its vCPU 0 may be queued
			 * here: look again unless something was already picked. */
			if (vm_reset_pending() && !next)
				continue;
		}
		if (next)
			break;
		if (vm_reset_pending())
			continue;	/* its vCPU 0 may be ours */
		timer_program(cpu, NULL);
		idle_wait();
		sched_timer_expired(cpu, arch_counter());
	}
	if (next != cur)
		vcpu_load(next);
	if (next->recv_wait.channel)
		hypercall_resume(next, next->arch.regs.x);	/* it blocked in a receive */
	timer_program(cpu, next);
	vgic_flush(next);
	return &next->arch.regs;
}

/*
 * The end of an exit whose handling may have blocked the current vCPU (a
 * blocking receive that woke its peer on this CPU, a fault forwarded to a
 * server, a server's reply-and-receive): the switch to the next queued
 * vCPU without the general pass; vcpu_schedule when the current one still
 * runs or nothing is queued.  The registers are saved before the decision,
 * which marks the current vCPU no longer running (the hardware's are left
 * alone, so a refusal costs only that); with list registers to fold back,
 * the general pass.
 */
struct trap_frame *vcpu_schedule_after_block(void)
{
	unsigned cpu = arch_cpu_id();
	struct vcpu *cur = this_percpu()->current, *next;
	uint64_t when;

	bool vtimer_active;

	if (cur->nlrs)
		return vcpu_schedule();
	vtimer_active = vcpu_save(cur);
	next = sched_switch_blocked(cpu, cur, arch_counter(), &when);
	if (!next)
		return vcpu_schedule();
	/* The next vCPU's load writes the virtual timer and ICH_HCR_EL2. */
	vcpu_unload(vtimer_active);
	if (vm_reset_wanted())
		vm_reset_pending();
	vcpu_load(next);
	if (next->recv_wait.channel)
		hypercall_resume(next, next->arch.regs.x);
	timer_set(when);
	vgic_flush(next);
	return &next->arch.regs;
}

/* The switch to next, already marked running in the place of the vCPU
 * saved here (vtimer_active as vcpu_save returned), the registers it
 * resumes with written: the load, without the scheduler. */
static inline __attribute__((always_inline)) struct trap_frame *
switch_to(struct vcpu *next, bool vtimer_active, uint64_t when)
{
	/* The next vCPU's load writes the virtual timer and ICH_HCR_EL2, and
	 * makes it current: vcpu_unload's clearing is needed only where a
	 * reset runs in between. */
	if (vtimer_active)
		gic_set_ppi_active(VTIMER_PPI, false);
	if (vm_reset_wanted()) {
		this_percpu()->current = NULL;
		vm_reset_pending();
	}
	vcpu_load(next);
	timer_set(when);
	vgic_flush(next);
	return &next->arch.regs;
}

/*
 * MV_HC_CHANNEL_SEND_RECV handed to a receiver on this CPU that runs next
 * (hypercall_send_recv_fast decides, under the locks, and commits): the
 * switch to it without the scheduler's pass; returns its save area.
 * NULL, with nothing changed, when the general path must do it.  The caller's EL1 registers
 * are saved first, as the decision marks it no longer running (the
 * hardware's are left alone, so a refusal costs only that); its list
 * registers must be empty (a cell's always are), as there is no vGIC
 * fold-back under the VM locks.
 */
struct trap_frame *vcpu_send_recv_fastpath(struct vcpu *cur)
{
	struct vcpu *next;
	uint64_t when;

	bool vtimer_active;

	if (cur->nlrs)
		return NULL;
	vtimer_active = vcpu_save(cur);
	next = hypercall_send_recv_fast(cur, cur->arch.regs.x, &when);
	if (!next)
		return NULL;
	return switch_to(next, vtimer_active, when);
}

/* The fastpaths of a forwarded fault (fault_forward_fast,
 * fault_reply_recv_fast): as vcpu_send_recv_fastpath. */
struct trap_frame *vcpu_window_fastpath(struct vcpu *cur, struct fault_port *p, uint64_t ipa,
					uint64_t info, uint64_t value)
{
	const struct trap_frame *f = &cur->arch.regs;
	struct vcpu *next;
	uint64_t when;
	bool vtimer_active;

	if (cur->nlrs)
		return NULL;
	vtimer_active = vcpu_save(cur);
	next = fault_forward_fast(cur, p, ipa, info, value, f->esr, f->far, f->elr, &when);
	if (!next)
		return NULL;
	return switch_to(next, vtimer_active, when);
}

struct trap_frame *vcpu_fault_reply_fastpath(struct vcpu *cur)
{
	struct vcpu *next;
	uint64_t when;
	bool vtimer_active;

	if (cur->nlrs)
		return NULL;
	vtimer_active = vcpu_save(cur);
	next = fault_reply_recv_fast(cur, cur->arch.regs.x, &when);
	if (!next)
		return NULL;
	return switch_to(next, vtimer_active, when);
}

__attribute__((noreturn)) void arch_sched_start(void)
{
	guest_start(vcpu_schedule());
}
