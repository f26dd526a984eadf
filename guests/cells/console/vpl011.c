// SPDX-License-Identifier: MIT
/*
 * Virtual PL011 UART, modelled on the Arm PrimeCell UART (PL011) Technical
 * Reference Manual r1p5, DDI0183G: §3.2 Summary of registers (the map),
 * §3.3 Register descriptions, §3.4 Interrupts.
 *
 * What the guest sees:
 * - Transmit is instantaneous: every byte written to DR goes straight to the
 *   tx callback, so the transmit FIFO is always empty (FR.TXFE set, TXFF and
 *   BUSY clear) and each write passes the FIFO through its trigger level,
 *   which sets TXRIS (§3.4 UARTTXINTR).  TXRIS is also set at reset, as if the
 *   empty FIFO had just drained; only ICR clears it.  Linux's amba-pl011
 *   relies on this: in interrupt context it writes half a FIFO without
 *   looking at FR and waits for the next TX interrupt to write more.
 * - Receive goes through a FIFO of VPL011_RX_FIFO bytes, one byte deep while
 *   LCR_H.FEN is clear (character mode).  RXRIS is set while it holds at
 *   least the IFLS trigger level, RTRIS while it holds anything: the receive
 *   timeout (§3.4 UARTRTINTR) with its 32-bit-period wait taken as zero.
 *   Both are levels, so writing them to ICR has no lasting effect while data
 *   remains (real hardware, too, raises RTRIS again 32 bit periods later),
 *   and a driver that reads until FR.RXFE never strands a byte.
 * - UARTEN, TXE and RXE do not gate data: earlycon writes DR without
 *   enabling the UART (firmware normally has), and nothing is lost.
 * - Loopback (CR.LBE): written bytes go to the receive FIFO instead of the
 *   tx callback (an overflow sets RSR.OE and OERIS), the external input is
 *   disconnected, and the modem status inputs follow CR's RTS, DTR, Out1 and
 *   Out2.  Otherwise the line looks connected: CTS, DSR and DCD
 *   asserted, RI not.  A change of a modem input sets its modem interrupt.
 * - No IrDA, no errors on received data, no DMA (DMACR only stored).
 * - Registers are at word offsets; 8-, 16- and 32-bit accesses are accepted
 *   and see the low bits of the register.
 *
 * The caller serialises all calls and may not call back into the model
 * from the tx or irq callbacks.  The console cell (console.c) runs one
 * model per domain and publishes what vpl011_peek() reads, so that the
 * microvisor answers most reads without asking it.
 */
#include <mv/types.h>

#include "vpl011.h"

/* Register offsets, §3.2. */
#define UARTDR		0x000
#define UARTRSR		0x004		/* UARTECR on write */
#define UARTFR		0x018
#define UARTILPR	0x020
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02c
#define UARTCR		0x030
#define UARTIFLS	0x034
#define UARTIMSC	0x038
#define UARTRIS		0x03c
#define UARTMIS		0x040
#define UARTICR		0x044
#define UARTDMACR	0x048
#define UARTPERIPHID0	0xfe0		/* PeriphID0-3, then PCellID0-3 */
#define UARTPCELLID3	0xffc

/* UARTRSR/UARTECR, §3.3 */
#define RSR_OE		BIT(3)

/* UARTFR, §3.3 */
#define FR_CTS		BIT(0)
#define FR_DSR		BIT(1)
#define FR_DCD		BIT(2)
#define FR_RXFE		BIT(4)
#define FR_RXFF		BIT(6)
#define FR_TXFE		BIT(7)
#define FR_RI		BIT(8)

/* UARTLCR_H, §3.3 */
#define LCR_H_FEN	BIT(4)

/* UARTCR, §3.3: bits 6:3 are reserved. */
#define CR_LBE		BIT(7)
#define CR_DTR		BIT(10)
#define CR_RTS		BIT(11)
#define CR_OUT1		BIT(12)
#define CR_OUT2		BIT(13)
#define CR_MASK		0xff87u
#define CR_RESET	0x0300u		/* TXE | RXE */

/* UARTIFLS, §3.3 */
#define IFLS_MASK	0x3fu
#define IFLS_RX_SHIFT	3
#define IFLS_RESET	0x12u		/* both FIFOs at 1/2 */

