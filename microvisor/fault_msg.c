// SPDX-License-Identifier: MIT
/* Fault replies as the ABI lays them out (mv/fault.h, docs/abi.md
 * "Faults"; the message encoding is inline there): pure functions,
 * unit-tested on the host. */
#define FAULT_ENCODING_ONLY	/* only the encoding half of mv/fault.h */
#include <mv/fault.h>

int fault_reply_check(uint64_t action, uint64_t vcpu, unsigned nvcpus)
{
	if ((action & ~(uint64_t)(MV_FAULT_ACTION_MASK | MV_FAULT_THEN_RECV)) ||
	    (action & MV_FAULT_ACTION_MASK) > MV_FAULT_RESET || vcpu >= nvcpus)
		return MV_ERR_INVAL;
	return MV_OK;
}
