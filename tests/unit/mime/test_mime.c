/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_mime.c - mime: part trees of fixture messages (tests/data/mime),
 * part attributes, decoded bodies, and hostile input: empty, unclosed
 * boundaries, deep nesting, a 10 MB line, invalid base64, NUL bytes, and
 * truncation at every byte offset.  Header fields: test_mime_field.c.
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

#ifndef BM_TEST_DATA
#define BM_TEST_DATA "tests/data"
#endif

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct bounce_limits test_lim = {
	.max_bytes = 16u << 20, .max_depth = 16, .max_parts = 256,
	.max_header_bytes = 16384, .max_headers = 512, .max_rcpt = 1000,
};

static char *
load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/mime/%s", BM_TEST_DATA, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* "type<parent" for each part, space separated. */
static void
tree(const struct mime_msg *m, char *out, size_t outsz)
{
	size_t i, o = 0;
	const struct mime_part *p;

	out[0] = '\0';
	for (i = 0; i < mime_nparts(m); i++) {
		p = mime_get_part(m, i);
		o += (size_t)snprintf(out + o, outsz - o, "%s%s<%d", i ? " " : "",
		    p->type, p->parent);
		assert_true(o < outsz);
	}
}

struct tree_case {
	const char *file;
	const char *tree;
	bool truncated;
};

static const struct tree_case tree_cases[] = {
	{ "dsn-nested.eml",
	  "multipart/mixed<-1 multipart/report<0 text/plain<1 "
	  "message/delivery-status<1 message/rfc822<1 multipart/alternative<4 "
	  "text/plain<5 text/html<5", false },
	{ "base64.eml", "multipart/mixed<-1 text/plain<0 text/plain<0", false },
	{ "qp.eml", "text/plain<-1", false },
	{ "crlf.eml", "multipart/report<-1 text/plain<0 message/delivery-status<0",
	  false },
	{ "mbox.eml", "text/plain<-1", false },
	{ "unclosed.eml",
	  "multipart/report<-1 text/plain<0 message/delivery-status<0", false },
	{ "oddheaders.eml",
	  "multipart/mixed<-1 text/plain<0 message/global<0 text/plain<2", false },
	{ "noboundary.eml", "multipart/mixed<-1", false },
	{ "noseparator.eml", "text/plain<-1", false },
	{ "mixed-eol.eml", "multipart/mixed<-1 text/plain<0", false },
	{ "gateway.eml", "multipart/mixed<-1 text/plain<0 text/plain<0", false },
};

static void
test_tree_table(void **state)
{
	char got[1024], *data;
	size_t i, len;
	struct mime_msg *m;

	(void)state;
	for (i = 0; i < N(tree_cases); i++) {
		data = load(tree_cases[i].file, &len);
		m = mime_parse(data, len, &test_lim);
		assert_non_null(m);
		tree(m, got, sizeof(got));
		if (strcmp(got, tree_cases[i].tree) != 0 ||
		    mime_truncated(m) != tree_cases[i].truncated)
			fail_msg("%s: got \"%s\" truncated=%d", tree_cases[i].file,
			    got, mime_truncated(m));
		mime_free(m);
		free(data);
	}
}

struct field_case {
	const char *file;
	size_t part;
	const char *field;      /* header name, or a part attribute below */
	const char *want;       /* NULL: header absent */
};

static const struct field_case field_cases[] = {
	{ "dsn-nested.eml", 0, "subject",
	  "=?UTF-8?B?VW5kZWxpdmVyZWQgTWFpbA==?= Returned to Sender" },
	{ "dsn-nested.eml", 1, "Content-Type",
	  "multipart/report; report-type=delivery-status;\tboundary=\"inner-2\"" },
	{ "dsn-nested.eml", 1, ":report_type", "delivery-status" },
	{ "dsn-nested.eml", 1, ":boundary", "inner-2" },
	{ "dsn-nested.eml", 5, ":boundary", "alt3" },
	{ "dsn-nested.eml", 5, "subject", "hello" },
	{ "dsn-nested.eml", 2, ":charset", "us-ascii" },
	{ "dsn-nested.eml", 2, "X-Missing", NULL },
	{ "base64.eml", 1, ":encoding", "base64" },
	{ "base64.eml", 1, ":charset", "utf-8" },
	{ "crlf.eml", 0, "subject", "crlf" },
	{ "crlf.eml", 0, ":boundary", "crlf-b" },
	{ "mbox.eml", 0, "from", "MAILER-DAEMON@example.net" },
	{ "oddheaders.eml", 0, ":boundary", "odd-bound ary" },
	{ "oddheaders.eml", 1, ":charset", "utf-8" },
	{ "oddheaders.eml", 3, "subject", "inner" },
	{ "noseparator.eml", 0, "subject", "no separator" },
	{ "mixed-eol.eml", 0, "subject", "mixed line ends" },
	{ "gateway.eml", 0, ":boundary", "real-boundary" },
	{ "qp.eml", 0, ":encoding", "quoted-printable" },
};

