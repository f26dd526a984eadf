// SPDX-License-Identifier: MIT
/* Test cell that misbehaves: writes outside its memory.  The microvisor
 * injects an external abort (and logs it); the runtime reports the
 * exception and stops the cell; every other domain keeps running. */
#include <mv_runtime.h>

int main(void)
{
	mv_printf("faulty: writing to 0x30000000, outside my memory\n");
	*(volatile uint64_t *)0x30000000UL = 0xbad;
	mv_printf("faulty: still running after the fault\n");
	return 0;
}
