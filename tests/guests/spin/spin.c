// SPDX-License-Identifier: MIT
// Hostile-guest test helper: a VM that computes forever (never WFI).
#include <stdint.h>
#define UART		((volatile uint32_t *)0x09000000UL)
void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }
int main(void)
{
	const char *s = "spin: busy forever\n";
	while (*s)
		UART[0] = (uint32_t)*s++;
	for (;;)
		__asm__ volatile("" ::: "memory");
}