static const char *
part_attr(const struct mime_part *p, const char *name)
{
	if (strcmp(name, ":boundary") == 0)
		return p->boundary;
	if (strcmp(name, ":charset") == 0)
		return p->charset;
	if (strcmp(name, ":report_type") == 0)
		return p->report_type;
	if (strcmp(name, ":encoding") == 0)
		return p->encoding;
	fail_msg("unknown attribute %s", name);
	return NULL;
}

static void
test_field_table(void **state)
{
	char *data;
	const char *v;
	size_t i, len, vlen;
	struct mime_msg *m;

	(void)state;
	for (i = 0; i < N(field_cases); i++) {
		const struct field_case *c = &field_cases[i];

		data = load(c->file, &len);
		m = mime_parse(data, len, &test_lim);
		assert_non_null(m);
		assert_true(c->part < mime_nparts(m));
		if (c->field[0] == ':') {
			v = part_attr(mime_get_part(m, c->part), c->field);
			vlen = strlen(v);
		} else {
			v = mime_header(m, c->part, c->field, &vlen);
		}
		if (c->want == NULL) {
			if (v != NULL)
				fail_msg("%s part %zu %s: unexpected \"%s\"",
				    c->file, c->part, c->field, v);
		} else if (v == NULL || vlen != strlen(c->want) ||
		    memcmp(v, c->want, vlen) != 0 || v[vlen] != '\0') {
			fail_msg("%s part %zu %s: got \"%s\"", c->file, c->part,
			    c->field, v ? v : "(null)");
		}
		mime_free(m);
		free(data);
	}
}

struct body_case {
	const char *file;
	size_t part;
	const char *want;       /* exact decoded body */
	bool truncated;         /* after decoding */
};

static const struct body_case body_cases[] = {
	{ "base64.eml", 1, "Hello, world!\nThis is a base64 body part.\n", false },
	{ "base64.eml", 2, "missing paddingmissing pad", false },
	{ "qp.eml", 0, "550 5.1.1 <alice@example.com>: Recipient address "
	  "rejected: User unknown in virtual mailbox table = bad\n"
	  "caf\xe9\nend =ZZ stray\n", false },
	{ "crlf.eml", 1, "first part", false },
	{ "mbox.eml", 0, "body after an mbox line\n", false },
	{ "dsn-nested.eml", 6, "plain text", false },
	{ "unclosed.eml", 2, "Reporting-MTA: dns; mx.example.net\n"
	  "Final-Recipient: rfc822; carol@example.com\nStatus: 4.4.7\n"
	  "(cut off here by the milter)\n", false },
	{ "noseparator.eml", 0, "This line is body text, not a header.\n"
	  "Second body line.\n", false },
	{ "mixed-eol.eml", 1, "lf part", false },
	{ "gateway.eml", 2, "part two", false },
};

static void
test_body_table(void **state)
{
	char *data;
	const char *out, *out2;
	size_t i, len, olen, olen2;
	struct mime_msg *m;

	(void)state;
	for (i = 0; i < N(body_cases); i++) {
		const struct body_case *c = &body_cases[i];

		data = load(c->file, &len);
		m = mime_parse(data, len, &test_lim);
		assert_non_null(m);
		assert_true(c->part < mime_nparts(m));
		assert_int_equal(mime_body_decoded(m, c->part, &out, &olen), 0);
		if (olen != strlen(c->want) || memcmp(out, c->want, olen) != 0)
			fail_msg("%s part %zu: got \"%.*s\"", c->file, c->part,
			    (int)olen, out);
		assert_int_equal(mime_truncated(m), c->truncated);
		/* cached: the same pointer the second time */
		assert_int_equal(mime_body_decoded(m, c->part, &out2, &olen2), 0);
		assert_ptr_equal(out, out2);
		assert_int_equal(olen, olen2);
		mime_free(m);
		free(data);
	}
}

