/* SPDX-License-Identifier: MIT */
/*
 * The protocol of the channel driver's test (`mvchan test`, in the guest)
 * and its peer: the cell tests/cells/lxchan, or another guest running
 * `mvchan serve`.  Three channels: to the peer (the tester sends), from
 * the peer (the tester receives, to-virq), control (the tester sends).  A
 * request's word 0 is the operation (bits 63:56) and a sequence number
 * (bits 31:0); the peer answers each request on the channel from it, the
 * same word 0 first.
 */
#ifndef LXCHAN_PROTO_H
#define LXCHAN_PROTO_H

#include <stdint.h>

#define LXCHAN_W0(op, seq)	((uint64_t)(op) << 56 | (uint32_t)(seq))
#define LXCHAN_OP(w0)		((unsigned)((w0) >> 56))
#define LXCHAN_SEQ(w0)		((uint32_t)(w0))

/* Words 1 to n-1 of any request are not checked: echoed back as they are. */
#define LXCHAN_PLAIN	0
/* seq counts up from 0; n = lxchan_words(seq) words, word k (1 up) =
 * lxchan_pattern(seq, k).  Answer: n words, word k = ~lxchan_pattern(seq, k). */
#define LXCHAN_ECHO	1
/* Answer: word 1 = ECHO requests checked, 2 = errors, 3 = the signal bits
 * raised on the channel to the cell since the last report. */
#define LXCHAN_REPORT	2
/* Answer at once (word 0 only); then the cell stops receiving on the
 * channel to it until a control message says how many LXCHAN_BURST
 * messages (seq 0 up) to take.  Answer: word 1 = taken, 2 = out of order. */
#define LXCHAN_FILL	3
#define LXCHAN_BURST	4
/* The peer raises word 1 as signal bits on the channel from it, then answers. */
#define LXCHAN_SIGNAL	5
/* The tester is done: the peer answers; a guest's `mvchan serve` then exits. */
#define LXCHAN_DONE	6

static inline unsigned lxchan_words(uint32_t seq)
{
	return 1 + seq % 4;
}

static inline uint64_t lxchan_pattern(uint32_t seq, unsigned k)
{
	return ((uint64_t)seq + 1) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)k << 52 ^ 0x6c78636861ULL;
}

/* An ECHO request's answer in a (a[0] = w[0]); the number of its words
 * that are wrong (its word count against seq's counts as one). */
static inline unsigned lxchan_echo_answer(const uint64_t *w, unsigned nwords, uint64_t *a)
{
	uint32_t seq = LXCHAN_SEQ(w[0]);
	unsigned bad = nwords != lxchan_words(seq);

	a[0] = w[0];
	for (unsigned k = 1; k < nwords; k++) {
		bad += w[k] != lxchan_pattern(seq, k);
		a[k] = ~lxchan_pattern(seq, k);
	}
	return bad;
}

#endif
