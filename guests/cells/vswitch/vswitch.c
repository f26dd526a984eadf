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
 * and may choose the offloads every port offers (none without it):
 *
 *   vswitch.offload=none|csum|tso
 *
 * The device offers VIRTIO_NET_F_MAC (the port's MAC); with "csum" also
 * VIRTIO_NET_F_CSUM, GUEST_CSUM and MRG_RXBUF, with "tso" those and
 * HOST_TSO4/6, GUEST_TSO4/6.  One receive and one transmit queue.  A
 * frame is 14 to 1518 bytes behind the 12-byte header, or up to 65550
 * as a TCP segment to split (GSO) from a driver with HOST_TSO.  The
 * header the sender wrote (flags, gso_type, hdr_len, gso_size,
 * csum_start, csum_offset) is checked (hdr_check: a bad one is refused
 * like a bad descriptor, one line and DEVICE_NEEDS_RESET) and goes to
 * the receiver unchanged; with MRG_RXBUF a frame spreads over as many
 * receive buffers as it needs, num_buffers in its first header, all
 * published at once.  A receiver without GUEST_CSUM gets a partial
 * checksum completed here; one without the GUEST_TSO for a GSO frame
 * does not get it (counted, one line the first time: the cell does not
 * split segments).  Forwarding learns the source address
 * of every frame sent (each port's own MAC is fixed to it); a frame to a
 * broadcast, multicast or unknown address goes to every other port.
 * A frame for a port without a free receive buffer waits in that port's
 * holding queue (HOLD frames in HOLD_BYTES, in order) until
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
#define VIRTIO_NET_F_CSUM	(1ULL << 0)	/* the driver sends partial checksums */
#define VIRTIO_NET_F_GUEST_CSUM	(1ULL << 1)	/* ... and takes them */
#define VIRTIO_NET_F_MAC	(1ULL << 5)
#define VIRTIO_NET_F_GUEST_TSO4	(1ULL << 7)	/* it takes TCP segments to split */
#define VIRTIO_NET_F_GUEST_TSO6	(1ULL << 8)
#define VIRTIO_NET_F_HOST_TSO4	(1ULL << 11)	/* ... and sends them */
#define VIRTIO_NET_F_HOST_TSO6	(1ULL << 12)
#define VIRTIO_NET_F_MRG_RXBUF	(1ULL << 15)	/* a frame over several receive buffers */
/* What vswitch.offload= offers besides the MAC: none, csum, tso. */
#define OFFLOAD_CSUM	(VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_MRG_RXBUF)
#define OFFLOAD_TSO	(OFFLOAD_CSUM | VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_HOST_TSO6 | \
			 VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6)

/* struct virtio_net_hdr (5.1.6): its flags and gso_type values. */
#define HDR_F_NEEDS_CSUM	1
#define GSO_NONE		0
#define GSO_TCPV4		1
#define GSO_TCPV6		4

#define HDR		12	/* struct virtio_net_hdr with num_buffers (1.x) */
#define FRAME_MIN	14	/* an Ethernet header */
#define FRAME_MAX	1518	/* 1500 bytes of payload, a VLAN tag */
#define FRAME_GSO_MAX	65550	/* a TCP segment to split: 64 KiB of IP (5.1.6.3.1: 65562 with the header) */
#define LEARNED		32	/* the forwarding table's entries */
#define HOLD		128	/* frames held per port for its receive queue */
#define HOLD_BYTES	(384U << 10)	/* ... and their bytes, with their headers */

/* A frame's header as its sender wrote it (5.1.6), num_buffers aside. */
struct nethdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset;
};

struct port {
	struct vmmio dev;
	struct vbackend be;
	char vm[33];
	uint8_t mac[6];
	uint8_t config[8];	/* mac, status (not offered) */
	uint64_t sent, received, dropped;
	uint64_t unsegmented;	/* GSO frames dropped: the port takes none */
	unsigned hold_head, hold_count;	/* frames waiting for receive buffers */
	uint32_t hold_off[HOLD], hold_len[HOLD];	/* each in held[], with its header */
	uint64_t hold_epoch;		/* its VM's restarts when they were held */
};

static struct port ports[MAX_PORTS];
static unsigned nports;
static uint64_t offered = VIRTIO_NET_F_MAC;	/* by every port */
static struct vchain txc, rxc, rxfirst;
static uint64_t buf[(HDR + FRAME_GSO_MAX + 7) / 8];	/* one frame, header first */
static uint64_t held[MAX_PORTS][HOLD_BYTES / 8];
_Static_assert(HOLD_BYTES >= HDR + FRAME_GSO_MAX, "a held frame");
/* The cell's code, data and stack must stay below its device tree, which
 * the microvisor puts in the last 2 MiB of its 4 (docs/virtio.md). */
