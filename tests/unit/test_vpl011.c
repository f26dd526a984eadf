// SPDX-License-Identifier: MIT
/*
 * The virtual PL011 (vdev/vpl011.c) against the PL011 TRM (DDI0183G) and
 * the access sequences of Linux's amba-pl011 driver, its earlycon and the
 * AMBA bus probe.  Every callback is recorded, so each test checks exactly
 * which bytes went out and each change of the interrupt line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <vpl011.h>

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* Offsets and bits, written down from the TRM independently of vpl011.c. */
#define DR	0x000
#define RSR	0x004
#define FR	0x018
#define ILPR	0x020
#define IBRD	0x024
#define FBRD	0x028
#define LCR_H	0x02c
#define CR	0x030
#define IFLS	0x034
#define IMSC	0x038
#define RIS	0x03c
#define MIS	0x040
#define ICR	0x044
#define DMACR	0x048

#define FR_CTS	0x001
#define FR_DSR	0x002
#define FR_DCD	0x004
#define FR_BUSY	0x008
#define FR_RXFE	0x010
#define FR_TXFF	0x020
#define FR_RXFF	0x040
#define FR_TXFE	0x080
#define FR_RI	0x100

#define LCR_H_FEN	0x10
#define LCR_H_WLEN8	0x60

#define CR_UARTEN	0x0001
#define CR_LBE		0x0080
#define CR_TXE		0x0100
#define CR_RXE		0x0200
#define CR_DTR		0x0400
#define CR_RTS		0x0800
#define CR_OUT1		0x1000
#define CR_OUT2		0x2000

#define RIM	0x001
#define CTSM	0x002
#define DCDM	0x004
#define DSRM	0x008
#define RXI	0x010
#define TXI	0x020
#define RTI	0x040
#define FEI	0x080
#define PEI	0x100
#define BEI	0x200
#define OEI	0x400

#define IFLS_RX4_8	0x10	/* Linux's vendor_arm: RX and TX at 1/2 */
#define IFLS_TX4_8	0x02

/* ---- harness ------------------------------------------------------------- */

struct env {
	struct vpl011 u;
	char out[512];		/* bytes given to tx */
	unsigned nout;
	bool irq_log[64];	/* every call of irq, in order */
	unsigned nirq;
};

static void on_tx(void *ctx, char c)
{
	struct env *e = ctx;

	assert_true(e->nout < sizeof(e->out));
	e->out[e->nout++] = c;
}

static void on_irq(void *ctx, bool level)
{
	struct env *e = ctx;

	assert_true(e->nirq < sizeof(e->irq_log) / sizeof(e->irq_log[0]));
	/* Only changes are reported. */
	if (e->nirq > 0)
		assert_true(e->irq_log[e->nirq - 1] != level);
	else
		assert_true(level);
	e->irq_log[e->nirq++] = level;
}

static int setup(void **state)
{
	static struct env e;

	memset(&e, 0, sizeof(e));
	vpl011_init(&e.u, on_tx, on_irq, &e);
	*state = &e;
	return 0;
}

static uint32_t rd_n(struct env *e, uint32_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;

	assert_true(vpl011_access(&e->u, off, size, false, &v));
	assert_true(v <= 0xffffffffULL);
	return (uint32_t)v;
}

static void wr_n(struct env *e, uint32_t off, unsigned size, uint64_t v)
{
	assert_true(vpl011_access(&e->u, off, size, true, &v));
}

/* Linux's pl011_read/pl011_write are readw/writew unless the port is
 * UPIO_MEM32; 16 bits is the default. */
static uint32_t rd(struct env *e, uint32_t off)
{
	return rd_n(e, off, 2);
}

static void wr(struct env *e, uint32_t off, uint32_t v)
{
	wr_n(e, off, 2, v);
}

static bool line(const struct env *e)
{
	return e->u.irq_level;
}

#define assert_irq_changes(e, n, last) do {				\
	assert_int_equal((e)->nirq, (n));				\
	assert_true((n) == 0 || (e)->irq_log[(n) ? (n) - 1 : 0] == (last)); \
	assert_true(line(e) == (last));					\
} while (0)

static void input(struct env *e, const char *s)
{
	for (; *s; s++)
		assert_true(vpl011_input(&e->u, *s));
}

/* ---- identification and reset -------------------------------------------- */

/* drivers/amba/bus.c: each ID register's low byte, 32-bit reads, from the
 * end of the resource (4 KiB). */
