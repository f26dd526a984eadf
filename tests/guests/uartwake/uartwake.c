// SPDX-License-Identifier: MIT
/*
 * Hostile-guest test (GICv3, 2 vCPUs on one physical CPU): vCPU 0 waits in
 * WFI for the UART's interrupt; vCPU 1 raises it by enabling the UART's TX
 * interrupt (TXRIS is set from reset), then spins without ever exiting.
 * The UART access that woke vCPU 0 must still let the scheduler run it
 * (within a time slice), though the access took the console's fastpath.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_IMSC	(0x038 / 4)
#define UART_TXIM	(1U << 5)
#define GICD		((volatile uint32_t *)0x08000000UL)
#define GICR		((volatile uint32_t *)0x080a0000UL)
#define UART_INTID	33
#define PSCI_CPU_ON	0xc4000003UL
#define PSCI_SYSTEM_OFF	0x84000008UL

void secondary_entry(void);
void secondary_main(void);

/* vCPU 1 enters here (PSCI CPU_ON) with its own stack. */
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n"
	"\tadrp x1, stack1_top\n\tadd x1, x1, :lo12:stack1_top\n\tmov sp, x1\n"
	"\tb secondary_main\n"
	".bss\n.balign 16\n.space 4096\nstack1_top:\n.text\n");

/* The virtual UART's transmit FIFO is never full. */
static void puts_(const char *s)
{
	while (*s)
		UART[0] = (uint32_t)*s++;
}

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
}

static uint64_t hvc(uint64_t fid, uint64_t a1, uint64_t a2)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void secondary_main(void)
{
	UART[UART_IMSC] = UART_TXIM;	/* raises the UART's line at once */
	for (;;)
		__asm__ volatile("" ::: "memory");	/* no exit ever again */
}

int main(void)
{
	puts_("uartwake: start\n");
	GICD[0] = 2 | 0x10;					/* EnableGrp1, ARE */
	GICR[0x14 / 4] = 0;					/* GICR_WAKER: awake */
	GICD[0x80 / 4 + UART_INTID / 32] |= 1U << (UART_INTID % 32);	/* group 1 */
	((volatile uint8_t *)GICD)[0x400 + UART_INTID] = 0xa0;	/* priority */
	*(volatile uint64_t *)((uintptr_t)GICD + 0x6000 + 8 * UART_INTID) = 0;	/* vCPU 0 */
	GICD[0x100 / 4 + UART_INTID / 32] = 1U << (UART_INTID % 32);	/* enable */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" :: "r"(0xffUL));		/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" :: "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	if (hvc(PSCI_CPU_ON, 1, (uint64_t)secondary_entry)) {
		puts_("uartwake: FAIL CPU_ON\n");
	} else {
		for (;;) {
			uint64_t iar;

			__asm__ volatile("wfi");
			__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar));	/* ICC_IAR1_EL1 */
			if (iar >= 1020)
				continue;
			UART[UART_IMSC] = 0;
			__asm__ volatile("msr S3_0_C12_C12_1, %0; isb" :: "r"(iar));	/* EOIR1 */
			if (iar == UART_INTID)
				break;
		}
		puts_("uartwake: PASS vCPU 0 woken by the UART interrupt vCPU 1 raised\n");
	}
	hvc(PSCI_SYSTEM_OFF, 0, 0);
	return 0;
}
