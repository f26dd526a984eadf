// SPDX-License-Identifier: MIT
/* The argument checks of the vcpu calls (mv/vcpu_cap.h); host-built too. */
#include <mv/vcpu_cap.h>

uint32_t vcpu_control_right(uint64_t op)
{
	switch (op) {
	case MV_VCPU_STATUS:
		return MV_RIGHT_READ;
	case MV_VCPU_SUSPEND:
	case MV_VCPU_RESUME:
		return MV_RIGHT_CONTROL;
	default:
		return 0;
	}
}

uint32_t vcpu_regs_right(uint64_t op, uint64_t first, uint64_t count)
{
	if (op == MV_VCPU_READ && count >= 1 && count <= 7 &&
	    first < MV_VCPU_NREGS && count <= MV_VCPU_NREGS - first)
		return MV_RIGHT_READ;
	if (op == MV_VCPU_WRITE && count >= 1 && count <= 3 &&
	    first < MV_VCPU_NWRITABLE && count <= MV_VCPU_NWRITABLE - first)
		return MV_RIGHT_CONTROL;
	return 0;
}

uint64_t vcpu_status(enum vcpu_state state, bool suspended)
{
	uint64_t s = suspended ? MV_VCPU_SUSPENDED : 0;

	switch (state) {
	case VCPU_OFF:
		return s;
	case VCPU_RUNNABLE:
		return s | MV_VCPU_ON;
	case VCPU_BLOCKED:
		return s | MV_VCPU_ON | MV_VCPU_BLOCKED;
	case VCPU_WAITING_REPLY:
		return s | MV_VCPU_ON | MV_VCPU_FAULTED;
	}
	return s;
}
