/* SPDX-License-Identifier: MIT */
/* The one stdlib function libfdt uses. */
#ifndef MV_LIBC_STDLIB_H
#define MV_LIBC_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
