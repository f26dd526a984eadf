// SPDX-License-Identifier: MIT
/*
 * PSCI calls to firmware (Arm DEN0022 "Power State Coordination Interface"
 * §5), made with SMC: from EL2 that is the only conduit that reaches
 * firmware.  Register use follows SMCCC (DEN0028) §2: function ID and
 * arguments in x0-x3, result in x0, x4-x17 may be clobbered.
 */
#include <mv/arch.h>

#include "psci.h"

uint64_t psci_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

uint32_t arch_psci_version(void)
{
	return (uint32_t)psci_smc(PSCI_VERSION, 0, 0, 0);
}

__attribute__((noreturn)) void arch_system_off(void)
{
	psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* Firmware refused: nothing else can stop the machine. */
	arch_halt();
}

__attribute__((noreturn)) void arch_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

const char *psci_strerror(int64_t rc)
{
	switch (rc) {
	case PSCI_SUCCESS:		return "success";
	case PSCI_E_NOT_SUPPORTED:	return "NOT_SUPPORTED";
	case PSCI_E_INVALID_PARAMS:	return "INVALID_PARAMETERS";
	case PSCI_E_DENIED:		return "DENIED";
	case PSCI_E_ALREADY_ON:		return "ALREADY_ON";
	case PSCI_E_ON_PENDING:		return "ON_PENDING";
	case PSCI_E_INTERNAL_FAILURE:	return "INTERNAL_FAILURE";
	case PSCI_E_NOT_PRESENT:	return "NOT_PRESENT";
	case PSCI_E_DISABLED:		return "DISABLED";
	case PSCI_E_INVALID_ADDRESS:	return "INVALID_ADDRESS";
	default:			return "unknown PSCI error";
	}
}
