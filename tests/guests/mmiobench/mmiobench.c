// SPDX-License-Identifier: MIT
/*
 * Benchmark guest (make bench, under QEMU -icount shift=0): what the
 * accesses to its virtual PL011 cost (a Linux boot prints some 15,000
 * characters, each a flag register read and a data register write).  The
 * UART is a window served by the console cell (guests/cells/console), so
 * three figures, each over ITERATIONS accesses:
 *
 *   mmio-exit            a flag register read, answered by the microvisor
 *                        from what the cell published (the exit alone)
 *   uart-posted-write    a data register write ('\r', which the cell
 *                        does not print), posted to the cell's ring: the
 *                        exit plus, amortized, the cell woken every 128
 *                        writes to take them
 *   uart-forwarded-read  a read of an offset that is no register (the
 *                        cell answers 0): a fault round trip to the cell
 *
 * then powers the VM off.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#ifndef ITERATIONS
#define ITERATIONS	20000UL
#endif

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

static void putdec(uint64_t v)
{
	char buf[24];
	int i = 0;

	do
		buf[i++] = (char)('0' + v % 10);
	while (v /= 10);
	while (i)
		putc_(buf[--i]);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t frequency(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	puts_("mmiobench: unexpected exception\n");
}

static void report(const char *name, uint64_t t0, uint64_t t1)
{
	puts_("BENCH ");
	puts_(name);
	puts_(" ");
	/* One instruction is one ns of virtual time under -icount shift=0. */
	putdec((t1 - t0) * (1000000000UL / frequency()) / ITERATIONS);
	puts_(" instructions\n");
}

int main(uint64_t dtb)
{
	uint64_t t0, t1, t2, t3;

	(void)dtb;
	t0 = counter();
	for (unsigned long i = 0; i < ITERATIONS; i++)
		(void)UART[6];
	t1 = counter();
	for (unsigned long i = 0; i < ITERATIONS; i++)
		UART[0] = '\r';
	t2 = counter();
	for (unsigned long i = 0; i < ITERATIONS; i++)
		(void)UART[2];
	t3 = counter();
	report("mmio-exit", t0, t1);
	report("uart-posted-write", t1, t2);
	report("uart-forwarded-read", t2, t3);
	register uint64_t x0 __asm__("x0") = 0x84000008;	/* SYSTEM_OFF */
	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return 0;
}