static void test_amba_ids(void **state)
{
	struct env *e = *state;
	static const uint8_t want[8] = { 0x11, 0x10, 0x34, 0x00,
					 0x0d, 0xf0, 0x05, 0xb1 };
	uint32_t pid = 0, cid = 0;

	for (unsigned i = 0; i < 4; i++) {
		pid |= (rd_n(e, VPL011_SIZE - 0x20 + 4 * i, 4) & 0xff) << (i * 8);
		cid |= (rd_n(e, VPL011_SIZE - 0x10 + 4 * i, 4) & 0xff) << (i * 8);
	}
	assert_int_equal(pid, 0x00341011);	/* Arm PL011 r1p5 */
	assert_int_equal(cid, 0xb105f00d);	/* AMBA_CID */
	/* amba_rev() >= 3: Linux gives the port 32-byte FIFOs. */
	assert_int_equal((pid >> 20) & 0xf, 3);
	assert_int_equal(VPL011_RX_FIFO, 32);

	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(rd_n(e, 0xfe0 + 4 * i, 4), want[i]);
		assert_int_equal(rd_n(e, 0xfe0 + 4 * i, 2), want[i]);
		assert_int_equal(rd_n(e, 0xfe0 + 4 * i, 1), want[i]);
	}
	/* Read-only: a write is ignored. */
	wr_n(e, 0xfe8, 4, 0);
	assert_int_equal(rd_n(e, 0xfe8, 4), 0x34);
	assert_int_equal(e->nout, 0);
	assert_int_equal(e->nirq, 0);
}

static void test_reset_values(void **state)
{
	struct env *e = *state;

	assert_int_equal(rd(e, CR), CR_RXE | CR_TXE);
	assert_int_equal(rd(e, IFLS), 0x12);
	assert_int_equal(rd(e, LCR_H), 0);
	assert_int_equal(rd(e, IBRD), 0);
	assert_int_equal(rd(e, FBRD), 0);
	assert_int_equal(rd(e, ILPR), 0);
	assert_int_equal(rd(e, IMSC), 0);
	assert_int_equal(rd(e, DMACR), 0);
	assert_int_equal(rd(e, RSR), 0);
	/* TX FIFO empty and below its trigger: TXRIS, masked. */
	assert_int_equal(rd(e, RIS), TXI);
	assert_int_equal(rd(e, MIS), 0);
	assert_int_equal(rd(e, FR), FR_TXFE | FR_RXFE | FR_CTS | FR_DSR | FR_DCD);
	assert_false(line(e));
	assert_int_equal(e->nirq, 0);
}

static void test_null_callbacks(void **state)
{
	struct vpl011 u;
	uint64_t v = 'x';

	(void)state;
	vpl011_init(&u, NULL, NULL, NULL);
	assert_true(vpl011_access(&u, DR, 4, true, &v));
	v = TXI;
	assert_true(vpl011_access(&u, IMSC, 4, true, &v));
	assert_true(u.irq_level);
	assert_true(vpl011_input(&u, 'y'));
	assert_true(vpl011_access(&u, DR, 4, false, &v));
	assert_int_equal(v, 'y');
}

/* ---- registers ----------------------------------------------------------- */

static void test_register_widths(void **state)
{
	struct env *e = *state;

	/* Each register keeps only the bits the TRM defines. */
	wr_n(e, ILPR, 4, 0xffffffff);
	assert_int_equal(rd_n(e, ILPR, 4), 0xff);
	wr_n(e, IBRD, 4, 0xffffffff);
	assert_int_equal(rd_n(e, IBRD, 4), 0xffff);
	wr_n(e, FBRD, 4, 0xffffffff);
	assert_int_equal(rd_n(e, FBRD, 4), 0x3f);
	wr_n(e, LCR_H, 4, 0xffffffff);
	assert_int_equal(rd_n(e, LCR_H, 4), 0xff);
	wr_n(e, IFLS, 4, 0xffffffff);
	assert_int_equal(rd_n(e, IFLS, 4), 0x3f);
	wr_n(e, DMACR, 4, 0xffffffff);
	assert_int_equal(rd_n(e, DMACR, 4), 0x7);
	wr_n(e, CR, 4, 0xffffffff & ~CR_LBE);
	assert_int_equal(rd_n(e, CR, 4), 0xff07);	/* 6:3 reserved */
	wr_n(e, IMSC, 4, 0);
	wr_n(e, IMSC, 4, 0xffffffff);
	assert_int_equal(rd_n(e, IMSC, 4), 0x7ff);

	/* Baud and line settings as Linux's set_termios writes them. */
	wr(e, IBRD, 13);
	wr(e, FBRD, 1);
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	assert_int_equal(rd(e, IBRD), 13);
	assert_int_equal(rd(e, FBRD), 1);
	assert_int_equal(rd(e, LCR_H), LCR_H_WLEN8 | LCR_H_FEN);
}

