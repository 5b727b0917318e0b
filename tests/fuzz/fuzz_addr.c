/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_addr.c - libFuzzer target: addr_normalise(), addr_find().
 *
 * The first input byte picks the output size and fold_local; the rest is the
 * address text, in an exactly sized heap copy.  Every address returned must
 * be NUL-terminated inside the buffer, hold no control character or space
 * outside quotes, have a lower-case domain, and normalise to itself
 * (idempotence, which also proves it a valid address).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *addr)
{
	fprintf(stderr, "fuzz_addr: %s: \"%s\"\n", what, addr);
	abort();
}

static void check_addr(const char *a, size_t outsz, bool fold)
{
	const char *nul = memchr(a, '\0', outsz);
	bool quoted = false;
	const char *at = NULL;

	if (nul == NULL)
		fail("output not NUL-terminated", "");
	for (const char *p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			fail("control character in output", a);
		if (c == '\\' && quoted && p[1] != '\0') {
			p++;    /* quoted-pair: the next character is literal */
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		else if (c == ' ' && !quoted)
			fail("space outside quotes", a);
		else if (c == '@' && !quoted)
			at = p;
	}
	if (at == NULL)
		fail("no unquoted @", a);
	for (const char *p = at + 1; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			fail("upper-case domain", a);

	char *again = malloc(outsz);
	if (again == NULL)
		return;
	if (addr_normalise(a, strlen(a), again, outsz, fold) != 0)
		fail("normalised address does not normalise again", a);
	if (strcmp(again, a) != 0)
		fail("normalisation is not idempotent", a);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = {1, 2, 5, 16, 64, 255, 320, 1024};

	if (size < 1)
		return 0;
	size_t outsz = sizes[data[0] % (sizeof sizes / sizeof sizes[0])];
	bool fold = (data[0] & 0x80) != 0;
	size_t inlen = size - 1;
	char *in = malloc(inlen ? inlen : 1);
	char *out = malloc(outsz);
	if (in == NULL || out == NULL)
		goto done;
	memcpy(in, data + 1, inlen);

	if (addr_normalise(in, inlen, out, outsz, fold) == 0)
		check_addr(out, outsz, fold);
	if (addr_find(in, inlen, out, outsz) == 0)
		check_addr(out, outsz, false);
done:
	free(in);
	free(out);
	return 0;
}
