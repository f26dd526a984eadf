// SPDX-License-Identifier: MIT
/*
 * Test cell: sends 10,000 numbered messages to "pong" on slot 1 and checks
 * every reply on slot 2; then checks that the capabilities it does not
 * have are refused with their own errors, and stops (which powers the
 * machine off: pong is a service cell).
 */
#include <mv_runtime.h>

#define ROUNDS		10000
#define PONG_BADGE	0x20

static bool reply_ok(const struct mv_msg *m, uint64_t i)
{
	return m->nwords == 4 && m->badge == PONG_BADGE && m->word[0] == i + 1 &&
	       m->word[1] == ~(i + 1) && m->word[2] == (i + 1) * 3 && m->word[3] == 0x706f6e67;
}

int main(void)
{
	struct mv_msg m;
	unsigned bad = 0;
	int64_t rc;

	mv_printf("ping: %u round trips with pong\n", ROUNDS);
	for (uint64_t i = 0; i < ROUNDS; i++) {
		uint64_t w[4] = { i, ~i, i * 3, 0x70696e67 };

		rc = mv_send(1, 0, 4, w);
		if (rc != MV_OK) {
			mv_printf("ping: send %lu failed: %ld\n", i, rc);
			mv_exit();
		}
		while ((rc = mv_recv(2, &m)) == MV_ERR_EMPTY)
			mv_wait();
		if (rc != MV_OK || !reply_ok(&m, i)) {
			if (bad++ < 5)
				mv_printf("ping: reply %lu wrong (rc %ld, badge 0x%lx, word0 %lu)\n",
					  i, rc, m.badge, m.word[0]);
		}
	}
	if (bad)
		mv_printf("ping: FAIL: %u of %u replies wrong\n", bad, ROUNDS);
	else
		mv_printf("ping: PASS: %u round trips, every payload checked\n", ROUNDS);
	/* Refusals, each with its own code. */
	rc = mv_send(5, 1, 0, 0);
	mv_printf("ping: %s send on an empty slot: %ld\n", rc == MV_ERR_SLOT ? "PASS" : "FAIL", rc);
	rc = mv_send(2, 1, 0, 0);
	mv_printf("ping: %s send on a receive-only capability: %ld\n",
		  rc == MV_ERR_RIGHTS ? "PASS" : "FAIL", rc);
	rc = mv_recv(1, &m);
	mv_printf("ping: %s receive on a send-only capability: %ld\n",
		  rc == MV_ERR_RIGHTS ? "PASS" : "FAIL", rc);
	rc = mv_send(40, 1, 0, 0);
	mv_printf("ping: %s send on slot 40: %ld\n", rc == MV_ERR_SLOT ? "PASS" : "FAIL", rc);
	rc = mv_send(1, 0, 5, (const uint64_t[5]){ 0 });
	mv_printf("ping: %s send of 5 words: %ld\n", rc == MV_ERR_INVAL ? "PASS" : "FAIL", rc);
	mv_printf("ping: done\n");
	return 0;
}
