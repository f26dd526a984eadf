/* SPDX-License-Identifier: MIT */
/*
 * For the bare-metal test guests that drive a device by hand
 * (tests/guests/blkhostile, tests/guests/nethostile) or watch their own
 * registers across switches (tests/guests/mmuset, mmuwatch): console output
 * (QEMU virt's PL011 at 0x09000000, a window the console cell serves),
 * PASS/FAIL lines prefixed with GUEST_NAME (defined before the include),
 * memory accesses of given widths, PSCI SYSTEM_OFF through HVC, a check
 * held across switches, and the exception handler start.S calls.  Included by one file a guest.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define GUEST_UART	((volatile uint32_t *)0x09000000UL)
#define GUEST_UART_TXFF	(1U << 5)

static inline void putc_(char c)
{
	while (GUEST_UART[6] & GUEST_UART_TXFF)
		;
	GUEST_UART[0] = (uint32_t)c;
}

static inline void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static inline void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 28; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

static unsigned passed, failed;

static inline void result(int ok, const char *what, uint64_t v)
{
	puts_(ok ? GUEST_NAME ": PASS " : GUEST_NAME ": FAIL ");
	puts_(what);
	puts_(" (");
	puthex(v);
	puts_(")\n");
	if (ok)
		passed++;
	else
		failed++;
}

static inline void w64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void w16(uint64_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void w8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint16_t r16(uint64_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline uint8_t r8(uint64_t a) { return *(volatile uint8_t *)a; }

static inline void psci_off(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000008UL;	/* SYSTEM_OFF */

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

#define SYSREG(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

/* For 1.5 s of counter time, while the scheduler switches this vCPU out
 * and back (another vCPU shares its CPU), check that holds() stays true:
 * 1 if it did and the vCPU was away (more than 1 ms) at least 10 times,
 * 0 if it hardly was, -1 at the first time it did not hold. */
static inline int held_across_switches(int (*holds)(void))
{
	uint64_t freq = SYSREG(cntfrq_el0), start = SYSREG(cntvct_el0), last = start;
	unsigned switches = 0;

	for (;;) {
		uint64_t now = SYSREG(cntvct_el0);

		if (now - last > freq / 1000)
			switches++;
		last = now;
		if (!holds())
			return -1;
		if (now - start > freq + freq / 2)
			return switches >= 10;
	}
}

/* From start.S: an exception; the boot test fails on the line. */
void sync_handler(uint64_t esr, uint64_t far);
void sync_handler(uint64_t esr, uint64_t far)
{
	puts_(GUEST_NAME ": FAIL unexpected exception, ESR ");
	puthex(esr);
	puts_(" FAR ");
	puthex(far);
	puts_("\n");
	failed++;
}

#endif
