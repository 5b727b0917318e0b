/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_text.c - text: case-insensitive search, lines, trim, collapse,
 * lower copy, and the shared base64 / quoted-printable decoders.
 */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct find_case {
	const char *hay;
	const char *needle;
	long want;              /* offset, or -1 for not found */
};

static const struct find_case find_cases[] = {
	{ "User Unknown", "user unknown", 0 },
	{ "550 5.1.1 USER UNKNOWN here", "user unknown", 10 },
	{ "mailbox is full", "FULL", 11 },
	{ "abc", "abcd", -1 },
	{ "", "a", -1 },
	{ "abc", "", 0 },
	{ "aaaab", "aab", 2 },
	{ "AaAaB", "aab", 2 },
	{ "x#5.1.0 y", "#5.1.0", 1 },
	{ "no such user", "such  user", -1 },
	{ "endmatch", "MATCH", 3 },
	{ "tail: quota", "quota", 6 },
	{ "Quota", "quota", 0 },
	{ "qUoTq quota", "quota", 6 },
	/* a needle spanning lines matches LF and CRLF line ends alike */
	{ "The address(es)\nfailed:", "address(es)\nfailed:", 4 },
	{ "The address(es)\r\nfailed:", "address(es)\nfailed:", 4 },
	{ "x\r\n\r\ny", "x\n\ny", 0 },
	{ "x\r\ny", "x\r\ny", 0 },
	{ "address(es)\r\r\nfailed:", "address(es)\nfailed:", -1 },
	{ "address(es)\r", "address(es)\n", -1 },
	{ "address(es)\rfailed:", "address(es)\nfailed:", -1 },
};

static void
test_find_table(void **state)
{
	size_t i;
	const char *r;
	long got;

	(void)state;
	for (i = 0; i < N(find_cases); i++) {
		const struct find_case *c = &find_cases[i];

		r = text_find(c->hay, strlen(c->hay), c->needle);
		got = r ? (long)(r - c->hay) : -1;
		if (got != c->want)
			fail_msg("find \"%s\" in \"%s\": got %ld want %ld",
			    c->needle, c->hay, got, c->want);
	}
}

static void
test_find_bounded(void **state)
{
	/* the match lies beyond len: must not be found */
	static const char hay[] = "abcdefXYZ";
	/* NUL bytes inside the haystack are ordinary bytes */
	static const char nul[] = { 'a', '\0', 'u', 's', 'e', 'r', '\0' };

	(void)state;
	assert_null(text_find(hay, 6, "xyz"));
	assert_null(text_find(hay, 8, "xyz"));
	assert_ptr_equal(text_find(hay, 9, "xyz"), hay + 6);
	assert_ptr_equal(text_findn(nul, sizeof(nul), "USER", 4), nul + 2);
	assert_ptr_equal(text_findn(nul, sizeof(nul), "a\0u", 3), nul);
}

static void
test_find_large(void **state)
{
	size_t n = 4u << 20, i;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = (i % 7 == 0) ? 'U' : 'u';
	memcpy(big + n - 12, "user unknown", 12);
	assert_ptr_equal(text_find(big, n, "USER UNKNOWN"), big + n - 12);
	assert_null(text_find(big, n - 1, "USER UNKNOWN"));
	free(big);
}

/* The span of a match counts the CRs of CRLF line ends inside it. */
static void
test_find_span(void **state)
{
	static const struct {
		const char *hay, *needle;
		long at;
		size_t span;
	} cases[] = {
		{ "The address\nfailed: a@b", "address\nfailed:", 4, 15 },
		{ "The address\r\nfailed: a@b", "address\nfailed:", 4, 16 },
		{ "a\r\nb\r\nc", "A\nB\nC", 0, 7 },
		{ "plain phrase", "PHRASE", 6, 6 },
		{ "no match", "\nmatch", -1, 0 },
	};
	size_t i, span;
	const char *r;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		span = 99;
		r = text_findn_span(cases[i].hay, strlen(cases[i].hay),
		                    cases[i].needle, strlen(cases[i].needle),
		                    &span);
		if ((r ? (long)(r - cases[i].hay) : -1) != cases[i].at ||
		    span != cases[i].span)
			fail_msg("span of \"%s\": at %ld span %zu", cases[i].needle,
			         r ? (long)(r - cases[i].hay) : -1, span);
	}
	/* a match must end inside the hay, CRs included */
	assert_null(text_findn_span("ab\r\nc", 4, "b\nc", 3, NULL));
	assert_non_null(text_findn_span("ab\r\nc", 5, "b\nc", 3, NULL));
}

