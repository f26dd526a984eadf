// SPDX-License-Identifier: MIT
/*
 * Regions, interrupts and the domains' "caps" nodes of the system
 * description (microvisor/cap_desc.c, with the channels' checks that know
 * about them), through system_parse() as the build and the boot run it: a
 * system using each kind decodes as written, and every rejected case gives
 * its exact message.  Sources are compiled here with dtc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include <mv/errno.h>
#include <mv/system.h>

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static char tmpdir[] = "/tmp/mv-test-cap-desc.XXXXXX";
static unsigned nfiles;
static uint8_t blob[64 * 1024];
static struct system sys;
static char err[256];

/* dtc's output for the source text, into blob. */
static void *compile(const char *src)
{
	char dts[512], cmd[1024];
	FILE *f;
	size_t got;

	snprintf(dts, sizeof(dts), "%s/%u.dts", tmpdir, nfiles++);
	f = fopen(dts, "w");
	assert_non_null(f);
	fprintf(f, "/dts-v1/;\n%s\n", src);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o - '%s'", dts);
	f = popen(cmd, "r");
	assert_non_null(f);
	got = fread(blob, 1, sizeof(blob), f);
	if (pclose(f) != 0 || got < sizeof(struct fdt_header))
		fail_msg("dtc failed on:\n%s", src);
	return blob;
}

static int parse(const void *fdt)
{
	memset(&sys, 0xa5, sizeof(sys));
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return system_parse(fdt, &sys, err, sizeof(err));
}

/* ---- Sources ------------------------------------------------------------- */

/* A region r (4 KiB of shared memory), an interrupt i, a cell c and a VM v
 * (labels as the names), a channel ch from c's slot 15 to v's slot 15;
 * the arguments come first in each node (properties before children, as
 * dtc wants them). */
#define SYSTEM(regions, irqs, cell_caps, vm_caps, channels)					\
	"/ { compatible = \"microvisor,system\"; model = \"t\";\n"				\
	"  regions { " regions "\n"								\
	"    r: r { compatible = \"microvisor,region\"; size = <0x0 0x1000>; }; };\n"		\
	"  irqs { " irqs "\n"									\
	"    i: i { compatible = \"microvisor,irq\"; device = \"/pl031@9010000\"; }; };\n"	\
	"  domains {\n"										\
	"    c: c { compatible = \"microvisor,cell\"; memory = <0x0 0x40000000 0x0 0x400000>;\n"	\
	"      kernel = \"k\"; load-offset = <0x0 0x0>; caps { " cell_caps " }; };\n"		\
	"    v: v { compatible = \"microvisor,vm\"; memory = <0x0 0x40000000 0x0 0x400000>;\n"	\
	"      kernel = \"k\"; caps { " vm_caps " }; };\n"					\
	"  };\n"										\
	"  channels { " channels "\n"								\
	"    ch: ch { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <15>;\n"	\
	"    to = \"v\"; to-slot = <15>; }; };\n"						\
	"};"
#define CELL_CAPS(caps)		SYSTEM("", "", caps, "", "")
#define VM_CAPS(caps)		SYSTEM("", "", "", caps, "")
#define REGIONS(regions)	SYSTEM(regions, "", "", "", "")
#define IRQS(irqs)		SYSTEM("", irqs, "", "", "")
#define CHANNELS(channels)	SYSTEM("", "", "", "", channels)
/* A capability node x holding props. */
#define X(props)		"x { " props " };"
/* The console capability, which a system with domains needs. */
#define CON			"con { console; slot = <9>; };"
#define SHM(slot, addr)		"region = <&r>; slot = <" #slot ">; address = <0x0 " #addr ">;"

/* ---- Valid systems, decoded ------------------------------------------------ */

