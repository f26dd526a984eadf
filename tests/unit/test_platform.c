// SPDX-License-Identifier: MIT
/*
 * platform_parse() against real QEMU virt DTBs and broken variants of them,
 * all made by tests/unit/make-dtbs.sh into $MV_TEST_DTBS.  Valid trees must
 * parse to exactly what QEMU's virt machine has; broken ones must fail with
 * exactly the message a person would read in the boot log.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libfdt.h>

#include <mv/errno.h>
#include <mv/platform.h>

/* Any UBSan report aborts the run (ASan's already do), so it fails `make
 * unit` instead of scrolling past. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static const char *dtb_dir;

/*
 * Load OUTDIR/name.dtb.  platform_parse() takes no length: like the kernel,
 * it trusts the header's totalsize.  The buffer is therefore as large as the
 * header claims (the bytes past the end of the file are zero, a model of the
 * memory after a truncated blob), and never smaller than a header, so a
 * broken file can make the parser fail but never read outside the buffer.
 */
static void *load_dtb(const char *name)
{
	char path[512];
	unsigned char hdr[sizeof(struct fdt_header)] = { 0 };
	struct stat st;
	size_t size, alloc, got;
	unsigned char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dtb", dtb_dir, name);
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st))
		fail_msg("cannot open %s: %s (run tests/unit/make-dtbs.sh %s)", path,
			 strerror(errno), dtb_dir);
	size = (size_t)st.st_size;
	alloc = MAX(size, sizeof(hdr));
	if (fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr) &&
	    fdt_magic(hdr) == FDT_MAGIC && fdt_totalsize(hdr) < (64u << 20))
		alloc = MAX(alloc, (size_t)fdt_totalsize(hdr));
	rewind(f);
	buf = calloc(1, alloc);
	got = buf ? fread(buf, 1, size, f) : 0;
	fclose(f);
	if (!buf || got != size) {
		free(buf);
		fail_msg("cannot read %s", path);
		return NULL;	/* not reached: fail_msg() does not return */
	}
	return buf;
}

/* Parse name.dtb into *p; returns platform_parse's result. */
static int parse(const char *name, struct platform *p, char *err, size_t errlen)
{
	void *fdt = load_dtb(name);
	int rc;

	/* Dirty the output: platform_parse must start from scratch. */
	memset(p, 0xa5, sizeof(*p));
	rc = platform_parse(fdt, p, err, errlen);
	free(fdt);
	return rc;
}

static void assert_range(const char *what, struct mem_range got, uint64_t base, uint64_t size)
{
	if (got.base != base || got.size != size)
		fail_msg("%s: got [0x%llx, size 0x%llx], expected [0x%llx, size 0x%llx]", what,
			 (unsigned long long)got.base, (unsigned long long)got.size,
			 (unsigned long long)base, (unsigned long long)size);
}

/* ---- Valid trees --------------------------------------------------------- */

struct valid_case {
	const char *dtb;
	unsigned gic;		/* 2 or 3 */
	unsigned ncpus, ncpus_ignored;
	uint64_t mem;		/* one bank at 0x40000000 */
	const char *uart_path;	/* NULL: QEMU's "/pl011@9000000" */
	unsigned nreserved;
	struct mem_range reserved[2];
};

