/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdr.c - header values in (RFC 2047) and out (sanitise, fold); see hdr.h.
 *
 * hdr_decode() walks the value once; an encoded word is
 * "=?charset[*lang]?B|Q?text?=" with no white space inside.  White space
 * that only separates two encoded words is dropped (RFC 2047 section 6.2).
 * A malformed encoded word is copied as it stands.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "mime/hdr.h"
#include "util/text.h"

#define HDR_WORD_MAX 1024       /* decoded bytes of one encoded word */
#define HDR_LINE_SOFT 78
#define HDR_LINE_HARD 998

enum hdr_cs { HDR_CS_UTF8, HDR_CS_LATIN1, HDR_CS_RAW };

/* Charset names we convert; everything else is copied raw. */
static const struct {
	const char *name;
	enum hdr_cs cs;
} hdr_charsets[] = {
	{ "utf-8", HDR_CS_UTF8 }, { "utf8", HDR_CS_UTF8 },
	{ "us-ascii", HDR_CS_UTF8 }, { "ascii", HDR_CS_UTF8 },
	{ "iso-8859-1", HDR_CS_LATIN1 }, { "iso8859-1", HDR_CS_LATIN1 },
	{ "iso_8859-1", HDR_CS_LATIN1 }, { "latin1", HDR_CS_LATIN1 },
	{ "l1", HDR_CS_LATIN1 },
};

static enum hdr_cs
hdr_charset(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(hdr_charsets) / sizeof(hdr_charsets[0]); i++)
		if (strlen(hdr_charsets[i].name) == n &&
		    strncasecmp(hdr_charsets[i].name, s, n) == 0)
			return hdr_charsets[i].cs;
	return HDR_CS_RAW;
}

static inline int
hdr_sp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parse an encoded word at in[0..n).  On success returns its length and
 * sets the charset span, the encoding letter and the text span. */
static size_t
hdr_word(const char *in, size_t n, const char **cs, size_t *cslen, char *enc,
         const char **txt, size_t *txtlen)
{
	size_t i = 2, c0;

	if (n < 8 || in[0] != '=' || in[1] != '?')
		return 0;
	c0 = i;
	while (i < n && in[i] != '?' && !hdr_sp(in[i]))
		i++;
	if (i >= n || in[i] != '?' || i == c0)
		return 0;
	*cs = in + c0;
	*cslen = i - c0;
	{       /* RFC 2231 language suffix: charset*lang */
		const char *star = memchr(*cs, '*', *cslen);
		if (star)
			*cslen = (size_t)(star - *cs);
	}
	i++;
	if (i + 1 >= n || in[i + 1] != '?')
		return 0;
	*enc = (char)(in[i] | 0x20);
	if (*enc != 'b' && *enc != 'q')
		return 0;
	i += 2;
	*txt = in + i;
	while (i + 1 < n && !(in[i] == '?' && in[i + 1] == '=')) {
		if (hdr_sp(in[i]))
			return 0;
		i++;
	}
	if (i + 1 >= n)
		return 0;
	*txtlen = (size_t)(in + i - *txt);
	return i + 2;
}

static size_t
hdr_put(char *out, size_t o, size_t outsz, const char *s, size_t n)
{
	if (o + n + 1 > outsz)
		n = outsz - 1 - o;
	memcpy(out + o, s, n);
	return o + n;
}

/* Append decoded bytes converted to UTF-8 (never splitting a sequence). */
static size_t
hdr_put_cs(char *out, size_t o, size_t outsz, const char *s, size_t n,
           enum hdr_cs cs)
{
	size_t i;
	unsigned char c;

	if (cs != HDR_CS_LATIN1)
		return hdr_put(out, o, outsz, s, n);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			if (o + 2 > outsz)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 3 > outsz)
				break;
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	return o;
}