/* The search remembers each needle's anchor by address: a buffer reused
 * for another needle of the same length, even one that now spans lines
 * before the old anchor, is still searched right; so are needles that
 * evict each other from the memo. */
static void
test_find_memo(void **state)
{
	static char pool[600][12];
	char buf[8];
	size_t i, span;
	const char *r;

	(void)state;
	memcpy(buf, "ab@cd", 6);        /* anchored on '@' */
	r = text_find("xxAB@CDx", 8, buf);
	assert_non_null(r);
	assert_int_equal(memcmp(r, "AB@CD", 5), 0);
	memcpy(buf, "a\n@cd", 6);       /* same address and length, a line break first */
	r = text_findn_span("xa\r\n@cdy", 9, buf, 5, &span);
	assert_non_null(r);
	assert_int_equal(span, 6);
	assert_int_equal(r[0], 'a');
	memcpy(buf, "zzzzz", 6);
	assert_null(text_find("xa\r\n@cdy", 9, buf));
	assert_non_null(text_find("__ZzZzZ__", 9, buf));
	/* more needles than the memo holds, each found where it was put */
	for (i = 0; i < 600; i++)
		snprintf(pool[i], sizeof(pool[i]), "k%03zu-%c@q", i, (int)('a' + i % 26));
	for (i = 0; i < 1200; i++) {
		char hay[32];
		size_t k = (i * 7) % 600, n = strlen(pool[k]);

		memset(hay, '.', sizeof(hay));
		memcpy(hay + 9, pool[k], n);
		r = text_find(hay, sizeof(hay), pool[k]);
		assert_ptr_equal(r, hay + 9);
		assert_null(text_find(hay, 9 + n - 1, pool[k]));
	}
}

/* A needle that starts with a line break matches it exactly (a CR before
 * it is not part of the match); later ones also match CRLF. */
static void
test_find_leading_lf(void **state)
{
	size_t span = 0;
	const char *hay = "x\r\nab\r\ncd";
	const char *r;

	(void)state;
	r = text_findn_span(hay, strlen(hay), "\nab\ncd", 6, &span);
	assert_ptr_equal(r, hay + 2);
	assert_int_equal(span, 7);
	r = text_findn_span(hay, strlen(hay), "\nab", 3, &span);
	assert_ptr_equal(r, hay + 2);
	assert_int_equal(span, 3);
	assert_true(text_starts("\r\nab", 4, "\nab"));
	assert_false(text_starts("xb", 2, "ab\ncd"));
	assert_false(text_starts("ab", 2, "ab\ncd"));
	assert_true(text_starts("AB\r\nCDe", 7, "ab\ncd"));
}

/* text_find_any(): any needle of a list, as text_find() finds each. */
static void
test_find_any(void **state)
{
	static const char *const list[] = { "user unknown", "mailbox\nfull",
		"MX ", NULL };
	static const char *const none[] = { NULL };
	static const char hay[] = "550 5.2.2 Mailbox\r\nFULL here";

	(void)state;
	assert_true(text_find_any(hay, sizeof(hay) - 1, list));
	assert_false(text_find_any(hay, 20, list));      /* cut inside it */
	assert_true(text_find_any("no mx record", 12, list));
	assert_false(text_find_any("no mx", 5, list));
	assert_true(text_find_any("User Unknown", 12, list));
	assert_false(text_find_any(hay, sizeof(hay) - 1, none));
	assert_false(text_find_any(NULL, 0, list));
	assert_false(text_find_any(hay, sizeof(hay) - 1, NULL));
}

