// SPDX-License-Identifier: MIT
/* vsnprintf and friends: the formats the kernel uses, nothing more. */
#include <string.h>

#include <mv/print.h>
#include <mv/types.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left && pad == '0' && n && (*s == '-')) {
		put(o, *s++);
		n--;
	}
	while (!left && fill-- > 0)
		put(o, pad);
	while (n--)
		put(o, *s++);
	while (left && fill-- > 0)
		put(o, ' ');
}

/* Digits of v in base (10 or 16) into the end of buf; returns the start. */
static char *format_u64(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	*--end = '\0';
	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		char num[24], *s;
		int width = 0, lng = 0;
		bool left = false;
		char pad = ' ';
		uint64_t v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, char *);
			if (!s)
				s = "(null)";
			put_padded(&o, s, strlen(s), width, left, ' ');
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			put_padded(&o, num, 1, width, left, ' ');
			break;
		case 'd':
		case 'i': {
			int64_t sv = lng ? va_arg(ap, long) : va_arg(ap, int);

			s = format_u64(num + sizeof(num), sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, false);
			if (sv < 0)
				*--s = '-';
			put_padded(&o, s, strlen(s), width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			s = format_u64(num + sizeof(num), v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
			put_padded(&o, s, strlen(s), width, left, pad);
			break;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			s = format_u64(num + sizeof(num), v, 16, false);
			*--s = 'x';
			*--s = '0';
			put_padded(&o, s, strlen(s), width, left, ' ');
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (o.size)
		o.buf[MIN(o.len, o.size - 1)] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
