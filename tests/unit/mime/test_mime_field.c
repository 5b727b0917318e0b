/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_mime_field.c - mime's header fields (mime_field.c through mime.h):
 * names (length, every byte that ends one), values unfolded when first
 * asked for (folds, broken folds, the byte cap, CR and NUL), and more
 * fields and parts than the first storage holds, every value staying put.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mime/limits.h"
#include "mime/mime.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct bounce_limits test_lim = {
	.max_bytes = 16u << 20, .max_depth = 16, .max_parts = 256,
	.max_header_bytes = 16384, .max_headers = 512, .max_rcpt = 1000,
};

static void
test_header_unfolded(void **state)
{
	static const char msg[] =
	    "Subject: one\r\n two\r\n\tthree   \r\nX-Nul: a\0b\r\n\r\nbody";
	struct mime_msg *m;
	const char *value;
	size_t vlen;

	(void)state;
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	assert_int_equal(mime_get_part(m, 0)->nheaders, 2);
	assert_non_null(value = mime_header(m, 0, "Subject", &vlen));
	assert_string_equal(value, "one two\tthree");
	assert_int_equal(vlen, strlen(value));
	assert_non_null(value = mime_header(m, 0, "X-Nul", &vlen));
	assert_int_equal(vlen, 3);
	assert_string_equal(value, "a b");
	mime_free(m);
}

/* A field name is printable ASCII without ':' and its colon lies within
 * 256 bytes (white space before the colon allowed); else the body starts. */
static void
test_name_length(void **state)
{
	static const struct {
		size_t namelen, spaces;
		bool field;
	} cases[] = {
		{ 1, 0, true }, { 3, 0, true }, { 4, 0, true }, { 5, 0, true },
		{ 255, 0, true }, { 256, 0, false }, { 300, 0, false },
		{ 250, 5, true }, { 250, 6, false }, { 7, 2, true },
	};
	/* bytes that end a name: control, DEL, 8-bit, a colon first */
	static const char *const bad[] = { "A\x01" "B: v\n\nx",
	    "A\x7f" "B: v\n\nx", "A\xc3\xa9: v\n\nx", ": v\n\nx",
	    " A: v\n\nx" };
	char msg[600], name[300];
	size_t i, len, vlen;
	struct mime_msg *m;
	const char *v;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		memset(msg, 'N', cases[i].namelen);
		msg[cases[i].namelen / 2] = '-';
		len = cases[i].namelen;
		memset(msg + len, ' ', cases[i].spaces);
		len += cases[i].spaces;
		memcpy(msg + len, ": v\n\nbody", 9);
		len += 9;
		m = mime_parse(msg, len, &test_lim);
		assert_non_null(m);
		if (mime_get_part(m, 0)->nheaders != (cases[i].field ? 1u : 0u))
			fail_msg("name of %zu + %zu: %zu fields", cases[i].namelen,
			    cases[i].spaces, mime_get_part(m, 0)->nheaders);
		if (cases[i].field) {
			/* found by exactly the namelen bytes written */
			memcpy(name, msg, cases[i].namelen);
			name[cases[i].namelen] = '\0';
			assert_non_null(v = mime_header(m, 0, name, &vlen));
			assert_string_equal(v, "v");
		}
		mime_free(m);
	}
	for (i = 0; i < N(bad); i++) {
		m = mime_parse(bad[i], strlen(bad[i]), &test_lim);
		assert_non_null(m);
		assert_int_equal(mime_get_part(m, 0)->nheaders, 0);
		mime_free(m);
	}
}

/* The name ends at the first byte that is no name byte, wherever it lies
 * in an eight-byte word: every byte value after names of 1 to 20 bytes,
 * and a name that runs to the end of the input. */
