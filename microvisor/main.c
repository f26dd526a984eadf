// SPDX-License-Identifier: MIT
/*
 * Boot: read the platform from the host DTB, bring up the console, memory
 * and the other CPUs, then run the packed system description.  When there
 * is nothing left to run the machine powers off, so a scripted boot ends by
 * itself.
 */
#include <libfdt.h>
#include <string.h>

#include <mv/arch.h>
#include <mv/boot.h>
#include <mv/console.h>
#include <mv/errno.h>
#include <mv/frame.h>
#include <mv/percpu.h>
#include <mv/platform.h>
#include <mv/print.h>
#include <mv/system.h>
#include <mv/vmm.h>

#include <mv_build_id.h>

#define CPU_ONLINE_TIMEOUT_MS	2000

struct percpu percpu[MV_MAX_CPUS];
static struct platform plat;
static struct system sys;
static bool vms_go;		/* secondaries may start scheduling */

/* The compiled system description, packed by the build (.package). */
extern const char system_dtb[];

static __attribute__((noreturn)) void boot_fail(const char *what, const char *err)
{
	printk("%s: error: %s\n", what, err);
	printk("microvisor: cannot boot, powering off\n");
	arch_system_off();
}

/* The console: the host DTB's UART, or failing that the early UART the
 * system description names, so even a DTB without a UART gets its error
 * reported. */
static void console_setup(void)
{
	const struct mem_range *uart = plat.uart.size ? &plat.uart :
				       sys.early_uart.size ? &sys.early_uart : NULL;

	if (uart && arch_map(uart->base, uart->size, ARCH_MEM_DEVICE) == MV_OK)
		console_init(uart->base);
}

/* Make the boot CPU logical CPU 0, whatever its place in /cpus. */
static int cpus_order(void)
{
	uint64_t me = arch_cpu_mpidr();

	for (unsigned i = 0; i < plat.ncpus; i++) {
		if (plat.cpu_mpidr[i] == me) {
			plat.cpu_mpidr[i] = plat.cpu_mpidr[0];
			plat.cpu_mpidr[0] = me;
			return MV_OK;
		}
	}
	return MV_E_NOENT;
}

static void memory_setup(paddr_t dtb, struct mem_range image)
{
	struct mem_range reserved[MV_MAX_RESERVED + 2];
	unsigned n = 0;
	int err;

	for (unsigned i = 0; i < plat.nmem; i++) {
		err = arch_map(plat.mem[i].base, plat.mem[i].size, ARCH_MEM_NORMAL);
		if (err)
			boot_fail("mem", "cannot map a memory bank at EL2 (out of page-table memory)");
		printk("mem: bank %u: 0x%010lx-0x%010lx (%lu MiB)\n", i, plat.mem[i].base,
		       plat.mem[i].base + plat.mem[i].size - 1, plat.mem[i].size >> 20);
	}
	for (; n < plat.nreserved; n++)
		reserved[n] = plat.reserved[n];
	reserved[n++] = image;
	reserved[n].base = dtb;
	reserved[n++].size = fdt_totalsize((const void *)dtb);
	err = frame_init(plat.mem, plat.nmem, reserved, n);
	if (err)
		boot_fail("mem", "no free memory left after the image, the DTB and reservations");
	printk("mem: %lu MiB free for the system (%u reserved ranges)\n",
	       frame_free_pages() >> (20 - PAGE_SHIFT), n);
}

static void gic_report(void)
{
	if (plat.gic.version == 3)
		printk("gic: GICv3: distributor 0x%lx, redistributors 0x%lx (%u region%s)\n",
		       plat.gic.dist.base, plat.gic.redist.base, plat.gic.nredist_regions,
		       plat.gic.nredist_regions == 1 ? "" : "s");
	else
		printk("gic: GICv2: distributor 0x%lx, CPU interface 0x%lx\n",
		       plat.gic.dist.base, plat.gic.cpu.base);
	if (plat.gic.hyp.size && plat.gic.vcpu.size)
		printk("gic: virtual CPU interface: GICH 0x%lx, GICV 0x%lx\n",
		       plat.gic.hyp.base, plat.gic.vcpu.base);
	printk("timer: PPIs: EL2 physical %u, virtual %u, EL1 physical %u; %lu Hz\n",
	       plat.timer.hyp_phys, plat.timer.virt, plat.timer.phys, arch_counter_freq());
}