static void test_every_kind(void **state)
{
	const struct cap_desc *d = sys.cap;

	(void)state;
	assert_int_equal(parse(compile(SYSTEM(
		"dev: dev { compatible = \"microvisor,region\"; device = \"/pl031@9010000\"; size = <0x0 0x1000>; };",
		"j { compatible = \"microvisor,irq\"; device = \"/a/b@1\"; index = <3>; };",
		"regs { region = <&dev>; slot = <0>; address = <0x0 0x9010000>; rights = \"rw\"; };"
		"alarm { irq = <&i>; slot = <1>; };"
		"kick { virq = <&v 63>; slot = <2>; };"
		"shm { region = <&r>; slot = <3>; address = <0x7f 0xfffff000>; };"
		"con { console; slot = <9>; };",
		"shm { region = <&r>; slot = <0>; address = <0x0 0x20000000>; rights = \"r\"; };"
		"shm2 { region = <&r>; slot = <1>; address = <0x0 0x3ffff000>; };",
		""))), MV_OK);
	assert_int_equal(sys.nregions, 2);
	assert_string_equal(sys.region[0].name, "dev");
	assert_string_equal(sys.region[0].device, "/pl031@9010000");
	assert_string_equal(sys.region[1].name, "r");
	assert_null(sys.region[1].device);
	assert_int_equal(sys.region[1].size, 0x1000);
	assert_int_equal(sys.nirqs, 2);
	assert_string_equal(sys.irq[0].device, "/a/b@1");
	assert_int_equal(sys.irq[0].index, 3);
	assert_string_equal(sys.irq[1].device, "/pl031@9010000");
	assert_int_equal(sys.irq[1].index, 0);
	assert_int_equal(sys.ncaps, 7);
	assert_string_equal(d[0].name, "regs");
	assert_int_equal(d[0].type, CAP_DESC_REGION);
	assert_int_equal(d[0].holder, 0);
	assert_int_equal(d[0].slot, 0);
	assert_int_equal(d[0].object, 0);
	assert_int_equal(d[0].address, 0x9010000);
	assert_true(d[0].writable);
	assert_int_equal(d[1].type, CAP_DESC_IRQ);
	assert_int_equal(d[1].object, 1);
	assert_int_equal(d[1].slot, 1);
	assert_int_equal(d[2].type, CAP_DESC_VIRQ);
	assert_int_equal(d[2].object, 1);	/* the VM v */
	assert_int_equal(d[2].virq, 63);
	assert_int_equal(d[3].object, 1);
	assert_int_equal(d[3].address, 0x7ffffff000ULL);	/* ends at 512 GiB exactly */
	assert_true(d[3].writable);
	assert_int_equal(d[4].type, CAP_DESC_CONSOLE);
	assert_int_equal(d[5].holder, 1);
	assert_false(d[5].writable);
	assert_int_equal(d[6].address, 0x3ffff000);	/* up to the VM's RAM */
	assert_int_equal(sys.nchannels, 1);
}

/* The console capability: a cell's, one in the system. */
static void test_console(void **state)
{
	(void)state;
	assert_int_equal(parse(compile(CELL_CAPS("con { console; slot = <4>; };"))), MV_OK);
	assert_int_equal(sys.ncaps, 1);
	assert_int_equal(sys.cap[0].type, CAP_DESC_CONSOLE);
	assert_int_equal(sys.cap[0].holder, 0);
	assert_int_equal(sys.cap[0].slot, 4);
	assert_int_equal(desc_console_holder(&sys), 0);
	/* Without one, nobody serves the domains' UARTs. */
	assert_int_equal(parse(compile(CELL_CAPS(""))), MV_E_INVAL);
	assert_string_equal(err, "/domains/c: its PL011 needs the console cell, which serves every domain's UART: none holds the console capability (include dts/qemu-virt/console-cell.dtsi)");
	assert_int_equal(desc_console_holder(&sys), -1);
}

