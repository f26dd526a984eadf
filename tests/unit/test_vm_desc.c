// SPDX-License-Identifier: MIT
/*
 * VM nodes of the system description (microvisor/vm_desc.c, through
 * system_parse() as the build and the boot run it): every example system
 * in the tree validates, a node using every property decodes as written,
 * and every rejected case gives its exact message.  Sources are compiled
 * here with dtc; a few cases dtc cannot write are patched at the byte
 * level.  Images are named by path only: system_parse() never opens them.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include <mv/errno.h>
#include <mv/system.h>

/* Any UBSan report aborts the run (ASan's already do). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static char tmpdir[] = "/tmp/mv-test-vm-desc.XXXXXX";
static const char *top = ".";	/* the source tree (make runs us there) */
static unsigned nfiles;
static void *blob;		/* the last one compiled: freed by the next, or teardown */
static size_t blob_size;	/* its file size */
static struct system sys;	/* the last parse's result */
static char err[256];		/* and its message */

/* Read a whole file into a buffer of at least a header's size. */
static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf;
	size_t got;

	if (!f || fstat(fileno(f), &st)) {
		fail_msg("cannot open %s: %s", path, strerror(errno));
		return NULL;	/* not reached: fail_msg() does not return */
	}
	buf = calloc(1, MAX((size_t)st.st_size, sizeof(struct fdt_header)));
	got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!buf || got != (size_t)st.st_size) {
		free(buf);
		fail_msg("cannot read %s", path);
		return NULL;
	}
	*size = (size_t)st.st_size;
	return buf;
}

/* Compile a .dts file with dtc; returns the blob (valid until the next). */
static void *compile_file(const char *dts)
{
	char cmd[1024], dtb[512];
	int rc;

	free(blob);
	blob = NULL;
	snprintf(dtb, sizeof(dtb), "%s/%u.dtb", tmpdir, nfiles++);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s'", dtb, dts);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("dtc failed (%d) on %s", rc, dts);
	blob = slurp(dtb, &blob_size);
	return blob;
}

/* Compile dts source text; returns the blob (valid until the next). */
static void *compile(const char *src)
{
	char dts[512];
	FILE *f;

	snprintf(dts, sizeof(dts), "%s/%u.dts", tmpdir, nfiles++);
	f = fopen(dts, "w");
	assert_non_null(f);
	fprintf(f, "/dts-v1/;\n%s\n", src);
	assert_int_equal(fclose(f), 0);
	return compile_file(dts);
}

/* system_parse() with a dirty result and error buffer: both must be
 * rewritten.  The result is left in sys and err. */
static int parse(const void *fdt)
{
	memset(&sys, 0xa5, sizeof(sys));
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return system_parse(fdt, &sys, err, sizeof(err));
}

/* The offset of the first occurrence of needle (n bytes) in the blob. */
static size_t find(const void *needle, size_t n)
{
	const uint8_t *p = blob;

	for (size_t i = 0; i + n <= blob_size; i++)
		if (!memcmp(p + i, needle, n))
			return i;
	fail_msg("byte pattern not found in the blob");
	return 0;
}

/* ---- Sources ------------------------------------------------------------- */

/* The domains, then the console cell every system with domains has. */
#define SYS(domains) \
	"/ { compatible = \"microvisor,system\"; model = \"t\";\n" \
	"	domains {\n" domains "\n" CONSOLE_CELL "	};\n};"
#define CONSOLE_CELL \
	"	con { compatible = \"microvisor,cell\"; memory = <0x0 0x40000000 0x0 0x400000>;\n" \
	"	      kernel = \"c\"; load-offset = <0x0 0x0>; caps { c { console; slot = <1>; }; }; };\n"
#define VM(props)	SYS("vm { " props " };")
#define COMPAT		"compatible = \"microvisor,vm\"; "
#define MEM		"memory = <0x0 0x40000000 0x0 0x400000>; "
#define KERNEL		"kernel = \"Image\"; "
/* The smallest valid VM, plus props. */
#define GOOD(props)	VM(COMPAT MEM KERNEL props)
/* ... with a memory property of its own. */
#define GOOD_MEM(mem)	VM(COMPAT KERNEL "memory = <" mem ">;")
#define DOMAIN(name)	name " { " COMPAT MEM KERNEL "}; "

