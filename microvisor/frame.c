// SPDX-License-Identifier: MIT
/* Physical frame allocator (see mv/frame.h). */
#include <string.h>

#include <mv/errno.h>
#include <mv/frame.h>
#include <mv/spinlock.h>

#define MAX_REGIONS	(MV_MAX_MEM_BANKS + MV_MAX_RESERVED)
#define BITS_PER_WORD	64

struct frame_region {
	paddr_t base;		/* first frame handed out */
	uint64_t npages;
	uint64_t *bitmap;	/* bit set = frame allocated */
};

static struct frame_region regions[MAX_REGIONS];
static unsigned nregions;
static uint64_t total_pages, free_pages;
static struct spinlock frame_lock = SPINLOCK_INIT;

/* Cut [c, c + csize) out of r; may split r in two (the second part goes to
 * *tail). Returns how many parts remain (0, 1 or 2). */
static unsigned cut_one(struct mem_range *r, paddr_t c, uint64_t csize,
			struct mem_range *tail)
{
	paddr_t end = r->base + r->size, cend = c + csize;

	if (cend <= r->base || c >= end)
		return 1;
	if (c <= r->base && cend >= end)
		return 0;
	if (c <= r->base) {
		r->size = end - cend;
		r->base = cend;
		return 1;
	}
	r->size = c - r->base;
	if (cend >= end)
		return 1;
	tail->base = cend;
	tail->size = end - cend;
	return 2;
}

int range_subtract(const struct mem_range *in, unsigned nin,
		   const struct mem_range *cut, unsigned ncut,
		   struct mem_range *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nin; i++) {
		paddr_t b = ALIGN_UP(in[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(in[i].base + in[i].size, PAGE_SIZE);

		if (e <= b)
			continue;
		if (n == max)
			return MV_E_RANGE;
		out[n].base = b;
		out[n++].size = e - b;
	}
	for (unsigned j = 0; j < ncut; j++) {
		paddr_t c = ALIGN_DOWN(cut[j].base, PAGE_SIZE);
		uint64_t cs = ALIGN_UP(cut[j].base + cut[j].size, PAGE_SIZE) - c;

		for (unsigned i = 0; i < n;) {
			struct mem_range tail;
			unsigned parts = cut_one(&out[i], c, cs, &tail);

			if (parts == 0) {
				out[i] = out[--n];
				continue;
			}
			if (parts == 2) {
				if (n == max)
					return MV_E_RANGE;
				out[n++] = tail;
			}
			i++;
		}
	}
	return (int)n;
}

static bool bit_test(const uint64_t *map, uint64_t i)
{
	return map[i / BITS_PER_WORD] & BIT(i % BITS_PER_WORD);
}

/* Whole words at a time where the run covers them: a guest's RAM is
 * hundreds of thousands of frames. */
static void bits_assign(uint64_t *map, uint64_t i, uint64_t n, bool set)
{
	while (n) {
		if (i % BITS_PER_WORD == 0 && n >= BITS_PER_WORD) {
			map[i / BITS_PER_WORD] = set ? ~0UL : 0;
			i += BITS_PER_WORD;
			n -= BITS_PER_WORD;
			continue;
		}
		if (set)
			map[i / BITS_PER_WORD] |= BIT(i % BITS_PER_WORD);
		else
			map[i / BITS_PER_WORD] &= ~BIT(i % BITS_PER_WORD);
		i++;
		n--;
	}
}

/* How many frames from i on are free, counting no further than n. */
static uint64_t free_run(const uint64_t *map, uint64_t i, uint64_t n)
{
	uint64_t k = 0;

	while (k < n) {
		if ((i + k) % BITS_PER_WORD == 0 && n - k >= BITS_PER_WORD) {
			if (map[(i + k) / BITS_PER_WORD])
				break;
			k += BITS_PER_WORD;
			continue;
		}
		if (bit_test(map, i + k))
			break;
		k++;
	}
	while (k < n && !bit_test(map, i + k))	/* the rest of a busy word */
		k++;
	return k;
}

/* Put the bitmap at the start of the range and manage the rest. */
static void region_add(const struct mem_range *r)
{
	uint64_t pages = r->size / PAGE_SIZE;
	uint64_t map_bytes = ALIGN_UP(pages, BITS_PER_WORD) / 8;
	uint64_t map_pages = ALIGN_UP(map_bytes, PAGE_SIZE) / PAGE_SIZE;
	struct frame_region *fr = &regions[nregions];

	if (pages <= map_pages)
		return;
	fr->bitmap = (uint64_t *)(uintptr_t)r->base;
	fr->base = r->base + map_pages * PAGE_SIZE;
	fr->npages = pages - map_pages;
	memset(fr->bitmap, 0, map_bytes);
	nregions++;
	total_pages += fr->npages;
	free_pages += fr->npages;
}

int frame_init(const struct mem_range *banks, unsigned nbanks,
	       const struct mem_range *reserved, unsigned nreserved)
{
	struct mem_range ranges[MAX_REGIONS];
	int n = range_subtract(banks, nbanks, reserved, nreserved, ranges,
			       MAX_REGIONS);

	if (n < 0)
		return n;
	nregions = 0;
	total_pages = free_pages = 0;
	for (int i = 0; i < n; i++)
		region_add(&ranges[i]);
	return total_pages ? MV_OK : MV_E_NOMEM;
}

/* First fit: the lowest run of n free frames whose address is aligned. */
static bool region_alloc(struct frame_region *fr, uint64_t n, uint64_t align,
			 paddr_t *out)
{
	uint64_t first = (ALIGN_UP(fr->base, align * PAGE_SIZE) - fr->base) / PAGE_SIZE;

	/* i <= npages - n, not i + n <= npages: that wraps for huge n. */
	if (n > fr->npages)
		return false;
	for (uint64_t i = first; i <= fr->npages - n; i += align) {
		if (free_run(fr->bitmap, i, n) == n) {
			bits_assign(fr->bitmap, i, n, true);
			*out = fr->base + i * PAGE_SIZE;
			return true;
		}
	}
	return false;
}

int frame_alloc(uint64_t npages, uint64_t align_pages, paddr_t *out)
{
	int err = MV_E_NOMEM;

	if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
		return MV_E_INVAL;
	spin_lock(&frame_lock);
	for (unsigned r = 0; r < nregions; r++) {
		if (region_alloc(&regions[r], npages, align_pages, out)) {
			free_pages -= npages;
			err = MV_OK;
			break;
		}
	}
	spin_unlock(&frame_lock);
	return err;
}

int frame_free(paddr_t pa, uint64_t npages)
{
	int err = MV_E_INVAL;

	if (npages == 0 || !IS_ALIGNED(pa, PAGE_SIZE))
		return MV_E_INVAL;
	spin_lock(&frame_lock);
	for (unsigned r = 0; r < nregions; r++) {
		struct frame_region *fr = &regions[r];
		uint64_t i = (pa - fr->base) / PAGE_SIZE;

		if (pa < fr->base || i + npages > fr->npages)
			continue;
		for (uint64_t k = 0; k < npages; k++)
			if (!bit_test(fr->bitmap, i + k))
				goto out;
		bits_assign(fr->bitmap, i, npages, false);
		free_pages += npages;
		err = MV_OK;
		break;
	}
out:
	spin_unlock(&frame_lock);
	return err;
}

uint64_t frame_free_pages(void)
{
	return free_pages;
}

uint64_t frame_total_pages(void)
{
	return total_pages;
}
