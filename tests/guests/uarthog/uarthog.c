// SPDX-License-Identifier: MIT
/*
 * Hostile-guest test: hammers its UART forever, never waiting: bursts of
 * data register writes (posted to the console cell), reads of a register
 * the cell does not publish (each a round trip to it), and its transmit
 * interrupt switched on and off (the cell raises and lowers its line).
 * Whoever shares the CPU with it, and the console cell, must go on.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_RESERVED	(0x008 / 4)	/* not a register: the cell answers 0 */
#define UART_IMSC	(0x038 / 4)
#define UART_TXIM	(1U << 5)

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
}

int main(void)
{
	static const char line[] = "uarthog: flooding the console\n";

	for (uint32_t round = 0;; round++) {
		for (unsigned k = 0; k < 8; k++)
			for (const char *s = line; *s; s++)
				UART[0] = (uint32_t)*s;
		for (unsigned k = 0; k < 64; k++)
			(void)UART[UART_RESERVED];
		UART[UART_IMSC] = round & 1 ? UART_TXIM : 0;
	}
}