static void
test_name_end_every_byte(void **state)
{
	char msg[64], name[64];
	size_t l, len, want_n, want_len;
	unsigned c;
	struct mime_msg *m;

	(void)state;
	for (l = 1; l <= 20; l++) {
		for (c = 0; c < 256; c++) {
			memset(msg, 'n', l);
			msg[l / 2] = 'X';
			msg[l] = (char)c;
			memcpy(msg + l + 1, ": v\n\nbody", 10);
			len = l + 11;
			if (c > ' ' && c < 0x7f && c != ':') {
				want_n = 1;
				want_len = l + 1;       /* the byte is part of it */
			} else if (c == ':' || c == ' ' || c == '\t') {
				want_n = 1;
				want_len = l;
			} else {
				want_n = 0;             /* no colon after the name */
				want_len = 0;
			}
			m = mime_parse(msg, len, &test_lim);
			assert_non_null(m);
			if (mime_get_part(m, 0)->nheaders != want_n)
				fail_msg("name of %zu then 0x%02x: %zu fields", l, c,
				    mime_get_part(m, 0)->nheaders);
			if (want_n == 1) {
				/* the one field is named by want_len bytes */
				memcpy(name, msg, want_len);
				name[want_len] = '\0';
				assert_non_null(mime_header(m, 0, name, NULL));
			}
			mime_free(m);
		}
		/* the input ends inside the name: no field */
		memset(msg, 'n', l);
		m = mime_parse(msg, l, &test_lim);
		assert_non_null(m);
		assert_int_equal(mime_get_part(m, 0)->nheaders, 0);
		mime_free(m);
	}
}

/* Header fields are unfolded when first asked for: folds, broken folds,
 * the byte cap over several lines, and values that stay put. */
struct fold_case {
	const char *label, *msg;
	size_t max_header_bytes;        /* 0: test_lim's */
	const char *field, *want;       /* value of part 0's field (NULL: absent) */
	size_t nparts;
	bool truncated;
	unsigned nuls;                  /* NUL bytes inside msg */
};

static const struct fold_case fold_cases[] = {
	{ "broken fold after ';'", "Content-Type: multipart/mixed;\n"
	  "boundary=b\n\n--b\n\nx\n--b--\n", 0, "Content-Type",
	  "multipart/mixed; boundary=b", 2, false, 0 },
	{ "broken fold, ';' then NUL and space", "Content-Type: multipart/mixed;"
	  "\0 \nboundary=b\n\n--b\n\nx\n--b--\n", 0, "Content-Type",
	  "multipart/mixed;   boundary=b", 2, false, 1 },
	{ "broken fold, CRLF", "Content-Type: multipart/mixed;\r\n"
	  "boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n", 0, "Content-Type",
	  "multipart/mixed; boundary=b", 2, false, 0 },
	{ "no ';': the line starts the body", "Subject: a\nnot a header\n\nx",
	  0, "Subject", "a", 1, false, 0 },
	{ "fold then broken fold", "Content-Type: multipart/mixed\n ;\n"
	  "boundary=q\n\n--q\n\nx\n--q--\n", 0, "Content-Type",
	  "multipart/mixed ; boundary=q", 2, false, 0 },
	{ "cap over folded lines", "Subject: 12345\n 67890\n abc\n\nx", 10,
	  "Subject", "12345 6789", 1, true, 0 },
	{ "cap met exactly", "Subject: 12345\n 6789\n\nx", 10, "Subject",
	  "12345 6789", 1, false, 0 },
	{ "cap on the broken fold's space", "Content-Type: text/plain;\n"
	  "x=y\n\nbody", 11, "Content-Type", "text/plain;", 1, true, 0 },
	{ "CR and NUL inside a folded value", "Subject: a\rb\n \0c \t\n\nx", 0,
	  "Subject", "a b  c", 1, false, 1 },
	{ "empty value", "Subject:\nX: 1\n\nx", 0, "Subject", "", 1, false, 0 },
	{ "white space only", "Subject:  \t\nX: 1\n\nx", 0, "Subject", "", 1,
	  false, 0 },
};

