// SPDX-License-Identifier: MIT
/* Benchmark peer (a service cell): serves the bench cell's window on
 * slot 1; a read returns its offset in the window, a write is dropped. */
#include <mv_runtime.h>

int main(void)
{
	struct mv_fault f;
	int64_t rc = mv_fault_recv(1, &f, true);

	for (;;) {
		if (rc != MV_OK) {
			rc = mv_fault_recv(1, &f, true);
			continue;
		}
		rc = mv_fault_reply_recv(1, f.vcpu, MV_FAULT_RESUME, f.addr, &f);
	}
}
