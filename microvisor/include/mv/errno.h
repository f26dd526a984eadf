/* SPDX-License-Identifier: MIT */
/* The kernel's internal error enum.  Values are negative so a function can
 * return either a count or an error.  Hypercalls return the ABI's MV_ERR_*
 * (abi/microvisor.h) instead. */
#ifndef MV_ERRNO_H
#define MV_ERRNO_H

#include <abi/microvisor.h>	/* MV_OK (0) is shared with the ABI */

enum mv_err {
	MV_E_INVAL = -1,	/* malformed argument */
	MV_E_NOMEM = -2,	/* out of memory */
	MV_E_EXISTS = -3,	/* already present / conflicting */
	MV_E_NOENT = -4,	/* no such object */
	MV_E_RANGE = -5,	/* out of range */
	MV_E_IO = -6,		/* firmware or device refused */
};

#endif