static void
test_fold_table(void **state)
{
	struct bounce_limits lim;
	struct mime_msg *m;
	const char *v;
	size_t i, vlen, len;
	unsigned k;

	(void)state;
	for (i = 0; i < N(fold_cases); i++) {
		const struct fold_case *c = &fold_cases[i];

		lim = test_lim;
		if (c->max_header_bytes)
			lim.max_header_bytes = c->max_header_bytes;
		len = strlen(c->msg);
		for (k = 0; k < c->nuls; k++)
			len += 1 + strlen(c->msg + len + 1);
		m = mime_parse(c->msg, len, &lim);
		assert_non_null(m);
		v = mime_header(m, 0, c->field, &vlen);
		if (c->want == NULL ? v != NULL :
		    v == NULL || vlen != strlen(c->want) || strcmp(v, c->want) != 0)
			fail_msg("%s: got \"%s\"", c->label, v ? v : "(none)");
		if (mime_nparts(m) != c->nparts || mime_truncated(m) != c->truncated)
			fail_msg("%s: %zu parts, truncated=%d", c->label,
			    mime_nparts(m), mime_truncated(m));
		mime_free(m);
	}
}

/* More fields, parts and unfolded bytes than the first storage holds:
 * every field and part survives the growth, and every value handed out
 * stays valid and unchanged until mime_free(). */
static void
test_many_fields_and_parts(void **state)
{
	enum { NF = 300, NP = 40, BIG = 5000 };
	size_t cap = 64u * 1024 + BIG, len = 0, i, vlen;
	char *msg = malloc(cap), want[64];
	const char *vals[NF + 1], *v;
	struct mime_msg *m;

	(void)state;
	assert_non_null(msg);
	for (i = 0; i < NF; i++)
		len += (size_t)snprintf(msg + len, cap - len,
		    "X-F%zu: value %zu\n%s", i, i, i % 7 == 0 ? "  folded\n" : "");
	len += (size_t)snprintf(msg + len, cap - len, "X-Big: ");
	memset(msg + len, 'b', BIG);
	len += BIG;
	len += (size_t)snprintf(msg + len, cap - len,
	    "\nContent-Type: multipart/mixed; boundary=p\n\n");
	for (i = 0; i < NP; i++)
		len += (size_t)snprintf(msg + len, cap - len,
		    "--p\nSubject: part %zu\n\nbody %zu\n", i, i);
	len += (size_t)snprintf(msg + len, cap - len, "--p--\n");
	assert_true(len < cap);

	m = mime_parse(msg, len, &test_lim);
	assert_non_null(m);
	assert_false(mime_truncated(m));
	assert_int_equal(mime_nparts(m), NP + 1);
	assert_int_equal(mime_get_part(m, 0)->nheaders, NF + 2);
	for (i = 0; i < NF; i++) {
		snprintf(want, sizeof(want), "X-F%zu", i);
		assert_non_null(vals[i] = mime_header(m, 0, want, &vlen));
	}
	vals[NF] = mime_header(m, 0, "x-big", &vlen);
	assert_non_null(vals[NF]);
	assert_int_equal(vlen, BIG);
	assert_string_equal(mime_get_part(m, 0)->boundary, "p");
	for (i = 0; i < NP; i++) {
		snprintf(want, sizeof(want), "part %zu", i);
		v = mime_header(m, i + 1, "Subject", &vlen);
		assert_non_null(v);
		assert_string_equal(v, want);
		snprintf(want, sizeof(want), "body %zu", i);
		assert_int_equal(mime_get_part(m, i + 1)->body_len, strlen(want));
		assert_memory_equal(mime_get_part(m, i + 1)->body, want,
		    strlen(want));
	}
	/* the values asked for first are still there, unchanged */
	for (i = 0; i < NF; i++) {
		snprintf(want, sizeof(want), i % 7 == 0 ? "value %zu  folded" :
		    "value %zu", i);
		assert_string_equal(vals[i], want);
		snprintf(want, sizeof(want), "x-f%zu", i);
		assert_ptr_equal(mime_header(m, 0, want, NULL), vals[i]);
	}
	for (i = 0; i < BIG; i++)
		if (vals[NF][i] != 'b')
			fail_msg("X-Big changed at %zu", i);
	mime_free(m);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_unfolded),
		cmocka_unit_test(test_fold_table),
		cmocka_unit_test(test_many_fields_and_parts),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_name_end_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
