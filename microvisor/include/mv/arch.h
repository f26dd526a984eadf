/* SPDX-License-Identifier: MIT */
/*
 * The interface the architecture implements for the generic kernel.
 * arch/aarch64/ provides these; host unit tests provide fakes.
 */
#ifndef MV_ARCH_H
#define MV_ARCH_H

#include <mv/types.h>

/* Memory types for the EL2 identity map. */
enum arch_mem_type {
	ARCH_MEM_NORMAL,	/* cacheable RAM, read/write, never executable */
	ARCH_MEM_DEVICE,	/* device registers (nGnRE) */
};

/* Identity-map [pa, pa + size) at EL2.  Mappings that already exist are
 * kept (the first mapping of an address wins), so no live entry is ever
 * rewritten. */
int arch_map(paddr_t pa, uint64_t size, enum arch_mem_type type);

/* Logical number of the calling CPU (0 = the boot CPU). */
unsigned arch_cpu_id(void);
/* MPIDR affinity fields of the calling CPU. */
uint64_t arch_cpu_mpidr(void);

/* Start a secondary CPU through PSCI CPU_ON; returns the PSCI status
 * (0 = success) so the caller can report it. */
int arch_cpu_start(unsigned id, uint64_t mpidr);

struct platform;
/* Boot CPU: the physical GIC, before any VM exists. */
int arch_virt_init(const struct platform *p);
/* Every CPU that runs vCPUs, after arch_virt_init. */
int arch_cpu_init_virt(unsigned cpu);

/* GIC architecture version of the machine (2 or 3). */
unsigned arch_gic_version(void);

/* Interrupt another CPU so it looks at its run queue and vCPUs. */
void arch_kick_cpu(unsigned cpu);

/* Power the machine off with PSCI SYSTEM_OFF.  Does not return. */
__attribute__((noreturn)) void arch_system_off(void);

/* Stop this CPU for good (after a fatal error). Does not return. */
__attribute__((noreturn)) void arch_halt(void);

/* Wait for an event or interrupt (used in polling loops). */
void arch_relax(void);

/* Generic counter. */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);

/* Version of the firmware's PSCI implementation (major << 16 | minor). */
uint32_t arch_psci_version(void);

/* Deliberately take an EL2 data abort: the crash-report self test. */
void arch_selftest_crash(void);

#endif
