// SPDX-License-Identifier: MIT
/*
 * Windows and supervisors of the system description (microvisor/
 * fault_desc.c, through system_parse() as the build and the boot run it):
 * valid nodes decode as written, every rejected case gives its exact
 * message.  And the fault messages and replies as the ABI lays them out
 * (microvisor/fault_msg.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define FAULT_ENCODING_ONLY
#include <mv/errno.h>
#include <mv/fault.h>
#include <mv/system.h>

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static char tmpdir[] = "/tmp/mv-test-fault-desc.XXXXXX";
static unsigned nfiles;
static void *blob;
static struct system sys;
static char err[256];

/* Compile dts source text with dtc and parse it; the result in sys/err. */
static int parse_src(const char *src)
{
	char dts[512], dtb[512], cmd[1200];
	struct stat st;
	FILE *f;

	snprintf(dts, sizeof(dts), "%s/%u.dts", tmpdir, nfiles);
	snprintf(dtb, sizeof(dtb), "%s/%u.dtb", tmpdir, nfiles++);
	f = fopen(dts, "w");
	assert_non_null(f);
	fprintf(f, "/dts-v1/;\n%s\n", src);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s'", dtb, dts);
	if (system(cmd))
		fail_msg("dtc failed on:\n%s", src);
	f = fopen(dtb, "rb");
	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	free(blob);
	blob = calloc(1, (size_t)st.st_size);
	assert_non_null(blob);
	assert_int_equal(fread(blob, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	memset(&sys, 0xa5, sizeof(sys));
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return system_parse(blob, &sys, err, sizeof(err));
}

/* A VM "vm" with child nodes, cells "srv" and "sup", a VM "other", the
 * console cell "con" (con_caps: its caps besides the console), and a
 * channel that takes slot 3 of srv. */
#define SYSTEM(children) SYSTEM_CON(children, "")
#define SYSTEM_CON(children, con_caps)						\
	"/ { compatible = \"microvisor,system\"; model = \"t\";\n"		\
	"  domains {\n"								\
	"    vm { compatible = \"microvisor,vm\"; vcpus = <2>; kernel = \"k\";\n"	\
	"         memory = <0x0 0x40000000 0x0 0x400000>;\n" children " };\n"	\
	"    srv { compatible = \"microvisor,cell\"; kernel = \"s\"; load-offset = <0 0>;\n" \
	"          memory = <0x0 0x40000000 0x0 0x400000>; };\n"		\
	"    sup { compatible = \"microvisor,cell\"; kernel = \"p\"; load-offset = <0 0>;\n" \
	"          memory = <0x0 0x40000000 0x0 0x400000>; };\n"		\
	"    other: other { compatible = \"microvisor,vm\"; kernel = \"o\";\n"		\
	"            memory = <0x0 0x40000000 0x0 0x400000>; };\n"		\
	"    con { compatible = \"microvisor,cell\"; kernel = \"c\"; load-offset = <0 0>;\n" \
	"          memory = <0x0 0x40000000 0x0 0x400000>;\n"			\
	"          caps { console { console; slot = <1>; }; " con_caps " }; };\n"	\
	"  };\n"								\
	"  channels { c { compatible = \"microvisor,channel\"; from = \"srv\"; from-slot = <3>;\n" \
	"                 to = \"other\"; to-slot = <0>; }; };\n"		\
	"};"
#define WINDOW(name, props)	name " { compatible = \"microvisor,window\"; " props " };\n"
#define REG			"reg = <0x0 0x0a000000 0x0 0x1000>; "
#define SERVED			"server = \"srv\"; server-slot = <1>; "
#define SUPERVISOR(props)	"supervisor { compatible = \"microvisor,supervisor\"; " props " };\n"

static void test_valid(void **state)
{
	const struct fault_desc *w, *s;

	(void)state;
	assert_int_equal(parse_src(SYSTEM(
		WINDOW("regs@a000000", REG SERVED "badge = <0x77>; interrupt = <63>;")
		WINDOW("b", "reg = <0x0 0x3fff0000 0x0 0x10000>; server = \"srv\"; server-slot = <15>;")
		SUPERVISOR("server = \"sup\"; server-slot = <0>; badge = <0xffffffff>;"))), MV_OK);
	assert_int_equal(sys.nfaults, 3 + 4);	/* and the UARTs of all but con */
	w = &sys.fault[0];
	assert_string_equal(w->name, "regs@a000000");
	assert_false(w->supervisor);
	assert_int_equal(w->client, 0);
	assert_int_equal(w->server, 1);
	assert_int_equal(w->server_slot, 1);
	assert_int_equal(w->badge, 0x77);
	assert_int_equal(w->base, 0x0a000000);
	assert_int_equal(w->size, 0x1000);
	assert_int_equal(w->spi, 63);
	assert_false(w->virtio);
	assert_int_equal(sys.fault[1].spi, 0);			/* none by default */
	assert_int_equal(sys.fault[1].base, 0x3fff0000);	/* ends just below RAM */
	assert_int_equal(sys.fault[1].badge, 0);
	s = &sys.fault[2];
	assert_true(s->supervisor);
	assert_int_equal(s->server, 2);
	assert_int_equal(s->server_slot, 0);
	assert_int_equal(s->badge, 0xffffffff);
	assert_int_equal(s->size, 0);
	/* Every domain's UART is a window served by the console cell. */
	for (unsigned i = 0; i < 4; i++) {
		w = &sys.fault[3 + i];
		assert_string_equal(w->name, "uart");
		assert_false(w->supervisor);
		assert_int_equal(w->client, i);
		assert_int_equal(w->server, 4);
		assert_int_equal(w->server_slot, MV_CONSOLE_UART_SLOT(i));
		assert_int_equal(w->badge, i);
		assert_int_equal(w->base, 0x09000000);
		assert_int_equal(w->size, 0x1000);
		assert_int_equal(w->spi, 1);
	}
	/* Between the emulated devices: just after the GICv3 redistributors
	 * of 2 vCPUs, just before and after the UART. */
	assert_int_equal(parse_src(SYSTEM(WINDOW("w", "reg = <0x0 0x080e0000 0x0 0x1000>; " SERVED)
					  WINDOW("x", "reg = <0x0 0x08fff000 0x0 0x1000>; server = \"srv\"; server-slot = <2>;")
					  WINDOW("y", "reg = <0x0 0x09001000 0x0 0x1000>; server = \"sup\"; server-slot = <2>;"))),
			 MV_OK);
	assert_int_equal(sys.nfaults, 3 + 4);
	/* A virtio-mmio window: a flag, with its interrupt. */
	assert_int_equal(parse_src(SYSTEM(WINDOW("virtio@a000000", REG SERVED "interrupt = <16>; virtio-mmio;"))),
			 MV_OK);
	assert_true(sys.fault[0].virtio);
	assert_int_equal(sys.fault[0].spi, 16);
}

/* The console cell is required, and its slots 4-8 are the UARTs'. */
static void test_uart_windows(void **state)
{
	(void)state;
	assert_int_equal(parse_src(SYSTEM_CON("", "x { console; slot = <2>; };")), MV_E_INVAL);
	assert_string_equal(err, "/domains/con/caps/x: console: already held by /domains/con/caps/console (a system has one console cell)");
	assert_int_equal(parse_src(SYSTEM_CON("", "r { virq = <&other 40>; slot = <6>; };")),
			 MV_E_INVAL);
	assert_string_equal(err, "/domains/con/caps/r: slot 6 of the console cell con serves the UART of sup (slots 4-8 are the domains' UARTs)");
	assert_int_equal(parse_src(
		"/ { compatible = \"microvisor,system\"; model = \"t\";\n"
		"  domains { vm { compatible = \"microvisor,vm\"; kernel = \"k\";\n"
		"    memory = <0x0 0x40000000 0x0 0x400000>; }; }; };"), MV_E_INVAL);
	assert_string_equal(err, "/domains/vm: its PL011 needs the console cell, which serves every domain's UART: none holds the console capability (include dts/qemu-virt/console-cell.dtsi)");
	assert_int_equal(parse_src("/ { compatible = \"microvisor,system\"; model = \"t\"; };"), MV_OK);
	assert_int_equal(sys.nfaults, 0);
}

struct bad_case {
	const char *src;
	const char *msg;
};

static void test_bad(void **state)
{
	const struct bad_case *c = *state;

	assert_int_equal(parse_src(c->src), MV_E_INVAL);
	assert_string_equal(err, c->msg);
}

#define BAD(name, children, message) \
	{ name, test_bad, NULL, NULL, &(struct bad_case){ SYSTEM(children), message } }
/* A whole system's source, not a child of "vm". */
#define BAD_SRC(name, source, message) \
	{ name, test_bad, NULL, NULL, &(struct bad_case){ source, message } }
#define EW(prop, msg)	"/domains/vm/w: " prop ": " msg
#define ES(prop, msg)	"/domains/vm/supervisor: " prop ": " msg

/* ---- Encoding ------------------------------------------------------------- */

static void test_encode(void **state)
{
	struct fault_record r = {
		.info = MV_FAULT_WRITE | 4 << 8, .addr = 0x18, .value = 0xdeadbeef,
		.where = 0x0a000018, .syndrome = 0x93c28005, .va = 0x1234,
	};
	uint64_t x[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	(void)state;
	fault_msg_encode(&r, 0x77, 1, x);
	assert_int_equal(x[0], 0);	/* the result: the caller's */
	assert_int_equal(x[1], 0x77);
	assert_int_equal(x[2], 1);
	assert_int_equal(MV_FAULT_KIND(x[3]), MV_FAULT_WRITE);
	assert_int_equal(MV_FAULT_SIZE(x[3]), 4);
	assert_int_equal(MV_FAULT_REASON(x[3]), 0);
	assert_int_equal(x[4], 0x18);
	assert_int_equal(x[5], 0xdeadbeef);
	assert_int_equal(x[6], 0x0a000018);
	assert_int_equal(x[7], 0);	/* nothing of the architecture's leaks */
	r.info = MV_FAULT_CRASH | MV_CRASH_SERVER << 16;
	fault_msg_encode(&r, 2, 0, x);
	assert_int_equal(MV_FAULT_KIND(x[3]), MV_FAULT_CRASH);
	assert_int_equal(MV_FAULT_REASON(x[3]), MV_CRASH_SERVER);
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(fault_narrow(0x1122334455667788UL, 1), 0x88);
	assert_int_equal(fault_narrow(0x1122334455667788UL, 2), 0x7788);
	assert_int_equal(fault_narrow(0x1122334455667788UL, 4), 0x55667788);
	assert_int_equal(fault_narrow(0x1122334455667788UL, 8), 0x1122334455667788UL);
	/* ldrb, ldrsb x, ldrsb w */
	assert_int_equal(fault_load_extend(0xffa5, 1, false, false), 0xa5);
	assert_int_equal(fault_load_extend(0xffa5, 1, true, true), 0xffffffffffffffa5UL);
	assert_int_equal(fault_load_extend(0xffa5, 1, true, false), 0xffffffa5);
	assert_int_equal(fault_load_extend(0x7f, 1, true, true), 0x7f);
	/* ldrsh, ldrsw, ldr w of an 8-byte answer, ldr x */
	assert_int_equal(fault_load_extend(0x8001, 2, true, true), 0xffffffffffff8001UL);
	assert_int_equal(fault_load_extend(0x80000000, 4, true, true), 0xffffffff80000000UL);
	assert_int_equal(fault_load_extend(0x1122334455667788UL, 4, false, false), 0x55667788);
	assert_int_equal(fault_load_extend(0x8122334455667788UL, 8, true, true), 0x8122334455667788UL);
}

static void test_reply_check(void **state)
{
	(void)state;
	assert_int_equal(fault_reply_check(MV_FAULT_RESUME, 0, 1), MV_OK);
	assert_int_equal(fault_reply_check(MV_FAULT_RESET | MV_FAULT_THEN_RECV, 7, 8), MV_OK);
	assert_int_equal(fault_reply_check(MV_FAULT_ABORT, 1, 1), MV_ERR_INVAL);	/* vCPU */
	assert_int_equal(fault_reply_check(MV_FAULT_RESET + 1, 0, 1), MV_ERR_INVAL);	/* action */
	assert_int_equal(fault_reply_check(MV_FAULT_STOP | 0x200, 0, 1), MV_ERR_INVAL);	/* flags */
	assert_int_equal(fault_reply_check(1UL << 63, 0, 1), MV_ERR_INVAL);
	assert_int_equal(fault_reply_check(MV_FAULT_RESUME, ~0UL, 8), MV_ERR_INVAL);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	free(blob);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_uart_windows),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_reply_check),

		/* Which child nodes a domain may have. */
		BAD("child without compatible", "console { };", "/domains/vm/console: unknown node"),
		BAD("child with another compatible", "w { compatible = \"microvisor,channel\"; };",
		    EW("compatible", "must be \"microvisor,window\" or \"microvisor,supervisor\"")),
		BAD("unknown window property", WINDOW("w", REG SERVED "size = <1>;"),
		    EW("size", "unknown property")),
		BAD("reg on a supervisor", SUPERVISOR(REG SERVED),
		    ES("reg", "unknown property")),
		BAD("grandchild", WINDOW("w", REG SERVED "x { };"), "/domains/vm/w/x: unknown node"),
		BAD("two supervisors", SUPERVISOR(SERVED)
		    "s2 { compatible = \"microvisor,supervisor\"; server = \"sup\"; server-slot = <1>; };",
		    "/domains/vm/s2: a domain has one supervisor at most"),
		BAD("five windows",
		    WINDOW("a", "reg = <0 0x0a000000 0 0x1000>; server = \"srv\"; server-slot = <1>;")
		    WINDOW("b", "reg = <0 0x0a001000 0 0x1000>; server = \"srv\"; server-slot = <2>;")
		    WINDOW("c", "reg = <0 0x0a002000 0 0x1000>; server = \"srv\"; server-slot = <4>;")
		    WINDOW("d", "reg = <0 0x0a003000 0 0x1000>; server = \"srv\"; server-slot = <5>;")
		    WINDOW("w", "reg = <0 0x0a004000 0 0x1000>; server = \"srv\"; server-slot = <6>;"),
		    "/domains/vm/w: a domain has 4 windows at most"),

		/* virtio-mmio */
		BAD("virtio-mmio without interrupt", WINDOW("w", REG SERVED "virtio-mmio;"),
		    EW("virtio-mmio", "a virtio-mmio window needs an interrupt (the SPI its driver takes)")),
		BAD("virtio-mmio with a value", WINDOW("w", REG SERVED "interrupt = <16>; virtio-mmio = <1>;"),
		    EW("virtio-mmio", "must be empty (it is a flag), not 4 bytes")),
		BAD("virtio-mmio on a supervisor", SUPERVISOR(SERVED "virtio-mmio;"),
		    ES("virtio-mmio", "unknown property")),

		/* interrupt */
		BAD("interrupt 1 (the UART's)", WINDOW("w", REG SERVED "interrupt = <1>;"),
		    EW("interrupt", "SPI 1 is out of range (2 to 63; 1 is the UART's)")),
		BAD("interrupt 64", WINDOW("w", REG SERVED "interrupt = <64>;"),
		    EW("interrupt", "SPI 64 is out of range (2 to 63; 1 is the UART's)")),
		BAD("interrupt of two cells", WINDOW("w", REG SERVED "interrupt = <2 3>;"),
		    EW("interrupt", "must be one 32-bit cell, not 8 bytes")),
		BAD("two windows on one SPI", WINDOW("w", REG SERVED "interrupt = <16>;")
		    WINDOW("x", "reg = <0x0 0x0a001000 0x0 0x1000>; server = \"srv\"; server-slot = <2>; interrupt = <16>;"),
		    "/domains/vm/x: interrupt: SPI 16 of vm is already /domains/vm/w's interrupt (each SPI has one source)"),
		BAD("interrupt on a supervisor", SUPERVISOR(SERVED "interrupt = <2>;"),
		    ES("interrupt", "unknown property")),

		/* reg */
		BAD("reg missing", WINDOW("w", SERVED), EW("reg", "missing")),
		BAD("reg 32-bit cells", WINDOW("w", "reg = <0x0a000000 0x1000>; " SERVED),
		    EW("reg", "must be <base-hi base-lo size-hi size-lo> (guest-physical), not 8 bytes")),
		BAD("reg size zero", WINDOW("w", "reg = <0x0 0x0a000000 0x0 0x0>; " SERVED),
		    EW("reg", "size is zero")),
		BAD("reg base unaligned", WINDOW("w", "reg = <0x0 0x0a000800 0x0 0x1000>; " SERVED),
		    EW("reg", "base 0xa000800 and size 0x1000 must be 4 KiB aligned")),
		BAD("reg size unaligned", WINDOW("w", "reg = <0x0 0x0a000000 0x0 0x100>; " SERVED),
		    EW("reg", "base 0xa000000 and size 0x100 must be 4 KiB aligned")),
		BAD("reg in RAM", WINDOW("w", "reg = <0x0 0x40000000 0x0 0x1000>; " SERVED),
		    EW("reg", "window 0x40000000-0x40000fff must lie below 0x40000000 (guest RAM starts there)")),
		BAD("reg running into RAM", WINDOW("w", "reg = <0x0 0x3ffff000 0x0 0x2000>; " SERVED),
		    EW("reg", "window 0x3ffff000-0x40000fff must lie below 0x40000000 (guest RAM starts there)")),
		BAD("reg wrapping", WINDOW("w", "reg = <0xffffffff 0xfffff000 0x0 0x2000>; " SERVED),
		    EW("reg", "window 0xfffffffffffff000-0xfff must lie below 0x40000000 (guest RAM starts there)")),
		BAD("reg on the GIC distributor", WINDOW("w", "reg = <0x0 0x0800f000 0x0 0x1000>; " SERVED),
		    EW("reg", "window 0x800f000-0x800ffff overlaps the GIC distributor (0x8000000-0x800ffff)")),
		BAD("reg on the GICv2 CPU interface", WINDOW("w", "reg = <0x0 0x08011000 0x0 0x1000>; " SERVED),
		    EW("reg", "window 0x8011000-0x8011fff overlaps the GICv2 CPU interface (0x8010000-0x8011fff)")),
		BAD("reg on the redistributors", WINDOW("w", "reg = <0x0 0x080d0000 0x0 0x20000>; " SERVED),
		    EW("reg", "window 0x80d0000-0x80effff overlaps the GICv3 redistributors (0x80a0000-0x80dffff)")),
		BAD("reg on the UART", WINDOW("w", "reg = <0x0 0x08fff000 0x0 0x2000>; " SERVED),
		    EW("reg", "window 0x8fff000-0x9000fff overlaps the PL011 UART (0x9000000-0x9000fff)")),
		BAD_SRC("reg on a region",
		    "/ { compatible = \"microvisor,system\"; regions { r: r { compatible = \"microvisor,region\"; size = <0x0 0x2000>; }; };\n"
		    "  domains { vm { compatible = \"microvisor,vm\"; kernel = \"k\"; memory = <0x0 0x40000000 0x0 0x400000>;\n"
		    "    caps { shm { region = <&r>; slot = <2>; address = <0x0 0x09fff000>; }; };\n"
		    "    " WINDOW("w", REG SERVED) " };\n"
		    "  srv { compatible = \"microvisor,cell\"; kernel = \"s\"; load-offset = <0 0>; memory = <0x0 0x40000000 0x0 0x400000>; }; }; };",
		    EW("reg", "window 0xa000000-0xa000fff overlaps /domains/vm/caps/shm")),
		BAD_SRC("reg on a space",
		    "/ { compatible = \"microvisor,system\"; domains {\n"
		    "  vm: vm { compatible = \"microvisor,vm\"; kernel = \"k\"; memory = <0x0 0x40000000 0x0 0x400000>; };\n"
		    "  srv { compatible = \"microvisor,cell\"; kernel = \"s\"; load-offset = <0 0>; memory = <0x0 0x40000000 0x0 0x400000>;\n"
		    "    caps { mem { space = <&vm>; slot = <2>; address = <0x0 0x20000000>; }; };\n"
		    "    " WINDOW("w", "reg = <0x0 0x20100000 0x0 0x1000>; server = \"sup\"; server-slot = <1>;") " };\n"
		    "  sup { compatible = \"microvisor,cell\"; kernel = \"p\"; load-offset = <0 0>; memory = <0x0 0x40000000 0x0 0x400000>; }; }; };",
		    "/domains/srv/w: reg: window 0x20100000-0x20100fff overlaps /domains/srv/caps/mem"),
		BAD("windows overlapping", WINDOW("a", REG SERVED)
		    WINDOW("w", "reg = <0x0 0x09fff000 0x0 0x2000>; server = \"srv\"; server-slot = <2>;"),
		    EW("reg", "window 0x9fff000-0xa000fff overlaps /domains/vm/a")),

		/* server */
		BAD("server missing", WINDOW("w", REG "server-slot = <1>;"),
		    EW("server", "missing (the name of a cell)")),
		BAD("server not a string", WINDOW("w", REG "server = <1>; server-slot = <1>;"),
		    EW("server", "must be one domain name")),
		BAD("server two strings", WINDOW("w", REG "server = \"srv\", \"sup\"; server-slot = <1>;"),
		    EW("server", "must be one domain name")),
		BAD("server unknown", WINDOW("w", REG "server = \"nobody\"; server-slot = <1>;"),
		    EW("server", "no domain \"nobody\" in /domains")),
		BAD("server a VM", WINDOW("w", REG "server = \"other\"; server-slot = <1>;"),
		    EW("server", "\"other\" is a VM: only a cell answers faults")),
		BAD("server itself", WINDOW("w", REG "server = \"vm\"; server-slot = <1>;"),
		    EW("server", "a domain cannot answer its own faults")),
		BAD("supervisor unknown", SUPERVISOR("server = \"x\"; server-slot = <1>;"),
		    ES("server", "no domain \"x\" in /domains")),

		/* server-slot, badge */
		BAD("slot missing", WINDOW("w", REG "server = \"srv\";"), EW("server-slot", "missing")),
		BAD("slot two cells", WINDOW("w", REG "server = \"srv\"; server-slot = <0 1>;"),
		    EW("server-slot", "must be one 32-bit cell, not 8 bytes")),
		BAD("slot 16", WINDOW("w", REG "server = \"srv\"; server-slot = <16>;"),
		    EW("server-slot", "slot 16 is beyond the 16 a domain has")),
		BAD("slot of a channel", WINDOW("w", REG "server = \"srv\"; server-slot = <3>;"),
		    EW("server-slot", "slot 3 of srv is already taken by /channels/c")),
		BAD("slot of another window", WINDOW("a", REG SERVED)
		    WINDOW("w", "reg = <0x0 0x0b000000 0x0 0x1000>; " SERVED),
		    EW("server-slot", "slot 1 of srv is already taken by /domains/vm/a")),
		BAD("slot of a window, for a supervisor", WINDOW("a", REG SERVED) SUPERVISOR(SERVED),
		    ES("server-slot", "slot 1 of srv is already taken by /domains/vm/a")),
		BAD("badge 64-bit", WINDOW("w", REG SERVED "badge = <0 1>;"),
		    EW("badge", "must be one 32-bit cell, not 8 bytes")),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
