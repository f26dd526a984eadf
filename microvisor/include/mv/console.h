/* SPDX-License-Identifier: MIT */
/* The kernel's polled console: a PL011 used for the boot log and for crash
 * reports.  Until console_init() runs, output is dropped. */
#ifndef MV_CONSOLE_H
#define MV_CONSOLE_H

#include <mv/types.h>

/* Use the PL011 whose registers are at pa (already mapped as device). */
void console_init(paddr_t pa);
void console_write(const char *s, size_t n);

/* A piece of domain dom's (its index) console output.  Lines are prefixed
 * "name: "; a line another writer interrupts is continued on a new
 * prefixed line.  With a console cell attached, a record in its ring (the
 * cell prefixes it); at most 255 bytes at a time then. */
void console_domain_write(unsigned dom, const char *name, const char *s, size_t n);

/* The console cell: from now on lines go into its ring r (bytes long in
 * all, in the cell's memory, checked by the caller) and it is notified. */
struct vm;
struct mv_console_ring;
void console_attach(struct vm *cell, struct mv_console_ring *r, uint32_t bytes);

/* Back to the polled UART, writing what the ring still holds: cell (or,
 * NULL, any cell) stopped or restarts, or the machine goes down. */
void console_detach(const struct vm *cell);

/* The kick SGI arrived: notify the cell if the ring has news (no lock
 * held).  console_wake_cell() asks for that from any context. */
void console_kick(void);
void console_wake_cell(void);

/* Input: interrupt on received data; one byte, or -1 when none waits. */
void console_rx_enable(void);
int console_getc(void);

#endif
