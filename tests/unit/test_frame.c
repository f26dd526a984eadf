// SPDX-License-Identifier: MIT
/*
 * range_subtract() and the frame allocator.  The allocator treats physical
 * addresses as pointers (its bitmaps live in the memory it manages), so the
 * "RAM" here is a host buffer and the addresses are the buffer's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mv/errno.h>
#include <mv/frame.h>

/* Any UBSan report aborts the run (ASan's already do), so it fails `make
 * unit` instead of scrolling past. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define KiB	0x400ULL
#define MiB	0x100000ULL
#define PG	PAGE_SIZE

/* ---- range_subtract ------------------------------------------------------ */

#define R(b, s)	((struct mem_range){ (b), (s) })

/* Sort by base so results can be compared whatever order they come in. */
static int cmp_range(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static void assert_ranges(struct mem_range *got, int n, const struct mem_range *want, int nwant)
{
	assert_int_equal(n, nwant);
	qsort(got, (size_t)n, sizeof(*got), cmp_range);
	for (int i = 0; i < n; i++)
		if (got[i].base != want[i].base || got[i].size != want[i].size)
			fail_msg("range %d: got [0x%llx, +0x%llx), expected [0x%llx, +0x%llx)", i,
				 (unsigned long long)got[i].base, (unsigned long long)got[i].size,
				 (unsigned long long)want[i].base, (unsigned long long)want[i].size);
}

#define SUBTRACT(in, cut, max, ...) do {					\
	const struct mem_range in_[] = in, cut_[] = cut;			\
	const struct mem_range want_[] = { __VA_ARGS__ };			\
	struct mem_range out_[16];						\
	int n_ = range_subtract(in_, ARRAY_SIZE(in_), cut_, ARRAY_SIZE(cut_), out_, max); \
	assert_ranges(out_, n_, want_, (int)ARRAY_SIZE(want_));		\
} while (0)
#define L(...)	{ __VA_ARGS__ }

static void test_subtract_no_overlap(void **state)
{
	(void)state;
	/* Cuts before, after and touching either end. */
	SUBTRACT(L(R(0x10000, 0x10000)),
		 L(R(0x1000, 0x2000), R(0x30000, 0x1000), R(0xf000, 0x1000), R(0x20000, 0x1000)),
		 16, R(0x10000, 0x10000));
}

static void test_subtract_no_cuts(void **state)
{
	struct mem_range out[4];
	const struct mem_range in[] = { R(0x10000, 0x4000), R(0x80000, 0x1000) };

	(void)state;
	assert_int_equal(range_subtract(in, 2, NULL, 0, out, 4), 2);
	assert_ranges(out, 2, in, 2);
	assert_int_equal(range_subtract(NULL, 0, in, 2, out, 4), 0);
}

static void test_subtract_cut_start(void **state)
{
	(void)state;
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0xe000, 0x4000)), 16, R(0x12000, 0xe000));
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x10000, 0x1000)), 16, R(0x11000, 0xf000));
}

static void test_subtract_cut_end(void **state)
{
	(void)state;
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x1e000, 0x8000)), 16, R(0x10000, 0xe000));
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x1f000, 0x1000)), 16, R(0x10000, 0xf000));
}

static void test_subtract_split(void **state)
{
	(void)state;
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x14000, 0x2000)), 16,
		 R(0x10000, 0x4000), R(0x16000, 0xa000));
	/* Two cuts: three pieces; the second cut lands in the split-off tail. */
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x12000, 0x1000), R(0x18000, 0x2000)), 16,
		 R(0x10000, 0x2000), R(0x13000, 0x5000), R(0x1a000, 0x6000));
}

static void test_subtract_cover_all(void **state)
{
	(void)state;
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x10000, 0x10000)), 16);
	SUBTRACT(L(R(0x10000, 0x10000), R(0x40000, 0x1000)), L(R(0x0, 0x100000)), 16);
	/* Piecewise: the middle goes first, then each side. */
	SUBTRACT(L(R(0x10000, 0x10000)),
		 L(R(0x14000, 0x4000), R(0x10000, 0x4000), R(0x18000, 0x8000)), 16);
}

