/* SPDX-License-Identifier: MIT */
/* Physical frame allocator: 4 KiB frames from the RAM banks the platform
 * reports, minus every reserved range (the image, the DTB, firmware
 * reservations).  One bitmap per free range, kept at the start of the range
 * itself, so the allocator needs no memory of its own. */
#ifndef MV_FRAME_H
#define MV_FRAME_H

#include <mv/types.h>

/* out = in minus every range in cut, page-aligned inwards; returns the
 * number of ranges written, or MV_E_RANGE if more than max would result. */
int range_subtract(const struct mem_range *in, unsigned nin,
		   const struct mem_range *cut, unsigned ncut,
		   struct mem_range *out, unsigned max);

/* Memory in banks must be mapped and writable: the bitmaps live there. */
int frame_init(const struct mem_range *banks, unsigned nbanks,
	       const struct mem_range *reserved, unsigned nreserved);

/* Allocate npages contiguous frames aligned to align_pages frames (a power
 * of two).  MV_E_NOMEM when no such run is free. */
int frame_alloc(uint64_t npages, uint64_t align_pages, paddr_t *out);

/* Free frames from frame_alloc.  MV_E_INVAL if any of them is not
 * allocated or lies outside the allocator: nothing is freed then. */
int frame_free(paddr_t pa, uint64_t npages);

uint64_t frame_free_pages(void);
uint64_t frame_total_pages(void);

#endif
