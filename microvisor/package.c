// SPDX-License-Identifier: MIT
/* Packed images (see scripts/pack for the table layout). */
#include <string.h>

#include <mv/errno.h>
#include <mv/package.h>

struct package_entry {
	const char *path;
	const void *data;
	uint64_t size;
};

extern const struct {
	uint64_t count;
	struct package_entry entry[];
} package_images;

int package_find(const char *path, const void **data, uint64_t *size)
{
	for (uint64_t i = 0; i < package_images.count; i++) {
		if (!strcmp(package_images.entry[i].path, path)) {
			*data = package_images.entry[i].data;
			*size = package_images.entry[i].size;
			return MV_OK;
		}
	}
	return MV_E_NOENT;
}
