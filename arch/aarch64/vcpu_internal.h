/* SPDX-License-Identifier: MIT */
/* Shared between the vCPU switch (vcpu.c), guest trap decoding
 * (guest_trap.c), PSCI for guests and the trap entry (trap.c). */
#ifndef ARCH_VCPU_INTERNAL_H
#define ARCH_VCPU_INTERNAL_H

#include <arch/frame.h>
#include <mv/vm.h>

void vcpu_init_cpu(void);
void vcpu_schedule(struct trap_frame *f);
void vcpu_schedule_after_block(struct trap_frame *f);
void vgic_sync(struct vcpu *v);
void vgic_maintenance(void);
void vcpu_vtimer_fired(void);
bool vcpu_wfi(struct vcpu *v);
bool vcpu_timer_pending(void);

uint64_t fpsimd_cptr(const struct vcpu *v);
void fpsimd_trap(struct vcpu *v);
void fpsimd_forget(struct vcpu *v);

void guest_sync(struct vcpu *v, struct trap_frame *f);
bool guest_window_fastpath(struct vcpu *v, struct trap_frame *f, bool *done);
void guest_serror(struct vcpu *v, struct trap_frame *f);
void psci_guest_call(struct vcpu *v, struct trap_frame *f);
void irq_handle(void);

#endif
