// SPDX-License-Identifier: MIT
/* Fault messages and replies as the ABI lays them out (mv/fault.h,
 * docs/abi.md "Faults"): pure functions, unit-tested on the host. */
#define FAULT_ENCODING_ONLY	/* only the encoding half of mv/fault.h */
#include <mv/fault.h>

void fault_msg_encode(const struct fault_record *r, uint64_t badge, unsigned vcpu, uint64_t *x)
{
	x[1] = badge;
	x[2] = vcpu;
	x[3] = r->info;
	x[4] = r->addr;
	x[5] = r->value;
	x[6] = r->where;
	x[7] = 0;
}

uint64_t fault_narrow(uint64_t value, unsigned size)
{
	return size >= 8 ? value : value & ((1UL << (size * 8)) - 1);
}

uint64_t fault_load_extend(uint64_t value, unsigned size, bool sign, bool wide)
{
	value = fault_narrow(value, size);
	if (sign && size < 8 && (value & (1UL << (size * 8 - 1))))
		value |= ~0UL << (size * 8);
	return wide ? value : value & 0xffffffffUL;
}

int fault_reply_check(uint64_t action, uint64_t vcpu, unsigned nvcpus)
{
	if ((action & ~(uint64_t)(MV_FAULT_ACTION_MASK | MV_FAULT_THEN_RECV)) ||
	    (action & MV_FAULT_ACTION_MASK) > MV_FAULT_RESET || vcpu >= nvcpus)
		return MV_ERR_INVAL;
	return MV_OK;
}
