// SPDX-License-Identifier: MIT
// Hostile-guest test: PSCI CPU_OFF on vCPU 1 and CPU_ON from vCPU 0 as soon
// as AFFINITY_INFO reports it off (what Linux's CPU hotplug does).
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL

extern char secondary_entry[];
static volatile uint64_t started, off_returned, last_ctx;

static int64_t psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

static void puts_(const char *s)
{
	while (*s)
		UART[0] = (uint32_t)*s++;
}

static void putdec(uint64_t v)
{
	char b[24];
	int i = 0;

	do
		b[i++] = (char)('0' + v % 10);
	while (v /= 10);
	while (i)
		UART[0] = (uint32_t)b[--i];
}

void secondary_main(uint64_t ctx)
{
	last_ctx = ctx;
	started++; __asm__ volatile("dmb ish" ::: "memory");
	psci(PSCI_CPU_OFF, 0, 0, 0);
	off_returned++; __asm__ volatile("dmb ish" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}

int main(void)
{
	uint64_t rounds = 0, lost = 0, errors = 0;

	puts_("offon: start\n");
	for (uint64_t i = 1; i <= 3000; i++) {
		unsigned long t;
		int64_t rc;

		for (t = 0; t < 10000000UL && psci(PSCI_AFFINITY_INFO, 1, 0, 0) != 1; t++)
			;
		rc = psci(PSCI_CPU_ON, 1, (uint64_t)secondary_entry, i);
		if (rc) {
			errors++;
			continue;
		}
		for (t = 0; t < 50000000UL && started < i - lost; t++)
			;
		if (started < i - lost) {
			lost++;
			puts_("offon: CPU_ON returned SUCCESS but vCPU 1 never started, round ");
			putdec(i);
			puts_("\n");
			if (lost > 3)
				break;
		}
		rounds++;
		if (off_returned) {
			puts_("offon: CPU_OFF RETURNED on vCPU 1 (round ");
			putdec(i);
			puts_(")\n");
			break;
		}
	}
	puts_("offon: rounds ");
	putdec(rounds);
	puts_(" started ");
	putdec(started);
	puts_(" lost ");
	putdec(lost);
	puts_(" cpu_on errors ");
	putdec(errors);
	puts_(" cpu_off returned ");
	putdec(off_returned);
	puts_("\n");
	psci(0x84000008, 0, 0, 0);
	return 0;
}
