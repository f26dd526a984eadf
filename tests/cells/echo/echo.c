// SPDX-License-Identifier: MIT
/* Benchmark peer (a service cell): answers every message or signal on
 * slot 1 with the same signals and payload on slot 2, then waits for the
 * next (one MV_HC_CHANNEL_SEND_RECV per round trip). */
#include <mv_runtime.h>

int main(void)
{
	struct mv_msg m;

	while (mv_recv_block(1, &m) != MV_OK)
		;
	for (;;) {
		/* Woken early: signals 0, no words: sends nothing, waits again. */
		mv_send_recv(2, m.signals, (unsigned)m.nwords, m.word, 1, &m);
	}
}
