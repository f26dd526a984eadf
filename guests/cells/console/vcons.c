// SPDX-License-Identifier: MIT
/*
 * The console cell's virtio-console device (vcons.h), written from the
 * virtio 1.x specification, 5.3: device ID 3, port 0's receiveq0 and
 * transmitq0, no features of its own.  Every chain is taken and checked
 * by the transport (vq_pop); a receive buffer must be device-writable.
 */
#include <stddef.h>

#include "vcons.h"

#define VIRTIO_ID_CONSOLE	3

/* cols, rows, max_nr_ports, emerg_wr: read only with features not offered. */
static const uint8_t config[12];

static struct vchain chain;	/* one at a time: the cell is single-threaded */

static struct vcons *of(struct vmmio *d)
{
	return (struct vcons *)(void *)((char *)d - offsetof(struct vcons, dev));
}

/* transmitq0: each chain's readable bytes to the cell, in order; at most a
 * queue's worth a notification (the transport bounds each chain). */
static void transmit(struct vcons *v)
{
	char buf[64];

	for (unsigned i = 0; i < VQ_MAX && vq_pop(&v->dev, VCONS_TX, &chain) > 0; i++) {
		for (uint64_t off = 0; off < chain.rlen; off += sizeof(buf)) {
			uint64_t n = vchain_read(&chain, off, (volatile uint8_t *)buf, sizeof(buf));

			v->tx(v->ctx, buf, (unsigned)n, false);
		}
		vq_push(&v->dev, VCONS_TX, chain.head, 0);
	}
	v->tx(v->ctx, NULL, 0, true);
}

static void notify(struct vmmio *d, unsigned q)
{
	struct vcons *v = of(d);

	if (q == VCONS_TX)
		transmit(v);
	else
		v->rx_ready(v->ctx);
}

static const struct vbackend console_be = {
	.device_id = VIRTIO_ID_CONSOLE,
	.features = 0,
	.config = config,
	.config_size = sizeof(config),
	.queues = 2,
	.notify = notify,
};

int vcons_init(struct vcons *v, const char *vm, unsigned slot, unsigned space_slot,
	       void (*tx)(void *, const char *, unsigned, bool), void (*rx_ready)(void *), void *ctx)
{
	unsigned n = 0;

	for (; n < sizeof(v->name) - 6 && vm[n]; n++)
		v->name[n] = vm[n];
	for (const char *s = "/hvc0"; *s; s++)
		v->name[n++] = *s;
	v->name[n] = '\0';
	v->tx = tx;
	v->rx_ready = rx_ready;
	v->ctx = ctx;
	return vmmio_init(&v->dev, v->name, slot, space_slot, &console_be);
}

void vcons_serve(struct vcons *v)
{
	struct mv_fault f;

	while (mv_fault_recv(v->dev.slot, &f, false) == MV_OK) {
		uint64_t value = vmmio_access(&v->dev, &f);

		mv_fault_reply(v->dev.slot, f.vcpu, MV_FAULT_RESUME, value);
	}
}

bool vcons_running(struct vcons *v)
{
	vmmio_fresh(&v->dev);
	return (v->dev.status & (VIRTIO_DRIVER_OK | VIRTIO_NEEDS_RESET)) == VIRTIO_DRIVER_OK &&
	       v->dev.q[VCONS_RX].ready;
}

unsigned vcons_input(struct vcons *v, const char *s, unsigned n)
{
	if (!n || !vcons_running(v) || vq_pop(&v->dev, VCONS_RX, &chain) <= 0)
		return 0;
	if (!chain.wlen || chain.rlen) {
		vmmio_fail(&v->dev, VCONS_RX, "receive buffer at descriptor %lu is not device-writable only (%lu bytes readable)",
			   chain.head, chain.rlen);
		return 0;
	}
	if (n > chain.wlen)
		n = (unsigned)chain.wlen;
	vchain_write(&chain, 0, (const volatile uint8_t *)s, n);
	vq_push(&v->dev, VCONS_RX, chain.head, n);
	return n;
}