/* ---- Every example validates ---------------------------------------------- */

/* Each domain system_parse() returns is a child of /domains, in order. */
static void check_domains(const char *path)
{
	int node = fdt_path_offset(blob, "/domains"), sub;
	unsigned n = 0;

	if (node >= 0) {
		fdt_for_each_subnode(sub, blob, node) {
			if (n >= sys.ndomains)
				fail_msg("%s: system_parse returned %u domains, the blob has more",
					 path, sys.ndomains);
			assert_string_equal(sys.vm[n].name, fdt_get_name(blob, sub, NULL));
			assert_string_equal(sys.vm[n].kernel, fdt_getprop(blob, sub, "kernel", NULL));
			n++;
		}
	}
	if (n != sys.ndomains)
		fail_msg("%s: system_parse returned %u domains, the blob has %u", path, sys.ndomains, n);
}

static void test_examples(void **state)
{
	const char *const patterns[] = { "dts/qemu-virt/*.dts", "tests/dts/*.dts", "tests/fuzz/seeds/*.dts" };
	unsigned checked = 0, vms = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
		char pattern[512];
		glob_t g;
		int rc;

		snprintf(pattern, sizeof(pattern), "%s/%s", top, patterns[i]);
		rc = glob(pattern, 0, NULL, &g);
		if (rc == GLOB_NOMATCH && i == ARRAY_SIZE(patterns) - 1)
			continue;	/* no extra fuzz seeds */
		if (rc)
			fail_msg("%s: no match (run from the top of the tree, or set MV_TOP)", pattern);
		for (size_t k = 0; k < g.gl_pathc; k++) {
			const char *path = g.gl_pathv[k];

			compile_file(path);
			if (parse(blob) != MV_OK)
				fail_msg("%s: %s", path, err);
			check_domains(path);
			assert_string_not_equal(sys.name, "(unnamed)");
			vms += sys.ndomains;
			checked++;
		}
		globfree(&g);
	}
	/* dts/qemu-virt: 3, tests/dts: 6 when this was written; with VMs. */
	assert_true(checked >= 9);
	assert_true(vms >= 8);
}

/* The default system, field by field. */
static void test_linux_dts(void **state)
{
	char path[512];
	const struct vm_desc *d = &sys.vm[0];

	(void)state;
	snprintf(path, sizeof(path), "%s/dts/qemu-virt/linux.dts", top);
	compile_file(path);
	assert_int_equal(parse(blob), MV_OK);
	assert_string_equal(sys.name, "linux");
	assert_int_equal(sys.ndomains, 2);	/* and the console cell */
	assert_string_equal(sys.vm[1].name, "console");
	assert_true(sys.vm[1].cell);
	assert_true(sys.vm[1].service);
	assert_int_equal(desc_console_holder(&sys), 1);
	assert_string_equal(d->name, "linux");
	assert_int_equal(d->nvcpus, 2);
	assert_false(d->pinned);
	assert_int_equal(d->priority, VM_DEFAULT_PRIORITY);
	assert_int_equal(d->mem_base, 0x40000000);
	assert_int_equal(d->mem_size, 0x10000000);
	assert_string_equal(d->kernel, "../../.cache/Image");
	assert_string_equal(d->initrd, "../../build/initramfs.cpio.gz");
	assert_non_null(strstr(d->bootargs, "console=ttyAMA0"));
	assert_false(d->raw);
	assert_int_equal(d->ndevices, 0);
}

/* ---- Valid nodes, decoded ------------------------------------------------- */