/* UARTIMSC/RIS/MIS/ICR bits, §3.3 */
#define INT_RIM		BIT(0)
#define INT_CTSM	BIT(1)
#define INT_DCDM	BIT(2)
#define INT_DSRM	BIT(3)
#define INT_RX		BIT(4)
#define INT_TX		BIT(5)
#define INT_RT		BIT(6)
#define INT_OE		BIT(10)
#define INT_MASK	0x7ffu

#define DMACR_MASK	0x7u

/* Arm PL011 r1p5: part 0x011, designer 0x41 ('A'), revision 3; the PrimeCell
 * ID reads 0xb105f00d.  Linux's AMBA bus matches 0x00341011 and takes r1p5
 * (revision >= 3) to have 32-byte FIFOs. */
static const uint8_t vpl011_id[8] = {
	0x11, 0x10, 0x34, 0x00,		/* UARTPeriphID0-3 */
	0x0d, 0xf0, 0x05, 0xb1,		/* UARTPCellID0-3 */
};

static_assert(VPL011_RX_FIFO == 32,
	      "PL011 r1p5 has 32-byte FIFOs (and PeriphID2 says r1p5)");
static_assert((VPL011_RX_FIFO & (VPL011_RX_FIFO - 1)) == 0,
	      "the receive ring wraps with a mask");

static unsigned rx_depth(const struct vpl011 *u)
{
	return (u->lcr_h & LCR_H_FEN) ? VPL011_RX_FIFO : 1;
}

/* UARTIFLS (§3.3): RXIFLSEL selects 1/8, 1/4, 1/2, 3/4 or 7/8 of the
 * FIFO; the reserved encodings 5-7 are taken as 1/2.  In character mode the
 * holding register alone is the trigger. */
static unsigned rx_trigger(const struct vpl011 *u)
{
	static const uint8_t eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

	if (!(u->lcr_h & LCR_H_FEN))
		return 1;
	return VPL011_RX_FIFO * eighths[(u->ifls >> IFLS_RX_SHIFT) & 7] / 8;
}

/* The modem status inputs as FR reports them (1 = asserted). */
static uint32_t modem_status(const struct vpl011 *u)
{
	uint32_t fr = 0;

	if (!(u->cr & CR_LBE))
		return FR_CTS | FR_DSR | FR_DCD;
	if (u->cr & CR_RTS)
		fr |= FR_CTS;
	if (u->cr & CR_DTR)
		fr |= FR_DSR;
	if (u->cr & CR_OUT1)
		fr |= FR_DCD;
	if (u->cr & CR_OUT2)
		fr |= FR_RI;
	return fr;
}

static uint32_t flags(const struct vpl011 *u)
{
	uint32_t fr = FR_TXFE | modem_status(u);

	if (u->rx_count == 0)
		fr |= FR_RXFE;
	if (u->rx_count >= rx_depth(u))
		fr |= FR_RXFF;
	return fr;
}

static uint32_t raw_status(const struct vpl011 *u)
{
	uint32_t ris = u->ris;

	if (u->rx_count > 0)
		ris |= INT_RT;
	if (u->rx_count >= rx_trigger(u))
		ris |= INT_RX;
	return ris;
}

/* §3.4 UARTINTR: the OR of the masked interrupts.  Report changes only. */
static void update_irq(struct vpl011 *u)
{
	bool level = (raw_status(u) & u->imsc) != 0;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->ctx, level);
}

static bool rx_push(struct vpl011 *u, char c)
{
	if (u->rx_count >= rx_depth(u))
		return false;
	u->rx[(u->rx_head + u->rx_count) & (VPL011_RX_FIFO - 1)] = c;
	u->rx_count++;
	return true;
}

/* UARTDR (§3.3): reading an empty FIFO gives 0 here, not the stale byte
 * the hardware would return. */
static uint32_t rx_pop(struct vpl011 *u)
{
	uint8_t c;

	if (u->rx_count == 0)
		return 0;
	c = (uint8_t)u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) & (VPL011_RX_FIFO - 1);
	u->rx_count--;
	return c;
}

static void transmit(struct vpl011 *u, char c)
{
	if (!(u->cr & CR_LBE)) {
		if (u->tx)
			u->tx(u->ctx, c);
	} else if (!rx_push(u, c)) {
		u->rsr |= RSR_OE;
		u->ris |= INT_OE;
	}
	u->ris |= INT_TX;
}

