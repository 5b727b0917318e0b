/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_ctlproto.c - the control protocol's request parser and answer-line
 * reader: a table of good and bad requests, every length up to and past the
 * cap, every byte value, and random garbage (never a crash, never a read
 * past len: the input is copied into an exact-size heap block so ASan sees
 * any overrun).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "control/ctlproto.h"

struct pcase {
	const char *label;
	const char *line;
	int rc;
	enum ctlproto_cmd cmd;
	const char *addr;
	const char *reason;
	const char *err;           /* part of the message on failure */
};

static const struct pcase pcases[] = {
	{ "stats", "stats", 0, CTLPROTO_STATS, "", "", NULL },
	{ "stats CR", "stats\r", 0, CTLPROTO_STATS, "", "", NULL },
	{ "STATS upper", "STATS", 0, CTLPROTO_STATS, "", "", NULL },
	{ "prometheus", "stats prometheus", 0, CTLPROTO_STATS_PROM, "", "", NULL },
	{ "blanks", " \tstats \t prometheus  ", 0, CTLPROTO_STATS_PROM, "", "", NULL },
	{ "stats junk", "stats json", -1, 0, "", "", "usage: stats" },
	{ "query", "list query a@b.example", 0, CTLPROTO_LIST_QUERY, "a@b.example", "", NULL },
	{ "add", "list add a@b.example", 0, CTLPROTO_LIST_ADD, "a@b.example", "", NULL },
	{ "add reason", "list add a@b.example spam-trap:1", 0, CTLPROTO_LIST_ADD,
	  "a@b.example", "spam-trap:1", NULL },
	{ "add bad reason", "list add a@b.example sp/am", -1, 0, "", "", "reason" },
	{ "add 5 words", "list add a@b x y", -1, 0, "", "", "too many" },
	{ "remove", "list remove a@b", 0, CTLPROTO_LIST_REMOVE, "a@b", "", NULL },
	{ "remove reason", "list remove a@b why", -1, 0, "", "", "too many" },
	{ "remove no addr", "list remove", -1, 0, "", "", "address is required" },
	{ "count", "list count", 0, CTLPROTO_LIST_COUNT, "", "", NULL },
	{ "count arg", "list count 1", -1, 0, "", "", "no argument" },
	{ "export", "list export", 0, CTLPROTO_LIST_EXPORT, "", "", NULL },
	{ "list alone", "list", -1, 0, "", "", "usage: list" },
	{ "list what", "list drop a@b", -1, 0, "", "", "usage: list" },
	{ "reload", "reload", 0, CTLPROTO_RELOAD, "", "", NULL },
	{ "reload arg", "reload now", -1, 0, "", "", "no argument" },
	{ "help", "help", 0, CTLPROTO_HELP, "", "", NULL },
	{ "empty", "", -1, 0, "", "", "empty" },
	{ "blank", "   ", -1, 0, "", "", "empty" },
	{ "unknown", "shutdown", -1, 0, "", "", "unknown command" },
	{ "nul inside", "stats\0x", -1, 0, "", "", "control character" },
	{ "escape", "list query a\x1b@b", -1, 0, "", "", "control character" },
	{ "del", "list query a\x7f@b", -1, 0, "", "", "control character" },
	{ "six words", "a b c d e f", -1, 0, "", "", "too many" },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof pcases / sizeof pcases[0]; i++) {
		const struct pcase *c = &pcases[i];
		/* "nul inside" has an embedded NUL: its length is spelled out */
		size_t len = strcmp(c->label, "nul inside") == 0 ? 7 : strlen(c->line);
		char *line = malloc(len > 0 ? len : 1);
		struct ctlproto_req req;
		char err[128] = "";
		int rc;

		assert_non_null(line);
		memcpy(line, c->line, len);
		rc = ctlproto_parse(line, len, &req, err, sizeof err);
		if (rc != c->rc)
			fail_msg("%s: rc %d, want %d (%s)", c->label, rc, c->rc, err);
		if (rc == 0) {
			assert_int_equal(req.cmd, c->cmd);
			assert_string_equal(req.addr, c->addr);
			assert_string_equal(req.reason, c->reason);
		} else if (strstr(err, c->err) == NULL) {
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->label, err, c->err);
		}
		free(line);
	}
}

