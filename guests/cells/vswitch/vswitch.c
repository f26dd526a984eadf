// SPDX-License-Identifier: MIT
/*
 * The virtual switch cell: one virtio-net device (virtio 1.x, 5.1) for
 * each VM of one network, on the virtio-mmio transport of
 * guests/native/virtio, and the frames each sends forwarded to the
 * others' receive queues.  Its slots, port i counting from 0:
 *
 *   2i + 1  the fault capability of the port's VM's "virtio-mmio" window
 *   2i + 2  a space capability to that VM's memory ("rw")
 *
 * Its bootargs name the ports in that order, one word each:
 *
 *   vswitch.port=VM,MAC   e.g. vswitch.port=a,52:54:00:00:00:0a
 *
 * The device offers VIRTIO_NET_F_MAC (the port's MAC) and nothing else:
 * one receive and one transmit queue, no offloads, frames of 14 to 1518
 * bytes behind the 12-byte header.  Forwarding learns the source address
 * of every frame sent (each port's own MAC is fixed to it); a frame to a
 * broadcast, multicast or unknown address goes to every other port.
 * A frame for a port without a free receive buffer waits in that port's
 * holding queue (HOLD frames, as QEMU's network layer holds them) until
 * the port's driver adds receive buffers; with the holding queue full it
 * is dropped (counted).  A sender never waits for a receiver, so a guest
 * that takes nothing stops no one else.  docs/virtio.md.
 */
#include <stddef.h>

#include "cell_dt.h"
#include "virtio_mmio.h"

#define MAX_PORTS	4
#define RXQ		0
#define TXQ		1

#define VIRTIO_ID_NET		1
#define VIRTIO_NET_F_MAC	(1ULL << 5)

#define HDR		12	/* struct virtio_net_hdr with num_buffers (1.x) */
#define FRAME_MIN	14	/* an Ethernet header */
#define FRAME_MAX	1518	/* 1500 bytes of payload, a VLAN tag */
#define LEARNED		32	/* the forwarding table's entries */
#define HOLD		128	/* frames held per port for its receive queue */
#define SLOT		1536	/* a held frame with its header, 8-byte aligned */

struct port {
	struct vmmio dev;
	struct vbackend be;
	char vm[33];
	uint8_t mac[6];
	uint8_t config[8];	/* mac, status (not offered) */
	uint64_t sent, received, dropped;
	unsigned hold_head, hold_count;	/* frames waiting for receive buffers */
	uint32_t hold_len[HOLD];	/* each with its header */
	uint64_t hold_epoch;		/* its VM's restarts when they were held */
};

static struct port ports[MAX_PORTS];
static unsigned nports;
static struct vchain txc, rxc;
static uint64_t buf[(HDR + FRAME_MAX + 7) / 8];	/* one frame, header first */
static uint64_t held[MAX_PORTS][HOLD][SLOT / 8];
_Static_assert(SLOT >= HDR + FRAME_MAX && SLOT % 8 == 0, "a held frame's slot");

static struct {
	uint8_t mac[6];
	uint8_t port;
	bool used;
	bool pinned;	/* a port's own MAC: never learnt elsewhere, never replaced */
} table[LEARNED];
static unsigned table_next;