static void test_subword_access(void **state)
{
	struct env *e = *state;

	wr_n(e, IBRD, 4, 0x1234);
	assert_int_equal(rd_n(e, IBRD, 1), 0x34);
	assert_int_equal(rd_n(e, IBRD, 2), 0x1234);
	/* A narrow write replaces the register with the zero-extended value,
	 * whatever the caller left in the upper bits. */
	wr_n(e, IBRD, 1, 0xffffff56);
	assert_int_equal(rd_n(e, IBRD, 4), 0x56);
	wr_n(e, IBRD, 2, 0xffff789a);
	assert_int_equal(rd_n(e, IBRD, 4), 0x789a);
	/* A 64-bit value with junk above bit 31 in a 32-bit write. */
	wr_n(e, IBRD, 4, 0xabcd00000000beefULL);
	assert_int_equal(rd_n(e, IBRD, 4), 0xbeef);
}

static void test_bad_accesses(void **state)
{
	struct env *e = *state;
	static const uint32_t holes[] = {
		0x008, 0x00c, 0x010, 0x014, 0x01c, 0x04c, 0x07c,
		0x080, 0x08c, 0x090, 0x800, 0xfcc, 0xfd0, 0xfdc,
		0x1000, 0x1004, 0x2000, 0xffffffff, 0xfffffffc,
	};
	static const uint32_t misaligned[] = {
		0x001, 0x002, 0x003, 0x019, 0x01a, 0xfe1, 0xffe,
	};
	static const unsigned bad_sizes[] = { 0, 3, 5, 8, 16 };
	uint64_t v;

	assert_true(vpl011_input(&e->u, 'a'));
	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		for (unsigned size = 1; size <= 4; size *= 2) {
			v = 0x1234;
			assert_false(vpl011_access(&e->u, holes[i], size, false, &v));
			assert_int_equal(v, 0);		/* RAZ */
			v = 0x1234;
			assert_false(vpl011_access(&e->u, holes[i], size, true, &v));
		}
	}
	for (size_t i = 0; i < sizeof(misaligned) / sizeof(misaligned[0]); i++) {
		v = 0x5a;
		assert_false(vpl011_access(&e->u, misaligned[i], 1, true, &v));
		v = 0x5a;
		assert_false(vpl011_access(&e->u, misaligned[i], 1, false, &v));
		assert_int_equal(v, 0);
	}
	for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		/* A bad-sized DR read pops nothing, a bad-sized write sends
		 * nothing, a bad-sized IMSC write unmasks nothing. */
		v = 0x77;
		assert_false(vpl011_access(&e->u, DR, bad_sizes[i], false, &v));
		assert_int_equal(v, 0);
		v = 'z';
		assert_false(vpl011_access(&e->u, DR, bad_sizes[i], true, &v));
		v = 0x7ff;
		assert_false(vpl011_access(&e->u, IMSC, bad_sizes[i], true, &v));
		v = 0x7ff;
		assert_false(vpl011_access(&e->u, ICR, bad_sizes[i], true, &v));
	}
	assert_int_equal(e->nout, 0);
	assert_int_equal(e->nirq, 0);
	assert_int_equal(rd(e, IMSC), 0);
	assert_int_equal(rd(e, RIS), TXI | RTI | RXI);	/* FEN clear: trigger 1 */
	assert_int_equal(rd(e, DR), 'a');
	assert_int_equal(rd(e, DR), 0);
}

static void test_read_only_and_write_only(void **state)
{
	struct env *e = *state;

	/* Writes to FR, RIS, MIS are ignored (ST's split-LCR_H workaround in
	 * amba-pl011 even writes MIS on purpose). */
	wr(e, FR, 0xffff);
	wr(e, RIS, 0);
	wr(e, MIS, 0xff);
	assert_int_equal(rd(e, FR), FR_TXFE | FR_RXFE | FR_CTS | FR_DSR | FR_DCD);
	assert_int_equal(rd(e, RIS), TXI);
	/* ICR is write-only: reads as 0, clears nothing. */
	assert_int_equal(rd(e, ICR), 0);
	assert_int_equal(rd(e, RIS), TXI);
	assert_int_equal(e->nirq, 0);
}

/* ---- transmit ------------------------------------------------------------ */

/* drivers/tty/serial/amba-pl011.c pl011_putc: poll FR (readl) for TXFF,
 * writeb DR (writel for UPIO_MEM32), poll FR for BUSY; the UART is left
 * as reset (UARTEN clear): nothing is programmed. */
