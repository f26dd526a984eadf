// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio transport of a cell (virtio_mmio.h): the register file
 * (virtio 1.x, 4.2.2), split virtqueues (2.7) in the client's memory, the
 * window's interrupt.  Written from the specification.
 */
#include "virtio_mmio.h"

#define MAGIC		0x74726976U	/* "virt" */
#define VENDOR		0x4d564953U	/* "SIVM": microvisor */


static inline void barrier(void)
{
#ifdef __aarch64__
	__asm__ volatile("dmb sy" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the host's unit tests */
#endif
}

/* Little-endian fields at naturally aligned places (checked when the
 * queue was made ready). */
static inline uint16_t rd16(const volatile uint8_t *p)
{
	return *(const volatile uint16_t *)p;
}

static inline uint32_t rd32(const volatile uint8_t *p)
{
	return *(const volatile uint32_t *)p;
}

static inline uint64_t rd64(const volatile uint8_t *p)
{
	return *(const volatile uint64_t *)p;
}

static inline void wr16(volatile uint8_t *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

static inline void wr32(volatile uint8_t *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

void vcopy(volatile uint8_t *dst, const volatile uint8_t *src, uint64_t n)
{
	uintptr_t mis = (uintptr_t)dst ^ (uintptr_t)src;

	if (!(mis & 7)) {
		while (n && ((uintptr_t)dst & 7)) {
			*dst++ = *src++;
			n--;
		}
#ifdef __aarch64__
		/* 64 bytes a turn in pairs of 8-byte accesses (aligned: the
		 * cell's memory is Device memory), a quarter of the loop's
		 * instructions: a request's data is copied here. */
		for (; n >= 64; n -= 64, dst += 64, src += 64)
			__asm__ volatile("ldp x2, x3, [%1]\n\tldp x4, x5, [%1, #16]\n\t"
					 "ldp x6, x7, [%1, #32]\n\tldp x8, x9, [%1, #48]\n\t"
					 "stp x2, x3, [%0]\n\tstp x4, x5, [%0, #16]\n\t"
					 "stp x6, x7, [%0, #32]\n\tstp x8, x9, [%0, #48]"
					 : : "r"(dst), "r"(src)
					 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "memory");
#endif
		for (; n >= 8; n -= 8, dst += 8, src += 8)
			*(volatile uint64_t *)dst = *(const volatile uint64_t *)src;
	} else if (!(mis & 3)) {
		while (n && ((uintptr_t)dst & 3)) {
			*dst++ = *src++;
			n--;
		}
		for (; n >= 4; n -= 4, dst += 4, src += 4)
			*(volatile uint32_t *)dst = *(const volatile uint32_t *)src;
	}
	while (n--)
		*dst++ = *src++;
}

/* Where the cell sees the guest's [gpa, gpa + len), or NULL if any of it
 * is outside the guest's RAM. */
static volatile uint8_t *guest(const struct vmmio *d, uint64_t gpa, uint64_t len)
{
	const struct mv_space *s = &d->space;

	if (gpa < s->base || len > s->size || gpa - s->base > s->size - len)
		return NULL;
	return (volatile uint8_t *)(uintptr_t)(s->where + (gpa - s->base));
}

/*
 * The window's page (docs/abi.md, "Fast windows") keeps the interrupt
 * status: published, so that the driver's read of it in its interrupt
 * handler completes in the microvisor without a round trip to this cell,
 * and cleared by the driver's InterruptACK there too (MV_WINDOW_CLEAR:
 * the microvisor lowers the line when no bit is left).  The cell changes
 * it through the microvisor (mv_window_line), which has the line follow.  A backend with
 * notify_posted also lets QueueNotify be posted: the microvisor queues it
 * and wakes the cell, which takes the ring (vmmio_take) before any fault
 * of the window.  Pages for the first VMMIO_PAGES devices; the others
 * answer everything by faults (isr then lives in struct vmmio).
 */
#define VMMIO_PAGES	4
static struct mv_window_page pages[VMMIO_PAGES] __attribute__((aligned(4096)));
static unsigned page_slot[VMMIO_PAGES], npages;	/* whose each is */

/* The page of the window in slot (its own again if it had one), or NULL. */
static struct mv_window_page *window_page(unsigned slot)
{
	unsigned i = 0;

	while (i < npages && page_slot[i] != slot)
		i++;
	if (i == VMMIO_PAGES || mv_window_attach(slot, &pages[i]) != MV_OK)
		return NULL;
	page_slot[i] = slot;
	npages += i == npages;
	return &pages[i];
}

/* The page's rules: InterruptACK clears bits of the published
 * InterruptStatus; QueueNotify is posted (if the backend takes the ring),
 * the cell woken for each. */
static void page_init(struct vmmio *d)
{
	struct mv_window_page *pg = d->pg;
	const unsigned w = R_INT_STATUS / 4;
	unsigned n = 0;

	pg->line_word = w;
	pg->published[w / 32] = 1u << (w % 32);
	pg->rule[n++] = (struct mv_window_rule){ .offset = R_INT_ACK, .flags = MV_WINDOW_CLEAR };
	if (d->be->notify_posted)
		pg->rule[n++] = (struct mv_window_rule){ .offset = R_QUEUE_NOTIFY };
	__atomic_store_n(&pg->nrules, n, __ATOMIC_RELEASE);
	mv_window_line(d->slot, 0, ~0U);
}

static uint32_t isr(const struct vmmio *d)
{
	return d->pg ? __atomic_load_n(&d->pg->answer[R_INT_STATUS / 4], __ATOMIC_ACQUIRE) : d->isr;
}

/* Set, then clear, bits of the interrupt status; the line follows. */
static void isr_change(struct vmmio *d, uint32_t set, uint32_t clear)
{
	if (d->pg) {
		uint32_t now = isr(d);

		/* Bits already set stay so until the driver reads them and
		 * clears them, and then it looks at the queues afresh. */
		if ((now & set) != set || (now & clear))
			mv_window_line(d->slot, set, clear);
		return;
	}
	d->isr = (d->isr | set) & ~clear;
	if ((d->isr != 0) != d->irq) {
		d->irq = d->isr != 0;
		mv_window_irq(d->slot, d->irq);
	}
}

static void reset(struct vmmio *d)
{
	d->driver_features = 0;
	d->dev_sel = d->drv_sel = d->queue_sel = 0;
	d->status = 0;
	for (unsigned i = 0; i < d->be->queues; i++) {
		struct vqueue *q = &d->q[i];

		q->num = VQ_MAX;
		q->ready = false;
		q->desc = q->driver = q->device = 0;
		q->dp = q->ap = q->up = NULL;
		q->last_avail = q->used_idx = 0;
	}
	isr_change(d, 0, ~0U);
}

void vmmio_fail(struct vmmio *d, unsigned q, const char *what, uint64_t a, uint64_t b)
{
	mv_printf("error: %s: queue %u: ", d->vm, q);
	mv_printf(what, a, b);
	mv_puts("; device needs reset\n");
	d->status |= VIRTIO_NEEDS_RESET;
	for (unsigned i = 0; i < d->be->queues; i++)
		d->q[i].ready = false;
	if (d->status & VIRTIO_DRIVER_OK)
		isr_change(d, VIRTIO_INT_CONFIG, 0);
}

int vmmio_init(struct vmmio *d, const char *vm, unsigned slot, unsigned space_slot,
	       const struct vbackend *be)
{
	d->vm = vm;
	d->slot = slot;
	d->space_slot = space_slot;
	d->be = be;
	if (!be->queues || be->queues > VMMIO_QUEUES)
		return -1;
	d->irq = true;		/* so that reset() lowers it */
	if (mv_space_info(space_slot, &d->space) != MV_OK || !(d->space.flags & MV_SPACE_WRITABLE))
		return -1;
	d->pg = window_page(slot);
	if (d->pg)
		page_init(d);
	reset(d);
	return 0;
}

/* QueueReady = 1: the queue as the driver set it up, checked (2.7: a
 * power of two, the rings aligned 16/2/4 and wholly in the guest's RAM). */
static void queue_ready(struct vmmio *d, unsigned qi)
{
	struct vqueue *q = &d->q[qi];
	uint64_t n = q->num;

	if (d->status & VIRTIO_NEEDS_RESET)
		return;
	if (!n || n > VQ_MAX || (n & (n - 1))) {
		vmmio_fail(d, qi, "queue size %lu is not a power of two up to %lu", n, VQ_MAX);
		return;
	}
	if ((q->desc & 15) || (q->driver & 1) || (q->device & 3)) {
		uint64_t a = q->desc & 15 ? q->desc : q->driver & 1 ? q->driver : q->device;

		vmmio_fail(d, qi, "ring at 0x%lx is misaligned (descriptor table: 16 bytes, available: 2, used: %lu)",
			   a, 4);
		return;
	}
	q->dp = guest(d, q->desc, 16 * n);
	q->ap = guest(d, q->driver, 6 + 2 * n);
	q->up = guest(d, q->device, 6 + 8 * n);
	if (!q->dp)
		vmmio_fail(d, qi, "descriptor table 0x%lx (0x%lx bytes) is outside the guest's RAM", q->desc, 16 * n);
	else if (!q->ap)
		vmmio_fail(d, qi, "available ring 0x%lx (0x%lx bytes) is outside the guest's RAM", q->driver, 6 + 2 * n);
	else if (!q->up)
		vmmio_fail(d, qi, "used ring 0x%lx (0x%lx bytes) is outside the guest's RAM", q->device, 6 + 8 * n);
	if (!q->dp || !q->ap || !q->up)
		return;
	q->last_avail = q->used_idx = 0;	/* 2.7.13: both start at 0 */
	q->ready = true;
}

int vq_pop(struct vmmio *d, unsigned qi, struct vchain *c)
{
	struct vqueue *q = &d->q[qi];
	uint16_t avail;
	unsigned idx;

	if (!q->ready || (d->status & VIRTIO_NEEDS_RESET))
		return 0;
	avail = rd16(q->ap + 2);
	if (avail == q->last_avail)
		return 0;
	if ((uint16_t)(avail - q->last_avail) > q->num) {
		vmmio_fail(d, qi, "available index %lu is more than a queue ahead of %lu",
			   avail, q->last_avail);
		return -1;
	}
	barrier();	/* the ring entry after the index */
	idx = rd16(q->ap + 4 + 2 * (q->last_avail & (q->num - 1)));
	c->head = idx;
	c->n = 0;
	c->rlen = c->wlen = 0;
	for (;;) {
		const volatile uint8_t *e;
		uint64_t addr;
		uint32_t len;
		uint16_t flags;
		struct vseg *s;

		if (idx >= q->num) {
			if (c->n)
				vmmio_fail(d, qi, "a descriptor's next, %lu, is beyond the queue's %lu", idx, q->num);
			else
				vmmio_fail(d, qi, "available head %lu is beyond the queue's %lu", idx, q->num);
			return -1;
		}
		if (c->n == q->num) {
			vmmio_fail(d, qi, "descriptor loop: the chain from %lu is longer than the queue's %lu",
				   c->head, q->num);
			return -1;
		}
		e = q->dp + 16 * idx;
		addr = rd64(e);
		len = rd32(e + 8);
		flags = rd16(e + 12);
		if (flags & VRING_DESC_F_INDIRECT) {
			vmmio_fail(d, qi, "descriptor %lu is indirect (not offered; next %lu)", idx, rd16(e + 14));
			return -1;
		}
		if (len > VQ_MAX_SEG || c->rlen + c->wlen + len > VQ_MAX_CHAIN) {
			vmmio_fail(d, qi, "descriptor %lu: length 0x%lx is oversized (a descriptor 1 MiB at most, a chain 2)",
				   idx, len);
			return -1;
		}
		s = &c->seg[c->n];
		s->p = guest(d, addr, len);
		if (!s->p) {
			vmmio_fail(d, qi, "descriptor %lu: buffer at 0x%lx is outside the guest's RAM", idx, addr);
			return -1;
		}
		s->len = len;
		s->write = flags & VRING_DESC_F_WRITE;
		if (!s->write && c->wlen) {
			vmmio_fail(d, qi, "descriptor %lu is device-readable after device-writable ones (at 0x%lx)",
				   idx, addr);
			return -1;
		}
		if (s->write)
			c->wlen += len;
		else
			c->rlen += len;
		c->n++;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		idx = rd16(e + 14);
	}
	q->last_avail++;
	return 1;
}

void vq_unpop(struct vmmio *d, unsigned qi, unsigned n)
{
	d->q[qi].last_avail = (uint16_t)(d->q[qi].last_avail - n);
}

void vq_put(struct vmmio *d, unsigned qi, unsigned head, uint32_t len)
{
	struct vqueue *q = &d->q[qi];
	volatile uint8_t *u;

	if (!q->ready)
		return;
	u = q->up + 4 + 8 * (q->used_idx & (q->num - 1));
	wr32(u, head);
	wr32(u + 4, len);
	q->used_idx++;
}

void vq_publish(struct vmmio *d, unsigned qi)
{
	struct vqueue *q = &d->q[qi];

	if (!q->ready)
		return;
	barrier();	/* the entries before the index */
	wr16(q->up + 2, q->used_idx);
	barrier();
	if (!(rd16(q->ap) & VRING_AVAIL_F_NO_INTERRUPT))
		isr_change(d, VIRTIO_INT_USED, 0);
}

void vq_push(struct vmmio *d, unsigned qi, unsigned head, uint32_t len)
{
	vq_put(d, qi, head, len);
	vq_publish(d, qi);
}

/* Walk the readable (write = false) or writable segments from byte off. */
static uint64_t chain_copy(const struct vchain *c, bool write, uint64_t off, volatile uint8_t *buf,
			   uint64_t n)
{
	uint64_t done = 0;

	for (unsigned i = 0; i < c->n && done < n; i++) {
		const struct vseg *s = &c->seg[i];
		uint64_t k;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		k = s->len - off;
		if (k > n - done)
			k = n - done;
		if (write)
			vcopy(s->p + off, buf + done, k);
		else
			vcopy(buf + done, s->p + off, k);
		done += k;
		off = 0;
	}
	return done;
}

uint64_t vchain_read(const struct vchain *c, uint64_t off, volatile uint8_t *dst, uint64_t n)
{
	return chain_copy(c, false, off, dst, n);
}

uint64_t vchain_write(const struct vchain *c, uint64_t off, const volatile uint8_t *src, uint64_t n)
{
	return chain_copy(c, true, off, (volatile uint8_t *)(uintptr_t)src, n);
}

/* The device's features, 32 bits at a time. */
static uint32_t features(const struct vmmio *d, uint32_t sel)
{
	uint64_t f = d->be->features | VIRTIO_F_VERSION_1;

	return sel == 0 ? (uint32_t)f : sel == 1 ? (uint32_t)(f >> 32) : 0;
}

static void set_status(struct vmmio *d, uint32_t v)
{
	if (!v) {
		reset(d);
		return;
	}
	if ((v & VIRTIO_FEATURES_OK) && !(d->status & VIRTIO_FEATURES_OK)) {
		uint64_t offered = d->be->features | VIRTIO_F_VERSION_1;

		/* Accepted only as a subset of ours with VERSION_1 (no legacy):
		 * otherwise FEATURES_OK does not stick and the driver gives up. */
		if ((d->driver_features & ~offered) || !(d->driver_features & VIRTIO_F_VERSION_1))
			v &= ~VIRTIO_FEATURES_OK;
	}
	d->status = v | (d->status & VIRTIO_NEEDS_RESET);
}

static uint64_t config_read(const struct vmmio *d, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		if (off + i < d->be->config_size)
			v |= (uint64_t)d->be->config[off + i] << (8 * i);
	return v;
}

static void set_half(uint64_t *r, bool high, uint32_t v)
{
	*r = high ? (*r & 0xffffffffULL) | (uint64_t)v << 32 : (*r & ~0xffffffffULL) | v;
}

/* A restart of the client (its memory cleared and reloaded) ends whatever
 * the device had: start afresh, as after a reset. */
void vmmio_fresh(struct vmmio *d)
{
	struct mv_space now;

	if (mv_space_info(d->space_slot, &now) == MV_OK && now.restarts != d->space.restarts) {
		d->space = now;
		mv_printf("%s restarted: its device is reset\n", d->vm);
		reset(d);
	}
}

static void queue_notify(struct vmmio *d, uint32_t q)
{
	if (q < d->be->queues && (d->status & VIRTIO_DRIVER_OK))
		d->be->notify(d, q);
}

unsigned vmmio_take(struct vmmio *d)
{
	struct mv_window_page *pg = d->pg;
	uint32_t head, tail;

	if (!pg)
		return 0;
	head = __atomic_load_n(&pg->head, __ATOMIC_ACQUIRE);
	tail = pg->tail;
	for (uint32_t t = tail; t != head; t++) {
		const struct mv_window_write *e = &pg->ring[t % MV_WINDOW_RING];

		if (e->kind == MV_WINDOW_RESET)
			vmmio_fresh(d);
		else if (e->offset == R_QUEUE_NOTIFY)
			queue_notify(d, (uint32_t)e->value);
		__atomic_store_n(&pg->tail, t + 1, __ATOMIC_RELEASE);
	}
	return head - tail;
}

uint64_t vmmio_access(struct vmmio *d, const struct mv_fault *f)
{
	bool rd = f->kind == MV_FAULT_READ;
	uint64_t off = f->addr;
	uint32_t v = (uint32_t)f->value;
	struct vqueue *q;

	vmmio_take(d);		/* the writes the driver posted before this */
	vmmio_fresh(d);
	if (off >= R_CONFIG)
		return rd ? config_read(d, off - R_CONFIG, f->size) : 0;	/* read-only */
	if (f->size != 4 || (off & 3))
		return 0;	/* 4.2.2.2: 32-bit registers, aligned */
	if (d->queue_sel >= d->be->queues)
		q = NULL;
	else
		q = &d->q[d->queue_sel];
	if (rd) {
		switch (off) {
		case R_MAGIC: return MAGIC;
		case R_VERSION: return 2;
		case R_DEVICE_ID: return d->be->device_id;
		case R_VENDOR_ID: return VENDOR;
		case R_DEV_FEAT: return features(d, d->dev_sel);
		case R_QUEUE_NUM_MAX: return q ? VQ_MAX : 0;
		case R_QUEUE_READY: return q ? q->ready : 0;
		case R_INT_STATUS: return isr(d);
		case R_STATUS: return d->status;
		case R_SHM_LEN_LO: case R_SHM_LEN_HI: return 0xffffffffU;	/* no shared memory */
		case R_SHM_BASE_LO: case R_SHM_BASE_HI: return 0xffffffffU;
		case R_CONFIG_GEN: return 0;	/* the configuration never changes */
		default: return 0;
		}
	}
	switch (off) {
	case R_DEV_FEAT_SEL: d->dev_sel = v; break;
	case R_DRV_FEAT_SEL: d->drv_sel = v; break;
	case R_DRV_FEAT:
		if (d->drv_sel < 2 && !(d->status & VIRTIO_FEATURES_OK))
			set_half(&d->driver_features, d->drv_sel, v);
		break;
	case R_QUEUE_SEL: d->queue_sel = v; break;
	case R_INT_ACK: isr_change(d, 0, v); break;
	case R_STATUS: set_status(d, v); break;
	case R_QUEUE_NOTIFY: queue_notify(d, v); break;
	default:
		/* The queue's set-up: only while it is not ready (4.2.2.3). */
		if (!q || q->ready) {
			if (q && off == R_QUEUE_READY && !v)
				q->ready = false;
			break;
		}
		switch (off) {
		case R_QUEUE_NUM: q->num = v; break;
		case R_QUEUE_READY:
			if (v == 1)
				queue_ready(d, d->queue_sel);
			break;
		case R_DESC_LO: case R_DESC_HI: set_half(&q->desc, off == R_DESC_HI, v); break;
		case R_DRIVER_LO: case R_DRIVER_HI: set_half(&q->driver, off == R_DRIVER_HI, v); break;
		case R_DEVICE_LO: case R_DEVICE_HI: set_half(&q->device, off == R_DEVICE_HI, v); break;
		default: break;
		}
		break;
	}
	return 0;
}