static void
test_lengths(void **state)
{
	char *buf = malloc(CTLPROTO_LINE_MAX + 64);
	struct ctlproto_req req;
	char err[128];

	(void)state;
	assert_non_null(buf);
	/* an address of exactly the cap passes, one more does not */
	for (size_t alen = 1; alen <= CTLPROTO_ADDR_MAX + 2; alen++) {
		int n = snprintf(buf, CTLPROTO_LINE_MAX, "list query ");

		memset(buf + n, 'a', alen);
		int rc = ctlproto_parse(buf, (size_t)n + alen, &req, err, sizeof err);

		assert_int_equal(rc, alen <= CTLPROTO_ADDR_MAX ? 0 : -1);
		if (rc == 0)
			assert_int_equal(strlen(req.addr), alen);
	}
	/* whole lines around the cap: padded with blanks, never read past len */
	for (size_t len = CTLPROTO_LINE_MAX - 2; len <= CTLPROTO_LINE_MAX + 2; len++) {
		char *exact = malloc(len);

		assert_non_null(exact);
		memset(exact, ' ', len);
		memcpy(exact, "stats", 5);
		assert_int_equal(ctlproto_parse(exact, len, &req, err, sizeof err),
		    len <= CTLPROTO_LINE_MAX ? 0 : -1);
		free(exact);
	}
	free(buf);
}

static void
test_garbage(void **state)
{
	struct ctlproto_req req;
	char err[128];
	uint32_t x = 2463534242u;

	(void)state;
	/* every byte value in every position of a short line */
	for (int b = 0; b < 256; b++) {
		for (size_t pos = 0; pos < 12; pos++) {
			char *line = malloc(12);

			assert_non_null(line);
			memcpy(line, "list count  ", 12);
			line[pos] = (char)b;
			(void)ctlproto_parse(line, 12, &req, err, sizeof err);
			free(line);
		}
	}
	/* xorshift garbage of random lengths */
	for (int i = 0; i < 20000; i++) {
		size_t len = (x >> 3) % (CTLPROTO_LINE_MAX + 40);
		char *line = malloc(len > 0 ? len : 1);

		assert_non_null(line);
		for (size_t k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			line[k] = (char)(x % 7 == 0 ? ' ' : x & 0xff);
		}
		if (ctlproto_parse(line, len, &req, err, sizeof err) == 0)
			assert_true(strlen(req.addr) <= CTLPROTO_ADDR_MAX);
		else
			assert_true(err[0] != '\0');
		free(line);
	}
}

static void
test_status(void **state)
{
	const char *text;
	size_t n;
	bool ok;

	(void)state;
	assert_int_equal(ctlproto_parse_status("OK 3 stats", &ok, &n, &text), 0);
	assert_true(ok);
	assert_int_equal(n, 3);
	assert_string_equal(text, "stats");
	assert_int_equal(ctlproto_parse_status("OK 0", &ok, &n, &text), 0);
	assert_int_equal(n, 0);
	assert_string_equal(text, "");
	assert_int_equal(ctlproto_parse_status("ERR busy", &ok, &n, &text), 0);
	assert_false(ok);
	assert_string_equal(text, "busy");
	assert_int_equal(ctlproto_parse_status("ERR", &ok, &n, &text), 0);
	assert_int_equal(ctlproto_parse_status("OK", &ok, &n, &text), -1);
	assert_int_equal(ctlproto_parse_status("OK x", &ok, &n, &text), -1);
	assert_int_equal(ctlproto_parse_status("OK 3x", &ok, &n, &text), -1);
	assert_int_equal(ctlproto_parse_status("OK 99999999999999999999999", &ok, &n, &text), -1);
	assert_int_equal(ctlproto_parse_status("ERRx", &ok, &n, &text), -1);
	assert_int_equal(ctlproto_parse_status("", &ok, &n, &text), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
