/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fixture.c - read a test fixture whole.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

char *
fixture_read(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	char *data = NULL;
	size_t n = 0, alloc = 0, got;
	FILE *fp;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n + 1 >= alloc) {
			size_t na = alloc ? alloc * 2 : 8192;
			char *nd = realloc(data, na);

			if (nd == NULL) {
				free(data);
				fclose(fp);
				errno = ENOMEM;
				return NULL;
			}
			data = nd;
			alloc = na;
		}
		got = fread(data + n, 1, alloc - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(data);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	data[n] = '\0';
	*len = n;
	return data;
}
