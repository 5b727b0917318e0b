/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * status.c - RFC 3463 enhanced status codes: syntax checks, and
 * extraction of codes from diagnostic text.
 *
 * status_find() scans the text once, collects candidate codes with a
 * score for how much they look like part of an SMTP reply line, and
 * returns the best one; digit-free text is skipped a word at a time.  It
 * keeps no memo: a record's diagnostic, which several readers ask about,
 * is read once by analysis.h.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classify/status.h"
#include "util/swar.h"

#define BM_STATUS_FIND_MAX 16

/* ------------------------------------------------------------ parsing */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parsed code: class digit, subject and detail numbers. */
struct status_parts {
	char cls;
	unsigned subject;
	unsigned detail;
	size_t len;          /* characters consumed */
	bool leading_zero;   /* a field had a superfluous leading zero */
};

/* Read a run of digits at s[*i..len); at most `max` digits allowed. */
static inline bool read_number(const char *s, size_t len, size_t *i,
                               unsigned max, unsigned *val, bool *lz)
{
	size_t start = *i;
	unsigned v = 0;

	while (*i < len && is_digit(s[*i])) {
		if (*i - start >= max)
			return false;
		v = v * 10 + (unsigned)(s[*i] - '0');
		(*i)++;
	}
	if (*i == start)
		return false;
	if (*i - start > 1 && s[start] == '0')
		*lz = true;
	*val = v;
	return true;
}

/* Parse "c.sss.ddd" at s[0..len); the class may be any single character
 * (callers check it with class_ok()).  Does not check what follows. */
static bool parse_parts(const char *s, size_t len, struct status_parts *p)
{
	size_t i = 1;

	p->cls = '\0';
	p->subject = p->detail = 0;
	p->len = 0;
	p->leading_zero = false;
	if (len < 5)
		return false;
	p->cls = s[0];
	if (s[1] != '.')
		return false;
	i = 2;
	if (!read_number(s, len, &i, 3, &p->subject, &p->leading_zero))
		return false;
	if (i >= len || s[i] != '.')
		return false;
	i++;
	if (!read_number(s, len, &i, 3, &p->detail, &p->leading_zero))
		return false;
	p->len = i;
	return true;
}

static bool class_ok(char c)
{
	return c == '2' || c == '4' || c == '5';
}

/* "c.subject.detail" into out (at least STATUS_TEXT_MAX bytes), NUL-
 * terminated; returns its length.  What snprintf("%c.%u.%u") writes,
 * without the cost of a format interpreter on the hot path. */
#define STATUS_TEXT_MAX 24

static size_t put_uint(char *out, unsigned v)
{
	char tmp[10];
	size_t n = 0, k;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	return n;
}

static size_t status_text(char *out, char cls, unsigned subject, unsigned detail)
{
	size_t n = 0;

	out[n++] = cls;
	out[n++] = '.';
	n += put_uint(out + n, subject);
	out[n++] = '.';
	n += put_uint(out + n, detail);
	out[n] = '\0';
	return n;
}

bool status_valid(const char *code)
{
	struct status_parts p;
	size_t len;

	if (code == NULL)
		return false;
	len = strnlen(code, 32);
	if (!parse_parts(code, len, &p) || p.len != len)
		return false;
	return class_ok(p.cls) && !p.leading_zero;
}

bool status_normalise(const char *in, char *out, size_t outsz)
{
	struct status_parts p;
	char buf[STATUS_TEXT_MAX];
	size_t len, n;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || outsz == 0)
		return false;
	len = strnlen(in, 64);
	while (len > 0 && (*in == ' ' || *in == '\t')) {
		in++;
		len--;
	}
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' ||
	                   in[len - 1] == '\r' || in[len - 1] == '\n'))
		len--;
	if (!parse_parts(in, len, &p) || p.len != len || !class_ok(p.cls))
		return false;
	n = status_text(buf, p.cls, p.subject, p.detail);
	if (n >= outsz)
		return false;
	memcpy(out, buf, n + 1);
	return true;
}

bool status_replycode_valid(int code)
{
	int c = code / 100, d = (code / 10) % 10;

	if (code < 200 || code > 599)
		return false;
	return (c == 2 || c == 4 || c == 5) && d <= 5;
}

char status_class(const char *code)
{
	struct status_parts p;
	size_t len;

	if (code == NULL)
		return 0;
	len = strnlen(code, 32);
	if (!parse_parts(code, len, &p) || p.len != len || !class_ok(p.cls))
		return 0;
	return p.cls;
}

