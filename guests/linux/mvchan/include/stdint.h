/* SPDX-License-Identifier: MIT OR GPL-2.0 */
/* abi/microvisor.h includes <stdint.h>; in the kernel the fixed-width
 * types come from <linux/types.h>. */
#ifndef MVCHAN_STDINT_H
#define MVCHAN_STDINT_H
#include <linux/types.h>
#endif
