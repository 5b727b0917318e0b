/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_bounce.c - libFuzzer target: bounce_parse() over arbitrary bytes.
 *
 * Each input is parsed twice, with the default limits and with tight ones
 * (so that every cap is reached), from an exactly sized heap copy so that
 * AddressSanitizer sees any read past `len`.  The result must keep the
 * promises of bounce.h (tests/lib/result_check.c) and is then freed.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/bounce.h"
#include "result_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void parse_one(const char *buf, size_t len, const struct bounce_limits *lim)
{
	struct bounce_result res;
	char why[256];

	memset(&res, 0, sizeof res);
	if (bounce_parse(buf, len, lim, &res) == 0) {
		if (result_check(&res, lim, why, sizeof why) != 0) {
			fprintf(stderr, "fuzz_bounce: broken result: %s\n", why);
			abort();
		}
		sink += res.nrcpt + (size_t)res.kind + (size_t)res.cls;
	}
	bounce_result_free(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bounce_limits lim, tight;
	char *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	bounce_limits_default(&lim);
	parse_one(buf, size, &lim);
	result_check_tight_limits(&tight);
	parse_one(buf, size, &tight);
	free(buf);
	return 0;
}
