// SPDX-License-Identifier: MIT
/* Benchmark peer (a service cell): answers every signal on slot 1 with a
 * signal on slot 2. */
#include <mv_runtime.h>

int main(void)
{
	struct mv_msg m;

	for (;;) {
		if (mv_recv(1, &m) == MV_ERR_EMPTY) {
			mv_wait();
			continue;
		}
		mv_send(2, 1, 0, 0);
	}
}
