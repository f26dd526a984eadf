// SPDX-License-Identifier: MIT
/*
 * system_parse() on system descriptions compiled here with dtc: the real
 * dts/qemu-virt/empty.dts, and small sources written inline below, each
 * next to the exact result or message it must give.
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
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include <mv/errno.h>
#include <mv/system.h>

/* Any UBSan report aborts the run (ASan's already do), so it fails `make
 * unit` instead of scrolling past. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static char tmpdir[] = "/tmp/mv-test-system.XXXXXX";
static const char *top = ".";	/* the source tree (make runs us there) */
static unsigned nfiles;
static void *blob;	/* the last one compiled: freed by the next, or teardown */

/* Read a whole file into a buffer of at least a header's size (zeros past
 * the end of the file). */
static void *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf;
	size_t got;

	if (!f || fstat(fileno(f), &st))
		fail_msg("cannot open %s: %s", path, strerror(errno));
	buf = calloc(1, MAX((size_t)st.st_size, sizeof(struct fdt_header)));
	got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!buf || got != (size_t)st.st_size) {
		free(buf);
		fail_msg("cannot read %s", path);
		return NULL;	/* not reached: fail_msg() does not return */
	}
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
	blob = read_file(dtb);
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

/* Parse with a dirty struct and error buffer: both must be rewritten. */
static int parse(const void *fdt, struct system *s, char *err, size_t errlen)
{
	memset(s, 0xa5, sizeof(*s));
	memset(err, 'x', errlen);
	err[errlen - 1] = '\0';
	return system_parse(fdt, s, err, errlen);
}

/* ---- Valid ----------------------------------------------------------------- */

static void test_empty_dts(void **state)
{
	char path[512], err[160];
	struct system s;
	void *fdt;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/dts/qemu-virt/empty.dts", top);
	if (access(path, R_OK))
		fail_msg("%s: %s (run from the top of the tree, or set MV_TOP)", path, strerror(errno));
	fdt = compile_file(path);
	rc = parse(fdt, &s, err, sizeof(err));
	if (rc != MV_OK)
		fail_msg("empty.dts: system_parse returned %d: %s", rc, err);
	assert_string_equal(s.name, "empty");
	assert_int_equal(s.ndomains, 0);
	assert_int_equal(s.early_uart.base, 0x9000000);
	assert_int_equal(s.early_uart.size, 0x1000);
	assert_string_equal(s.selftest, "");
}

static void test_minimal(void **state)
{
	void *fdt = compile("/ { compatible = \"microvisor,system\"; };");
	char err[160];
	struct system s;

	(void)state;
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_OK);
	assert_string_equal(s.name, "(unnamed)");
	assert_int_equal(s.ndomains, 0);
	assert_int_equal(s.early_uart.base, 0);
	assert_int_equal(s.early_uart.size, 0);
	assert_string_equal(s.selftest, "");
}

static void test_full(void **state)
{
	void *fdt = compile(
		"/ {\n"
		"	compatible = \"acme,board-system\", \"microvisor,system\";\n"
		"	model = \"everything\";\n"
		"	#address-cells = <2>;\n"
		"	#size-cells = <2>;\n"
		"	chosen {\n"
		"		microvisor,early-uart = <0x1 0x1c090000>;\n"
		"		microvisor,selftest = \"el2-crash\";\n"
		"	};\n"
		"	domains { };\n"
		"};");
	char err[160];
	struct system s;

	(void)state;
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_OK);
	assert_string_equal(s.name, "everything");
	assert_int_equal(s.ndomains, 0);
	assert_int_equal(s.early_uart.base, 0x11c090000ULL);
	assert_int_equal(s.early_uart.size, 0x1000);
	assert_string_equal(s.selftest, "el2-crash");
}

/* ---- Invalid ----------------------------------------------------------------- */

struct bad_case {
	const char *src;
	const char *msg;
};

static void test_bad(void **state)
{
	const struct bad_case *c = *state;
	void *fdt = compile(c->src);
	char err[160];
	struct system s;

	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, c->msg);
}

#define ROOT	"compatible = \"microvisor,system\";"
#define BAD(name, source, message) \
	{ name, test_bad, NULL, NULL, &(struct bad_case){ source, message } }

