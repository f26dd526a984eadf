/* SPDX-License-Identifier: MIT */
/* The kernel's polled console: a PL011 used for the boot log and for crash
 * reports.  Until console_init() runs, output is dropped. */
#ifndef MV_CONSOLE_H
#define MV_CONSOLE_H

#include <mv/types.h>

/* Use the PL011 whose registers are at pa (already mapped as device). */
void console_init(paddr_t pa);
void console_write(const char *s, size_t n);

/* A piece of a domain's console output.  Lines are prefixed "name: "; a
 * line another writer interrupts is continued on a new prefixed line. */
void console_domain_write(const char *name, const char *s, size_t n);

/* Input: interrupt on received data; one byte, or -1 when none waits. */
void console_rx_enable(void);
int console_getc(void);

#endif