_Static_assert(sizeof(held) + sizeof(buf) <= (1792U << 10), "the cell's memory");

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

static uint16_t le16(const volatile uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void setle16(volatile uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void hdr_parse(const volatile uint8_t *h, struct nethdr *nh)
{
	nh->flags = h[0];
	nh->gso_type = h[1];
	nh->hdr_len = le16(h + 2);
	nh->gso_size = le16(h + 4);
	nh->csum_start = le16(h + 6);
	nh->csum_offset = le16(h + 8);
}

static void hdr_write(volatile uint8_t *h, const struct nethdr *nh)
{
	h[0] = nh->flags;
	h[1] = nh->gso_type;
	setle16(h + 2, nh->hdr_len);
	setle16(h + 4, nh->gso_size);
	setle16(h + 6, nh->csum_start);
	setle16(h + 8, nh->csum_offset);
	setle16(h + 10, 1);	/* num_buffers: put() sets it */
}

/* What is wrong with a transmitted frame's header (len bytes of frame
 * behind it) for a driver that negotiated features: NULL if nothing (the
 * message takes the descriptor and one value, *what). */
static const char *hdr_check(const struct nethdr *h, uint32_t len, uint64_t features, uint64_t *what)
{
	*what = h->gso_type;
	if (h->flags & ~HDR_F_NEEDS_CSUM) {
		*what = h->flags;
		return "frame at descriptor %lu: header flags 0x%lx (only NEEDS_CSUM is for a transmitted frame)";
	}
	if ((h->flags & HDR_F_NEEDS_CSUM) && !(features & VIRTIO_NET_F_CSUM)) {
		*what = h->flags;
		return "frame at descriptor %lu: header flags 0x%lx: a partial checksum without VIRTIO_NET_F_CSUM";
	}
	if ((h->flags & HDR_F_NEEDS_CSUM) && (uint32_t)h->csum_start + h->csum_offset + 2 > len) {
		*what = (uint64_t)h->csum_start + h->csum_offset;
		return "frame at descriptor %lu: checksum field at 0x%lx (csum_start + csum_offset) is beyond the frame";
	}
	if (h->gso_type == GSO_NONE) {
		*what = len;
		return len > FRAME_MAX ? "frame at descriptor %lu: 0x%lx bytes without GSO (14 to 1518)" : NULL;
	}
	if (!(h->gso_type == GSO_TCPV4 && (features & VIRTIO_NET_F_HOST_TSO4)) &&
	    !(h->gso_type == GSO_TCPV6 && (features & VIRTIO_NET_F_HOST_TSO6)))
		return "frame at descriptor %lu: gso_type 0x%lx not negotiated";
	if (!h->gso_size)
		return "frame at descriptor %lu: gso_type 0x%lx with gso_size 0";
	if (!(h->flags & HDR_F_NEEDS_CSUM))
		return "frame at descriptor %lu: gso_type 0x%lx without NEEDS_CSUM";
	if (h->hdr_len > len) {
		*what = h->hdr_len;
		return "frame at descriptor %lu: hdr_len 0x%lx is beyond the frame";
	}
	return NULL;
}

/* The partial checksum of the frame at f (len bytes) completed, as a
 * driver without VIRTIO_NET_F_GUEST_CSUM expects it (5.1.6.2): the
 * Internet checksum of the bytes from csum_start, its field holding the
 * pseudo-header's sum, stored in the field.  Bounds checked (hdr_check). */
static void csum_complete(volatile uint8_t *f, uint32_t len, const struct nethdr *h)
{
	uint32_t sum = 0;
	uint16_t c;

	for (uint32_t i = h->csum_start; i < len; i += 2)
		sum += (uint32_t)f[i] << 8 | (i + 1 < len ? f[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	/* Its complement; 0xffff for 0, the same in ones' complement (and
	 * UDP's 0 means "none"). */
	c = sum == 0xffff ? 0xffff : (uint16_t)(0xffff - sum);
	f[h->csum_start + h->csum_offset] = (uint8_t)(c >> 8);
	f[h->csum_start + h->csum_offset + 1] = (uint8_t)c;
}

/* The frame at f (n bytes with its header) into port to's next receive
 * buffers: one if it fits (or without VIRTIO_NET_F_MRG_RXBUF: it must),
 * else as many as it needs, num_buffers in the first header (5.1.6.4),
 * all published at once.  1 done (or dropped: the frame is larger than
 * the whole receive ring), 0 not buffers enough (none taken), -1
 * refused (the port needs a reset). */
static int put(struct port *to, const volatile uint8_t *f, uint32_t n)
{
	static unsigned heads[VQ_MAX];
	static uint32_t lens[VQ_MAX];
	struct vmmio *d = &to->dev;
	bool mrg = d->driver_features & VIRTIO_NET_F_MRG_RXBUF;
	unsigned k = 0;
	uint32_t done = 0;
	uint8_t nb[2];

	while (done < n) {
		struct vchain *c = k ? &rxc : &rxfirst;
		uint32_t part;
		int rc = vq_pop(d, RXQ, c);

		if (rc <= 0) {
			if (rc < 0 || (d->status & VIRTIO_NEEDS_RESET))
				return -1;
			vq_unpop(d, RXQ, k);	/* taken again when more come */
			if (k == d->q[RXQ].num) {
				to->dropped++;	/* a whole ring too small: never fits */
				return 1;
			}
			return 0;
		}
		if (c->wlen < (!mrg ? n : k ? 1 : HDR)) {
			vmmio_fail(d, RXQ, "receive buffer at descriptor %lu holds 0x%lx bytes, too few for a frame",
				   c->head, c->wlen);
			return -1;
		}
		part = c->wlen < n - done ? (uint32_t)c->wlen : n - done;
		vchain_write(c, 0, f + done, part);
		heads[k] = c->head;
		lens[k++] = part;
		done += part;
	}
	nb[0] = (uint8_t)k;
	nb[1] = (uint8_t)(k >> 8);
	vchain_write(&rxfirst, 10, nb, 2);
	for (unsigned i = 0; i < k; i++)
		vq_put(d, RXQ, heads[i], lens[i]);
	vq_publish(d, RXQ);
	to->received++;
	return 1;
}

/* Port to's held frames into the receive buffers it has now, in order. */
static void flush(struct port *to)
{
	unsigned i = (unsigned)(to - ports);

	while (to->hold_count) {
		int rc = put(to, (const volatile uint8_t *)held[i] + to->hold_off[to->hold_head],
			     to->hold_len[to->hold_head]);

		if (rc == 0)
			return;
		if (rc < 0)
			to->dropped += to->hold_count - 1;	/* a reset clears them */
		to->hold_head = (to->hold_head + 1) % HOLD;
		to->hold_count = rc < 0 ? 0 : to->hold_count - 1;
	}
}

/* Where in port to's held[] a frame of n bytes goes, behind those held
 * (a ring of bytes, each frame in one piece); -1 if it has no room. */
static int64_t hold_room(const struct port *to, uint32_t n)
{
	unsigned last = (to->hold_head + to->hold_count - 1) % HOLD;
	uint32_t head, tail;

	n = (n + 7) & ~7U;
	if (!to->hold_count)
		return 0;
	if (to->hold_count == HOLD)
		return -1;
	head = to->hold_off[to->hold_head];
	tail = (to->hold_off[last] + to->hold_len[last] + 7) & ~7U;
	if (tail > head)	/* [head, tail) held: room after it, or before */
		return tail + n <= HOLD_BYTES ? (int64_t)tail : n <= head ? 0 : -1;
	return tail + n <= head ? (int64_t)tail : -1;	/* [head, end) and [0, tail) held */
}

/* The frame in buf (len bytes after the header, h its sender's header)
 * to port to, with the header it takes: into its next receive buffers,
 * else into its holding queue (behind what it holds already), else
 * dropped.  A GSO frame goes only to a port that takes them; a partial
 * checksum is completed here for a port that does not take those (and
 * then stays complete for the frame's other receivers). */
static void deliver(struct port *to, struct nethdr *h, uint32_t len)
{
	struct vmmio *d = &to->dev;
	volatile uint8_t *b = (volatile uint8_t *)buf;
	uint64_t f;
	unsigned i = (unsigned)(to - ports), slot;
	int64_t at;

	vmmio_fresh(d);		/* never write into a restarted VM's old rings */
	if (d->space.restarts != to->hold_epoch) {
		to->hold_epoch = d->space.restarts;
		to->hold_count = 0;	/* frames for its old run */
	}
	if (!(d->status & VIRTIO_DRIVER_OK) || (d->status & VIRTIO_NEEDS_RESET)) {
		to->dropped++;
		return;
	}
	f = d->driver_features;
	if (h->gso_type != GSO_NONE &&
	    (!(f & VIRTIO_NET_F_GUEST_CSUM) ||
	     !(f & (h->gso_type == GSO_TCPV4 ? VIRTIO_NET_F_GUEST_TSO4 : VIRTIO_NET_F_GUEST_TSO6)))) {
		if (!to->unsegmented++)
			mv_printf("%s: its driver takes no TCP segments to split (GUEST_TSO): GSO frames for it are dropped\n",
				  to->vm);
		to->dropped++;
		return;
	}
	if ((h->flags & HDR_F_NEEDS_CSUM) && !(f & VIRTIO_NET_F_GUEST_CSUM)) {
		csum_complete(b + HDR, len, h);
		h->flags &= (uint8_t)~HDR_F_NEEDS_CSUM;
	}
	hdr_write(b, h);
	flush(to);
	if (!to->hold_count && put(to, b, HDR + len) != 0)
		return;		/* delivered, or refused (logged) */
	at = hold_room(to, HDR + len);
	if (at < 0) {
		to->dropped++;
		return;
	}
	slot = (to->hold_head + to->hold_count) % HOLD;
	vcopy((volatile uint8_t *)held[i] + at, b, HDR + len);
	to->hold_off[slot] = (uint32_t)at;
	to->hold_len[slot] = HDR + len;
	to->hold_count++;
}

static void forward(unsigned from, struct nethdr *h, uint32_t len)
{
	const volatile uint8_t *f = (const volatile uint8_t *)buf + HDR;
	int to;

	learn(f + 6, from, false);
	to = f[0] & 1 ? -1 : lookup(f);
	if (to == (int)from)
		return;		/* for its own sender: nowhere to go */
	if (to >= 0) {
		deliver(&ports[to], h, len);
		return;
	}
	for (unsigned i = 0; i < nports; i++)
		if (i != from)
			deliver(&ports[i], h, len);
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
	bool tso = d->driver_features & (VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_HOST_TSO6);

	if (q == RXQ) {		/* receive buffers added: held frames first */
		flush(p);
		return;
	}
	if (q != TXQ)
		return;
	for (unsigned i = 0; i < VQ_MAX && vq_pop(d, TXQ, &txc) > 0; i++) {
		uint64_t n = txc.rlen, what;
		struct nethdr h;
		const char *bad;

		if (n < HDR + FRAME_MIN || n > HDR + (tso ? FRAME_GSO_MAX : FRAME_MAX)) {
			vmmio_fail(d, TXQ, tso ? "frame at descriptor %lu is 0x%lx bytes with its header (12 + 14 to 65550)"
					       : "frame at descriptor %lu is 0x%lx bytes with its header (12 + 14 to 1518)",
				   txc.head, n);
			return;
		}
		vchain_read(&txc, 0, (volatile uint8_t *)buf, n);
		hdr_parse((const volatile uint8_t *)buf, &h);
		bad = hdr_check(&h, (uint32_t)(n - HDR), d->driver_features, &what);
		if (bad) {
			vmmio_fail(d, TXQ, bad, txc.head, what);
			return;
		}
		vq_push(d, TXQ, txc.head, 0);
		p->sent++;
		forward((unsigned)(p - ports), &h, (uint32_t)(n - HDR));
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

/* Whether the word at s (up to a space) is w. */
static bool word_is(const volatile char *s, const char *w)
{
	while (*w)
		if (*s++ != *w++)
			return false;
	return !*s || *s == ' ';
}

/* The bootargs' vswitch.port= words; 0, or -1 (logged). */
static int bootargs(const volatile char *s)
{
	while (s && *s) {
		while (*s == ' ')
			s++;
		if (str_prefix(s, "vswitch.offload=")) {
			const volatile char *v = s + 16;

			if (word_is(v, "none"))
				offered = VIRTIO_NET_F_MAC;
			else if (word_is(v, "csum"))
				offered = VIRTIO_NET_F_MAC | OFFLOAD_CSUM;
			else if (word_is(v, "tso"))
				offered = VIRTIO_NET_F_MAC | OFFLOAD_TSO;
			else {
				mv_puts("error: bootargs: vswitch.offload= wants none, csum or tso\n");
				return -1;
			}
		} else if (str_prefix(s, "vswitch.port=")) {
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
		p->be.features = offered;
		p->be.config = p->config;
		p->be.config_size = sizeof(p->config);
		p->be.queues = 2;
		p->be.notify = notify;
		p->be.notify_posted = true;
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

			if (vmmio_take(&p->dev))
				busy = true;
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
