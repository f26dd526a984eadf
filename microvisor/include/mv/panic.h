/* SPDX-License-Identifier: MIT */
/* panic() is for the kernel's own broken invariants only: anything a domain
 * or the boot input can cause is an error path, never a panic. */
#ifndef MV_PANIC_H
#define MV_PANIC_H

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#endif