static void test_defaults(void **state)
{
	const struct vm_desc *d = &sys.vm[0];

	(void)state;
	assert_int_equal(parse(compile(GOOD(""))), MV_OK);
	assert_int_equal(sys.ndomains, 2);	/* and the console cell */
	assert_string_equal(d->name, "vm");
	assert_int_equal(d->nvcpus, 1);
	assert_false(d->pinned);
	assert_int_equal(d->priority, 100);
	assert_int_equal(d->mem_base, 0x40000000);
	assert_int_equal(d->mem_size, 0x400000);
	assert_string_equal(d->kernel, "Image");
	assert_null(d->initrd);
	assert_null(d->bootargs);
	assert_false(d->raw);
	assert_int_equal(d->load_offset, 0);
	assert_int_equal(d->entry_offset, 0);
	assert_int_equal(d->ndevices, 0);
}

static void test_every_property(void **state)
{
	const struct vm_desc *d = &sys.vm[0];

	(void)state;
	assert_int_equal(parse(compile(VM(
		"compatible = \"acme,guest\", \"microvisor,vm\";\n"
		"vcpus = <8>;\n"
		"cpus = <7 6 5 4 3 2 1 0>;\n"
		"priority = <255>;\n"
		"memory = <0x7f 0xffc00000 0x0 0x400000>;\n"	/* ends at 512 GiB exactly */
		"kernel = \"/abs/guest.bin\";\n"
		"initrd = \"rd.gz\";\n"
		"bootargs = \"console=ttyAMA0 quiet\";\n"
		"load-offset = <0x0 0x80000>;\n"
		"entry-offset = <0x0 0x3fffff>;\n"
		"devices = \"/pl031@9010000\", \"/a\", \"/b/c@1,2\", \"/d_e+f#g?h*\";\n"))), MV_OK);
	assert_int_equal(d->nvcpus, 8);
	assert_true(d->pinned);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(d->cpus[i], 7 - i);
	assert_int_equal(d->priority, 255);
	assert_int_equal(d->mem_base, 0x7fffc00000ULL);
	assert_int_equal(d->mem_size, 0x400000);
	assert_string_equal(d->kernel, "/abs/guest.bin");
	assert_string_equal(d->initrd, "rd.gz");
	assert_string_equal(d->bootargs, "console=ttyAMA0 quiet");
	assert_true(d->raw);
	assert_int_equal(d->load_offset, 0x80000);
	assert_int_equal(d->entry_offset, 0x3fffff);
	assert_int_equal(d->ndevices, 4);
	assert_string_equal(d->devices[0], "/pl031@9010000");
	assert_string_equal(d->devices[1], "/a");
	assert_string_equal(d->devices[2], "/b/c@1,2");
	assert_string_equal(d->devices[3], "/d_e+f#g?h*");
}

/* Raw image: entry-offset defaults to load-offset; bounds are inclusive. */
static void test_raw_entry_default(void **state)
{
	const struct vm_desc *d = &sys.vm[0];

	(void)state;
	assert_int_equal(parse(compile(GOOD("load-offset = <0x0 0x3fffff>;"))), MV_OK);
	assert_true(d->raw);
	assert_int_equal(d->load_offset, 0x3fffff);
	assert_int_equal(d->entry_offset, 0x3fffff);
	assert_int_equal(parse(compile(GOOD("load-offset = <0x0 0x0>; entry-offset = <0x0 0x0>;"))), MV_OK);
	assert_true(sys.vm[0].raw);
}

static void test_limits(void **state)
{
	(void)state;
	assert_int_equal(parse(compile(GOOD("vcpus = <1>; cpus = <0>; priority = <0>;"))), MV_OK);
	assert_int_equal(sys.vm[0].priority, 0);
	assert_true(sys.vm[0].pinned);
	assert_int_equal(parse(compile(GOOD("vcpus = <2>; cpus = <7 7>;"))), MV_OK);
	assert_int_equal(sys.vm[0].cpus[1], 7);
	/* Just above the device window. */
	assert_int_equal(parse(compile(GOOD_MEM("0x0 0x40000000 0x0 0x200000"))), MV_OK);
	/* Above 4 GiB, sizes above 4 GiB. */
	assert_int_equal(parse(compile(GOOD_MEM("0x10 0x0 0x2 0x200000"))), MV_OK);
	assert_int_equal(sys.vm[0].mem_base, 0x1000000000ULL);
	assert_int_equal(sys.vm[0].mem_size, 0x200200000ULL);
	/* Everything from 1 GiB to 512 GiB. */
	assert_int_equal(parse(compile(GOOD_MEM("0x0 0x40000000 0x7f 0xc0000000"))), MV_OK);
}

