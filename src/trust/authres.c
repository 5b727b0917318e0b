/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.c - a small RFC 8601 reader: authserv-id, then resinfo items.
 *
 * A hand-written lexer over (ptr, len): CFWS (white space, CR, LF and nested
 * comments) is skipped between tokens; tokens are ';', '=', '/', quoted
 * strings and words.  Property values are read as one run of characters up
 * to white space, ';' or a comment, so base64 values with '/' and '=' pass.
 * Every loop advances the cursor, so the cost is linear in len.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "trust/authres.h"

#define BM_AUTHRES_DEPTH  8     /* comment nesting */
#define BM_AUTHRES_ID_MAX 256   /* longest authserv-id compared */

enum authres_tok {
	AUTHRES_TOK_END, AUTHRES_TOK_SEMI, AUTHRES_TOK_EQ, AUTHRES_TOK_SLASH,
	AUTHRES_TOK_WORD, AUTHRES_TOK_QSTR, AUTHRES_TOK_BAD,
};

struct authres_lex {
	const char *s;
	size_t len, i;
	const char *tp;             /* token text (QSTR: inside the quotes) */
	size_t tlen;
};

static const struct {
	const char *word;
	enum spf_res res;
} authres_results[] = {
	{ "pass", SPF_RES_PASS },
	{ "fail", SPF_RES_FAIL },
	{ "hardfail", SPF_RES_FAIL },       /* RFC 7001 legacy */
	{ "softfail", SPF_RES_SOFTFAIL },
	{ "neutral", SPF_RES_NEUTRAL },
	{ "none", SPF_RES_NONE },
	{ "temperror", SPF_RES_TEMPERROR },
	{ "permerror", SPF_RES_PERMERROR },
};

static bool authres_word_char(unsigned char c)
{
	return c > ' ' && c != 0x7f && !strchr("();=\"/\\", c);
}

/* Skip white space and comments; false on a broken comment. */
static bool authres_cfws(struct authres_lex *l)
{
	while (l->i < l->len) {
		unsigned char c = (unsigned char)l->s[l->i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			l->i++;
		} else if (c == '(') {
			unsigned depth = 0;
			do {
				c = (unsigned char)l->s[l->i];
				if (c == '\0')
					return false;
				if (c == '\\') {
					l->i++;
					if (l->i >= l->len)
						return false;
				} else if (c == '(') {
					if (++depth > BM_AUTHRES_DEPTH)
						return false;
				} else if (c == ')') {
					depth--;
				}
				l->i++;
			} while (depth > 0 && l->i < l->len);
			if (depth > 0)
				return false;
		} else {
			break;
		}
	}
	return true;
}

static enum authres_tok authres_next(struct authres_lex *l)
{
	unsigned char c;

	if (!authres_cfws(l))
		return AUTHRES_TOK_BAD;
	if (l->i >= l->len)
		return AUTHRES_TOK_END;
	c = (unsigned char)l->s[l->i];
	l->tp = l->s + l->i;
	l->tlen = 1;
	switch (c) {
	case ';': l->i++; return AUTHRES_TOK_SEMI;
	case '=': l->i++; return AUTHRES_TOK_EQ;
	case '/': l->i++; return AUTHRES_TOK_SLASH;
	case '"': {
		size_t start = ++l->i;
		while (l->i < l->len && l->s[l->i] != '"') {
			if (l->s[l->i] == '\0')
				return AUTHRES_TOK_BAD;
			if (l->s[l->i] == '\\')
				l->i++;
			l->i++;
		}
		if (l->i >= l->len)
			return AUTHRES_TOK_BAD;
		l->tp = l->s + start;
		l->tlen = l->i - start;
		l->i++;
		return AUTHRES_TOK_QSTR;
	}
	default:
		if (!authres_word_char(c))
			return AUTHRES_TOK_BAD;
		while (l->i < l->len && authres_word_char((unsigned char)l->s[l->i]))
			l->i++;
		l->tlen = (size_t)(l->s + l->i - l->tp);
		return AUTHRES_TOK_WORD;
	}
}

/* A property value: a quoted string, or a run up to space, ';' or '('. */
static bool authres_pvalue(struct authres_lex *l)
{
	size_t start;

	if (!authres_cfws(l) || l->i >= l->len)
		return false;
	if (l->s[l->i] == '"')
		return authres_next(l) == AUTHRES_TOK_QSTR;
	start = l->i;
	l->tp = l->s + start;
	while (l->i < l->len) {
		unsigned char c = (unsigned char)l->s[l->i];
		if (c <= ' ' || c == 0x7f || c == ';' || c == '(' || c == ')'
		    || c == '"' || c == '\\')
			break;
		l->i++;
	}
	l->tlen = l->i - start;
	return l->i > start;
}

