/* SPDX-License-Identifier: MIT */
/* The register frame the EL2 vectors save.  Offsets are shared with
 * vectors.S; static_asserts in trap.c keep them in step with the struct. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#define FRAME_X0	0
#define FRAME_SP	(31 * 8)
#define FRAME_ELR	(32 * 8)
#define FRAME_SPSR	(33 * 8)
#define FRAME_ESR	(34 * 8)
#define FRAME_FAR	(35 * 8)
#define FRAME_SIZE	(36 * 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};
#endif

#endif
