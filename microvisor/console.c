// SPDX-License-Identifier: MIT
/*
 * Polled PL011 console (Arm PrimeCell UART PL011 TRM DDI0183: UARTDR at
 * 0x000, UARTFR at 0x018 with TXFF = bit 5).  The firmware or QEMU has
 * already set the baud rate; the kernel only writes bytes.
 */
#include <string.h>

#include <mv/arch.h>
#include <mv/console.h>
#include <mv/print.h>
#include <mv/spinlock.h>

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTFR_RXFE	BIT(4)
#define UARTFR_TXFF	BIT(5)
#define UARTIMSC	0x038
#define UARTIMSC_RX	(BIT(4) | BIT(6))	/* receive and receive timeout */

static volatile uint32_t *uart;
static struct spinlock console_lock = SPINLOCK_INIT;
/* The domain whose output line is open (its prefix printed, no newline
 * yet), or NULL at the start of a line. */
static const char *line_owner;

void console_init(paddr_t pa)
{
	uart = (volatile uint32_t *)(uintptr_t)pa;
}

void console_rx_enable(void)
{
	if (uart)
		uart[UARTIMSC / 4] |= UARTIMSC_RX;
}

int console_getc(void)
{
	if (!uart || (uart[UARTFR / 4] & UARTFR_RXFE))
		return -1;
	return (int)(uart[UARTDR / 4] & 0xff);
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
	if (line_owner) {
		console_write("\n", 1);
		line_owner = NULL;
	}
	console_write(line, (size_t)n);
	spin_unlock(&console_lock);
}

void console_domain_write(const char *name, const char *s, size_t n)
{
	spin_lock(&console_lock);
	for (; n; n--, s++) {
		if (*s == '\r')
			continue;
		if (line_owner != name) {
			if (line_owner)
				console_write("\n", 1);
			console_write(name, strlen(name));
			console_write(": ", 2);
			line_owner = name;
		}
		console_write(s, 1);
		if (*s == '\n')
			line_owner = NULL;
	}
	spin_unlock(&console_lock);
}
