// SPDX-License-Identifier: MIT
/*
 * mvchan: the channel driver's user-space tool, in the guest's initramfs
 * (docs/mvchan.md).
 *
 *   mvchan info DEV...              slot, direction, peer, interrupt
 *   mvchan send DEV WORD...         one message of 1 to 4 words
 *   mvchan recv [-n] DEV            one message (badge, words); -n: EAGAIN if none
 *   mvchan signal DEV BITS          raise signal bits on a send end
 *   mvchan signals DEV              take a receive end's signal bits
 *   mvchan test TO FROM CTL [N]     the driver's test against its peer: the cell
 *                                   tests/cells/lxchan or `mvchan serve`
 *   mvchan serve IN OUT CTL         the test's peer in another guest: answers
 *                                   the requests on IN on OUT until the test is done
 *
 * Words are C integers (0x... for hex).  Exit status 0 on success.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mvchan.h"
#include "lxchan-proto.h"

static int open_dev(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		fprintf(stderr, "mvchan: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static uint64_t number(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "mvchan: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static int cmd_info(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		struct mvchan_info in;
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0)
			fd = open_dev(argv[i], O_WRONLY);
		if (ioctl(fd, MVCHAN_IOC_INFO, &in)) {
			fprintf(stderr, "mvchan: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		printf("%s: %s, slot %u, %s %s, %s\n", argv[i], in.label, in.slot,
		       in.direction == MVCHAN_SEND ? "send to" : "receive from", in.peer,
		       in.irq ? "interrupt" : "polled");
		close(fd);
	}
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	uint64_t w[MVCHAN_MAX_WORDS];
	int fd, n = argc - 1;

	if (n < 1 || n > MVCHAN_MAX_WORDS)
		return fprintf(stderr, "mvchan: send DEV WORD... (1 to %d words)\n",
			       MVCHAN_MAX_WORDS), 2;
	for (int i = 0; i < n; i++)
		w[i] = number(argv[1 + i]);
	fd = open_dev(argv[0], O_WRONLY);
	if (write(fd, w, n * 8) != n * 8) {
		fprintf(stderr, "mvchan: %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	return 0;
}

static int cmd_recv(int argc, char **argv)
{
	int nonblock = argc > 1 && !strcmp(argv[0], "-n");
	struct mvchan_msg m;
	int fd;

	if (argc != 1 + nonblock)
		return fprintf(stderr, "mvchan: recv [-n] DEV\n"), 2;
	fd = open_dev(argv[nonblock], O_RDONLY | (nonblock ? O_NONBLOCK : 0));
	if (ioctl(fd, MVCHAN_IOC_RECV, &m)) {
		fprintf(stderr, "mvchan: %s: %s\n", argv[nonblock], strerror(errno));
		return 1;
	}
	printf("badge 0x%" PRIx64 ":", (uint64_t)m.badge);
	for (unsigned i = 0; i < m.nwords; i++)
		printf(" 0x%" PRIx64, (uint64_t)m.word[i]);
	printf("\n");
	return 0;
}

static int cmd_signal(int argc, char **argv, int take)
{
	uint64_t bits;
	int fd;

	if (argc != 2 - take)
		return fprintf(stderr, take ? "mvchan: signals DEV\n" : "mvchan: signal DEV BITS\n"), 2;
	fd = open_dev(argv[0], take ? O_RDONLY : O_WRONLY);
	if (!take)
		bits = number(argv[1]);
	if (ioctl(fd, take ? MVCHAN_IOC_SIGNALS : MVCHAN_IOC_SIGNAL, &bits)) {
		fprintf(stderr, "mvchan: %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	if (take)
		printf("0x%" PRIx64 "\n", bits);
	return 0;
}

/* ---- mvchan test ---- */

static unsigned npass, nfail;

