// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest for the boot tests (tests/dts/window.dts): its
 * window at 0x0a000000 is served by the "regfile" cell.  vCPU 0 writes
 * and reads it with every access size, sign- and zero-extending loads and
 * 32-bit registers, checks each value, takes the external abort the cell
 * answers for 0xf00; vCPU 1 reads a register the cell never answers and
 * stays blocked, while vCPU 0 carries on and powers the VM off.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define WINDOW		0x0a000000UL
#define PSCI_CPU_ON	0xc4000003UL
#define PSCI_SYSTEM_OFF	0x84000008UL

static volatile unsigned aborts;
static volatile uint64_t abort_esr, abort_far;
static unsigned passed, failed;

/* vCPU 1: one read the cell never answers. */
void unanswered_entry(void);
__asm__(".global unanswered_entry\n"
	"unanswered_entry:\n"
	"	ldr	x1, =0x0a000e00\n"
	"	ldr	x0, [x1]\n"
	"1:	wfi\n"
	"	b	1b\n"
	"	.ltorg\n");

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

static void putdec(unsigned v)
{
	char buf[12];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(buf[--n]);
}

static int64_t hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	abort_esr = esr;
	abort_far = far;
	aborts++;
}

static void check(const char *what, uint64_t got, uint64_t want)
{
	puts_(got == want ? "winclient: PASS " : "winclient: FAIL ");
	puts_(what);
	puts_(": ");
	puthex(got);
	if (got != want) {
		puts_(", expected ");
		puthex(want);
		failed++;
	} else {
		passed++;
	}
	puts_("\n");
}

#define LOAD(insn, reg, off) ({							\
	uint64_t __v;								\
	__asm__ volatile(insn " %" reg "0, [%1]" : "=r"(__v) : "r"(WINDOW + (off)) : "memory"); \
	__v;									\
})
#define STORE(insn, reg, off, val)						\
	__asm__ volatile(insn " %" reg "0, [%1]" : : "r"((uint64_t)(val)), "r"(WINDOW + (off)) : "memory")

int main(void)
{
	uint64_t v;

	puts_("winclient: window at 0x0a000000\n");
	check("ID register (ldr w)", LOAD("ldr", "w", 0x800), 0x52454746);
	check("badge", LOAD("ldr", "x", 0x808), 0x77);
	check("vCPU and size (ldr x)", LOAD("ldr", "x", 0x810), 8);
	check("vCPU and size (ldrh)", LOAD("ldrh", "w", 0x810), 2);

	STORE("str", "x", 0x0, 0x0123456789abcdefUL);
	check("str x / ldr x", LOAD("ldr", "x", 0x0), 0x0123456789abcdefUL);
	check("ldr w of the same register", LOAD("ldr", "w", 0x0), 0x89abcdef);
	check("ldrb of its byte 1", LOAD("ldrb", "w", 0x1), 0xcd);

	STORE("strb", "w", 0x8, 0xa5);
	check("strb / ldrb", LOAD("ldrb", "w", 0x8), 0xa5);
	check("ldrsb x", LOAD("ldrsb", "x", 0x8), 0xffffffffffffffa5UL);
	check("ldrsb w (top half clear)", LOAD("ldrsb", "w", 0x8), 0xffffffa5);

	STORE("strh", "w", 0x10, 0x8001);
	check("strh / ldrh", LOAD("ldrh", "w", 0x10), 0x8001);
	check("ldrsh x", LOAD("ldrsh", "x", 0x10), 0xffffffffffff8001UL);

	STORE("str", "w", 0x18, 0x80000000);
	check("str w / ldr w", LOAD("ldr", "w", 0x18), 0x80000000);
	check("ldrsw", LOAD("ldrsw", "x", 0x18), 0xffffffff80000000UL);

	/* A 32-bit store writes 4 bytes only, whatever the register's top. */
	STORE("str", "x", 0x20, 0x1111111111111111UL);
	v = 0xfeedfacedeadbeefUL;
	STORE("str", "w", 0x20, v);
	check("str w over a 64-bit register", LOAD("ldr", "x", 0x20), 0x11111111deadbeefUL);

	STORE("str", "x", 0x0, 0);	/* xzr */
	check("str xzr", LOAD("ldr", "x", 0x0), 0);

	(void)LOAD("ldr", "w", 0xf00);
	check("external abort answered for 0xf00", aborts, 1);
	check("its syndrome (EC 0x25, FSC 0x10)", abort_esr & 0xfc00003fUL, 0x94000010UL);
	check("its address", abort_far, WINDOW + 0xf00);

	/* vCPU 1 blocks for good on an unanswered read; vCPU 0 goes on. */
	check("CPU_ON(1)", (uint64_t)hvc(PSCI_CPU_ON, 1, (uint64_t)unanswered_entry, 0), 0);
	for (unsigned i = 0; i < 1000 && LOAD("ldr", "x", 0x818) != 1; i++)
		;
	check("faults the cell leaves unanswered", LOAD("ldr", "x", 0x818), 1);
	check("register file still there", LOAD("ldr", "x", 0x20), 0x11111111deadbeefUL);

	puts_(failed ? "winclient: FAIL: " : "winclient: PASS: ");
	putdec(passed);
	puts_(" checks passed, ");
	putdec(failed);
	puts_(" failed\n");
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	puts_("winclient: still running after SYSTEM_OFF\n");
	return 0;
}
