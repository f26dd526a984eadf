// SPDX-License-Identifier: MIT
/*
 * The console cell: owns the physical PL011 (its registers by a region
 * capability in slot 2, mapped at 0x10000000; its interrupt by an irq
 * capability in slot 3), holds the console capability in slot 1, and
 * serves every other domain's virtual PL011: domain i's UART window comes
 * as a fault capability in slot MV_CONSOLE_UART_SLOT(i) (badge i).
 *
 * The UART model (vpl011.c) runs here, one per domain.  So that a guest
 * printing does not wait for this cell at every character, each window has
 * a page (struct mv_window_page, docs/abi.md "Fast windows") where the
 * cell publishes what reads of the registers return, and lets writes to
 * the data register (and to the control register, while loopback stays
 * off) be posted: the microvisor queues them in the page's ring and the
 * guest runs on.  The cell takes the ring before it answers a fault of
 * that window, which keeps the guest's order.  A published answer is
 * marked ordered when a posted write could change it (the control
 * register; the interrupt status while the transmit interrupt is not
 * latched), so that such a read waits for the ring to be taken.
 *
 * Output: each domain's bytes are collected a line at a time and written
 * to the UART prefixed with its name ("linux: ..."), a partial line (a
 * prompt) when the domain goes idle; the microvisor's own lines come
 * through the console ring (MV_HC_CONSOLE_ATTACH).  Input: what the user
 * types goes to one VM at a time, the first VM to begin with; Ctrl-]
 * moves it to the next running VM, and when the VM that has it has
 * stopped the next character moves it on by itself.  Arm PrimeCell UART
 * PL011 TRM (DDI0183) for the registers.
 */
#include <mv_runtime.h>

#include "vpl011.h"

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

/* The model's registers (vpl011.c) this cell publishes or posts. */
#define REG_DR		0x000
#define REG_CR		0x030
#define REG_RIS		0x03c
#define REG_MIS		0x040
#define CR_LBE		(1u << 7)
#define INT_TX		(1u << 5)
/* Every one in bitmap word 0 or 31 (publish() relies on it). */
static const uint16_t published_regs[] = {
	0x000, 0x004, 0x018, 0x020, 0x024, 0x028, 0x02c, 0x030, 0x034, 0x038, 0x03c,
	0x040, 0x044, 0x048, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc,
};

#define SWITCH_KEY	0x1d	/* Ctrl-] */
#define MAX_DOMAINS	5	/* MV_MAX_VMS */
#define LINE		256	/* a domain's output is written a line at a time */
#define WAKE_BATCH	(MV_WINDOW_RING / 2)

struct domain {
	char name[33];
	unsigned flags;		/* MV_CONSOLE_DOMAIN_* */
	bool served;		/* its UART is this cell's (not the cell itself) */
	bool cr_seen;		/* it writes CR around its lines (Linux's console) */
	struct vpl011 uart;
	struct mv_window_page *pg;
	uint32_t tail, idle;
	char out[LINE];
	unsigned out_len;
};

static struct domain dom[MAX_DOMAINS];
static struct mv_window_page pages[MAX_DOMAINS] __attribute__((aligned(4096)));
static unsigned ndom;
static int self = -1;		/* this cell's own index */
static int focus = -1;		/* the VM that gets input, or none */
static int owner = -1;		/* the domain whose line is open on the UART */

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

/* One piece of output: d is 0 for the microvisor's own lines, else the
 * domain's index + 1. */
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

static void flush(struct domain *c)
{
	if (c->out_len)
		output((unsigned)(c - dom) + 1, c->out, c->out_len);
	c->out_len = 0;
}

static void collect(struct domain *c, char ch)
{
	c->out[c->out_len++] = ch;
	if (ch == '\n' || c->out_len == LINE)
		flush(c);
}

/* This cell's own lines (mv_printf) go out as any domain's. */
void mv_putc(char ch)
{
	if (self >= 0)
		collect(&dom[self], ch);
	else
		put(ch);
}

/* The model's callbacks. */
static void uart_tx(void *ctx, char ch)
{
	collect(ctx, ch);
}

static void uart_irq(void *ctx, bool level)
{
	const struct domain *c = ctx;

	mv_window_irq(MV_CONSOLE_UART_SLOT(c - dom), level);
}

static void set_bit(uint32_t *map, unsigned word, bool on)
{
	if (on)
		map[word / 32] |= 1u << (word % 32);
	else
		map[word / 32] &= ~(1u << (word % 32));
}

