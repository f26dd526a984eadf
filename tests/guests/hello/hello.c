// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest for the boot tests: proves a raw image boots at its
 * entry with the DTB in x0, prints through the virtual PL011, gets
 * NOT_SUPPORTED for an unknown hypercall and an external abort for an
 * access outside its memory, then powers its VM off with PSCI.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define FDT_MAGIC	0xd00dfeedU
#define UNMAPPED	((volatile uint32_t *)0x20000000UL)

static volatile unsigned aborts;
static volatile uint64_t abort_esr;

static void putc_(char c)
{
	while (UART[6] & UART_FR_TXFF)
		;
	UART[0] = (uint32_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

static int64_t hvc(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

static int64_t smc(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)far;
	abort_esr = esr;
	aborts++;
}

static uint32_t be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int main(uint64_t dtb)
{
	puts_("hello: running at EL1\n");
	puts_("hello: DTB at ");
	puthex(dtb);
	puts_(be32((const volatile uint8_t *)dtb) == FDT_MAGIC ? " has the FDT magic\n" : " is not a DTB\n");
	puts_("hello: PSCI version ");
	puthex((uint64_t)hvc(0x84000000));
	puts_("\n");
	puts_(hvc(0x86000000) == -1 ? "hello: unknown HVC returned NOT_SUPPORTED\n"
				     : "hello: unknown HVC did not return NOT_SUPPORTED\n");
	puts_(smc(0x86000001) == -1 ? "hello: unknown SMC returned NOT_SUPPORTED\n"
				     : "hello: unknown SMC did not return NOT_SUPPORTED\n");
	(void)*UNMAPPED;
	if (aborts == 1 && (abort_esr >> 26) == 0x25 && (abort_esr & 0x3f) == 0x10) {
		puts_("hello: external abort taken, ESR ");
		puthex(abort_esr);
		puts_("\n");
	} else {
		puts_("hello: no external abort for an unmapped address\n");
	}
	puts_("hello: powering off\n");
	hvc(0x84000008);
	puts_("hello: still running after SYSTEM_OFF\n");
	return 0;
}