/* space and vcpu capabilities: a cell's, naming another domain. */
static void test_space_vcpu(void **state)
{
	const struct cap_desc *d = sys.cap;

	(void)state;
	assert_int_equal(parse(compile(CELL_CAPS(
		"mem { space = <&v>; slot = <1>; address = <0x1 0x0>; };"
		"ro { space = <&v>; slot = <2>; address = <0x1 0x400000>; rights = \"r\"; };"
		"cpu { vcpu = <&v 0>; slot = <3>; };"
		"look { vcpu = <&v 0>; slot = <9>; rights = \"r\"; };"
		"shm { region = <&r>; slot = <10>; address = <0x1 0x800000>; };"
		"con { console; slot = <11>; };"))), MV_OK);
	assert_int_equal(sys.ncaps, 6);
	assert_int_equal(d[0].type, CAP_DESC_SPACE);
	assert_int_equal(d[0].holder, 0);
	assert_int_equal(d[0].object, 1);	/* the VM v */
	assert_int_equal(d[0].address, 0x100000000ULL);
	assert_true(d[0].writable);
	assert_int_equal(desc_cap_map_size(&sys, &d[0]), 0x400000);
	assert_false(d[1].writable);
	assert_int_equal(d[2].type, CAP_DESC_VCPU);
	assert_int_equal(d[2].object, 1);
	assert_int_equal(d[2].vcpu, 0);
	assert_true(d[2].writable);
	assert_int_equal(desc_cap_map_size(&sys, &d[2]), 0);
	assert_false(d[3].writable);
	assert_int_equal(desc_cap_map_size(&sys, &d[4]), 0x1000);
	/* A cell's memory and vCPUs too. */
	assert_int_equal(parse(compile(
		"/ { compatible = \"microvisor,system\"; domains {\n"
		"c { compatible = \"microvisor,cell\"; memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; load-offset = <0x0 0x0>;\n"
		"  caps { m { space = <&d>; slot = <0>; address = <0x0 0x80000000>; }; k { vcpu = <&d 1>; slot = <1>; }; con { console; slot = <2>; }; }; };\n"
		"d: d { compatible = \"microvisor,cell\"; vcpus = <2>; memory = <0x0 0x40000000 0x0 0x200000>; kernel = \"k\"; load-offset = <0x0 0x0>; };\n"
		"}; };")), MV_OK);
	assert_int_equal(sys.cap[0].object, 1);
	assert_int_equal(sys.cap[1].vcpu, 1);
}

/* Nothing but the objects, and no caps nodes: valid, nothing held. */
/* A channel's virtual interrupts: to-virq for a VM receiver, from-virq
 * (a full queue has room) for a VM sender. */
static void test_channel_virqs(void **state)
{
	(void)state;
	assert_int_equal(parse(compile(SYSTEM("", "", "con { console; slot = <9>; };", "",
		"ch2 { compatible = \"microvisor,channel\"; from = \"v\"; from-slot = <1>;"
		" to = \"c\"; to-slot = <3>; from-virq = <45>; };"))), MV_OK);
	assert_int_equal(sys.nchannels, 2);
	assert_string_equal(sys.channel[0].name, "ch2");
	assert_int_equal(sys.channel[0].from_virq, 45);
	assert_int_equal(sys.channel[0].to_virq, 0);
	assert_int_equal(sys.channel[1].from_virq, 0);
}

static void test_unused_objects(void **state)
{
	(void)state;
	assert_int_equal(parse(compile(SYSTEM("", "", "con { console; slot = <1>; };", "", ""))), MV_OK);
	assert_int_equal(sys.nregions, 1);
	assert_int_equal(sys.nirqs, 1);
	assert_int_equal(sys.ncaps, 1);	/* the console, which every system has */
}

