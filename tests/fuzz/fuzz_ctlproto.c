/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_ctlproto.c - libFuzzer target: the control socket's request parser
 * and answer-line reader (control/ctlproto.h), the text a client of the
 * daemon's user controls.  The input lives in an exactly sized heap block
 * (ASan catches a read past len).  Checked: a parsed request's address and
 * reason are NUL-terminated within their caps and hold no blank or control
 * character; a refusal always has a message.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/ctlproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_ctlproto: %s\n", what);
	abort();
}

static void
check_word(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap + 1);

	if (n > cap)
		fail("argument past its cap");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			fail("blank or control character in an argument");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctlproto_req req;
	char *line = malloc(size > 0 ? size : 1), *z, err[128];
	const char *text;
	size_t n;
	bool ok;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	err[0] = '\0';
	if (ctlproto_parse(line, size, &req, err, sizeof err) == 0) {
		check_word(req.addr, CTLPROTO_ADDR_MAX);
		check_word(req.reason, CTLPROTO_REASON_MAX);
	} else if (err[0] == '\0') {
		fail("refused without a message");
	}
	free(line);
	/* the answer-line reader takes a NUL-terminated line */
	if ((z = malloc(size + 1)) == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	if (ctlproto_parse_status(z, &ok, &n, &text) == 0 && (text < z || text > z + size))
		fail("status text outside the line");
	free(z);
	return 0;
}
