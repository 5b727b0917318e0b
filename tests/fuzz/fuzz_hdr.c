/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_hdr.c - libFuzzer target: hdr_decode(), hdr_sanitise(), hdr_fold().
 *
 * The first input byte picks the output buffer size (so truncation paths
 * run), the rest is the header value.  Outputs live in exactly sized heap
 * buffers.  Checked: every output is NUL-terminated at its returned length
 * inside the buffer; sanitised text has no CR, LF, NUL, other control
 * characters or invalid UTF-8; folded text has no CR, no NUL, every LF is
 * followed by a space or tab (a fold), and no line passes 998 octets.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FOLD_NAME "X-Bounce-Recipient"

static void fail(const char *what, size_t at)
{
	fprintf(stderr, "fuzz_hdr: %s (offset %zu)\n", what, at);
	abort();
}

/* Length of a well-formed UTF-8 sequence at p, 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void check_sanitised(const char *s, size_t len, size_t outsz)
{
	if (len >= outsz || s[len] != '\0')
		fail("sanitised output not terminated at its length", len);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			fail("control character in sanitised output", i);
		size_t k = utf8_len((const unsigned char *)s + i, len - i);
		if (k == 0)
			fail("invalid UTF-8 in sanitised output", i);
		i += k;
	}
}

static void check_folded(const char *s, size_t len, size_t outsz)
{
	size_t line = strlen(FOLD_NAME) + 2; /* "Name: " on the first line */

	if (len >= outsz || s[len] != '\0')
		fail("folded output not terminated at its length", len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			fail("NUL in folded output", i);
		if (s[i] == '\r')
			fail("CR in folded output", i);
		if (s[i] == '\n') {
			if (i + 1 >= len || (s[i + 1] != ' ' && s[i + 1] != '\t'))
				fail("LF not followed by folding white space", i);
			line = 0;
			continue;
		}
		if (++line > 998)
			fail("folded line longer than 998 octets", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = {1, 2, 3, 8, 64, 77, 78, 79, 256, 998, 1000, 4096};

	if (size < 1)
		return 0;
	size_t outsz = sizes[data[0] % (sizeof sizes / sizeof sizes[0])];
	size_t inlen = size - 1;
	char *in = malloc(inlen ? inlen : 1);
	char *dec = malloc(4096);
	char *san = malloc(outsz);
	char *fold = malloc(outsz * 2 + 64);
	if (in == NULL || dec == NULL || san == NULL || fold == NULL)
		goto out;
	memcpy(in, data + 1, inlen);

	/* decode: bounded, terminated */
	size_t dlen = hdr_decode(in, inlen, dec, 4096);
	if (dlen >= 4096 || dec[dlen] != '\0')
		fail("decoded output not terminated at its length", dlen);

	/* sanitise the raw bytes and the decoded text */
	size_t slen = hdr_sanitise(in, inlen, san, outsz);
	check_sanitised(san, slen, outsz);
	slen = hdr_sanitise(dec, dlen, san, outsz);
	check_sanitised(san, slen, outsz);

	/* fold what was sanitised */
	size_t foldsz = outsz * 2 + 64;
	size_t flen = hdr_fold(FOLD_NAME, san, fold, foldsz);
	if (flen != (size_t)-1)
		check_folded(fold, flen, foldsz);
out:
	free(in);
	free(dec);
	free(san);
	free(fold);
	return 0;
}
