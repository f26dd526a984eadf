// SPDX-License-Identifier: MIT
/*
 * Hostile-guest test: FP/SIMD isolation under the lazy switch.  Two VMs
 * run this guest on one physical CPU (tests/dts/fpiso.dts).  Each checks
 * that q0-q31, FPCR and FPSR read zero when it starts, writes its own
 * pattern into all of them, and checks them over and over while the
 * scheduler takes the CPU away (a jump of the virtual counter between two
 * checks: the other VM ran).  The VM whose bootargs say "fpiso=reset"
 * asks for PSCI SYSTEM_RESET after PREEMPTIONS preemptions and checks
 * again from the start, so a restarted VM that sees its old run's
 * registers (or the other's) fails; the other VM checks forever.
 */
#include <stdbool.h>
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define PREEMPTIONS	8

struct fpregs {
	uint64_t q[64];		/* q0-q31, low half first */
	uint64_t fpcr, fpsr;
};

static struct fpregs want, other, seen;

static void puts_(const char *s)
{
	for (; *s; s++) {
		while (UART[6] & UART_FR_TXFF)
			;
		UART[0] = (uint32_t)*s;
	}
}

static void puthex(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = 0;
	puts_(buf);
}

static void putdec(unsigned v)
{
	char buf[12];
	int i = 11;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(&buf[i]);
}

void sync_handler(uint64_t esr, uint64_t far)
{
	puts_("fpiso: FAIL EL1 sync exception ESR ");
	puthex(esr);
	puts_("\n");
	(void)far;
}

static void hvc0(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static uint64_t counter(void)
{
	uint64_t c;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c));
	return c;
}

#define FP_ASM(op, base)						\
	".arch_extension fp\n\t.arch_extension simd\n\t"		\
	op " q0, q1, [" base ", #32 * 0]\n\t"  op " q2, q3, [" base ", #32 * 1]\n\t"	\
	op " q4, q5, [" base ", #32 * 2]\n\t"  op " q6, q7, [" base ", #32 * 3]\n\t"	\
	op " q8, q9, [" base ", #32 * 4]\n\t"  op " q10, q11, [" base ", #32 * 5]\n\t"	\
	op " q12, q13, [" base ", #32 * 6]\n\t" op " q14, q15, [" base ", #32 * 7]\n\t"	\
	op " q16, q17, [" base ", #32 * 8]\n\t" op " q18, q19, [" base ", #32 * 9]\n\t"	\
	op " q20, q21, [" base ", #32 * 10]\n\t" op " q22, q23, [" base ", #32 * 11]\n\t" \
	op " q24, q25, [" base ", #32 * 12]\n\t" op " q26, q27, [" base ", #32 * 13]\n\t" \
	op " q28, q29, [" base ", #32 * 14]\n\t" op " q30, q31, [" base ", #32 * 15]\n\t"

static void fp_read(struct fpregs *r)
{
	__asm__ volatile(FP_ASM("stp", "%2")
			 "mrs %0, fpcr\n\tmrs %1, fpsr"
			 : "=&r"(r->fpcr), "=&r"(r->fpsr) : "r"(r->q) : "memory");
}

static void fp_write(const struct fpregs *r)
{
	__asm__ volatile(FP_ASM("ldp", "%0")
			 "msr fpcr, %1\n\tmsr fpsr, %2"
			 : : "r"(r->q), "r"(r->fpcr), "r"(r->fpsr) : "memory");
}

/* The pattern of the VM with the given role: distinct in every register. */
static void pattern(struct fpregs *r, bool resetter)
{
	uint64_t tag = resetter ? 0xaaaa5a5a00000000UL : 0xbbbbc3c300000000UL;

	for (unsigned i = 0; i < 64; i++)
		r->q[i] = tag | (uint64_t)i << 16 | (i * 0x1111U);
	/* A: DN, RMode towards +inf; B: FZ, RMode towards -inf.  FPSR: QC and
	 * a cumulative flag (IOC, IXC). */
	r->fpcr = resetter ? 0x02400000UL : 0x01800000UL;
	r->fpsr = resetter ? 0x08000001UL : 0x08000010UL;
}

/* Compare what the registers hold with what they should; report the
 * first difference, naming whose pattern it is when it is a known one. */
static bool check(const char *when, const struct fpregs *expect)
{
	const char *names[2] = { "FPCR", "FPSR" };
	const uint64_t *s = seen.q, *w = expect->q, *o = other.q;

	for (unsigned i = 0; i < 66; i++) {
		uint64_t sv = i < 64 ? s[i] : i == 64 ? seen.fpcr : seen.fpsr;
		uint64_t wv = i < 64 ? w[i] : i == 64 ? expect->fpcr : expect->fpsr;
		uint64_t ov = i < 64 ? o[i] : i == 64 ? other.fpcr : other.fpsr;
		uint64_t mv = i < 64 ? want.q[i] : i == 64 ? want.fpcr : want.fpsr;

		if (sv == wv)
			continue;
		puts_("fpiso: FAIL ");
		puts_(when);
		puts_(": ");
		if (i < 64) {
			puts_("q");
			putdec(i / 2);
			puts_(i & 1 ? " (high)" : " (low)");
		} else {
			puts_(names[i - 64]);
		}
		puts_(" is ");
		puthex(sv);
		puts_(", expected ");
		puthex(wv);
		puts_(sv == ov ? ": the other VM's pattern\n" :
		      sv == mv ? ": this VM's own pattern (stale, from before the reset)\n" : "\n");
		return false;
	}
	return true;
}

static bool has_arg(const uint8_t *dtb, const char *arg)
{
	uint32_t size = (uint32_t)dtb[4] << 24 | (uint32_t)dtb[5] << 16 |
			(uint32_t)dtb[6] << 8 | dtb[7];

	for (uint32_t i = 0; i < size && i < 0x10000; i++) {
		unsigned k = 0;

		while (arg[k] && i + k < size && dtb[i + k] == (uint8_t)arg[k])
			k++;
		if (!arg[k])
			return true;
	}
	return false;
}

int main(uint64_t dtb)
{
	static const struct fpregs zero;
	bool resetter = has_arg((const uint8_t *)dtb, "fpiso=reset");
	uint64_t freq, last, now;
	unsigned preempted = 0;

	/* FP/SIMD at EL0/EL1 not trapped to EL1 (CPACR_EL1.FPEN). */
	__asm__ volatile("msr cpacr_el1, %0; isb" : : "r"(3UL << 20));
	pattern(&want, resetter);
	pattern(&other, !resetter);
	fp_read(&seen);
	if (!check("at start", &zero))
		goto stop;
	puts_("fpiso: PASS q0-q31, FPCR, FPSR zero at start\n");
	fp_write(&want);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	last = counter();
	for (;;) {
		fp_read(&seen);
		if (!check("while running", &want))
			goto stop;
		now = counter();
		if (now - last > freq / 500) {	/* 2 ms gone: it was preempted */
			if (++preempted % PREEMPTIONS == 0) {
				puts_("fpiso: PASS registers kept across ");
				putdec(preempted);
				puts_(" preemptions\n");
				if (resetter) {
					puts_("fpiso: resetting\n");
					/* Own the CPU's registers when it goes:
					 * the reset must drop them unsaved. */
					fp_read(&seen);
					if (!check("before the reset", &want))
						goto stop;
					hvc0(0x84000009);	/* PSCI SYSTEM_RESET */
					puts_("fpiso: FAIL still running after SYSTEM_RESET\n");
					goto stop;
				}
			}
		}
		last = counter();
	}
stop:
	hvc0(0x84000008);	/* PSCI SYSTEM_OFF */
	return 0;
}
