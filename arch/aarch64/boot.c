// SPDX-License-Identifier: MIT
/* First C code on the boot CPU (from head.S): MMU off, stack set, .bss
 * clear.  Built -mstrict-align like the rest: no unaligned access faults
 * while data accesses are Device memory. */
#include <mv/arch.h>
#include <mv/boot.h>
#include <mv/console.h>
#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>

int mmu_init_early(paddr_t dtb, uint64_t dtb_size);
void cpu_init_el2(void);

#define FDT_MAGIC	0xd00dfeedU
#define DTB_MAX_SIZE	(2UL << 20)

extern char _start[], _end[];
extern const char system_dtb[];

static uint32_t load_be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Size to map for the DTB: its totalsize when the header looks sane, else
 * one page, enough for the parser to report what is wrong. */
static uint64_t dtb_map_size(paddr_t dtb)
{
	const volatile uint8_t *h = (const volatile uint8_t *)dtb;
	uint32_t size;

	if (!IS_ALIGNED(dtb, 8) || load_be32(h) != FDT_MAGIC)
		return PAGE_SIZE;
	size = load_be32(h + 4);
	return size && size <= DTB_MAX_SIZE ? size : PAGE_SIZE;
}

__attribute__((noreturn)) void boot_main(paddr_t dtb)
{
	struct mem_range image = { (paddr_t)_start, (paddr_t)_end - (paddr_t)_start };

	cpu_init_el2();
	if (mmu_init_early(dtb, dtb_map_size(dtb)))
		arch_system_off();	/* cannot happen with a sane link */
	mv_main(dtb, image);
}

/*
 * Entered at EL1 (or EL3) instead of EL2, MMU off: nothing here can run.
 * Say so on the early UART the system description names (the host DTB is
 * not trusted yet and may not even be mapped), then ask for power-off
 * through PSCI over HVC, the conduit firmware offers EL1 when it has no
 * EL2 to host it.  libfdt reads the packed description bytewise at
 * aligned offsets, which is safe with the MMU off.
 */
__attribute__((noreturn)) void boot_wrong_el(unsigned el)
{
	struct system sys;
	char err[96];

	if (system_parse(system_dtb, &sys, err, sizeof(err)) == MV_OK &&
	    sys.early_uart.size) {
		console_init(sys.early_uart.base);
		printk("\nmicrovisor: error: entered at EL%u, but the microvisor runs at EL2 "
		       "(QEMU: -M virt,virtualization=on)\n", el);
		printk("microvisor: cannot boot, powering off\n");
	}
	__asm__ volatile("mov x0, %0\n\thvc #0" : : "r"(0x84000008UL) : "x0", "memory");
	for (;;)
		__asm__ volatile("wfe");
}