/*
 * Tell the microvisor what it may do without us, from the model's state:
 * every register read that changes nothing is published; DR writes are
 * posted unless in loopback (where they feed the receive FIFO), and so
 * are CR writes that leave loopback off (they change nothing else a read
 * shows but CR, which is ordered).  Answers going away are withdrawn
 * before the new ones are written.
 */
static void publish(struct domain *c)
{
	struct mv_window_page *pg = c->pg;
	uint32_t pub[MV_WINDOW_WORDS / 32] = { 0 }, ord[MV_WINDOW_WORDS / 32] = { 0 };
	uint32_t val[sizeof(published_regs) / sizeof(published_regs[0])];
	bool ok[sizeof(published_regs) / sizeof(published_regs[0])];
	bool loopback = c->uart.cr & CR_LBE, tx_latched = c->uart.ris & INT_TX;
	const unsigned n = sizeof(published_regs) / sizeof(published_regs[0]);

	for (unsigned i = 0; i < n; i++) {
		ok[i] = vpl011_peek(&c->uart, published_regs[i], &val[i]);
		set_bit(pub, published_regs[i] / 4, ok[i]);
	}
	set_bit(ord, REG_CR / 4, true);
	set_bit(ord, REG_RIS / 4, !tx_latched);
	set_bit(ord, REG_MIS / 4, !tx_latched);
	/* Withdraw first, then answer, then publish; only the bitmap words
	 * the registers are in (0: 0x000-0x07c, 31: 0xf80-0xffc) and what
	 * changed. */
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = k ? MV_WINDOW_WORDS / 32 - 1 : 0;

		if (pg->published[i] & ~pub[i])
			__atomic_store_n(&pg->published[i], pg->published[i] & pub[i], __ATOMIC_RELEASE);
		if (pg->ordered[i] != ord[i])
			__atomic_store_n(&pg->ordered[i], ord[i], __ATOMIC_RELEASE);
	}
	for (unsigned i = 0; i < n; i++)
		if (ok[i] && pg->answer[published_regs[i] / 4] != val[i])
			__atomic_store_n(&pg->answer[published_regs[i] / 4], val[i], __ATOMIC_RELEASE);
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = k ? MV_WINDOW_WORDS / 32 - 1 : 0;

		if (pg->published[i] != pub[i])
			__atomic_store_n(&pg->published[i], pub[i], __ATOMIC_RELEASE);
	}
	if (loopback) {
		__atomic_store_n(&pg->nrules, 0, __ATOMIC_RELEASE);
		return;
	}
	/* DR: a newline wakes us, until the guest shows it writes CR around
	 * its lines: then the next line's CR read (ordered) does. */
	pg->rule[0] = (struct mv_window_rule){ REG_DR, 0, 0, c->cr_seen ? 0 : 0xff,
					       c->cr_seen ? 1 : '\n', 0 };
	pg->rule[1] = (struct mv_window_rule){ REG_CR, CR_LBE, 0, 0, 1, 0 };
	pg->wake_count = WAKE_BATCH;
	__atomic_store_n(&pg->nrules, 2, __ATOMIC_RELEASE);
}

static void reset_uart(struct domain *c)
{
	flush(c);
	vpl011_init(&c->uart, uart_tx, uart_irq, c);
	c->cr_seen = false;
	mv_window_irq(MV_CONSOLE_UART_SLOT(c - dom), false);
}

