/* SPDX-License-Identifier: MIT */
/* The images packed into the microvisor image by scripts/pack, found by the
 * path the system description names them with. */
#ifndef MV_PACKAGE_H
#define MV_PACKAGE_H

#include <mv/types.h>

int package_find(const char *path, const void **data, uint64_t *size);

#endif
