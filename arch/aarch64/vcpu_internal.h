/* SPDX-License-Identifier: MIT */
/* Shared between the vCPU switch (vcpu.c), guest trap decoding
 * (guest_trap.c), PSCI for guests and the trap entry (trap.c). */
#ifndef ARCH_VCPU_INTERNAL_H
#define ARCH_VCPU_INTERNAL_H

#include <arch/frame.h>
#include <arch/sysreg.h>
#include <mv/spinlock.h>
#include <mv/vm.h>

void vcpu_init_cpu(void);
void vcpu_el1_mmu_claim(struct vcpu *v);
struct trap_frame *vcpu_schedule(void);
struct trap_frame *vcpu_schedule_after_block(void);
struct trap_frame *vcpu_send_recv_fastpath(struct vcpu *cur);
struct fault_port;
struct trap_frame *vcpu_window_fastpath(struct vcpu *cur, struct fault_port *p, uint64_t ipa,
					uint64_t info, uint64_t value);
struct trap_frame *vcpu_fault_reply_fastpath(struct vcpu *cur);
void vgic_sync(struct vcpu *v);
void vgic_maintenance(void);
void vcpu_vtimer_fired(void);
bool vcpu_wfi(struct vcpu *v);
bool vcpu_timer_pending(void);

/* Lazy FP/SIMD (fpsimd.c): whose state each CPU's registers hold. */
struct fp_cpu {
	struct spinlock lock;
	struct vcpu *owner;	/* whose state the registers hold, or NULL */
};
extern struct fp_cpu fp_cpu[MV_MAX_CPUS];

/* CPTR_EL2 for running v on its CPU: FP/SIMD trapped unless v owns it
 * (kept in v->arch.cptr by fpsimd.c whenever the owner changes). */
static inline uint64_t fpsimd_cptr(const struct vcpu *v)
{
	return v->arch.cptr;
}

void fpsimd_trap(struct vcpu *v);
void fpsimd_forget(struct vcpu *v);

void guest_sync(struct vcpu *v, struct trap_frame *f);
struct trap_frame *guest_dabt_fastpath(struct vcpu *v, struct trap_frame *f);
void guest_serror(struct vcpu *v, struct trap_frame *f);
void psci_guest_call(struct vcpu *v, struct trap_frame *f);
void irq_handle(void);

#endif
