// SPDX-License-Identifier: MIT
/* Per-CPU EL2 set-up, the generic counter and secondary CPU start. */
#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/boot.h>

#include "psci.h"

void mmu_init_secondary(void);
void mmu_publish(void);
extern char vector_table[], secondary_entry[];

/* Registers every CPU sets before it runs C code that can trap. */
void cpu_init_el2(void)
{
	write_sysreg(vector_table, vbar_el2);
	write_sysreg(CPTR_EL2_VALUE, cptr_el2);
	write_sysreg(HCR_EL2_HOST, hcr_el2);
	isb();
}

unsigned arch_cpu_id(void)
{
	return (unsigned)read_sysreg(tpidr_el2);
}

uint64_t arch_cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

int arch_cpu_start(unsigned id, uint64_t mpidr)
{
	mmu_publish();
	return (int)psci_smc(PSCI_CPU_ON_64, mpidr, (uint64_t)secondary_entry, id);
}

/* Entered from head.S on a secondary CPU: MMU off, own stack. */
__attribute__((noreturn)) void secondary_main(unsigned id)
{
	mmu_init_secondary();
	cpu_init_el2();
	mv_secondary_main(id);
}
