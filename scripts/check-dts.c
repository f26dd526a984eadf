// SPDX-License-Identifier: MIT
/*
 * Host-side validator of a compiled system description: runs the kernel's
 * own system_parse() (microvisor/system.c, vm_desc.c) on the DTB, so a
 * description is rejected at build time with the message it would get at
 * boot.  Usage: check-dts SOURCE.dts COMPILED.dtb
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include <mv/errno.h>
#include <mv/system.h>

int main(int argc, char **argv)
{
	static struct system sys;
	char err[256];
	FILE *f;
	long size;
	void *blob;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOURCE.dts COMPILED.dtb\n", argv[0]);
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "%s: cannot read %s\n", argv[1], argv[2]);
		return 1;
	}
	blob = malloc((size_t)size);
	if (!blob || fread(blob, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read %s\n", argv[1], argv[2]);
		return 1;
	}
	fclose(f);
	/* system_parse() trusts the header's size (at boot the blob is the one
	 * the build packed): hand it no fewer bytes than the header claims. */
	if ((size_t)size < sizeof(struct fdt_header) || fdt_totalsize(blob) > (size_t)size) {
		fprintf(stderr, "%s: %s: not a whole DTB (%ld bytes, the header says %u)\n",
			argv[1], argv[2], size,
			(size_t)size < sizeof(struct fdt_header) ? 0 : fdt_totalsize(blob));
		free(blob);
		return 1;
	}
	if (system_parse(blob, &sys, err, sizeof(err)) != MV_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		free(blob);
		return 1;
	}
	printf("%s: valid: %u domain%s\n", argv[1], sys.ndomains, sys.ndomains == 1 ? "" : "s");
	free(blob);
	return 0;
}