static void
test_find_type(void **state)
{
	char *data;
	size_t len;
	struct mime_msg *m;

	(void)state;
	data = load("dsn-nested.eml", &len);
	m = mime_parse(data, len, NULL);
	assert_non_null(m);
	assert_int_equal(mime_find_type(m, "message/delivery-status", 0), 3);
	assert_int_equal(mime_find_type(m, "text/plain", 0), 2);
	assert_int_equal(mime_find_type(m, "text/plain", 3), 6);
	assert_int_equal(mime_find_type(m, "text/plain", 7), -1);
	assert_int_equal(mime_find_type(m, "image/png", 0), -1);
	assert_int_equal(mime_find_type(m, "text/plain", 100), -1);
	assert_null(mime_get_part(m, 100));
	assert_null(mime_header(m, 0, "X-Absent", NULL));
	assert_null(mime_header(m, 100, "Subject", NULL));
	mime_free(m);
	free(data);
}

/* Small messages written inline: label, message, expected tree, and one
 * "part:attribute=value" check (attributes as in field_cases). */
struct inline_case {
	const char *label, *msg, *tree;
	size_t part;
	const char *field, *want;
};

static const struct inline_case inline_cases[] = {
	{ ">From line", ">From x@example.org Sat Nov 28 04:00:00 2026\n"
	  "Subject: quoted mbox\n\nbody\n", "text/plain<-1", 0, "subject",
	  "quoted mbox" },
	{ "RFC 2231 extended", "Content-Type: multipart/mixed; "
	  "boundary*=us-ascii'en'a%20b\n\n--a b\n\nx\n--a b--\n",
	  "multipart/mixed<-1 text/plain<0", 0, ":boundary", "a b" },
	{ "continuations out of order", "Content-Type: multipart/mixed; "
	  "boundary*1=\"2\"; boundary*0=\"1\"\n\n--12\n\nx\n--12--\n",
	  "multipart/mixed<-1 text/plain<0", 0, ":boundary", "12" },
	{ "boundary trailing white space", "Content-Type: multipart/mixed; "
	  "boundary=t\n\n--t \t \r\n\nx\n--t-- \n", "multipart/mixed<-1 "
	  "text/plain<0", 1, ":encoding", "" },
	{ "boundary prefix of another", "Content-Type: multipart/mixed; "
	  "boundary=ab\n\n--ab\nContent-Type: multipart/mixed; boundary=abc\n\n"
	  "--abc\n\ninner\n--abc--\n--ab--\n",
	  "multipart/mixed<-1 multipart/mixed<0 text/plain<1", 2, "subject", NULL },
	{ "unknown multipart subtype", "Content-Type: multipart/mx6d; "
	  "boundary=q\n\n--q\n\nx\n--q--\n", "multipart/mixed<-1 text/plain<0",
	  0, ":boundary", "q" },
	{ "type without subtype", "Content-Type: text\n\nx",
	  "text/plain<-1", 0, ":charset", "" },
	{ "quoted-pair in boundary", "Content-Type: multipart/mixed; "
	  "boundary=\"a\\\"b\"\n\n--a\"b\n\nx\n--a\"b--\n",
	  "multipart/mixed<-1 text/plain<0", 0, ":boundary", "a\"b" },
	{ "delimiter not at line start", "Content-Type: multipart/mixed; "
	  "boundary=z\n\n--z\n\nsee --z here\n--z--\n",
	  "multipart/mixed<-1 text/plain<0", 0, ":boundary", "z" },
	{ "only headers, no body", "Subject: cut\nFrom: a@example.org",
	  "text/plain<-1", 0, "from", "a@example.org" },
	{ "leading blank line", "\nSubject: not a header\n",
	  "text/plain<-1", 0, "subject", NULL },
	{ "header name with space before colon", "Subject : spaced\n\nx",
	  "text/plain<-1", 0, "subject", "spaced" },
};