static void test_subtract_many_inputs(void **state)
{
	(void)state;
	/* One cut spanning the gap between two banks trims both. */
	SUBTRACT(L(R(0x10000, 0x10000), R(0x30000, 0x10000), R(0x50000, 0x1000)),
		 L(R(0x1c000, 0x18000)), 16,
		 R(0x10000, 0xc000), R(0x34000, 0xc000), R(0x50000, 0x1000));
}

static void test_subtract_unaligned(void **state)
{
	(void)state;
	/* Inputs shrink to whole pages. */
	SUBTRACT(L(R(0x10010, 0xffe0)), L(R(0x90000, 0x1000)), 16, R(0x11000, 0xe000));
	/* Less than a page once aligned: gone. */
	SUBTRACT(L(R(0x10001, 0x2000), R(0x20800, 0x400), R(0x30001, 0x1ffe)),
		 L(R(0x90000, 0x1000)), 16, R(0x11000, 0x1000));
	/* Cuts grow to whole pages: a few bytes cost a page, a straddle two. */
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x14800, 0x10)), 16,
		 R(0x10000, 0x4000), R(0x15000, 0xb000));
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x14ff0, 0x20)), 16,
		 R(0x10000, 0x4000), R(0x16000, 0xa000));
	SUBTRACT(L(R(0x10000, 0x10000)), L(R(0x1f001, 0x10)), 16, R(0x10000, 0xf000));
}

static void test_subtract_too_many(void **state)
{
	struct mem_range out[4];
	const struct mem_range in[] = { R(0x10000, 0x10000) };
	const struct mem_range cuts[] = { R(0x12000, 0x1000), R(0x14000, 0x1000), R(0x16000, 0x1000) };
	const struct mem_range ins[] = { R(0x10000, 0x1000), R(0x20000, 0x1000), R(0x30000, 0x1000) };

	(void)state;
	/* Three cuts make four pieces. */
	assert_int_equal(range_subtract(in, 1, cuts, 3, out, 4), 4);
	assert_int_equal(range_subtract(in, 1, cuts, 3, out, 3), MV_E_RANGE);
	/* More inputs than room. */
	assert_int_equal(range_subtract(ins, 3, NULL, 0, out, 3), 3);
	assert_int_equal(range_subtract(ins, 3, NULL, 0, out, 2), MV_E_RANGE);
	assert_int_equal(range_subtract(ins, 3, NULL, 0, out, 0), MV_E_RANGE);
	/* Empty inputs take no room. */
	assert_int_equal(range_subtract((const struct mem_range[]){ R(0x10001, 0x10) }, 1,
					NULL, 0, out, 0), 0);
}

/*
 * Random cases against a page-by-page oracle: page p is free iff some input
 * contains it whole and no cut touches it.  The output must be exactly those
 * pages, as disjoint page-aligned non-empty ranges.
 */