/* What every QEMU virt machine (virtualization=on) has. */
static void assert_qemu_virt(const struct platform *p, const struct valid_case *c)
{
	assert_string_equal(p->model, "linux,dummy-virt");

	assert_int_equal(p->ncpus, c->ncpus);
	assert_int_equal(p->ncpus_ignored, c->ncpus_ignored);
	for (unsigned i = 0; i < p->ncpus; i++)
		assert_int_equal(p->cpu_mpidr[i], i);	/* Aff0 = i, in order */

	assert_int_equal(p->nmem, 1);
	assert_range("mem[0]", p->mem[0], 0x40000000, c->mem);
	assert_int_equal(platform_mem_total(p), c->mem);

	assert_int_equal(p->nreserved, c->nreserved);
	for (unsigned i = 0; i < c->nreserved; i++)
		assert_range("reserved", p->reserved[i], c->reserved[i].base, c->reserved[i].size);

	assert_string_equal(p->uart_path, c->uart_path ? c->uart_path : "/pl011@9000000");
	assert_range("uart", p->uart, 0x9000000, 0x1000);

	assert_int_equal(p->gic.version, c->gic);
	assert_range("gic.dist", p->gic.dist, 0x8000000, 0x10000);
	if (c->gic == 3) {
		assert_range("gic.redist", p->gic.redist, 0x80a0000, 0xf60000);
		assert_int_equal(p->gic.nredist_regions, 1);
		/* QEMU's GICv3 node lists no GICC/GICH/GICV. */
		assert_range("gic.cpu", p->gic.cpu, 0, 0);
		assert_range("gic.hyp", p->gic.hyp, 0, 0);
		assert_range("gic.vcpu", p->gic.vcpu, 0, 0);
	} else {
		assert_range("gic.redist", p->gic.redist, 0, 0);
		assert_int_equal(p->gic.nredist_regions, 0);
		assert_range("gic.cpu", p->gic.cpu, 0x8010000, 0x10000);
		assert_range("gic.hyp", p->gic.hyp, 0x8030000, 0x10000);
		assert_range("gic.vcpu", p->gic.vcpu, 0x8040000, 0x10000);
	}
	assert_int_equal(p->gic.maint_irq, 25);		/* <1 9 4> */

	/* interrupts = <1 13 4  1 14 4  1 11 4  1 10 4> */
	assert_int_equal(p->timer.sec_phys, 29);
	assert_int_equal(p->timer.phys, 30);
	assert_int_equal(p->timer.virt, 27);
	assert_int_equal(p->timer.hyp_phys, 26);

	assert_int_equal(p->psci.conduit, PSCI_CONDUIT_SMC);
	assert_true(p->psci.v0_2);
}

static void test_valid(void **state)
{
	const struct valid_case *c = *state;
	struct platform p;
	char err[192];
	int rc = parse(c->dtb, &p, err, sizeof(err));

	if (rc != MV_OK)
		fail_msg("%s.dtb: platform_parse returned %d: %s", c->dtb, rc, err);
	assert_string_equal(err, "");
	assert_qemu_virt(&p, c);
}

#define GiB (1ULL << 30)
#define VALID(file, ...) \
	{ "valid " file, test_valid, NULL, NULL, \
	  &(struct valid_case){ .dtb = file, __VA_ARGS__ } }

/* ---- Broken trees -------------------------------------------------------- */

struct broken_case {
	const char *dtb;
	int rc;
	const char *msg;
	bool uart_parsed;	/* the console was found before the error */
};

static void test_broken(void **state)
{
	const struct broken_case *c = *state;
	struct platform p;
	char err[192];
	int rc = parse(c->dtb, &p, err, sizeof(err));

	assert_int_equal(rc, c->rc);
	assert_string_equal(err, c->msg);
	/* Parsed state survives the error, so the message can be printed. */
	if (c->uart_parsed)
		assert_range("uart", p.uart, 0x9000000, 0x1000);
}

#define BROKEN(file, code, message, uart) \
	{ "broken " file, test_broken, NULL, NULL, \
	  &(struct broken_case){ file, code, message, uart } }

/* ---- Other --------------------------------------------------------------- */

