/* SPDX-License-Identifier: MIT */
/* The kernel's polled console: a PL011 used for the boot log and for crash
 * reports, until the console cell attaches its ring (and again when it
 * stops, and for a crash).  Until console_init() runs, output is dropped.
 * Domains' consoles are the console cell's (their PL011 windows). */
#ifndef MV_CONSOLE_H
#define MV_CONSOLE_H

#include <mv/types.h>

/* Use the PL011 whose registers are at pa (already mapped as device). */
void console_init(paddr_t pa);
void console_write(const char *s, size_t n);

/* The console cell: from now on lines go into its ring r (bytes long in
 * all, in the cell's memory, checked by the caller) and it is notified. */
struct vm;
struct mv_console_ring;
void console_attach(struct vm *cell, struct mv_console_ring *r, uint32_t bytes);

/* Back to the polled UART, writing what the ring still holds: cell (or,
 * NULL, any cell) stopped or restarts, or the machine goes down. */
void console_detach(const struct vm *cell);

/* No VM is left running: power off, once the console cell (if one is
 * attached) has written out what the domains left, at its next wait or
 * its stop.  Returns only in that case. */
void console_poweroff(void);

/* vm is about to block waiting for work (hypercall_wait). */
void console_cell_waits(const struct vm *vm);

/* The kick SGI arrived: notify the cell if the ring has news (no lock
 * held). */
void console_kick(void);

#endif