/* Five domains (four and the console cell), in order; all-empty
 * /domains is no domain. */
static void test_four_domains(void **state)
{
	(void)state;
	assert_int_equal(parse(compile(SYS(DOMAIN("a") DOMAIN("b2") DOMAIN("c-3") DOMAIN("d@4")))), MV_OK);
	assert_int_equal(sys.ndomains, 5);
	assert_string_equal(sys.vm[0].name, "a");
	assert_string_equal(sys.vm[1].name, "b2");
	assert_string_equal(sys.vm[2].name, "c-3");
	assert_string_equal(sys.vm[3].name, "d@4");
	assert_string_equal(sys.vm[4].name, "con");
	assert_int_equal(parse(compile("/ { compatible = \"microvisor,system\"; domains { }; };")), MV_OK);
	assert_int_equal(sys.ndomains, 0);
}

/* ---- Rejected, with their messages ------------------------------------------ */

struct bad_case {
	const char *src;
	const char *msg;
};

static void test_bad(void **state)
{
	const struct bad_case *c = *state;

	assert_int_equal(parse(compile(c->src)), MV_E_INVAL);
	assert_string_equal(err, c->msg);
}

#define BAD(name, source, message) \
	{ name, test_bad, NULL, NULL, &(struct bad_case){ source, message } }
#define E(prop, msg)	"/domains/vm: " prop ": " msg

#define MEMFMT	"must be <base-hi base-lo size-hi size-lo> (guest-physical), not "
#define STRING	"must be one non-empty string"
#define DEVPATH	"must be a list of host device tree paths"

/* ---- Byte-level cases: what dtc cannot write -------------------------------- */

/* A node name with a byte no device tree name holds: it would end up in
 * messages and log prefixes. */
