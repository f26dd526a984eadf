// SPDX-License-Identifier: MIT
/* The native runtime for cells (see mv_runtime.h). */
#include <mv_runtime.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define PSCI_SYSTEM_OFF	0x84000008UL

int64_t mv_send(unsigned slot, uint64_t signals, unsigned nwords, const uint64_t *words)
{
	uint64_t x[8] = { MV_HC_CHANNEL_SEND, slot, signals, nwords };

	for (unsigned i = 0; i < nwords && i < MV_CHANNEL_WORDS; i++)
		x[4 + i] = words[i];
	mv_hypercall(x);
	return (int64_t)x[0];
}

static int64_t recv_result(const uint64_t x[8], struct mv_msg *msg)
{
	msg->badge = x[1];
	msg->signals = x[2];
	msg->nwords = x[3];
	for (unsigned i = 0; i < MV_CHANNEL_WORDS; i++)
		msg->word[i] = x[4 + i];
	return (int64_t)x[0];
}

int64_t mv_recv(unsigned slot, struct mv_msg *msg)
{
	uint64_t x[8] = { MV_HC_CHANNEL_RECV, slot };

	mv_hypercall(x);
	return recv_result(x, msg);
}

int64_t mv_recv_block(unsigned slot, struct mv_msg *msg)
{
	uint64_t x[8] = { MV_HC_CHANNEL_RECV, slot, MV_RECV_BLOCK };

	mv_hypercall(x);
	return recv_result(x, msg);
}

void mv_wait(void)
{
	uint64_t x[8] = { MV_HC_WAIT };

	mv_hypercall(x);
}

static void fault_decode(const uint64_t x[8], struct mv_fault *f)
{
	f->badge = x[1];
	f->vcpu = (unsigned)x[2];
	f->kind = MV_FAULT_KIND(x[3]);
	f->size = MV_FAULT_SIZE(x[3]);
	f->reason = MV_FAULT_REASON(x[3]);
	f->addr = x[4];
	f->value = x[5];
	f->where = x[6];
}

int64_t mv_fault_recv(unsigned slot, struct mv_fault *f, bool block)
{
	uint64_t x[8] = { MV_HC_FAULT_RECV, slot, block ? MV_FAULT_RECV_BLOCK : 0 };

	mv_hypercall(x);
	fault_decode(x, f);
	return (int64_t)x[0];
}

int64_t mv_fault_reply(unsigned slot, unsigned vcpu, unsigned action, uint64_t value)
{
	uint64_t x[8] = { MV_HC_FAULT_REPLY, slot, vcpu, action, value };

	mv_hypercall(x);
	return (int64_t)x[0];
}

int64_t mv_fault_reply_recv(unsigned slot, unsigned vcpu, unsigned action, uint64_t value,
			    struct mv_fault *next)
{
	uint64_t x[8] = { MV_HC_FAULT_REPLY, slot, vcpu, action | MV_FAULT_THEN_RECV, value };

	mv_hypercall(x);
	fault_decode(x, next);
	return (int64_t)x[0];
}

void mv_exit(void)
{
	uint64_t x[8] = { PSCI_SYSTEM_OFF };

	mv_hypercall(x);
	for (;;)
		__asm__ volatile("wfi");
}

/* The cell's console: its virtual PL011 (a cell that has none, the
 * console cell, provides its own). */
__attribute__((weak)) void mv_putc(char c)
{
	while (UART[6] & UART_FR_TXFF)
		;
	UART[0] = (uint32_t)(unsigned char)c;
}

static void putc_(char c)
{
	mv_putc(c);
}

/* The compiler may call these for struct copies and initialisers. */
void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

void mv_puts(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_num(uint64_t v, unsigned base, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		putc_(pad);
	while (n)
		putc_(buf[--n]);
}

/* %s %c %d %u %x %lx %lu %ld %p, width and '0' pad. */
int mv_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';

		if (*fmt != '%') {
			putc_(*fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 's': mv_puts(va_arg(ap, const char *)); break;
		case 'c': putc_((char)va_arg(ap, int)); break;
		case 'd': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);

			if (v < 0) {
				putc_('-');
				v = -v;
			}
			put_num((uint64_t)v, 10, width, pad);
			break;
		}
		case 'u': put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, width, pad); break;
		case 'x': put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, width, pad); break;
		case 'p': mv_puts("0x"); put_num((uintptr_t)va_arg(ap, void *), 16, 0, ' '); break;
		case '%': putc_('%'); break;
		default: putc_('%'); putc_(*fmt); break;
		}
	}
	va_end(ap);
	return 0;
}

/* From crt0.S: an exception the cell did not expect.  Say so and stop. */
void mv_exception(uint64_t esr, uint64_t far, uint64_t elr)
{
	mv_printf("runtime: unexpected exception: ESR 0x%lx FAR 0x%lx PC 0x%lx\n", esr, far, elr);
	mv_exit();
}

uint64_t mv_boot_dt;

void mv_start(uint64_t dt)
{
	int rc;

	mv_boot_dt = dt;
	rc = main();

	mv_printf("runtime: main returned %d\n", rc);
	mv_exit();
}
