// SPDX-License-Identifier: MIT
/*
 * Test cell (a service): emulates a small device in a window of the
 * "client" VM (tests/dts/window.dts), its faults on slot 1:
 *
 *   0x000-0x1ff  register file: writes store their bytes, reads return them
 *   0x800        ID, read-only: 0x52454746 ("REGF")
 *   0x808        the badge the fault came with
 *   0x810        (vCPU index << 32) | access size
 *   0x818        how many faults this cell is leaving unanswered
 *   0xe00        never answered: the vCPU stays blocked, nobody else does
 *   0xf00        answered with an external abort
 *
 * With the first fault it also checks that bad replies are refused, each
 * with its own error (slot 2 holds a channel capability).
 */
#include <mv_runtime.h>

#define SLOT		1
#define CHANNEL_SLOT	2

static uint8_t regs[0x200];
static unsigned unanswered;

static void expect(const char *what, int64_t rc, int64_t want)
{
	mv_printf("regfile: %s %s: %ld\n", rc == want ? "PASS" : "FAIL", what, rc);
}

static void bad_replies(const struct mv_fault *f)
{
	struct mv_fault g;

	expect("reply on an empty slot", mv_fault_reply(9, f->vcpu, MV_FAULT_RESUME, 0), MV_ERR_SLOT);
	expect("reply on slot 40", mv_fault_reply(40, f->vcpu, MV_FAULT_RESUME, 0), MV_ERR_SLOT);
	expect("reply on a channel capability",
	       mv_fault_reply(CHANNEL_SLOT, f->vcpu, MV_FAULT_RESUME, 0), MV_ERR_TYPE);
	expect("receive on a channel capability", mv_fault_recv(CHANNEL_SLOT, &g, false), MV_ERR_TYPE);
	expect("reply for vCPU 7 of 2", mv_fault_reply(SLOT, 7, MV_FAULT_RESUME, 0), MV_ERR_INVAL);
	expect("reply with action 9", mv_fault_reply(SLOT, f->vcpu, 9, 0), MV_ERR_INVAL);
	expect("reply for a vCPU that is not waiting",
	       mv_fault_reply(SLOT, f->vcpu ^ 1, MV_FAULT_RESUME, 0), MV_ERR_NOT_WAITING);
	expect("receive with nothing pending", mv_fault_recv(SLOT, &g, false), MV_ERR_EMPTY);
	/* The window's interrupt (interrupt = <20>): a level, set and cleared. */
	expect("window interrupt raised", mv_window_irq(SLOT, true), MV_OK);
	expect("window interrupt lowered", mv_window_irq(SLOT, false), MV_OK);
	expect("window interrupt on a channel capability", mv_window_irq(CHANNEL_SLOT, true),
	       MV_ERR_TYPE);
}

/* The answer to an access: the action, and *value for a read. */
static unsigned serve(const struct mv_fault *f, uint64_t *value)
{
	uint64_t off = f->addr;

	*value = 0;
	if (off + f->size <= sizeof(regs)) {
		for (unsigned i = 0; i < f->size; i++) {
			if (f->kind == MV_FAULT_WRITE)
				regs[off + i] = (uint8_t)(f->value >> (8 * i));
			else
				*value |= (uint64_t)regs[off + i] << (8 * i);
		}
		return MV_FAULT_RESUME;
	}
	switch (off) {
	case 0x800: *value = 0x52454746; break;
	case 0x808: *value = f->badge; break;
	case 0x810: *value = (uint64_t)f->vcpu << 32 | f->size; break;
	case 0x818: *value = unanswered; break;
	case 0xf00:
		mv_printf("regfile: vcpu%u %s at 0xf00: answering with an external abort\n", f->vcpu,
			  f->kind == MV_FAULT_WRITE ? "write" : "read");
		return MV_FAULT_ABORT;
	default: break;		/* reads as zero, writes ignored */
	}
	return MV_FAULT_RESUME;
}

int main(void)
{
	struct mv_fault f;
	bool first = true;
	int64_t rc;

	mv_printf("regfile: serving slot %u\n", SLOT);
	rc = mv_fault_recv(SLOT, &f, true);
	for (;;) {
		uint64_t value;
		unsigned action;

		if (rc != MV_OK) {
			if (rc != MV_ERR_EMPTY)
				mv_printf("regfile: FAIL receive: %ld\n", rc);
			rc = mv_fault_recv(SLOT, &f, true);
			continue;
		}
		if (f.kind != MV_FAULT_READ && f.kind != MV_FAULT_WRITE)
			mv_printf("regfile: FAIL fault of kind %u\n", f.kind);
		if (f.addr == 0xe00) {
			unanswered++;
			mv_printf("regfile: vcpu%u read at 0xe00: not answering\n", f.vcpu);
			rc = mv_fault_recv(SLOT, &f, true);
			continue;
		}
		action = serve(&f, &value);
		if (first) {
			first = false;
			bad_replies(&f);
			expect("first reply", mv_fault_reply(SLOT, f.vcpu, action, value), MV_OK);
			expect("second reply to the same fault",
			       mv_fault_reply(SLOT, f.vcpu, action, value), MV_ERR_NOT_WAITING);
			rc = mv_fault_recv(SLOT, &f, true);
			continue;
		}
		rc = mv_fault_reply_recv(SLOT, f.vcpu, action, value, &f);
		if (rc != MV_OK && rc != MV_ERR_EMPTY)
			mv_printf("regfile: FAIL reply: %ld\n", rc);
	}
}
