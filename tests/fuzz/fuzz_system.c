// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: system_parse() (microvisor/system.c, and through it
 * vm_desc.c, cap_desc.c and channel_desc.c) on arbitrary bytes taken as a
 * compiled system description.  Built with clang, -fsanitize=fuzzer,address,
 * undefined by `make fuzz`, seeded with the compiled examples.
 *
 * system_parse() trusts the header's totalsize once fdt_check_header()
 * accepts it: at boot the blob is the one the build packed, so its size is
 * right by construction.  Here the bytes are arbitrary, so the target plays
 * the loader's part: the blob handed over is never shorter than its header
 * says (a header claiming more than the input is clamped to the input's
 * size, which fdt_check_header() then checks the blocks against).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <mv/errno.h>
#include <mv/system.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A UBSan report is a failure, not a line scrolling past (the build also
 * passes -fno-sanitize-recover). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* What a successful parse must guarantee to its callers (microvisor/vm.c
 * and main.c use these without further checks). */
static void check_result(const struct system *s)
{
	if (s->ndomains > MV_MAX_VMS || !memchr(s->name, '\0', sizeof(s->name)) ||
	    !memchr(s->selftest, '\0', sizeof(s->selftest)))
		abort();
	for (unsigned i = 0; i < s->ndomains; i++) {
		const struct vm_desc *d = &s->vm[i];

		if (!d->name || !d->kernel || d->nvcpus < 1 || d->nvcpus > MV_MAX_VCPUS ||
		    d->priority > 255 || d->ndevices > VM_MAX_DEVICES || !d->mem_size ||
		    d->mem_base < GUEST_DEVICE_END || d->mem_base + d->mem_size < d->mem_base ||
		    d->mem_base + d->mem_size > (1ULL << 39) ||
		    (d->mem_base | d->mem_size) % GUEST_RAM_ALIGN)
			abort();
		if (d->raw && (d->load_offset >= d->mem_size || d->entry_offset >= d->mem_size))
			abort();
		if (d->pinned)
			for (unsigned v = 0; v < d->nvcpus; v++)
				if (d->cpus[v] >= MV_MAX_CPUS)
					abort();
		/* Every string is terminated inside the blob (strlen() runs
		 * under ASan), and the optional ones are non-empty. */
		(void)strlen(d->name);
		if (!strlen(d->kernel) || (d->initrd && !strlen(d->initrd)) ||
		    (d->bootargs && !strlen(d->bootargs)))
			abort();
		for (unsigned k = 0; k < d->ndevices; k++)
			if (!d->devices[k] || d->devices[k][0] != '/')
				abort();
	}
	/* Objects and capabilities: indexes in range, slots in the space,
	 * regions page aligned inside the guest-physical space (objects.c
	 * maps them without further checks). */
	if (s->nregions > MV_MAX_REGIONS || s->nirqs > MV_MAX_IRQS || s->ncaps > MV_MAX_CAPS)
		abort();
	for (unsigned i = 0; i < s->nregions; i++)
		if (!s->region[i].size || s->region[i].size % 4096 ||
		    (s->region[i].device && s->region[i].device[0] != '/'))
			abort();
	for (unsigned i = 0; i < s->nirqs; i++)
		if (!s->irq[i].device || s->irq[i].device[0] != '/' || s->irq[i].index > 3)
			abort();
	for (unsigned i = 0; i < s->ncaps; i++) {
		const struct cap_desc *c = &s->cap[i];

		(void)strlen(c->name);
		if (c->holder >= s->ndomains || c->slot >= 16)
			abort();
		if (c->type == CAP_DESC_REGION &&
		    (c->object >= s->nregions || c->address % 4096 ||
		     c->address + s->region[c->object].size > (1ULL << 39)))
			abort();
		if (c->type == CAP_DESC_IRQ && (c->object >= s->nirqs || !s->vm[c->holder].cell))
			abort();
		if (c->type == CAP_DESC_VIRQ && (c->object >= s->ndomains || s->vm[c->object].cell ||
						 c->virq < 2 || c->virq > 63))
			abort();
	}
	/* Windows and supervisors: vm.c and fault.c index with these. */
	if (s->nfaults > MV_MAX_FAULT_DESCS)
		abort();
	for (unsigned i = 0; i < s->nfaults; i++) {
		const struct fault_desc *f = &s->fault[i];

		if (!f->name || f->client >= s->ndomains || f->server >= s->ndomains ||
		    f->client == f->server || !s->vm[f->server].cell ||
		    f->server_slot >= MV_CSPACE_SLOTS)
			abort();
		if (!f->supervisor && (!f->size || f->base + f->size > GUEST_DEVICE_END ||
				       f->base + f->size < f->base || (f->base | f->size) % PAGE_SIZE))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct system sys;
	char err[160];
	uint8_t *blob;
	int rc;

	/* The loader always hands over at least a header; libfdt reads its
	 * fields before it can tell how long the blob is. */
	if (size < sizeof(struct fdt_header))
		return 0;
	/* An exactly sized heap copy (ASan's redzone right after it), 8-byte
	 * aligned as the packed blob is. */
	blob = malloc(size);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	if (fdt_totalsize(blob) > size)
		fdt_set_totalsize(blob, (uint32_t)size);

	memset(err, 'x', sizeof(err));
	rc = system_parse(blob, &sys, err, sizeof(err));
	if (rc == MV_OK)
		check_result(&sys);
	else if (rc != MV_E_INVAL || !memchr(err, '\0', sizeof(err)) || !err[0] ||
		 strchr(err, '\n'))
		abort();	/* an error is one terminated, non-empty line */
	free(blob);
	return 0;
}