static void
test_utf8(void **state)
{
	static const struct {
		const char *s;
		size_t len, want;
		unsigned long cp;
	} cases[] = {
		{ "a", 1, 1, 'a' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe3\x80\x82x", 4, 3, 0x3002 },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xe3\x80", 2, 0, 0 },            /* cut */
		{ "\x80", 1, 0, 0 },                 /* stray continuation */
		{ "\xc0\xae", 2, 0, 0 },             /* overlong */
		{ "\xe0\x80\xae", 3, 0, 0 },         /* overlong */
		{ "\xed\xa0\x80", 3, 0, 0 },         /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },     /* above U+10FFFF */
		{ "\xff", 1, 0, 0 },
		{ "", 0, 0, 0 },
	};
	size_t i, n;
	unsigned long cp;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		cp = 0;
		n = text_utf8(cases[i].s, cases[i].len, &cp);
		if (n != cases[i].want || (n > 0 && cp != cases[i].cp))
			fail_msg("utf8 case %zu: %zu U+%04lx", i, n, cp);
	}
	assert_int_equal(text_utf8("\xc3\xa9", 2, NULL), 2);
}

static void
test_starts(void **state)
{
	(void)state;
	/* a prefix spanning lines: LF and CRLF alike, bounded by len */
	assert_true(text_starts("address(es)\r\nfailed: x", 20, "address(es)\nfailed:"));
	assert_true(text_starts("address(es)\nfailed: x", 19, "address(es)\nfailed:"));
	assert_false(text_starts("address(es)\r\nfailed: x", 19, "address(es)\nfailed:"));
	assert_true(text_starts("Final-Recipient: x", 18, "final-recipient:"));
	assert_false(text_starts("Final", 5, "final-recipient:"));
	assert_true(text_starts("abc", 3, ""));
	assert_false(text_starts("Fin", 2, "fin"));
}

static void
test_lines(void **state)
{
	static const char s[] = "one\r\ntwo\n\nthree\r\nlast";
	static const char *const want[] = { "one", "two", "", "three", "last" };
	const char *line;
	size_t pos = 0, ll, i = 0;

	(void)state;
	while (text_next_line(s, sizeof(s) - 1, &pos, &line, &ll)) {
		assert_true(i < N(want));
		assert_int_equal(ll, strlen(want[i]));
		assert_memory_equal(line, want[i], ll);
		i++;
	}
	assert_int_equal(i, N(want));
	pos = 0;
	assert_false(text_next_line("", 0, &pos, &line, &ll));
	pos = 0;
	assert_true(text_next_line("x\n", 2, &pos, &line, &ll));
	assert_false(text_next_line("x\n", 2, &pos, &line, &ll));
}

struct span_case {
	const char *in;
	size_t outsz;
	const char *trim, *collapse, *lower;
};

static const struct span_case span_cases[] = {
	{ "  Hello  World \r\n", 64, "Hello  World", "Hello World",
	  "  hello  world \r\n" },
	{ "\t\tA\x01\x02" "B\t", 64, "A\x01\x02" "B", "A B", "\t\ta\x01\x02" "b\t" },
	{ "", 64, "", "", "" },
	{ "   ", 64, "", "", "   " },
	{ "ABCDEFGH", 5, "ABCDEFGH", "ABCD", "abcd" },
	{ "a   b", 3, "a   b", "a", "a " },
};

