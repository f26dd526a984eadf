// SPDX-License-Identifier: MIT
/*
 * The virtio-blk cell: serves one VM a virtio-blk device (virtio 1.x,
 * 5.2) on the virtio-mmio transport of virtio_mmio.c.  Its slots:
 *
 *   1  the fault capability of the VM's "virtio-mmio" window
 *   2  a space capability to the VM's memory ("rw")
 *
 * The disk is in the cell's own memory, so it outlives the VM's resets:
 * the cell's initrd (an image packed by the build), or, without one, a
 * zeroed disk of blk.size bytes after the cell's image.  Its bootargs:
 *
 *   blk.vm=NAME     the VM, named in the log lines
 *   blk.size=N      bytes (K, M, G suffixes), a multiple of 512: the
 *                   zeroed disk's size (ignored with an initrd)
 *
 * docs/virtio.md.
 */
#include "cell_dt.h"
#include "virtio_mmio.h"

#define WINDOW_SLOT	1
#define SPACE_SLOT	2

#define VIRTIO_ID_BLOCK		2
#define VIRTIO_BLK_F_SIZE_MAX	(1ULL << 1)
#define VIRTIO_BLK_F_SEG_MAX	(1ULL << 2)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define SECTOR		512ULL
#define DT_RESERVE	(2ULL << 20)	/* the microvisor puts the DT in the last 2 MiB */

static volatile uint8_t *disk;
static uint64_t disk_size;
static char vm_name[33] = "?";
static uint8_t config[24];	/* capacity, size_max, seg_max, geometry, blk_size */
static struct vmmio dev;
static struct vchain chain;

