// SPDX-License-Identifier: MIT
/* panic(): the kernel's own broken invariants. */
#include <mv/arch.h>
#include <mv/console.h>
#include <mv/panic.h>
#include <mv/print.h>

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_detach(NULL);	/* the polled UART from here on */
	printk("PANIC: cpu%u: %s\n", arch_cpu_id(), msg);
	printk("microvisor: halted by a kernel error, powering off\n");
	arch_system_off();
}