static void
test_span_table(void **state)
{
	size_t i, n;
	char out[64];
	const char *s;

	(void)state;
	for (i = 0; i < N(span_cases); i++) {
		const struct span_case *c = &span_cases[i];

		s = c->in;
		n = strlen(s);
		text_trim(&s, &n);
		if (n != strlen(c->trim) || memcmp(s, c->trim, n) != 0)
			fail_msg("trim case %zu", i);
		n = text_collapse(c->in, strlen(c->in), out, c->outsz);
		if (n != strlen(out) || strcmp(out, c->collapse) != 0)
			fail_msg("collapse case %zu: \"%s\"", i, out);
		text_lower_copy(c->in, strlen(c->in), out, c->outsz);
		if (strcmp(out, c->lower) != 0)
			fail_msg("lower case %zu: \"%s\"", i, out);
	}
	/* zero-sized outputs are left alone */
	assert_int_equal(text_collapse("abc", 3, out, 0), 0);
	text_lower_copy("abc", 3, out, 0);
}

/* The byte-at-a-time definition of text_collapse(): a separator (<= 0x20
 * or 0x7f) before a kept byte becomes one space, and a byte is kept only
 * while it fits. */
static size_t
collapse_model(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i, o = 0;
	int pending = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f) {
			pending = o > 0;
			continue;
		}
		if (pending) {
			if (o + 2 >= outsz)
				break;
			out[o++] = ' ';
			pending = 0;
		}
		if (o + 1 >= outsz)
			break;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o;
}

/* The plain case-insensitive search, byte by byte (needles without '\n'). */
static const char *
find_model(const char *h, size_t len, const char *n, size_t nlen)
{
	size_t i, k;

	for (i = 0; nlen <= len && i <= len - nlen; i++) {
		for (k = 0; k < nlen; k++)
			if (tolower((unsigned char)h[i + k]) !=
			    tolower((unsigned char)n[k]))
				break;
		if (k == nlen)
			return h + i;
	}
	return NULL;
}

/* text_findn scans for the anchor in blocks (the last one overlapping
 * bytes already scanned, read from inside the hay only): for every hay
 * length around the block sizes, a match or a near miss (the anchor's
 * other case, a byte differing only in bit 0x20) at every position must
 * agree with the model.  Each hay is a heap copy of exactly its length,
 * so the sanitizer build catches any read past it. */
static void
test_find_blocks(void **state)
{
	static const char *needles[] = { "qz", "QZ@", "5.1.1", "@", "zq", "x" };
	static const char fill[] = { 'a', 'Q' ^ 0x20 ^ 0x40, '0', 'z' ^ 0x20, '\0' };
	size_t len, pos, ni, fi;
	char *h;

	(void)state;
	for (ni = 0; ni < sizeof(needles) / sizeof(needles[0]); ni++)
		for (fi = 0; fi < sizeof(fill); fi++)
			for (len = 0; len <= 150; len++)
				for (pos = 0; pos <= len; pos++) {
					const char *n = needles[ni];
					size_t nlen = strlen(n), k;

					h = malloc(len + 1);
					assert_non_null(h);
					memset(h, fill[fi], len);
					for (k = 0; k < nlen && pos + k < len; k++)
						h[pos + k] = (char)((pos & 1) ?
						    toupper((unsigned char)n[k]) : n[k]);
					assert_ptr_equal(text_findn(h, len, n, nlen),
					                 find_model(h, len, n, nlen));
					free(h);
				}
}

/* text_collapse copies runs a word at a time: it must agree with the
 * model for every mix of plain bytes, single and double spaces, control
 * bytes, 0x7f, bytes above 0x7f and NUL, at every position inside and
 * across an eight-byte word, and for every output size. */
static void
test_collapse_model(void **state)
{
	static const char alphabet[] = { 'a', 'B', ' ', ' ', ' ', '\t', '\n',
	                                 '\x7f', '\x80', '\xff', '\0', '\x1f',
	                                 '!', '~' };
	char in[48], got[40], want[40];
	uint32_t seed = 12345;
	size_t round, len, outsz, i, n, m;

	(void)state;
	for (round = 0; round < 4000; round++) {
		len = round % sizeof(in);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly plain bytes, so that long runs occur */
			in[i] = (seed >> 16) % 3 ? 'x' :
			        alphabet[(seed >> 20) % sizeof(alphabet)];
		}
		for (outsz = 1; outsz <= sizeof(got); outsz++) {
			memset(got, '#', sizeof(got));
			n = text_collapse(in, len, got, outsz);
			m = collapse_model(in, len, want, outsz);
			if (n != m || memcmp(got, want, m + 1) != 0)
				fail_msg("round %zu outsz %zu: \"%s\" want \"%s\"",
				         round, outsz, got, want);
		}
	}
}

