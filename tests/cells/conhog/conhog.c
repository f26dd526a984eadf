// SPDX-License-Identifier: MIT
/*
 * Hostile console cell: holds the console capability (slot 1) and the
 * UART's registers (slot 2, at 0x10000000: it prints its own lines there),
 * so it serves the UART window of the VM "reset" (slot 4).  Bad attaches
 * come first; then it attaches the smallest console ring and the window's
 * page, posts the data register's writes, publishes the flag register,
 * answers what came before, then drains nothing, answers nothing, and
 * after a while stops.  The VM's posted writes fill the ring and its next access
 * waits; the rest of the machine runs on; when the cell stops, the
 * waiting access ends in an external abort and the microvisor writes out
 * what the ring holds.
 */
#include <mv_runtime.h>

#define UART		((volatile uint32_t *)0x10000000UL)
#define UART_FR_TXFF	(1u << 5)
#define SLOT_WINDOW	MV_CONSOLE_UART_SLOT(0)	/* the VM "reset", domain 0 */

static uint8_t ring_mem[MV_CONSOLE_RING_MIN] __attribute__((aligned(4096)));
static struct mv_console_ring *const ring = (struct mv_console_ring *)ring_mem;
static struct mv_window_page page __attribute__((aligned(4096)));
static bool line_open;

static void mv_putc_raw(char c)
{
	while (UART[6] & UART_FR_TXFF)
		;
	UART[0] = (uint32_t)(uint8_t)c;
}

void mv_putc(char c)
{
	const char *p = "conhog: ";

	if (!line_open)
		while (*p)
			mv_putc_raw(*p++);
	line_open = c != '\n';
	if (c == '\n')
		mv_putc_raw('\r');
	mv_putc_raw(c);
}

static int64_t window_call(uint64_t fid, uint64_t slot, uint64_t a, uint64_t b)
{
	uint64_t x[8] = { fid, slot, a, b };

	mv_hypercall(x);
	return (int64_t)x[0];
}

static void expect(const char *what, int64_t rc, int64_t want)
{
	mv_printf("conhog: %s %s: %ld\n", rc == want ? "PASS" : "FAIL", what, rc);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t x[8] = { 0xc5000001 }, freq, t0;	/* no service of ours */
	struct mv_fault f;

	expect("attach outside the cell's memory",
	       mv_console_attach(1, (struct mv_console_ring *)0x20000000UL, MV_CONSOLE_RING_MIN),
	       MV_ERR_INVAL);
	expect("attach too small", mv_console_attach(1, ring, 64), MV_ERR_INVAL);
	expect("attach on an empty slot", mv_console_attach(9, ring, sizeof(ring_mem)), MV_ERR_SLOT);
	expect("attach on a region capability", mv_console_attach(2, ring, sizeof(ring_mem)),
	       MV_ERR_TYPE);
	expect("domain past the last", mv_console_domain(1, 5, (char[33]){ 0 }, &(unsigned){ 0 }),
	       MV_ERR_INVAL);
	expect("window attach on the console capability",
	       window_call(MV_HC_WINDOW_ATTACH, 1, (uintptr_t)&page, sizeof(page)), MV_ERR_TYPE);
	expect("window attach outside the cell's memory",
	       window_call(MV_HC_WINDOW_ATTACH, SLOT_WINDOW, 0x20000000UL, sizeof(page)), MV_ERR_INVAL);
	expect("window attach too small",
	       window_call(MV_HC_WINDOW_ATTACH, SLOT_WINDOW, (uintptr_t)&page, 64), MV_ERR_INVAL);
	expect("window interrupt level 2", window_call(MV_HC_WINDOW_IRQ, SLOT_WINDOW, 2, 0),
	       MV_ERR_INVAL);
	expect("window interrupt on an empty slot", window_call(MV_HC_WINDOW_IRQ, 9, 1, 0),
	       MV_ERR_SLOT);
	expect("the input call of phase 1 is gone", window_call(MV_HC_CONSOLE_INPUT, 1, 0, 'x'),
	       MV_ERR_NOT_SUPPORTED);
	/* Writes to DR posted, never a wake-up; FR says "transmit FIFO
	 * empty"; nothing else published. */
	page.rule[0] = (struct mv_window_rule){ 0, 0, 0, 0, 1, 0 };
	page.nrules = 1;
	page.answer[0x18 / 4] = 0x90;
	page.published[0] = 1u << (0x18 / 4);
	expect("window attach", window_call(MV_HC_WINDOW_ATTACH, SLOT_WINDOW, (uintptr_t)&page,
					    sizeof(page)), MV_OK);
	expect("attach", mv_console_attach(1, ring, sizeof(ring_mem)), MV_OK);
	/* What came before the page (the guest runs from boot): answered, as
	 * if by a UART that is always ready; then never again. */
	while (mv_fault_recv(SLOT_WINDOW, &f, false) == MV_OK)
		mv_fault_reply(SLOT_WINDOW, f.vcpu, MV_FAULT_RESUME, 0x90);
	mv_hypercall(x);	/* the microvisor logs it, into the ring */
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	for (t0 = counter(); counter() - t0 < 3 * freq;)
		;
	mv_printf("conhog: stopping with %u posted writes untaken\n", page.head);
	return 0;
}
