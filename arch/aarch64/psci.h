/* SPDX-License-Identifier: MIT */
/* PSCI function IDs and return codes (Arm DEN0022 §5.1, §5.2.2). */
#ifndef ARCH_PSCI_H
#define ARCH_PSCI_H

#include <stdint.h>

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON_64		0xc4000003UL
#define PSCI_AFFINITY_INFO_64	0xc4000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_SYSTEM_RESET	0x84000009UL

#define PSCI_SUCCESS		0
#define PSCI_E_NOT_SUPPORTED	(-1)
#define PSCI_E_INVALID_PARAMS	(-2)
#define PSCI_E_DENIED		(-3)
#define PSCI_E_ALREADY_ON	(-4)
#define PSCI_E_ON_PENDING	(-5)
#define PSCI_E_INTERNAL_FAILURE	(-6)
#define PSCI_E_NOT_PRESENT	(-7)
#define PSCI_E_DISABLED		(-8)
#define PSCI_E_INVALID_ADDRESS	(-9)

uint64_t psci_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
const char *psci_strerror(int64_t rc);

#endif
