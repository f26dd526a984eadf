/* SPDX-License-Identifier: MIT */
/* Stage-2 address spaces (see stage2.c). */
#ifndef ARCH_STAGE2_H
#define ARCH_STAGE2_H

#include <mv/types.h>

#define VTTBR_VMID_SHIFT	48

void stage2_init_cpu(void);
int stage2_create(uint64_t **root);
int stage2_map(uint64_t *root, uint64_t ipa, paddr_t pa, uint64_t size, bool device);
int stage2_map_perm(uint64_t *root, uint64_t ipa, paddr_t pa, uint64_t size, bool device,
		    bool writable);
bool stage2_translate(const uint64_t *root, uint64_t ipa, paddr_t *pa);
void stage2_flush(uint64_t vttbr);

#endif
