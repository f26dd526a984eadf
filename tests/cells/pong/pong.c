// SPDX-License-Identifier: MIT
/* Test cell (a service): answers every message on slot 1 with the next
 * number on slot 2, checking each payload. */
#include <mv_runtime.h>

#define PING_BADGE	0x10

int main(void)
{
	struct mv_msg m;
	uint64_t expect = 0;
	unsigned bad = 0;

	mv_printf("pong: serving\n");
	for (;;) {
		int64_t rc = mv_recv(1, &m);
		uint64_t i, w[4];

		if (rc == MV_ERR_EMPTY) {
			mv_wait();
			continue;
		}
		i = m.word[0];
		if (rc != MV_OK || m.badge != PING_BADGE || m.nwords != 4 || i != expect ||
		    m.word[1] != ~i || m.word[2] != i * 3 || m.word[3] != 0x70696e67) {
			if (bad++ < 5)
				mv_printf("pong: message %lu wrong (rc %ld, badge 0x%lx)\n", expect, rc, m.badge);
		}
		expect = i + 1;
		w[0] = i + 1;
		w[1] = ~(i + 1);
		w[2] = (i + 1) * 3;
		w[3] = 0x706f6e67;
		while ((rc = mv_send(2, 0, 4, w)) == MV_ERR_FULL)
			;
	}
}
