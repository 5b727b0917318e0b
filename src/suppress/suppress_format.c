/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_format.c - the names of the suppression list's formats (see
 * suppress_format.h).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "suppress/suppress_format.h"

static const char *const sup_format_names[] = {
	[SUPPRESS_PLAIN] = "plain",
	[SUPPRESS_CSV] = "csv",
	[SUPPRESS_JSONL] = "jsonl",
	[SUPPRESS_POSTFIX] = "postfix",
};
_Static_assert(sizeof(sup_format_names) / sizeof(sup_format_names[0]) ==
               SUPPRESS_NFORMATS, "one name per format");

int
suppress_format_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < SUPPRESS_NFORMATS; i++)
		if (strcmp(name, sup_format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
suppress_format_name(enum suppress_format f)
{
	if ((size_t)f >= SUPPRESS_NFORMATS)
		return "unknown";
	return sup_format_names[f];
}
