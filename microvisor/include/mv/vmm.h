/* SPDX-License-Identifier: MIT */
/* What the architecture's trap handlers ask of the generic VM code, and
 * what the generic code asks of the architecture for VMs. */
#ifndef MV_VMM_H
#define MV_VMM_H

#include <mv/system.h>
#include <mv/vm.h>

/* --- generic (microvisor/vm.c) --- */

/* Create every VM of the system description and queue their boot vCPUs. */
int vm_create_all(const struct system *sys, const struct platform *plat,
		  const void *host_fdt, unsigned ncpus);

/* A physical SPI of a passed-through device fired: hand it to its VM.
 * False if no VM owns it.  It stays active until the guest's EOI. */
bool vm_device_irq(unsigned intid);

/* A guest access to a device window (emulated MMIO).  Returns false when
 * no device is there: the caller injects an external abort. */
bool vm_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write, uint64_t *value);

/* Something may be deliverable to v now: wake it if blocked, interrupt it
 * if it runs on another CPU. */
void vm_vcpu_kick(struct vcpu *v);
void vm_kick_mask(struct vm *vm, uint32_t mask);

/* WFI: block v unless an interrupt is deliverable; returns true if it
 * blocked. */
bool vm_vcpu_wfi(struct vcpu *v, bool timer_pending, uint64_t timer_deadline);

/* PSCI on behalf of a guest (DEN0022 §5): return values are PSCI's. */
int64_t vm_psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx);
int64_t vm_psci_affinity_info(struct vcpu *v, uint64_t target, uint64_t level);
void vm_psci_cpu_off(struct vcpu *v);
void vm_stop(struct vm *vm, const char *why);
void vm_request_reset(struct vm *vm, const char *why);

/* Log once per VM and kind (VM_LOG_*). */
bool vm_log_once(struct vm *vm, uint32_t kind);

/* Called when this CPU has nothing loaded: reset the VMs that asked for it
 * and whose vCPUs are loaded nowhere.  True if one was restarted. */
bool vm_reset_pending(void);

/* How many VMs asked for a reset not done yet: vm_reset_pending's first
 * look, for the switches that must be cheap. */
extern unsigned vm_resets_requested;

static inline bool vm_reset_wanted(void)
{
	return __atomic_load_n(&vm_resets_requested, __ATOMIC_ACQUIRE);
}

/* --- architecture (arch/aarch64) --- */
void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
int arch_vm_init(struct vm *vm);
int arch_vm_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size, bool device);
void arch_vm_flush_tlb(struct vm *vm);
/* Map a region: device or normal memory, read-only unless writable. */
int arch_vm_map_region(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size, bool device,
		       bool writable);
/* Deactivate a physical SPI whose priority was dropped (from any CPU). */
void arch_spi_deactivate(unsigned intid);
/* Make what EL2 wrote to guest memory visible to a guest with caches off. */
void arch_sync_for_guest(paddr_t pa, uint64_t size);
/* Route a physical SPI to a CPU and enable it. */
void arch_route_spi(unsigned intid, unsigned cpu);
/* A register of v, which is loaded on no CPU, by its MV_VCPU_REG_*
 * number: MV_OK, or MV_ERR_INVAL for a number past MV_VCPU_NREGS or (a
 * write) a read-only register or a PSTATE the vCPU may not take
 * (arch_vcpu_pstate_ok).  arch/aarch64/vcpu_regs.c, host-built too. */
int arch_vcpu_reg_read(struct vcpu *v, unsigned reg, uint64_t *value);
int arch_vcpu_reg_write(struct vcpu *v, unsigned reg, uint64_t value);
bool arch_vcpu_pstate_ok(uint64_t pstate);
/* Run the scheduler on this CPU for good. */
__attribute__((noreturn)) void arch_sched_start(void);

#endif