static void test_subtract_random(void **state)
{
	enum { SPACE = 64 };	/* pages */
	uint32_t seed = 12345;

	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		struct mem_range in[4] = { { 0, 0 } }, cut[6] = { { 0, 0 } }, out[16];
		unsigned nin = 1 + iter % 4, ncut = iter % 7 % 6;
		bool want[SPACE] = { false }, got[SPACE] = { false };
		int n;

		/* Inputs (banks) are disjoint: each in its own quarter.  Cuts
		 * go anywhere, may overlap, may be empty. */
		for (unsigned i = 0; i < nin + ncut; i++) {
			struct mem_range *r = i < nin ? &in[i] : &cut[i - nin];
			uint64_t lo = i < nin ? i * SPACE / 4 * PG : 0;
			uint64_t span = i < nin ? SPACE / 4 * PG : SPACE * PG;

			seed = seed * 1103515245 + 12345;
			r->base = lo + (seed >> 8) % span;
			seed = seed * 1103515245 + 12345;
			r->size = (seed >> 8) % (span / 2);
			if (r->base + r->size > lo + span)
				r->size = lo + span - r->base;
		}
		for (unsigned p = 0; p < SPACE; p++) {
			uint64_t a = p * PG, e = a + PG;

			for (unsigned i = 0; i < nin; i++)
				if (in[i].base <= a && e <= in[i].base + in[i].size)
					want[p] = true;
			for (unsigned i = 0; i < ncut; i++)
				if (cut[i].base < e && a < cut[i].base + cut[i].size)
					want[p] = false;
			/* (A cut of size 0 touches the page it is in, if it
			 * is not at the page's start.) */
		}
		n = range_subtract(in, nin, cut, ncut, out, ARRAY_SIZE(out));
		assert_true(n >= 0);
		for (int i = 0; i < n; i++) {
			assert_true(out[i].size > 0);
			assert_true(IS_ALIGNED(out[i].base, PG) && IS_ALIGNED(out[i].size, PG));
			assert_true(out[i].base + out[i].size <= SPACE * PG);
			for (uint64_t p = out[i].base / PG; p < (out[i].base + out[i].size) / PG; p++) {
				if (got[p])
					fail_msg("iteration %d: page %llu in two output ranges", iter,
						 (unsigned long long)p);
				got[p] = true;
			}
		}
		for (unsigned p = 0; p < SPACE; p++) {
			if (got[p] != want[p])
				fail_msg("iteration %d: page %u is %s, expected %s", iter, p,
					 got[p] ? "free" : "not free", want[p] ? "free" : "not free");
		}
	}
}

/* ---- The allocator over a host buffer -------------------------------------- */

#define POOL_SIZE	(4 * MiB)
#define RSV_OFF		(1 * MiB + 0x800)	/* unaligned: costs two pages */
#define RSV_SIZE	0x1000

static uint8_t *pool;
static paddr_t pool_pa;
static uint8_t *big_mem;	/* test_multi_bank's */

/* The layout frame_init must produce for the pool with one reservation:
 *   [0, 4K)           bitmap of range 1
 *   [4K, 1M)          range 1: 255 frames
 *   [1M, 1M + 8K)     reserved (RSV_OFF..RSV_OFF + RSV_SIZE, page-aligned out)
 *   [1M + 8K, +4K)    bitmap of range 2
 *   [1M + 12K, 4M)    range 2: 765 frames                                  */
#define R1_BASE		(pool_pa + PG)
#define R1_PAGES	255
#define RSV_START	(pool_pa + 1 * MiB)
#define RSV_END		(pool_pa + 1 * MiB + 2 * PG)
#define BMAP2		RSV_END
#define R2_BASE		(RSV_END + PG)
#define R2_PAGES	765
#define TOTAL		(R1_PAGES + R2_PAGES)

static int pool_setup(void **state)
{
	(void)state;
	pool = aligned_alloc(PG, POOL_SIZE);
	if (!pool)
		return -1;
	pool_pa = (paddr_t)(uintptr_t)pool;
	return 0;
}

static int pool_teardown(void **state)
{
	(void)state;
	free(pool);
	free(big_mem);
	return 0;
}

/* frame_init over the pool, which starts out full of junk: the allocator
 * must clear its bitmaps itself. */
static int init_pool(void)
{
	const struct mem_range bank = { pool_pa, POOL_SIZE };
	const struct mem_range rsv = { pool_pa + RSV_OFF, RSV_SIZE };

	memset(pool, 0xa5, POOL_SIZE);
	return frame_init(&bank, 1, &rsv, 1);
}

static paddr_t alloc_ok(uint64_t n, uint64_t align)
{
	paddr_t pa = 0;
	int rc = frame_alloc(n, align, &pa);

	if (rc != MV_OK)
		fail_msg("frame_alloc(%llu, %llu) = %d", (unsigned long long)n,
			 (unsigned long long)align, rc);
	return pa;
}

