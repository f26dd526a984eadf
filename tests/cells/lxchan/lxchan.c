// SPDX-License-Identifier: MIT
/*
 * Peer of the Linux channel driver's test (docs/mvchan.md): a service cell
 * that answers the guest's requests (guests/linux/mvchan/lxchan-proto.h)
 * on slot 1 (from the guest) with answers on slot 2 (to the guest, which
 * the guest's driver reads when its interrupt says so), checking every
 * payload it is sent; slot 3 is the control channel of the queue-full
 * test.  Prints one line per report and per error (the first few).
 */
#include <mv_runtime.h>

#include "../../../guests/linux/mvchan/lxchan-proto.h"

#define SLOT_IN		1
#define SLOT_OUT	2
#define SLOT_CTL	3
#define MAX_ERR_LINES	8

static unsigned checked, errors, err_lines;
static uint64_t signals_seen;

static void error(const char *what, uint64_t seq, uint64_t got, uint64_t want)
{
	errors++;
	if (err_lines++ < MAX_ERR_LINES)
		mv_printf("lxchan: FAIL %s: seq %lu: got 0x%lx, expected 0x%lx\n",
			  what, seq, got, want);
}

static void recv_in(unsigned slot, struct mv_msg *m)
{
	for (;;) {
		if (mv_recv_block(slot, m) != MV_OK)
			continue;
		if (slot == SLOT_IN)
			signals_seen |= m->signals;
		if (m->nwords)
			return;
	}
}

static void answer(unsigned nwords, const uint64_t *w)
{
	int64_t rc = mv_send(SLOT_OUT, 0, nwords, w);

	if (rc != MV_OK)
		error("answer not sent", LXCHAN_SEQ(w[0]), (uint64_t)rc, MV_OK);
}

static void echo(const struct mv_msg *m)
{
	uint32_t seq = LXCHAN_SEQ(m->word[0]);
	uint64_t a[MV_CHANNEL_WORDS];
	unsigned bad = lxchan_echo_answer(m->word, (unsigned)m->nwords, a);

	if (seq != checked)
		error("sequence", seq, seq, checked);
	if (bad)
		error("payload (wrong words)", seq, bad, 0);
	checked++;
	answer((unsigned)m->nwords, a);
}

/* The guest fills the channel to us while we do not receive; the control
 * channel says how many it sent in all (one more may be blocked in a
 * write, to be taken now). */
static void fill(const struct mv_msg *req)
{
	struct mv_msg m;
	uint64_t want, taken = 0, bad = 0;

	answer(1, req->word);
	recv_in(SLOT_CTL, &m);
	want = m.word[0];
	mv_printf("lxchan: fill: taking %lu messages\n", want);
	while (taken < want) {
		recv_in(SLOT_IN, &m);
		if (m.word[0] != LXCHAN_W0(LXCHAN_BURST, taken)) {
			error("burst", taken, m.word[0], LXCHAN_W0(LXCHAN_BURST, taken));
			bad++;
		}
		taken++;
	}
	answer(3, (const uint64_t[]){ req->word[0], taken, bad });
}

int main(void)
{
	struct mv_msg m;

	mv_printf("lxchan: serving the guest's channel test\n");
	for (;;) {
		recv_in(SLOT_IN, &m);
		switch (LXCHAN_OP(m.word[0])) {
		case LXCHAN_PLAIN:
			mv_printf("lxchan: plain message of %lu word%s, echoed\n", m.nwords,
				  m.nwords == 1 ? "" : "s");
			answer((unsigned)m.nwords, m.word);
			break;
		case LXCHAN_ECHO:
			echo(&m);
			break;
		case LXCHAN_REPORT:
			mv_printf("lxchan: %s: %u messages checked, %u errors, signals 0x%lx\n",
				  errors ? "FAIL" : "PASS", checked, errors, signals_seen);
			answer(4, (const uint64_t[]){ m.word[0], checked, errors, signals_seen });
			signals_seen = 0;
			break;
		case LXCHAN_FILL:
			fill(&m);
			break;
		case LXCHAN_DONE:
			mv_printf("lxchan: the guest's test is done\n");
			answer(1, m.word);
			break;
		case LXCHAN_SIGNAL:
			if (mv_send(SLOT_OUT, m.word[1], 0, NULL) != MV_OK)
				error("signal", 0, 0, 0);
			answer(1, m.word);
			break;
		default:
			error("operation", LXCHAN_SEQ(m.word[0]), LXCHAN_OP(m.word[0]), 0);
			answer(1, m.word);
			break;
		}
	}
}