/* "blk.vm=NAME" and "blk.size=N[KMG]" of the bootargs. */
static void bootargs(const volatile char *s, uint64_t *size)
{
	while (s && *s) {
		while (*s == ' ')
			s++;
		if (str_prefix(s, "blk.vm=")) {
			unsigned n = 0;

			for (s += 7; *s && *s != ' ' && n < sizeof(vm_name) - 1; s++)
				vm_name[n++] = *s;
			vm_name[n] = '\0';
		} else if (str_prefix(s, "blk.size=")) {
			uint64_t v = 0;

			for (s += 9; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (uint64_t)(*s - '0');
			if (*s == 'K' || *s == 'k')
				v <<= 10, s++;
			else if (*s == 'M' || *s == 'm')
				v <<= 20, s++;
			else if (*s == 'G' || *s == 'g')
				v <<= 30, s++;
			*size = v;
		}
		while (*s && *s != ' ')
			s++;
	}
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- requests (5.2.6) ---- */

static bool in_disk(uint64_t sector, uint64_t bytes)
{
	uint64_t nsect = disk_size / SECTOR;

	return !(bytes % SECTOR) && sector <= nsect && bytes / SECTOR <= nsect - sector;
}

/* One request: its status written, the bytes written in *used; -1 if the
 * chain cannot be a request at all (logged, the device needs a reset). */
static int request(struct vmmio *d, unsigned q, const struct vchain *c, uint32_t *used)
{
	static const char id[20] = "microvisor-blk";
	uint64_t hdr[2], n;
	uint8_t status = VIRTIO_BLK_S_OK;
	uint32_t type;

	if (c->rlen < 16 || c->wlen < 1) {
		vmmio_fail(d, q, "request at descriptor %lu lacks its header or status (%lu bytes readable)",
			   c->head, c->rlen);
		return -1;
	}
	vchain_read(c, 0, (volatile uint8_t *)hdr, sizeof(hdr));
	type = (uint32_t)hdr[0];
	*used = 1;
	switch (type) {
	case VIRTIO_BLK_T_IN:
		n = c->wlen - 1;
		if (!in_disk(hdr[1], n)) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		vchain_write(c, 0, disk + hdr[1] * SECTOR, n);
		*used = (uint32_t)n + 1;
		break;
	case VIRTIO_BLK_T_OUT:
		n = c->rlen - 16;
		if (!in_disk(hdr[1], n)) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		vchain_read(c, 16, disk + hdr[1] * SECTOR, n);
		break;
	case VIRTIO_BLK_T_FLUSH:
		break;	/* the disk is memory: nothing is ever in flight */
	case VIRTIO_BLK_T_GET_ID:
		n = c->wlen - 1 < sizeof(id) ? c->wlen - 1 : sizeof(id);
		vchain_write(c, 0, (const volatile uint8_t *)id, n);
		*used = (uint32_t)n + 1;
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	vchain_write(c, c->wlen - 1, &status, 1);
	return 0;
}

/* At most a queue's worth per notification: what the driver adds
 * meanwhile comes with its own notification (the device never suppresses
 * them), so a guest cannot keep the cell, which runs above it, busy for
 * ever. */
static void notify(struct vmmio *d, unsigned q)
{
	uint32_t used;

	for (unsigned i = 0; i < VQ_MAX && vq_pop(d, q, &chain) > 0; i++) {
		if (request(d, q, &chain, &used))
			return;
		vq_push(d, q, chain.head, used);
	}
}

static const struct vbackend blk = {
	.device_id = VIRTIO_ID_BLOCK,
	.features = VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_FLUSH,
	.config = config,
	.config_size = sizeof(config),
	.queues = 1,
	.notify = notify,
};

int main(void)
{
	struct dtinfo dt = { 0 };
	uint64_t size = 0, dt_addr = mv_boot_dt;
	struct mv_fault f;
	const char *what;
	int64_t rc;

	if (dt_parse(dt_addr, &dt)) {
		mv_printf("error: no device tree at 0x%lx\n", dt_addr);
		return 1;
	}
	bootargs(dt.bootargs, &size);
	if (dt.initrd_end > dt.initrd_start) {
		disk = (volatile uint8_t *)(uintptr_t)dt.initrd_start;
		disk_size = (dt.initrd_end - dt.initrd_start) & ~(SECTOR - 1);
		what = "the packed image";
	} else {
		uint64_t start = ((uintptr_t)_end + DT_RESERVE - 1) & ~(DT_RESERVE - 1);

		if (!size || size % SECTOR || start + size > dt_addr) {
			mv_printf("error: no disk: give an initrd, or blk.size=N (a multiple of 512, at most 0x%lx here)\n",
				  dt_addr > start ? dt_addr - start : 0);
			return 1;
		}
		disk = (volatile uint8_t *)(uintptr_t)start;
		disk_size = size;
		for (uint64_t i = 0; i < size; i += 8)
			*(volatile uint64_t *)(disk + i) = 0;
		what = "zeroed";
	}
	put_le(config, disk_size / SECTOR, 8);		/* capacity */
	put_le(config + 8, VQ_MAX_SEG, 4);		/* size_max */
	put_le(config + 12, VQ_MAX - 2, 4);		/* seg_max */
	put_le(config + 20, SECTOR, 4);			/* blk_size (not offered) */
	if (vmmio_init(&dev, vm_name, WINDOW_SLOT, SPACE_SLOT, &blk)) {
		mv_printf("error: slot %u is not a writable space capability\n", SPACE_SLOT);
		return 1;
	}
	mv_printf("virtio-blk for %s: disk of %lu KiB (%s) at 0x%lx; its RAM 0x%lx-0x%lx at 0x%lx\n",
		  vm_name, disk_size >> 10, what, (uint64_t)(uintptr_t)disk, dev.space.base,
		  dev.space.base + dev.space.size - 1, dev.space.where);
	rc = mv_fault_recv(WINDOW_SLOT, &f, true);
	for (;;) {
		uint64_t value;

		if (rc != MV_OK) {
			if (rc != MV_ERR_EMPTY)
				mv_printf("error: receive: %ld\n", rc);
			rc = mv_fault_recv(WINDOW_SLOT, &f, true);
			continue;
		}
		value = vmmio_access(&dev, &f);
		rc = mv_fault_reply_recv(WINDOW_SLOT, f.vcpu, MV_FAULT_RESUME, value, &f);
	}
}