/* ------------------------------------------------------------ finding */

/* Words after which a dotted number is a version, not a status code. */
static const char *const status_version_words[] = {
	"version", "ver", "v", "release", "rel", "build", "rev", "revision",
	"postfix", "exim", "sendmail", "qmail", "courier", "smtpd", "esmtp",
	"exchange", "domino", "notes", "james", "opensmtpd", "haraka",
	"zimbra", "postfix-", "iis", "microsoft", "mdaemon", "kerio",
	"communigate", "imail", "mailenable", "hmailserver", "powermta",
	"amavisd-new", "amavisd", "spamassassin", "clamav", "dovecot",
	"cyrus", "lmtp", "rspamd", "firefox", "thunderbird", "outlook",
	"mozilla", "php", "perl", "python", "openssl", "tls", "tlsv",
	"ssl", "sslv", "ipv", "rfc", "section", "sec", "chapter", "page",
	"step", "item", "figure", "table",
};

#define STATUS_NVERSION (sizeof(status_version_words) / sizeof(status_version_words[0]))

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* true when the word that ends just before s[at] (skipping blanks) is a
 * version word, or the code is glued to a letter such as "v4.1.1". */
static bool after_version_word(const char *s, size_t at)
{
	size_t end = at, start;
	size_t k;

	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t' ||
	                   s[end - 1] == '/'))
		end--;
	start = end;
	while (start > 0 && (is_alpha(s[start - 1]) || s[start - 1] == '-'))
		start--;
	if (start == end || end - start > 16)
		return false;
	for (k = 0; k < STATUS_NVERSION; k++) {
		const char *w = status_version_words[k];
		size_t wl = strlen(w), j;

		if (wl != end - start)
			continue;
		for (j = 0; j < wl; j++)
			if (lower(s[start + j]) != w[j])
				break;
		if (j == wl)
			return true;
	}
	return false;
}

/* A reply code at s[i..i+3): three digits, first 2/4/5, second 0-5,
 * not part of a longer number or dotted run. */
static int reply_at(const char *s, size_t len, size_t i)
{
	int v;

	if (i + 3 > len)
		return 0;
	if (!is_digit(s[i]) || !is_digit(s[i + 1]) || !is_digit(s[i + 2]))
		return 0;
	if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1]) ||
	              s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == '/' ||
	              s[i - 1] == '_' || s[i - 1] == '+' || s[i - 1] == '$'))
		return 0;
	if (i + 3 < len) {
		char n = s[i + 3];

		if (is_digit(n) || is_alpha(n) || n == '.' || n == ',' ||
		    n == '/' || n == '_' || n == '%' || n == '@')
			return 0;
		/* "550:" is a reply code, "10:20" a time of day */
		if (n == ':' && i + 4 < len && is_digit(s[i + 4]))
			return 0;
	}
	v = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	return status_replycode_valid(v) ? v : 0;
}

/* The reply code directly before an enhanced code at s[at]: "550 5.1.1",
 * "550-5.1.1", "550 #5.1.1", "550 (5.1.1)", "550: 5.1.1". */
static int reply_before(const char *s, size_t at)
{
	size_t i = at;
	int seps = 0;

	while (i > 0 && seps < 3 && (s[i - 1] == ' ' || s[i - 1] == '-' ||
	                             s[i - 1] == '#' || s[i - 1] == '(' ||
	                             s[i - 1] == '[' || s[i - 1] == ':' ||
	                             s[i - 1] == '\'' || s[i - 1] == '"' ||
	                             s[i - 1] == '\t')) {
		i--;
		seps++;
	}
	if (seps == 0 || i < 3)
		return 0;
	return reply_at(s, at, i - 3);
}

/* Characters that may stand right before a standalone reply code. */
static bool reply_lead(const char *s, size_t i)
{
	size_t j = i;

	while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
		j--;
	if (j == 0)
		return true;
	switch (s[j - 1]) {
	case ':': case ';': case '(': case '[': case '<': case '"':
	case '\'': case '#': case '=': case '\n': case '\r': case '>':
		return true;
	default:
		return false;
	}
}

/* The code and reply code must be consistent to be paired. */
static bool classes_agree(char cls, int reply)
{
	return reply / 100 == cls - '0';
}

/* Index of the first digit in s[i..len), or len.  Codes are a few bytes
 * in long prose: words of eight bytes with no digit are skipped whole
 * (swar_has_digit() is exact). */
