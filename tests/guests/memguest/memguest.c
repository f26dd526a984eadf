// SPDX-License-Identifier: MIT
/*
 * Bare-metal test guest (2 vCPUs) for space and vcpu capabilities aimed
 * at it (tests/dts/space-vcpu.dts).  vCPU 0 publishes a mailbox at
 * guest-physical MB: the addresses of vCPU 1's counting loop and of
 * redirected(), then its magic; it waits until the cell "vmmgr", which
 * maps this VM's memory through a space capability, writes its reply
 * there, starts vCPU 1 (start.S: counts in MB[5] forever) and idles.  The
 * cell suspends vCPU 1, checks its PC is in the loop, resumes it, then
 * points it at redirected() with x0 set: this VM then restarts (x0 =
 * RESET_ARG) and, the second time, powers off.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define MB		((volatile uint64_t *)0x40300000UL)
#define GUEST_MAGIC	0x6d656d6775657374UL	/* "memguest" */
#define CELL_REPLY	0x766d6d67722d6f6bUL	/* "vmmgr-ok" */
#define PSCI_CPU_ON	0xc4000003UL
#define PSCI_SYSTEM_OFF	0x84000008UL
#define PSCI_SYSTEM_RESET	0x84000009UL
#define RESET_ARG	0x7e5e7UL

extern char spin_start[], spin_end[];
void secondary_entry(void);
void redirected(uint64_t arg);
void sync_handler(uint64_t esr, uint64_t far);
int main(void);

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

static uint64_t psci(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a;
	register uint64_t x2 __asm__("x2") = b;
	register uint64_t x3 __asm__("x3") = c;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	puts_("memguest: FAIL unexpected exception, ESR ");
	puthex(esr);
	puts_(" FAR ");
	puthex(far);
	puts_("\n");
}

/* Where the cell points vCPU 1, with x0 = arg: does not return. */
void redirected(uint64_t arg)
{
	puts_("memguest: vcpu1 redirected by the supervisor, x0 = ");
	puthex(arg);
	puts_("\n");
	psci(arg == RESET_ARG ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

int main(void)
{
	puts_("memguest: running\n");
	MB[1] = 0;
	MB[5] = 0;
	MB[2] = (uint64_t)(uintptr_t)spin_start;
	MB[3] = (uint64_t)(uintptr_t)spin_end;
	MB[4] = (uint64_t)(uintptr_t)redirected;
	__asm__ volatile("dsb sy" ::: "memory");
	MB[0] = GUEST_MAGIC;
	while (MB[1] != CELL_REPLY)
		__asm__ volatile("yield" ::: "memory");
	puts_("memguest: PASS the cell wrote its reply into this VM's memory: ");
	puthex(MB[1]);
	puts_("\n");
	if (psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_entry, 0) != 0)
		puts_("memguest: FAIL CPU_ON vcpu1\n");
	for (;;)
		__asm__ volatile("wfi");
}