/* text_lower_copy folds eight bytes at a time: every byte value, at every
 * offset of a word and in the tail, is lowered exactly as one by one
 * ('A'..'Z' only: '@', '[', 0xc1, 0xda stay as they are). */
static void
test_lower_every_byte(void **state)
{
	char in[21], out[22];
	unsigned v;
	size_t at, i;

	(void)state;
	for (v = 0; v < 256; v++)
		for (at = 0; at < sizeof(in); at++) {
			memset(in, 'Q', sizeof(in));
			in[at] = (char)v;
			text_lower_copy(in, sizeof(in), out, sizeof(out));
			for (i = 0; i < sizeof(in); i++) {
				unsigned char c = (unsigned char)in[i];
				unsigned char want = c >= 'A' && c <= 'Z' ? c + 32 : c;

				if ((unsigned char)out[i] != want)
					fail_msg("byte 0x%02x at %zu: 0x%02x", v, i,
					         (unsigned char)out[i]);
			}
			assert_int_equal(out[sizeof(in)], '\0');
		}
}

/* text_token_lower: one token of a field value, never a control character */
static const struct {
	const char *in;
	size_t inlen;
	const char *want;
} token_cases[] = {
	{ "Failed", 6, "failed" },
	{ "failed (permanent)", 18, "failed" },
	{ "Delayed;x", 9, "delayed" },
	{ "abuse\x12junk", 10, "abuse" },     /* control character ends it */
	{ "fail\0ed", 7, "fail" },             /* so does NUL */
	{ "\tx", 2, "" },
	{ "", 0, "" },
};

static void
test_token_lower(void **state)
{
	char out[8];

	(void)state;
	for (size_t i = 0; i < N(token_cases); i++) {
		text_token_lower(token_cases[i].in, token_cases[i].inlen, out, sizeof out);
		if (strcmp(out, token_cases[i].want) != 0)
			fail_msg("token case %zu: \"%s\"", i, out);
	}
	text_token_lower("averyveryverylongtoken", 22, out, sizeof out);
	assert_string_equal(out, "averyve");   /* bounded */
}

struct b64_case {
	const char *in;
	const char *want;
	bool bad;
};

static const struct b64_case b64_cases[] = {
	{ "SGVsbG8=", "Hello", false },
	{ "SGVs\r\nbG8=\r\n", "Hello", false },
	{ "SGVsbG8", "Hello", false },                /* missing padding */
	{ "SGV sbG8 =", "Hello", false },
	{ "SG!!Vs*bG8=", "Hello", true },             /* garbage skipped */
	{ "SGVsbG8=A", "Hello", true },               /* dangling char */
	{ "", "", false },
	{ "YQ==Yg==", "ab", false },                  /* concatenated */
	{ "-_-_", "\xfb\xff\xbf", false },            /* URL-safe */
};

static void
test_b64_table(void **state)
{
	char out[64];
	size_t i, n;
	bool bad;

	(void)state;
	for (i = 0; i < N(b64_cases); i++) {
		bad = false;
		n = text_b64_decode(b64_cases[i].in, strlen(b64_cases[i].in),
		    out, sizeof(out), &bad);
		if (n != strlen(b64_cases[i].want) ||
		    memcmp(out, b64_cases[i].want, n) != 0 ||
		    bad != b64_cases[i].bad)
			fail_msg("b64 case %zu (%s): n=%zu bad=%d", i,
			    b64_cases[i].in, n, bad);
	}
	/* output bounded */
	bad = false;
	n = text_b64_decode("SGVsbG8=", 8, out, 2, &bad);
	assert_int_equal(n, 2);
	assert_true(bad);
}

