/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mmio register layout (virtio 1.x, 4.2.2) and the split
 * virtqueue's flags (2.7.5), as the specification has them: shared by the
 * cell's transport and the hostile test guest (tests/guests/blkhostile).
 */
#ifndef VIRTIO_REGS_H
#define VIRTIO_REGS_H

#define R_MAGIC		0x000
#define R_VERSION	0x004
#define R_DEVICE_ID	0x008
#define R_VENDOR_ID	0x00c
#define R_DEV_FEAT	0x010
#define R_DEV_FEAT_SEL	0x014
#define R_DRV_FEAT	0x020
#define R_DRV_FEAT_SEL	0x024
#define R_QUEUE_SEL	0x030
#define R_QUEUE_NUM_MAX	0x034
#define R_QUEUE_NUM	0x038
#define R_QUEUE_READY	0x044
#define R_QUEUE_NOTIFY	0x050
#define R_INT_STATUS	0x060
#define R_INT_ACK	0x064
#define R_STATUS	0x070
#define R_DESC_LO	0x080
#define R_DESC_HI	0x084
#define R_DRIVER_LO	0x090
#define R_DRIVER_HI	0x094
#define R_DEVICE_LO	0x0a0
#define R_DEVICE_HI	0x0a4
#define R_SHM_SEL	0x0ac
#define R_SHM_LEN_LO	0x0b0
#define R_SHM_LEN_HI	0x0b4
#define R_SHM_BASE_LO	0x0b8
#define R_SHM_BASE_HI	0x0bc
#define R_CONFIG_GEN	0x0fc
#define R_CONFIG	0x100

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_ACKNOWLEDGE	1U
#define VIRTIO_DRIVER		2U
#define VIRTIO_DRIVER_OK	4U
#define VIRTIO_FEATURES_OK	8U
#define VIRTIO_NEEDS_RESET	64U
#define VIRTIO_FAILED		128U

#define VIRTIO_F_VERSION_1	(1ULL << 32)

/* InterruptStatus bits. */
#define VIRTIO_INT_USED		1U
#define VIRTIO_INT_CONFIG	2U

/* Descriptor flags (2.7.5). */
#define VRING_DESC_F_NEXT	1U
#define VRING_DESC_F_WRITE	2U
#define VRING_DESC_F_INDIRECT	4U
#define VRING_AVAIL_F_NO_INTERRUPT 1U

#endif