static void
test_inline_table(void **state)
{
	char got[512];
	const char *v;
	size_t i, vlen;
	struct mime_msg *m;

	(void)state;
	for (i = 0; i < N(inline_cases); i++) {
		const struct inline_case *c = &inline_cases[i];

		m = mime_parse(c->msg, strlen(c->msg), &test_lim);
		assert_non_null(m);
		tree(m, got, sizeof(got));
		if (strcmp(got, c->tree) != 0)
			fail_msg("%s: tree \"%s\"", c->label, got);
		assert_true(c->part < mime_nparts(m));
		if (c->field[0] == ':') {
			v = part_attr(mime_get_part(m, c->part), c->field);
			vlen = strlen(v);
		} else {
			v = mime_header(m, c->part, c->field, &vlen);
		}
		if (c->want == NULL ? v != NULL : (v == NULL ||
		    vlen != strlen(c->want) || memcmp(v, c->want, vlen) != 0))
			fail_msg("%s: %s = \"%s\"", c->label, c->field,
			    v ? v : "(null)");
		mime_free(m);
	}
}

static void
test_nested_rfc822_1000(void **state)
{
	const size_t depth = 1000;
	size_t cap = depth * 40 + 64, o = 0, i;
	char *msg = malloc(cap);
	struct mime_msg *m;

	(void)state;
	assert_non_null(msg);
	for (i = 0; i < depth; i++)
		o += (size_t)snprintf(msg + o, cap - o,
		    "Content-Type: message/rfc822\n\n");
	o += (size_t)snprintf(msg + o, cap - o, "Subject: deepest\n\nx\n");
	assert_true(o < cap);
	m = mime_parse(msg, o, &test_lim);
	assert_non_null(m);
	assert_true(mime_truncated(m));
	assert_int_equal(mime_nparts(m), test_lim.max_depth + 1);
	assert_int_equal(mime_get_part(m, test_lim.max_depth)->depth,
	    test_lim.max_depth);
	mime_free(m);
	free(msg);
}

static void
test_empty_input(void **state)
{
	struct mime_msg *m;
	const char *out;
	size_t olen;

	(void)state;
	m = mime_parse("", 0, &test_lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 1);
	assert_string_equal(mime_get_part(m, 0)->type, "text/plain");
	assert_int_equal(mime_get_part(m, 0)->body_len, 0);
	assert_int_equal(mime_body_decoded(m, 0, &out, &olen), 0);
	assert_int_equal(olen, 0);
	mime_free(m);
	m = mime_parse(NULL, 0, NULL);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 1);
	mime_free(m);
	mime_free(NULL);
}

static void
test_unclosed_boundary(void **state)
{
	static const char msg[] =
	    "Content-Type: multipart/mixed; boundary=x\n\n--x\n\nlast part";
	struct mime_msg *m;

	(void)state;
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 2);
	assert_int_equal(mime_get_part(m, 1)->body_len, 9);
	assert_memory_equal(mime_get_part(m, 1)->body, "last part", 9);
	mime_free(m);
}

static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
test_nested_1000(void **state)
{
	const size_t depth = 1000;
	size_t cap = depth * 120 + 64, o = 0, i;
	char *msg = malloc(cap);
	struct mime_msg *m;
	const struct mime_part *p;
	struct timespec t0, t1;

	(void)state;
	assert_non_null(msg);
	for (i = 0; i < depth; i++) {
		o += (size_t)snprintf(msg + o, cap - o,
		    "Content-Type: multipart/mixed; boundary=\"b%zu\"\n\n--b%zu\n",
		    i, i);
		assert_true(o < cap);
	}
	o += (size_t)snprintf(msg + o, cap - o, "Content-Type: text/plain\n\ndeep\n");
	for (i = depth; i > 0; i--)
		o += (size_t)snprintf(msg + o, cap - o, "--b%zu--\n", i - 1);
	assert_true(o < cap);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	m = mime_parse(msg, o, &test_lim);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(m);
	assert_true(mime_truncated(m));
	/* parts 0..max_depth exist, each the child of the one before */
	assert_int_equal(mime_nparts(m), test_lim.max_depth + 1);
	for (i = 1; i < mime_nparts(m); i++) {
		p = mime_get_part(m, i);
		assert_int_equal(p->parent, (int)i - 1);
		assert_int_equal(p->depth, i);
	}
	assert_true(seconds(&t0, &t1) < 1.0);
	mime_free(m);
	free(msg);
}

