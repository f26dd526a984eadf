// SPDX-License-Identifier: MIT
/*
 * Test cell (tests/dts/vcpufight.dts): holds vcpu capabilities to the two
 * fighting cells (slots 1 and 2) and resumes both whenever both are
 * suspended (they suspended each other at once); done when both stopped.
 */
#include <mv_runtime.h>

int main(void)
{
	unsigned rescues = 0, a = 0, b = 0;

	mv_printf("referee: watching\n");
	for (;;) {
		int64_t ra = mv_vcpu_control(1, MV_VCPU_STATUS, &a);
		int64_t rb = mv_vcpu_control(2, MV_VCPU_STATUS, &b);

		if (ra == MV_ERR_STOPPED && rb == MV_ERR_STOPPED)
			break;
		if (ra == MV_OK && rb == MV_OK && (a & MV_VCPU_SUSPENDED) && (b & MV_VCPU_SUSPENDED)) {
			mv_vcpu_control(1, MV_VCPU_RESUME, NULL);
			mv_vcpu_control(2, MV_VCPU_RESUME, NULL);
			rescues++;
		}
	}
	mv_printf("referee: done, both fighters stopped (%u rescue%s)\n", rescues,
		  rescues == 1 ? "" : "s");
	return 0;
}