static inline __attribute__((always_inline)) size_t
next_digit(const char *s, size_t i, size_t len)
{
	for (; i + 8 <= len; i += 8)
		if (swar_has_digit(swar_load(s + i)))
			break;
	while (i < len && !is_digit(s[i]))
		i++;
	return i;
}

/* What one scan of a text found, before it is written out. */
struct status_scan {
	bool have_best;             /* an enhanced code was found */
	int best_reply, lone_reply;
	char best[STATUS_TEXT_MAX];
};

static void status_scan(const char *text, size_t len, struct status_scan *out)
{
	size_t i;
	int best_score = -1, best_reply = 0, lone_reply = 0;
	char best[STATUS_TEXT_MAX];
	bool best_generic = false;

	best[0] = '\0';
	for (i = next_digit(text, 0, len); i < len; i = next_digit(text, i + 1, len)) {
		struct status_parts p;
		char c = text[i];
		int score, rc;
		size_t end;
		bool generic;

		/* standalone reply code, remembered in case no enhanced code */
		if (lone_reply == 0 && reply_lead(text, i)) {
			rc = reply_at(text, len, i);
			if (rc != 0 && (i + 3 >= len || text[i + 3] == ' ' ||
			                text[i + 3] == '-' || text[i + 3] == '\t' ||
			                text[i + 3] == ')' || text[i + 3] == ']' ||
			                text[i + 3] == '\r' || text[i + 3] == '\n'))
				lone_reply = rc;
		}
		if (!class_ok(c))
			continue;
		if (i > 0) {
			char b = text[i - 1];

			if (is_digit(b) || is_alpha(b) || b == '.' || b == '_' ||
			    b == '/' || b == '+' || b == '$' || b == '@' ||
			    b == ',' || b == '\\')
				continue;
			if (b == '-' && i > 1 && (is_alpha(text[i - 2])))
				continue;
		}
		if (!parse_parts(text + i, len - i, &p))
			continue;
		end = i + p.len;
		if (end < len) {
			char n = text[end];

			if (is_digit(n) || is_alpha(n) || n == '_' || n == '@' ||
			    n == '%' || n == '/' || n == '\\')
				continue;
			if ((n == '.' || n == ',' || n == '-' || n == ':') &&
			    end + 1 < len && is_digit(text[end + 1]))
				continue;
		}
		if (after_version_word(text, i))
			continue;

		rc = reply_before(text, i);
		if (rc != 0 && classes_agree(p.cls, rc))
			score = 4;
		else if (rc != 0)
			score = 3;
		else if (i == 0 || (i > 0 && (text[i - 1] == '#' ||
		                              text[i - 1] == '(' ||
		                              text[i - 1] == '[' ||
		                              text[i - 1] == '=')))
			score = 2;
		else
			score = 1;

		generic = (p.subject == 0 && p.detail == 0);
		if (score > best_score || (score == best_score && best_generic && !generic)) {
			/* at most "c.999.999": parse_parts reads three digits */
			if (status_text(best, p.cls, p.subject, p.detail) >= BM_STATUS_FIND_MAX)
				continue;
			best_score = score;
			best_reply = rc;
			best_generic = generic;
		}
		i = end - 1;
	}

	out->have_best = best_score >= 0;
	out->best_reply = best_reply;
	out->lone_reply = lone_reply;
	memcpy(out->best, best, sizeof(out->best));
}

bool status_find(const char *text, size_t len, char *status, size_t statussz,
                 int *replycode)
{
	struct status_scan sc;

	if (status != NULL && statussz > 0)
		status[0] = '\0';
	if (replycode != NULL)
		*replycode = 0;
	if (text == NULL)
		return false;
	status_scan(text, len, &sc);
	if (sc.have_best) {
		if (status != NULL && statussz > 0) {
			size_t bl = strlen(sc.best);

			if (bl < statussz)
				memcpy(status, sc.best, bl + 1);
		}
		if (replycode != NULL) {
			if (sc.best_reply != 0)
				*replycode = sc.best_reply;
			else if (sc.lone_reply != 0 && classes_agree(sc.best[0], sc.lone_reply))
				*replycode = sc.lone_reply;
		}
		return true;
	}
	if (sc.lone_reply != 0) {
		if (replycode != NULL)
			*replycode = sc.lone_reply;
		return true;
	}
	return false;
}
