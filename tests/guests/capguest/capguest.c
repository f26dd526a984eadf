// SPDX-License-Identifier: MIT
/*
 * Bare-metal test guest (GICv3) for capabilities held by and aimed at a
 * VM: prints the /hypervisor nodes of its device tree (one per capability
 * it holds), takes the virtual interrupt a cell raises through a virq
 * capability (SPI 40) and the channel's interrupt (SPI 41, then receives
 * the message), reads what the cell wrote into the shared region mapped
 * read-only here, checks that writing it is refused, and powers off.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define GICD		((volatile uint32_t *)0x08000000UL)
#define GICR		((volatile uint32_t *)0x080a0000UL)
#define SHARED		((volatile uint64_t *)0x20000000UL)
#define SHARED_MAGIC	0x7274632d63656c6cUL
#define KICK_INTID	(32 + 40)
#define CHANNEL_INTID	(32 + 41)
#define CHANNEL_SLOT	1
#define MV_HC_CHANNEL_RECV	0xc6000002UL
#define PSCI_SYSTEM_OFF	0x84000008UL

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4

static volatile unsigned aborts;
static unsigned failures;

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
	char b[24];
	int i = 0;

	do
		b[i++] = (char)('0' + v % 10);
	while (v /= 10);
	while (i)
		putc_(b[--i]);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

static void result(int ok, const char *what)
{
	puts_(ok ? "capguest: PASS " : "capguest: FAIL ");
	puts_(what);
	puts_("\n");
	failures += !ok;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	aborts++;
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static unsigned slen(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

/* A property's value: strings as they are, anything else as 32-bit cells. */
static void print_value(const uint8_t *v, uint32_t len)
{
	int text = len > 0 && v[len - 1] == 0;

	for (uint32_t i = 0; text && i + 1 < len; i++)
		if (v[i] && (v[i] < 0x20 || v[i] > 0x7e))
			text = 0;
	if (text && len > 1 && v[0]) {
		puts_((const char *)v);
		return;
	}
	for (uint32_t i = 0; i + 4 <= len; i += 4) {
		if (i)
			putc_(' ');
		putdec(be32(v + i));
	}
}

/* Every child of /hypervisor, one line each: "dt: NAME: prop=value ...". */
static unsigned print_hypervisor_nodes(const uint8_t *fdt)
{
	const uint8_t *st = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	uint32_t off = 0, depth = 0, in_hv = 0, nodes = 0;

	for (;;) {
		uint32_t tag = be32(st + off);

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = (const char *)st + off;

			off = (off + slen(name) + 4) & ~3U;
			depth++;
			if (depth == 2 && streq(name, "hypervisor"))
				in_hv = 1;
			if (in_hv && depth == 3) {
				puts_(nodes ? "\ncapguest: dt: " : "capguest: dt: ");
				puts_(name);
				puts_(":");
				nodes++;
			}
		} else if (tag == FDT_END_NODE) {
			if (depth == 2)
				in_hv = 0;
			depth--;
		} else if (tag == FDT_PROP) {
			uint32_t len = be32(st + off), name = be32(st + off + 4);

			if (in_hv && depth == 3) {
				putc_(' ');
				puts_(strings + name);
				putc_('=');
				print_value(st + off + 8, len);
			}
			off = (off + 8 + len + 3) & ~3U;
		} else if (tag != FDT_NOP) {
			break;
		}
	}
	if (nodes)
		puts_("\n");
	return nodes;
}

static void gic_enable_spi(unsigned intid)
{
	GICD[0x80 / 4 + intid / 32] |= 1U << (intid % 32);		/* group 1 */
	((volatile uint8_t *)GICD)[0x400 + intid] = 0xa0;		/* priority */
	*(volatile uint64_t *)((uintptr_t)GICD + 0x6000 + 8 * intid) = 0;	/* to vCPU 0 */
	GICD[0x100 / 4 + intid / 32] = 1U << (intid % 32);		/* enable */
}

static int64_t channel_recv(unsigned slot, uint64_t *badge, uint64_t w[4], uint64_t *nwords)
{
	register uint64_t x0 __asm__("x0") = MV_HC_CHANNEL_RECV;
	register uint64_t x1 __asm__("x1") = slot;
	register uint64_t x2 __asm__("x2"), x3 __asm__("x3"), x4 __asm__("x4");
	register uint64_t x5 __asm__("x5"), x6 __asm__("x6"), x7 __asm__("x7");

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5),
			 "=r"(x6), "=r"(x7) : : "memory");
	*badge = x1;
	*nwords = x3;
	w[0] = x4;
	w[1] = x5;
	w[2] = x6;
	w[3] = x7;
	return (int64_t)x0;
}

int main(uint64_t dtb)
{
	unsigned got_kick = 0, got_channel = 0;
	uint64_t badge = 0, nwords = 0, w[4] = { 0 };

	puts_("capguest: running\n");
	result(print_hypervisor_nodes((const uint8_t *)dtb) == 2,
	       "two capability nodes in /hypervisor");

	GICD[0] = 2 | 0x10;		/* EnableGrp1, ARE */
	GICR[0x14 / 4] = 0;		/* GICR_WAKER: awake */
	gic_enable_spi(KICK_INTID);
	gic_enable_spi(CHANNEL_INTID);
	__asm__ volatile("msr S3_0_C4_C6_0, %0" :: "r"(0xffUL));		/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" :: "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	while (!got_kick || !got_channel) {
		uint64_t iar;

		__asm__ volatile("wfi");
		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar));	/* ICC_IAR1_EL1 */
		if (iar >= 1020)
			continue;
		__asm__ volatile("msr S3_0_C12_C12_1, %0; isb" :: "r"(iar));	/* ICC_EOIR1_EL1 */
		if (iar == KICK_INTID && !got_kick++)
			result(1, "virq SPI 40 raised by the cell");
		if (iar == CHANNEL_INTID && !got_channel++)
			result(channel_recv(CHANNEL_SLOT, &badge, w, &nwords) == 0 && badge == 7 &&
			       nwords == 2 && w[0] == 0x1234,
			       "channel interrupt SPI 41 and its message (badge 7, 0x1234)");
	}
	result(SHARED[0] == SHARED_MAGIC, "shared region holds what the cell wrote");
	puts_("capguest: the cell's RTC read ");
	putdec(SHARED[1]);
	puts_(" s; shared word ");
	puthex(SHARED[0]);
	puts_("\n");
	SHARED[0] = 0;
	result(aborts == 1 && SHARED[0] == SHARED_MAGIC, "write to the read-only region refused");
	puts_(failures ? "capguest: done with failures\n" : "capguest: done\n");
	{
		register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	}
	return 0;
}