static void result(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("mvchan-test: %s ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

static int fd_to, fd_from, fd_from_nb, fd_ctl;
static char peer[MVCHAN_NAME_MAX];	/* the domain at the other end */

static int put(int fd, unsigned n, const uint64_t *w)
{
	return write(fd, w, n * 8) == (ssize_t)(n * 8) ? 0 : -errno;
}

/* The next answer: by poll() (20 s at most: a loaded host) and a
 * non-blocking read (nb), or by a blocking read (the test's alarm limits
 * it): its word count, or -errno. */
static int get(uint64_t *w, int nb)
{
	ssize_t r;

	if (nb) {
		struct pollfd p = { .fd = fd_from_nb, .events = POLLIN };

		for (;;) {
			int k = poll(&p, 1, 20000);

			if (k == 0)
				return -ETIMEDOUT;
			if (k < 0)
				return -errno;
			r = read(fd_from_nb, w, MVCHAN_MAX_BYTES);
			if (r >= 0 || errno != EAGAIN)
				break;
		}
	} else {
		r = read(fd_from, w, MVCHAN_MAX_BYTES);
	}
	return r < 0 ? -errno : (int)(r / 8);
}

static void request(unsigned n, const uint64_t *w, uint64_t *a, int *na, const char *what)
{
	int err = put(fd_to, n, w);

	*na = err ? err : get(a, 0);
	if (*na < 0 || a[0] != w[0])
		result(0, "%s: %s", what, *na < 0 ? strerror(-*na) : "wrong answer");
}

static void test_echo(unsigned count)
{
	unsigned bad = 0, msgsize_ok = 0, polled = 0;

	for (uint32_t seq = 0; seq < count; seq++) {
		uint64_t w[MVCHAN_MAX_WORDS] = { LXCHAN_W0(LXCHAN_ECHO, seq) }, a[MVCHAN_MAX_WORDS];
		unsigned n = lxchan_words(seq);
		int nb = seq % 2, got, err;

		for (unsigned k = 1; k < n; k++)
			w[k] = lxchan_pattern(seq, k);
		err = put(fd_to, n, w);
		if (err) {
			result(0, "echo %u: write: %s", seq, strerror(-err));
			return;
		}
		if (seq == 3) {
			/* A 4-word answer does not fit in 16 bytes, and stays queued. */
			struct pollfd p = { .fd = fd_from, .events = POLLIN };

			poll(&p, 1, 20000);
			msgsize_ok = read(fd_from, a, 16) < 0 && errno == EMSGSIZE;
		}
		got = get(a, nb);
		polled += nb;
		if (got < 0) {
			result(0, "echo %u: read: %s", seq, strerror(-got));
			return;
		}
		if ((unsigned)got != n || a[0] != w[0]) {
			bad++;
		} else {
			for (unsigned k = 1; k < n; k++)
				bad += a[k] != ~lxchan_pattern(seq, k);
		}
		if (bad && bad < 4)
			printf("mvchan-test: echo %u: wrong answer (%d words, word 0 0x%" PRIx64 ")\n",
			       seq, got, a[0]);
	}
	result(!bad, "%u messages sent and %u answers checked (%u by poll and O_NONBLOCK), %u wrong",
	       count, count, polled, bad);
	result(msgsize_ok, "read into 16 bytes of a 32-byte message: EMSGSIZE, message kept");
}

static void test_report(unsigned count, uint64_t want_signals)
{
	uint64_t w[1] = { LXCHAN_W0(LXCHAN_REPORT, 0) }, a[MVCHAN_MAX_WORDS] = { 0 };
	int na;

	request(1, w, a, &na, "report");
	if (na < 0 || a[0] != w[0])
		return;
	result(na == 4 && a[1] == count && a[2] == 0 && a[3] == want_signals,
	       "%s checked %" PRIu64 " messages, %" PRIu64 " errors, saw signals 0x%" PRIx64
	       " (expected %u, 0, 0x%" PRIx64 ")", peer, a[1], a[2], a[3], count, want_signals);
}

static void test_signals(void)
{
	uint64_t w[2] = { LXCHAN_W0(LXCHAN_SIGNAL, 0), 0x5a0000000003ULL }, a[MVCHAN_MAX_WORDS];
	uint64_t bits = 0, none = 1, mine = 0x30;
	struct pollfd p = { .fd = fd_from, .events = POLLPRI };
	int na, prio;

	request(2, w, a, &na, "signal request");
	prio = poll(&p, 1, 1000) == 1 && (p.revents & POLLPRI);
	if (ioctl(fd_from, MVCHAN_IOC_SIGNALS, &bits) || ioctl(fd_from, MVCHAN_IOC_SIGNALS, &none))
		bits = none = ~0ULL;
	result(prio && bits == w[1] && none == 0,
	       "signals from %s: POLLPRI, 0x%" PRIx64 " taken (expected 0x%" PRIx64 "), then 0x%" PRIx64,
	       peer, bits, w[1], none);
	result(!ioctl(fd_to, MVCHAN_IOC_SIGNAL, &mine), "signals 0x%" PRIx64 " raised to %s", mine, peer);
}

/* How many times Linux IRQ irq was taken, over all CPUs (/proc/interrupts). */
static unsigned long irq_count(unsigned irq)
{
	char line[512], want[16];
	unsigned long total = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	snprintf(want, sizeof(want), "%u:", irq);
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, want, strlen(want)))
			continue;
		p += strlen(want);
		for (;;) {
			unsigned long n = strtoul(p, &end, 10);

			if (end == p)
				break;
			total += n;
			p = end;
		}
		break;
	}
	if (f)
		fclose(f);
	return total;
}

