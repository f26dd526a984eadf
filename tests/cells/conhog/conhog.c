// SPDX-License-Identifier: MIT
/*
 * Hostile console cell: holds the console capability (slot 1), attaches
 * the smallest ring and never drains it, then prints far more than the
 * ring holds.  Its lines beyond the ring are dropped and counted; the
 * microvisor's own line meanwhile (an unknown hypercall, logged) is not
 * lost but goes to the UART directly; when the cell stops, the microvisor
 * writes what the ring holds and the count.  Bad attaches come first.
 */
#include <mv_runtime.h>

static uint8_t ring_mem[MV_CONSOLE_RING_MIN] __attribute__((aligned(4096)));
static struct mv_console_ring *const ring = (struct mv_console_ring *)ring_mem;

static void expect(const char *what, int64_t rc, int64_t want)
{
	mv_printf("conhog: %s %s: %ld\n", rc == want ? "PASS" : "FAIL", what, rc);
}

int main(void)
{
	uint64_t x[8] = { 0xc5000001 };	/* no service of ours */

	expect("attach outside the cell's memory",
	       mv_console_attach(1, (struct mv_console_ring *)0x20000000UL, MV_CONSOLE_RING_MIN),
	       MV_ERR_INVAL);
	expect("attach too small", mv_console_attach(1, ring, 64), MV_ERR_INVAL);
	expect("attach on an empty slot", mv_console_attach(2, ring, sizeof(ring_mem)), MV_ERR_SLOT);
	expect("input to a cell", mv_console_input(1, 0, 'x'), MV_ERR_INVAL);
	expect("domain past the last", mv_console_domain(1, 5, (char[33]){ 0 }, &(unsigned){ 0 }),
	       MV_ERR_INVAL);
	expect("attach", mv_console_attach(1, ring, sizeof(ring_mem)), MV_OK);
	for (unsigned i = 0; i < 400; i++)
		mv_printf("conhog: line %u of 400\n", i);
	mv_hypercall(x);	/* the microvisor logs it: the ring is full */
	return 0;
}