static void
test_huge_line(void **state)
{
	const size_t big = 10u << 20;
	static const char head[] =
	    "Subject: big\nContent-Type: multipart/mixed; boundary=z\n\n--z\n"
	    "Content-Type: text/plain\nX-Long: ";
	static const char tail[] = "\n\n--z\nContent-Type: text/plain\n\nend\n--z--\n";
	size_t len = sizeof(head) - 1 + big + sizeof(tail) - 1;
	char *msg = malloc(len);
	struct mime_msg *m;
	const char *v;
	size_t vlen;
	struct timespec t0, t1;

	(void)state;
	assert_non_null(msg);
	memcpy(msg, head, sizeof(head) - 1);
	memset(msg + sizeof(head) - 1, 'A', big);
	memcpy(msg + sizeof(head) - 1 + big, tail, sizeof(tail) - 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	m = mime_parse(msg, len, &test_lim);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 3);
	v = mime_header(m, 1, "X-Long", &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, test_lim.max_header_bytes);
	assert_true(mime_truncated(m));
	assert_memory_equal(mime_get_part(m, 2)->body, "end", 3);
	assert_true(seconds(&t0, &t1) < 1.0);
	mime_free(m);

	/* the same line as a body, no header cap involved */
	m = mime_parse(msg + sizeof(head) - 1, big, &test_lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 1);
	assert_int_equal(mime_get_part(m, 0)->body_len, big);
	mime_free(m);
	free(msg);
}

static void
test_invalid_base64(void **state)
{
	static const char msg[] =
	    "Content-Transfer-Encoding: base64\n\nSGVs!!bG8g\n***d29y\nbGQ=\n#";
	struct mime_msg *m;
	const char *out;
	size_t olen;

	(void)state;
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	assert_false(mime_truncated(m));
	assert_int_equal(mime_body_decoded(m, 0, &out, &olen), 0);
	assert_int_equal(olen, 11);
	assert_memory_equal(out, "Hello world", 11);
	assert_true(mime_truncated(m));
	mime_free(m);
}

static void
test_nul_bytes(void **state)
{
	static const char msg[] =
	    "Subject: a\0b\nContent-Type: multipart/mixed; boundary=n\n\n"
	    "--n\nContent-Type: text/plain\n\nx\0y\n--n\0\n--n--\n";
	struct mime_msg *m;
	const char *v;
	size_t vlen;

	(void)state;
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	v = mime_header(m, 0, "subject", &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 3);
	assert_memory_equal(v, "a b", 3);
	assert_int_equal(mime_nparts(m), 2);
	/* "--n\0" is no delimiter: the NUL stays inside the body */
	assert_int_equal(mime_get_part(m, 1)->body_len, 8);
	assert_memory_equal(mime_get_part(m, 1)->body, "x\0y\n--n\0", 8);
	mime_free(m);
}

static void
test_truncate_every_offset(void **state)
{
	char *data, *copy;
	size_t len, i, j;
	struct mime_msg *m;
	const char *out;
	size_t olen;

	(void)state;
	data = load("dsn-nested.eml", &len);
	for (i = 0; i <= len; i++) {
		/* an exact-size copy, so ASan sees any read past the end */
		copy = malloc(i ? i : 1);
		assert_non_null(copy);
		memcpy(copy, data, i);
		m = mime_parse(copy, i, &test_lim);
		assert_non_null(m);
		assert_true(mime_nparts(m) >= 1);
		for (j = 0; j < mime_nparts(m); j++) {
			const struct mime_part *p = mime_get_part(m, j);

			if (p->parent < 0 || mime_get_part(m,
			    (size_t)p->parent)->encoding[0] == '\0')
				assert_true(p->body >= copy &&
				    p->body + p->body_len <= copy + i);
			assert_int_equal(mime_body_decoded(m, j, &out, &olen), 0);
		}
		mime_free(m);
		free(copy);
	}
	free(data);
}