static void test_node_name_byte(void **state)
{
	static const char pat[] = "\0\0\0\1vm";	/* FDT_BEGIN_NODE "vm" */

	(void)state;
	compile(GOOD(""));
	((char *)blob)[find(pat, sizeof(pat) - 1) + 5] = '\n';
	assert_int_equal(parse(blob), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: node name with byte 0x0a");
	/* The root's name is empty; any other empty one is corrupt ("vm\0\0"
	 * becomes "\0" and its padding). */
	compile(GOOD(""));
	memset((char *)blob + find(pat, sizeof(pat) - 1) + 4, 0, 4);
	assert_int_equal(parse(blob), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: empty node name");
}

static void test_property_name_byte(void **state)
{
	static const char pat[] = "bootargs";

	(void)state;
	compile(GOOD("bootargs = \"x\";"));
	((char *)blob)[find(pat, sizeof(pat) - 1) + 4] = 0x7f;	/* in the strings block */
	assert_int_equal(parse(blob), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: property name with byte 0x7f");
}

/* Regression (libFuzzer): a header of version 15 or older made libfdt
 * 1.6's fdt_check_full() dereference NULL (names were full paths then).
 * 16 has no structure block size; dtc writes 17. */
static void test_old_version(void **state)
{
	(void)state;
	for (uint32_t v = 2; v <= 16; v++) {
		compile(GOOD(""));
		fdt_set_version(blob, v);
		fdt_set_last_comp_version(blob, 2);
		assert_int_equal(parse(blob), MV_E_INVAL);
		assert_string_equal(err, "corrupt system description: FDT_ERR_BADVERSION");
	}
	compile(GOOD(""));
	fdt_set_last_comp_version(blob, 2);
	assert_int_equal(parse(blob), MV_OK);
}

/* Regression (libFuzzer): a property length of -12 to -9 made libfdt 1.6's
 * fdt_next_tag() step back onto the same tag: fdt_check_full() never
 * returned.  alarm() turns a hang into a failure. */
static void test_negative_prop_len(void **state)
{
	static const uint8_t pat[] = { 0, 0, 0, 3, 0, 0, 0, 6, };	/* FDT_PROP, "Image" */

	(void)state;
	alarm(10);
	for (uint32_t len = 0xfffffff0; len != 0; len++) {
		size_t at;

		compile(GOOD(""));
		at = find(pat, sizeof(pat)) + 4;
		fdt32_st((uint8_t *)blob + at, len);
		assert_int_equal(parse(blob), MV_E_INVAL);
		assert_string_equal(err, "corrupt system description: FDT_ERR_BADSTRUCTURE");
	}
	/* The value running one byte past the structure block's end. */
	compile(GOOD(""));
	{
		size_t at = find(pat, sizeof(pat)) + 4;	/* the length, in the blob */
		size_t off = at - fdt_off_dt_struct(blob);	/* in the block */

		fdt32_st((uint8_t *)blob + at, (uint32_t)(fdt_size_dt_struct(blob) - off - 8 + 1));
	}
	assert_int_equal(parse(blob), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: FDT_ERR_BADSTRUCTURE");
	alarm(0);
}

/* A message longer than the buffer is cut, terminated. */
static void test_short_error_buffer(void **state)
{
	char small[16];
	int rc;

	(void)state;
	compile(GOOD("bootarg = \"x\";"));
	memset(small, 'x', sizeof(small));
	rc = system_parse(blob, &sys, small, sizeof(small));
	assert_int_equal(rc, MV_E_INVAL);
	assert_string_equal(small, "/domains/vm: bo");
	rc = system_parse(blob, &sys, small, 1);
	assert_int_equal(rc, MV_E_INVAL);
	assert_string_equal(small, "");
	compile(GOOD("vcpus = <9>;"));
	memset(small, 'x', sizeof(small));
	assert_int_equal(system_parse(blob, &sys, small, 11), MV_E_INVAL);
	assert_string_equal(small, "/domains/v");
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	free(blob);
	blob = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_linux_dts),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_property),
		cmocka_unit_test(test_raw_entry_default),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_four_domains),

		/* compatible: checked first. */
		BAD("compatible missing", VM(MEM KERNEL),
		    E("compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"")),
		BAD("cell without load-offset", VM("compatible = \"microvisor,cell\"; " MEM KERNEL),
		    E("load-offset", "missing: a cell is a raw image (guests/native)")),
		BAD("compatible wrong", VM("compatible = \"microvisor,cel\"; " MEM KERNEL),
		    E("compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"")),
		BAD("compatible prefix only", VM("compatible = \"microvisor,vmm\"; " MEM KERNEL),
		    E("compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"")),
		BAD("compatible not a string", VM("compatible = <1>; " MEM KERNEL),
		    E("compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"")),
		BAD("compatible before typos", VM("compatible = \"x\"; bootarg = \"y\";"),
		    E("compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"")),

		/* Unknown properties and nodes: before any other check. */
		BAD("typo bootarg", GOOD("bootarg = \"console=ttyAMA0\";"),
		    E("bootarg", "unknown property")),
		BAD("typo before missing memory", VM(COMPAT KERNEL "vcpu = <2>;"),
		    E("vcpu", "unknown property")),
		BAD("host-style property", GOOD("reg = <0x0 0x40000000 0x0 0x400000>;"),
		    E("reg", "unknown property")),
		BAD("status", GOOD("status = \"okay\";"),
		    E("status", "unknown property")),
		BAD("child node", GOOD("console { };"),
		    "/domains/vm/console: unknown node"),
		BAD("child node with unit address", GOOD("memory@40000000 { };"),
		    "/domains/vm/memory@40000000: unknown node"),

		/* vcpus */
		BAD("vcpus 0", GOOD("vcpus = <0>;"), E("vcpus", "0 is out of range (1 to 8)")),
		BAD("vcpus 9", GOOD("vcpus = <9>;"), E("vcpus", "9 is out of range (1 to 8)")),
		BAD("vcpus -1", GOOD("vcpus = <0xffffffff>;"),
		    E("vcpus", "4294967295 is out of range (1 to 8)")),
		BAD("vcpus two cells", GOOD("vcpus = <0 2>;"),
		    E("vcpus", "must be one 32-bit cell, not 8 bytes")),
		BAD("vcpus one byte", GOOD("vcpus = [02];"),
		    E("vcpus", "must be one 32-bit cell, not 1 bytes")),
		BAD("vcpus empty", GOOD("vcpus;"),
		    E("vcpus", "must be one 32-bit cell, not 0 bytes")),
		BAD("vcpus string", GOOD("vcpus = \"2\";"),
		    E("vcpus", "must be one 32-bit cell, not 2 bytes")),

		/* cpus */
		BAD("cpus too few", GOOD("vcpus = <2>; cpus = <0>;"),
		    E("cpus", "has 1 CPU for 2 vCPUs (one physical CPU per vCPU)")),
		BAD("cpus too many", GOOD("cpus = <0 1>;"),
		    E("cpus", "has 2 CPUs for 1 vCPU (one physical CPU per vCPU)")),
		BAD("cpus too many for default vcpus", GOOD("cpus = <0 1 2 3 4 5 6 7 0>;"),
		    E("cpus", "has 9 CPUs for 1 vCPU (one physical CPU per vCPU)")),
		BAD("cpus empty", GOOD("vcpus = <3>; cpus;"),
		    E("cpus", "has 0 CPUs for 3 vCPUs (one physical CPU per vCPU)")),
		BAD("cpus bytes", GOOD("vcpus = <2>; cpus = [00 00 00 00 01];"),
		    E("cpus", "must be 32-bit cells (one physical CPU per vCPU), not 5 bytes")),
		BAD("cpus 8", GOOD("cpus = <8>;"), E("cpus", "CPU 8 is out of range (0 to 7)")),
		BAD("cpus second beyond", GOOD("vcpus = <2>; cpus = <1 12>;"),
		    E("cpus", "CPU 12 is out of range (0 to 7)")),
		BAD("cpus -1", GOOD("cpus = <0xffffffff>;"),
		    E("cpus", "CPU 4294967295 is out of range (0 to 7)")),
		BAD("cpus checked after vcpus", GOOD("vcpus = <9>; cpus = <0>;"),
		    E("vcpus", "9 is out of range (1 to 8)")),

		/* priority */
		BAD("priority 256", GOOD("priority = <256>;"), E("priority", "256 is out of range (0 to 255)")),
		BAD("priority -1", GOOD("priority = <0xffffffff>;"),
		    E("priority", "4294967295 is out of range (0 to 255)")),
		BAD("priority u64", GOOD("priority = /bits/ 64 <1>;"),
		    E("priority", "must be one 32-bit cell, not 8 bytes")),

		/* memory */
		BAD("memory missing", VM(COMPAT KERNEL), E("memory", "missing")),
		BAD("memory 32-bit cells", GOOD_MEM("0x40000000 0x400000"), E("memory", MEMFMT "8 bytes")),
		BAD("memory three cells", GOOD_MEM("0x0 0x40000000 0x400000"), E("memory", MEMFMT "12 bytes")),
		BAD("memory two ranges",
		    GOOD_MEM("0x0 0x40000000 0x0 0x400000 0x0 0x80000000 0x0 0x400000"),
		    E("memory", MEMFMT "32 bytes")),
		BAD("memory empty", VM(COMPAT KERNEL "memory;"), E("memory", MEMFMT "0 bytes")),
		BAD("memory zero size", GOOD_MEM("0x0 0x40000000 0x0 0x0"), E("memory", "size is zero")),
		BAD("memory unaligned base", GOOD_MEM("0x0 0x40100000 0x0 0x10000000"),
		    E("memory", "base 0x40100000 and size 0x10000000 must be 2 MiB aligned")),
		BAD("memory unaligned size", GOOD_MEM("0x0 0x40000000 0x0 0x100000"),
		    E("memory", "base 0x40000000 and size 0x100000 must be 2 MiB aligned")),
		BAD("memory page aligned", GOOD_MEM("0x0 0x40001000 0x0 0x1000"),
		    E("memory", "base 0x40001000 and size 0x1000 must be 2 MiB aligned")),
		BAD("memory at 0", GOOD_MEM("0x0 0x0 0x0 0x400000"),
		    E("memory", "base 0x0 overlaps the guest device window (below 0x40000000)")),
		BAD("memory just below 1 GiB", GOOD_MEM("0x0 0x3fe00000 0x0 0x400000"),
		    E("memory", "base 0x3fe00000 overlaps the guest device window (below 0x40000000)")),
		BAD("memory beyond 512 GiB", GOOD_MEM("0x7f 0xffe00000 0x0 0x400000"),
		    E("memory", "base 0x7fffe00000 and size 0x400000 end beyond the 512 GiB guest-physical space")),
		BAD("memory at 512 GiB", GOOD_MEM("0x80 0x0 0x0 0x200000"),
		    E("memory", "base 0x8000000000 and size 0x200000 end beyond the 512 GiB guest-physical space")),
		BAD("memory wraps", GOOD_MEM("0xffffffff 0xffe00000 0x0 0x400000"),
		    E("memory", "base 0xffffffffffe00000 and size 0x400000 end beyond the 512 GiB guest-physical space")),
		BAD("memory huge size", GOOD_MEM("0x0 0x40000000 0xffffffff 0xffe00000"),
		    E("memory", "base 0x40000000 and size 0xffffffffffe00000 end beyond the 512 GiB guest-physical space")),

		/* kernel, initrd, bootargs */
		BAD("kernel missing", VM(COMPAT MEM), E("kernel", "missing")),
		BAD("kernel empty string", VM(COMPAT MEM "kernel = \"\";"), E("kernel", STRING)),
		BAD("kernel boolean", VM(COMPAT MEM "kernel;"), E("kernel", STRING)),
		BAD("kernel a cell", VM(COMPAT MEM "kernel = <0x496d6167>;"), E("kernel", STRING)),
		BAD("kernel unterminated", VM(COMPAT MEM "kernel = [49 6d 61 67 65];"), E("kernel", STRING)),
		BAD("kernel two strings", VM(COMPAT MEM "kernel = \"Image\", \"Image.gz\";"), E("kernel", STRING)),
		BAD("initrd empty string", GOOD("initrd = \"\";"), E("initrd", STRING)),
		BAD("initrd boolean", GOOD("initrd;"), E("initrd", STRING)),
		BAD("initrd a cell", GOOD("initrd = <0>;"), E("initrd", STRING)),
		BAD("initrd two strings", GOOD("initrd = \"a\", \"b\";"), E("initrd", STRING)),
		BAD("bootargs empty string", GOOD("bootargs = \"\";"), E("bootargs", STRING)),
		BAD("bootargs unterminated", GOOD("bootargs = [71 75 69 65 74];"), E("bootargs", STRING)),
		BAD("bootargs two strings", GOOD("bootargs = \"quiet\", \"debug\";"), E("bootargs", STRING)),
		BAD("bootargs a cell", GOOD("bootargs = <1>;"), E("bootargs", STRING)),

		/* load-offset, entry-offset */
		BAD("entry-offset alone", GOOD("entry-offset = <0x0 0x0>;"),
		    E("entry-offset", "only for raw images (give load-offset too)")),
		BAD("load-offset 32-bit", GOOD("load-offset = <0x0>;"),
		    E("load-offset", "must be <hi lo> (a 64-bit value), not 4 bytes")),
		BAD("load-offset empty", GOOD("load-offset;"),
		    E("load-offset", "must be <hi lo> (a 64-bit value), not 0 bytes")),
		BAD("entry-offset three cells", GOOD("load-offset = <0x0 0x0>; entry-offset = <0x0 0x0 0x0>;"),
		    E("entry-offset", "must be <hi lo> (a 64-bit value), not 12 bytes")),
		BAD("load-offset at the end of memory", GOOD("load-offset = <0x0 0x400000>;"),
		    E("load-offset", "0x400000 is beyond memory (size 0x400000)")),
		BAD("load-offset above 4 GiB", GOOD("load-offset = <0x1 0x0>;"),
		    E("load-offset", "0x100000000 is beyond memory (size 0x400000)")),
		BAD("load-offset an address", GOOD("load-offset = <0x0 0x40080000>;"),
		    E("load-offset", "0x40080000 is beyond memory (size 0x400000)")),
		BAD("entry-offset beyond memory", GOOD("load-offset = <0x0 0x0>; entry-offset = <0x0 0x400000>;"),
		    E("entry-offset", "0x400000 is beyond memory (size 0x400000)")),
		BAD("entry-offset -1", GOOD("load-offset = <0x0 0x0>; entry-offset = <0xffffffff 0xffffffff>;"),
		    E("entry-offset", "0xffffffffffffffff is beyond memory (size 0x400000)")),

		/* devices */
		BAD("devices relative", GOOD("devices = \"pl031@9010000\";"),
		    E("devices", "\"pl031@9010000\" is not an absolute path in the host device tree")),
		BAD("devices alias", GOOD("devices = \"/pl031@9010000\", \"rtc0\";"),
		    E("devices", "\"rtc0\" is not an absolute path in the host device tree")),
		BAD("devices empty entry", GOOD("devices = \"/a\", \"\", \"/b\";"),
		    E("devices", "\"\" is not an absolute path in the host device tree")),
		BAD("devices five", GOOD("devices = \"/a\", \"/b\", \"/c\", \"/d\", \"/e\";"),
		    E("devices", "more than 4 devices")),
		BAD("devices empty string", GOOD("devices = \"\";"), E("devices", DEVPATH)),
		BAD("devices boolean", GOOD("devices;"), E("devices", DEVPATH)),
		BAD("devices a cell", GOOD("devices = <0x2f610000>, <1>;"), E("devices", DEVPATH)),
		BAD("devices unterminated", GOOD("devices = [2f 61];"), E("devices", DEVPATH)),
		BAD("devices newline", GOOD("devices = \"/pl031\\n\";"),
		    E("devices", "entry 1 has byte 0x0a, not a device tree path character")),
		BAD("devices space", GOOD("devices = \"/a\", \"/pl031 @9010000\";"),
		    E("devices", "entry 2 has byte 0x20, not a device tree path character")),

		/* Domains and /domains itself */
		BAD("six domains",
		    SYS(DOMAIN("a") DOMAIN("b") DOMAIN("c") DOMAIN("d") DOMAIN("e")),
		    "/domains: more than 5 domains"),
		BAD("second domain named", SYS(DOMAIN("first") "second { " COMPAT KERNEL "};"),
		    "/domains/second: memory: missing"),
		BAD("/domains property", SYS("#address-cells = <1>; " DOMAIN("a")),
		    "/domains: #address-cells: unknown property"),
		BAD("model not a string", "/ { compatible = \"microvisor,system\"; model = <1>; };",
		    "/: model: must be one non-empty string"),
		BAD("model empty", "/ { compatible = \"microvisor,system\"; model = \"\"; };",
		    "/: model: must be one non-empty string"),

		cmocka_unit_test(test_node_name_byte),
		cmocka_unit_test(test_property_name_byte),
		cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_negative_prop_len),
		cmocka_unit_test(test_short_error_buffer),
	};
	const char *env = getenv("MV_TOP");

	if (env && *env)
		top = env;
	return cmocka_run_group_tests_name("vm_desc", tests, setup, teardown);
}