static void test_fill(unsigned room_irq)
{
	unsigned long rooms = room_irq ? irq_count(room_irq) : 0;
	uint64_t w[1] = { LXCHAN_W0(LXCHAN_FILL, 0) }, a[MVCHAN_MAX_WORDS], m;
	int fl = fcntl(fd_to, F_GETFL), na, status = -1, werr = 0;
	unsigned sent = 0;
	pid_t child;

	request(1, w, a, &na, "fill request");
	if (na < 0)
		return;
	/* The peer does not receive now: the queue fills.  A guest peer's
	 * driver still takes what fits in its own buffer when its interrupt
	 * comes, so the queue is full only when it stays full a while. */
	fcntl(fd_to, F_SETFL, fl | O_NONBLOCK);
	for (unsigned before = ~0u; sent != before && sent < 1000; usleep(200000)) {
		before = sent;
		for (;;) {
			m = LXCHAN_W0(LXCHAN_BURST, sent);
			if (write(fd_to, &m, 8) != 8)
				break;
			sent++;
		}
		werr = errno;
	}
	result(werr == EAGAIN && sent > 0 && sent < 1000,
	       "non-blocking writes to a full queue: %u accepted, then %s", sent, strerror(werr));
	fcntl(fd_to, F_SETFL, fl);
	/* A blocking write waits for room. */
	child = fork();
	if (child == 0) {
		m = LXCHAN_W0(LXCHAN_BURST, sent);
		_exit(write(fd_to, &m, 8) == 8 ? 0 : 1);
	}
	usleep(300000);
	result(child > 0 && waitpid(child, &status, WNOHANG) == 0,
	       "a blocking write to the full queue waits");
	m = sent + 1;
	if (put(fd_ctl, 1, &m)) {
		result(0, "control message: %s", strerror(errno));
		return;
	}
	na = get(a, 1);
	if (child > 0)
		waitpid(child, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the blocked write completed once %s took messages", peer);
	if (room_irq) {
		rooms = irq_count(room_irq) - rooms;
		result(rooms > 0, "the room interrupt (IRQ %u) came %lu time%s", room_irq, rooms,
		       rooms == 1 ? "" : "s");
	}
	result(na == 3 && a[0] == w[0] && a[1] == sent + 1 && a[2] == 0,
	       "%s took %" PRIu64 " of %u messages, %" PRIu64 " out of order: none lost",
	       peer, na == 3 ? a[1] : 0, sent + 1, na == 3 ? a[2] : 0);
}

static void test_refusals(const char *to, const char *from)
{
	uint64_t w[5] = { 0 }, bits = 1;
	int fd;

	fd = open(from, O_WRONLY);
	result(fd < 0 && errno == EACCES, "opening the receive end %s for writing: %s",
	       from, fd < 0 ? strerror(errno) : "allowed");
	if (fd >= 0)
		close(fd);
	fd = open(to, O_RDONLY);
	result(fd < 0 && errno == EACCES, "opening the send end %s for reading: %s",
	       to, fd < 0 ? strerror(errno) : "allowed");
	if (fd >= 0)
		close(fd);
	result(write(fd_to, w, 7) < 0 && errno == EINVAL, "a 7-byte write: EINVAL");
	result(write(fd_to, w, 40) < 0 && errno == EINVAL, "a 40-byte write: EINVAL");
	result(read(fd_from_nb, w, 32) < 0 && errno == EAGAIN, "a non-blocking read with nothing queued: EAGAIN");
	result(ioctl(fd_from, MVCHAN_IOC_SIGNAL, &bits) < 0 && errno == EPERM,
	       "raising a signal on the receive end: EPERM");
}

/* Tell the peer the test is done (a `mvchan serve` exits). */
static void test_done(void)
{
	uint64_t w[1] = { LXCHAN_W0(LXCHAN_DONE, 0) }, a[MVCHAN_MAX_WORDS];
	int na;

	request(1, w, a, &na, "done");
}

static void timed_out(int sig)
{
	(void)sig;
	printf("mvchan-test: FAIL timed out after 120 s\n");
	fflush(stdout);
	_exit(1);
}

static int cmd_test(int argc, char **argv)
{
	unsigned count = argc > 3 ? (unsigned)number(argv[3]) : 1000;
	struct mvchan_info in;
	struct timespec t0, t1;
	unsigned room_irq;

	if (argc < 3 || argc > 4)
		return fprintf(stderr, "mvchan: test TO FROM CTL [N]\n"), 2;
	signal(SIGALRM, timed_out);
	alarm(120);
	fd_to = open_dev(argv[0], O_WRONLY);
	fd_from = open_dev(argv[1], O_RDONLY);
	fd_from_nb = open_dev(argv[1], O_RDONLY | O_NONBLOCK);
	fd_ctl = open_dev(argv[2], O_WRONLY);
	result(!ioctl(fd_from, MVCHAN_IOC_INFO, &in) && in.direction == MVCHAN_RECEIVE && in.irq,
	       "%s: receive end from %s, slot %u, interrupt %u", argv[1], in.peer, in.slot, in.irq);
	result(!ioctl(fd_to, MVCHAN_IOC_INFO, &in) && in.direction == MVCHAN_SEND,
	       "%s: send end to %s, slot %u, %s %u", argv[0], in.peer, in.slot,
	       in.irq ? "room interrupt" : "no room interrupt (polled)", in.irq);
	room_irq = in.direction == MVCHAN_SEND ? in.irq : 0;
	memcpy(peer, in.peer, sizeof(peer));
	peer[sizeof(peer) - 1] = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_echo(count);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("mvchan-test: %u round trips in %ld ms\n", count,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	test_signals();
	test_report(count, 0x30);
	test_fill(room_irq);
	test_refusals(argv[0], argv[1]);
	test_done();
	printf("mvchan-test: DONE %u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

/* ---- mvchan serve: the test's peer, as tests/cells/lxchan is ---- */

static int fd_in, fd_out, fd_sctl;
static unsigned checked, errors;

static void serve_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void serve_error(const char *fmt, ...)
{
	va_list ap;

	if (errors++ < 8) {
		printf("mvchan-serve: FAIL ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		fflush(stdout);
	}
}

/* The next message on fd (blocking): its word count; exits on an error. */
static unsigned serve_get(int fd, uint64_t *w)
{
	ssize_t r = read(fd, w, MVCHAN_MAX_BYTES);

	if (r <= 0) {
		printf("mvchan-serve: FAIL read: %s\n", r < 0 ? strerror(errno) : "nothing");
		exit(1);
	}
	return (unsigned)(r / 8);
}

static void serve_answer(unsigned n, const uint64_t *a)
{
	if (put(fd_out, n, a))
		serve_error("answer to seq %u not sent: %s", LXCHAN_SEQ(a[0]), strerror(errno));
}

/* LXCHAN_FILL: answer, take nothing on IN until the control channel says
 * how many were sent, then take them and check their order. */
static void serve_fill(const uint64_t *req)
{
	uint64_t w[MVCHAN_MAX_WORDS], want, taken = 0, bad = 0;

	serve_answer(1, req);
	serve_get(fd_sctl, w);
	want = w[0];
	printf("mvchan-serve: fill: taking %" PRIu64 " messages\n", want);
	while (taken < want) {
		serve_get(fd_in, w);
		bad += w[0] != LXCHAN_W0(LXCHAN_BURST, taken);
		taken++;
	}
	serve_answer(3, (const uint64_t[]){ req[0], taken, bad });
}

static int cmd_serve(int argc, char **argv)
{
	uint64_t w[MVCHAN_MAX_WORDS], a[MVCHAN_MAX_WORDS], bits;
	unsigned n;

	if (argc != 3)
		return fprintf(stderr, "mvchan: serve IN OUT CTL\n"), 2;
	fd_in = open_dev(argv[0], O_RDONLY);
	fd_out = open_dev(argv[1], O_WRONLY);
	fd_sctl = open_dev(argv[2], O_RDONLY);
	printf("mvchan-serve: serving the test's requests on %s, answers on %s\n", argv[0], argv[1]);
	fflush(stdout);
	for (;;) {
		n = serve_get(fd_in, w);
		switch (LXCHAN_OP(w[0])) {
		case LXCHAN_PLAIN:
			serve_answer(n, w);
			break;
		case LXCHAN_ECHO:
			if (LXCHAN_SEQ(w[0]) != checked)
				serve_error("sequence %u, expected %u", LXCHAN_SEQ(w[0]), checked);
			if (lxchan_echo_answer(w, n, a))
				serve_error("payload of seq %u", LXCHAN_SEQ(w[0]));
			checked++;
			serve_answer(n, a);
			break;
		case LXCHAN_REPORT:
			if (ioctl(fd_in, MVCHAN_IOC_SIGNALS, &bits))
				bits = ~0ULL;
			printf("mvchan-serve: %s: %u messages checked, %u errors, signals 0x%" PRIx64 "\n",
			       errors ? "FAIL" : "PASS", checked, errors, bits);
			serve_answer(4, (const uint64_t[]){ w[0], checked, errors, bits });
			break;
		case LXCHAN_FILL:
			serve_fill(w);
			break;
		case LXCHAN_SIGNAL:
			if (n < 2 || ioctl(fd_out, MVCHAN_IOC_SIGNAL, &w[1]))
				serve_error("signal 0x%" PRIx64 " not raised", n < 2 ? 0 : w[1]);
			serve_answer(1, w);
			break;
		case LXCHAN_DONE:
			serve_answer(1, w);
			printf("mvchan-serve: the test is done: %u messages checked, %u errors\n",
			       checked, errors);
			return errors ? 1 : 0;
		default:
			serve_error("operation %u", LXCHAN_OP(w[0]));
			serve_answer(1, w);
			break;
		}
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	argc -= 2;
	argv += 2;
	if (!strcmp(cmd, "info") && argc > 0)
		return cmd_info(argc, argv);
	if (!strcmp(cmd, "send"))
		return cmd_send(argc, argv);
	if (!strcmp(cmd, "recv"))
		return cmd_recv(argc, argv);
	if (!strcmp(cmd, "signal"))
		return cmd_signal(argc, argv, 0);
	if (!strcmp(cmd, "signals"))
		return cmd_signal(argc, argv, 1);
	if (!strcmp(cmd, "test"))
		return cmd_test(argc, argv);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc, argv);
	fprintf(stderr, "usage: mvchan info DEV... | send DEV WORD... | recv [-n] DEV |\n"
		"       signal DEV BITS | signals DEV | test TO FROM CTL [N] | serve IN OUT CTL\n");
	return 2;
}
