// SPDX-License-Identifier: MIT
/*
 * Test cell for space and vcpu capabilities (tests/dts/space-vcpu.dts):
 * the VM manager of "memguest".  Through a space capability (slot 1,
 * read-write; slot 2 read-only) it reads the mailbox the guest wrote in
 * its own memory and writes the reply the guest waits for; through vcpu
 * capabilities to the guest's vCPU 1 (slot 3 read and control, slot 4
 * read only) and vCPU 0 (slot 5) it suspends the spinning vCPU 1, checks
 * that it stopped and that its PC is inside the loop, resumes it, then
 * redirects it (PC and x0) to a function that restarts the guest (which
 * runs again although its vCPU 0 was left suspended, in the same memory,
 * cleared) and the second time powers it off; a vCPU of the stopped guest
 * is then MV_ERR_STOPPED.  The errors of the wrong slot, type, right,
 * state and arguments come first.
 */
#include <mv_runtime.h>

#define SLOT_SPACE	1
#define SLOT_SPACE_RO	2
#define SLOT_VCPU1	3
#define SLOT_VCPU1_RO	4
#define SLOT_VCPU0	5
#define SLOT_EMPTY	9

#define MB_GPA		0x40300000UL	/* the guest's mailbox (tests/guests/memguest) */
#define GUEST_MAGIC	0x6d656d6775657374UL	/* "memguest" */
#define CELL_REPLY	0x766d6d67722d6f6bUL	/* "vmmgr-ok" */
#define REDIRECT_ARG	0x5eedUL
#define RESET_ARG	0x7e5e7UL	/* redirected() restarts the guest */

static unsigned failures;

static void expect(const char *what, int64_t rc, int64_t want)
{
	mv_printf("vmmgr: %s %s: %ld\n", rc == want ? "PASS" : "FAIL", what, rc);
	failures += rc != want;
}