struct qp_case {
	const char *in;
	bool underscore;
	const char *want;
};

static const struct qp_case qp_cases[] = {
	{ "caf=E9", false, "caf\xe9" },
	{ "caf=e9", false, "caf\xe9" },
	{ "soft=\r\nbreak", false, "softbreak" },
	{ "soft=\nbreak", false, "softbreak" },
	{ "soft= \t\nbreak", false, "softbreak" },
	{ "trail   \r\nx", false, "trail\r\nx" },
	{ "a=ZZb", false, "a=ZZb" },
	{ "end=", false, "end" },
	{ "a_b", false, "a_b" },
	{ "a_b=5F", true, "a b_" },
	{ "in  middle", false, "in  middle" },
	/* edge paths of the line-at-a-time decoder */
	{ "soft at end=", false, "soft at end" },
	{ "soft at end= \t", false, "soft at end" },
	{ "soft at end=\r", false, "soft at end" },
	{ "one digit=4", false, "one digit=4" },
	{ "one digit=4\n", false, "one digit=4\n" },
	{ "=4", false, "=4" },
	{ "=41", false, "A" },
	{ "==41=", false, "=A" },
	{ "a=\r\nb=\r\nc", false, "abc" },
	{ "a= \t\r\nb", false, "ab" },
	{ "a=\rb", false, "a=\rb" },          /* bare CR: no soft break */
	{ "a=\r\r\nb", false, "a=\r\r\nb" },
	{ "a=G1=1g", false, "a=G1=1g" },        /* invalid escapes kept */
	{ "a=3D=3d", false, "a==" },
	{ "t \t \nu \r\nv", false, "t\nu\r\nv" },
	{ "keep \rx", false, "keep \rx" },       /* bare CR keeps the space */
	{ "end  ", false, "end  " },           /* white space at the end kept */
	{ "end \r", false, "end \r" },
	{ " \n \n", false, "\n\n" },
	{ "x=20 \n", false, "x \n" },          /* an encoded space stays */
	{ "a= b", false, "a= b" },
	{ "a_=5F_ b \n", true, "a _  b\n" },
	{ "\n\r\n", false, "\n\r\n" },
};

static void
test_qp_table(void **state)
{
	char out[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < N(qp_cases); i++) {
		n = text_qp_decode(qp_cases[i].in, strlen(qp_cases[i].in), out,
		    sizeof(out), qp_cases[i].underscore);
		if (n != strlen(qp_cases[i].want) ||
		    memcmp(out, qp_cases[i].want, n) != 0)
			fail_msg("qp case %zu (%s): n=%zu", i, qp_cases[i].in, n);
	}
	assert_int_equal(text_qp_decode("abcdef", 6, out, 3, false), 3);
	/* bounded in every branch: a run, an escape, kept white space */
	assert_int_equal(text_qp_decode("ab=41cd", 7, out, 3, false), 3);
	assert_memory_equal(out, "abA", 3);
	assert_int_equal(text_qp_decode("a   b", 5, out, 2, false), 2);
	assert_memory_equal(out, "a ", 2);
	assert_int_equal(text_qp_decode("a_b", 3, out, 2, true), 2);
	assert_memory_equal(out, "a ", 2);
	assert_int_equal(text_qp_decode("abc", 3, out, 0, false), 0);
	assert_int_equal(text_qp_decode("", 0, out, sizeof(out), false), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_table),
		cmocka_unit_test(test_find_bounded),
		cmocka_unit_test(test_find_large),
		cmocka_unit_test(test_find_span),
		cmocka_unit_test(test_find_memo),
		cmocka_unit_test(test_find_leading_lf),
		cmocka_unit_test(test_find_any),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_starts),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_span_table),
		cmocka_unit_test(test_find_blocks),
		cmocka_unit_test(test_collapse_model),
		cmocka_unit_test(test_lower_every_byte),
		cmocka_unit_test(test_token_lower),
		cmocka_unit_test(test_b64_table),
		cmocka_unit_test(test_qp_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
