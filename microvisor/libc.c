// SPDX-License-Identifier: MIT
/*
 * The small libc of the freestanding kernel: what its own code and Debian's
 * libfdt.a need (libfdt is built with -fstack-protector, so the guard symbols
 * are here too).  Nothing here makes an unaligned access: parts run before
 * the MMU is on, when one would fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mv/panic.h>

uintptr_t __stack_chk_guard = 0x5a17c0de2b8f61e3UL;

__attribute__((noreturn)) void __stack_chk_fail(void)
{
	panic("stack protector: stack smashing detected");
}

/* 8-byte accesses when both ends are 8-byte aligned (safe with the MMU
 * off too: only unaligned accesses fault there), bytes otherwise.  Guest
 * images (a Linux Image is some 30 MiB) go 64 bytes per iteration: the
 * copy is most of the microvisor's own part of a guest's boot. */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (((uintptr_t)d | (uintptr_t)s) % 8 == 0) {
		for (; n >= 64; n -= 64, d += 64, s += 64) {
			const uint64_t *from = (const uint64_t *)(const void *)s;
			uint64_t *to = (uint64_t *)(void *)d;
			uint64_t a = from[0], b = from[1], c = from[2], e = from[3];
			uint64_t f = from[4], g = from[5], h = from[6], i = from[7];

			to[0] = a; to[1] = b; to[2] = c; to[3] = e;
			to[4] = f; to[5] = g; to[6] = h; to[7] = i;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if ((uintptr_t)d % 8 == 0) {
		uint64_t v = 0x0101010101010101UL * (unsigned char)c;

		for (; n >= 8; n -= 8, d += 8)
			*(uint64_t *)(void *)d = v;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*s) < base; s++)
		v = v * (unsigned long)base + (unsigned long)digit_value(*s);
	if (end)
		*end = (char *)s;
	return v;
}