static void test_earlycon(void **state)
{
	struct env *e = *state;
	const char *msg = "Booting Linux\r\n";

	for (const char *p = msg; *p; p++) {
		assert_false(rd_n(e, FR, 4) & FR_TXFF);
		wr_n(e, DR, (p - msg) & 1 ? 4 : 1, (uint8_t)*p);
		assert_false(rd_n(e, FR, 4) & FR_BUSY);
	}
	assert_int_equal(e->nout, strlen(msg));
	assert_memory_equal(e->out, msg, strlen(msg));
	assert_int_equal(e->nirq, 0);
}

static void test_tx_per_byte(void **state)
{
	struct env *e = *state;

	for (unsigned i = 0; i < 256; i++) {
		wr_n(e, DR, 1u << (i % 3), i | 0xf00);	/* bits 11:8 ignored */
		assert_int_equal(e->nout, i + 1);
		assert_int_equal((uint8_t)e->out[i], i);
		/* Instantaneous: never full, never busy, always empty. */
		assert_int_equal(rd(e, FR) & (FR_TXFF | FR_BUSY | FR_TXFE), FR_TXFE);
	}
	/* FIFO disabled or enabled, UART enabled or not: same. */
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(e, CR, 0);
	wr(e, DR, 'q');
	assert_int_equal(e->nout, 257);
	assert_int_equal(rd(e, RIS), TXI);
	assert_int_equal(e->nirq, 0);
}

/* The interrupt-driven TX handshake of Linux's pl011_start_tx_pio /
 * pl011_tx_chars / pl011_int: from process context it writes while
 * !FR.TXFF; from the interrupt it writes fifosize/2 bytes without looking
 * at FR, then relies on the next TXIS. */
static void test_tx_interrupt_handshake(void **state)
{
	struct env *e = *state;
	unsigned im = RTI | RXI, sent = 0;

	wr(e, IMSC, im);
	assert_irq_changes(e, 0, false);

	/* pl011_tx_chars(from_irq = false): the whole buffer fits. */
	for (; sent < 40; sent++) {
		assert_false(rd(e, FR) & FR_TXFF);
		wr(e, DR, 'A' + sent % 26);
	}
	assert_int_equal(e->nout, 40);
	assert_irq_changes(e, 0, false);	/* TXIM never set */

	/* Had it returned true, start_tx_pio would unmask TX: the line rises
	 * at once since TXRIS is set. */
	im |= TXI;
	wr(e, IMSC, im);
	assert_irq_changes(e, 1, true);
	assert_int_equal(rd(e, MIS), TXI);

	/* Three interrupts' worth of 16 bytes; pl011_int never writes TXIS to
	 * ICR, so it must stay set for the next round. */
	for (int round = 0; round < 3; round++) {
		unsigned status = rd(e, RIS) & im;

		assert_int_equal(status, TXI);
		wr(e, ICR, status & ~(TXI | RTI | RXI));
		for (int i = 0; i < 16; i++)
			wr(e, DR, '0' + i % 10);
		assert_int_equal(rd(e, RIS) & im, TXI);
	}
	assert_int_equal(e->nout, 40 + 48);
	assert_irq_changes(e, 1, true);

	/* Buffer empty: pl011_stop_tx masks TX; the line falls. */
	im &= ~TXI;
	wr(e, IMSC, im);
	assert_irq_changes(e, 2, false);

	/* Clearing TXRIS: no interrupt until the next byte is written. */
	wr(e, ICR, TXI);
	assert_int_equal(rd(e, RIS), 0);
	wr(e, IMSC, im | TXI);
	assert_irq_changes(e, 2, false);
	wr(e, DR, '!');
	assert_irq_changes(e, 3, true);
	wr(e, ICR, TXI);
	assert_irq_changes(e, 4, false);
}

/* Linux before 4.4 (pl011_startup) provoked the first TX interrupt: in
 * loopback, at the slowest baud rate, it wrote a NUL and waited for !BUSY,
 * restored the settings, then unmasked TX only when it had data. */
static void test_linux_old_tx_provocation(void **state)
{
	struct env *e = *state;
	unsigned fbrd, ibrd, lcr_h;

	wr(e, IBRD, 13);
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(e, ICR, 0x7ff);			/* as shutdown would leave it */
	fbrd = rd(e, FBRD);
	ibrd = rd(e, IBRD);
	lcr_h = rd(e, LCR_H);
	wr(e, CR, CR_UARTEN | CR_TXE | CR_LBE);
	wr(e, FBRD, 0);
	wr(e, IBRD, 1);
	wr(e, LCR_H, 0);
	wr(e, DR, 0);
	while (rd(e, FR) & FR_BUSY)
		;
	wr(e, FBRD, fbrd);
	wr(e, IBRD, ibrd);
	wr(e, LCR_H, lcr_h);
	wr(e, CR, CR_UARTEN | CR_RXE | CR_TXE);
	assert_int_equal(e->nout, 0);		/* the NUL never reached the user */
	assert_int_equal(rd(e, DR), 0);		/* it was looped back */
	wr(e, ICR, RTI | RXI);
	wr(e, IMSC, RTI | RXI);
	assert_irq_changes(e, 0, false);
	/* pl011_start_tx: unmask TX and expect the interrupt at once. */
	wr(e, IMSC, RTI | RXI | TXI);
	assert_irq_changes(e, 1, true);
	wr(e, DR, 'o');
	wr(e, DR, 'k');
	assert_int_equal(e->nout, 2);
}

