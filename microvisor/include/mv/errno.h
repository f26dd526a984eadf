/* SPDX-License-Identifier: MIT */
/* The kernel's one error enum.  Values are negative so a function can return
 * either a count or an error. */
#ifndef MV_ERRNO_H
#define MV_ERRNO_H

enum mv_err {
	MV_OK = 0,
	MV_E_INVAL = -1,	/* malformed argument */
	MV_E_NOMEM = -2,	/* out of memory */
	MV_E_EXISTS = -3,	/* already present / conflicting */
	MV_E_NOENT = -4,	/* no such object */
	MV_E_RANGE = -5,	/* out of range */
	MV_E_IO = -6,		/* firmware or device refused */
};

const char *mv_strerror(int err);

#endif
