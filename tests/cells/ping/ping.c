// SPDX-License-Identifier: MIT
/*
 * Test cell: sends 10,000 numbered messages to "pong" on slot 1 and checks
 * every reply on slot 2, with MV_HC_CHANNEL_SEND then RECV/WAIT, and
 * 10,000 more with MV_HC_CHANNEL_SEND_RECV (send and block for the reply
 * in one call); then checks that the capabilities it does not
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

/* Round trip i: with the separate calls (send, then receive or wait), or
 * with one call (send and block for the reply).  The reply's code. */
static int64_t round_trip(uint64_t i, bool one_call, struct mv_msg *m)
{
	uint64_t w[4] = { i, ~i, i * 3, 0x70696e67 };
	int64_t rc;

	if (one_call) {
		rc = mv_send_recv(1, 0, 4, w, 2, m);
		/* Woken early (MV_ERR_EMPTY): the reply is still to come. */
		while (rc == MV_ERR_EMPTY)
			rc = mv_recv_block(2, m);
		return rc;
	}
	rc = mv_send(1, 0, 4, w);
	if (rc != MV_OK) {
		mv_printf("ping: send %lu failed: %ld\n", i, rc);
		mv_exit();
	}
	while ((rc = mv_recv(2, m)) == MV_ERR_EMPTY)
		mv_wait();
	return rc;
}

/* ROUNDS round trips from first, every reply checked. */
static void round_trips(uint64_t first, bool one_call)
{
	struct mv_msg m;
	unsigned bad = 0;

	for (uint64_t i = first; i < first + ROUNDS; i++) {
		int64_t rc = round_trip(i, one_call, &m);

		if ((rc != MV_OK || !reply_ok(&m, i)) && bad++ < 5)
			mv_printf("ping: reply %lu wrong (rc %ld, badge 0x%lx, word0 %lu)\n",
				  i, rc, m.badge, m.word[0]);
	}
	if (bad)
		mv_printf("ping: FAIL: %u of %u replies wrong\n", bad, ROUNDS);
	else if (one_call)
		mv_printf("ping: PASS: %u calls (send and receive in one), every payload checked\n",
			  ROUNDS);
	else
		mv_printf("ping: PASS: %u round trips, every payload checked\n", ROUNDS);
}

int main(void)
{
	struct mv_msg m;
	int64_t rc;

	mv_printf("ping: %u round trips with pong\n", ROUNDS);
	round_trips(0, false);
	round_trips(ROUNDS, true);
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
	rc = mv_send_recv(2, 1, 0, 0, 2, &m);
	mv_printf("ping: %s call sending on a receive-only capability: %ld\n",
		  rc == MV_ERR_RIGHTS ? "PASS" : "FAIL", rc);
	rc = mv_send_recv(1, 1, 0, 0, 1, &m);
	mv_printf("ping: %s call receiving on a send-only capability: %ld\n",
		  rc == MV_ERR_RIGHTS ? "PASS" : "FAIL", rc);
	rc = mv_send_recv(1, 1, 0, 0, 7, &m);
	mv_printf("ping: %s call receiving on an empty slot: %ld\n",
		  rc == MV_ERR_SLOT ? "PASS" : "FAIL", rc);
	{
		uint64_t x[8] = { MV_HC_CHANNEL_RECV, 2, 0x2 };

		mv_hypercall(x);
		mv_printf("ping: %s receive with an unknown flag: %ld\n",
			  (int64_t)x[0] == MV_ERR_INVAL ? "PASS" : "FAIL", (int64_t)x[0]);
	}
	mv_printf("ping: done\n");
	return 0;
}
