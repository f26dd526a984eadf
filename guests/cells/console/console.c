// SPDX-License-Identifier: MIT
/*
 * The console cell: owns the physical PL011 (its registers by a region
 * capability in slot 2, mapped at 0x10000000; its interrupt by an irq
 * capability in slot 3) and, with the console capability in slot 1,
 * multiplexes every domain's console on it.
 *
 * Output: the microvisor writes each domain's console output and its own
 * log lines as records into a ring in this cell's memory and wakes it;
 * the cell writes them to the UART, each domain's lines prefixed with its
 * name ("linux: ..."), a line another domain interrupts continued on a new
 * prefixed line.  Input: what the user types goes to one VM at a time, the
 * first VM to begin with; Ctrl-] moves it to the next running VM, and when
 * the VM that has it has stopped the next character moves it on by itself.
 * Arm PrimeCell UART PL011 TRM (DDI0183) for the registers.
 */
#include <mv_runtime.h>

#define SLOT_CONSOLE	1
#define SLOT_UART	2
#define SLOT_RX		3

#define UART		((volatile uint32_t *)0x10000000UL)
#define UARTDR		(0x000 / 4)
#define UARTFR		(0x018 / 4)
#define UARTFR_RXFE	(1u << 4)
#define UARTFR_TXFF	(1u << 5)
#define UARTIMSC	(0x038 / 4)
#define UARTICR		(0x044 / 4)
#define UART_RX_INTS	((1u << 4) | (1u << 6))	/* receive, receive timeout */

#define SWITCH_KEY	0x1d	/* Ctrl-] */
#define MAX_DOMAINS	16

static struct {
	char name[33];
	unsigned flags;		/* MV_CONSOLE_DOMAIN_* */
} dom[MAX_DOMAINS];
static unsigned ndom;
static int focus = -1;		/* the VM that gets input, or none */
static int owner = -1;		/* the domain whose line is open on the UART */
static uint32_t dropped;

static uint8_t ring_mem[64 * 1024] __attribute__((aligned(4096)));
static struct mv_console_ring *const ring = (struct mv_console_ring *)ring_mem;

static char input[256];		/* typed, not yet taken by the focused VM */
static unsigned in_head, in_count;

static void put(char c)
{
	if (c == '\n')
		put('\r');
	while (UART[UARTFR] & UARTFR_TXFF)
		;
	UART[UARTDR] = (uint32_t)(uint8_t)c;
}

static void put_str(const char *s)
{
	while (*s)
		put(*s++);
}

static void end_line(void)
{
	if (owner >= 0)
		put('\n');
	owner = -1;
}

/* One record: d is 0 for the microvisor's own lines, else index + 1. */
static void output(unsigned d, const char *s, unsigned n)
{
	if (!d) {
		end_line();
		for (unsigned i = 0; i < n; i++)
			put(s[i]);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		if (s[i] == '\r')
			continue;
		if (owner != (int)d) {
			end_line();
			put_str(d - 1 < ndom ? dom[d - 1].name : "?");
			put_str(": ");
			owner = (int)d;
		}
		put(s[i]);
		if (s[i] == '\n')
			owner = -1;
	}
}

static void drain(void)
{
	uint32_t head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	uint32_t t = ring->tail, size = ring->size, lost;
	char buf[256];

	while (t != head) {
		unsigned d = ring->data[t], n;

		t = (t + 1) % size;
		n = ring->data[t];
		t = (t + 1) % size;
		for (unsigned i = 0; i < n; i++, t = (t + 1) % size)
			buf[i] = (char)ring->data[t];
		output(d, buf, n);
	}
	__atomic_store_n(&ring->tail, t, __ATOMIC_RELEASE);
	lost = __atomic_load_n(&ring->dropped, __ATOMIC_RELAXED);
	if (lost != dropped) {
		end_line();
		mv_printf("%u line%s lost: the ring was full\n", lost - dropped,
			  lost - dropped == 1 ? "" : "s");
		dropped = lost;
	}
}

static void refresh(void)
{
	for (unsigned i = 0; i < ndom; i++)
		mv_console_domain(SLOT_CONSOLE, i, dom[i].name, &dom[i].flags);
}

/* Give input to the next running VM after the focused one (the user
 * asked, or the focused one stopped) and say so; false if there is none
 * but the focused one. */
static bool switch_focus(bool asked)
{
	const unsigned want = MV_CONSOLE_DOMAIN_VM | MV_CONSOLE_DOMAIN_RUNNING;
	unsigned from = focus < 0 ? ndom - 1 : (unsigned)focus;

	refresh();
	for (unsigned i = 1; i <= ndom; i++) {
		unsigned to = (from + i) % ndom;

		if ((dom[to].flags & want) == want && (to != from || asked || focus < 0)) {
			focus = (int)to;
			mv_printf("input goes to %s (Ctrl-] switches)\n", dom[to].name);
			return true;
		}
	}
	return false;
}

static void receive(void)
{
	while (!(UART[UARTFR] & UARTFR_RXFE)) {
		char c = (char)(UART[UARTDR] & 0xff);

		if (c == SWITCH_KEY)
			switch_focus(true);
		else if (in_count < sizeof(input))
			input[(in_head + in_count++) % sizeof(input)] = c;
	}
	UART[UARTICR] = UART_RX_INTS;
}

/* Hand what was typed to the focused VM, as far as its FIFO takes it. */
static void deliver(void)
{
	while (in_count) {
		int64_t rc = focus < 0 ? MV_ERR_STOPPED
				       : mv_console_input(SLOT_CONSOLE, (unsigned)focus, input[in_head]);

		if (rc == MV_OK) {
			in_head = (in_head + 1) % sizeof(input);
			in_count--;
		} else if (rc == MV_ERR_FULL) {
			return;		/* woken when the guest reads */
		} else if (!switch_focus(false)) {
			in_count = 0;	/* no VM runs to take it */
		}
	}
}

int main(void)
{
	char name[33];
	unsigned flags;
	int64_t rc = mv_console_attach(SLOT_CONSOLE, ring, sizeof(ring_mem));

	if (rc) {
		mv_printf("cannot attach the console ring: %ld\n", rc);
		return 1;
	}
	while (ndom < MAX_DOMAINS && mv_console_domain(SLOT_CONSOLE, ndom, name, &flags) == MV_OK) {
		__builtin_memcpy(dom[ndom].name, name, sizeof(name));
		dom[ndom++].flags = flags;
	}
	switch_focus(false);	/* the first VM */
	UART[UARTICR] = UART_RX_INTS;
	UART[UARTIMSC] |= UART_RX_INTS;
	for (;;) {
		drain();
		receive();
		deliver();
		if (mv_irq_ack(SLOT_RX) == MV_OK)
			continue;	/* re-armed: read what came meanwhile */
		mv_wait();
	}
}