static bool overlaps(paddr_t a, uint64_t asize, paddr_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* A run handed out must lie in a managed range: inside the pool, clear of
 * the reservation and both bitmaps. */
static void assert_usable(paddr_t pa, uint64_t n)
{
	uint64_t size = n * PG;

	assert_true(IS_ALIGNED(pa, PG));
	assert_true(pa >= pool_pa && pa + size <= pool_pa + POOL_SIZE);
	assert_false(overlaps(pa, size, pool_pa, PG));			/* bitmap 1 */
	assert_false(overlaps(pa, size, RSV_START, RSV_END - RSV_START));
	assert_false(overlaps(pa, size, pool_pa + RSV_OFF, RSV_SIZE));
	assert_false(overlaps(pa, size, BMAP2, PG));			/* bitmap 2 */
}

static void test_init_layout(void **state)
{
	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	assert_int_equal(frame_total_pages(), TOTAL);
	assert_int_equal(frame_free_pages(), TOTAL);
	/* First fit: the lowest frame, just past the first bitmap. */
	assert_int_equal(alloc_ok(1, 1), R1_BASE);
	/* A run too long for range 1 comes from range 2, past its bitmap. */
	assert_int_equal(alloc_ok(R1_PAGES, 1), R2_BASE);
	assert_int_equal(frame_free_pages(), TOTAL - 1 - R1_PAGES);
	/* Init again: everything is free again, nothing counted twice. */
	assert_int_equal(init_pool(), MV_OK);
	assert_int_equal(frame_total_pages(), TOTAL);
	assert_int_equal(frame_free_pages(), TOTAL);
}

static void test_alloc_single_multi(void **state)
{
	paddr_t a, b, c;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	a = alloc_ok(1, 1);
	b = alloc_ok(4, 1);
	c = alloc_ok(1, 1);
	assert_int_equal(a, R1_BASE);
	assert_int_equal(b, R1_BASE + PG);
	assert_int_equal(c, R1_BASE + 5 * PG);
	assert_int_equal(frame_free_pages(), TOTAL - 6);
	/* The memory is usable (ASan checks it is inside the pool). */
	memset((void *)(uintptr_t)b, 0x5a, 4 * PG);
	assert_usable(b, 4);
	/* The bitmap survived the write. */
	assert_int_equal(alloc_ok(1, 1), R1_BASE + 6 * PG);
}

static void test_alloc_aligned(void **state)
{
	paddr_t pa;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	alloc_ok(1, 1);
	/* The lowest 64 KiB-aligned frame in range 1 (the pool is only page
	 * aligned, so where that is depends on the buffer). */
	pa = alloc_ok(1, 16);
	assert_int_equal(pa, ALIGN_UP(R1_BASE + PG, 16 * PG));
	assert_usable(pa, 1);
	pa = alloc_ok(8, 8);
	assert_true(IS_ALIGNED(pa, 8 * PG));
	assert_usable(pa, 8);
	pa = alloc_ok(3, 64);	/* 256 KiB */
	assert_true(IS_ALIGNED(pa, 64 * PG));
	assert_usable(pa, 3);
	/* An alignment (1 TiB) no frame in the pool has, unless the buffer
	 * happens to straddle such a boundary. */
	if (ALIGN_UP(R1_BASE, 1ULL << 40) >= pool_pa + POOL_SIZE)
		assert_int_equal(frame_alloc(1, 1ULL << 28, &pa), MV_E_NOMEM);
	/* Alignments whose byte size overflows 64 bits. */
	assert_int_equal(frame_alloc(1, 1ULL << 52, &pa), MV_E_NOMEM);
	assert_int_equal(frame_alloc(1, 1ULL << 63, &pa), MV_E_NOMEM);
}

static void test_alloc_bad_args(void **state)
{
	paddr_t pa;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	assert_int_equal(frame_alloc(0, 1, &pa), MV_E_INVAL);
	assert_int_equal(frame_alloc(1, 0, &pa), MV_E_INVAL);
	assert_int_equal(frame_alloc(1, 3, &pa), MV_E_INVAL);
	assert_int_equal(frame_alloc(1, 24, &pa), MV_E_INVAL);
	assert_int_equal(frame_free_pages(), TOTAL);
}

static void test_alloc_too_big(void **state)
{
	paddr_t pa;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	/* Larger than either range, though not than both together. */
	assert_int_equal(frame_alloc(R2_PAGES + 1, 1, &pa), MV_E_NOMEM);
	assert_int_equal(alloc_ok(R2_PAGES, 1), R2_BASE);
	/* Sizes near 2^64 must not wrap the bounds checks.  With the whole
	 * pool zeroed (all free, and the memory past each bitmap looks free
	 * too), a wrapped check would scan on past the end of the pool, where
	 * ASan stops it.  The first candidate frame of an aligned request is
	 * past the start of a range unless the range is aligned, so some
	 * alignment makes first + npages wrap. */
	assert_int_equal(init_pool(), MV_OK);
	memset(pool, 0, POOL_SIZE);
	for (uint64_t align = 1; align <= 4096; align *= 2) {
		assert_int_equal(frame_alloc(UINT64_MAX, align, &pa), MV_E_NOMEM);
		assert_int_equal(frame_alloc(UINT64_MAX - align / 2, align, &pa), MV_E_NOMEM);
	}
	assert_int_equal(frame_alloc(1ULL << 63, 1, &pa), MV_E_NOMEM);
	assert_int_equal(frame_free_pages(), TOTAL);
}

/* Take every frame one at a time: each is new, usable, and the count is
 * exact; then the allocator is empty. */
static void test_exhaust(void **state)
{
	static bool taken[POOL_SIZE / PG];
	paddr_t pa;
	uint64_t n = 0;

	(void)state;
	memset(taken, 0, sizeof(taken));
	assert_int_equal(init_pool(), MV_OK);
	while (frame_alloc(1, 1, &pa) == MV_OK) {
		uint64_t i = (pa - pool_pa) / PG;

		assert_usable(pa, 1);
		if (taken[i])
			fail_msg("frame 0x%llx handed out twice", (unsigned long long)pa);
		taken[i] = true;
		n++;
		assert_int_equal(frame_free_pages(), TOTAL - n);
		/* Scribble over it: a frame that overlapped a bitmap would
		 * corrupt the allocator. */
		memset((void *)(uintptr_t)pa, 0xff, PG);
	}
	assert_int_equal(n, TOTAL);
	assert_int_equal(frame_free_pages(), 0);
	assert_int_equal(frame_total_pages(), TOTAL);
	assert_int_equal(frame_alloc(1, 1, &pa), MV_E_NOMEM);
	assert_int_equal(frame_alloc(2, 1, &pa), MV_E_NOMEM);
	/* Free one in range 2 and it is the one handed out next. */
	assert_int_equal(frame_free(R2_BASE + 100 * PG, 1), MV_OK);
	assert_int_equal(frame_free_pages(), 1);
	assert_int_equal(alloc_ok(1, 1), R2_BASE + 100 * PG);
	/* Free everything. */
	for (uint64_t i = 0; i < POOL_SIZE / PG; i++)
		if (taken[i])
			assert_int_equal(frame_free(pool_pa + i * PG, 1), MV_OK);
	assert_int_equal(frame_free_pages(), TOTAL);
	assert_int_equal(alloc_ok(R1_PAGES, 1), R1_BASE);
}

static void test_free_reuse(void **state)
{
	paddr_t a, b, c;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	a = alloc_ok(4, 1);
	b = alloc_ok(4, 1);
	c = alloc_ok(1, 1);
	assert_int_equal(frame_free(b, 4), MV_OK);
	assert_int_equal(frame_free_pages(), TOTAL - 5);
	/* First fit: the hole is reused, for a smaller run too. */
	assert_int_equal(alloc_ok(2, 1), b);
	assert_int_equal(alloc_ok(2, 1), b + 2 * PG);
	/* A run that does not fit the hole goes past c. */
	assert_int_equal(frame_free(b, 4), MV_OK);
	assert_int_equal(alloc_ok(5, 1), c + PG);
	/* Free part of a run, then the rest. */
	assert_int_equal(frame_free(a + PG, 2), MV_OK);
	assert_int_equal(frame_free(a, 1), MV_OK);
	assert_int_equal(frame_free(a + 3 * PG, 1), MV_OK);
	assert_int_equal(frame_free(c, 1), MV_OK);
	assert_int_equal(frame_free_pages(), TOTAL - 5);
}

static void test_free_invalid(void **state)
{
	paddr_t a, last;
	uint64_t nfree;

	(void)state;
	assert_int_equal(init_pool(), MV_OK);
	a = alloc_ok(4, 1);
	nfree = frame_free_pages();

	/* Double free, whole or in part: refused, nothing freed. */
	assert_int_equal(frame_free(a + 3 * PG, 1), MV_OK);
	nfree++;
	assert_int_equal(frame_free(a + 3 * PG, 1), MV_E_INVAL);
	assert_int_equal(frame_free(a, 4), MV_E_INVAL);
	assert_int_equal(frame_free(a + 2 * PG, 2), MV_E_INVAL);
	assert_int_equal(frame_free_pages(), nfree);
	/* The frames before the freed one are all still allocated. */
	assert_int_equal(alloc_ok(1, 1), a + 3 * PG);
	assert_int_equal(frame_free(a + 3 * PG, 1), MV_OK);
	assert_int_equal(frame_free(a, 3), MV_OK);
	nfree += 3;
	assert_int_equal(frame_free(a, 3), MV_E_INVAL);

	/* Never allocated. */
	assert_int_equal(frame_free(R2_BASE, 1), MV_E_INVAL);
	/* Not in any range: the bitmaps, the reservation, outside the pool. */
	assert_int_equal(frame_free(pool_pa, 1), MV_E_INVAL);
	assert_int_equal(frame_free(BMAP2, 1), MV_E_INVAL);
	assert_int_equal(frame_free(RSV_START, 1), MV_E_INVAL);
	assert_int_equal(frame_free(RSV_START + PG, 1), MV_E_INVAL);
	assert_int_equal(frame_free(pool_pa + POOL_SIZE, 1), MV_E_INVAL);
	assert_int_equal(frame_free(pool_pa - PG, 1), MV_E_INVAL);
	assert_int_equal(frame_free(0, 1), MV_E_INVAL);
	/* Malformed. */
	assert_int_equal(frame_free(R1_BASE + 1, 1), MV_E_INVAL);
	assert_int_equal(frame_free(R1_BASE, 0), MV_E_INVAL);
	assert_int_equal(frame_free_pages(), nfree);

	/* A run off the end of a range, all of whose frames in the range are
	 * allocated: refused. */
	last = R1_BASE + (R1_PAGES - 1) * PG;
	while ((a = alloc_ok(1, 1)) != last)
		;
	nfree = frame_free_pages();
	assert_int_equal(frame_free(last, 2), MV_E_INVAL);
	assert_int_equal(frame_free(last, 3), MV_E_INVAL);
	/* Lengths that would wrap the bounds check. */
	assert_int_equal(frame_free(R1_BASE, UINT64_MAX), MV_E_INVAL);
	assert_int_equal(frame_free(last, UINT64_MAX), MV_E_INVAL);
	assert_int_equal(frame_free(R1_BASE + PG, UINT64_MAX), MV_E_INVAL);
	assert_int_equal(frame_free_pages(), nfree);
	assert_int_equal(frame_free(last, 1), MV_OK);
}

static void test_init_empty(void **state)
{
	const struct mem_range bank = { pool_pa, POOL_SIZE };
	const struct mem_range all = { pool_pa, POOL_SIZE };
	const struct mem_range one = { pool_pa, PG };
	const struct mem_range two = { pool_pa, 2 * PG };
	paddr_t pa;

	(void)state;
	/* Everything reserved. */
	assert_int_equal(frame_init(&bank, 1, &all, 1), MV_E_NOMEM);
	assert_int_equal(frame_total_pages(), 0);
	assert_int_equal(frame_alloc(1, 1, &pa), MV_E_NOMEM);
	/* No banks. */
	assert_int_equal(frame_init(NULL, 0, NULL, 0), MV_E_NOMEM);
	/* A one-page bank holds only its bitmap. */
	assert_int_equal(frame_init(&one, 1, NULL, 0), MV_E_NOMEM);
	/* Two pages: one for the bitmap, one frame. */
	assert_int_equal(frame_init(&two, 1, NULL, 0), MV_OK);
	assert_int_equal(frame_total_pages(), 1);
	assert_int_equal(alloc_ok(1, 1), pool_pa + PG);
	assert_int_equal(frame_alloc(1, 1, &pa), MV_E_NOMEM);
}

static void test_init_too_many_ranges(void **state)
{
	const struct mem_range bank = { pool_pa, POOL_SIZE };
	struct mem_range cuts[MV_MAX_MEM_BANKS + MV_MAX_RESERVED];

	(void)state;
	/* Every cut splits a range: n cuts leave n + 1 ranges. */
	for (unsigned i = 0; i < ARRAY_SIZE(cuts); i++) {
		cuts[i].base = pool_pa + (2 * i + 4) * 4 * PG;
		cuts[i].size = PG;
	}
	assert_int_equal(frame_init(&bank, 1, cuts, ARRAY_SIZE(cuts) - 1), MV_OK);
	assert_int_equal(frame_total_pages(), POOL_SIZE / PG - (ARRAY_SIZE(cuts) - 1) - ARRAY_SIZE(cuts));
	assert_int_equal(frame_init(&bank, 1, cuts, ARRAY_SIZE(cuts)), MV_E_RANGE);
}

/* Several banks, and a range whose bitmap needs more than one page. */
static void test_multi_bank(void **state)
{
	/* 32768 frames fit one bitmap page; 129 MiB is 33024 pages. */
	const uint64_t big = 129 * MiB;
	struct mem_range banks[2];
	paddr_t pa;

	(void)state;
	big_mem = aligned_alloc(PG, big);
	assert_non_null(big_mem);
	banks[0] = (struct mem_range){ (paddr_t)(uintptr_t)big_mem, big };
	banks[1] = (struct mem_range){ pool_pa, POOL_SIZE };
	assert_int_equal(frame_init(banks, 2, NULL, 0), MV_OK);
	assert_int_equal(frame_total_pages(), (big / PG - 2) + (POOL_SIZE / PG - 1));
	assert_int_equal(alloc_ok(1, 1), banks[0].base + 2 * PG);
	/* The rest of the big bank in one run, then the pool. */
	assert_int_equal(alloc_ok(big / PG - 3, 1), banks[0].base + 3 * PG);
	assert_int_equal(alloc_ok(1, 1), pool_pa + PG);
	assert_int_equal(frame_alloc(POOL_SIZE / PG - 1, 1, &pa), MV_E_NOMEM);
	assert_int_equal(frame_free(banks[0].base + 2 * PG, big / PG - 2), MV_OK);
	assert_int_equal(frame_free_pages(), (big / PG - 2) + (POOL_SIZE / PG - 2));
	free(big_mem);
	big_mem = NULL;
}

/* Random allocations and frees against a one-bit-per-frame model of first
 * fit: runs cross bitmap words in every way (whole words are handled a
 * word at a time), and every answer must match the model's. */
static bool model_used[TOTAL];

static int64_t model_alloc(uint64_t n, uint64_t align)
{
	const paddr_t base[2] = { R1_BASE, R2_BASE };
	const uint64_t pages[2] = { R1_PAGES, R2_PAGES }, first[2] = { 0, R1_PAGES };

	for (int r = 0; r < 2; r++) {
		for (uint64_t i = 0; i + n <= pages[r]; i++) {
			uint64_t k = 0;

			if (!IS_ALIGNED(base[r] + i * PG, align * PG))
				continue;
			while (k < n && !model_used[first[r] + i + k])
				k++;
			if (k == n) {
				for (k = 0; k < n; k++)
					model_used[first[r] + i + k] = true;
				return (int64_t)(first[r] + i);
			}
		}
	}
	return -1;
}

static paddr_t model_pa(uint64_t frame)
{
	return frame < R1_PAGES ? R1_BASE + frame * PG : R2_BASE + (frame - R1_PAGES) * PG;
}

static void test_random_against_model(void **state)
{
	struct { uint64_t frame, n; } live[64];
	unsigned nlive = 0;

	(void)state;
	srand(7);
	memset(model_used, 0, sizeof(model_used));
	assert_int_equal(init_pool(), MV_OK);
	for (int step = 0; step < 4000; step++) {
		if (nlive && (nlive == ARRAY_SIZE(live) || rand() % 3 == 0)) {
			unsigned j = (unsigned)rand() % nlive;

			assert_int_equal(frame_free(model_pa(live[j].frame), live[j].n), MV_OK);
			for (uint64_t k = 0; k < live[j].n; k++)
				model_used[live[j].frame + k] = false;
			live[j] = live[--nlive];
		} else {
			const uint64_t aligns[] = { 1, 2, 8, 64 };
			uint64_t n = 1 + (uint64_t)rand() % (rand() % 4 ? 70 : 300);
			uint64_t align = aligns[rand() % 4];
			int64_t want = model_alloc(n, align);
			paddr_t pa = 0;
			int rc = frame_alloc(n, align, &pa);

			if (want < 0) {
				assert_int_equal(rc, MV_E_NOMEM);
				continue;
			}
			assert_int_equal(rc, MV_OK);
			if (pa != model_pa((uint64_t)want))
				fail_msg("step %d: %llu frames aligned %llu: got 0x%llx, first fit is 0x%llx",
					 step, (unsigned long long)n, (unsigned long long)align,
					 (unsigned long long)pa,
					 (unsigned long long)model_pa((uint64_t)want));
			live[nlive].frame = (uint64_t)want;
			live[nlive++].n = n;
		}
	}
}

int main(void)
{
	const struct CMUnitTest subtract[] = {
		cmocka_unit_test(test_subtract_no_overlap),
		cmocka_unit_test(test_subtract_no_cuts),
		cmocka_unit_test(test_subtract_cut_start),
		cmocka_unit_test(test_subtract_cut_end),
		cmocka_unit_test(test_subtract_split),
		cmocka_unit_test(test_subtract_cover_all),
		cmocka_unit_test(test_subtract_many_inputs),
		cmocka_unit_test(test_subtract_unaligned),
		cmocka_unit_test(test_subtract_too_many),
		cmocka_unit_test(test_subtract_random),
	};
	const struct CMUnitTest alloc[] = {
		cmocka_unit_test(test_init_layout),
		cmocka_unit_test(test_alloc_single_multi),
		cmocka_unit_test(test_alloc_aligned),
		cmocka_unit_test(test_alloc_bad_args),
		cmocka_unit_test(test_alloc_too_big),
		cmocka_unit_test(test_exhaust),
		cmocka_unit_test(test_free_reuse),
		cmocka_unit_test(test_free_invalid),
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_init_too_many_ranges),
		cmocka_unit_test(test_multi_bank),
		cmocka_unit_test(test_random_against_model),
	};
	int failed = cmocka_run_group_tests_name("range_subtract", subtract, NULL, NULL);

	failed += cmocka_run_group_tests_name("frame allocator", alloc, pool_setup, pool_teardown);
	return failed ? 1 : 0;
}
