/* SPDX-License-Identifier: MIT */
/* Basic types shared by the kernel and its host-side unit tests. */
#ifndef MV_TYPES_H
#define MV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mv/config.h>

#ifndef static_assert
#define static_assert _Static_assert
#endif

typedef uint64_t paddr_t;	/* a physical address */

#define BIT(n)		(1UL << (n))
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a) - 1)) == 0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* A half-open physical range [base, base + size). */
struct mem_range {
	paddr_t base;
	uint64_t size;
};

#endif
