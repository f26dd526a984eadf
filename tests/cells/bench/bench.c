// SPDX-License-Identifier: MIT
/*
 * Benchmark cell (make bench): under QEMU -icount shift=0 one instruction is
 * one nanosecond of virtual time, so the virtual counter's advance over many
 * iterations gives instructions per operation.  Measures the null hypercall
 * round trip and a channel signal round trip with the "echo" cell on the
 * same physical CPU (two switches per round trip), with the combined
 * send-and-receive call and with the separate calls, checking every
 * answer; and a read of a window served by the "winecho" cell on the same
 * CPU (forwarded to it as a message, answered, resumed: two switches).
 * Prints one "BENCH <name> <value> <unit>" line each.
 */
#include <mv_runtime.h>

#define ITERATIONS	20000
/* A register of the window winecho serves: reads return the offset. */
#define WINDOW_REG_OFFSET	0x18
#define WINDOW_REG	((volatile uint64_t *)(0x0a000000UL + WINDOW_REG_OFFSET))
#define ECHO_BADGE	0x20

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

/* Instructions per iteration, from counter ticks (1 ns per instruction). */
static uint64_t per_op(uint64_t ticks, uint64_t n)
{
	return ticks * (1000000000UL / frequency()) / n;
}

int main(void)
{
	struct mv_msg m;
	uint64_t t0, t1, t2;
	const uint64_t w[4] = { 1, 2, 3, 0x6563686f };
	unsigned bad = 0;

	t0 = counter();
	for (unsigned i = 0; i < ITERATIONS; i++)
		mv_null();
	t1 = counter();
	/* The loop's own cost, to subtract. */
	for (unsigned i = 0; i < ITERATIONS; i++)
		__asm__ volatile("" ::: "memory");
	t2 = counter();
	mv_printf("BENCH null-hypercall %lu instructions\n",
		  per_op((t1 - t0) - (t2 - t1), ITERATIONS));

	/* Call and reply-and-wait: one hypercall on each side.  Each round
	 * trip raises another signal bit; the echo answers with the same. */
	t0 = counter();
	for (unsigned i = 0; i < ITERATIONS; i++) {
		uint64_t sig = 1UL << (i & 63);

		if (mv_send_recv(1, sig, 0, 0, 2, &m) != MV_OK || m.signals != sig)
			bad++;
	}
	t1 = counter();
	mv_printf("BENCH channel-round-trip %lu instructions\n", per_op(t1 - t0, ITERATIONS));

	/* The same with the separate calls: send, then receive until there is
	 * something, waiting while there is not. */
	t0 = counter();
	for (unsigned i = 0; i < ITERATIONS; i++) {
		mv_send(1, 1, 0, 0);
		while (mv_recv(2, &m) == MV_ERR_EMPTY)
			mv_wait();
		bad += m.signals != 1;
	}
	t1 = counter();
	mv_printf("BENCH channel-round-trip-send-wait %lu instructions\n",
		  per_op(t1 - t0, ITERATIONS));

	/* A message: the payload comes back with the echo's badge. */
	if (mv_send_recv(1, 0, 4, w, 2, &m) != MV_OK || m.badge != ECHO_BADGE ||
	    m.nwords != 4 || m.signals || m.word[0] != w[0] || m.word[3] != w[3]) {
		mv_printf("bench: message not echoed: badge 0x%lx, %lu words, signals 0x%lx, words %lx %lx %lx %lx\n",
			  m.badge, m.nwords, m.signals, m.word[0], m.word[1], m.word[2], m.word[3]);
		bad++;
	}
	if (bad)
		mv_printf("bench: FAIL: %u wrong answers\n", bad);
	else
		mv_printf("bench: PASS: every answer checked\n");

	t0 = counter();
	for (unsigned i = 0; i < ITERATIONS; i++) {
		if (*WINDOW_REG != WINDOW_REG_OFFSET) {
			mv_printf("bench: forwarded-fault: wrong value read\n");
			return 1;
		}
	}
	t1 = counter();
	mv_printf("BENCH forwarded-fault %lu instructions\n", per_op(t1 - t0, ITERATIONS));
	return 0;
}