/* §3.4 UARTMSINTR: set by any change of a modem status input. */
static void write_cr(struct vpl011 *u, uint32_t v)
{
	uint32_t before = modem_status(u), changed;

	u->cr = v & CR_MASK;
	changed = before ^ modem_status(u);
	if (changed & FR_CTS)
		u->ris |= INT_CTSM;
	if (changed & FR_DSR)
		u->ris |= INT_DSRM;
	if (changed & FR_DCD)
		u->ris |= INT_DCDM;
	if (changed & FR_RI)
		u->ris |= INT_RIM;
}

static bool reg_read(struct vpl011 *u, uint32_t offset, uint32_t *v)
{
	switch (offset) {
	case UARTDR:	*v = rx_pop(u); break;
	case UARTRSR:	*v = u->rsr; break;
	case UARTFR:	*v = flags(u); break;
	case UARTILPR:	*v = u->ilpr; break;
	case UARTIBRD:	*v = u->ibrd; break;
	case UARTFBRD:	*v = u->fbrd; break;
	case UARTLCR_H:	*v = u->lcr_h; break;
	case UARTCR:	*v = u->cr; break;
	case UARTIFLS:	*v = u->ifls; break;
	case UARTIMSC:	*v = u->imsc; break;
	case UARTRIS:	*v = raw_status(u); break;
	case UARTMIS:	*v = raw_status(u) & u->imsc; break;
	case UARTICR:	*v = 0; break;		/* write-only */
	case UARTDMACR:	*v = u->dmacr; break;
	default:
		if (offset < UARTPERIPHID0 || offset > UARTPCELLID3)
			return false;
		*v = vpl011_id[(offset - UARTPERIPHID0) / 4];
		break;
	}
	return true;
}

static bool reg_write(struct vpl011 *u, uint32_t offset, uint32_t v)
{
	switch (offset) {
	case UARTDR:	transmit(u, (char)(v & 0xff)); break;
	case UARTRSR:	u->rsr = 0; break;	/* UARTECR: any value clears */
	case UARTILPR:	u->ilpr = v & 0xff; break;
	case UARTIBRD:	u->ibrd = v & 0xffff; break;
	case UARTFBRD:	u->fbrd = v & 0x3f; break;
	case UARTLCR_H:	u->lcr_h = v & 0xff; break;
	case UARTCR:	write_cr(u, v); break;
	case UARTIFLS:	u->ifls = v & IFLS_MASK; break;
	case UARTIMSC:	u->imsc = v & INT_MASK; break;
	case UARTICR:	u->ris &= ~(v & INT_MASK); break;
	case UARTDMACR:	u->dmacr = v & DMACR_MASK; break;
	case UARTFR:
	case UARTRIS:
	case UARTMIS:
		break;				/* read-only: ignored */
	default:
		if (offset < UARTPERIPHID0 || offset > UARTPCELLID3)
			return false;
		break;
	}
	return true;
}

void vpl011_init(struct vpl011 *u, void (*tx)(void *, char),
		 void (*irq)(void *, bool), void *ctx)
{
	*u = (struct vpl011){ 0 };
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->ris = INT_TX;
	u->tx = tx;
	u->irq = irq;
	u->ctx = ctx;
}

bool vpl011_access(struct vpl011 *u, uint32_t offset, unsigned size,
		   bool write, uint64_t *value)
{
	uint32_t mask, v = 0;
	bool ok = false;

	if ((size == 1 || size == 2 || size == 4) &&
	    (offset & 3) == 0 && offset < VPL011_SIZE) {
		mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
		if (write) {
			ok = reg_write(u, offset, (uint32_t)*value & mask);
		} else {
			ok = reg_read(u, offset, &v);
			v &= mask;
		}
		update_irq(u);
	}
	if (!write)
		*value = ok ? v : 0;
	return ok;
}

bool vpl011_peek(struct vpl011 *u, uint32_t offset, uint32_t *v)
{
	if (offset == UARTDR && u->rx_count)
		return false;		/* it would take a byte */
	return reg_read(u, offset, v);
}

bool vpl011_input(struct vpl011 *u, char c)
{
	if ((u->cr & CR_LBE) || !rx_push(u, c))
		return false;
	update_irq(u);
	return true;
}