/* Take domain c's posted writes, in order. */
static void take_posted(struct domain *c)
{
	struct mv_window_page *pg = c->pg;
	uint32_t head = __atomic_load_n(&pg->head, __ATOMIC_ACQUIRE), idle;

	if (c->tail == head)
		goto idle;
	while (c->tail != head) {
		struct mv_window_write e = pg->ring[c->tail % MV_WINDOW_RING];
		uint64_t v = e.value;

		if (e.kind == MV_WINDOW_RESET) {
			reset_uart(c);
		} else {
			c->cr_seen |= e.offset == REG_CR;
			vpl011_access(&c->uart, e.offset, e.size, true, &v);
		}
		c->tail++;
	}
	publish(c);
	__atomic_store_n(&pg->tail, c->tail, __ATOMIC_RELEASE);
idle:
	/* A vCPU of it stopped running: its partial line (a prompt) now. */
	idle = __atomic_load_n(&pg->idle, __ATOMIC_ACQUIRE);
	if (idle != c->idle) {
		c->idle = idle;
		flush(c);
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

/* Hand what was typed to the focused VM, as far as its FIFO takes it. */
static void deliver(void)
{
	const unsigned want = MV_CONSOLE_DOMAIN_VM | MV_CONSOLE_DOMAIN_RUNNING;
	struct domain *c;
	bool any = false;

	if (!in_count)
		return;
	if (focus >= 0) {
		c = &dom[focus];
		mv_console_domain(SLOT_CONSOLE, (unsigned)focus, c->name, &c->flags);
	}
	if ((focus < 0 || (dom[focus].flags & want) != want) && !switch_focus(false)) {
		in_count = 0;	/* no VM runs to take it */
		return;
	}
	c = &dom[focus];
	take_posted(c);		/* what it wrote before comes first */
	while (in_count && vpl011_input(&c->uart, input[in_head])) {
		in_head = (in_head + 1) % sizeof(input);
		in_count--;
		any = true;
	}
	if (any)
		publish(c);
	/* The rest when the guest has read some: its DR read comes here. */
}

static void receive(void)
{
	while (!(UART[UARTFR] & UARTFR_RXFE)) {
		char ch = (char)(UART[UARTDR] & 0xff);

		if (ch == SWITCH_KEY)
			switch_focus(true);
		else if (in_count < sizeof(input))
			input[(in_head + in_count++) % sizeof(input)] = ch;
	}
	UART[UARTICR] = UART_RX_INTS;
}

/* Accesses to domain c's UART that the microvisor could not complete. */
static void serve(struct domain *c)
{
	unsigned slot = MV_CONSOLE_UART_SLOT(c - dom);
	struct mv_fault f;

	while (mv_fault_recv(slot, &f, false) == MV_OK) {
		uint64_t v = f.value;
		bool write = f.kind == MV_FAULT_WRITE;

		take_posted(c);
		if (f.kind != MV_FAULT_READ && !write) {
			mv_fault_reply(slot, f.vcpu, MV_FAULT_ABORT, 0);
			continue;
		}
		c->cr_seen |= write && f.addr == REG_CR;
		if (!vpl011_access(&c->uart, (uint32_t)f.addr, f.size, write, &v))
			v = 0;		/* not a register: RAZ/WI */
		if (!write && f.addr == REG_DR && focus >= 0 && c == &dom[focus])
			deliver();	/* room in its FIFO now */
		publish(c);
		mv_fault_reply(slot, f.vcpu, MV_FAULT_RESUME, write ? 0 : v);
	}
}

static void drain(void)
{
	uint32_t head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	uint32_t t = ring->tail, size = ring->size;
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
}

int main(void)
{
	int64_t rc = mv_console_attach(SLOT_CONSOLE, ring, sizeof(ring_mem));

	if (rc) {
		mv_printf("cannot attach the console ring: %ld\n", rc);
		return 1;
	}
	while (ndom < MAX_DOMAINS &&
	       mv_console_domain(SLOT_CONSOLE, ndom, dom[ndom].name, &dom[ndom].flags) == MV_OK)
		ndom++;
	for (unsigned i = 0; i < ndom; i++) {
		struct domain *c = &dom[i];

		c->pg = &pages[i];
		vpl011_init(&c->uart, uart_tx, uart_irq, c);
		publish(c);
		rc = mv_window_attach(MV_CONSOLE_UART_SLOT(i), c->pg);
		if (rc == MV_ERR_SLOT)
			self = (int)i;	/* no UART window: ours */
		else if (rc)
			mv_printf("cannot serve the UART of %s: %ld\n", c->name, rc);
		else
			c->served = true;
	}
	switch_focus(false);	/* the first VM */
	UART[UARTICR] = UART_RX_INTS;
	UART[UARTIMSC] |= UART_RX_INTS;
	for (;;) {
		/* The domains' output first: the microvisor's lines about a
		 * domain (its stop) come after what it printed before. */
		for (unsigned i = 0; i < ndom; i++) {
			if (!dom[i].served)
				continue;
			take_posted(&dom[i]);
			serve(&dom[i]);
		}
		drain();
		receive();
		deliver();
		if (self >= 0)
			flush(&dom[self]);
		if (mv_irq_ack(SLOT_RX) == MV_OK)
			continue;	/* re-armed: read what came meanwhile */
		mv_wait();
	}
}