/* ---- receive ------------------------------------------------------------- */

static void test_fr_rx_flags(void **state)
{
	struct env *e = *state;
	unsigned fr;

	/* Character mode (reset): a one-byte holding register. */
	assert_int_equal(rd(e, FR) & (FR_RXFE | FR_RXFF), FR_RXFE);
	assert_true(vpl011_input(&e->u, 'x'));
	assert_int_equal(rd(e, FR) & (FR_RXFE | FR_RXFF), FR_RXFF);
	assert_false(vpl011_input(&e->u, 'y'));
	assert_int_equal(rd(e, DR), 'x');
	assert_int_equal(rd(e, FR) & (FR_RXFE | FR_RXFF), FR_RXFE);

	/* FIFO mode: empty, partial, full. */
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	for (unsigned n = 1; n <= VPL011_RX_FIFO; n++) {
		assert_true(vpl011_input(&e->u, (char)n));
		fr = rd(e, FR);
		assert_false(fr & FR_RXFE);
		assert_int_equal(!!(fr & FR_RXFF), n == VPL011_RX_FIFO);
		/* TX side untouched by RX. */
		assert_int_equal(fr & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE);
	}
	assert_false(vpl011_input(&e->u, 'z'));
	for (unsigned n = VPL011_RX_FIFO; n > 0; n--) {
		assert_int_equal(rd(e, DR), VPL011_RX_FIFO + 1 - n);
		fr = rd(e, FR);
		assert_false(fr & FR_RXFF);
		assert_int_equal(!!(fr & FR_RXFE), n == 1);
	}
	/* Empty: DR reads 0 and changes nothing. */
	assert_int_equal(rd(e, DR), 0);
	assert_int_equal(rd(e, FR) & (FR_RXFE | FR_RXFF), FR_RXFE);
	assert_int_equal(e->nout, 0);
}

static void test_rx_order_and_overflow(void **state)
{
	struct env *e = *state;
	unsigned char next_in = 0, next_out = 0;
	unsigned held = 0;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	/* Push bursts of varying length against reads of varying length, so
	 * the ring wraps many times; every accepted byte comes out once, in
	 * order, and a byte is refused exactly when 32 are held. */
	for (unsigned round = 0; round < 500; round++) {
		unsigned burst = (round * 7) % 45, reads = (round * 11) % 37;

		for (unsigned i = 0; i < burst; i++) {
			bool ok = vpl011_input(&e->u, (char)next_in);

			assert_int_equal(ok, held < VPL011_RX_FIFO);
			if (ok) {
				next_in++;
				held++;
			}
		}
		for (unsigned i = 0; i < reads && held; i++, held--)
			assert_int_equal(rd_n(e, DR, 1 << (i % 3)), next_out++);
		assert_int_equal(!!(rd(e, FR) & FR_RXFE), held == 0);
	}
	while (held--)
		assert_int_equal(rd(e, DR), next_out++);
	assert_int_equal(next_in, next_out);
	assert_int_equal(rd(e, DR), 0);
	/* Refusing input is not an overrun: the byte is still the caller's. */
	assert_int_equal(rd(e, RSR), 0);
	assert_false(rd(e, RIS) & OEI);
}

static void test_rx_bytes_are_8_bit(void **state)
{
	struct env *e = *state;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	input(e, "\xff\x80");
	assert_int_equal(rd_n(e, DR, 4), 0xff);	/* no sign extension, */
	assert_int_equal(rd_n(e, DR, 4), 0x80);	/* error bits 11:8 clear */
}

/* Clearing FEN keeps what was accepted, but takes no more until the guest
 * has read down below the new depth. */
