// SPDX-License-Identifier: MIT
/*
 * Hostile test cell (tests/dts/vcpufight.dts): two of it, on two CPUs,
 * each holding a vcpu capability (slot 1) to the other, suspend, inspect
 * and resume each other as fast as they can.  When both suspend the other
 * at once, each waits in the microvisor for the other to leave its CPU
 * while the other waits for it: the microvisor must give up those waits
 * (the caller is suspended itself), not hang two CPUs in EL2.  Both then
 * stay suspended until "referee" resumes them.  They start together (a
 * shared page, slot 2) and pause between rounds, so that each runs
 * between the other's rounds and the two collide often.  Which of the two
 * a cell is it tells by where the page's capability is (slot 2 or 3).
 */
#include <mv_runtime.h>

#define SLOT_OTHER	1
#define ROUNDS		2000
#define ARENA		((volatile uint64_t *)0x20000000UL)	/* [i]: fighter i is ready */

int main(void)
{
	unsigned reads = 0, refused = 0, n;
	uint64_t pc;
	int64_t rc = MV_OK;

	unsigned me = mv_vcpu_control(3, MV_VCPU_STATUS, NULL) == MV_ERR_SLOT ? 0 : 1;

	ARENA[me] = 1;
	while (!ARENA[!me])
		;
	mv_printf("vcpufight: fighting\n");
	for (n = 0; n < ROUNDS; n++) {
		for (volatile unsigned i = 0; i < 1000; i++)
			;
		rc = mv_vcpu_control(SLOT_OTHER, MV_VCPU_SUSPEND, NULL);
		if (rc != MV_OK)
			break;	/* MV_ERR_STOPPED: the other one finished */
		rc = mv_vcpu_read(SLOT_OTHER, MV_VCPU_REG_PC, 1, &pc);
		if (rc == MV_OK)
			reads++;
		else if (rc == MV_ERR_RUNNING)
			refused++;	/* resumed by the referee meanwhile */
		else if (rc != MV_ERR_STOPPED)
			mv_printf("vcpufight: FAIL read: %ld\n", rc);
		rc = mv_vcpu_control(SLOT_OTHER, MV_VCPU_RESUME, NULL);
		if (rc != MV_OK && rc != MV_ERR_STOPPED)
			mv_printf("vcpufight: FAIL resume: %ld\n", rc);
	}
	if (rc != MV_OK && rc != MV_ERR_STOPPED)
		mv_printf("vcpufight: FAIL suspend: %ld\n", rc);
	mv_printf("vcpufight: done after %u rounds: %u reads, %u refused\n", n, reads, refused);
	return 0;
}