size_t
hdr_decode(const char *in, size_t inlen, char *out, size_t outsz)
{
	char tmp[HDR_WORD_MAX];
	const char *cs, *txt, *ws = NULL;
	size_t i = 0, o = 0, wl, cslen, txtlen, dl, wsn = 0;
	bool after_word = false;
	char enc;

	if (outsz == 0)
		return 0;
	/* the text before the first "=?" stands as it is (white space before
	 * an encoded word is kept too): one copy */
	for (ws = in; (ws = memchr(ws, '=', inlen - (size_t)(ws - in))) != NULL; ws++)
		if ((size_t)(ws - in) + 1 < inlen && ws[1] == '?')
			break;
	i = ws != NULL ? (size_t)(ws - in) : inlen;
	o = i < outsz - 1 ? i : outsz - 1;
	memcpy(out, in, o);
	ws = NULL;
	while (i < inlen && o + 1 < outsz) {
		if (in[i] == '=' && i + 1 < inlen && in[i + 1] == '?' &&
		    (wl = hdr_word(in + i, inlen - i, &cs, &cslen, &enc, &txt,
		    &txtlen)) > 0) {
			if (enc == 'b')
				dl = text_b64_decode(txt, txtlen, tmp,
				    sizeof(tmp), NULL);
			else
				dl = text_qp_decode(txt, txtlen, tmp,
				    sizeof(tmp), true);
			/* white space between two encoded words is dropped */
			if (!after_word && wsn > 0)
				o = hdr_put(out, o, outsz, ws, wsn);
			wsn = 0;
			o = hdr_put_cs(out, o, outsz, tmp, dl,
			    hdr_charset(cs, cslen));
			after_word = true;
			i += wl;
			continue;
		}
		if (hdr_sp(in[i])) {
			if (wsn == 0)
				ws = in + i;
			wsn++;
			i++;
			continue;
		}
		if (wsn > 0) {
			o = hdr_put(out, o, outsz, ws, wsn);
			wsn = 0;
			if (o + 1 >= outsz)
				break;
		}
		after_word = false;
		out[o++] = in[i++];
	}
	if (wsn > 0 && o + 1 < outsz)
		o = hdr_put(out, o, outsz, ws, wsn);
	out[o] = '\0';
	return o;
}

/* Length of a valid UTF-8 sequence at s[0..n), or 0 if invalid or a C1
 * control character. */
static size_t
hdr_utf8(const unsigned char *s, size_t n)
{
	unsigned long cp = 0;
	size_t len = text_utf8((const char *)s, n, &cp);

	if (cp >= 0x80 && cp <= 0x9f)   /* C1 controls */
		return 0;
	return len;
}

size_t
hdr_sanitise(const char *in, size_t inlen, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, n;
	bool space = false;

	if (outsz == 0)
		return 0;
	while (i < inlen) {
		if (s[i] <= 0x20 || s[i] == 0x7f) {
			space = o > 0;
			i++;
			continue;
		}
		if (space) {
			if (o + 2 >= outsz)
				break;
			out[o++] = ' ';
			space = false;
		}
		if (s[i] < 0x80) {
			/* printable ASCII, nearly every byte: no call per byte */
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)s[i++];
			continue;
		}
		n = hdr_utf8(s + i, inlen - i);
		if (n == 0) {
			/* invalid byte (or a C1 control): one '?' for it */
			if (o + 1 >= outsz)
				break;
			out[o++] = '?';
			i++;
			continue;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

/* Display width in octets is what RFC 5322 limits, so we count bytes. */
size_t
hdr_fold(const char *name, const char *value, char *out, size_t outsz)
{
	size_t col, o = 0, wl;
	const char *p = value, *w;
	bool first = true;

	if (outsz == 0)
		return (size_t)-1;
	col = strlen(name) + 2;         /* "Name: " */
	while (*p == ' ')
		p++;
	while (*p) {
		w = p;
		while (*p && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		if (!first && col + 1 + wl > HDR_LINE_SOFT) {
			if (o + 2 >= outsz)
				return (size_t)-1;
			out[o++] = '\n';
			out[o++] = ' ';
			col = 1;
		} else if (!first) {
			if (o + 1 >= outsz)
				return (size_t)-1;
			out[o++] = ' ';
			col++;
		}
		first = false;
		/* a word too long for any line is cut (only then is the
		 * value changed: unfolding adds a space there) */
		while (col + wl > HDR_LINE_HARD) {
			size_t take = HDR_LINE_HARD > col ? HDR_LINE_HARD - col : 0;

			if (o + take + 2 >= outsz)
				return (size_t)-1;
			memcpy(out + o, w, take);
			o += take;
			w += take;
			wl -= take;
			out[o++] = '\n';
			out[o++] = ' ';
			col = 1;
		}
		if (o + wl >= outsz)
			return (size_t)-1;
		memcpy(out + o, w, wl);
		o += wl;
		col += wl;
		while (*p == ' ')
			p++;
	}
	out[o] = '\0';
	return o;
}
