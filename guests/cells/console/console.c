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
 *
 * Virtio consoles: the i-th word console.hvc=VM of the cell's bootargs
 * gives VM a virtio-console device (vcons.c) on slots 9 + 2i (its
 * virtio-mmio window) and 10 + 2i (its RAM).  What the VM writes to its
 * hvc0 joins the line collection as "VM/hvc0: ..."; Ctrl-] visits each
 * VM's hvc0 after its UART, and what is typed then goes into the
 * device's receive buffers.  docs/virtio.md.
 */
#include <mv_runtime.h>

#include "cell_dt.h"
#include "vcons.h"
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
#define MAX_HVC		3	/* virtio consoles: slots 9 to 14 */
#define HVC_SLOT(i)	(MV_CONSOLE_UART_SLOT(MAX_DOMAINS) + 2 * (i))	/* its window; + 1: its VM's RAM */

/* Output collected a line at a time; who is output()'s d. */
struct line {
	char buf[LINE];
	unsigned len, who;
};

struct domain {
	char name[33];
	unsigned flags;		/* MV_CONSOLE_DOMAIN_* */
	bool served;		/* its UART is this cell's (not the cell itself) */
	bool cr_seen;		/* it writes CR around its lines (Linux's console) */
	struct vpl011 uart;
	struct mv_window_page *pg;
	uint32_t tail, idle;
	struct line out;
};

/* A VM's virtio console (console.hvc=VM in the bootargs). */
struct hvc {
	struct vcons v;
	unsigned dom;		/* its VM */
	struct line out;
};

/* What input can go to: a domain's UART (hvc < 0) or one of its hvc0. */
struct target {
	unsigned dom;
	int hvc;
};

static struct domain dom[MAX_DOMAINS];
static struct mv_window_page pages[MAX_DOMAINS] __attribute__((aligned(4096)));
static unsigned ndom;
static struct hvc hvcs[MAX_HVC];
static unsigned nhvc;
static struct target targets[MAX_DOMAINS + MAX_HVC];
static unsigned ntargets;
static int self = -1;		/* this cell's own index */
static int focus = -1;		/* the target that gets input, or none */
static int owner = -1;		/* the domain whose line is open on the UART */

static uint8_t ring_mem[64 * 1024] __attribute__((aligned(4096)));
static struct mv_console_ring *const ring = (struct mv_console_ring *)ring_mem;

static char input[256];		/* typed, not yet taken by the focused VM */
static unsigned in_head, in_count, in_dropped;

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

/* One piece of output: d is 0 for the microvisor's own lines, the
 * domain's index + 1 for its UART, MAX_DOMAINS + 1 + i for hvcs[i]. */
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
			if (d > MAX_DOMAINS)
				put_str(d - MAX_DOMAINS - 1 < nhvc ? hvcs[d - MAX_DOMAINS - 1].v.name : "?");
			else
				put_str(d - 1 < ndom ? dom[d - 1].name : "?");
			put_str(": ");
			owner = (int)d;
		}
		put(s[i]);
		if (s[i] == '\n')
			owner = -1;
	}
}

static void flush(struct line *l)
{
	if (l->len)
		output(l->who, l->buf, l->len);
	l->len = 0;
}

static void collect(struct line *l, char ch)
{
	l->buf[l->len++] = ch;
	if (ch == '\n' || l->len == LINE)
		flush(l);
}

/* This cell's own lines (mv_printf) go out as any domain's. */
void mv_putc(char ch)
{
	if (self >= 0)
		collect(&dom[self].out, ch);
	else
		put(ch);
}

/* The model's callbacks. */
static void uart_tx(void *ctx, char ch)
{
	struct domain *c = ctx;

	collect(&c->out, ch);
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
	flush(&c->out);
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
		flush(&c->out);
	}
}

static void refresh(void)
{
	for (unsigned i = 0; i < ndom; i++)
		mv_console_domain(SLOT_CONSOLE, i, dom[i].name, &dom[i].flags);
}

static bool target_runs(unsigned t)
{
	const unsigned want = MV_CONSOLE_DOMAIN_VM | MV_CONSOLE_DOMAIN_RUNNING;

	return (dom[targets[t].dom].flags & want) == want;
}

/* Give input to the next target of a running VM after the focused one
 * (the user asked, or the focused one stopped) and say so; false if there
 * is none but the focused one. */
static bool switch_focus(bool asked)
{
	unsigned from = focus < 0 ? ntargets - 1 : (unsigned)focus;

	refresh();
	for (unsigned i = 1; i <= ntargets; i++) {
		unsigned to = (from + i) % ntargets;

		if (target_runs(to) && (to != from || asked || focus < 0)) {
			const struct target *t = &targets[to];

			focus = (int)to;
			mv_printf("input goes to %s (Ctrl-] switches)\n",
				  t->hvc < 0 ? dom[t->dom].name : hvcs[t->hvc].v.name);
			return true;
		}
	}
	return false;
}

static void taken(unsigned n)
{
	in_head = (in_head + n) % sizeof(input);
	in_count -= n;
	if (in_dropped) {
		mv_printf("%u typed bytes were dropped: the input buffer was full\n", in_dropped);
		in_dropped = 0;
	}
}

/* Into the receive buffers of a virtio console, as far as it has them;
 * the rest waits until its driver gives more (its receiveq's notify). */
