// SPDX-License-Identifier: MIT
/*
 * Lazy FP/SIMD switching.  A vCPU switch leaves q0-q31, FPSR and FPCR
 * alone: they belong to this CPU's FP owner, the vCPU that last used them
 * here.  Any other vCPU runs with CPTR_EL2.TFP set; its first FP/SIMD
 * instruction traps (EC 0x07), the owner's registers go to its save area,
 * the vCPU's are loaded, it becomes the owner and the instruction is
 * retried.  The owner itself runs untrapped, so a vCPU alone in using
 * FP/SIMD on its CPU never pays for it.
 *
 * A vCPU's save area is stale while it owns its CPU's registers.  vCPUs
 * are pinned (v->pcpu), so only that CPU saves into it, and only under
 * the CPU's lock; fpsimd_forget (a reset, from any CPU, of a vCPU that
 * is not running) takes the same lock, so no save of the old run can
 * land after it and the next run starts from the zeroed area.
 *
 * EL2 is built -mgeneral-regs-only: these two functions and fpsimd.S are
 * the only EL2 code touching FP/SIMD after boot (boot-time libfdt may,
 * with TFP clear and no owner yet).
 */
#include <stddef.h>

#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/spinlock.h>
#include <mv/vm.h>

#include "vcpu_internal.h"

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

static_assert(offsetof(struct fpsimd_state, fpsr) == 32 * 16, "fpsimd.S layout");
static_assert(offsetof(struct fpsimd_state, fpcr) == 32 * 16 + 8, "fpsimd.S layout");

struct fp_cpu fp_cpu[MV_MAX_CPUS];

/* EC 0x07 from v, running here: take the registers over for it.  The
 * caller returns to the instruction that trapped. */
void fpsimd_trap(struct vcpu *v)
{
	struct fp_cpu *c = &fp_cpu[arch_cpu_id()];

	write_sysreg(CPTR_EL2_VALUE, cptr_el2);	/* for EL2's accesses too */
	isb();
	spin_lock(&c->lock);
	if (c->owner != v) {
		if (c->owner) {
			fpsimd_save(&c->owner->arch.fp);
			c->owner->arch.cptr = CPTR_EL2_VALUE | CPTR_EL2_TFP;
		}
		fpsimd_restore(&v->arch.fp);
		v->arch.cptr = CPTR_EL2_VALUE;
		__atomic_store_n(&c->owner, v, __ATOMIC_RELAXED);
	}
	spin_unlock(&c->lock);
}

/* v (not running) is about to be reset: whatever its CPU's registers
 * hold of it is dropped, never saved, never loaded again. */
void fpsimd_forget(struct vcpu *v)
{
	struct fp_cpu *c = &fp_cpu[v->pcpu];

	spin_lock(&c->lock);
	if (c->owner == v)
		__atomic_store_n(&c->owner, NULL, __ATOMIC_RELAXED);
	v->arch.cptr = CPTR_EL2_VALUE | CPTR_EL2_TFP;
	spin_unlock(&c->lock);
}