static void
test_caps(void **state)
{
	static const char msg[] =
	    "A: 1\nB: 2\nC: 3\nContent-Type: multipart/mixed; boundary=c\n\n"
	    "--c\n\none\n--c\n\ntwo\n--c\n\nthree\n--c--\n";
	struct bounce_limits lim = test_lim;
	struct mime_msg *m;

	(void)state;
	/* part cap */
	lim.max_parts = 3;
	m = mime_parse(msg, sizeof(msg) - 1, &lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 3);
	assert_true(mime_truncated(m));
	mime_free(m);
	/* header count cap: Content-Type is the 4th field and is dropped */
	lim = test_lim;
	lim.max_headers = 3;
	m = mime_parse(msg, sizeof(msg) - 1, &lim);
	assert_non_null(m);
	assert_int_equal(mime_get_part(m, 0)->nheaders, 3);
	assert_int_equal(mime_nparts(m), 1);
	assert_true(mime_truncated(m));
	mime_free(m);
	/* byte cap */
	lim = test_lim;
	lim.max_bytes = 20;
	m = mime_parse(msg, sizeof(msg) - 1, &lim);
	assert_non_null(m);
	assert_true(mime_truncated(m));
	assert_int_equal(mime_nparts(m), 1);
	mime_free(m);
	/* depth 0: the multipart stays a leaf */
	lim = test_lim;
	lim.max_depth = 0;
	m = mime_parse(msg, sizeof(msg) - 1, &lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 1);
	assert_true(mime_truncated(m));
	mime_free(m);
	/* no cap hit */
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	assert_int_equal(mime_nparts(m), 4);
	assert_false(mime_truncated(m));
	mime_free(m);
}

/* Quoted-printable bodies: lines ending in a soft break, plain lines with
 * trailing white space (dropped) and CRLF or LF, escapes, '_' kept, a
 * soft break after white space, and a '=' at the very end. */
static void
test_qp_lines(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "abc=\r\ndef  \r\nx=41y =\n\tz\n_q_\nend=",
		  "abcdef\r\nxAy \tz\n_q_\nend" },
		{ "=\n=\r\n\n \t\nlast \t", "\n\nlast \t" },
		{ "a=20=\nb=3D=3d\r\nsoft =  \nc", "a b==\r\nsoft c" },
		{ "no break at all", "no break at all" },
	};
	char msg[256];
	const char *out;
	size_t i, olen;
	struct mime_msg *m;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		snprintf(msg, sizeof(msg), "Content-Transfer-Encoding: "
		    "quoted-printable\n\n%s", cases[i].body);
		m = mime_parse(msg, strlen(msg), &test_lim);
		assert_non_null(m);
		assert_int_equal(mime_body_decoded(m, 0, &out, &olen), 0);
		if (olen != strlen(cases[i].want) ||
		    memcmp(out, cases[i].want, olen) != 0)
			fail_msg("qp case %zu: got \"%.*s\"", i, (int)olen, out);
		mime_free(m);
	}
}

static void
test_digest_and_encoded_rfc822(void **state)
{
	static const char msg[] =
	    "Content-Type: multipart/digest; boundary=d\n\n"
	    "--d\n\nSubject: digested\n\nbody\n"
	    "--d\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
	    "U3ViamVjdDogZW5jb2RlZAoKaW5uZXI=\n--d--\n";
	struct mime_msg *m;
	const char *v;
	size_t vlen;
	char got[256];

	(void)state;
	m = mime_parse(msg, sizeof(msg) - 1, &test_lim);
	assert_non_null(m);
	tree(m, got, sizeof(got));
	assert_string_equal(got, "multipart/digest<-1 message/rfc822<0 "
	    "text/plain<1 message/rfc822<0 text/plain<3");
	v = mime_header(m, 2, "Subject", &vlen);
	assert_non_null(v);
	assert_string_equal(v, "digested");
	v = mime_header(m, 4, "Subject", &vlen);
	assert_non_null(v);
	assert_string_equal(v, "encoded");
	assert_memory_equal(mime_get_part(m, 4)->body, "inner", 5);
	mime_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_table),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_body_table),
		cmocka_unit_test(test_find_type),
		cmocka_unit_test(test_inline_table),
		cmocka_unit_test(test_nested_rfc822_1000),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_unclosed_boundary),
		cmocka_unit_test(test_nested_1000),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_invalid_base64),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_truncate_every_offset),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_digest_and_encoded_rfc822),
		cmocka_unit_test(test_qp_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
