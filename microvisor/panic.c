// SPDX-License-Identifier: MIT
/* panic() and the error strings. */
#include <mv/arch.h>
#include <mv/errno.h>
#include <mv/panic.h>
#include <mv/print.h>

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("PANIC: cpu%u: %s\n", arch_cpu_id(), msg);
	printk("microvisor: halted by a kernel error, powering off\n");
	arch_system_off();
}

const char *mv_strerror(int err)
{
	switch (err) {
	case MV_OK:		return "ok";
	case MV_E_INVAL:	return "invalid argument";
	case MV_E_NOMEM:	return "out of memory";
	case MV_E_EXISTS:	return "already exists";
	case MV_E_NOENT:	return "no such object";
	case MV_E_RANGE:	return "out of range";
	case MV_E_IO:		return "refused by firmware or device";
	default:		return "unknown error";
	}
}