static bool mac_eq(const volatile uint8_t *a, const uint8_t *b)
{
	for (unsigned i = 0; i < 6; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The port that sent a frame from mac last (or owns it); -1 if unknown. */
static int lookup(const volatile uint8_t *mac)
{
	for (unsigned i = 0; i < LEARNED; i++)
		if (table[i].used && mac_eq(mac, table[i].mac))
			return table[i].port;
	return -1;
}

/* mac sent a frame from port (pin: it is the port's own, from the
 * bootargs).  A port's own MAC stays its: a guest sending from another's
 * does not steal that one's frames. */
static void learn(const volatile uint8_t *mac, unsigned port, bool pin)
{
	unsigned i;

	if (mac[0] & 1)
		return;		/* a group address is no one's source */
	for (i = 0; i < LEARNED; i++)
		if (table[i].used && mac_eq(mac, table[i].mac))
			break;
	if (i < LEARNED && table[i].pinned)
		return;
	if (i == LEARNED) {
		/* The next entry not pinned (at most MAX_PORTS are). */
		do {
			i = table_next;
			table_next = (table_next + 1) % LEARNED;
		} while (table[i].pinned);
	}
	for (unsigned k = 0; k < 6; k++)
		table[i].mac[k] = mac[k];
	table[i].port = (uint8_t)port;
	table[i].used = true;
	table[i].pinned = pin;
}

/* The frame at f (n bytes with its header) into port to's next receive
 * buffer: 1 done, 0 no buffer, -1 refused (the port needs a reset). */
static int put(struct port *to, const volatile uint8_t *f, uint32_t n)
{
	struct vmmio *d = &to->dev;

	if (vq_pop(d, RXQ, &rxc) <= 0)
		return (d->status & VIRTIO_NEEDS_RESET) ? -1 : 0;
	if (rxc.wlen < n) {
		vmmio_fail(d, RXQ, "receive buffer at descriptor %lu holds 0x%lx bytes, too few for a frame",
			   rxc.head, rxc.wlen);
		return -1;
	}
	vchain_write(&rxc, 0, f, n);
	vq_push(d, RXQ, rxc.head, n);
	to->received++;
	return 1;
}

/* Port to's held frames into the receive buffers it has now, in order. */
static void flush(struct port *to)
{
	unsigned i = (unsigned)(to - ports);

	while (to->hold_count) {
		int rc = put(to, (const volatile uint8_t *)held[i][to->hold_head],
			     to->hold_len[to->hold_head]);

		if (rc == 0)
			return;
		if (rc < 0)
			to->dropped += to->hold_count - 1;	/* a reset clears them */
		to->hold_head = (to->hold_head + 1) % HOLD;
		to->hold_count = rc < 0 ? 0 : to->hold_count - 1;
	}
}

/* Frame (len bytes, after the header in buf) to port to: into its next
 * receive buffer, else into its holding queue (behind what it holds
 * already), else dropped. */
static void deliver(struct port *to, uint32_t len)
{
	struct vmmio *d = &to->dev;
	volatile uint8_t *h = (volatile uint8_t *)buf;
	unsigned i = (unsigned)(to - ports), slot;

	vmmio_fresh(d);		/* never write into a restarted VM's old rings */
	if (d->space.restarts != to->hold_epoch) {
		to->hold_epoch = d->space.restarts;
		to->hold_count = 0;	/* frames for its old run */
	}
	if (!(d->status & VIRTIO_DRIVER_OK) || (d->status & VIRTIO_NEEDS_RESET)) {
		to->dropped++;
		return;
	}
	/* 5.1.6.4: no flags, no GSO, num_buffers 1. */
	for (unsigned k = 0; k < HDR; k++)
		h[k] = 0;
	h[10] = 1;
	flush(to);
	if (!to->hold_count && put(to, h, HDR + len) != 0)
		return;		/* delivered, or refused (logged) */
	if (to->hold_count == HOLD) {
		to->dropped++;
		return;
	}
	slot = (to->hold_head + to->hold_count) % HOLD;
	vcopy((volatile uint8_t *)held[i][slot], h, HDR + len);
	to->hold_len[slot] = HDR + len;
	to->hold_count++;
}

static void forward(unsigned from, uint32_t len)
{
	const volatile uint8_t *f = (const volatile uint8_t *)buf + HDR;
	int to;

	learn(f + 6, from, false);
	to = f[0] & 1 ? -1 : lookup(f);
	if (to == (int)from)
		return;		/* for its own sender: nowhere to go */
	if (to >= 0) {
		deliver(&ports[to], len);
		return;
	}
	for (unsigned i = 0; i < nports; i++)
		if (i != from)
			deliver(&ports[i], len);
}

static struct port *port_of(struct vmmio *d)
{
	return (struct port *)(void *)((char *)d - offsetof(struct port, dev));
}

/* The transmit queue was notified: forward what it holds, a queue's worth
 * at most (what the driver adds meanwhile comes with its own
 * notification).  Receive buffers are taken as frames arrive. */
static void notify(struct vmmio *d, unsigned q)
{
	struct port *p = port_of(d);

	if (q == RXQ) {		/* receive buffers added: held frames first */
		flush(p);
		return;
	}
	if (q != TXQ)
		return;
	for (unsigned i = 0; i < VQ_MAX && vq_pop(d, TXQ, &txc) > 0; i++) {
		uint64_t n = txc.rlen;

		if (n < HDR + FRAME_MIN || n > HDR + FRAME_MAX) {
			vmmio_fail(d, TXQ, "frame at descriptor %lu is 0x%lx bytes with its header (12 + 14 to 1518)",
				   txc.head, n);
			return;
		}
		vchain_read(&txc, 0, (volatile uint8_t *)buf, n);
		vq_push(d, TXQ, txc.head, 0);
		p->sent++;
		forward((unsigned)(p - ports), (uint32_t)(n - HDR));
		if (p->dev.status & VIRTIO_NEEDS_RESET)
			return;
	}
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "VM,MAC" up to the next space: the port's name and address. */
static int parse_port(const volatile char *s, struct port *p)
{
	unsigned n = 0;

	while (*s && *s != ',' && *s != ' ' && n < sizeof(p->vm) - 1)
		p->vm[n++] = *s++;
	p->vm[n] = '\0';
	if (!n || *s++ != ',')
		return -1;
	for (unsigned i = 0; i < 6; i++) {
		int hi = hexdigit(s[0]), lo = hi < 0 ? -1 : hexdigit(s[1]);

		if (lo < 0)
			return -1;
		p->mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	if (*s && *s != ' ')
		return -1;
	if (p->mac[0] & 1)
		return -1;	/* a group address */
	return 0;
}

/* The bootargs' vswitch.port= words; 0, or -1 (logged). */
static int bootargs(const volatile char *s)
{
	while (s && *s) {
		while (*s == ' ')
			s++;
		if (str_prefix(s, "vswitch.port=")) {
			if (nports == MAX_PORTS) {
				mv_printf("error: bootargs: more than %u vswitch.port= words\n", MAX_PORTS);
				return -1;
			}
			if (parse_port(s + 13, &ports[nports])) {
				char w[64];
				unsigned n = 0;

				while (s[n] && s[n] != ' ' && n < sizeof(w) - 1) {
					w[n] = s[n];
					n++;
				}
				w[n] = '\0';
				mv_printf("error: bootargs: %s: want vswitch.port=VM,MAC (six hex pairs, a unicast address)\n",
					  w);
				return -1;
			}
			nports++;
		}
		while (*s && *s != ' ')
			s++;
	}
	if (!nports) {
		mv_puts("error: bootargs: no vswitch.port=VM,MAC word\n");
		return -1;
	}
	return 0;
}

/* The ports' devices, as the bootargs name them; 0, or -1 (logged). */
static int ports_init(const volatile char *args)
{
	if (bootargs(args))
		return -1;
	for (unsigned i = 0; i < nports; i++) {
		struct port *p = &ports[i];

		for (unsigned k = 0; k < 6; k++)
			p->config[k] = p->mac[k];
		p->be.device_id = VIRTIO_ID_NET;
		p->be.features = VIRTIO_NET_F_MAC;
		p->be.config = p->config;
		p->be.config_size = sizeof(p->config);
		p->be.queues = 2;
		p->be.notify = notify;
		learn(p->mac, i, true);
		if (vmmio_init(&p->dev, p->vm, 2 * i + 1, 2 * i + 2, &p->be)) {
			mv_printf("error: port %u (%s): slot %u is not a writable space capability\n",
				  i, p->vm, 2 * i + 2);
			return -1;
		}
		mv_printf("port %u: virtio-net for %s, MAC %02x:%02x:%02x:%02x:%02x:%02x; its RAM 0x%lx-0x%lx at 0x%lx\n",
			  i, p->vm, p->mac[0], p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5],
			  p->dev.space.base, p->dev.space.base + p->dev.space.size - 1, p->dev.space.where);
	}
	return 0;
}

int main(void)
{
	struct dtinfo dt = { 0 };
	struct mv_fault f;

	if (dt_parse(mv_boot_dt, &dt)) {
		mv_printf("error: no device tree at 0x%lx\n", mv_boot_dt);
		return 1;
	}
	if (ports_init(dt.bootargs))
		return 1;
	for (;;) {
		bool busy = false;

		/* Each window in turn, a few accesses each, so that no guest
		 * keeps the others waiting. */
		for (unsigned i = 0; i < nports; i++) {
			struct port *p = &ports[i];

			for (unsigned k = 0; k < 8 && mv_fault_recv(p->dev.slot, &f, false) == MV_OK; k++) {
				uint64_t v = vmmio_access(&p->dev, &f);

				mv_fault_reply(p->dev.slot, f.vcpu, MV_FAULT_RESUME, v);
				busy = true;
			}
		}
		if (!busy)
			mv_wait();
	}
}
