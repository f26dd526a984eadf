// SPDX-License-Identifier: MIT
/*
 * The PSCI 1.1 service for guests (Arm DEN0022 §5), reached by HVC or SMC
 * (SMCCC DEN0028 register use).  Any other function ID returns
 * NOT_SUPPORTED, as SMCCC requires, and is logged once per VM.
 */
#include <mv/hypercall.h>
#include <mv/print.h>
#include <mv/vmm.h>

#include "psci.h"
#include "vcpu_internal.h"

#define PSCI_VERSION_1_1	0x10001
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_CPU_ON_32		0x84000003UL
#define PSCI_AFFINITY_INFO_32	0x84000004UL
#define MIGRATE_NOT_REQUIRED	2

static const uint64_t supported[] = {
	PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_ON_64, PSCI_CPU_ON_32, PSCI_CPU_OFF,
	PSCI_AFFINITY_INFO_64, PSCI_AFFINITY_INFO_32, PSCI_SYSTEM_OFF,
	PSCI_SYSTEM_RESET, PSCI_MIGRATE_INFO_TYPE,
};

static int64_t features(uint64_t fid)
{
	for (unsigned i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		if (supported[i] == fid)
			return 0;
	return PSCI_E_NOT_SUPPORTED;
}

void psci_guest_call(struct vcpu *v, struct trap_frame *f)
{
	uint64_t fid = f->x[0] & 0xffffffffUL;
	int64_t rc;

	if (hypercall_is_ours(fid)) {
		f->x[0] = fid;
		hypercall(v, f->x);
		return;
	}
	/* SMC32 arguments are 32 bits wide. */
	if (!(fid & BIT(30))) {
		f->x[1] &= 0xffffffffUL;
		f->x[2] &= 0xffffffffUL;
		f->x[3] &= 0xffffffffUL;
	}
	switch (fid) {
	case PSCI_VERSION:
		rc = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		rc = features(f->x[1] & 0xffffffffUL);
		break;
	case PSCI_CPU_ON_64:
	case PSCI_CPU_ON_32:
		rc = vm_psci_cpu_on(v, f->x[1], f->x[2], f->x[3]);
		break;
	case PSCI_CPU_OFF:
		vm_psci_cpu_off(v);
		return;
	case PSCI_AFFINITY_INFO_64:
	case PSCI_AFFINITY_INFO_32:
		rc = vm_psci_affinity_info(v, f->x[1], f->x[2]);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		rc = MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_SYSTEM_OFF:
		vm_stop(v->vm, "PSCI SYSTEM_OFF");
		return;
	case PSCI_SYSTEM_RESET:
		vm_request_reset(v->vm, "PSCI SYSTEM_RESET");
		return;
	default:
		if (vm_log_once(v->vm, VM_LOG_UNKNOWN_CALL))
			printk("%s: vcpu%u: unknown HVC/SMC function 0x%lx: NOT_SUPPORTED\n",
			       v->vm->name, v->id, fid);
		rc = PSCI_E_NOT_SUPPORTED;
		break;
	}
	f->x[0] = (uint64_t)rc;
}