/* The optional interfaces come after all the redistributor regions. */
static void test_gic3_two_redist_regions(void **state)
{
	struct platform p;
	char err[192];
	int rc = parse("gic3-two-redist", &p, err, sizeof(err));

	(void)state;
	if (rc != MV_OK)
		fail_msg("platform_parse returned %d: %s", rc, err);
	assert_int_equal(p.gic.version, 3);
	assert_int_equal(p.gic.nredist_regions, 2);
	assert_range("gic.dist", p.gic.dist, 0x8000000, 0x10000);
	assert_range("gic.redist", p.gic.redist, 0x80a0000, 0xf60000);
	assert_range("gic.cpu", p.gic.cpu, 0x8010000, 0x10000);
	assert_range("gic.hyp", p.gic.hyp, 0x8030000, 0x10000);
	assert_range("gic.vcpu", p.gic.vcpu, 0x8040000, 0x10000);
	assert_int_equal(p.gic.maint_irq, 25);
}

/* The error buffer is never overrun and is always terminated. */
static void test_short_error_buffer(void **state)
{
	static const char full[] = "/psci: method: \"hvc\" cannot reach firmware from EL2 (need \"smc\")";
	struct platform p;
	char err[32];

	(void)state;
	for (size_t len = 1; len <= sizeof(err); len++) {
		memset(err, 'x', sizeof(err));
		assert_int_equal(parse("psci-hvc", &p, err, len), MV_E_INVAL);
		assert_int_equal(strlen(err), MIN(len - 1, strlen(full)));
		assert_memory_equal(err, full, strlen(err));
		for (size_t i = len; i < sizeof(err); i++)
			assert_int_equal(err[i], 'x');
	}
	/* Corrupt-tree and node-less messages take the other paths. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(parse("bad-magic", &p, err, 8), MV_E_INVAL);
	assert_string_equal(err, "corrupt");
	assert_int_equal(parse("no-memory", &p, err, 10), MV_E_INVAL);
	assert_string_equal(err, "no memory");
}

static void test_mem_total(void **state)
{
	struct platform p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(platform_mem_total(&p), 0);
	p.nmem = 3;
	p.mem[0].size = 0x40000000;
	p.mem[1].size = 0x400000000;
	p.mem[2].size = 0x1000;
	assert_int_equal(platform_mem_total(&p), 0x440001000ULL);
}

int main(void)
{
	struct stat st;
	const struct CMUnitTest tests[] = {
		VALID("gic2-smp1", .gic = 2, .ncpus = 1, .mem = 512 << 20),
		VALID("gic3-smp4", .gic = 3, .ncpus = 4, .mem = GiB),
		VALID("gic3-smp8-max", .gic = 3, .ncpus = 8, .mem = 4 * GiB),
		VALID("gic2-smp2-16g", .gic = 2, .ncpus = 2, .mem = 16 * GiB),
		VALID("gic3-smp12", .gic = 3, .ncpus = 8, .ncpus_ignored = 4, .mem = GiB),
		VALID("no-stdout-path", .gic = 3, .ncpus = 4, .mem = GiB),
		VALID("reserved", .gic = 3, .ncpus = 4, .mem = GiB, .nreserved = 2,
		      .reserved = { { 0x48000000, 0x10000 }, { 0x4e000000, 0x200000 } }),
		VALID("stdout-alias", .gic = 3, .ncpus = 4, .mem = GiB),
		VALID("bus-uart", .gic = 2, .ncpus = 1, .mem = 512 << 20,
		      .uart_path = "/soc/apb@80000000/serial@0"),

		BROKEN("no-timer", MV_E_INVAL,
		       "timer: node missing (no node compatible with \"arm,armv8-timer\")", true),
		BROKEN("timer-3-irqs", MV_E_INVAL,
		       "/timer: interrupts: has 36 bytes, need 4 entries of 3 cells (secure, non-secure, virtual, hypervisor)", true),
		BROKEN("timer-spi", MV_E_INVAL, "/timer: interrupts: entry 2 is not a PPI", true),
		BROKEN("no-psci", MV_E_INVAL,
		       "psci: node missing (no node compatible with \"arm,psci-0.2\" or \"arm,psci-1.0\")", true),
		BROKEN("psci-hvc", MV_E_INVAL,
		       "/psci: method: \"hvc\" cannot reach firmware from EL2 (need \"smc\")", true),
		BROKEN("psci-0.1", MV_E_INVAL,
		       "/psci: compatible: PSCI 0.1 only; need \"arm,psci-0.2\" or later", true),
		BROKEN("no-console", MV_E_INVAL,
		       "no console: /chosen/stdout-path is missing and no node is compatible with \"arm,pl011\"", false),
		BROKEN("stdout-nowhere", MV_E_INVAL,
		       "/chosen: stdout-path: \"/serial@1c090000\" names no node", false),
		BROKEN("stdout-not-pl011", MV_E_INVAL,
		       "/pl061@9030000: compatible: the console is not \"arm,pl011\", the one UART supported", false),
		BROKEN("bus-uart-outside", MV_E_INVAL,
		       "/soc/apb@80000000/serial@20000: reg: address 0x20000 is outside the parent's \"ranges\"", false),
		BROKEN("bus-uart-no-ranges", MV_E_INVAL,
		       "/soc/apb@80000000/serial@0: reg: parent bus has no \"ranges\": address cannot reach the CPU", false),
		BROKEN("no-gic", MV_E_INVAL,
		       "no interrupt controller: no interrupt-parent and no node compatible with \"arm,gic-v3\" or \"arm,gic-400\"", true),
		BROKEN("gic-dangling-parent", MV_E_INVAL,
		       "/: interrupt-parent: phandle 0x8005 names no node", true),
		BROKEN("gic2-one-reg", MV_E_INVAL,
		       "/intc@8000000: reg: has 1 entries, need at least 2 (distributor, CPU interface)", true),
		BROKEN("gic3-huge-redist-regions", MV_E_INVAL,
		       "/intc@8000000: reg: has 2 entries, need 2147483648 (distributor and 2147483647 redistributor regions)", true),
		BROKEN("no-memory", MV_E_INVAL,
		       "no memory: no node with device_type = \"memory\" and a non-empty reg", true),
		BROKEN("memory-bad-reg", MV_E_INVAL,
		       "/memory@40000000: reg: length 12 is not a multiple of 16 (#address-cells 2, #size-cells 2)", true),
		BROKEN("no-cpus", MV_E_INVAL, "/cpus: node missing", true),
		BROKEN("cpu-spin-table", MV_E_INVAL,
		       "/cpus/cpu@1: enable-method: \"spin-table\" is not supported (need \"psci\")", true),
		BROKEN("cpu-bad-reg", MV_E_INVAL,
		       "/cpus/cpu@2: reg: must be 1 cell(s) holding the MPIDR affinity", true),
		BROKEN("bad-magic", MV_E_INVAL, "corrupt device tree: FDT_ERR_BADMAGIC", false),
		BROKEN("truncated", MV_E_INVAL, "corrupt device tree: FDT_ERR_BADSTRUCTURE", false),
		BROKEN("truncated-header", MV_E_INVAL, "corrupt device tree: FDT_ERR_TRUNCATED", false),
		BROKEN("garbage-struct", MV_E_INVAL, "corrupt device tree: FDT_ERR_BADSTRUCTURE", false),
		BROKEN("empty", MV_E_INVAL, "corrupt device tree: FDT_ERR_BADMAGIC", false),

		cmocka_unit_test(test_gic3_two_redist_regions),
		cmocka_unit_test(test_short_error_buffer),
		cmocka_unit_test(test_mem_total),
	};

	dtb_dir = getenv("MV_TEST_DTBS");
	if (!dtb_dir || !*dtb_dir) {
		fprintf(stderr, "test_platform: MV_TEST_DTBS is not set; run `make unit`, or "
			"tests/unit/make-dtbs.sh DIR and MV_TEST_DTBS=DIR %s\n", "build/host/test_platform");
		return 1;
	}
	if (stat(dtb_dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "test_platform: MV_TEST_DTBS=%s: not a directory; run "
			"tests/unit/make-dtbs.sh %s first\n", dtb_dir, dtb_dir);
		return 1;
	}
	return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
