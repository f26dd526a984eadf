// SPDX-License-Identifier: MIT
/* Test cell: serves a window (slot 1) badly: takes the first fault and
 * crashes instead of answering.  The runtime reports the exception and
 * stops the cell; the microvisor reports the unanswered fault to the
 * client's supervisor. */
#include <mv_runtime.h>

int main(void)
{
	struct mv_fault f;

	while (mv_fault_recv(1, &f, true) != MV_OK)
		;
	mv_printf("badsrv: vcpu%u read at 0x%lx: crashing instead of answering\n", f.vcpu, f.addr);
	*(volatile uint64_t *)0x30000000UL = 0xbad;
	return 0;
}
