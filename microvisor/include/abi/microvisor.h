/* SPDX-License-Identifier: MIT */
/*
 * The microvisor's guest-visible ABI: hypercall function IDs, error codes
 * and capability rights.  One header for the kernel and for everything in
 * guests/ (docs/abi.md explains each call).
 *
 * Hypercalls are SMCCC (Arm DEN0028) fast calls in the vendor-specific
 * hypervisor service range, made with HVC #0: function ID in x0, arguments
 * in x1-x7, results in x0-x7.  x8-x30 and SP are preserved.
 */
#ifndef ABI_MICROVISOR_H
#define ABI_MICROVISOR_H

/* SMCCC: fast call, 64-bit, owning entity 6 (vendor hypervisor service). */
#define MV_HC_BASE		0xc6000000UL
#define MV_HC_NULL		(MV_HC_BASE + 0)	/* -> x0 = MV_OK */
#define MV_HC_CHANNEL_SEND	(MV_HC_BASE + 1)	/* x1 slot, x2 signals, x3 words, x4-x7 payload */
#define MV_HC_CHANNEL_RECV	(MV_HC_BASE + 2)	/* x1 slot, x2 flags -> x1 badge, x2 signals, x3 words, x4-x7 */
#define MV_HC_WAIT		(MV_HC_BASE + 3)	/* block until a channel of the caller has work */
#define MV_HC_CHANNEL_SEND_RECV	(MV_HC_BASE + 6)	/* x1 MV_SLOTS(send, recv), x2-x7 as SEND -> as RECV */
#define MV_HC_LAST		MV_HC_CHANNEL_SEND_RECV

/* MV_HC_CHANNEL_RECV flags (x2). */
#define MV_RECV_BLOCK		0x1	/* nothing there: block until a send arrives */

/* MV_HC_CHANNEL_SEND_RECV's x1: the slot to send on and the slot to
 * receive on (blocking), 16 bits each. */
#define MV_SLOTS(send, recv)	((uint64_t)(send) | (uint64_t)(recv) << 16)

/* Results in x0.  Negative: an error, distinct per cause. */
#define MV_OK			0
#define MV_ERR_NOT_SUPPORTED	(-1)	/* unknown function (SMCCC) */
#define MV_ERR_INVAL		(-2)	/* malformed argument */
#define MV_ERR_SLOT		(-3)	/* no capability in that slot */
#define MV_ERR_TYPE		(-4)	/* the capability names another kind of object */
#define MV_ERR_RIGHTS		(-5)	/* the capability lacks the right */
#define MV_ERR_FULL		(-6)	/* the channel's queue is full: nothing was sent */
#define MV_ERR_EMPTY		(-7)	/* nothing to receive */

/* Capability rights. */
#define MV_RIGHT_SEND		0x1
#define MV_RIGHT_RECV		0x2

#define MV_CHANNEL_WORDS	4	/* payload words per message */
#define MV_CSPACE_SLOTS		16	/* slots 0..15 in every domain */

#endif