/* 32 capabilities in all is the limit; the 33rd is refused. */
static void test_too_many_caps(void **state)
{
	char src[8192], caps[3][2048];

	(void)state;
	for (unsigned d = 0; d < 3; d++) {
		size_t n = 0;

		caps[d][0] = '\0';
		for (unsigned k = 0; k < (d < 2 ? 16u : 1u); k++)
			n += (size_t)snprintf(caps[d] + n, sizeof(caps[d]) - n,
					      "x%u { virq = <&v 2>; slot = <%u>; };", k, k);
	}
	snprintf(src, sizeof(src),
		 "/ { compatible = \"microvisor,system\"; domains {\n"
		 "v: v { compatible = \"microvisor,vm\"; memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; caps { %s }; };\n"
		 "w { compatible = \"microvisor,vm\"; memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; caps { %s }; };\n"
		 "z { compatible = \"microvisor,vm\"; memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; caps { %s }; };\n"
		 "}; };", caps[0], caps[1], caps[2]);
	assert_int_equal(parse(compile(src)), MV_E_INVAL);
	assert_string_equal(err, "/domains/z/caps/x0: more than 32 capabilities in the system");
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
#define CX(prop, msg)	"/domains/c/caps/x: " prop ": " msg
#define VX(prop, msg)	"/domains/v/caps/x: " prop ": " msg
#define RQ(name, props)	name " { compatible = \"microvisor,region\"; " props " };"
#define IQ(name, props)	name " { compatible = \"microvisor,irq\"; " props " };"

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_channel_virqs),
		cmocka_unit_test(test_unused_objects),
		cmocka_unit_test(test_too_many_caps),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_space_vcpu),

		/* the console capability */
		BAD("console on a VM", VM_CAPS(X("console; slot = <1>;")),
		    VX("console", "only a cell holds the console capability")),
		BAD("console twice", CELL_CAPS(X("console; slot = <1>;") "y { console; slot = <2>; };"),
		    "/domains/c/caps/y: console: already held by /domains/c/caps/x (a system has one console cell)"),
		BAD("console with a value", CELL_CAPS(X("console = <1>; slot = <1>;")),
		    CX("console", "must be empty (it names the console, not an object)")),
		BAD("console with an address", CELL_CAPS(X("console; slot = <1>; address = <0x0 0x1000>;")),
		    CX("address", "only for region and space capabilities")),
		BAD("console and an irq", CELL_CAPS(X("irq = <&i>; console; slot = <1>;")),
		    CX("console", "a capability names one object (one of region, irq, virq, console, space, vcpu)")),

		/* /regions */
		BAD("region compatible", REGIONS("q { size = <0x0 0x1000>; };"),
		    "/regions/q: compatible: must be \"microvisor,region\""),
		BAD("region unknown property", REGIONS(RQ("q", "size = <0x0 0x1000>; reg = <1>;")),
		    "/regions/q: reg: unknown property"),
		BAD("region child node", REGIONS(RQ("q", "size = <0x0 0x1000>; sub { };")),
		    "/regions/q/sub: unknown node"),
		BAD("region size missing", REGIONS(RQ("q", "")), "/regions/q: size: missing"),
		BAD("region size one cell", REGIONS(RQ("q", "size = <0x1000>;")),
		    "/regions/q: size: must be <hi lo> (a 64-bit value), not 4 bytes"),
		BAD("region size unaligned", REGIONS(RQ("q", "size = <0x0 0x1001>;")),
		    "/regions/q: size: 0x1001 must be a multiple of 4 KiB, 4 KiB to 1 GiB"),
		BAD("region size zero", REGIONS(RQ("q", "size = <0x0 0x0>;")),
		    "/regions/q: size: 0x0 must be a multiple of 4 KiB, 4 KiB to 1 GiB"),
		BAD("region size over 1 GiB", REGIONS(RQ("q", "size = <0x0 0x40001000>;")),
		    "/regions/q: size: 0x40001000 must be a multiple of 4 KiB, 4 KiB to 1 GiB"),
		BAD("region device relative", REGIONS(RQ("q", "device = \"pl031\"; size = <0x0 0x1000>;")),
		    "/regions/q: device: \"pl031\" is not an absolute path in the host device tree"),
		BAD("region device two paths", REGIONS(RQ("q", "device = \"/a\", \"/b\"; size = <0x0 0x1000>;")),
		    "/regions/q: device: must be one host device tree path"),
		BAD("region device odd byte", REGIONS(RQ("q", "device = \"/a b\"; size = <0x0 0x1000>;")),
		    "/regions/q: device: byte 0x20 is not a device tree path character"),
		BAD("regions property", REGIONS("foo = <1>;"), "/regions: foo: unknown property"),
		BAD("nine regions", REGIONS(RQ("a", "size = <0x0 0x1000>;") RQ("b", "size = <0x0 0x1000>;")
					   RQ("d", "size = <0x0 0x1000>;") RQ("e", "size = <0x0 0x1000>;")
					   RQ("f", "size = <0x0 0x1000>;") RQ("g", "size = <0x0 0x1000>;")
					   RQ("h", "size = <0x0 0x1000>;") RQ("j", "size = <0x0 0x1000>;")),
		    "/regions: more than 8 regions"),

		/* /irqs */
		BAD("irq compatible", IRQS("q { device = \"/a\"; };"),
		    "/irqs/q: compatible: must be \"microvisor,irq\""),
		BAD("irq device missing", IRQS(IQ("q", "")),
		    "/irqs/q: device: missing (a host device tree path)"),
		BAD("irq device not a string", IRQS(IQ("q", "device = <2>;")),
		    "/irqs/q: device: must be one host device tree path"),
		BAD("irq index 4", IRQS(IQ("q", "device = \"/a\"; index = <4>;")),
		    "/irqs/q: index: 4 is out of range (0 to 3)"),
		BAD("irq index bytes", IRQS(IQ("q", "device = \"/a\"; index = [01];")),
		    "/irqs/q: index: must be one 32-bit cell, not 1 bytes"),
		BAD("irq spi given", IRQS(IQ("q", "device = \"/a\"; interrupts = <0 2 4>;")),
		    "/irqs/q: interrupts: unknown property"),
		BAD("irqs property", IRQS("foo;"), "/irqs: foo: unknown property"),

		/* caps nodes: shape */
		BAD("caps property", CELL_CAPS("foo = <1>;"), "/domains/c/caps: foo: unknown property"),
		BAD("cap names nothing", CELL_CAPS(X("slot = <1>;")),
		    "/domains/c/caps/x: names no object (give one of region, irq, virq, console, space, vcpu)"),
		BAD("cap names two", CELL_CAPS(X("region = <&r>; irq = <&i>; slot = <1>;")),
		    CX("irq", "a capability names one object (one of region, irq, virq, console, space, vcpu)")),
		BAD("cap unknown property", CELL_CAPS(X("irq = <&i>; slot = <1>; badge = <3>;")),
		    CX("badge", "unknown property")),
		BAD("cap child node", CELL_CAPS("x { irq = <&i>; slot = <1>; y { }; };"),
		    "/domains/c/caps/x/y: unknown node"),
		BAD("domain child other than caps",
		    "/ { compatible = \"microvisor,system\"; domains { c { compatible = \"microvisor,cell\";"
		    " memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; load-offset = <0x0 0x0>;"
		    " caps { }; kaps { }; }; }; };",
		    "/domains/c/kaps: unknown node"),

		/* slots */
		BAD("slot missing", CELL_CAPS(X("irq = <&i>;")), CX("slot", "missing")),
		BAD("slot 16", CELL_CAPS(X("irq = <&i>; slot = <16>;")),
		    CX("slot", "slot 16 is beyond the 16 a domain has")),
		BAD("slot two cells", CELL_CAPS(X("irq = <&i>; slot = <0 1>;")),
		    CX("slot", "must be one 32-bit cell, not 8 bytes")),
		BAD("slot taken by a cap", CELL_CAPS("a { virq = <&v 2>; slot = <1>; };" X(SHM(1, 0x20000000))),
		    CX("slot", "slot 1 of c is already taken by /domains/c/caps/a")),
		BAD("channel slot taken by a cap",
		    SYSTEM("", "", "a { virq = <&v 2>; slot = <1>; };", "",
			   "ch2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			   " to = \"v\"; to-slot = <3>; };"),
		    "/channels/ch2: from-slot: slot 1 of c is already taken by /domains/c/caps/a"),
		BAD("channel receive slot taken by a cap",
		    SYSTEM("", "", "", "a { virq = <&v 2>; slot = <3>; };",
			   "ch2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			   " to = \"v\"; to-slot = <3>; };"),
		    "/channels/ch2: to-slot: slot 3 of v is already taken by /domains/v/caps/a"),
		BAD("channel slot taken by a channel",
		    CHANNELS("ch2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			     " to = \"v\"; to-slot = <15>; };"),
		    "/channels/ch: to-slot: slot 15 of v is already taken by /channels/ch2"),

		/* the object's type */
		BAD("irq names a region", CELL_CAPS(X("irq = <&r>; slot = <1>;")),
		    CX("irq", "/regions/r is a region, not an interrupt (irq)")),
		BAD("irq names a VM", CELL_CAPS(X("irq = <&v>; slot = <1>;")),
		    CX("irq", "/domains/v is a VM, not an interrupt (irq)")),
		BAD("region names an irq", CELL_CAPS(X("region = <&i>; slot = <1>; address = <0x0 0x20000000>;")),
		    CX("region", "/irqs/i is an interrupt (irq), not a region")),
		BAD("region names a channel", CELL_CAPS(X("region = <&ch>; slot = <1>; address = <0x0 0x20000000>;")),
		    CX("region", "/channels/ch is a channel, not a region")),
		BAD("region names a cell", VM_CAPS(X("region = <&c>; slot = <1>; address = <0x0 0x20000000>;")),
		    VX("region", "/domains/c is a cell, not a region")),
		/* Only objects may be labelled: any other node rejects dtc's phandle. */
		BAD("region names another node", "/ { compatible = \"microvisor,system\";"
		    " chosen: chosen { }; domains { c { compatible = \"microvisor,cell\";"
		    " memory = <0x0 0x40000000 0x0 0x400000>; kernel = \"k\"; load-offset = <0x0 0x0>;"
		    " caps { x { region = <&chosen>; slot = <1>; address = <0x0 0x20000000>; }; }; }; }; };",
		    "/chosen: phandle: unknown property"),
		BAD("virq names a cell", VM_CAPS(X("virq = <&c 40>; slot = <1>;")),
		    VX("virq", "/domains/c is a cell, not a VM")),
		BAD("virq names a region", CELL_CAPS(X("virq = <&r 40>; slot = <1>;")),
		    CX("virq", "/regions/r is a region, not a VM")),
		BAD("no such phandle", CELL_CAPS(X("irq = <99>; slot = <1>;")),
		    CX("irq", "no node has phandle 0x63")),
		BAD("region two cells", CELL_CAPS(X("region = <&r 1>; slot = <1>; address = <0x0 0x20000000>;")),
		    CX("region", "must be <&label> (one phandle), not 8 bytes")),
		BAD("virq without its SPI", CELL_CAPS(X("virq = <&v>; slot = <1>;")),
		    CX("virq", "must be <&label spi> (a phandle and a number), not 4 bytes")),
		BAD("from-virq of a cell sender",
		    CHANNELS("ch2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			     " to = \"v\"; to-slot = <3>; from-virq = <45>; };"),
		    "/channels/ch2: from-virq: only for VM senders"),
		BAD("from-virq SPI 64",
		    CHANNELS("ch2 { compatible = \"microvisor,channel\"; from = \"v\"; from-slot = <1>;"
			     " to = \"c\"; to-slot = <3>; from-virq = <64>; };"),
		    "/channels/ch2: from-virq: SPI 64 is out of range (2 to 63; 1 is the UART's)"),
		/* each SPI of a VM has one source */
		BAD("two to-virqs on one SPI",
		    SYSTEM("", "", CON, "","a1 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			     " to = \"v\"; to-slot = <1>; to-virq = <40>; };"
			     "a2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <2>;"
			     " to = \"v\"; to-slot = <2>; to-virq = <40>; };"),
		    "/channels/a2: to-virq: SPI 40 of v is already /channels/a1's to-virq (each SPI has one source)"),
		BAD("a to-virq on a from-virq's SPI",
		    SYSTEM("", "", CON, "","b1 { compatible = \"microvisor,channel\"; from = \"v\"; from-slot = <1>;"
			     " to = \"c\"; to-slot = <1>; from-virq = <41>; };"
			     "a1 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <2>;"
			     " to = \"v\"; to-slot = <2>; to-virq = <41>; };"),
		    "/channels/a1: to-virq: SPI 41 of v is already /channels/b1's from-virq (each SPI has one source)"),
		BAD("a virq on a to-virq's SPI",
		    SYSTEM("", "", CON X("virq = <&v 42>; slot = <1>;"), "",
			   "a1 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <2>;"
			   " to = \"v\"; to-slot = <2>; to-virq = <42>; };"),
		    CX("virq", "SPI 42 of v is already /channels/a1's to-virq (each SPI has one source)")),
		BAD("channel from a region",
		    CHANNELS("ch2 { compatible = \"microvisor,channel\"; from = \"r\"; from-slot = <1>;"
			     " to = \"v\"; to-slot = <3>; };"),
		    "/channels/ch2: from: \"r\" is a region (/regions/r), not a domain"),
		BAD("channel to an irq",
		    CHANNELS("ch2 { compatible = \"microvisor,channel\"; from = \"c\"; from-slot = <1>;"
			     " to = \"i\"; to-slot = <3>; };"),
		    "/channels/ch2: to: \"i\" is an interrupt (/irqs/i), not a domain"),

		/* irq and virq capabilities */
		BAD("irq held by a VM", VM_CAPS(X("irq = <&i>; slot = <1>;")),
		    VX("irq", "only cells hold irq capabilities (a VM gets a device's interrupts with devices)")),
		BAD("irq held twice", CELL_CAPS("a { irq = <&i>; slot = <1>; };" X("irq = <&i>; slot = <2>;")),
		    CX("irq", "/irqs/i is already held by /domains/c/caps/a (an interrupt has one holder)")),
		BAD("virq SPI 1", CELL_CAPS(X("virq = <&v 1>; slot = <1>;")),
		    CX("virq", "SPI 1 is out of range (2 to 63; 1 is the UART's)")),
		BAD("virq SPI 64", CELL_CAPS(X("virq = <&v 64>; slot = <1>;")),
		    CX("virq", "SPI 64 is out of range (2 to 63; 1 is the UART's)")),
		BAD("address on an irq", CELL_CAPS(X("irq = <&i>; slot = <1>; address = <0x0 0x20000000>;")),
		    CX("address", "only for region and space capabilities")),
		BAD("rights on a virq", CELL_CAPS(X("virq = <&v 2>; slot = <1>; rights = \"rw\";")),
		    CX("rights", "only for region, space and vcpu capabilities")),

		/* space capabilities */
		BAD("space held by a VM", VM_CAPS(X("space = <&c>; slot = <1>; address = <0x1 0x0>;")),
		    VX("space", "only cells hold space capabilities")),
		BAD("space of itself", CELL_CAPS(X("space = <&c>; slot = <1>; address = <0x1 0x0>;")),
		    CX("space", "/domains/c is the holder itself")),
		BAD("space names a region", CELL_CAPS(X("space = <&r>; slot = <1>; address = <0x1 0x0>;")),
		    CX("space", "/regions/r is a region, not a domain (a VM or a cell)")),
		BAD("space names an irq", CELL_CAPS(X("space = <&i>; slot = <1>; address = <0x1 0x0>;")),
		    CX("space", "/irqs/i is an interrupt (irq), not a domain (a VM or a cell)")),
		BAD("space with an index", CELL_CAPS(X("space = <&v 0>; slot = <1>; address = <0x1 0x0>;")),
		    CX("space", "must be <&label> (one phandle), not 8 bytes")),
		BAD("space without address", CELL_CAPS(X("space = <&v>; slot = <1>;")),
		    CX("address", "missing")),
		BAD("space 4 KiB aligned", CELL_CAPS(X("space = <&v>; slot = <1>; address = <0x1 0x1000>;")),
		    CX("address", "0x100001000 is not 2 MiB aligned (a space is mapped with 2 MiB blocks)")),
		BAD("space over its own memory", CELL_CAPS(X("space = <&v>; slot = <1>; address = <0x0 0x40200000>;")),
		    CX("address", "0x40200000-0x405fffff overlaps the domain's memory")),
		BAD("space over the GIC", CELL_CAPS(X("space = <&v>; slot = <1>; address = <0x0 0x7e00000>;")),
		    CX("address", "0x7e00000-0x81fffff overlaps the domain's GIC or PL011")),
		BAD("space over a region", CELL_CAPS("a { " SHM(1, 0x20300000) " };"
						      X("space = <&v>; slot = <2>; address = <0x0 0x20000000>;")),
		    CX("address", "0x20000000-0x203fffff overlaps /domains/c/caps/a")),
		BAD("region over a space", CELL_CAPS("a { space = <&v>; slot = <2>; address = <0x0 0x20000000>; };"
						     X(SHM(1, 0x203ff000))),
		    CX("address", "0x203ff000-0x203fffff overlaps /domains/c/caps/a")),
		BAD("space over a space", CELL_CAPS("a { space = <&v>; slot = <2>; address = <0x0 0x20000000>; };"
						    X("space = <&v>; slot = <3>; address = <0x0 0x20200000>;")),
		    CX("address", "0x20200000-0x205fffff overlaps /domains/c/caps/a")),
		BAD("space beyond 512 GiB", CELL_CAPS(X("space = <&v>; slot = <1>; address = <0x7f 0xffe00000>;")),
		    CX("address", "0x7fffe00000-0x80001fffff ends beyond the 512 GiB guest-physical space")),
		BAD("space rights", CELL_CAPS(X("space = <&v>; slot = <1>; address = <0x1 0x0>; rights = \"w\";")),
		    CX("rights", "must be \"r\" or \"rw\"")),

		/* vcpu capabilities */
		BAD("vcpu held by a VM", VM_CAPS(X("vcpu = <&c 0>; slot = <1>;")),
		    VX("vcpu", "only cells hold vcpu capabilities")),
		BAD("vcpu of itself", CELL_CAPS(X("vcpu = <&c 0>; slot = <1>;")),
		    CX("vcpu", "/domains/c is the holder itself")),
		BAD("vcpu without its index", CELL_CAPS(X("vcpu = <&v>; slot = <1>;")),
		    CX("vcpu", "must be <&label index> (a phandle and a number), not 4 bytes")),
		BAD("vcpu out of range", CELL_CAPS(X("vcpu = <&v 1>; slot = <1>;")),
		    CX("vcpu", "/domains/v has no vCPU 1 (it has 1: 0 to 0)")),
		BAD("vcpu names a region", CELL_CAPS(X("vcpu = <&r 0>; slot = <1>;")),
		    CX("vcpu", "/regions/r is a region, not a domain (a VM or a cell)")),
		BAD("vcpu names a channel", CELL_CAPS(X("vcpu = <&ch 0>; slot = <1>;")),
		    CX("vcpu", "/channels/ch is a channel, not a domain (a VM or a cell)")),
		BAD("vcpu with an address", CELL_CAPS(X("vcpu = <&v 0>; slot = <1>; address = <0x1 0x0>;")),
		    CX("address", "only for region and space capabilities")),
		BAD("vcpu rights", CELL_CAPS(X("vcpu = <&v 0>; slot = <1>; rights = \"rwx\";")),
		    CX("rights", "must be \"r\" or \"rw\"")),
		BAD("vcpu and a space", CELL_CAPS(X("space = <&v>; vcpu = <&v 0>; slot = <1>; address = <0x1 0x0>;")),
		    CX("vcpu", "a capability names one object (one of region, irq, virq, console, space, vcpu)")),
		BAD("vcpu slot taken", CELL_CAPS("a { vcpu = <&v 0>; slot = <1>; };" X("vcpu = <&v 0>; slot = <1>;")),
		    CX("slot", "slot 1 of c is already taken by /domains/c/caps/a")),

		/* regions in a space */
		BAD("address missing", CELL_CAPS(X("region = <&r>; slot = <1>;")), CX("address", "missing")),
		BAD("address one cell", CELL_CAPS(X("region = <&r>; slot = <1>; address = <0x20000000>;")),
		    CX("address", "must be <hi lo> (a 64-bit value), not 4 bytes")),
		BAD("address unaligned", CELL_CAPS(X(SHM(1, 0x20000100))),
		    CX("address", "0x20000100 is not 4 KiB aligned")),
		BAD("address in RAM", CELL_CAPS(X(SHM(1, 0x403ff000))),
		    CX("address", "0x403ff000-0x403fffff overlaps the domain's memory")),
		BAD("address in the GIC", VM_CAPS(X(SHM(1, 0x081ff000))),
		    VX("address", "0x81ff000-0x81fffff overlaps the domain's GIC or PL011")),
		BAD("address on the UART", CELL_CAPS(X(SHM(1, 0x09000000))),
		    CX("address", "0x9000000-0x9000fff overlaps the domain's GIC or PL011")),
		BAD("address on another region", CELL_CAPS("a { " SHM(1, 0x20000000) " };" X(SHM(2, 0x20000000))),
		    CX("address", "0x20000000-0x20000fff overlaps /domains/c/caps/a")),
		BAD("address at 512 GiB",
		    CELL_CAPS(X("region = <&r>; slot = <1>; address = <0x80 0x0>;")),
		    CX("address", "0x8000000000-0x8000000fff ends beyond the 512 GiB guest-physical space")),
		BAD("address wraps",
		    CELL_CAPS(X("region = <&r>; slot = <1>; address = <0xffffffff 0xfffff000>;")),
		    CX("address", "0xfffffffffffff000-0xffffffffffffffff ends beyond the 512 GiB guest-physical space")),
		BAD("rights w", CELL_CAPS(X(SHM(1, 0x20000000) " rights = \"w\";")),
		    CX("rights", "must be \"r\" or \"rw\"")),
		BAD("rights rwx", CELL_CAPS(X(SHM(1, 0x20000000) " rights = \"rwx\";")),
		    CX("rights", "must be \"r\" or \"rw\"")),
	};

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	{
		int failed = cmocka_run_group_tests_name("cap_desc", tests, NULL, NULL);
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			return 1;
		return failed;
	}
}