static void test_fifo_disable_keeps_data(void **state)
{
	struct env *e = *state;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	input(e, "abc");
	wr(e, LCR_H, LCR_H_WLEN8);
	assert_int_equal(rd(e, FR) & (FR_RXFE | FR_RXFF), FR_RXFF);
	assert_false(vpl011_input(&e->u, 'd'));
	assert_int_equal(rd(e, DR), 'a');
	assert_false(vpl011_input(&e->u, 'd'));
	assert_int_equal(rd(e, DR), 'b');
	assert_int_equal(rd(e, DR), 'c');
	assert_true(vpl011_input(&e->u, 'd'));
	assert_false(vpl011_input(&e->u, 'e'));
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	assert_true(vpl011_input(&e->u, 'e'));
	assert_int_equal(rd(e, DR), 'd');
	assert_int_equal(rd(e, DR), 'e');
}

/* RXRIS at or above the IFLS level, RTRIS whenever data is held. */
static void test_rx_trigger_levels(void **state)
{
	struct env *e = *state;
	static const unsigned level[8] = { 4, 8, 16, 24, 28, 16, 16, 16 };

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(e, ICR, 0x7ff);
	for (unsigned sel = 0; sel < 8; sel++) {
		wr(e, IFLS, sel << 3 | IFLS_TX4_8);
		for (unsigned n = 1; n <= VPL011_RX_FIFO; n++) {
			assert_true(vpl011_input(&e->u, 'x'));
			assert_int_equal(rd(e, RIS), RTI | (n >= level[sel] ? RXI : 0));
		}
		for (unsigned n = VPL011_RX_FIFO; n > 0; n--) {
			assert_int_equal(rd(e, RIS), RTI | (n >= level[sel] ? RXI : 0));
			assert_int_equal(rd(e, DR), 'x');
		}
		assert_int_equal(rd(e, RIS), 0);
	}
	/* Character mode: one byte is the trigger. */
	wr(e, LCR_H, LCR_H_WLEN8);
	input(e, "x");
	assert_int_equal(rd(e, RIS), RTI | RXI);
	rd(e, DR);
	assert_int_equal(rd(e, RIS), 0);
	assert_int_equal(e->nirq, 0);		/* all masked */
}

/* pl011_hwinit, pl011_allocate_irq, pl011_startup, pl011_enable_interrupts,
 * then pl011_int on typed input, then pl011_shutdown's
 * pl011_disable_interrupts, with bytes typed before the port was opened. */
