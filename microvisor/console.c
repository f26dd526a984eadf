// SPDX-License-Identifier: MIT
/*
 * Polled PL011 console (Arm PrimeCell UART PL011 TRM DDI0183: UARTDR at
 * 0x000, UARTFR at 0x018 with TXFF = bit 5).  The firmware or QEMU has
 * already set the baud rate; the kernel only writes bytes.
 *
 * With a console cell (docs/architecture.md, "Console"), once the cell has
 * attached its ring every line goes into the ring instead, and the cell
 * writes the UART; the polled UART stays the early and the panic console.
 */
#include <string.h>

#include <abi/microvisor.h>
#include <mv/arch.h>
#include <mv/console.h>
#include <mv/hypercall.h>
#include <mv/print.h>
#include <mv/spinlock.h>
#include <mv/vm.h>

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTFR_TXFF	BIT(5)

static volatile uint32_t *uart;
static struct spinlock console_lock = SPINLOCK_INIT;

void console_init(paddr_t pa)
{
	uart = (volatile uint32_t *)(uintptr_t)pa;
}

static void uart_putc(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint32_t)(unsigned char)c;
}

void console_write(const char *s, size_t n)
{
	if (!uart)
		return;
	for (; n; n--, s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

/* The console cell's ring, under console_lock.  head and size are the
 * kernel's own copies: what the cell writes there is never read back,
 * only its tail (taken modulo size). */
static struct {
	struct mv_console_ring *r;	/* NULL: the polled UART */
	struct vm *cell;
	uint32_t size, head;
	bool kick;			/* the cell has news: console_kick() */
} ring;

/* Tell the cell, from an interrupt on this CPU: the callers of printk
 * may hold any lock, the cell's own included. */
static void ring_kick_locked(void)
{
	if (!ring.kick) {
		ring.kick = true;
		arch_kick_cpu(arch_cpu_id());
	}
}

/* One record of the kernel's (domain 0), n <= 255 bytes. */
static bool ring_put(const char *s, size_t n)
{
	uint8_t *d = ring.r->data;
	uint32_t tail = __atomic_load_n(&ring.r->tail, __ATOMIC_ACQUIRE) % ring.size;
	uint32_t room = (tail + ring.size - ring.head - 1) % ring.size;

	if (!n)
		return true;
	if (room < n + 2)
		return false;
	d[ring.head] = 0;
	ring.head = (ring.head + 1) % ring.size;
	d[ring.head] = (uint8_t)n;
	ring.head = (ring.head + 1) % ring.size;
	for (size_t i = 0; i < n; i++, ring.head = (ring.head + 1) % ring.size)
		d[ring.head] = (uint8_t)s[i];
	__atomic_store_n(&ring.r->head, ring.head, __ATOMIC_RELEASE);
	ring_kick_locked();
	return true;
}

/* What the cell has not taken yet, to the UART (the cell stopped, or the
 * machine goes down), and back to the polled UART. */
static void ring_drain_locked(void)
{
	const uint8_t *d = ring.r->data;
	uint32_t t = __atomic_load_n(&ring.r->tail, __ATOMIC_ACQUIRE) % ring.size;
	char buf[256];

	while (t != ring.head) {
		unsigned dom = d[t], n, k;

		t = (t + 1) % ring.size;
		if (t == ring.head)
			break;
		n = d[t];
		t = (t + 1) % ring.size;
		for (k = 0; k < n && t != ring.head; k++, t = (t + 1) % ring.size)
			buf[k] = (char)d[t];
		if (!dom)
			console_write(buf, k);
	}
	ring.r = NULL;
	ring.cell = NULL;
}

void console_attach(struct vm *cell, struct mv_console_ring *r, uint32_t bytes)
{
	spin_lock(&console_lock);
	if (ring.r)
		ring_drain_locked();
	ring.size = bytes - (uint32_t)sizeof(*r);
	ring.head = 0;
	ring.kick = false;
	r->head = 0;
	r->tail = 0;
	r->dropped = 0;
	r->size = ring.size;
	ring.cell = cell;
	__atomic_store_n(&ring.r, r, __ATOMIC_RELEASE);
	spin_unlock(&console_lock);
}

/* The last VM stopped while a console cell was attached: the machine
 * powers off once the cell has written out what the domains left (its
 * next wait), or when it stops. */
static bool poweroff_pending;

static void poweroff(void)
{
	console_detach(NULL);
	printk("microvisor: no VM left running, powering off\n");
	arch_system_off();
}

void console_detach(const struct vm *cell)
{
	bool off;

	spin_lock(&console_lock);
	off = cell && ring.r && ring.cell == cell && poweroff_pending;
	if (ring.r && (!cell || ring.cell == cell))
		ring_drain_locked();
	spin_unlock(&console_lock);
	if (off)
		poweroff();
}

void console_poweroff(void)
{
	struct vm *cell;

	spin_lock(&console_lock);
	cell = ring.r ? ring.cell : NULL;
	poweroff_pending = cell != NULL;
	spin_unlock(&console_lock);
	if (!cell)
		poweroff();
	domain_notify(cell, 0);
}

void console_cell_waits(const struct vm *vm)
{
	if (__atomic_load_n(&poweroff_pending, __ATOMIC_RELAXED) &&
	    vm == __atomic_load_n(&ring.cell, __ATOMIC_RELAXED))
		poweroff();
}

void console_kick(void)
{
	struct vm *cell;

	if (!__atomic_load_n(&ring.kick, __ATOMIC_RELAXED))
		return;
	spin_lock(&console_lock);
	ring.kick = false;
	cell = ring.r ? ring.cell : NULL;
	spin_unlock(&console_lock);
	if (cell)
		domain_notify(cell, 0);
}

void printk(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	spin_lock(&console_lock);
	/* The kernel's own lines are never dropped: a full ring, and they go
	 * to the UART now. */
	if (!ring.r || !ring_put(line, (size_t)n))
		console_write(line, (size_t)n);
	spin_unlock(&console_lock);
}
