// SPDX-License-Identifier: MIT
/*
 * A cell's own device tree (cell_dt.h): what the virtio cells read of it.
 * Read with aligned accesses only (the cell's MMU is off).
 */
#include "cell_dt.h"

uint32_t be32(const volatile uint8_t *p)
{
	return __builtin_bswap32(*(const volatile uint32_t *)p);
}

static uint64_t be_cells(const volatile uint8_t *p, int len)
{
	return len == 8 ? (uint64_t)be32(p) << 32 | be32(p + 4) : len == 4 ? be32(p) : 0;
}

bool str_eq(const volatile char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

bool str_prefix(const volatile char *a, const char *b)
{
	while (*b && *a == *b)
		a++, b++;
	return !*b;
}

static uint64_t str_len(const volatile char *s)
{
	uint64_t n = 0;

	while (s[n])
		n++;
	return n;
}

int dt_parse(uint64_t dt, struct dtinfo *o)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)dt, *st, *strs;
	uint32_t size, off = 0;
	int depth = 0;
	bool chosen = false, memory = false;

	if (!dt || (dt & 3) || be32(p) != 0xd00dfeedU)
		return -1;
	st = p + be32(p + 8);
	strs = p + be32(p + 12);
	size = be32(p + 36);
	while (off + 4 <= size) {
		uint32_t tok = be32(st + off);
		const volatile char *name;

		off += 4;
		switch (tok) {
		case 1:	/* FDT_BEGIN_NODE */
			name = (const volatile char *)(st + off);
			depth++;
			chosen = depth == 2 && str_eq(name, "chosen");
			memory = depth == 2 && str_prefix(name, "memory");
			off += (uint32_t)((str_len(name) + 4) & ~3ULL);
			break;
		case 2:	/* FDT_END_NODE */
			depth--;
			chosen = memory = false;
			break;
		case 3: {	/* FDT_PROP */
			uint32_t len = be32(st + off);
			const volatile uint8_t *val = st + off + 8;

			name = (const volatile char *)(strs + be32(st + off + 4));
			off += 8 + ((len + 3) & ~3U);
			if (chosen && str_eq(name, "bootargs"))
				o->bootargs = (const volatile char *)val;
			else if (chosen && str_eq(name, "linux,initrd-start"))
				o->initrd_start = be_cells(val, (int)len);
			else if (chosen && str_eq(name, "linux,initrd-end"))
				o->initrd_end = be_cells(val, (int)len);
			else if (memory && str_eq(name, "reg") && len >= 16) {
				o->mem_base = be_cells(val, 8);
				o->mem_size = be_cells(val + 8, 8);
			}
			break;
		}
		case 4:	/* FDT_NOP */
			break;
		case 9:	/* FDT_END */
			return 0;
		default:
			return -1;
		}
	}
	return -1;
}