/* Take a valid blob and break its header. */
static void test_corrupt(void **state)
{
	void *fdt = compile("/ { " ROOT " model = \"x\"; };");
	uint32_t size = fdt_totalsize(fdt);
	char err[160];
	struct system s;

	(void)state;
	/* Truncated: the header says the blob ends halfway through. */
	fdt_set_totalsize(fdt, size / 2);
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: FDT_ERR_TRUNCATED");
	fdt_set_totalsize(fdt, size);
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_OK);
	/* Bad magic. */
	((uint8_t *)fdt)[0] ^= 0xff;
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: FDT_ERR_BADMAGIC");
	/* All zeros: what an empty .package section would hold. */
	memset(fdt, 0, sizeof(struct fdt_header));
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: FDT_ERR_BADMAGIC");
}

/* A garbage structure block. */
static void test_corrupt_struct(void **state)
{
	void *fdt = compile("/ { " ROOT " chosen { }; };");
	uint8_t *p = fdt;
	char err[160];
	struct system s;

	(void)state;
	/* The root node's FDT_BEGIN_NODE tag. */
	assert_int_equal(fdt32_ld((const fdt32_t *)(p + fdt_off_dt_struct(fdt))), FDT_BEGIN_NODE);
	memset(p + fdt_off_dt_struct(fdt), 0xee, 4);
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, "corrupt system description: FDT_ERR_BADSTRUCTURE");
}

/* The error buffer is bounded and terminated. */
static void test_short_error_buffer(void **state)
{
	void *fdt = compile("/ { " ROOT " chosen { microvisor,early-uart = <0x9000000>; }; };");
	char err[8];
	struct system s;

	(void)state;
	assert_int_equal(parse(fdt, &s, err, sizeof(err)), MV_E_INVAL);
	assert_string_equal(err, "/chosen");
	assert_int_equal(parse(fdt, &s, err, 1), MV_E_INVAL);
	assert_string_equal(err, "");
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
		cmocka_unit_test(test_empty_dts),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),

		BAD("wrong compatible", "/ { compatible = \"linux,dummy-virt\"; };",
		    "/: compatible: must be \"microvisor,system\""),
		BAD("no compatible", "/ { model = \"x\"; };",
		    "/: compatible: must be \"microvisor,system\""),
		BAD("compatible checked first", "/ { compatible = \"x\"; typo; oops { }; };",
		    "/: compatible: must be \"microvisor,system\""),
		BAD("unknown root property", "/ { " ROOT " modle = \"typo\"; };",
		    "/: modle: unknown property"),
		BAD("unknown node", "/ { " ROOT " domain { }; };",
		    "/domain: unknown node"),
		BAD("unknown node with unit address", "/ { " ROOT " memory@40000000 { }; };",
		    "/memory@40000000: unknown node"),
		BAD("unknown /chosen property", "/ { " ROOT " chosen { stdout-path = \"serial0\"; }; };",
		    "/chosen: stdout-path: unknown property"),
		BAD("unknown /chosen node", "/ { " ROOT " chosen { microvisor,selftest { }; }; };",
		    "/chosen/microvisor,selftest: unknown node"),
		BAD("early-uart 32-bit", "/ { " ROOT " chosen { microvisor,early-uart = <0x9000000>; }; };",
		    "/chosen: microvisor,early-uart: must be <hi lo> (a 64-bit physical address), not 4 bytes"),
		BAD("early-uart with a size", "/ { " ROOT " chosen { microvisor,early-uart = <0x0 0x9000000 0x1000>; }; };",
		    "/chosen: microvisor,early-uart: must be <hi lo> (a 64-bit physical address), not 12 bytes"),
		BAD("early-uart empty", "/ { " ROOT " chosen { microvisor,early-uart; }; };",
		    "/chosen: microvisor,early-uart: must be <hi lo> (a 64-bit physical address), not 0 bytes"),
		BAD("unknown selftest", "/ { " ROOT " chosen { microvisor,selftest = \"el3-crash\"; }; };",
		    "/chosen: microvisor,selftest: unknown test (known: el2-crash)"),
		BAD("selftest empty string", "/ { " ROOT " chosen { microvisor,selftest = \"\"; }; };",
		    "/chosen: microvisor,selftest: unknown test (known: el2-crash)"),
		BAD("selftest boolean", "/ { " ROOT " chosen { microvisor,selftest; }; };",
		    "/chosen: microvisor,selftest: unknown test (known: el2-crash)"),
		BAD("selftest unterminated", "/ { " ROOT " chosen { microvisor,selftest = [65 6c 32 2d 63 72 61 73 68]; }; };",
		    "/chosen: microvisor,selftest: unknown test (known: el2-crash)"),

		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_corrupt_struct),
		cmocka_unit_test(test_short_error_buffer),
	};
	const char *env = getenv("MV_TOP");

	if (env && *env)
		top = env;
	return cmocka_run_group_tests_name("system", tests, setup, teardown);
}
