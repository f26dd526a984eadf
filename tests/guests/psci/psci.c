// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest with 4 vCPUs for the boot tests of the PSCI service
 * (Arm DEN0022): VERSION, FEATURES, MIGRATE_INFO_TYPE, CPU_ON (including
 * three vCPUs racing to start the same one: exactly one SUCCESS),
 * AFFINITY_INFO, CPU_OFF, then SYSTEM_OFF.  Only vCPU 0 prints.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_SUSPEND	0xc4000001UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_FEATURES		0x8400000aUL

extern char secondary_entry[];

/* Each racer's CPU_ON result; RACE_PENDING until it has returned (0 is
 * SUCCESS, so it cannot mean "not yet"). */
#define RACE_PENDING	1
static volatile int64_t race_result[4] = { RACE_PENDING, RACE_PENDING, RACE_PENDING, RACE_PENDING };
static volatile uint32_t started[4];
static volatile uint32_t go, off3;

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
	for (; *s; s++) {
		while (UART[6] & UART_FR_TXFF)
			;
		UART[0] = (uint32_t)*s;
	}
}

static void putdec(int64_t v)
{
	char buf[24];
	int i = 0;

	if (v < 0) {
		puts_("-");
		v = -v;
	}
	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		UART[0] = (uint32_t)buf[--i];
}

static void report(const char *what, int64_t got, int64_t want)
{
	puts_(got == want ? "psci-guest: PASS " : "psci-guest: FAIL ");
	puts_(what);
	puts_(" = ");
	putdec(got);
	if (got != want) {
		puts_(", expected ");
		putdec(want);
	}
	puts_("\n");
}

static void cpu_on_3(unsigned me)
{
	race_result[me] = psci(PSCI_CPU_ON, 3, (uint64_t)secondary_entry, 3);
}

void secondary_main(unsigned me)
{
	started[me]++;
	if (me == 3) {
		/* Stay on until the race is judged, then turn off. */
		while (!off3)
			;
		psci(PSCI_CPU_OFF, 0, 0, 0);
		started[3] = 99;	/* must never run: CPU_OFF does not return */
		return;
	}
	while (!go)
		;
	cpu_on_3(me);
	for (;;)
		__asm__ volatile("wfi");
}

static void wait_for(volatile uint32_t *flag)
{
	for (unsigned long i = 0; i < 100000000UL && !*flag; i++)
		;
}

int main(void)
{
	int64_t winners = 0, already = 0;

	report("VERSION", psci(PSCI_VERSION, 0, 0, 0), 0x10001);
	report("FEATURES(CPU_ON)", psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	report("FEATURES(CPU_SUSPEND)", psci(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0), -1);
	report("MIGRATE_INFO_TYPE", psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	report("AFFINITY_INFO(1) before CPU_ON", psci(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	report("CPU_ON(7)", psci(PSCI_CPU_ON, 7, (uint64_t)secondary_entry, 7), -2);
	report("CPU_ON(1)", psci(PSCI_CPU_ON, 1, (uint64_t)secondary_entry, 1), 0);
	report("CPU_ON(1) again", psci(PSCI_CPU_ON, 1, (uint64_t)secondary_entry, 1), -4);
	report("CPU_ON(2)", psci(PSCI_CPU_ON, 2, (uint64_t)secondary_entry, 2), 0);
	wait_for(&started[1]);
	wait_for(&started[2]);
	report("AFFINITY_INFO(1) after CPU_ON", psci(PSCI_AFFINITY_INFO, 1, 0, 0), 0);
	go = 1;
	cpu_on_3(0);
	for (unsigned long i = 0; i < 100000000UL &&
			(race_result[1] == RACE_PENDING || race_result[2] == RACE_PENDING); i++)
		;
	wait_for(&started[3]);
	for (unsigned long i = 0; i < 20000000UL; i++)
		__asm__ volatile("" ::: "memory");
	for (unsigned i = 0; i < 3; i++) {
		winners += race_result[i] == 0;
		already += race_result[i] == -4;
	}
	report("racing CPU_ON(3): SUCCESS count", winners, 1);
	report("racing CPU_ON(3): ALREADY_ON count", already, 2);
	report("vCPU 3 started once", started[3], 1);
	report("AFFINITY_INFO(3) while on", psci(PSCI_AFFINITY_INFO, 3, 0, 0), 0);
	off3 = 1;
	for (unsigned long i = 0; i < 100000000UL && psci(PSCI_AFFINITY_INFO, 3, 0, 0) != 1; i++)
		;
	report("AFFINITY_INFO(3) after its CPU_OFF", psci(PSCI_AFFINITY_INFO, 3, 0, 0), 1);
	puts_("psci-guest: done\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	return 0;
}