static void check(const char *what, bool ok)
{
	mv_printf("vmmgr: %s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

/* Point the suspended vcpu1 at redirected(arg) and resume it. */
static void redirect(volatile uint64_t *mb, uint64_t arg)
{
	uint64_t pc = mb[4];	/* redirected() */

	expect("suspend vcpu1", mv_vcpu_control(SLOT_VCPU1, MV_VCPU_SUSPEND, NULL), MV_OK);
	expect("write x0", mv_vcpu_write(SLOT_VCPU1, 0, 1, &arg), MV_OK);
	expect("write PC", mv_vcpu_write(SLOT_VCPU1, MV_VCPU_REG_PC, 1, &pc), MV_OK);
	expect("resume vcpu1 elsewhere", mv_vcpu_control(SLOT_VCPU1, MV_VCPU_RESUME, NULL), MV_OK);
}

static void pause(void)
{
	for (volatile unsigned i = 0; i < 200000; i++)
		;
}

int main(void)
{
	struct mv_space sp, ro;
	volatile uint64_t *mb, *mb_ro;
	uint64_t regs[7], pc = 0, c1, c2;
	unsigned status = 0;
	int64_t rc;

	mv_printf("vmmgr: managing memguest\n");
	/* The capability's errors: slot, type, right, arguments, state. */
	expect("space info on an empty slot", mv_space_info(SLOT_EMPTY, &sp), MV_ERR_SLOT);
	expect("space info on a vcpu capability", mv_space_info(SLOT_VCPU1, &sp), MV_ERR_TYPE);
	expect("vcpu status on a space capability",
	       mv_vcpu_control(SLOT_SPACE, MV_VCPU_STATUS, &status), MV_ERR_TYPE);
	expect("vcpu suspend on an empty slot", mv_vcpu_control(SLOT_EMPTY, MV_VCPU_SUSPEND, NULL),
	       MV_ERR_SLOT);
	expect("vcpu suspend without the control right",
	       mv_vcpu_control(SLOT_VCPU1_RO, MV_VCPU_SUSPEND, NULL), MV_ERR_RIGHTS);
	expect("vcpu status with the read right", mv_vcpu_control(SLOT_VCPU1_RO, MV_VCPU_STATUS, &status),
	       MV_OK);
	expect("vcpu unknown operation", mv_vcpu_control(SLOT_VCPU1, 7, NULL), MV_ERR_INVAL);
	expect("vcpu registers of a vCPU not suspended", mv_vcpu_read(SLOT_VCPU1, 0, 1, regs),
	       MV_ERR_RUNNING);
	expect("vcpu read of 8 registers", mv_vcpu_read(SLOT_VCPU1, 0, 8, regs), MV_ERR_INVAL);

	/* The guest's memory. */
	expect("space info", mv_space_info(SLOT_SPACE, &sp), MV_OK);
	mv_printf("vmmgr: space: guest-physical 0x%lx-0x%lx at 0x%lx, flags %u, restarts %lu\n",
		  sp.base, sp.base + sp.size - 1, sp.where, sp.flags, sp.restarts);
	check("space is the guest's memory, read-write",
	      sp.base == 0x40000000 && sp.size == 0x400000 && sp.where == 0x100000000UL &&
	      sp.flags == MV_SPACE_WRITABLE && sp.restarts == 0);
	expect("space info read-only", mv_space_info(SLOT_SPACE_RO, &ro), MV_OK);
	check("read-only space", ro.where == 0x100400000UL && ro.flags == 0);
	mb = (volatile uint64_t *)(uintptr_t)(sp.where + (MB_GPA - sp.base));
	mb_ro = (volatile uint64_t *)(uintptr_t)(ro.where + (MB_GPA - ro.base));
	while (mb[0] != GUEST_MAGIC)
		;
	mv_printf("vmmgr: the guest wrote 0x%lx\n", mb[0]);
	check("read the guest's value through the read-only space too", mb_ro[0] == GUEST_MAGIC);
	mb[1] = CELL_REPLY;

	/* vCPU 0 is idle in WFI: blocked. */
	expect("suspend vcpu0", mv_vcpu_control(SLOT_VCPU0, MV_VCPU_SUSPEND, &status), MV_OK);
	mv_printf("vmmgr: vcpu0 status 0x%x\n", status);
	expect("resume vcpu0", mv_vcpu_control(SLOT_VCPU0, MV_VCPU_RESUME, &status), MV_OK);

	/* vCPU 1 counts. */
	while (mb[5] < 1000)
		;
	expect("suspend vcpu1", mv_vcpu_control(SLOT_VCPU1, MV_VCPU_SUSPEND, &status), MV_OK);
	check("vcpu1 status: suspended, on", status == (MV_VCPU_SUSPENDED | MV_VCPU_ON));
	c1 = mb[5];
	pause();
	c2 = mb[5];
	check("suspended vcpu1 does not run (its counter stays)", c1 == c2);
	expect("read vcpu1's PC with the read right", mv_vcpu_read(SLOT_VCPU1_RO, MV_VCPU_REG_PC, 1, &pc),
	       MV_OK);
	mv_printf("vmmgr: vcpu1 PC 0x%lx, loop 0x%lx-0x%lx\n", pc, mb[2], mb[3]);
	check("vcpu1's PC is inside the guest's loop", pc >= mb[2] && pc < mb[3]);
	expect("read x16-x22", mv_vcpu_read(SLOT_VCPU1, 16, 7, regs), MV_OK);
	check("x19 holds the counter's address", regs[3] == MB_GPA + 40);
	expect("write PSTATE EL2h", mv_vcpu_write(SLOT_VCPU1, MV_VCPU_REG_PSTATE, 1,
						  (const uint64_t[]){ 0x3c9 }), MV_ERR_INVAL);
	expect("write ESR_EL1", mv_vcpu_write(SLOT_VCPU1, MV_VCPU_REG_ESR_EL1, 1,
					      (const uint64_t[]){ 0 }), MV_ERR_INVAL);
	expect("write without the control right", mv_vcpu_write(SLOT_VCPU1_RO, 0, 1,
								 (const uint64_t[]){ 0 }), MV_ERR_RIGHTS);
	expect("resume vcpu1", mv_vcpu_control(SLOT_VCPU1, MV_VCPU_RESUME, &status), MV_OK);
	check("vcpu1 status: running", status == MV_VCPU_ON);
	while (mb[5] == c2)
		;
	check("resumed vcpu1 runs (its counter moves)", mb[5] != c2);

	/* A restart: vCPU 0 left suspended (blocked in WFI by now), vCPU 1
	 * redirected to PSCI SYSTEM_RESET.  The mailbox's magic is cleared
	 * first: only the new run writes it again. */
	while (!(mv_vcpu_control(SLOT_VCPU0, MV_VCPU_STATUS, &status) == MV_OK &&
		 (status & MV_VCPU_BLOCKED)))
		;
	expect("suspend vcpu0 for good", mv_vcpu_control(SLOT_VCPU0, MV_VCPU_SUSPEND, &status), MV_OK);
	check("vcpu0 status: suspended, on, blocked",
	      status == (MV_VCPU_SUSPENDED | MV_VCPU_ON | MV_VCPU_BLOCKED));
	mb[0] = 0;
	redirect(mb, RESET_ARG);
	while (mv_space_info(SLOT_SPACE, &sp) != MV_OK || sp.restarts != 1 || mb[0] != GUEST_MAGIC)
		;
	mv_printf("vmmgr: the guest restarted (restarts %lu) and wrote 0x%lx again\n", sp.restarts, mb[0]);
	expect("vcpu0 status after the restart", mv_vcpu_control(SLOT_VCPU0, MV_VCPU_STATUS, &status),
	       MV_OK);
	check("the restart cleared vcpu0's suspension", !(status & MV_VCPU_SUSPENDED));
	check("the restart cleared the memory (the reply is gone)", mb[1] == 0);
	mb[1] = CELL_REPLY;
	while (mb[5] < 1000)
		;
	/* And off. */
	redirect(mb, REDIRECT_ARG);
	while ((rc = mv_vcpu_control(SLOT_VCPU1, MV_VCPU_STATUS, &status)) == MV_OK)
		;
	expect("vcpu status of the stopped guest", rc, MV_ERR_STOPPED);
	expect("vcpu suspend of the stopped guest", mv_vcpu_control(SLOT_VCPU1, MV_VCPU_SUSPEND, NULL),
	       MV_ERR_STOPPED);
	expect("vcpu registers of the stopped guest", mv_vcpu_read(SLOT_VCPU1, 0, 1, regs),
	       MV_ERR_STOPPED);
	expect("space info of the stopped guest", mv_space_info(SLOT_SPACE, &sp), MV_OK);
	check("space flags: stopped, its memory still mapped",
	      sp.flags == (MV_SPACE_WRITABLE | MV_SPACE_STOPPED) && sp.restarts == 1 &&
	      mb[0] == GUEST_MAGIC);
	mv_printf("vmmgr: done, %u failure%s\n", failures, failures == 1 ? "" : "s");
	return 0;
}
