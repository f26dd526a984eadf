/* SPDX-License-Identifier: MIT */
/* Per-CPU data, indexed by logical CPU number (arch_cpu_id()). */
#ifndef MV_PERCPU_H
#define MV_PERCPU_H

#include <mv/arch.h>
#include <mv/types.h>

struct vcpu;

struct percpu {
	unsigned id;
	uint64_t mpidr;
	bool online;		/* set by the CPU itself, read by the boot CPU */
	struct vcpu *current;	/* vCPU loaded on this CPU, or NULL (idle) */
};

extern struct percpu percpu[MV_MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	return &percpu[arch_cpu_id()];
}

#endif
