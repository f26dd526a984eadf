// SPDX-License-Identifier: MIT
/*
 * Test cell that owns a physical device through capabilities: QEMU virt's
 * PL031 RTC, its registers by a region capability (slot 1, mapped at
 * 0x09010000) and its interrupt by an irq capability (slot 2).  It reads
 * the time, sets an alarm two seconds ahead and sleeps in mv_wait() until
 * the alarm interrupt wakes it, clears the device and re-arms the line.
 * Then it tells the VM "guest": the time in the shared region (slot 5),
 * its virtual interrupt (virq capability, slot 3) and a message on the
 * channel in slot 4.  Slots used with the wrong call are refused with
 * MV_ERR_TYPE, empty ones with MV_ERR_SLOT.
 */
#include <mv_runtime.h>

#define SLOT_RTC	1
#define SLOT_ALARM	2
#define SLOT_KICK	3
#define SLOT_TO_GUEST	4
#define SLOT_SHARED	5

#define PL031		((volatile uint32_t *)0x09010000UL)
#define PL031_DR	(0x00 / 4)	/* data: seconds */
#define PL031_MR	(0x04 / 4)	/* match */
#define PL031_IMSC	(0x10 / 4)	/* interrupt mask set/clear */
#define PL031_RIS	(0x14 / 4)	/* raw interrupt status */
#define PL031_ICR	(0x1c / 4)	/* interrupt clear */
#define SHARED		((volatile uint64_t *)0x20000000UL)
#define SHARED_MAGIC	0x7274632d63656c6cUL	/* "rtc-cell" */

static unsigned failures;

static void expect(const char *what, int64_t rc, int64_t want)
{
	mv_printf("rtc: %s %s: %ld\n", rc == want ? "PASS" : "FAIL", what, rc);
	failures += rc != want;
}

int main(void)
{
	uint32_t now = PL031[PL031_DR];
	unsigned waits = 0;

	mv_printf("rtc: time %u s, alarm in 2 s\n", now);
	/* Each slot holds one kind of object: the wrong call is a type error. */
	expect("irq ack on a virq capability", mv_irq_ack(SLOT_KICK), MV_ERR_TYPE);
	expect("virq raise on an irq capability", mv_virq_raise(SLOT_ALARM), MV_ERR_TYPE);
	expect("channel send on a region capability", mv_send(SLOT_RTC, 1, 0, 0), MV_ERR_TYPE);
	expect("irq ack on a channel capability", mv_irq_ack(SLOT_TO_GUEST), MV_ERR_TYPE);
	expect("virq raise on an empty slot", mv_virq_raise(9), MV_ERR_SLOT);
	expect("irq ack before the interrupt", mv_irq_ack(SLOT_ALARM), MV_ERR_EMPTY);

	PL031[PL031_ICR] = 1;
	PL031[PL031_MR] = now + 2;
	PL031[PL031_IMSC] = 1;
	while (!(PL031[PL031_RIS] & 1)) {
		mv_wait();	/* the alarm's interrupt wakes us */
		waits++;
	}
	PL031[PL031_IMSC] = 0;
	PL031[PL031_ICR] = 1;
	mv_printf("rtc: alarm at %u s after %u wait%s\n", PL031[PL031_DR], waits,
		  waits == 1 ? "" : "s");
	expect("irq ack after the alarm interrupt", mv_irq_ack(SLOT_ALARM), MV_OK);
	expect("irq ack again", mv_irq_ack(SLOT_ALARM), MV_ERR_EMPTY);

	SHARED[1] = now;
	SHARED[0] = SHARED_MAGIC;
	expect("virq raise into guest", mv_virq_raise(SLOT_KICK), MV_OK);
	expect("message to guest", mv_send(SLOT_TO_GUEST, 0, 2, (const uint64_t[2]){ 0x1234, now }),
	       MV_OK);
	mv_printf("rtc: done, %u failure%s\n", failures, failures == 1 ? "" : "s");
	return 0;
}
