/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_json.c - JSON strings for bounce-classify's outputs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_json.h"
#include "mime/hdr.h"

char *
cli_clean(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);

	if (out != NULL)
		hdr_sanitise(s, n, out, n + 1);
	return out;
}

void
cli_json_string(const char *s)
{
	char *c = cli_clean(s);
	const char *p;

	putchar('"');
	for (p = c != NULL ? c : ""; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			putchar('\\');
		putchar(*p);
	}
	putchar('"');
	free(c);
}