static void test_linux_rx_sequence(void **state)
{
	struct env *e = *state;
	unsigned im, cr;
	char got[64];
	unsigned ngot = 0;

	/* Console set-up (set_termios) and two bytes typed during boot. */
	wr(e, IBRD, 13);
	wr(e, FBRD, 1);
	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	input(e, "zz");

	/* pl011_hwinit */
	wr(e, ICR, OEI | BEI | PEI | FEI | RTI | RXI);
	im = rd(e, IMSC);
	assert_int_equal(im, 0);
	wr(e, IMSC, RTI | RXI);
	assert_irq_changes(e, 1, true);	/* the stale bytes (IRQ not requested) */
	/* pl011_allocate_irq: IMSC = saved mask, then request_irq */
	wr(e, IMSC, im);
	assert_irq_changes(e, 2, false);
	/* pl011_startup */
	wr(e, IFLS, IFLS_RX4_8 | IFLS_TX4_8);
	cr = rd(e, CR);
	cr &= CR_RTS | CR_DTR;
	cr |= CR_UARTEN | CR_RXE | CR_TXE;
	wr(e, CR, cr);
	assert_int_equal(rd(e, FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
			 FR_CTS | FR_DSR | FR_DCD);
	/* pl011_enable_interrupts: clear, drain, unmask RX */
	wr(e, ICR, RTI | RXI);
	for (unsigned i = 0; i < 32 * 2; i++) {
		if (rd(e, FR) & FR_RXFE)
			break;
		rd(e, DR);
	}
	im = RTI | RXI;
	wr(e, IMSC, im);
	assert_irq_changes(e, 2, false);
	assert_int_equal(rd(e, RIS) & (RTI | RXI), 0);

	/* Typing: a short line raises RT (below the 16-byte trigger), a long
	 * paste raises RX as well; pl011_int reads until RXFE. */
	for (int burst = 0; burst < 2; burst++) {
		const char *s = burst ? "0123456789abcdefghij" : "ls\r";
		unsigned before = e->nirq, status;

		input(e, s);
		assert_irq_changes(e, before + 1, true);
		status = rd(e, RIS) & im;
		assert_int_equal(status, burst ? (RTI | RXI) : RTI);
		while (status) {
			wr(e, ICR, status & ~(TXI | RTI | RXI));
			if (status & (RTI | RXI))
				for (unsigned n = 0; n < 256; n++) {
					if (rd(e, FR) & FR_RXFE)
						break;
					got[ngot++] = (char)rd(e, DR);
				}
			status = rd(e, RIS) & im;
		}
		assert_irq_changes(e, before + 2, false);
	}
	assert_int_equal(ngot, 23);
	assert_memory_equal(got, "ls\r0123456789abcdefghij", 23);

	/* A byte arriving with the line masked, then pl011_shutdown:
	 * IMSC = 0, ICR = 0xffff. */
	input(e, "q");
	assert_irq_changes(e, 7, true);
	wr(e, IMSC, 0);
	wr(e, ICR, 0xffff);
	assert_irq_changes(e, 8, false);
	/* RTRIS is a level: still reported while 'q' is held. */
	assert_int_equal(rd(e, RIS), RTI);
}

/* Writing RX/RT to ICR while data is held: the bits come straight back (a
 * zero-length receive timeout), so a driver that clears first and reads a
 * bounded number of bytes still gets called again for the rest. */
static void test_rx_icr_level(void **state)
{
	struct env *e = *state;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(e, IMSC, RTI);
	input(e, "abc");
	assert_irq_changes(e, 1, true);
	wr(e, ICR, RTI | RXI);
	assert_int_equal(rd(e, MIS), RTI);
	assert_irq_changes(e, 1, true);
	assert_int_equal(rd(e, DR), 'a');
	wr(e, ICR, RTI);
	assert_irq_changes(e, 1, true);
	assert_int_equal(rd(e, DR), 'b');
	assert_int_equal(rd(e, DR), 'c');
	assert_irq_changes(e, 2, false);
	assert_int_equal(rd(e, MIS), 0);
}

/* ---- interrupt status, mask and clear ------------------------------------ */

static void test_mis_is_ris_and_imsc(void **state)
{
	struct env *e = *state;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	input(e, "abcd");
	wr(e, IFLS, 0);				/* RX at 1/8 = 4 bytes */
	input(e, "e");
	assert_int_equal(rd(e, RIS), TXI | RTI | RXI);
	for (unsigned m = 0; m < 0x800; m += 0x11) {
		wr(e, IMSC, m);
		assert_int_equal(rd(e, MIS), (TXI | RTI | RXI) & m);
		assert_int_equal(line(e), ((TXI | RTI | RXI) & m) != 0);
	}
	/* Each change reported once, and only changes. */
	assert_true(e->nirq > 1);
	for (unsigned i = 1; i < e->nirq; i++)
		assert_true(e->irq_log[i] != e->irq_log[i - 1]);

	/* Rewriting the same mask reports nothing. */
	wr(e, IMSC, TXI);
	unsigned n = e->nirq;
	wr(e, IMSC, TXI);
	wr(e, IMSC, TXI | RXI);
	wr(e, IMSC, TXI);
	assert_int_equal(e->nirq, n);
	assert_true(line(e));
	/* ICR of a bit that is not set changes nothing. */
	wr(e, ICR, OEI | FEI);
	assert_int_equal(e->nirq, n);
	wr(e, ICR, TXI);
	assert_irq_changes(e, n + 1, false);
}

/* ---- loopback and modem lines -------------------------------------------- */

/* CR.LBE: TX feeds RX (what Linux before 4.4 did in pl011_startup to
 * provoke the first TX interrupt, and what TIOCM_LOOP does). */
static void test_loopback(void **state)
{
	struct env *e = *state;

	wr(e, LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(e, CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
	/* Modem inputs now follow the (deasserted) outputs: three changes. */
	assert_int_equal(rd(e, FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI), 0);
	assert_int_equal(rd(e, RIS), TXI | CTSM | DSRM | DCDM);
	wr(e, ICR, 0x7ff);

	wr(e, DR, 0);
	while (rd(e, FR) & FR_BUSY)
		;
	assert_int_equal(e->nout, 0);		/* not sent to the user */
	assert_int_equal(rd(e, RIS), TXI | RTI);
	assert_false(rd(e, FR) & FR_RXFE);
	assert_false(vpl011_input(&e->u, 'u'));	/* RX line disconnected */
	assert_int_equal(rd(e, DR), 0);
	assert_true(rd(e, FR) & FR_RXFE);

	/* Overflow: 32 fit, the 33rd is an overrun. */
	for (unsigned i = 0; i < VPL011_RX_FIFO + 1; i++)
		wr(e, DR, 'a' + i % 26);
	assert_int_equal(rd(e, RSR), 0x8);	/* OE */
	assert_true(rd(e, RIS) & OEI);
	wr(e, RSR, 0);				/* UARTECR */
	assert_int_equal(rd(e, RSR), 0);
	wr(e, ICR, OEI);
	assert_false(rd(e, RIS) & OEI);
	for (unsigned i = 0; i < VPL011_RX_FIFO; i++)
		assert_int_equal(rd(e, DR), 'a' + i % 26);
	assert_int_equal(e->nout, 0);

	/* Outputs loop to inputs: RTS->CTS, DTR->DSR, Out1->DCD, Out2->RI. */
	wr(e, ICR, 0x7ff);
	wr(e, IMSC, RIM | CTSM | DCDM | DSRM);
	assert_irq_changes(e, 0, false);
	wr(e, CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE | CR_RTS);
	assert_int_equal(rd(e, FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI), FR_CTS);
	assert_int_equal(rd(e, MIS), CTSM);
	assert_irq_changes(e, 1, true);
	wr(e, ICR, CTSM);
	assert_irq_changes(e, 2, false);
	wr(e, CR, CR_UARTEN | CR_LBE | CR_RTS | CR_DTR | CR_OUT1 | CR_OUT2);
	assert_int_equal(rd(e, FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
			 FR_CTS | FR_DSR | FR_DCD | FR_RI);
	assert_int_equal(rd(e, MIS), DSRM | DCDM | RIM);
	assert_irq_changes(e, 3, true);
	wr(e, ICR, 0x7ff);
	assert_irq_changes(e, 4, false);

	/* Back to normal: connected again, and transmitting to the user. */
	wr(e, CR, CR_UARTEN | CR_TXE | CR_RXE);
	assert_int_equal(rd(e, FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI),
			 FR_CTS | FR_DSR | FR_DCD);
	assert_int_equal(rd(e, RIS) & (RIM | CTSM | DCDM | DSRM), RIM);
	wr(e, DR, 'k');
	assert_int_equal(e->nout, 1);
	assert_true(vpl011_input(&e->u, 'u'));
	/* Non-loopback writes to the modem outputs change nothing. */
	wr(e, ICR, 0x7ff);
	wr(e, CR, CR_UARTEN | CR_TXE | CR_RXE | CR_RTS | CR_DTR);
	assert_int_equal(rd(e, RIS) & (RIM | CTSM | DCDM | DSRM), 0);
}

/* ---- what the console cell publishes --------------------------------------- */

/* vpl011_peek() is a read that changes nothing: for every register but DR
 * with data it gives what a read gives, and the state stays; DR with data
 * is refused (a read would take a byte); not-registers are refused. */
static void test_peek(void **state)
{
	static const uint32_t regs[] = { DR, RSR, FR, ILPR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC,
					 RIS, MIS, ICR, DMACR, 0xfe0, 0xfe4, 0xfe8, 0xfec,
					 0xff0, 0xff4, 0xff8, 0xffc };
	struct env *e = *state;
	uint32_t v;

	wr(e, IMSC, 0x50);
	wr(e, LCR_H, LCR_H_FEN | LCR_H_WLEN8);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
			if (regs[i] == DR && round) {
				assert_false(vpl011_peek(&e->u, DR, &v));
				continue;
			}
			assert_true(vpl011_peek(&e->u, regs[i], &v));
			assert_int_equal(v, rd_n(e, regs[i], 4));
		}
		input(e, "ab");		/* the second round with data waiting */
	}
	assert_int_equal(rd(e, DR), 'a');	/* nothing was taken */
	assert_false(vpl011_peek(&e->u, 0x008, &v));
	assert_false(vpl011_peek(&e->u, 0x04c, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_amba_ids, setup),
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test_setup(test_register_widths, setup),
		cmocka_unit_test_setup(test_subword_access, setup),
		cmocka_unit_test_setup(test_bad_accesses, setup),
		cmocka_unit_test_setup(test_read_only_and_write_only, setup),
		cmocka_unit_test_setup(test_earlycon, setup),
		cmocka_unit_test_setup(test_tx_per_byte, setup),
		cmocka_unit_test_setup(test_tx_interrupt_handshake, setup),
		cmocka_unit_test_setup(test_linux_old_tx_provocation, setup),
		cmocka_unit_test_setup(test_fr_rx_flags, setup),
		cmocka_unit_test_setup(test_rx_order_and_overflow, setup),
		cmocka_unit_test_setup(test_rx_bytes_are_8_bit, setup),
		cmocka_unit_test_setup(test_fifo_disable_keeps_data, setup),
		cmocka_unit_test_setup(test_rx_trigger_levels, setup),
		cmocka_unit_test_setup(test_linux_rx_sequence, setup),
		cmocka_unit_test_setup(test_rx_icr_level, setup),
		cmocka_unit_test_setup(test_mis_is_ris_and_imsc, setup),
		cmocka_unit_test_setup(test_loopback, setup),
		cmocka_unit_test_setup(test_peek, setup),
	};

	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