static bool wait_online(unsigned id)
{
	uint64_t end = arch_counter() + arch_counter_freq() * CPU_ONLINE_TIMEOUT_MS / 1000;

	while (!__atomic_load_n(&percpu[id].online, __ATOMIC_ACQUIRE)) {
		if (arch_counter() > end)
			return false;
		arch_relax();
	}
	return true;
}

static unsigned cpus_start(void)
{
	unsigned online = 1;

	for (unsigned i = 0; i < plat.ncpus; i++) {
		percpu[i].id = i;
		percpu[i].mpidr = plat.cpu_mpidr[i];
	}
	percpu[0].online = true;
	for (unsigned i = 1; i < plat.ncpus; i++) {
		int rc = arch_cpu_start(i, plat.cpu_mpidr[i]);

		if (rc)
			printk("cpu: cpu%u (MPIDR 0x%lx): PSCI CPU_ON failed (%d), continuing without it\n",
			       i, plat.cpu_mpidr[i], rc);
		else if (!wait_online(i))
			printk("cpu: cpu%u (MPIDR 0x%lx): did not come online within %u ms, continuing without it\n",
			       i, plat.cpu_mpidr[i], CPU_ONLINE_TIMEOUT_MS);
		else
			online++;
	}
	if (plat.ncpus_ignored)
		printk("cpu: %u more CPUs in /cpus are beyond this build's limit of %u\n",
		       plat.ncpus_ignored, MV_MAX_CPUS);
	return online;
}

/* Create the VMs and start scheduling on every CPU. */
static __attribute__((noreturn)) void start_vms(const void *fdt, unsigned online)
{
	int err = arch_virt_init(&plat);

	if (err == MV_E_NOENT)
		boot_fail("gic", "the GIC has no virtual CPU interface (GICH/GICV) in the DTB");
	if (err || arch_cpu_init_virt(0))
		boot_fail("gic", "cannot initialise the GIC");
	if (vm_create_all(&sys, &plat, fdt, online))
		boot_fail("system", "a VM could not be created (see above)");
	/* The validator made sure there is one: it serves every domain's UART. */
	printk("console: the console cell, %s, takes the UART when it starts\n",
	       sys.vm[desc_console_holder(&sys)].name);
	__atomic_store_n(&vms_go, true, __ATOMIC_RELEASE);
	arch_sched_start();
}

void mv_main(paddr_t dtb, struct mem_range image)
{
	char err[192], serr[160];
	int rc = platform_parse((const void *)dtb, &plat, err, sizeof(err));
	int src = system_parse(system_dtb, &sys, serr, sizeof(serr));
	unsigned online;
	uint32_t psci;

	console_setup();
	printk("\nMicrovisor %s (%s) at EL2\n", MV_VERSION, MV_BUILD_ID);
	if (rc)
		boot_fail("dt", err);
	if (src)
		boot_fail("system", serr);
	if (cpus_order())
		boot_fail("dt", "/cpus: the boot CPU is not listed");
	printk("dt: %s: host DTB at 0x%lx, console %s at 0x%lx\n", plat.model, dtb,
	       plat.uart_path, plat.uart.base);
	printk("mem: image at 0x%lx-0x%lx\n", image.base, image.base + image.size - 1);
	memory_setup(dtb, image);
	gic_report();
	psci = arch_psci_version();
	printk("psci: firmware PSCI %u.%u via SMC\n", psci >> 16, psci & 0xffff);
	online = cpus_start();
	printk("microvisor: Microvisor %s: %u CPU%s online, GICv%u, %lu MiB RAM\n",
	       MV_VERSION, online, online == 1 ? "" : "s", plat.gic.version,
	       platform_mem_total(&plat) >> 20);
	printk("system: %s: %u domain%s\n", sys.name, sys.ndomains,
	       sys.ndomains == 1 ? "" : "s");
	if (!strcmp(sys.selftest, "el2-crash")) {
		printk("selftest: el2-crash: loading from an unmapped address at EL2\n");
		arch_selftest_crash();
	}
	if (!sys.ndomains) {
		printk("microvisor: nothing left to run, powering off\n");
		arch_system_off();
	}
	start_vms((const void *)dtb, online);
}

void mv_secondary_main(unsigned id)
{
	printk("cpu%u: online (MPIDR 0x%lx)\n", id, arch_cpu_mpidr());
	__atomic_store_n(&this_cpu()->online, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&vms_go, __ATOMIC_ACQUIRE))
		arch_relax();
	if (arch_cpu_init_virt(id)) {
		printk("cpu%u: cannot set up its GIC interface; it stays idle\n", id);
		arch_halt();
	}
	arch_sched_start();
}