static bool authres_eq(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

/* The domain an spf propspec names: smtp.helo=DOMAIN, or the part after
 * the last '@' of smtp.mailfrom=LOCAL@DOMAIN (a bare domain is allowed). */
static void authres_identity(struct authres_spf *out, const char *name, size_t nlen,
                             const char *v, size_t vlen)
{
	const char *at;

	if (out == NULL || out->ident != AUTHRES_ID_NONE)
		return;
	if (authres_eq(name, nlen, "smtp.helo"))
		out->ident = AUTHRES_ID_HELO;
	else if (authres_eq(name, nlen, "smtp.mailfrom"))
		out->ident = AUTHRES_ID_MAILFROM;
	else
		return;
	for (at = v + vlen; at > v && at[-1] != '@'; at--)
		;
	vlen -= (size_t)(at - v);
	if (vlen == 0 || vlen >= sizeof out->domain) {
		out->ident = AUTHRES_ID_NONE;
		return;
	}
	memcpy(out->domain, at, vlen);
	out->domain[vlen] = '\0';
}


/* Compare the current WORD or QSTR token with the trusted id. */
static bool authres_id_matches(const struct authres_lex *l, enum authres_tok t,
                               const char *id)
{
	char buf[BM_AUTHRES_ID_MAX + 1];
	size_t o = 0;

	if (t == AUTHRES_TOK_WORD)
		return authres_eq(l->tp, l->tlen, id);
	for (size_t i = 0; i < l->tlen; i++) {
		if (l->tp[i] == '\\' && i + 1 < l->tlen)
			i++;
		if (o == BM_AUTHRES_ID_MAX)
			return false;
		buf[o++] = l->tp[i];
	}
	return authres_eq(buf, o, id);
}

static bool authres_keyword(const char *p, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	return true;
}

static bool authres_digits(const char *p, size_t n)
{
	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

enum authres_status authres_spf(const char *value, size_t len,
                                const char *trusted_id, struct authres_spf *out)
{
	struct authres_lex l = { .s = value, .len = len, .i = 0 };
	enum authres_tok t;
	bool found = false, first = true;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (value == NULL || trusted_id == NULL || *trusted_id == '\0')
		return AUTHRES_FOREIGN;
	t = authres_next(&l);
	if ((t != AUTHRES_TOK_WORD && t != AUTHRES_TOK_QSTR)
	    || !authres_id_matches(&l, t, trusted_id))
		return AUTHRES_FOREIGN;
	t = authres_next(&l);
	if (t == AUTHRES_TOK_WORD && authres_digits(l.tp, l.tlen))   /* authres-version */
		t = authres_next(&l);
	if (t == AUTHRES_TOK_END)
		return AUTHRES_MALFORMED;     /* needs "; none" or a resinfo */

	while (t != AUTHRES_TOK_END) {
		const char *method;
		size_t mlen;

		if (t != AUTHRES_TOK_SEMI)
			return AUTHRES_MALFORMED;
		t = authres_next(&l);
		if (t != AUTHRES_TOK_WORD || !authres_keyword(l.tp, l.tlen))
			return AUTHRES_MALFORMED;
		method = l.tp;
		mlen = l.tlen;
		t = authres_next(&l);
		if (first && t == AUTHRES_TOK_END && authres_eq(method, mlen, "none"))
			return AUTHRES_NO_SPF;                    /* no-result */
		first = false;
		if (t == AUTHRES_TOK_SLASH) {                             /* method-version */
			t = authres_next(&l);
			if (t != AUTHRES_TOK_WORD || !authres_digits(l.tp, l.tlen))
				return AUTHRES_MALFORMED;
			t = authres_next(&l);
		}
		if (t != AUTHRES_TOK_EQ)
			return AUTHRES_MALFORMED;
		t = authres_next(&l);
		if (t != AUTHRES_TOK_WORD || !authres_keyword(l.tp, l.tlen))
			return AUTHRES_MALFORMED;
		bool this_spf = false;

		if (!found && authres_eq(method, mlen, "spf")) {
			size_t i;
			for (i = 0; i < sizeof(authres_results) / sizeof(authres_results[0]); i++)
				if (authres_eq(l.tp, l.tlen, authres_results[i].word))
					break;
			if (i == sizeof(authres_results) / sizeof(authres_results[0]))
				return AUTHRES_MALFORMED;         /* not an SPF result */
			if (out != NULL)
				out->res = authres_results[i].res;
			found = true;
			this_spf = true;
		}
		/* reasonspec and propspecs: name = value, until ';' or the end */
		for (;;) {
			t = authres_next(&l);
			if (t == AUTHRES_TOK_SEMI || t == AUTHRES_TOK_END)
				break;
			const char *name;
			size_t nlen;

			if (t != AUTHRES_TOK_WORD)
				return AUTHRES_MALFORMED;
			name = l.tp;
			nlen = l.tlen;
			if (authres_next(&l) != AUTHRES_TOK_EQ || !authres_pvalue(&l))
				return AUTHRES_MALFORMED;
			if (this_spf)
				authres_identity(out, name, nlen, l.tp, l.tlen);
		}
	}
	return found ? AUTHRES_SPF : AUTHRES_NO_SPF;
}