static void deliver_hvc(struct hvc *h)
{
	while (in_count) {
		unsigned n = sizeof(input) - in_head < in_count ? sizeof(input) - in_head : in_count;
		n = vcons_input(&h->v, input + in_head, n);
		if (!n)
			break;
		taken(n);
	}
}

/* Hand what was typed to the focused target, as far as it takes it. */
static void deliver(void)
{
	struct domain *c;
	bool any = false;

	if (!in_count)
		return;
	if (focus >= 0) {
		c = &dom[targets[focus].dom];
		mv_console_domain(SLOT_CONSOLE, targets[focus].dom, c->name, &c->flags);
	}
	if ((focus < 0 || !target_runs((unsigned)focus)) && !switch_focus(false)) {
		in_count = 0;	/* no VM runs to take it */
		return;
	}
	if (targets[focus].hvc >= 0) {
		deliver_hvc(&hvcs[targets[focus].hvc]);
		return;
	}
	c = &dom[targets[focus].dom];
	take_posted(c);		/* what it wrote before comes first */
	while (in_count && vpl011_input(&c->uart, input[in_head])) {
		taken(1);
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
		else
			in_dropped++;
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
		if (!write && f.addr == REG_DR && focus >= 0 && targets[focus].hvc < 0 &&
		    c == &dom[targets[focus].dom])
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

/* A virtio console's callbacks (vcons.h). */
static void hvc_tx(void *ctx, const char *s, unsigned n, bool end)
{
	struct hvc *h = ctx;

	for (unsigned i = 0; i < n; i++)
		collect(&h->out, s[i]);
	if (end)
		flush(&h->out);		/* a prompt */
}

static void hvc_rx_ready(void *ctx)
{
	const struct hvc *h = ctx;

	if (focus >= 0 && targets[focus].hvc == (int)(h - hvcs))
		deliver();
}

/* console.hvc=VM: the i-th such word of the bootargs gives VM a virtio
 * console on slots HVC_SLOT(i) (its window's fault capability) and
 * HVC_SLOT(i) + 1 (its RAM).  A word that is not right is one line and
 * no device; the consoles carry on. */
static void hvc_word(const char *w, unsigned i)
{
	const char *vm = w + 12;
	unsigned d = 0;
	struct hvc *h = &hvcs[nhvc];

	if (!str_prefix(w, "console.hvc=")) {
		mv_printf("error: bootargs: %s: want console.hvc=VM\n", w);
		return;
	}
	if (i >= MAX_HVC) {
		mv_printf("error: bootargs: %s: at most %u virtio consoles\n", w, MAX_HVC);
		return;
	}
	while (d < ndom && !(str_eq(dom[d].name, vm) && (dom[d].flags & MV_CONSOLE_DOMAIN_VM)))
		d++;
	if (d == ndom) {
		mv_printf("error: bootargs: %s: no VM %s\n", w, vm);
		return;
	}
	if (mv_window_irq(HVC_SLOT(i), false) != MV_OK) {
		mv_printf("error: bootargs: %s: slot %u is not a window's fault capability (server-slot)\n",
			  w, HVC_SLOT(i));
		return;
	}
	if (vcons_init(&h->v, vm, HVC_SLOT(i), HVC_SLOT(i) + 1, hvc_tx, hvc_rx_ready, h)) {
		mv_printf("error: bootargs: %s: slot %u is not a writable space capability (%s's RAM)\n",
			  w, HVC_SLOT(i) + 1, vm);
		return;
	}
	h->dom = d;
	h->out.who = MAX_DOMAINS + 1 + nhvc++;
	mv_printf("virtio-console for %s (%s): its RAM 0x%lx-0x%lx at 0x%lx\n", vm, h->v.name,
		  h->v.dev.space.base, h->v.dev.space.base + h->v.dev.space.size - 1, h->v.dev.space.where);
}

static void hvc_setup(void)
{
	struct dtinfo dt = { 0 };
	const volatile char *s;
	unsigned i = 0;

	if (dt_parse(mv_boot_dt, &dt))
		return;		/* no device tree: no virtio consoles */
	for (s = dt.bootargs; s && *s;) {
		char w[64];
		unsigned n = 0;

		while (*s == ' ')
			s++;
		for (; *s && *s != ' '; s++)
			if (n < sizeof(w) - 1)
				w[n++] = *s;
		w[n] = '\0';
		if (n)
			hvc_word(w, i++);
	}
}

/* Input goes to each VM's UART, then to each of its virtio consoles. */
static void make_targets(void)
{
	for (unsigned d = 0; d < ndom; d++) {
		targets[ntargets++] = (struct target){ d, -1 };
		for (unsigned i = 0; i < nhvc; i++)
			if (hvcs[i].dom == d)
				targets[ntargets++] = (struct target){ d, (int)i };
	}
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
		c->out.who = i + 1;
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
	hvc_setup();
	make_targets();
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
		for (unsigned i = 0; i < nhvc; i++)
			vcons_serve(&hvcs[i].v);
		drain();
		receive();
		deliver();
		if (self >= 0)
			flush(&dom[self].out);
		if (mv_irq_ack(SLOT_RX) == MV_OK)
			continue;	/* re-armed: read what came meanwhile */
		mv_wait();
	}
}
